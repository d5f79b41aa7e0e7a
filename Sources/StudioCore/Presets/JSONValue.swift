/// A parsed JSON value that remembers where each part came from, so messages can name a line and column.
/// Objects keep their members in file order (and keep duplicates, which the reader reports).
indirect enum JSONValue: Sendable {
    case object([JSONMember])
    case array([JSONNode])
    case string(String)
    /// The number's text exactly as written, so integers beyond 2⁵³ (seeds) survive.
    case number(String)
    case bool(Bool)
    case null

    /// How a message calls this kind of value: "a string", "a list", …
    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true/false"
        case .null: "null"
        }
    }

    /// The kind and, for short scalars, the value itself, e.g. `a string ("big")`.
    var foundDescription: String {
        switch self {
        case .string(let text) where text.count <= 40: "a string (\"\(text)\")"
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        default: kindDescription
        }
    }
}

/// A value and the byte offset where it starts.
struct JSONNode: Sendable {
    var value: JSONValue
    var offset: Int
}

/// One `"key": value` pair of an object.
struct JSONMember: Sendable {
    var key: String
    var keyOffset: Int
    var value: JSONNode
}
