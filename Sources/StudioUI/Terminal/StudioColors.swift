/// Whether a colour number is used as the text or the background of a cell.
enum ColorRole {
    case foreground
    case background
}

/// The studio paints its own background and text colour instead of using the terminal's defaults, so every
/// text keeps the contrast it was designed with on dark and light terminal themes alike (a light theme's
/// black default text on the dark header bar, or yellow on white, was unreadable).
extension UIColor {
    /// The background of everything not otherwise coloured, and the colour of plain text.
    static let canvasRGB: Int32 = 0x1C1C1C
    static let textRGB: Int32 = 0xD0D0D0

    /// The colour number to draw with as `role` on a terminal of `depth`; the terminal's default (-1) only
    /// on monochrome terminals, which have no other.
    func number(for depth: ColorDepth, as role: ColorRole) -> Int32 {
        switch (self, depth) {
        case (_, .monochrome): return -1
        case (.standard, _): return Self.standardNumber(for: depth, as: role)
        // Bright black is black with 8 colours: grey text becomes plain white there, the bars black.
        case (.muted, .eight): return 7
        case (.panel, .eight): return 0
        case (.panel, .sixteen): return 8
        default: return number(for: depth)
        }
    }

    /// Plain text and background as colour numbers for `depth` (what -1, "default", stands for).
    static func standardNumber(for depth: ColorDepth, as role: ColorRole) -> Int32 {
        let rgb = role == .foreground ? textRGB : canvasRGB
        switch depth {
        case .monochrome: return -1
        case .eight, .sixteen: return role == .foreground ? 7 : 0
        case .indexed256: return xterm256(rgb)
        case .direct: return rgb
        }
    }
}
