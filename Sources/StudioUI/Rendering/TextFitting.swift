/// Cutting text to a number of terminal cells.
public enum TextFitting {
    /// `text` cut to at most `width` cells (a wide character counts two); with `unicode` false every
    /// non-ASCII character becomes `?`, so a non-UTF-8 terminal never receives bytes it cannot show.
    public static func fit(_ text: String, width: Int, unicode: Bool) -> String {
        var result = ""
        var used = 0
        for scalar in text.unicodeScalars {
            var scalar = scalar
            if !unicode && !scalar.isASCII { scalar = "?" }
            if scalar.value < 32 || scalar.value == 127 { scalar = " " }
            let cells = unicode ? cellWidth(of: scalar) : 1
            if used + cells > width { break }
            used += cells
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// Terminal cells of one scalar: 0 for combining marks, 2 for East Asian wide ones and emoji, else 1.
    /// Under a UTF-8 locale the C library's `wcwidth` decides, the table ncursesw itself uses, so a line never
    /// takes more cells on screen than it was fitted to (a name one cell wider pushed the picker's frame).
    public static func cellWidth(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return 1 }
        let width = Curses.libraryCellWidth(of: scalar)
        if width >= 0 { return Int(width) }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
                                           0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
                                           0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                                           0x1F900...0x1F9FF, 0x20000...0x3FFFD]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// Cells `text` takes (as `fit` counts them).
    public static func width(of text: String, unicode: Bool) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            total + (unicode ? cellWidth(of: scalar) : 1)
        }
    }

    /// `text` cut or padded with spaces to exactly `width` cells.
    public static func padded(_ text: String, width: Int, unicode: Bool) -> String {
        let fitted = fit(text, width: width, unicode: unicode)
        return fitted + String(repeating: " ", count: max(width - self.width(of: fitted, unicode: unicode), 0))
    }

    /// `text` broken into lines of at most `width` cells (at spaces where it can), so a long message is shown whole.
    public static func wrapped(_ text: String, width: Int, unicode: Bool) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text).unicodeScalars[...]
        while !rest.isEmpty {
            // fit maps scalar to scalar (or drops what does not fit), so counts in scalars line up with `rest`.
            var line = Array(fit(String(String.UnicodeScalarView(rest)), width: width, unicode: unicode).unicodeScalars)
            if line.isEmpty { line = ["?"] }  // a character wider than the whole width
            var taken = line.count
            if taken < rest.count, let space = line.lastIndex(of: " "), space > 0 {
                line = Array(line[..<space])
                taken = space + 1
            }
            lines.append(String(String.UnicodeScalarView(line)))
            rest = rest.dropFirst(taken)
        }
        return lines
    }

    /// Keeps the end of `text` (paths): `…/dir/file.png`.
    public static func tail(_ text: String, width: Int, unicode: Bool) -> String {
        guard self.width(of: text, unicode: unicode) > width, width > 1 else { return fit(text, width: width, unicode: unicode) }
        let ellipsis = unicode ? "…" : "~"
        var scalars = Array(text.unicodeScalars)
        while !scalars.isEmpty && self.width(of: String(String.UnicodeScalarView(scalars)), unicode: unicode) > width - 1 {
            scalars.removeFirst()
        }
        return ellipsis + String(String.UnicodeScalarView(scalars))
    }
}
