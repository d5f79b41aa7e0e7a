import Foundation
import ImageIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `stylestudio` binary driven through tmux: it paints, reacts to keys, saves, quits, and always gives
/// the terminal back. The binary is `$STYLESTUDIO_BIN` or `.build/release/stylestudio` (built before the tests run);
/// the VGG19 weights must be installed (scripts/setup.sh). tmux runs on a private socket per test.
@Suite("Studio in tmux", .serialized)
struct StudioTmuxTests {
    @Test("paints, shows a slider change that the run uses, saves a PNG, quits with 0 and restores the terminal",
          .timeLimit(.minutes(4)))
    func paintTuneSaveQuit() throws {
        let studio = try StudioHarness(columns: 120, rows: 40)
        defer { studio.cleanUp() }
        try studio.start(arguments: ["--size", "128"])

        // The preview: many coloured block glyphs and 24-bit colour SGRs; the iteration counter rises.
        let first = try studio.waitFor("the first iterations", timeout: 120) { screen in
            (StudioHarness.iteration(in: screen.text) ?? 0) >= 3
        }
        #expect(first.blockGlyphs > 300, "preview block glyphs: \(first.blockGlyphs)")
        #expect(first.ansi.contains("\u{1B}[38;2;"))
        #expect(first.text.contains("Controls"))
        let iterationBefore = StudioHarness.iteration(in: first.text) ?? 0
        // Past the first iterations, where L-BFGS still overshoots now and then.
        try studio.waitFor("the counter to rise", timeout: 90) { (StudioHarness.iteration(in: $0.text) ?? 0) >= max(iterationBefore + 2, 12) }

        // A slider change, visible at once: style weight 100 -> 1000 (one decade step), while paused so that the
        // log shows the old and the new weight at nearly the same image.
        studio.sendKeys("Down")
        try studio.waitFor("the style row to take the focus", timeout: 10) { $0.text.contains("›style") }
        studio.sendKeys("Space")
        try studio.waitFor("the run to pause", timeout: 60) { $0.text.contains("paused") }
        let linesBeforeChange = try studio.logLines()
        studio.sendKeys(">")
        try studio.waitFor("the new style weight on screen", timeout: 5) { $0.controlsText.contains(" 1000") }
        studio.sendKeys("Space")
        try studio.waitFor("iterations with the new weight", timeout: 60) { _ in
            ((try? studio.logLines().count) ?? 0) >= linesBeforeChange.count + 3
        }
        let lines = try studio.logLines()
        let before = lines[linesBeforeChange.count - 1], after = lines[linesBeforeChange.count]
        #expect(after.iteration == before.iteration + 1, "the run continues instead of restarting")
        // Weighted style = weight x raw style; the image moved by one step, so the raw loss changed a little.
        let styleRatio = after.style / before.style
        let contentRatio = after.content / max(before.content, 1e-12)
        #expect(styleRatio > 5 && styleRatio < 20, "style went \(before.style) -> \(after.style)")
        #expect(contentRatio > 0.2 && contentRatio < 5, "content went \(before.content) -> \(after.content)")
        #expect(lines.suffix(2).allSatisfy { abs($0.total - ($0.content + $0.style + $0.tv)) <= 1e-6 * abs($0.total) })

        // Key latency: each key flips a visible value (1000 <-> 1250); time until tmux shows it.
        var latencies: [Double] = []
        for index in 0..<7 {
            let (key, value) = index % 2 == 0 ? ("Right", " 1250") : ("Left", " 1000")
            let start = ContinuousClock.now
            studio.sendKeys(key)
            try studio.waitFor("\(value) after \(key)", timeout: 5, interval: 0.002) { $0.controlsText.contains(value) }
            latencies.append((ContinuousClock.now - start).milliseconds)
        }
        let median = latencies.sorted()[latencies.count / 2]
        // The harness's own cost: a key that changes nothing (Up on the top row) and one capture.
        studio.sendKeys("Up", "Up")
        var baselines: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            studio.sendKeys("Up")
            _ = studio.capture()
            baselines.append((ContinuousClock.now - start).milliseconds)
        }
        let baseline = baselines.sorted()[baselines.count / 2]
        studio.sendKeys("Down")
        let inApp = studio.traceKeyLatencies()
        let inAppMedian = inApp.isEmpty ? 0 : inApp.sorted()[inApp.count / 2]
        print("key -> screen: tmux round trip median \(String(format: "%.1f", median)) ms of \(latencies.map { Int($0) }) "
              + "(send-keys + one capture alone: \(String(format: "%.1f", baseline)) ms); "
              + "in the studio (STYLESTUDIO_TRACE, key read -> refresh) median \(String(format: "%.2f", inAppMedian)) ms of \(inApp.count)")
        #expect(median < 250, "tmux round trip \(latencies)")
        #expect(!inApp.isEmpty && inAppMedian < 50, "in-app key latency \(inApp)")

        // Save: w, the default name, Enter; the PNG exists and decodes.
        studio.sendKeys("w")
        try studio.waitFor("the save prompt", timeout: 5) { $0.text.contains("result-0001.png") }
        studio.sendKeys("Enter")
        let saved = studio.directory + "/result-0001.png"
        try studio.waitFor("the saved file", timeout: 20) { _ in FileManager.default.fileExists(atPath: saved) }
        try studio.waitFor("the saved message", timeout: 5) { $0.text.contains("saved") }
        let image = try ImageFile.read(path: saved)
        #expect(max(image.width, image.height) == 128)

        // Quit: q asks when the result changed since the save (it keeps painting); n quits.
        studio.sendKeys("q")
        let asked = try studio.waitFor("quit or the question", timeout: 10) { screen in
            screen.text.contains("Save result before quitting?") || studio.exitStatus != nil
        }
        if asked.text.contains("Save result before quitting?") { studio.sendKeys("n") }
        try studio.waitFor("the exit", timeout: 60) { _ in studio.exitStatus != nil }
        #expect(studio.exitStatus == 0)
        #expect(studio.alternateScreenOn == false)
        // The one notice allowed: on a loaded machine the last iteration may take long enough to be announced.
        let unexpected = studio.stderr.split(separator: "\n").filter { !$0.contains("finishing the current iteration") }
        #expect(unexpected.isEmpty, "stderr: \(studio.stderr)")
    }

    @Test("60x20 shows the too-small message, growing shows the studio, SIGTERM exits and restores",
          .timeLimit(.minutes(3)))
    func smallScreenAndSigterm() throws {
        let studio = try StudioHarness(columns: 60, rows: 20)
        defer { studio.cleanUp() }
        try studio.start(arguments: ["--size", "64"])
        let small = try studio.waitFor("the too-small message", timeout: 60) { $0.text.contains("Terminal too small") }
        #expect(small.text.contains("60x20"))
        #expect(small.text.contains("80x24"))
        studio.tmux(["resize-window", "-t", studio.session, "-x", "100", "-y", "30"])
        try studio.waitFor("the studio after growing", timeout: 20) { $0.text.contains("Controls") && !$0.text.contains("too small") }
        let pid = try #require(studio.appPID(), "the studio's process")
        kill(pid, SIGTERM)
        try studio.waitFor("the exit after SIGTERM", timeout: 20) { _ in studio.exitStatus != nil }
        #expect(studio.exitStatus == 128 + SIGTERM)
        #expect(studio.alternateScreenOn == false)
    }

    @Test("Ctrl-Z (SIGTSTP) gives the terminal back; on continue the studio redraws and paints on",
          .timeLimit(.minutes(3)))
    func suspendAndContinue() throws {
        let studio = try StudioHarness(columns: 100, rows: 32)
        defer { studio.cleanUp() }
        try studio.start(arguments: ["--size", "64"])
        try studio.waitFor("the first iterations", timeout: 60) { (StudioHarness.iteration(in: $0.text) ?? 0) >= 2 }
        let pid = try #require(studio.appPID(), "the studio's process")
        kill(pid, SIGTSTP)
        try studio.waitFor("the normal screen while suspended", timeout: 10) { _ in studio.alternateScreenOn == false }
        kill(pid, SIGCONT)
        try studio.waitFor("the alternate screen again", timeout: 10) { _ in studio.alternateScreenOn == true }
        let back = try studio.waitFor("the studio redrawn", timeout: 10) { $0.text.contains("Controls") && $0.blockGlyphs > 100 }
        let iteration = StudioHarness.iteration(in: back.text) ?? 0
        try studio.waitFor("iterations after continuing", timeout: 60) { (StudioHarness.iteration(in: $0.text) ?? 0) > iteration }
        kill(pid, SIGTERM)
        try studio.waitFor("the exit", timeout: 20) { _ in studio.exitStatus != nil }
        #expect(studio.alternateScreenOn == false)
    }

    @Test("LANG=C and TERM=vt100: plain ASCII, no colour, still usable", .timeLimit(.minutes(3)))
    func asciiMonochrome() throws {
        let studio = try StudioHarness(columns: 80, rows: 24)
        defer { studio.cleanUp() }
        try studio.start(arguments: ["--size", "64"], language: "C", term: "vt100")
        let screen = try studio.waitFor("iterations", timeout: 120) { (StudioHarness.iteration(in: $0.text) ?? 0) >= 2 }
        #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on a C-locale screen")
        #expect(!screen.ansi.contains("\u{1B}[38;2;") && !screen.ansi.contains("\u{1B}[38;5;"))
        #expect(screen.text.contains("Controls"))
        #expect(screen.text.contains("|"), "ASCII rules and sliders")
        studio.sendKeys("Down", "Right")
        try studio.waitFor("style 125", timeout: 5) { $0.controlsText.contains(" 125") }
        studio.sendKeys("q")
        try studio.waitFor("the question", timeout: 10) { $0.text.contains("Save result before quitting?") }
        studio.sendKeys("n")
        try studio.waitFor("the exit", timeout: 60) { _ in studio.exitStatus != nil }
        #expect(studio.exitStatus == 0)
        #expect(studio.alternateScreenOn == false)
    }
}

/// One studio in one tmux session on a private server, with its files in a temporary directory.
final class StudioHarness {
    let directory: String
    let socket: String
    let session = "studio"
    let columns: Int
    let rows: Int
    private var panePID: pid_t?
    private var socketPath: String?

    static let repositoryRoot: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.path
            }
            directory.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    static var binary: String {
        ProcessInfo.processInfo.environment["STYLESTUDIO_BIN"] ?? repositoryRoot + "/.build/release/stylestudio"
    }

    /// The test images: the repository's own copies in `Assets/`.
    static var images: (content: String, style: String) {
        let base = repositoryRoot + "/Assets"
        return (base + "/content/tubingen.png", base + "/style/starry_night.png")
    }

    static var weightsPath: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/stylestudio/vgg19.safetensors"
    }

    /// Why the suite cannot run here (nil when it can). A missing prerequisite fails the tests: scripts/test.sh
    /// installs tmux and the weights and builds the binary, so in CI nothing may be missing.
    static let prerequisitesMissing: String? = {
        if shell("command -v tmux").status != 0 { return "tmux is not installed" }
        if !FileManager.default.isExecutableFile(atPath: binary) { return "no studio binary at \(binary): swift build -c release first" }
        if !FileManager.default.fileExists(atPath: weightsPath) { return "no VGG19 weights at \(weightsPath): run scripts/setup.sh" }
        if !FileManager.default.fileExists(atPath: images.content) { return "no test images at \(images.content)" }
        return nil
    }()

    init(columns: Int, rows: Int) throws {
        if let missing = Self.prerequisitesMissing { throw HarnessError(missing) }
        self.columns = columns
        self.rows = rows
        directory = NSTemporaryDirectory() + "studio-tmux-" + UUID().uuidString.prefix(8)
        socket = "studio-test-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
    }

    /// Starts the studio; the pane's shell writes the exit status to `rc`.
    func start(arguments: [String], language: String = "C.UTF-8", term: String = "xterm-direct",
               environment: [String] = []) throws {
        let images = Self.images
        let command = ["cd", quote(directory), "&&", "env", "LANG=\(language)", "LC_ALL=\(language)", "TERM=\(term)"]
            + environment.map(quote) + [
                       "XDG_CONFIG_HOME=\(quote(directory + "/config"))", "XDG_STATE_HOME=\(quote(directory + "/state"))",
                       "STYLESTUDIO_TRACE=\(quote(directory + "/trace"))", "OPENBLAS_NUM_THREADS=1",
                       quote(Self.binary), "--content", quote(images.content), "--style", quote(images.style),
                       "--log", quote(directory + "/log.jsonl")] + arguments.map(quote)
            + ["2>\(quote(directory + "/stderr"));", "echo", "$?", ">\(quote(directory + "/rc.tmp"))", "&&",
               "mv", quote(directory + "/rc.tmp"), quote(directory + "/rc")]
        let result = tmux(["-u", "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)",
                           command.joined(separator: " ")])
        guard result.status == 0 else { throw HarnessError("tmux new-session failed: \(result.output)") }
        tmux(["set-option", "-t", session, "remain-on-exit", "on"])
        panePID = pid_t(tmux(["display", "-p", "-t", session, "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines))
        socketPath = tmux(["display", "-p", "-t", session, "#{socket_path}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        Self.shell((["tmux", "-L", socket] + arguments).map(quote).joined(separator: " "))
    }

    func sendKeys(_ keys: String...) {
        tmux(["send-keys", "-t", session] + keys)
    }

    struct Screen {
        var text: String
        var ansi: String
        var columns: Int
        /// Cells with U+2580–U+259F block elements.
        var blockGlyphs: Int { text.unicodeScalars.filter { (0x2580...0x259F).contains($0.value) }.count }
        /// The right-hand part of each line, where the controls panel is.
        var controlsText: String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in String(line.suffix(max(columns - (columns * 2 / 3) + 4, 30))) }.joined(separator: "\n")
        }
    }

    /// The iteration number in the header (`it 42`).
    static func iteration(in text: String) -> Int? {
        guard let header = text.split(separator: "\n").first, let range = header.range(of: "it ") else { return nil }
        return Int(header[range.upperBound...].prefix { $0.isNumber })
    }

    func capture() -> Screen {
        Screen(text: tmux(["capture-pane", "-p", "-t", session]).output,
               ansi: tmux(["capture-pane", "-p", "-e", "-N", "-t", session]).output, columns: columns)
    }

    /// Polls the screen until `condition` holds; throws with the last screen after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double, interval: Double = 0.05, _ condition: (Screen) throws -> Bool) throws -> Screen {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var screen = capture()
        while true {
            if try condition(screen) { return screen }
            if ContinuousClock.now > deadline {
                throw HarnessError("timed out after \(timeout) s waiting for \(what); screen:\n\(screen.text)\nstderr: \(stderr)")
            }
            usleep(useconds_t(interval * 1_000_000))
            screen = capture()
        }
    }

    var exitStatus: Int32? {
        (try? String(contentsOfFile: directory + "/rc", encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    var alternateScreenOn: Bool {
        tmux(["display", "-p", "-t", session, "#{alternate_on}"]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    var stderr: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    struct LogLine: Decodable {
        var iteration: Int
        var total: Double
        var content: Double
        var style: Double
        var tv: Double
        var seconds: Double
    }

    func logLines() throws -> [LogLine] {
        let text = (try? String(contentsOfFile: directory + "/log.jsonl", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LogLine.self, from: Data($0.utf8)) }
    }

    /// `key_to_screen_ms` values from the studio's trace (key read to refresh done).
    func traceKeyLatencies() -> [Double] {
        let text = (try? String(contentsOfFile: directory + "/trace", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("key_to_screen_ms=") }.flatMap { Double($0.dropFirst(17)) }
        }
    }

    /// The studio's PID: the child of the pane's shell.
    func appPID() -> pid_t? { panePID.flatMap(Self.children(of:)).flatMap(\.first) }

    static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && pid_t(fields[1]) == parent
        }
    }

    /// Kills what is left by PID (the studio, the pane's shell), then the private tmux server; if the server
    /// has not gone a second later, it is killed by PID too.
    func cleanUp() {
        let serverPID = pid_t(tmux(["display", "-p", "#{pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines))
        if let panePID {
            for child in Self.children(of: panePID) { kill(child, SIGKILL) }
            // Only while it is still the server's child (its PID cannot have been reused then).
            if let serverPID, Self.children(of: serverPID).contains(panePID) { kill(panePID, SIGKILL) }
        }
        tmux(["kill-server"])
        if let serverPID, serverPID > 1 {
            for _ in 0..<20 where kill(serverPID, 0) == 0 { usleep(50_000) }
            if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        }
        if let socketPath, socketPath.contains(socket) { unlink(socketPath) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func quote(_ text: String) -> String { Self.quote(text) }

    static func quote(_ text: String) -> String {
        if text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:+,@%".contains($0) }) && !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `/bin/sh -c command` with posix_spawn (not Foundation.Process: a forked tmux server would inherit
    /// its child-watching descriptor and hang it), output to a temporary file.
    static func shell(_ command: String) -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "studio-sh-" + UUID().uuidString
        defer { unlink(outputPath) }
        let full = "(\(command)) >\(quote(outputPath)) 2>&1 </dev/null"
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", full]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test runner's threads block most signals and posix_spawn passes the mask on: a tmux server started
        // with it never sees SIGCHLD or SIGTERM (it then ignores kill-server and keeps zombies). Clear it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard posix_spawn(&pid, "/bin/sh", nil, &attributes, &argv, environ) == 0 else { return (-1, "posix_spawn failed") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7F) == 0
        return (exited ? (status >> 8) & 0xFF : -1, output)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) * 1e-15 }
}
