import Foundation
import Testing
@testable import StudioCore

@Suite("Manifest: every painting")
struct ManifestPaintingsTests {
    @Test("a manifest records every painting with its weight; requests differ when a painting or weight does")
    func everyPainting() throws {
        let folder = NSTemporaryDirectory() + "manifest-paintings-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["c.png", "a.png", "b.png", "w.bin"] {
            try name.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        var settings = StyleSettings(size: 64)
        settings.objective.styleBlend = [0.7, 0.3]
        let request = try RunManifest.Request(contentPath: folder + "/c.png", stylePaths: [folder + "/a.png", folder + "/b.png"],
                                              weightsPath: folder + "/w.bin", settings: settings, iterations: 3)
        #expect(request.styles?.map(\.path) == [folder + "/a.png", folder + "/b.png"])
        #expect(request.styles?.map(\.weight) == [0.7, 0.3])
        #expect(request.style.path == folder + "/a.png")
        #expect(request.styles?[1].sha256 == (try FileDigest.sha256(path: folder + "/b.png")))
        let json = String(decoding: try RunManifest(output: folder + "/r.png", request: request,
                                                    losses: LossTerms(content: 1, style: 2, totalVariation: 3),
                                                    seconds: 1, width: 64, height: 48).encoded(), as: UTF8.self)
        #expect(json.contains("\"weight\" : 0.7") && json.contains("b.png"))
        #expect(request.matches(request))
        var other = settings
        other.objective.styleBlend = [0.3, 0.7]
        let swapped = try RunManifest.Request(contentPath: folder + "/c.png", stylePaths: [folder + "/b.png", folder + "/a.png"],
                                              weightsPath: folder + "/w.bin", settings: other, iterations: 3)
        #expect(!request.matches(swapped))
        // One painting: weight 1, and it matches a manifest written before paintings were listed.
        let single = try RunManifest.Request(contentPath: folder + "/c.png", stylePath: folder + "/a.png",
                                             weightsPath: folder + "/w.bin", settings: StyleSettings(size: 64), iterations: 3)
        #expect(single.styles?.map(\.weight) == [1])
        var old = single
        old.styles = nil
        #expect(single.matches(old))
    }
}
