import Foundation
import ImageIO
import TestSupport
import Testing

/// `render` coarse to fine: stages in the log and on stderr, the prediction, and the flags' bad values.
@Suite("Command line: coarse to fine", .serialized)
struct RenderScalesTests {
    let directory: String

    init() throws {
        directory = try StudioHarness.makeWorkFolder("stylestudio-scales-")
    }

    func run(_ arguments: [String]) -> (status: Int32, output: String) { StudioHarness.run(arguments) }

    struct StageLine: Decodable {
        let iteration: Int, stage: Int, width: Int, height: Int
        let total: Double
    }

    @Test("a two-stage render logs both stages with their sizes and writes the final size")
    func twoStagesLogged() throws {
        let images = StudioHarness.images
        let result = run(["render", "--content", images.content, "--style", images.style, "--scales", "96,128",
                          "--iterations-per-scale", "4,3", "--output", directory + "/two.png",
                          "--log", directory + "/two.jsonl"])
        #expect(result.status == 0, "\(result.output)")
        let lines = try String(contentsOfFile: directory + "/two.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(StageLine.self, from: Data($0.utf8)) }
        #expect(lines.map(\.stage) == [1, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(lines.map(\.iteration) == [0, 1, 2, 3, 4, 0, 1, 2, 3])
        let image = try ImageFile.read(URL(fileURLWithPath: directory + "/two.png"))
        #expect(max(image.width, image.height) == 128)
        #expect(lines.filter { $0.stage == 2 }.allSatisfy { $0.width == image.width && $0.height == image.height })
        #expect(lines.filter { $0.stage == 1 }.allSatisfy { max($0.width, $0.height) == 96 })
        #expect(lines.allSatisfy { $0.total.isFinite && $0.total > 0 })
        // stderr: the prediction first, then one line per point (the start, then each step) naming its stage and size.
        let output = result.output.split(separator: "\n")
        #expect(output.filter { $0.contains("predicted stage") }.count == 2)
        #expect(output.filter { $0.hasPrefix("stage 1/2 96×") && $0.contains("ETA") }.count == 5)
        #expect(output.filter { $0.hasPrefix("stage 2/2 \(image.width)×\(image.height)") }.count == 4)
        #expect(output.contains { $0.contains("stage 2 took") && $0.contains("predicted") })
    }

    @Test("--dry-run prints each stage's predicted memory and time and writes nothing")
    func dryRun() throws {
        let images = StudioHarness.images
        let result = run(["render", "--content", images.content, "--style", images.style, "--size", "400",
                          "--dry-run", "--output", directory + "/never.png", "--log", directory + "/never.jsonl",
                          "--save-every", "1", "--timelapse", directory + "/never.gif"])
        #expect(result.status == 0, "\(result.output)")
        let predicted = result.output.split(separator: "\n").filter { $0.contains("predicted") }
        // Above 384 px the default is coarse to fine from 256 px: 256 and 400.
        #expect(predicted.count == 3, "\(result.output)")
        #expect(predicted[0].contains("stage 1/2") && predicted[0].contains("256×") && predicted[0].contains("MB"))
        #expect(predicted[1].contains("stage 2/2") && predicted[1].contains("400×") && predicted[1].contains("iterations"))
        // Timed from the first stage's first iterations (and iterations at 64 px, for the fixed part).
        #expect(result.output.contains("timing the first 6 iterations"))
        #expect(predicted[2].contains("total") && predicted[2].contains("GFLOP/s"))
        for never in ["never.png", "never.jsonl", "never.gif"] {
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + never), "\(never)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(!result.output.contains("iter 0"))
    }

    @Test("--single-scale keeps one stage above 384 px; --help documents the flags")
    func singleScaleAndHelp() throws {
        let images = StudioHarness.images
        let result = run(["render", "--content", images.content, "--style", images.style, "--size", "400",
                          "--single-scale", "--dry-run", "--output", directory + "/never.png"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("stage 1/1") && !result.output.contains("stage 2/"), "\(result.output)")
        let help = run(["render", "--help"]).output
        for flag in ["--single-scale", "--start-size", "--scales", "--iterations-per-scale", "--style-scale", "--dry-run"] {
            #expect(help.contains(flag), "\(flag) missing from --help")
        }
    }

    @Test("bad coarse-to-fine flags: one line naming the problem", arguments: [
        (["--scales", "128,96"], "increase"),
        (["--scales", "96,128", "--iterations-per-scale", "3"], "2 scales"),
        (["--scales", "96,x"], "--scales"),
        (["--single-scale", "--scales", "96,128"], "--single-scale"),
        (["--style-scale", "0"], "style scale"),
        (["--start-size", "2"], "--start-size"),
    ])
    func badFlags(_ flags: [String], expected: String) {
        let images = StudioHarness.images
        let result = run(["render", "--content", images.content, "--style", images.style,
                          "--output", directory + "/never.png"] + flags)
        #expect(result.status != 0)
        #expect(result.output.split(separator: "\n").count == 1 && result.output.contains(expected), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/never.png"))
    }
}
