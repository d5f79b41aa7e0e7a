import Foundation
import TestSupport
import Testing
@testable import ImageIO

/// The animation writers report the frames the file holds: libwebp merges a frame with no visible change into
/// the one before (the time-lapse of a run that has settled), so the count of frames added is not the file's.
/// The files are read back with Debian's own tools (webpinfo, gifsicle), not with this project's code.
@Suite("Animation writers count the frames they write")
struct AnimationWriterTests {
    static func gifImageCount(_ path: String) -> (valid: Bool, images: Int?, report: String) {
        let info = StudioHarness.shell("gifsicle --info \(StudioHarness.quote(path))")
        // "* run.gif 4 images": the first line names the file and its image count.
        let count = info.output.split(separator: "\n").first.flatMap { line -> Int? in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(where: { $0.hasPrefix("image") }), index > 0 else { return nil }
            return Int(words[index - 1])
        }
        return (info.status == 0, count, info.output)
    }

    @Test("WebP: a repeated frame is merged into the one before, the count says so and the timing is kept")
    func webpMergesRepeatedFrames() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("run.webp").path
        let first = randomImage(width: 24, height: 16, seed: 1), second = randomImage(width: 24, height: 16, seed: 2)
        let writer = try AnimationFileWriter(path: path, width: 24, height: 16)
        try writer.add(first, milliseconds: 80)
        try writer.add(first, milliseconds: 80)
        try writer.add(second, milliseconds: 1500)
        let written = try writer.finish()
        let info = WebPInfo(path: path)
        #expect(info.isValid && info.frameDurations == [160, 1500], "\(info.report)")
        #expect(written == info.frameCount)
    }

    @Test("WebP and GIF: different frames are all written and counted", arguments: ["webp", "gif"])
    func differentFramesAreAllCounted(_ format: String) throws {
        let folder = try TemporaryFolder()
        let path = folder.file("run." + format).path
        let writer = try AnimationFileWriter(path: path, width: 24, height: 16)
        for seed in 1...4 { try writer.add(randomImage(width: 24, height: 16, seed: UInt64(seed)), milliseconds: 80) }
        let written = try writer.finish()
        #expect(written == 4)
        if format == "webp" {
            let info = WebPInfo(path: path)
            #expect(info.isValid && info.frameDurations == [80, 80, 80, 80], "\(info.report)")
        } else {
            let info = Self.gifImageCount(path)
            #expect(info.valid && info.images == 4, "\(info.report)")
        }
    }

    @Test("GIF: a repeated frame is written again (giflib writes every frame it is given)")
    func gifKeepsRepeatedFrames() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("run.gif").path
        let frame = randomImage(width: 24, height: 16, seed: 1)
        let writer = try AnimationFileWriter(path: path, width: 24, height: 16)
        for _ in 0..<3 { try writer.add(frame, milliseconds: 80) }
        let written = try writer.finish()
        let info = Self.gifImageCount(path)
        #expect(info.valid && info.images == 3 && written == 3, "\(info.report)")
    }
}
