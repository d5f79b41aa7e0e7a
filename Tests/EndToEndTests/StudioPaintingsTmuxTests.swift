import Foundation
import TestSupport
import Testing

extension TmuxSuites {
    /// Several paintings in the real studio: `Y` adds one through the picker, its weight row changes the blend live,
    /// and a preset saved from the studio holds both paintings with their weights.
    @Suite("Studio in tmux: several paintings", .serialized)
    struct StudioPaintingsTmuxTests {
        @Test("Y adds a second painting through the picker, its row sets its weight, a saved preset holds both",
              .timeLimit(.minutes(4)))
        func addWeightAndSave() throws {
            let studio = try StudioHarness(columns: 160, rows: 48)
            defer { studio.cleanUp() }
            let wave = StudioHarness.repositoryRoot + "/Assets/style/great_wave.png"
            try studio.start(arguments: ["--size", "64"])
            try studio.waitFor("the first iterations", timeout: 120) { (StudioHarness.iteration(in: $0.text) ?? 0) >= 2 }
            let one = studio.capture()
            #expect(one.controlsText.contains("starry_ni") && one.controlsText.contains("the whole style"))

            studio.sendKeys("Y")
            try studio.waitFor("the picker in add mode", timeout: 10) { $0.text.contains("Add a painting to the blend") }
            studio.sendKeys("C-u")
            studio.tmux(["send-keys", "-t", studio.session, "-l", wave])
            studio.sendKeys("Enter")
            // Both rows with their shares: a capture can catch the controls half redrawn (seen under load: the new
            // row's name already there, its share not yet), so the whole of it is what is waited for.
            let added = try studio.waitFor("the second painting's row with the shares", timeout: 30) { screen in
                !screen.text.contains("Add a painting") && screen.controlsText.contains("great_wav")
                    && screen.controlsText.contains("50%")
            }
            #expect(added.text.contains("starry_night.png + great_wave.png"), "header:\n\(added.text)")
            // The new row has the focus: a decade down makes it 0.1 against 1, shown as its share.
            studio.sendKeys("<")
            try studio.waitFor("the new shares", timeout: 10) { $0.controlsText.contains(" 9%") && $0.controlsText.contains("91%") }
            // The run goes on with both paintings.
            let before = StudioHarness.iteration(in: studio.capture().text) ?? 0
            try studio.waitFor("iterations with the blend", timeout: 120) { (StudioHarness.iteration(in: $0.text) ?? 0) >= before + 2 }

            // Save as a preset from the studio: both paintings, both weights.
            studio.sendKeys("p")
            try studio.waitFor("the presets", timeout: 10) { $0.text.contains("Presets") }
            studio.sendKeys("s")
            try studio.waitFor("the name prompt", timeout: 10) { $0.text.contains("Save settings as preset") }
            studio.sendKeys("C-u")
            studio.tmux(["send-keys", "-t", studio.session, "-l", "two-mine"])
            studio.sendKeys("Enter")
            try studio.waitFor("the saved message", timeout: 10) { $0.text.contains("saved preset two-mine") }
            let text = try String(contentsOfFile: studio.directory + "/config/stylestudio/presets/two-mine.json", encoding: .utf8)
            #expect(text.contains("starry_night.png") && text.contains("great_wave.png"), "preset:\n\(text)")
            let blend = try #require(text.range(of: "\"style_blend\""), "preset:\n\(text)")
            let list = text[blend.upperBound...].prefix { $0 != "]" }.filter { !$0.isWhitespace }
            #expect(list == ":[1,0.1", "style_blend: \(list)")

            studio.sendKeys("Escape")  // the presets browser stays open after a save
            try studio.waitFor("the presets to close", timeout: 10) { !$0.text.contains("Enter load") }
            studio.sendKeys("q")
            let asked = try studio.waitFor("quit or the question", timeout: 10) { screen in
                screen.text.contains("Save result before quitting?") || studio.exitStatus != nil
            }
            if asked.text.contains("Save result before quitting?") { studio.sendKeys("n") }
            try studio.waitFor("the exit", timeout: 60) { _ in studio.exitStatus != nil }
            #expect(studio.exitStatus == 0)
            let unexpected = studio.stderr.split(separator: "\n").filter { !$0.contains("finishing the current iteration") }
            #expect(unexpected.isEmpty, "stderr: \(studio.stderr)")
        }
    }
}
