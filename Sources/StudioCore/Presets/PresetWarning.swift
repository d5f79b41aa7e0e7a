/// Something in a preset file that was read anyway but deserves the user's attention (an unknown field,
/// a missing `format`, a name that differs from the file name). Returned next to the preset, never fatal.
public struct PresetWarning: Hashable, Sendable, CustomStringConvertible {
    public var path: String?
    public var position: TextPosition?
    /// The JSON field concerned, when there is one.
    public var field: String?
    public var message: String

    public init(path: String?, position: TextPosition?, field: String?, message: String) {
        self.path = path
        self.position = position
        self.field = field
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, like `PresetError`.
    public var description: String { PresetError.locate(message, path: path, position: position) }
}
