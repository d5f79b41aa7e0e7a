import Foundation
import ImageIO
import TestSupport
import Testing

extension TmuxSuites {
    /// The studio's time-lapse key in tmux: `t` starts a recording (the header says so), a settings change is
    /// recorded, `t` again writes an animated WebP in the working folder with one frame per few iterations.
    @Suite("Studio time-lapse in tmux", .serialized)
    struct StudioRecordingTmuxTests {
        @Test("t records a time-lapse across a settings change; t again writes a WebP", .timeLimit(.minutes(3)))
        func recordAndStop() throws {
            let studio = try StudioHarness(columns: 100, rows: 30)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "64"])
            try studio.waitForIteration(2, timeout: 120)

            studio.sendKeys("t")
            let recording = try studio.waitFor("the recording mark", timeout: 10) { $0.text.contains("● rec") }
            let startIteration = StudioHarness.iteration(in: recording.text) ?? 0
            try studio.waitFor("iterations while recording", timeout: 60) {
                (StudioHarness.iteration(in: $0.text) ?? 0) >= startIteration + 12
            }
            // Steer: the style weight one decade up, and paint on with it.
            studio.sendKeys("Down")
            try studio.waitFor("the style row", timeout: 10) { $0.text.contains("›style") }
            studio.sendKeys(">")
            try studio.waitFor("the new style weight", timeout: 10) { $0.controlsText.contains(" 1000") }
            let changed = StudioHarness.iteration(in: studio.capture().text) ?? 0
            try studio.waitForIteration(changed + 12, "iterations after the change", timeout: 60)

            studio.sendKeys("t")
            // The message and the header's mark gone, on one screen: a capture can come between the two redraws.
            let done = try studio.waitFor("the written message, the recording mark gone", timeout: 30) {
                $0.text.contains("frames)") && !$0.text.contains("● rec")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: studio.directory)
                .filter { $0.hasPrefix("stylestudio-timelapse-") }
            try #require(names.count == 1 && names[0].hasSuffix(".webp"), "\(names)")
            let info = WebPInfo(path: studio.directory + "/" + names[0])
            #expect(info.isValid, "\(info.report)")
            let frames = info.frameCount
            // At least 24 iterations at a frame every 5, plus the frame after the change: 5 or more frames taken.
            // The file may hold fewer (libwebp merges a frame with no visible change into the one before), but
            // the time shown is kept: 80 ms a frame taken, the last held 1.5 s.
            #expect(info.frameDurations.count == frames && info.frameDurations.reduce(0, +) >= 4 * 80 + 1500,
                    "\(info.frameDurations)")
            #expect(frames >= 2, "\(frames) frames")
            #expect(done.text.contains("(\(frames) frames)"), "\(done.text)")

            try studio.quitWithoutSaving()
            #expect(studio.exitStatus == 0)
        }
    }
}
