import Foundation

/// Why a preset could not be read, saved or deleted. `description` is the one line to show the user:
/// `FILE:LINE:COLUMN: message` when a place in a file is known, `FILE: message` or just the message otherwise.
public struct PresetError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public enum Kind: Hashable, Sendable {
        /// The file named does not exist.
        case fileNotFound
        /// The file exists but cannot be read (permissions, a directory, too large, not UTF-8).
        case unreadable
        /// The text is not valid JSON.
        case malformed
        /// The file stops early (empty, or cut off in the middle).
        case truncated
        /// A field has the wrong type or a value outside its allowed range.
        case invalidValue
        /// A layer names no VGG19 convolution layer.
        case unknownLayer
        /// The file's `format` is newer than this version understands.
        case newerFormat
        /// No preset of that name in the user's or the shipped folder.
        case presetNotFound
        /// The preset name does not match `[a-z0-9][a-z0-9._-]*`.
        case invalidName
        /// Saving would replace (or shadow) an existing preset and `overwrite` was not given.
        case alreadyExists
        /// Shipped presets cannot be deleted or written.
        case readOnly
        /// Writing or deleting failed in the file system.
        case writeFailed
    }

    public var kind: Kind
    /// The file concerned, when there is one.
    public var path: String?
    /// Where in the file, when known.
    public var position: TextPosition?
    /// The JSON field concerned, e.g. `style_weight` or `style_layers`, when there is one.
    public var field: String?
    /// The problem, without the file and position prefix.
    public var message: String

    public init(_ kind: Kind, path: String? = nil, position: TextPosition? = nil, field: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.position = position
        self.field = field
        self.message = message
    }

    public var description: String { PresetError.locate(message, path: path, position: position) }

    public var errorDescription: String? { description }

    static func locate(_ message: String, path: String?, position: TextPosition?) -> String {
        switch (path, position) {
        case let (path?, position?): "\(path):\(position.line):\(position.column): \(message)"
        case let (path?, nil): "\(path): \(message)"
        case let (nil, position?): "line \(position.line), column \(position.column): \(message)"
        case (nil, nil): message
        }
    }
}
