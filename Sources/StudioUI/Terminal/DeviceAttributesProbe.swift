import Glibc

/// Asks the terminal whether it draws sixels, the way xterm documents it: the primary device attributes
/// reply (`ESC [ c` -> `ESC [ ? 63 ; 1 ; 4 c`) lists 4 when sixel graphics are on. Runs before curses
/// starts, in raw mode, waiting at most `timeout` for the reply; a terminal that does not answer costs that wait.
enum DeviceAttributesProbe {
    static func reportsSixel(timeoutMilliseconds: Int32 = 150) -> Bool {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return false }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return false }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        raw.c_cc.6 = 0    // VMIN
        raw.c_cc.5 = 0    // VTIME
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return false }
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        let query: [UInt8] = Array("\u{1B}[c".utf8)
        guard query.withUnsafeBytes({ write(STDOUT_FILENO, $0.baseAddress, $0.count) }) == query.count else { return false }
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMilliseconds))
        while ContinuousClock.now < deadline, reply.last != UInt8(ascii: "c"), reply.count < 128 {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let left = Int32(max((deadline - ContinuousClock.now).components.attoseconds / 1_000_000_000_000_000, 1))
            guard poll(&descriptor, 1, left) > 0 else { break }
            var byte: UInt8 = 0
            guard read(STDIN_FILENO, &byte, 1) == 1 else { break }
            reply.append(byte)
        }
        return parameters(of: reply)?.contains(4) ?? false
    }

    /// The numbers of a `ESC [ ? a ; b ; … c` reply.
    static func parameters(of reply: [UInt8]) -> [Int]? {
        guard let start = reply.firstIndex(of: UInt8(ascii: "?")), reply.last == UInt8(ascii: "c") else { return nil }
        let body = String(decoding: reply[(start + 1)..<(reply.count - 1)], as: UTF8.self)
        return body.split(separator: ";").compactMap { Int($0) }
    }
}
