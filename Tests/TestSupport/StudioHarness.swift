import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Shared by the end-to-end suites: the real `stylestudio` binary, run as a command or driven through tmux
/// (send-keys, capture-pane). The binary is `$STYLESTUDIO_BIN` or `.build/release/stylestudio` (built before the
/// tests run); the VGG19 weights must be installed (scripts/setup.sh). tmux runs on a private socket per studio.
/// One studio in one tmux session on a private server, with its files in a temporary directory.
public final class StudioHarness {
    public let directory: String
    public let socket: String
    public let session = "studio"
    public let columns: Int
    public let rows: Int
    private var panePID: pid_t?
    private var socketPath: String?

    public static let repositoryRoot: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.path
            }
            directory.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    public static var binary: String {
        ProcessInfo.processInfo.environment["STYLESTUDIO_BIN"] ?? repositoryRoot + "/.build/release/stylestudio"
    }

    /// The test images: the repository's own copies in `Assets/`.
    public static var images: (content: String, style: String) {
        let base = repositoryRoot + "/Assets"
        return (base + "/content/tubingen.png", base + "/style/starry_night.png")
    }

    public static var weightsPath: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/stylestudio/vgg19.safetensors"
    }

    /// Why the suite cannot run here (nil when it can). A missing prerequisite fails the tests: scripts/test.sh
    /// installs tmux and the weights and builds the binary, so in CI nothing may be missing.
    public static let prerequisitesMissing: String? = {
        if shell("command -v tmux").status != 0 { return "tmux is not installed" }
        if !FileManager.default.isExecutableFile(atPath: binary) { return "no studio binary at \(binary): swift build -c release first" }
        if !FileManager.default.fileExists(atPath: weightsPath) { return "no VGG19 weights at \(weightsPath): run scripts/setup.sh" }
        if !FileManager.default.fileExists(atPath: images.content) { return "no test images at \(images.content)" }
        return nil
    }()

    public init(columns: Int, rows: Int) throws {
        if let missing = Self.prerequisitesMissing { throw HarnessError(missing) }
        self.columns = columns
        self.rows = rows
        directory = NSTemporaryDirectory() + "studio-tmux-" + UUID().uuidString.prefix(8)
        socket = "studio-test-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
    }

    /// Starts the studio; the pane's shell writes the exit status to `rc`.
    public func start(arguments: [String], language: String = "C.UTF-8", term: String = "xterm-direct",
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
    public func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        Self.shell((["tmux", "-L", socket] + arguments).map(quote).joined(separator: " "))
    }

    public func sendKeys(_ keys: String...) {
        tmux(["send-keys", "-t", session] + keys)
    }

    public struct Screen {
        public var text: String
        public var ansi: String
        public var columns: Int
        /// Cells with U+2580–U+259F block elements.
        public var blockGlyphs: Int { text.unicodeScalars.filter { (0x2580...0x259F).contains($0.value) }.count }
        /// The right-hand part of each line, where the controls panel is.
        public var controlsText: String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in String(line.suffix(max(columns - (columns * 2 / 3) + 4, 30))) }.joined(separator: "\n")
        }
    }

    /// The iteration number in the header (`it 42`).
    public static func iteration(in text: String) -> Int? {
        guard let header = text.split(separator: "\n").first, let range = header.range(of: "it ") else { return nil }
        return Int(header[range.upperBound...].prefix { $0.isNumber })
    }

    public func capture() -> Screen {
        Screen(text: tmux(["capture-pane", "-p", "-t", session]).output,
               ansi: tmux(["capture-pane", "-p", "-e", "-N", "-t", session]).output, columns: columns)
    }

    /// Polls the screen until `condition` holds; throws with the last screen after `timeout` seconds.
    @discardableResult
    public func waitFor(_ what: String, timeout: Double, interval: Double = 0.05, _ condition: (Screen) throws -> Bool) throws -> Screen {
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

    public var exitStatus: Int32? {
        (try? String(contentsOfFile: directory + "/rc", encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    public var alternateScreenOn: Bool {
        tmux(["display", "-p", "-t", session, "#{alternate_on}"]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    public var stderr: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    public struct LogLine: Decodable {
        public var iteration: Int
        public var total: Double
        public var content: Double
        public var style: Double
        public var tv: Double
        public var seconds: Double
    }

    public func logLines() throws -> [LogLine] {
        let text = (try? String(contentsOfFile: directory + "/log.jsonl", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LogLine.self, from: Data($0.utf8)) }
    }

    /// `key_to_screen_ms` values from the studio's trace (key read to refresh done).
    public func traceKeyLatencies() -> [Double] {
        let text = (try? String(contentsOfFile: directory + "/trace", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("key_to_screen_ms=") }.flatMap { Double($0.dropFirst(17)) }
        }
    }

    /// Waits until the header's iteration counter reaches `count`.
    @discardableResult
    public func waitForIteration(_ count: Int, _ what: String = "the first iterations", timeout: Double) throws -> Screen {
        try waitFor(what, timeout: timeout) { (Self.iteration(in: $0.text) ?? 0) >= count }
    }

    /// Quits with `q`, answers `n` to "Save result before quitting?" when it is asked (or, with `mustAsk`, fails
    /// when it is not), and waits for the exit.
    public func quitWithoutSaving(mustAsk: Bool = false) throws {
        sendKeys("q")
        let asked = try waitFor(mustAsk ? "the question" : "quit or the question", timeout: 10) { screen in
            screen.text.contains("Save result before quitting?") || (!mustAsk && self.exitStatus != nil)
        }
        if asked.text.contains("Save result before quitting?") { sendKeys("n") }
        try waitFor("the exit", timeout: 60) { _ in self.exitStatus != nil }
    }

    /// Runs the binary with `arguments` (after `environment`, shell words such as `A=1`); returns the exit status
    /// and stdout+stderr.
    public static func run(_ arguments: [String], environment: String = "") -> (status: Int32, output: String) {
        shell(([environment, quote(binary)] + arguments.map(quote)).joined(separator: " "))
    }

    /// A new folder under the temporary directory for one suite's files; fails when there is no binary to test.
    public static func makeWorkFolder(_ prefix: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError("no binary at \(binary): build it first (scripts/test.sh does)")
        }
        let directory = NSTemporaryDirectory() + prefix + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The studio's PID: the child of the pane's shell.
    public func appPID() -> pid_t? { panePID.flatMap(Self.children(of:)).flatMap(\.first) }

    public static func children(of parent: pid_t) -> [pid_t] {
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
    public func cleanUp() {
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

    public static func quote(_ text: String) -> String {
        if text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:+,@%".contains($0) }) && !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `/bin/sh -c command` with posix_spawn (not Foundation.Process: a forked tmux server would inherit
    /// its child-watching descriptor and hang it), output to a temporary file.
    public static func shell(_ command: String) -> (status: Int32, output: String) {
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

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    public var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) * 1e-15 }
}
