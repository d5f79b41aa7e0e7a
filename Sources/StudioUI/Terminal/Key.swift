/// One key press, decoded from curses input into what the studio cares about.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// Ctrl plus a letter, lower case (`control("c")` is Ctrl-C).
    case control(Character)
    case function(Int)
}

/// A mouse event in screen cells (0-based).
public struct MouseInput: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case press
        /// Motion with the button held (xterm 1002 mode).
        case drag
        case release
        case wheelUp
        case wheelDown
    }

    public var column: Int
    public var row: Int
    public var action: Action

    public init(column: Int, row: Int, action: Action) {
        self.column = column
        self.row = row
        self.action = action
    }
}
