import Foundation
import ImageIO
import TestSupport
import Testing

/// Keeping runs: time-lapses (WebP, GIF), sweeps with manifests, resuming and `--list`, batches. The real binary,
/// the real weights, 64 px and a few iterations; the animations are checked with Debian's own decoders
/// (`webpinfo` from the webp package, `gifsicle --info`), which scripts/setup.sh installs.
@Suite("Time-lapses, sweeps and batches", .serialized)
struct KeepTests {
    let directory: String

    init() throws {
        directory = try StudioHarness.makeWorkFolder("stylestudio-keep-")
    }

    func run(_ arguments: [String], environment: String = "") -> (status: Int32, output: String) {
        StudioHarness.run(arguments, environment: environment)
    }

    func files(_ folder: String, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(suffix) }.sorted()
    }

    func sha256(_ path: String) -> String {
        String(StudioHarness.shell("sha256sum \(StudioHarness.quote(path))").output.prefix(64))
    }

    @Test("render --timelapse writes an animated WebP and a GIF: init image first, a frame every K, the last held longer",
          arguments: ["webp", "gif"])
    func timelapse(_ format: String) throws {
        let images = StudioHarness.images
        let animation = directory + "/run." + format
        let result = run(["render", "--content", images.content, "--style", images.style, "--size", "64",
                          "--iterations", "7", "--timelapse", animation, "--timelapse-every", "3",
                          "--output", directory + "/run.png"])
        #expect(result.status == 0, "\(result.output)")
        let picture = try ImageFile.read(path: directory + "/run.png")
        // Frames: the init image, after 3 and 6 iterations, and the final image after 7.
        let expectedFrames = 4
        #expect(result.output.contains("(\(expectedFrames) frames)"), "\(result.output)")
        if format == "webp" {
            let info = WebPInfo(path: animation)
            #expect(info.isValid, "\(info.report)")
            #expect(info.report.contains("Canvas size \(picture.width) x \(picture.height)"), "\(info.report)")
            #expect(info.frameCount == expectedFrames, "\(info.report)")
            let durations = info.frameDurations
            #expect(durations.dropLast().allSatisfy { $0 == 80 } && durations.last == 1500, "\(durations)")
        } else {
            let info = StudioHarness.shell("gifsicle --info \(StudioHarness.quote(animation))")
            #expect(info.status == 0, "\(info.output)")
            #expect(info.output.contains("\(expectedFrames) images"), "\(info.output)")
            #expect(info.output.contains("logical screen \(picture.width)x\(picture.height)"), "\(info.output)")
            #expect(info.output.contains("loop forever"), "\(info.output)")
            let delays = info.output.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "delay ") else { return nil }
                return String(line[range.upperBound...].prefix { $0 != " " })
            }
            #expect(delays == ["0.08s", "0.08s", "0.08s", "1.50s"], "\(delays)")
            // Each frame has its own palette of up to 256 colours and covers the whole canvas.
            #expect(info.output.split(separator: "\n").filter { $0.contains("local color table") }.count == expectedFrames)
        }
        // Written atomically: nothing but the outputs in the folder.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a time-lapse with an unknown extension or into a missing folder is refused before any work")
    func timelapseBadPaths() {
        let images = StudioHarness.images
        for (path, problem) in [(directory + "/run.mp4", ".webp or .gif"), (directory + "/missing/run.gif", "does not exist")] {
            let result = run(["render", "--content", images.content, "--style", images.style, "--size", "64",
                              "--iterations", "2", "--timelapse", path, "--output", directory + "/run.png"])
            #expect(result.status != 0)
            #expect(result.output.contains(problem), "\(result.output)")
            #expect(!result.output.contains("iter "), "no work was done: \(result.output)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/run.png"))
        }
    }

    @Test("a 2x2 sweep writes 4 results, 4 manifests and a contact sheet; a re-run skips all 4; --list and GNU parallel do what is left",
          .timeLimit(.minutes(5)))
    func sweep() throws {
        let images = StudioHarness.images
        let folder = directory + "/sweep"
        let arguments = ["sweep", "--content", images.content, "--style", images.style, "--size", "64", "--iterations", "4",
                         "--style-weight", "10,1000", "--content-weight", "1,20", "--output", folder]
        let first = run(arguments)
        #expect(first.status == 0, "\(first.output)")
        let results = try files(folder, ending: ".png").filter { $0 != "contact-sheet.png" }
        let manifests = try files(folder, ending: ".json")
        #expect(results.count == 4 && manifests.count == 4, "\(results) \(manifests)")
        #expect(results.contains("1_content-weight-1_style-weight-10.png"), "\(results)")
        let progress = first.output.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(progress.count == 4 && progress.allSatisfy { $0.contains("done") }, "\(first.output)")
        #expect(progress.dropLast().allSatisfy { $0.contains("ETA") })

        // Manifests: the settings of their cell, the inputs' and weights' sha256, version, losses, seconds.
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/4_content-weight-20_style-weight-1000.json"))) as! [String: Any]
        let request = manifest["request"] as! [String: Any]
        let objective = (request["settings"] as! [String: Any])["objective"] as! [String: Any]
        #expect((objective["styleWeight"] as! NSNumber).doubleValue == 1000)
        #expect((objective["contentWeight"] as! NSNumber).doubleValue == 20)
        #expect((request["iterations"] as! NSNumber).intValue == 4)
        #expect((request["content"] as! [String: Any])["sha256"] as? String == sha256(images.content))
        #expect((request["style"] as! [String: Any])["sha256"] as? String == sha256(images.style))
        #expect((request["weights"] as! [String: Any])["sha256"] as? String == sha256(StudioHarness.weightsPath))
        #expect(manifest["version"] is String)
        let losses = manifest["losses"] as! [String: Any]
        #expect((losses["total"] as! NSNumber).doubleValue > 0)
        #expect((manifest["seconds"] as! NSNumber).doubleValue > 0)

        // The contact sheet: a 2x2 grid with labels.
        let sheet = try ImageFile.read(path: folder + "/contact-sheet.png")
        // Two 160 px columns with 8 px margins; two rows of 160x120 pictures (tubingen is 4:3) and two label lines.
        #expect(sheet.width == 8 + 2 * (160 + 8), "\(sheet.width)x\(sheet.height)")
        #expect(sheet.height > 2 * (120 + 2 * 10) && sheet.height < 2 * (160 + 2 * 20), "\(sheet.width)x\(sheet.height)")
        let black = stride(from: 0, to: sheet.pixels.count, by: 3).filter { sheet.pixels[$0] == 0 && sheet.pixels[$0 + 1] == 0 }
        #expect(black.count > 200, "label ink: \(black.count) black pixels")

        // A re-run skips every cell and leaves the results alone.
        let modified = try FileManager.default.attributesOfItem(atPath: folder + "/" + results[0])[.modificationDate] as! Date
        let second = run(arguments)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.split(separator: "\n").filter { $0.contains("skipped") }.count == 4, "\(second.output)")
        #expect(try FileManager.default.attributesOfItem(atPath: folder + "/" + results[0])[.modificationDate] as! Date == modified)
        let nothingLeft = run(arguments + ["--list"])
        #expect(nothingLeft.status == 0)
        #expect(!nothingLeft.output.contains("stylestudio render"), "\(nothingLeft.output)")

        // Two cells lost (an interrupted sweep): --list prints exactly their commands, and GNU parallel runs them.
        for name in ["2_content-weight-1_style-weight-1000", "3_content-weight-20_style-weight-10"] {
            try FileManager.default.removeItem(atPath: folder + "/\(name).json")
            try FileManager.default.removeItem(atPath: folder + "/\(name).png")
        }
        let listed = StudioHarness.shell(([StudioHarness.quote(StudioHarness.binary)] + (arguments + ["--list"]).map(StudioHarness.quote))
            .joined(separator: " ") + " 2>/dev/null")
        let commands = listed.output.split(separator: "\n")
        #expect(commands.count == 2, "\(listed.output)")
        #expect(commands.allSatisfy { $0.hasPrefix("stylestudio render ") && $0.contains("--manifest") })
        #expect(commands.first?.contains("2_content-weight-1_style-weight-1000") == true)
        try listed.output.write(toFile: directory + "/cells.txt", atomically: true, encoding: .utf8)
        let binFolder = (StudioHarness.binary as NSString).deletingLastPathComponent
        let parallel = StudioHarness.shell("PATH=\(StudioHarness.quote(binFolder)):$PATH parallel --will-cite -j 2 "
                                           + "< \(StudioHarness.quote(directory + "/cells.txt"))")
        #expect(parallel.status == 0, "\(parallel.output)")
        #expect(try files(folder, ending: ".json").count == 4)
        let after = run(arguments + ["--list"])
        #expect(!after.output.contains("stylestudio render"), "\(after.output)")
    }

    @Test("a sweep with a bad value in a list is refused with one line before any cell runs")
    func sweepBadValue() {
        let images = StudioHarness.images
        let result = run(["sweep", "--content", images.content, "--style", images.style, "--size", "64",
                          "--style-weight", "10,lots", "--output", directory + "/bad"])
        #expect(result.status != 0)
        #expect(result.output.contains("lots"), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 1, "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/bad"))
    }

    @Test("a batch with one broken photo renders the others, reports the broken one, and exits with the number failed",
          .timeLimit(.minutes(3)))
    func batchWithBrokenPhoto() throws {
        let images = StudioHarness.images
        let photos = directory + "/photos"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: images.content, toPath: photos + "/a_tubingen.png")
        try FileManager.default.copyItem(atPath: StudioHarness.repositoryRoot + "/Assets/content/chelsea_cat.png",
                                         toPath: photos + "/c_cat.png")
        // b_broken.png: the first 2000 bytes of a real PNG.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: images.content)).prefix(2000)
        try bytes.write(to: URL(fileURLWithPath: photos + "/b_broken.png"))
        try "not a photo".write(toFile: photos + "/notes.txt", atomically: true, encoding: .utf8)

        let output = directory + "/out"
        let result = run(["render", "--content", photos, "--style", images.style, "--size", "64", "--iterations", "3",
                          "--output", output])
        #expect(result.status == 1, "\(result.output)")
        let lines = result.output.split(separator: "\n")
        let progress = lines.filter { $0.hasPrefix("[") }
        #expect(progress.count == 3, "\(result.output)")
        #expect(progress[1].contains("b_broken.png") && progress[1].contains("FAILED") && progress[1].contains("truncated"),
                "\(result.output)")
        #expect(progress[0].contains("ETA") && progress[1].contains("ETA"))
        #expect(try files(output, ending: ".png") == ["a_tubingen.png", "c_cat.png"])
        #expect(try files(output, ending: ".json") == ["a_tubingen.json", "c_cat.json"])
        #expect(try ImageFile.read(path: output + "/c_cat.png").width == 64)

        // --content repeated works the same way; all good: exit 0.
        let again = run(["render", "--content", photos + "/a_tubingen.png", "--content", photos + "/c_cat.png",
                         "--style", images.style, "--size", "64", "--iterations", "2", "--output", directory + "/out2"])
        #expect(again.status == 0, "\(again.output)")
        #expect(try files(directory + "/out2", ending: ".png") == ["a_tubingen.png", "c_cat.png"])
    }
}
