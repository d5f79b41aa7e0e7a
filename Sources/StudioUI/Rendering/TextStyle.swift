/// How many colours the terminal shows, as ncurses reports it.
public enum ColorDepth: Hashable, Sendable, Comparable {
    case monochrome
    case eight
    case sixteen
    case indexed256
    /// 24-bit: colour numbers are 0xRRGGBB (`COLORS >= 2^24`, e.g. TERM=xterm-direct).
    case direct

    public init(colors: Int) {
        switch colors {
        case (1 << 24)...: self = .direct
        case 256...: self = .indexed256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .monochrome
        }
    }
}

/// The studio's own colours, resolved to the terminal's depth when drawn.
public enum UIColor: Hashable, Sendable {
    case standard
    case muted
    case accent
    case highlight
    case good
    case bad
    case series(LossSeries)
    case panel
    case selection

    /// 0xRRGGBB for direct colour; nil means the terminal's default.
    var rgb: Int32? {
        switch self {
        case .standard: nil
        case .muted: 0x8A8A8A
        case .accent: 0x5FAFD7
        case .highlight: 0xFFD75F
        case .good: 0x87D787
        case .bad: 0xFF5F5F
        case .series(.total): 0xF0F0F0
        case .series(.content): 0x5FAFFF
        case .series(.style): 0xFF87AF
        case .series(.totalVariation): 0xAFD75F
        case .panel: 0x262626
        case .selection: 0x3A4A5A
        }
    }

    /// ANSI colour 0…7 (plus 8 for bright) for 8/16-colour terminals; nil means default.
    var ansi: Int32? {
        switch self {
        case .standard: nil
        case .muted: 8
        case .accent: 6
        case .highlight: 3
        case .good: 2
        case .bad: 1
        case .series(.total): 7
        case .series(.content): 4
        case .series(.style): 5
        case .series(.totalVariation): 2
        case .panel: nil
        case .selection: 4
        }
    }

    /// The colour number for a terminal of `depth` (-1: default).
    func number(for depth: ColorDepth) -> Int32 {
        switch depth {
        case .monochrome: return -1
        case .eight: return ansi.map { $0 & 7 } ?? -1
        case .sixteen: return ansi ?? -1
        case .indexed256: return rgb.map(Self.xterm256) ?? -1
        case .direct: return rgb.map { max($0, 8) } ?? -1
        }
    }

    /// Nearest colour of the xterm 6×6×6 cube or grey ramp (indices 16…255).
    static func xterm256(_ rgb: Int32) -> Int32 {
        let red = Int((rgb >> 16) & 0xFF), green = Int((rgb >> 8) & 0xFF), blue = Int(rgb & 0xFF)
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ value: Int) -> Int { levels.indices.min { abs(levels[$0] - value) < abs(levels[$1] - value) }! }
        let (r, g, b) = (cubeIndex(red), cubeIndex(green), cubeIndex(blue))
        let cube = 16 + 36 * r + 6 * g + b
        let cubeDistance = [(levels[r], red), (levels[g], green), (levels[b], blue)].map { ($0.0 - $0.1) * ($0.0 - $0.1) }.reduce(0, +)
        let average = (red + green + blue) / 3
        let greyStep = min(max((average - 8 + 5) / 10, 0), 23)
        let grey = 8 + 10 * greyStep
        let greyDistance = [red, green, blue].map { (grey - $0) * (grey - $0) }.reduce(0, +)
        return Int32(greyDistance < cubeDistance ? 232 + greyStep : cube)
    }
}

/// Colour and attributes of a run of text.
public struct TextStyle: Hashable, Sendable {
    public var foreground: UIColor
    public var background: UIColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(_ foreground: UIColor = .standard, background: UIColor = .standard, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = TextStyle()
}
