import CGD
import SafeIO

/// Text for image labels, drawn with libgd's built-in "small" bitmap font (6×13 px, ISO 8859-2, public domain).
/// Why libgd: its fonts are compiled into the library, so labels need no font files and look the same on every
/// machine; a hand-made bitmap font would be one more table to maintain. Only text rendering is used; the sheet
/// itself is composed in Swift.
///
/// libgd is opened on first use (`dlopen`), not linked: linking it loads its ~45 dependencies (HEIF, AVIF, TIFF,
/// X11, fontconfig, FreeType…) at every launch of every command, 4.9 ms of each start (an empty C program linked
/// with `-lgd` and without, `perf stat -r 100`), for labels only contact sheets draw. The module map still gives
/// the headers' types. Should the library be missing at run time (it comes with the headers the build needs),
/// labels are left blank at the font's size rather than stopping a sweep at its very end.
enum LabelFont {
    /// The small font's cell, as libgd 2 defines it.
    static let fallbackGlyphWidth = 6, fallbackLineHeight = 13

    static var glyphWidth: Int { LibGD.shared.map { Int($0.smallFont().pointee.w) } ?? fallbackGlyphWidth }
    static var lineHeight: Int { LibGD.shared.map { Int($0.smallFont().pointee.h) } ?? fallbackLineHeight }

    /// A coverage mask (true = ink) of one line of printable ASCII; other characters become '?'.
    static func mask(_ text: String) -> (width: Int, height: Int, ink: [Bool]) {
        let characters = text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? UInt8($0.value) : 63 }
        let width = max(1, characters.count * glyphWidth), height = lineHeight
        var ink = [Bool](repeating: false, count: width * height)
        guard let gd = LibGD.shared, let canvas = gd.createTrueColor(Int32(width), Int32(height)) else {
            return (width, height, ink)
        }
        defer { gd.destroy(canvas) }
        // A fresh true-colour image is black; draw white (0xFFFFFF) text on it.
        var bytes = characters + [0]
        bytes.withUnsafeMutableBufferPointer { gd.drawString(canvas, gd.smallFont(), 0, 0, $0.baseAddress, 0xFF_FFFF) }
        for y in 0..<height {
            for x in 0..<width where gd.trueColorPixel(canvas, Int32(x), Int32(y)) & 0xFF_FFFF != 0 {
                ink[y * width + x] = true
            }
        }
        return (width, height, ink)
    }
}

/// The five libgd functions labels use, looked up once in the library opened at first use (nil: not found).
private struct LibGD: @unchecked Sendable {
    /// gdImageCreateTrueColor(int sx, int sy)
    let createTrueColor: @convention(c) (Int32, Int32) -> gdImagePtr?
    /// gdImageDestroy(gdImagePtr im)
    let destroy: @convention(c) (gdImagePtr) -> Void
    /// gdFontGetSmall(void)
    let smallFont: @convention(c) () -> gdFontPtr
    /// gdImageString(gdImagePtr im, gdFontPtr f, int x, int y, unsigned char *s, int color)
    let drawString: @convention(c) (gdImagePtr, gdFontPtr, Int32, Int32, UnsafeMutablePointer<UInt8>?, Int32) -> Void
    /// gdImageGetTrueColorPixel(gdImagePtr im, int x, int y)
    let trueColorPixel: @convention(c) (gdImagePtr, Int32, Int32) -> Int32

    static let shared: LibGD? = {
        guard let library = try? SharedLibrary(firstOf: ["libgd.so.3", "libgd.so"]),
              let createTrueColor: @convention(c) (Int32, Int32) -> gdImagePtr? = library.function("gdImageCreateTrueColor"),
              let destroy: @convention(c) (gdImagePtr) -> Void = library.function("gdImageDestroy"),
              let smallFont: @convention(c) () -> gdFontPtr = library.function("gdFontGetSmall"),
              let drawString: @convention(c) (gdImagePtr, gdFontPtr, Int32, Int32, UnsafeMutablePointer<UInt8>?, Int32) -> Void
                = library.function("gdImageString"),
              let trueColorPixel: @convention(c) (gdImagePtr, Int32, Int32) -> Int32 = library.function("gdImageGetTrueColorPixel")
        else { return nil }
        return LibGD(createTrueColor: createTrueColor, destroy: destroy, smallFont: smallFont, drawString: drawString,
                     trueColorPixel: trueColorPixel)
    }()
}
