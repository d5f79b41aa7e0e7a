import CGD

/// Text for image labels, drawn with libgd's built-in "small" bitmap font (6×13 px, ISO 8859-2, public domain).
/// Why libgd: its fonts are compiled into the library, so labels need no font files, no FreeType and no
/// fontconfig at run time, and look the same on every machine; a hand-made bitmap font would be one more table
/// to maintain. Only text rendering is used; the sheet itself is composed in Swift.
enum LabelFont {
    static var glyphWidth: Int { Int(gdFontGetSmall().pointee.w) }
    static var lineHeight: Int { Int(gdFontGetSmall().pointee.h) }

    /// A coverage mask (true = ink) of one line of printable ASCII; other characters become '?'.
    static func mask(_ text: String) -> (width: Int, height: Int, ink: [Bool]) {
        let characters = text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? UInt8($0.value) : 63 }
        let width = max(1, characters.count * glyphWidth), height = lineHeight
        guard let canvas = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            return (width, height, [Bool](repeating: false, count: width * height))
        }
        defer { gdImageDestroy(canvas) }
        // A fresh true-colour image is black; draw white (0xFFFFFF) text on it.
        var bytes = characters + [0]
        bytes.withUnsafeMutableBufferPointer { gdImageString(canvas, gdFontGetSmall(), 0, 0, $0.baseAddress, 0xFF_FFFF) }
        var ink = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width where gdImageGetTrueColorPixel(canvas, Int32(x), Int32(y)) & 0xFF_FFFF != 0 {
                ink[y * width + x] = true
            }
        }
        return (width, height, ink)
    }
}
