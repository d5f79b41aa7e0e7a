/// A JSON syntax problem at a byte offset. `atEndOfInput` marks a file that stops early (truncated).
struct JSONSyntaxError: Error, Sendable {
    var message: String
    var offset: Int
    var atEndOfInput: Bool
}

/// A small strict JSON parser (RFC 8259) that records byte offsets, so errors and warnings can say line and column.
/// It explains the usual hand-editing slips: missing or trailing commas, comments, single quotes, unquoted words.
///
/// Written by hand because Foundation's `JSONSerialization` and `JSONDecoder` cannot give what preset users get
/// from it: they report no position for a value (every preset error and warning says FILE:LINE:COLUMN of the value
/// or key concerned), do not report a key given twice, do not tell a file cut off anywhere (`.truncated`, tested
/// for every prefix of every shipped preset) from a malformed one, and their syntax messages name none of the slips
/// above. Everything after the syntax (fields, types, ranges) is `PresetReader`'s field table and `SettingTable`.
struct JSONScanner {
    private let bytes: [UInt8]
    private var index = 0
    /// Deep nesting could exhaust the stack; no preset needs more than three levels.
    private let maximumDepth = 64

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not JSON, but some editors write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Parses the whole input as one JSON value followed only by whitespace.
    mutating func parseDocument() throws -> JSONNode {
        try skipWhitespace()
        let root = try parseValue(depth: 0, context: "the file")
        try skipWhitespace()
        if index < bytes.count {
            throw syntaxError("unexpected text after the end of the JSON value that starts at line "
                              + "\(TextPosition(offset: root.offset, in: bytes).line)")
        }
        return root
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int, context: String) throws -> JSONNode {
        guard let byte = peek() else {
            throw endOfInput("file ends where a value for \(context) was expected")
        }
        let start = index
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw syntaxError("values are nested too deeply") }
            return JSONNode(value: try parseObject(depth: depth), offset: start)
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { throw syntaxError("values are nested too deeply") }
            return JSONNode(value: try parseArray(depth: depth), offset: start)
        case UInt8(ascii: "\""):
            return JSONNode(value: .string(try parseString()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), offset: start)
        case UInt8(ascii: "'"):
            throw syntaxError("strings need double quotes (\"), not single quotes")
        case UInt8(ascii: "+"):
            throw syntaxError("a number cannot start with '+'")
        case UInt8(ascii: "."):
            throw syntaxError("a number needs a digit before the decimal point (0.5, not .5)")
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
            throw syntaxError("expected a value for \(context), found '\(Character(Unicode.Scalar(byte)))'")
        default:
            let word = readWord()
            switch word {
            case "true": return JSONNode(value: .bool(true), offset: start)
            case "false": return JSONNode(value: .bool(false), offset: start)
            case "null": return JSONNode(value: .null, offset: start)
            case "": throw syntaxError("unexpected character \(describeCharacter(at: start))")
            case _ where index == bytes.count && ["true", "false", "null"].contains(where: { $0.hasPrefix(word) }):
                throw endOfInput("file ends inside '\(word)' (truncated file?)")
            default:
                index = start
                throw syntaxError("unquoted text '\(word)': text values need double quotes, "
                                  + "numbers are written like 5, 0.25 or 1e-3")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        let open = index
        index += 1  // {
        var members: [JSONMember] = []
        try skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        while true {
            guard let byte = peek() else { throw unclosed("{", openedAt: open) }
            if byte == UInt8(ascii: "}"), !members.isEmpty {
                throw syntaxError("trailing comma before '}': remove the last ','")
            }
            guard byte == UInt8(ascii: "\"") else {
                if byte == UInt8(ascii: "'") { throw syntaxError("field names need double quotes (\"), not single quotes") }
                throw syntaxError("expected a field name in double quotes, found \(describeCharacter(at: index))")
            }
            let keyOffset = index
            let key = try parseString()
            try skipWhitespace()
            guard let colon = peek() else { throw unclosed("{", openedAt: open) }
            guard colon == UInt8(ascii: ":") else {
                throw syntaxError("expected ':' after the field name \"\(key)\"")
            }
            index += 1
            try skipWhitespace()
            let value = try parseValue(depth: depth + 1, context: "\"\(key)\"")
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            let valueEnd = index
            try skipWhitespace()
            guard let next = peek() else { throw unclosed("{", openedAt: open) }
            if next == UInt8(ascii: ",") {
                index += 1
                try skipWhitespace()
            } else if next == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw missingSeparator(after: "the value of \"\(key)\"", valueEnd: valueEnd, closer: "}")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        let open = index
        index += 1  // [
        var elements: [JSONNode] = []
        try skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            guard let byte = peek() else { throw unclosed("[", openedAt: open) }
            if byte == UInt8(ascii: "]"), !elements.isEmpty {
                throw syntaxError("trailing comma before ']': remove the last ','")
            }
            elements.append(try parseValue(depth: depth + 1, context: "item \(elements.count + 1) of the list"))
            let valueEnd = index
            try skipWhitespace()
            guard let next = peek() else { throw unclosed("[", openedAt: open) }
            if next == UInt8(ascii: ",") {
                index += 1
                try skipWhitespace()
            } else if next == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw missingSeparator(after: "item \(elements.count) of the list", valueEnd: valueEnd, closer: "]")
            }
        }
    }

    private mutating func parseString() throws -> String {
        let open = index
        index += 1  // "
        var scalars = String.UnicodeScalarView()
        var run = index  // start of the current run of plain bytes
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = peek() else {
                throw endOfInput("file ends inside the string that starts at line "
                                 + "\(TextPosition(offset: open, in: bytes).line) (truncated file?)")
            }
            switch byte {
            case UInt8(ascii: "\""):
                flush(index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(index)
                scalars.append(try parseEscape())
                run = index
            case 0..<0x20:
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    throw JSONSyntaxError(message: "the string that starts here is not closed on its line (missing '\"'?)",
                                          offset: open, atEndOfInput: false)
                }
                throw syntaxError("control character in a string: write it as an escape such as \\t")
            default:
                index += 1
            }
        }
    }

    /// After a backslash: one escape, returned as its scalar (surrogate pairs combined).
    private mutating func parseEscape() throws -> Unicode.Scalar {
        let start = index
        index += 1  // backslash
        guard let letter = peek() else { throw endOfInput("file ends inside a string (truncated file?)") }
        index += 1
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHexQuad()
            if (0xD800..<0xDC00).contains(high) {
                if peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try parseHexQuad()
                    if (0xDC00..<0xE000).contains(low),
                       let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                        return scalar
                    }
                }
                throw JSONSyntaxError(message: "unpaired UTF-16 surrogate in a \\u escape", offset: start, atEndOfInput: false)
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw JSONSyntaxError(message: "unpaired UTF-16 surrogate in a \\u escape", offset: start, atEndOfInput: false)
            }
            return scalar
        default:
            index = start
            throw syntaxError("unknown escape '\\\(Character(Unicode.Scalar(letter)))' in a string "
                              + "(a backslash itself is written \\\\)")
        }
    }

    private mutating func parseHexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw endOfInput("file ends inside a string (truncated file?)") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw syntaxError("a \\u escape needs four hexadecimal digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        try expectDigit("expected a digit after '-'")
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            throw syntaxError("numbers cannot have leading zeros")
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            index += 1
            try expectDigit("expected a digit after the decimal point")
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try expectDigit("expected a digit in the exponent")
            skipDigits()
        }
        if let next = peek(), isWordCharacter(next) {
            throw syntaxError("unexpected \(describeCharacter(at: index)) in a number")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A digit must come next; the end of the file there means the file was cut off.
    private func expectDigit(_ message: String) throws {
        guard let byte = peek() else { throw endOfInput("file ends inside a number (truncated file?)") }
        guard isDigit(byte) else { throw syntaxError(message) }
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private func isWordCharacter(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    private mutating func readWord() -> String {
        let start = index
        while let byte = peek(), isWordCharacter(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipWhitespace() throws {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "/") where index + 1 < bytes.count
                && (bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*")):
                throw syntaxError("comments are not allowed in JSON: use the \"description\" field for notes")
            default:
                return
            }
        }
    }

    private func describeCharacter(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte < 0x20 { return "control character 0x\(String(byte, radix: 16))" }
        let text = String(decoding: bytes[offset..<min(offset + 4, bytes.count)], as: UTF8.self)
        return "'\(text.first.map(String.init) ?? "?")'"
    }

    private func syntaxError(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: index, atEndOfInput: false)
    }

    private func endOfInput(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: bytes.count, atEndOfInput: true)
    }

    private func unclosed(_ opener: Character, openedAt offset: Int) -> JSONSyntaxError {
        endOfInput("file ends before the '\(opener)' opened at line \(TextPosition(offset: offset, in: bytes).line) "
                   + "is closed (truncated file?)")
    }

    /// After a value, neither ',' nor the closer: most often a missing comma at the end of a line,
    /// which is reported where the comma belongs rather than at the next line's first character.
    private func missingSeparator(after what: String, valueEnd: Int, closer: Character) -> JSONSyntaxError {
        let valueLine = TextPosition(offset: valueEnd, in: bytes).line
        let nextLine = TextPosition(offset: index, in: bytes).line
        if nextLine > valueLine {
            return JSONSyntaxError(message: "missing ',' after \(what)", offset: valueEnd, atEndOfInput: false)
        }
        return syntaxError("expected ',' or '\(closer)' after \(what), found \(describeCharacter(at: index))")
    }
}
