import Foundation
import TestSupport
import Testing
@testable import ImageIO

/// The animation writers report the frames the file holds: libwebp merges a frame with no visible change into
/// the one before (the time-lapse of a run that has settled), so the count of frames added is not the file's.
@Suite("Animation writers count the frames they write")
struct AnimationWriterTests {
    /// The frames of an animated WebP read straight from its RIFF chunks (a twin of libwebpmux's count):
    /// each ANMF chunk's duration, in order.
    static func webpFrameDurations(_ bytes: [UInt8]) -> [Int] {
        func littleEndian(_ offset: Int, _ count: Int) -> Int {
            (0..<count).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8), Array(bytes[8..<12]) == Array("WEBP".utf8)
        else { return [] }
        var durations: [Int] = []
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = littleEndian(offset + 4, 4)
            // ANMF payload: X, Y, width − 1, height − 1 (3 bytes each), then the duration (3 bytes).
            if Array(bytes[offset..<offset + 4]) == Array("ANMF".utf8), offset + 8 + 15 <= bytes.count {
                durations.append(littleEndian(offset + 8 + 12, 3))
            }
            offset += 8 + size + size % 2
        }
        return durations
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
        #expect(writer.frameCount == 3, "frames added")
        try writer.finish()
        let durations = Self.webpFrameDurations(try bytes(of: URL(fileURLWithPath: path)))
        #expect(durations == [160, 1500])
        #expect(writer.frameCount == durations.count)
    }

    @Test("WebP and GIF: different frames are all written and counted", arguments: ["webp", "gif"])
    func differentFramesAreAllCounted(_ format: String) throws {
        let folder = try TemporaryFolder()
        let path = folder.file("run." + format).path
        let writer = try AnimationFileWriter(path: path, width: 24, height: 16)
        for seed in 1...4 { try writer.add(randomImage(width: 24, height: 16, seed: UInt64(seed)), milliseconds: 80) }
        try writer.finish()
        #expect(writer.frameCount == 4)
        if format == "webp" {
            #expect(Self.webpFrameDurations(try bytes(of: URL(fileURLWithPath: path))) == [80, 80, 80, 80])
        }
    }

    @Test("GIF: a repeated frame is written again (giflib writes every frame it is given)")
    func gifKeepsRepeatedFrames() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("run.gif").path
        let frame = randomImage(width: 24, height: 16, seed: 1)
        let writer = try AnimationFileWriter(path: path, width: 24, height: 16)
        for _ in 0..<3 { try writer.add(frame, milliseconds: 80) }
        try writer.finish()
        #expect(writer.frameCount == 3)
        // Debian's gifsicle (scripts/setup.sh installs it) reads the file back.
        let info = StudioHarness.shell("gifsicle --info \(StudioHarness.quote(path))")
        #expect(info.status == 0 && info.output.contains("3 images"), "\(info.output)")
    }
}
