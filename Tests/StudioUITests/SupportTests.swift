import StudioCore
import Testing
@testable import StudioUI

@Suite("Apply throttle")
struct ApplyThrottleTests {
    @Test("the first change goes at once, rapid ones wait, the newest goes out after the interval")
    func throttling() {
        var throttle = ApplyThrottle(interval: 0.1)
        let a = StyleSettings(size: 128), b = StyleSettings(size: 256), c = StyleSettings(size: 512)
        #expect(throttle.submit(a, now: 0) == a)
        #expect(throttle.submit(b, now: 0.03) == nil)
        #expect(throttle.submit(c, now: 0.06) == nil)
        #expect(throttle.due(now: 0.09) == nil)
        #expect(throttle.due(now: 0.1) == c)
        #expect(throttle.due(now: 0.5) == nil)
        #expect(throttle.submit(a, now: 0.5) == a)
        #expect(throttle.submit(b, now: 0.52) == nil)
        #expect(throttle.flush(now: 0.53) == b)
        #expect(throttle.pending == nil)
    }
}

@Suite("Text fitting")
struct TextFittingTests {
    @Test("cut to width; non-ASCII becomes ? without UTF-8; control characters become spaces")
    func fitting() {
        #expect(TextFitting.fit("hello", width: 3, unicode: true) == "hel")
        #expect(TextFitting.fit("é▶x", width: 10, unicode: false) == "??x")
        #expect(TextFitting.fit("a\tb", width: 10, unicode: true) == "a b")
        #expect(TextFitting.fit("日本", width: 3, unicode: true) == "日")
        #expect(TextFitting.width(of: "日本a", unicode: true) == 5)
        #expect(TextFitting.padded("ab", width: 4, unicode: true) == "ab  ")
        #expect(TextFitting.tail("/very/long/path/file.png", width: 10, unicode: false) == "~/file.png")
    }
}

@Suite("Terminal capabilities")
struct CapabilityTests {
    @Test("graphics protocols from the environment; tmux never")
    func graphics() {
        #expect(GraphicsDetection.detect(environment: ["TERM": "xterm-kitty"]) == .kitty)
        #expect(GraphicsDetection.detect(environment: ["TERM": "foot"]) == .sixel)
        #expect(GraphicsDetection.detect(environment: ["TERM": "xterm-256color"]) == nil)
        #expect(GraphicsDetection.detect(environment: ["TERM": "xterm-kitty", "TMUX": "/tmp/x"]) == nil)
        #expect(GraphicsDetection.detect(environment: ["TERM": "xterm", "STYLESTUDIO_GRAPHICS": "sixel"]) == .sixel)
        #expect(GraphicsDetection.detect(environment: ["TERM": "xterm-kitty", "STYLESTUDIO_GRAPHICS": "none"]) == nil)
    }

    @Test("colour depth and preview mode from the number of colours")
    func depth() {
        #expect(ColorDepth(colors: 1 << 24) == .direct)
        #expect(ColorDepth(colors: 256) == .indexed256)
        #expect(ColorDepth(colors: 16) == .sixteen)
        #expect(ColorDepth(colors: 8) == .eight)
        #expect(ColorDepth(colors: 0) == .monochrome)
        #expect(PreviewColorMode(depth: .indexed256) == .indexed240)
        #expect(PreviewColorMode(depth: .monochrome) == .monochrome)
        // UI colours: direct colours never fall into 0…7 (ANSI colours on xterm-direct).
        #expect(UIColor.panel.number(for: .direct) >= 8)
        #expect(UIColor.xterm256(0x000000) == 16)
        #expect(UIColor.xterm256(0xFFFFFF) == 231)
        #expect(UIColor.xterm256(0x808080) == 244)
        #expect(UIColor.standard.number(for: .indexed256) == -1)
        #expect(UIColor.accent.number(for: .monochrome) == -1)
    }

    @Test("previews keep the image's aspect in cells twice as tall as wide")
    func geometry() {
        #expect(PreviewGeometry.fit(width: 100, height: 100, columns: 80, rows: 40) == (columns: 80, rows: 40))
        #expect(PreviewGeometry.fit(width: 200, height: 100, columns: 80, rows: 40) == (columns: 80, rows: 20))
        #expect(PreviewGeometry.fit(width: 100, height: 200, columns: 80, rows: 40) == (columns: 40, rows: 40))
        #expect(PreviewGeometry.fit(width: 1, height: 1000, columns: 80, rows: 40) == (columns: 1, rows: 40))
    }

    @Test("slider tracks put the knob where the column says")
    func track() {
        let parts = Glyphs.ascii.sliderTrack(width: 10, knobColumn: 3)
        #expect(parts.filled == "===" && parts.knob == "O" && parts.empty == "------")
        #expect(Glyphs.unicode.sliderTrack(width: 4, knobColumn: 9).empty.isEmpty)
    }
}
