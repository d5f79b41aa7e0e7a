/// Whether the terminal shows sixel or kitty images, from the environment (a query would have to go
/// through curses' input): `STYLESTUDIO_GRAPHICS=sixel|kitty|none` decides; otherwise known terminals.
public enum GraphicsDetection {
    public static func detect(environment: [String: String]) -> GraphicsProtocol? {
        switch environment["STYLESTUDIO_GRAPHICS"]?.lowercased() {
        case "sixel": return .sixel
        case "kitty": return .kitty
        case "none", "off", "symbols": return nil
        default: break
        }
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
