/// A named combination of settings that can be saved, loaded and shared as a JSON file (`Presets/README.md`
/// describes the format). The name is also the file name: `NAME.json`.
public struct Preset: Hashable, Sendable {
    /// Matches `[a-z0-9][a-z0-9._-]*`; stored and compared in lower case.
    public var name: String
    /// One line for `stylestudio presets list`.
    public var description: String
    public var settings: StyleSettings
    /// The content photo this preset was made with, if it records one (as written: may be relative).
    public var contentPath: String?
    /// The style paintings this preset was made with, if it records them (as written: may be relative), in the
    /// order of `settings.objective.styleBlend`.
    public var stylePaths: [String]

    /// The first style painting.
    public var stylePath: String? {
        get { stylePaths.first }
        set { stylePaths = newValue.map { [$0] } ?? [] }
    }

    public init(name: String, description: String = "", settings: StyleSettings = StyleSettings(),
                contentPath: String? = nil, stylePath: String? = nil, stylePaths: [String] = []) {
        self.name = name
        self.description = description
        self.settings = settings
        self.contentPath = contentPath
        self.stylePaths = stylePath.map { [$0] } ?? stylePaths
    }

    /// The file format version this build writes and the newest it reads (2 added `style_images`,
    /// `style_blend`, `style_loss` and `color`; version 1 files read as before, with those at their defaults).
    public static let formatVersion = 2

    /// The longest name accepted (file names must stay well below the file system's limit).
    public static let maximumNameLength = 100

    /// Whether `name` can name a preset: `[a-z0-9][a-z0-9._-]*`, letters in either case, at most 100 characters.
    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.lowercased().unicodeScalars)
        guard let first = scalars.first, scalars.count <= maximumNameLength else { return false }
        func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return isAlphanumeric(first) && scalars.dropFirst().allSatisfy { isAlphanumeric($0) || "._-".unicodeScalars.contains($0) }
    }

    /// What names look like, for messages.
    static let namePattern = "[a-z0-9][a-z0-9._-]* (letters, digits, '.', '_' and '-', starting with a letter or digit)"
}
