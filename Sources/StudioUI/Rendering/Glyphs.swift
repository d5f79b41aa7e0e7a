/// The characters the studio draws with: Unicode where the locale is UTF-8, plain ASCII otherwise.
public struct Glyphs: Hashable, Sendable {
    public var trackFilled: Character
    public var trackEmpty: Character
    public var knob: Character
    public var decrease: Character
    public var increase: Character
    public var checked: String
    public var unchecked: String
    public var separator: String
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var running: String
    public var paused: String
    public var stopped: String
    public var preparing: String
    public var failed: String
    public var idle: String
    public var directory: String
    public var pointer: String

    public static let unicode = Glyphs(
        trackFilled: "━", trackEmpty: "─", knob: "●", decrease: "◂", increase: "▸", checked: "[■]", unchecked: "[ ]",
        separator: " │ ", horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", running: "▶ running", paused: "❚❚ paused", stopped: "■ stopped", preparing: "… ",
        failed: "✗ failed", idle: "· idle", directory: "▸ ", pointer: "›")

    public static let ascii = Glyphs(
        trackFilled: "=", trackEmpty: "-", knob: "O", decrease: "<", increase: ">", checked: "[x]", unchecked: "[ ]",
        separator: " | ", horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", running: "> running", paused: "|| paused", stopped: "# stopped", preparing: ".. ",
        failed: "x failed", idle: ". idle", directory: "> ", pointer: ">")

    public static func forTerminal(unicode: Bool) -> Glyphs { unicode ? .unicode : .ascii }

    /// A slider track `width` cells wide with the knob at `knobColumn`: (filled part, knob, empty part).
    public func sliderTrack(width: Int, knobColumn: Int) -> (filled: String, knob: String, empty: String) {
        guard width > 0 else { return ("", "", "") }
        let knobColumn = min(max(knobColumn, 0), width - 1)
        return (String(repeating: trackFilled, count: knobColumn), String(knob),
                String(repeating: trackEmpty, count: width - knobColumn - 1))
    }
}
