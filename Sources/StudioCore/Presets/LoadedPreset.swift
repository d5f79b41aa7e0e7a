import Foundation

/// A preset read from a file, with what was odd about the file (unknown fields and the like).
public struct LoadedPreset: Hashable, Sendable {
    public var preset: Preset
    /// Not fatal: the preset was read; show them to the user.
    public var warnings: [PresetWarning]
    /// The file it came from.
    public var url: URL
    /// `nil` when loaded from a path outside the preset folders.
    public var origin: PresetOrigin?

    public init(preset: Preset, warnings: [PresetWarning], url: URL, origin: PresetOrigin?) {
        self.preset = preset
        self.warnings = warnings
        self.url = url
        self.origin = origin
    }
}
