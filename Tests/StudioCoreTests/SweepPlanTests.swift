import Foundation
import ImageIO
@testable import StudioCore
import TestSupport
import Testing

@Suite("Sweep plans, time-lapse frames, manifests")
struct SweepPlanTests {
    @Test("every combination, first axis slowest, named and labelled by what differs")
    func combinations() {
        let plan = SweepPlan(axes: [
            .init(flag: "--content", values: ["/photos/a.png", "/photos/b.jpg"], isPath: true),
            .init(flag: "--style", values: ["/art/s.png"], isPath: true),
            .init(flag: "--style-weight", values: ["10", "100", "1000"]),
            .init(flag: "--seed", values: []),
        ], folder: "/out")
        #expect(plan.cells.count == 6)
        #expect(plan.columns == 3)
        #expect(plan.cells.map(\.name) == [
            "1_content-a.png_style-weight-10", "2_content-a.png_style-weight-100", "3_content-a.png_style-weight-1000",
            "4_content-b.jpg_style-weight-10", "5_content-b.jpg_style-weight-100", "6_content-b.jpg_style-weight-1000",
        ])
        #expect(plan.cells[4].labels == ["content b.jpg", "style-weight 100"])
        #expect(plan.cells[4].arguments == ["--content", "/photos/b.jpg", "--style", "/art/s.png", "--style-weight", "100",
                                            "--output", "/out/5_content-b.jpg_style-weight-100.png",
                                            "--manifest", "/out/5_content-b.jpg_style-weight-100.json"])
    }

    @Test("one varying axis: a near-square sheet; nothing varying: one cell named by its number")
    func shapes() {
        let five = SweepPlan(axes: [.init(flag: "--seed", values: ["1", "2", "3", "4", "5"])], folder: "d")
        #expect(five.columns == 3)
        #expect(five.cells.map(\.name).first == "1_seed-1")
        let single = SweepPlan(axes: [.init(flag: "--size", values: ["64"])], folder: "d")
        #expect(single.cells.map(\.name) == ["1"])
        #expect(single.cells[0].labels.isEmpty)
        let twelve = SweepPlan(axes: [.init(flag: "--seed", values: (1...12).map(String.init))], folder: "d")
        #expect(twelve.cells.first?.name == "01_seed-1")
    }

    @Test("names keep only safe characters")
    func slugs() {
        #expect(SweepPlan.slug("style-layers block1_conv1:0.5,block2_conv1") == "style-layers-block1_conv1-0.5-block2_conv1")
        #expect(SweepPlan.slug(String(repeating: "x", count: 200)).count == 80)
    }

    @Test("time-lapse frames: the first, then every K, and again after a restart")
    func frameRule() throws {
        let folder = try TemporaryFolder()
        let timelapse = try Timelapse(path: folder.file("rule.gif").path, every: 5)
        #expect(timelapse.isDue(iteration: 0))
        let frame = RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 128, count: 12))
        try timelapse.capture(frame, iteration: 0)
        #expect((1...4).allSatisfy { !timelapse.isDue(iteration: $0) })
        #expect(timelapse.isDue(iteration: 5))
        try timelapse.capture(frame, iteration: 5)
        #expect(!timelapse.isDue(iteration: 7))
        #expect(timelapse.isDue(iteration: 2), "a restart counts from 0 again")
        #expect(try timelapse.finish(final: nil, iteration: nil) == 2, "the two frames taken (a GIF keeps repeats)")
    }

    @Test("bad time-lapse paths and intervals are refused at once")
    func badTimelapses() {
        #expect(throws: TimelapseError.self) { try Timelapse(path: NSTemporaryDirectory() + "x.mp4") }
        #expect(throws: TimelapseError.self) { try Timelapse(path: "/no/such/folder/x.webp") }
        #expect(throws: TimelapseError.self) { try Timelapse(path: NSTemporaryDirectory() + "x.webp", every: 0) }
        #expect(throws: TimelapseError.self) { try Timelapse(path: NSTemporaryDirectory()) }
    }

    @Test("a manifest reads back as written; requests match on content and settings, not paths")
    func manifestRoundTrip() throws {
        let folder = NSTemporaryDirectory() + "manifest-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in [("c.png", "content"), ("s.png", "style"), ("w.bin", "weights"), ("copy.png", "content")] {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let request = try RunManifest.Request(contentPath: folder + "/c.png", stylePath: folder + "/s.png",
                                              weightsPath: folder + "/w.bin", settings: StyleSettings(size: 64), iterations: 3)
        // sha256("content"), computed independently (coreutils sha256sum).
        #expect(request.content.sha256 == "ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73")
        let manifest = RunManifest(output: folder + "/r.png", request: request,
                                   losses: LossTerms(content: 1, style: 2, totalVariation: 3), seconds: 1.5, width: 64, height: 48)
        try manifest.write(to: folder + "/r.json")
        #expect(RunManifest.read(from: folder + "/r.json") == manifest)
        let moved = try RunManifest.Request(contentPath: folder + "/copy.png", stylePath: folder + "/s.png",
                                            weightsPath: folder + "/w.bin", settings: StyleSettings(size: 64), iterations: 3)
        #expect(moved.matches(request))
        var other = moved
        other.settings.objective.styleWeight = 1000
        #expect(!other.matches(request))
        other = moved
        other.iterations = 4
        #expect(!other.matches(request))
        #expect(RunManifest.read(from: folder + "/missing.json") == nil)
    }
}
