import Foundation

/// Where a preset lives.
public enum PresetOrigin: String, Hashable, Sendable {
    /// In the repository's `Presets/` folder: curated, read-only.
    case shipped
    /// In the user's folder (`$XDG_CONFIG_HOME/stylestudio/presets`).
    case user
}

/// One line of `PresetStore.list()`.
public struct PresetEntry: Hashable, Sendable {
    public var name: String
    /// The preset's one-line description ("" when the file cannot be read; see `problem`).
    public var description: String
    public var origin: PresetOrigin
    /// A user preset with the name of a shipped one, which it hides.
    public var shadowsShipped: Bool
    public var url: URL
    /// Why the file cannot be loaded, when it cannot (`PresetStore.load` gives the full error).
    public var problem: PresetError?

    public init(name: String, description: String, origin: PresetOrigin, shadowsShipped: Bool, url: URL,
                problem: PresetError? = nil) {
        self.name = name
        self.description = description
        self.origin = origin
        self.shadowsShipped = shadowsShipped
        self.url = url
        self.problem = problem
    }
}
