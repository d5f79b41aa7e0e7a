/// Whether the terminal shows sixel or kitty images, from the environment (a query would have to go
/// through curses' input): `STYLESTUDIO_GRAPHICS=sixel|kitty|none` decides; otherwise known terminals.
/// `TerminalProfile` asks chafa's terminal database first and uses this for what the database misses.
public enum GraphicsDetection {
    /// `STYLESTUDIO_GRAPHICS`, when set to something it understands (`protocol` nil: none).
    static func forced(environment: [String: String]) -> (protocol: GraphicsProtocol?, Void)? {
        switch environment["STYLESTUDIO_GRAPHICS"]?.lowercased() {
        case "sixel": return (.sixel, ())
        case "kitty": return (.kitty, ())
        case "none", "off", "symbols": return (nil, ())
        default: return nil
        }
    }

    public static func detect(environment: [String: String]) -> GraphicsProtocol? {
        if let forced = forced(environment: environment) { return forced.protocol }
        // tmux (3.3a here) passes neither protocol through.
        if environment["TMUX"] != nil { return nil }
        let term = environment["TERM"] ?? ""
        let program = environment["TERM_PROGRAM"] ?? ""
        if term == "xterm-kitty" || environment["KITTY_WINDOW_ID"] != nil || program == "ghostty" || term == "xterm-ghostty" {
            return .kitty
        }
        if program == "WezTerm" || program == "mintty" || program == "iTerm.app" { return .sixel }
        if ["foot", "mlterm", "yaft", "contour"].contains(where: { term.hasPrefix($0) }) { return .sixel }
        return nil
    }
}
