import Foundation
import ImageIO
import TestSupport
import Testing

extension TmuxSuites {
    /// The studio's "render final" action, driven in tmux: the dialog with its prediction, a render that is
    /// cancelled (nothing written, the live run resumes), and one that finishes with a file at the asked size.
    @Suite("Studio final render in tmux", .serialized)
    struct FinalRenderTmuxTests {
        @Test("f opens the dialog; a render can be cancelled; a finished one decodes at the requested size",
              .timeLimit(.minutes(6)))
        func renderFinalCancelAndFinish() throws {
            let studio = try StudioHarness(columns: 120, rows: 40)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "64"])
            try studio.waitForIteration(2, timeout: 120)
            #expect(studio.capture().text.contains("f final"), "the footer names the key")

            // The dialog: sizes, the predicted stages from the live image, memory and time.
            studio.sendKeys("f")
            // All of it on one screen: a capture can come while curses is still writing the dialog (under load, a
            // clean-clone CI caught its title without the lines below).
            try studio.waitFor("the dialog with its sizes and the prediction from the live image", timeout: 30) {
                $0.text.contains("Render final") && $0.text.contains("1024") && $0.text.contains("2048")
                    && $0.text.contains("from the live") && $0.text.contains("stage 1:") && $0.text.contains("MB")
            }
            // 64 → 192 px: stages of 111 and 192 px; a long budget, to cancel.
            studio.sendKeys("C-u", "192", "Tab", "300,300", "Tab", "C-u", "cancelled.png")
            try studio.waitFor("the two predicted stages", timeout: 10) { $0.text.contains("stage 2: 192×") }
            studio.sendKeys("Enter")
            // The footer follows the render (its line was once drawn at "planning" and never again).
            try studio.waitFor("the render's progress", timeout: 120) {
                $0.text.contains("final render → cancelled.png: stage 1/2") && $0.text.contains(" · it ")
            }
            let paused = try studio.waitFor("the live run paused", timeout: 60) { $0.text.contains("paused") }
            let liveIteration = StudioHarness.iteration(in: paused.text) ?? 0
            studio.sendKeys("f")
            try studio.waitFor("the cancellation", timeout: 120) { $0.text.contains("final render cancelled") }
            #expect(!FileManager.default.fileExists(atPath: studio.directory + "/cancelled.png"))
            try studio.waitFor("the live run resumed", timeout: 120) { (StudioHarness.iteration(in: $0.text) ?? 0) > liveIteration }

            // A short render to the end: two stages of 2 iterations, a file at 192 px.
            studio.sendKeys("f")
            try studio.waitFor("the dialog again", timeout: 10) { $0.text.contains("Render final") }
            studio.sendKeys("C-u", "192", "Tab", "2,2", "Tab", "C-u", "final.png", "Enter")
            try studio.waitFor("the saved render", timeout: 240) { $0.text.contains("final render saved") }
            let image = try ImageFile.read(URL(fileURLWithPath: studio.directory + "/final.png"))
            #expect(max(image.width, image.height) == 192)

            // Plain w still saves the working-size image, and says so.
            studio.sendKeys("w")
            try studio.waitFor("the save prompt", timeout: 10) { $0.text.contains("working size") }
            studio.sendKeys("Escape")
            try studio.quitWithoutSaving(mustAsk: true)
            #expect(studio.exitStatus == 0)
            #expect(studio.alternateScreenOn == false)
        }
    }
}
