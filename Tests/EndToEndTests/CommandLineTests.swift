import Foundation
import ImageIO
import StudioCore
import StyleEngine
import TestSupport
import Testing

/// The real `stylestudio render` / `bench` / `presets` binary: the command-line contract scripts rely on.
/// (Process plumbing, binary and image paths are shared with the tmux harness.)
@Suite("Command line", .serialized)
struct CommandLineTests {
    let directory: String

    init() throws {
        directory = try StudioHarness.makeWorkFolder("stylestudio-cli-")
    }

    static var referenceDirectory: String {
        StudioHarness.repositoryRoot + "/Tests/Fixtures/reference"
    }

    /// Runs the binary with `arguments`; returns the exit status and stdout+stderr.
    func run(_ arguments: [String], environment: String = "") -> (status: Int32, output: String) {
        StudioHarness.run(arguments, environment: environment)
    }

    struct LogLine: Decodable, Equatable {
        let iteration: Int
        let total: Double, content: Double, style: Double, tv: Double, seconds: Double
        let evaluations: Int
    }

    func logLines(_ path: String) throws -> [LogLine] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(LogLine.self, from: Data($0.utf8)) }
    }

    @Test("--iterations 0 logs the objective at the init image: the reference's total, as iteration 0")
    func iterationZeroMatchesReference() throws {
        let reference = Self.referenceDirectory
        let result = run(["render", "--content", reference + "/content.png", "--style", reference + "/style.png",
                          "--init", reference + "/init.png", "--size", "256", "--iterations", "0",
                          "--output", directory + "/zero.png", "--log", directory + "/zero.jsonl"])
        #expect(result.status == 0, "\(result.output)")
        let lines = try logLines(directory + "/zero.jsonl")
        try #require(lines.count == 1)
        #expect(lines[0].iteration == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reference + "/reference.json"))) as! [String: Any]
        let expected = ((json["at_init_png"] as! [String: Any])["total_weighted"] as! NSNumber).doubleValue
        #expect(abs(lines[0].total - expected) / expected < 1e-4, "\(lines[0].total) vs \(expected)")
        #expect(abs(lines[0].content + lines[0].style + lines[0].tv - lines[0].total) < 1e-6 * lines[0].total)
        let image = try ImageFile.read(URL(fileURLWithPath: directory + "/zero.png"))
        #expect(image.width == 256 && image.height == 192)
    }

    /// The program sets the variables OpenBLAS reads when it loads before it opens the library (no re-execution):
    /// launched without them, it still gets the AVX-512 kernels where the CPU has them, and the same result as a
    /// launch with the scripts' variables.
    @Test("launched without OpenBLAS's variables, the program sets them before OpenBLAS loads")
    func openBLASVariablesAreSetInProcess() throws {
        let reference = Self.referenceDirectory
        func render(_ environment: String, _ name: String) -> (status: Int32, output: String) {
            run(["render", "--content", reference + "/content.png", "--style", reference + "/style.png", "--size", "64",
                 "--iterations", "2", "--output", directory + "/\(name).png", "--log", directory + "/\(name).jsonl"],
                environment: environment)
        }
        let bare = render("env -u OPENBLAS_CORETYPE -u OPENBLAS_NUM_THREADS", "bare")
        #expect(bare.status == 0, "\(bare.output)")
        let expected = OpenBLASEnvironment.preferredCoreType(cpuFlags: OpenBLASEnvironment.cpuFlags())
        if let expected { #expect(bare.output.contains("OpenBLAS \(expected) kernels"), "\(bare.output)") }
        let scripted = render(expected.map { "env OPENBLAS_CORETYPE=\($0) OPENBLAS_NUM_THREADS=1" }
                              ?? "env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1", "scripted")
        #expect(scripted.status == 0, "\(scripted.output)")
        #expect(try logLines(directory + "/bare.jsonl").map(\.total) == logLines(directory + "/scripted.jsonl").map(\.total))
    }

    @Test("a short render writes a decodable PNG, one log line per point (the start, then each step), and lowers the loss")
    func shortRender() throws {
        let images = StudioHarness.images
        let result = run(["render", "--content", images.content, "--style", images.style, "--size", "96",
                          "--iterations", "8", "--output", directory + "/out.png", "--log", directory + "/out.jsonl",
                          "--save-every", "3"])
        #expect(result.status == 0, "\(result.output)")
        let lines = try logLines(directory + "/out.jsonl")
        #expect(lines.map(\.iteration) == Array(0...8))
        #expect(lines.last!.total < lines.first!.total)
        #expect(lines[0].evaluations == 1, "the start image alone: the first line comes after one evaluation")
        #expect(lines.allSatisfy { $0.seconds > 0 && $0.total.isFinite })
        // Progress on stderr every iteration, with the loss terms, speed and time left.
        let progress = result.output.split(separator: "\n").filter { $0.hasPrefix("iter ") }
        #expect(progress.count == 9)
        #expect(progress.allSatisfy { $0.contains("content") && $0.contains("style") && $0.contains("s/it") && $0.contains("ETA") })
        let image = try ImageFile.read(URL(fileURLWithPath: directory + "/out.png"))
        #expect(max(image.width, image.height) == 96)
        // Nothing half-written is left beside the output.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix("out.") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("the same seed gives the same result bit for bit")
    func seededRunsAreReproducible() throws {
        let images = StudioHarness.images
        for name in ["a", "b"] {
            let result = run(["render", "--content", images.content, "--style", images.style, "--size", "64",
                              "--iterations", "4", "--init", "noise", "--seed", "7", "--optimizer", "adam",
                              "--output", directory + "/\(name).png", "--log", directory + "/\(name).jsonl"])
            #expect(result.status == 0, "\(result.output)")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.png"))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory + "/b.png"))
        #expect(a == b)
        let losses = { (name: String) in try self.logLines(self.directory + "/\(name).jsonl").map(\.total) }
        #expect(try losses("a") == losses("b"))
    }

    struct BadInput: CustomStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let expected: String
        var description: String { name }
    }

    static let badInputs: [BadInput] = {
        let images = StudioHarness.images
        let base = ["render", "--content", images.content, "--style", images.style, "--output", "/tmp/stylestudio-never.png"]
        return [
            BadInput(name: "missing content file",
                     arguments: ["render", "--content", "/nonexistent/photo.png", "--style", images.style, "--output", "/tmp/x.png"],
                     expected: "/nonexistent/photo.png"),
            BadInput(name: "text file named .png", arguments: base + ["--style", "/etc/hostname"], expected: "/etc/hostname"),
            BadInput(name: "unknown layer", arguments: base + ["--style-layers", "block9_conv1"], expected: "block9_conv1"),
            BadInput(name: "negative weight", arguments: base + ["--content-weight", "-1"], expected: "content weight"),
            BadInput(name: "negative iterations", arguments: base + ["--iterations", "-5"], expected: "--iterations"),
            BadInput(name: "output folder missing", arguments: base.dropLast() + ["/nonexistent/dir/out.png"],
                     expected: "/nonexistent/dir"),
            BadInput(name: "output is a folder", arguments: base.dropLast() + [NSTemporaryDirectory()],
                     expected: "is a directory"),
            BadInput(name: "weights not a weights file", arguments: base + ["--weights", "/etc/hostname"], expected: "/etc/hostname"),
            BadInput(name: "unknown preset", arguments: base + ["--preset", "no-such-preset"], expected: "no-such-preset"),
            BadInput(name: "size too small", arguments: base + ["--size", "4"], expected: "size"),
            BadInput(name: "unknown optimizer", arguments: base + ["--optimizer", "sgd"], expected: "sgd"),
            BadInput(name: "missing --style", arguments: ["render", "--content", images.content, "--output", "/tmp/x.png"],
                     expected: "--style"),
            BadInput(name: "a size that cannot fit in memory",
                     arguments: base + ["--size", "4096", "--history-size", "1000"], expected: "MB"),
            BadInput(name: "preset name taken (shipped)", arguments: base + ["--save-preset", "gatys-classic"],
                     expected: "gatys-classic"),
        ]
    }()

    @Test("bad input: non-zero exit, one line naming the problem, no stack trace", arguments: badInputs)
    func badInputGivesOneClearLine(_ input: BadInput) {
        let result = run(input.arguments)
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1, "\(result.output)")
        #expect(result.output.contains(input.expected), "\(result.output)")
        #expect(!result.output.contains("Fatal error") && !result.output.contains("Stack dump"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/stylestudio-never.png"))
    }

    @Test("help is printed in full and exits 0")
    func helpExitsZero() {
        for arguments in [["render", "--help"], ["help", "render"]] {
            let result = run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.output)")
            #expect(result.output.contains("USAGE: stylestudio render") && result.output.contains("--content-layers"))
        }
    }

    @Test("--help shows the defaults of SettingTable, the one table the engine, presets and the studio read")
    func helpShowsTheTablesDefaults() {
        let result = run(["render", "--help"])
        #expect(result.status == 0, "\(result.output)")
        // ArgumentParser wraps lines: compare with the white space folded.
        let help = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for setting in [SettingTable.size.help, SettingTable.historySize.help] + [
            SettingTable.contentWeight, SettingTable.styleWeight, SettingTable.totalVariationWeight].map(\.help) {
            #expect(help.contains(setting), "\(setting) is not in the help:\n\(result.output)")
        }
        #expect(help.contains(SettingTable.seed.help))
        #expect(help.contains("L-BFGS \(SettingTable.lbfgsLearningRate.defaultText) (default), "
                              + "Adam \(SettingTable.adamLearningRate.defaultText) (pixel units)"))
        #expect(help.contains("(default \(SettingTable.styleScale.defaultText))"))
        #expect(help.contains("(default \(ObjectiveSettings.defaultContentLayers[0].layer.name);"))
        // The choices' defaults come from the settings' own defaults too.
        let defaults = StyleSettings()
        for marked in ["\(defaults.optimizer.kind.rawValue) (default)", "\(defaults.objective.pooling.rawValue) (default)",
                       "\(defaults.optimizer.lineSearch.rawValue) (default;", "\(defaults.objective.styleLoss.rawValue) (default;",
                       "\(defaults.color.rawValue) (default;", "(default \(defaults.initialization))"] {
            #expect(help.contains(marked), "\(marked) is not in the help")
        }
    }

    @Test("--log follows a symbolic link instead of replacing it")
    func logThroughSymlink() throws {
        let images = StudioHarness.images
        let target = directory + "/real.jsonl", link = directory + "/link.jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = run(["render", "--content", images.content, "--style", images.style, "--size", "48",
                          "--iterations", "2", "--output", directory + "/o.png", "--log", link])
        #expect(result.status == 0, "\(result.output)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try logLines(target).count == 3)  // the start image, then 2 steps
    }

    @Test("a truncated PNG is refused with one line naming it")
    func truncatedImage() throws {
        let images = StudioHarness.images
        let bytes = try Data(contentsOf: URL(fileURLWithPath: images.content))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: directory + "/cut.png"))
        let result = run(["render", "--content", directory + "/cut.png", "--style", images.style, "--output", directory + "/o.png"])
        #expect(result.status != 0)
        #expect(result.output.split(separator: "\n").count == 1 && result.output.contains("cut.png"), "\(result.output)")
    }

    @Test("bench reports median seconds per iteration, GFLOP/s and peak memory")
    func benchReports() throws {
        let result = run(["bench", "--size", "64", "--iterations", "3", "--warmup", "1", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let json = try #require(result.output.split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        })
        #expect(((json["median_seconds"] as? NSNumber)?.doubleValue ?? 0) > 0)
        #expect(((json["effective_gflops"] as? NSNumber)?.doubleValue ?? 0) > 0)
        #expect(((json["peak_memory_bytes"] as? NSNumber)?.intValue ?? 0) > 10_000_000)
    }

    @Test("presets: list shows the shipped ones; a render can start from one and save its settings as another")
    func presetsFromTheCommandLine() throws {
        let config = "XDG_CONFIG_HOME=" + StudioHarness.quote(directory + "/config")
        let list = run(["presets", "list"], environment: config)
        #expect(list.status == 0)
        for name in ["gatys-classic", "narayanan-2017", "keep-structure", "heavy-paint", "fine-texture"] {
            #expect(list.output.contains(name), "\(list.output)")
        }
        let images = StudioHarness.images
        let render = run(["render", "--content", images.content, "--style", images.style, "--size", "64",
                          "--iterations", "1", "--preset", "heavy-paint", "--style-weight", "321",
                          "--output", directory + "/p.png", "--save-preset", "mine"], environment: config)
        #expect(render.status == 0, "\(render.output)")
        let show = run(["presets", "show", "mine"], environment: config)
        #expect(show.status == 0 && show.output.contains("321"), "\(show.output)")
    }
}

/// Every preset shipped in Presets/ loads and runs a few iterations with finite, falling losses.
@Suite("Shipped presets run", .serialized)
struct ShippedPresetRunTests {
    static let shippedNames: [String] = {
        let folder = StudioHarness.repositoryRoot + "/Presets"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func thereAreShippedPresets() {
        #expect(Self.shippedNames.count >= 5, "\(Self.shippedNames)")
    }

    @Test(arguments: shippedNames)
    func presetRuns(_ name: String) throws {
        let directory = NSTemporaryDirectory() + "stylestudio-preset-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = StudioHarness.images
        let command = [StudioHarness.binary, "render", "--preset", name, "--content", images.content,
                       "--style", images.style, "--size", "64", "--iterations", "4",
                       "--output", directory + "/out.png", "--log", directory + "/log.jsonl"]
        let result = StudioHarness.shell("XDG_CONFIG_HOME=" + StudioHarness.quote(directory) + " "
                                         + command.map(StudioHarness.quote).joined(separator: " "))
        #expect(result.status == 0, "\(result.output)")
        let totals = try String(contentsOfFile: directory + "/log.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(CommandLineTests.LogLine.self, from: Data($0.utf8)).total }
        #expect(totals.count == 5 && totals.allSatisfy(\.isFinite), "the start image, then 4 steps")
        #expect(totals.last! < totals.first!, "\(name): \(totals)")
        _ = try ImageFile.read(URL(fileURLWithPath: directory + "/out.png"))
    }
}
