import CNcursesw
import Glibc

/// Input from the terminal, decoded.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    case mouse(MouseInput)
    case resize
}

/// Everything the studio does with ncurses. The only file that imports CNcursesw; `@MainActor`, because
/// curses is not thread-safe and one thread must own it.
@MainActor
final class Curses {
    /// Cells the C library's `wcwidth` gives `scalar` under the current locale (what ncursesw draws), or -1.
    nonisolated static func libraryCellWidth(of scalar: Unicode.Scalar) -> Int {
        Int(shim_wcwidth(wchar_t(bitPattern: scalar.value)))
    }

    let colorDepth: ColorDepth
    let unicode: Bool
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let pairLimit: Int32
    private var mouseButtonDown = false

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Starts curses on the controlling terminal (stdin/stdout). Throws when the terminal type is unknown.
    /// `profile` may name another terminfo entry than `$TERM` (24-bit colour) and cap the colours.
    init(unicode: Bool, profile: TerminalProfile) throws(TerminalError) {
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r") else {
            throw TerminalError(message: "cannot open the terminal")
        }
        let screen = profile.terminfoName.flatMap { newterm($0, output, input) } ?? newterm(nil, output, input)
        guard screen != nil, let window = shim_stdscr() else {
            let name = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError(message: "unknown terminal type TERM=\(name): set TERM to e.g. xterm-256color")
        }
        self.window = window
        self.unicode = unicode
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        // Home and End come in several dialects (xterm's application and normal modes, VT220's, rxvt's):
        // a TERM that does not match the terminal (TERM=xterm-* inside tmux, say) must not lose them.
        for sequence in ["\u{1B}[H", "\u{1B}OH", "\u{1B}[1~", "\u{1B}[7~"] where key_defined(sequence) == 0 {
            define_key(sequence, KEY_HOME)
        }
        for sequence in ["\u{1B}[F", "\u{1B}OF", "\u{1B}[4~", "\u{1B}[8~"] where key_defined(sequence) == 0 {
            define_key(sequence, KEY_END)
        }
        curs_set(0)
        set_escdelay(25)
        if has_colors() && profile.maximumDepth != .monochrome {
            start_color()
            colorDepth = min(ColorDepth(colors: Int(shim_colors())), profile.maximumDepth ?? .direct)
            use_default_colors()
        } else {
            colorDepth = .monochrome
        }
        pairLimit = Int32(min(max(Int(shim_color_pairs()), 1), 65_536) - 1)
        installBackground()
    }

    /// Erased cells get the studio's own colours (not the terminal theme's): the window's background is the
    /// plain-text pair, allocated first so that its number fits a chtype. (`assume_default_colors` would not
    /// do: ncurses then takes those colours for the terminal's defaults and stops sending them.)
    private func installBackground() {
        guard colorDepth != .monochrome else { return }
        let plain = pair(foreground: -1, background: -1)
        wbkgdset(window, chtype(UInt32(bitPattern: COLOR_PAIR(plain))) | chtype(32))
    }

    /// Sends ncurses' terminal restoration (leaves the alternate screen, shows the cursor, resets the tty).
    func end() {
        mousemask(0, nil)
        endwin()
    }

    /// A terminfo string capability, or nil where the terminal has none.
    static func capability(_ name: String) -> [UInt8]? {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return nil }
        return Array(String(cString: value).utf8)
    }

    var size: (columns: Int, rows: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        shim_getmaxyx(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    // MARK: - Input

    /// Enables clicks, wheel and drag reports (xterm 1002: motion while a button is held).
    func enableMouse() -> Bool {
        let wanted: mmask_t = 0x0FFF_FFFF | 0x1000_0000   // ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION
        let granted = mousemask(wanted, nil)
        mouseinterval(0)   // report press and release at once: no click detection delay
        return granted != 0
    }

    /// Waits up to `milliseconds` (0: just looks) for one input.
    func readInput(waitingUpTo milliseconds: Int32) -> TerminalInput? {
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return decodeFunctionKey(Int32(character)) }
        return .key(decodeCharacter(UInt32(character)))
    }

    private func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default: return .character(Unicode.Scalar(value).map(Character.init) ?? "?")
        }
    }

    private func decodeFunctionKey(_ code: Int32) -> TerminalInput? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_SLEFT: return .key(.shiftLeft)
        case KEY_SRIGHT: return .key(.shiftRight)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return decodeMouse()
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }

    private func decodeMouse() -> TerminalInput? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = UInt32(event.bstate)
        let action: MouseInput.Action
        if state & 0x0001_0000 != 0 {            // BUTTON4_PRESSED
            action = .wheelUp
        } else if state & 0x0020_0000 != 0 {     // BUTTON5_PRESSED
            action = .wheelDown
        } else if state & 0x2 != 0 {             // BUTTON1_PRESSED
            mouseButtonDown = true
            action = .press
        } else if state & 0x1 != 0 {             // BUTTON1_RELEASED
            mouseButtonDown = false
            action = .release
        } else if state & 0x4 != 0 {             // BUTTON1_CLICKED (when the terminal merges press and release)
            action = .press
        } else if state & 0x1000_0000 != 0 {     // REPORT_MOUSE_POSITION
            guard mouseButtonDown else { return nil }
            action = .drag
        } else {
            return nil
        }
        return .mouse(MouseInput(column: Int(event.x), row: Int(event.y), action: action))
    }

    // MARK: - Colour pairs

    /// Pairs still free before the table must be recycled.
    var freePairs: Int { Int(pairLimit - nextPair + 1) }

    /// Forgets every pair; cells already on screen must be redrawn (their pair numbers get new colours).
    /// Also clears ncurses' own table: redefining a pair that is still in use makes ncurses scan the whole
    /// screen for it (measured: 80 ms for a 120×47 truecolor preview), defining a cleared one does not.
    func resetPairs() {
        pairs.removeAll(keepingCapacity: true)
        nextPair = 1
        if colorDepth != .monochrome { reset_color_pairs() }
        installBackground()
    }

    /// A pair number for raw colour numbers (-1: the terminal's default). Recycles from 1 when the table is full.
    func pair(foreground: Int32, background: Int32) -> Int32 {
        if colorDepth == .monochrome { return 0 }
        // "Default" (-1, e.g. chafa's transparent cells) means the studio's own colours, never the theme's.
        let foreground = foreground < 0 ? UIColor.standardNumber(for: colorDepth, as: .foreground) : foreground
        let background = background < 0 ? UIColor.standardNumber(for: colorDepth, as: .background) : background
        let key = PairKey(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        if nextPair > pairLimit {
            // Only when a single frame needs more pairs than the terminal has (the renderer resets between frames).
            pairs.removeAll(keepingCapacity: true)
            nextPair = 1
        }
        let pair = nextPair
        nextPair += 1
        init_extended_pair(pair, foreground, background)
        pairs[key] = pair
        return pair
    }

    private func attributes(_ style: TextStyle) -> attr_t {
        var attributes = shim_A_NORMAL()
        if style.bold { attributes |= shim_A_BOLD() }
        if style.reverse { attributes |= shim_A_REVERSE() }
        if style.underline { attributes |= shim_A_UNDERLINE() }
        if style.dim { attributes |= shim_A_DIM() }
        return attributes
    }

    private func pair(for style: TextStyle) -> Int32 {
        pair(foreground: style.foreground.number(for: colorDepth, as: .foreground),
             background: style.background.number(for: colorDepth, as: .background))
    }

    // MARK: - Drawing

    /// Draws `text` at (row, column), cut to `width` cells. Non-ASCII is replaced by `?` without UTF-8.
    func draw(_ text: String, row: Int, column: Int, width: Int, style: TextStyle = .plain) {
        guard width > 0, row >= 0, column >= 0 else { return }
        let fitted = TextFitting.fit(text, width: width, unicode: unicode)
        guard !fitted.isEmpty else { return }
        shim_attr_on_pair(window, pair(for: style), attributes(style))
        _ = fitted.withCString { shim_mvwaddstr(window, Int32(row), Int32(column), $0) }
        shim_attr_on_pair(window, 0, shim_A_NORMAL())
    }

    /// Paints a rectangle with spaces in `style`.
    func fill(_ rect: Rect, style: TextStyle = .plain) {
        guard rect.width > 0 else { return }
        let blank = String(repeating: " ", count: rect.width)
        for row in rect.row..<rect.bottom { draw(blank, row: row, column: rect.column, width: rect.width, style: style) }
    }

    /// One cell with raw colour numbers (image cells). `reverse` swaps them (chafa's transparent foregrounds).
    func put(_ scalar: UInt32, row: Int, column: Int, foreground: Int32, background: Int32, reverse: Bool = false) {
        let pair = pair(foreground: foreground, background: background)
        shim_put_cell(window, Int32(row), Int32(column), wchar_t(bitPattern: scalar), pair,
                      reverse ? shim_A_REVERSE() : shim_A_NORMAL())
    }

    /// One cell in a UI style (chart dots, slider glyphs).
    func put(_ character: Character, row: Int, column: Int, style: TextStyle) {
        let scalar = unicode ? (character.unicodeScalars.first?.value ?? 63) : (character.isASCII ? character.unicodeScalars.first!.value : 63)
        shim_put_cell(window, Int32(row), Int32(column), wchar_t(bitPattern: scalar), pair(for: style), attributes(style))
    }

    func erase() { werase(window) }

    /// Makes the next refresh repaint every cell (after the terminal was disturbed or pairs were recycled).
    func repaintAll() { clearok(window, true) }

    func refresh() { wrefresh(window) }

    /// Shows the text cursor at (row, column) (prompts), or hides it.
    func showCursor(at position: (row: Int, column: Int)?) {
        if let position {
            wmove(window, Int32(position.row), Int32(position.column))
            curs_set(1)
        } else {
            curs_set(0)
        }
    }
}

/// Something wrong with the terminal itself.
public struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
