/// One entry of the studio's key map: the keys, what they do, how the help overlay and the footer show them,
/// and in which state they apply. `KeyMap.main` is the table; the reducer, the help overlay and the footer
/// all read it, so a new key is one new entry there.
public struct KeyBinding: Sendable {
    /// How the help overlay lists a binding.
    public enum Help: Sendable {
        /// Its own line: the label, then this text.
        case line(String)
        /// Joined to the previous binding's line (`↑ k / ↓ j  move between controls`).
        case withPrevious
        /// Not listed (e.g. a key that only mirrors another in some terminals).
        case hidden
    }

    /// A footer hint: the key's label and a word or two, which may depend on the state (`pause`/`resume`).
    public struct Hint: Sendable {
        /// Lower is more important: on a narrow footer the most important hints stay.
        public var priority: Int
        /// The words after the key for this model; nil hides the hint in this state.
        public var text: @Sendable (StudioModel) -> String?

        public init(priority: Int, _ text: @escaping @Sendable (StudioModel) -> String?) {
            self.priority = priority
            self.text = text
        }

        public init(priority: Int, _ text: String) {
            self.init(priority: priority) { _ in text }
        }
    }

    /// What a binding does: the reducer's work for it (state changes in `model`, effects to carry out).
    public typealias Action = @Sendable (StudioReducer, inout StudioModel) -> [StudioEffect]

    /// A name for tests and traces (`"save"`, `"pause"`).
    public var name: String
    public var keys: [Key]
    /// The keys as the help overlay and the footer show them (`"space"`, `"↑ k"`).
    public var label: String
    public var help: Help
    public var hint: Hint?
    /// The state it applies in; when false the key does nothing and its hint is hidden (default: always).
    public var applies: @Sendable (StudioModel) -> Bool
    public var action: Action

    public init(_ name: String, keys: [Key], label: String, help: Help, hint: Hint? = nil,
                applies: @escaping @Sendable (StudioModel) -> Bool = { _ in true },
                action: @escaping Action) {
        self.name = name
        self.keys = keys
        self.label = label
        self.help = help
        self.hint = hint
        self.applies = applies
        self.action = action
    }

    /// Same as above for actions that only change the model.
    public init(_ name: String, keys: [Key], label: String, help: Help, hint: Hint? = nil,
                applies: @escaping @Sendable (StudioModel) -> Bool = { _ in true },
                change: @escaping @Sendable (StudioReducer, inout StudioModel) -> Void) {
        self.init(name, keys: keys, label: label, help: help, hint: hint, applies: applies) { reducer, model in
            change(reducer, &model)
            return []
        }
    }
}
