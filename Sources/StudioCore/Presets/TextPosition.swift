/// A place in a text file, for messages: 1-based line and column (columns count characters, not bytes).
public struct TextPosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of byte `offset` in UTF-8 `bytes` (an offset at the end gives the position after the last byte).
    init(offset: Int, in bytes: [UInt8]) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // not a UTF-8 continuation byte: a new character starts
                column += 1
            }
        }
        self.init(line: line, column: column)
    }

    public var description: String { "\(line):\(column)" }
}
