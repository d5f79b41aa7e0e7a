import Foundation
import ImageIO
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension TmuxSuites {
    /// The real `stylestudio` binary driven through tmux: it paints, reacts to keys, saves, quits, and always gives
    /// the terminal back. The binary is `$STYLESTUDIO_BIN` or `.build/release/stylestudio` (built before the tests run);
    /// the VGG19 weights must be installed (scripts/setup.sh). tmux runs on a private socket per test.
    @Suite("Studio in tmux", .serialized)
    struct StudioTmuxTests {
        @Test("paints, shows a slider change that the run uses, saves a PNG, quits with 0 and restores the terminal",
              .timeLimit(.minutes(4)))
        func paintTuneSaveQuit() throws {
            let studio = try StudioHarness(columns: 120, rows: 40)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "128"])

            // The preview: many coloured block glyphs and 24-bit colour SGRs; the iteration counter rises.
            let first = try studio.waitFor("the first iterations", timeout: 120) { screen in
                (StudioHarness.iteration(in: screen.text) ?? 0) >= 3
            }
            #expect(first.blockGlyphs > 300, "preview block glyphs: \(first.blockGlyphs)")
            #expect(first.ansi.contains("\u{1B}[38;2;"))
            #expect(first.text.contains("Controls"))
            let iterationBefore = StudioHarness.iteration(in: first.text) ?? 0
            // Past the first iterations, where L-BFGS still overshoots now and then.
            try studio.waitForIteration(max(iterationBefore + 2, 12), "the counter to rise", timeout: 90)

            // A slider change, visible at once: style weight 100 -> 1000 (one decade step), while paused so that the
            // log shows the old and the new weight at nearly the same image.
            studio.sendKeys("Down")
            try studio.waitFor("the style row to take the focus", timeout: 10) { $0.text.contains("›style") }
            studio.sendKeys("Space")
            try studio.waitFor("the run to pause", timeout: 60) { $0.text.contains("paused") }
            let linesBeforeChange = try studio.logLines()
            studio.sendKeys(">")
            try studio.waitFor("the new style weight on screen", timeout: 5) { $0.controlsText.contains(" 1000") }
            studio.sendKeys("Space")
            try studio.waitFor("iterations with the new weight", timeout: 60) { _ in
                ((try? studio.logLines().count) ?? 0) >= linesBeforeChange.count + 3
            }
            let lines = try studio.logLines()
            let before = lines[linesBeforeChange.count - 1], after = lines[linesBeforeChange.count]
            #expect(after.iteration == before.iteration + 1, "the run continues instead of restarting")
            // Weighted style = weight x raw style; the image moved by one step, so the raw loss changed a little.
            let styleRatio = after.style / before.style
            let contentRatio = after.content / max(before.content, 1e-12)
            #expect(styleRatio > 5 && styleRatio < 20, "style went \(before.style) -> \(after.style)")
            #expect(contentRatio > 0.2 && contentRatio < 5, "content went \(before.content) -> \(after.content)")
            #expect(lines.suffix(2).allSatisfy { abs($0.total - ($0.content + $0.style + $0.tv)) <= 1e-6 * abs($0.total) })

            // Key latency: each key flips a visible value (1000 <-> 1250); time until tmux shows it.
            var latencies: [Double] = []
            for index in 0..<13 {  // 13 keys: a median robust to a few slow round trips while other tests load the cores
                let (key, value) = index % 2 == 0 ? ("Right", " 1250") : ("Left", " 1000")
                let start = ContinuousClock.now
                studio.sendKeys(key)
                try studio.waitFor("\(value) after \(key)", timeout: 5, interval: 0.002) { $0.controlsText.contains(value) }
                latencies.append((ContinuousClock.now - start).milliseconds)
            }
            let median = latencies.sorted()[latencies.count / 2]
            // The harness's own cost: a key that changes nothing (Up on the top row) and one capture.
            studio.sendKeys("Up", "Up")
            var baselines: [Double] = []
            for _ in 0..<5 {
                let start = ContinuousClock.now
                studio.sendKeys("Up")
                _ = studio.capture()
                baselines.append((ContinuousClock.now - start).milliseconds)
            }
            let baseline = baselines.sorted()[baselines.count / 2]
            studio.sendKeys("Down")
            let inApp = studio.traceKeyLatencies()
            let inAppMedian = inApp.isEmpty ? 0 : inApp.sorted()[inApp.count / 2]
            print("key -> screen: tmux round trip median \(String(format: "%.1f", median)) ms of \(latencies.map { Int($0) }) "
                  + "(send-keys + one capture alone: \(String(format: "%.1f", baseline)) ms); "
                  + "in the studio (STYLESTUDIO_TRACE, key read -> refresh) median \(String(format: "%.2f", inAppMedian)) ms of \(inApp.count)")
            #expect(median < 250, "tmux round trip \(latencies)")
            #expect(!inApp.isEmpty && inAppMedian < 50, "in-app key latency \(inApp)")

            // Save: w, the default name, Enter; the PNG exists and decodes.
            studio.sendKeys("w")
            try studio.waitFor("the save prompt", timeout: 5) { $0.text.contains("result-0001.png") }
            studio.sendKeys("Enter")
            let saved = studio.directory + "/result-0001.png"
            try studio.waitFor("the saved file", timeout: 20) { _ in FileManager.default.fileExists(atPath: saved) }
            try studio.waitFor("the saved message", timeout: 5) { $0.text.contains("saved") }
            let image = try ImageFile.read(path: saved)
            #expect(max(image.width, image.height) == 128)

            // Quit: q asks when the result changed since the save (it keeps painting); n quits.
            try studio.quitWithoutSaving()
            #expect(studio.exitStatus == 0)
            #expect(studio.alternateScreenOn == false)
            // The one notice allowed: on a loaded machine the last iteration may take long enough to be announced.
            let unexpected = studio.stderr.split(separator: "\n").filter { !$0.contains("finishing the current iteration") }
            #expect(unexpected.isEmpty, "stderr: \(studio.stderr)")
        }

        @Test("60x20 shows the too-small message, growing shows the studio, SIGTERM exits and restores",
              .timeLimit(.minutes(3)))
        func smallScreenAndSigterm() throws {
            let studio = try StudioHarness(columns: 60, rows: 20)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "64"])
            // The whole message on one screen (curses may write a frame in pieces; under load a capture can fall between).
            let small = try studio.waitFor("the too-small message, down to its last line", timeout: 60) { screen in
                screen.text.contains("Terminal too small") && screen.text.contains("Enlarge the window")
            }
            #expect(small.text.contains("60x20"))
            #expect(small.text.contains("80x24"))
            studio.tmux(["resize-window", "-t", studio.session, "-x", "100", "-y", "30"])
            try studio.waitFor("the studio after growing", timeout: 20) { $0.text.contains("Controls") && !$0.text.contains("too small") }
            let pid = try #require(studio.appPID(), "the studio's process")
            kill(pid, SIGTERM)
            try studio.waitFor("the exit after SIGTERM", timeout: 20) { _ in studio.exitStatus != nil }
            #expect(studio.exitStatus == 128 + SIGTERM)
            #expect(studio.alternateScreenOn == false)
        }

        @Test("Ctrl-Z (SIGTSTP) gives the terminal back; on continue the studio redraws and paints on",
              .timeLimit(.minutes(3)))
        func suspendAndContinue() throws {
            let studio = try StudioHarness(columns: 100, rows: 32)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "64"])
            try studio.waitForIteration(2, timeout: 60)
            let pid = try #require(studio.appPID(), "the studio's process")
            kill(pid, SIGTSTP)
            try studio.waitFor("the normal screen while suspended", timeout: 10) { _ in studio.alternateScreenOn == false }
            kill(pid, SIGCONT)
            try studio.waitFor("the alternate screen again", timeout: 10) { _ in studio.alternateScreenOn == true }
            let back = try studio.waitFor("the studio redrawn", timeout: 10) { $0.text.contains("Controls") && $0.blockGlyphs > 100 }
            let iteration = StudioHarness.iteration(in: back.text) ?? 0
            try studio.waitFor("iterations after continuing", timeout: 60) { (StudioHarness.iteration(in: $0.text) ?? 0) > iteration }
            kill(pid, SIGTERM)
            try studio.waitFor("the exit", timeout: 20) { _ in studio.exitStatus != nil }
            #expect(studio.alternateScreenOn == false)
        }

        @Test("LANG=C and TERM=vt100: plain ASCII, no colour, still usable", .timeLimit(.minutes(3)))
        func asciiMonochrome() throws {
            let studio = try StudioHarness(columns: 80, rows: 24)
            defer { studio.cleanUp() }
            try studio.start(arguments: ["--size", "64"], language: "C", term: "vt100")
            let screen = try studio.waitForIteration(2, "iterations", timeout: 120)
            #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on a C-locale screen")
            #expect(!screen.ansi.contains("\u{1B}[38;2;") && !screen.ansi.contains("\u{1B}[38;5;"))
            #expect(screen.text.contains("Controls"))
            #expect(screen.text.contains("|"), "ASCII rules and sliders")
            studio.sendKeys("Down", "Right")
            try studio.waitFor("style 125", timeout: 5) { $0.controlsText.contains(" 125") }
            try studio.quitWithoutSaving(mustAsk: true)
            #expect(studio.exitStatus == 0)
            #expect(studio.alternateScreenOn == false)
        }
    }
}
