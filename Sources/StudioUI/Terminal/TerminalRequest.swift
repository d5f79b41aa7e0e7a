/// What the user asked for with `--colors` and `--graphics` (`auto`: detect).
public struct TerminalRequest: Hashable, Sendable {
    public enum Colors: String, CaseIterable, Hashable, Sendable {
        case auto, truecolor
        case indexed256 = "256"
        case sixteen = "16"
        case eight = "8"
        case none

        /// The depth asked for; nil for `auto`.
        var depth: ColorDepth? {
            switch self {
            case .auto: nil
            case .truecolor: .direct
            case .indexed256: .indexed256
            case .sixteen: .sixteen
            case .eight: .eight
            case .none: .monochrome
            }
        }
    }

    public enum Graphics: String, CaseIterable, Hashable, Sendable {
        case auto, sixel, kitty, none
    }

    public var colors: Colors
    public var graphics: Graphics

    public init(colors: Colors = .auto, graphics: Graphics = .auto) {
        self.colors = colors
        self.graphics = graphics
    }

    /// How to get pixels through tmux, for the help overlay, the `g` message and `--help`.
    public static let tmuxAdvice =
        "tmux 3.3 passes no sixel/kitty images: run the studio outside tmux, or use tmux 3.4+ built with sixel and --graphics sixel"
}
