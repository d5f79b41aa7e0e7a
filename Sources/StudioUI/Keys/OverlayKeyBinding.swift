/// One entry of an overlay's key map (`KeyMap.picker`, `KeyMap.presets`): the keys, what they do to the
/// overlay's state (and the model), how the overlay's hint line shows them, and in which state they apply.
/// The reducer dispatches through the table and the overlay draws its hint line from it, so a new key of an
/// overlay is one new entry there.
public struct OverlayKeyBinding<State: Sendable>: Sendable {
    /// A hint in the overlay's hint line: the keys as shown, then a word or two (`Enter open`).
    public struct Hint: Sendable {
        /// The keys (`"Enter"`, `"↑↓ j k"`: a hint may speak for the next entry too); empty for none.
        public var label: String
        public var text: String

        public init(_ label: String, _ text: String) {
            self.label = label
            self.text = text
        }
    }

    /// What a binding does: changes to the overlay's state (put back on top afterwards, unless the action closed
    /// the overlay or opened another over it) and to the model, and the effects to carry out. The key pressed
    /// is passed along for bindings that take typed characters.
    public typealias Action = @Sendable (StudioReducer, Key, inout State, inout StudioModel) -> [StudioEffect]

    /// A name for tests and traces (`"open"`, `"cancel"`).
    public var name: String
    public var keys: [Key]
    /// Whether it also takes every typed character (not a newline) that no earlier entry takes: the
    /// picker's path field.
    public var takesTypedCharacters: Bool
    /// Its hint in the overlay's hint line; nil: not shown there.
    public var hint: Hint?
    /// The state it applies in; when false the key goes on down the table (default: always).
    public var applies: @Sendable (State) -> Bool
    public var action: Action

    public init(_ name: String, keys: [Key], hint: Hint? = nil,
                applies: @escaping @Sendable (State) -> Bool = { _ in true },
                action: @escaping @Sendable (StudioReducer, inout State, inout StudioModel) -> [StudioEffect]) {
        self.name = name
        self.keys = keys
        takesTypedCharacters = false
        self.hint = hint
        self.applies = applies
        self.action = { reducer, _, state, model in action(reducer, &state, &model) }
    }

    /// Same as above for actions that only change the overlay's state.
    public init(_ name: String, keys: [Key], hint: Hint? = nil,
                applies: @escaping @Sendable (State) -> Bool = { _ in true },
                change: @escaping @Sendable (StudioReducer, inout State) -> Void) {
        self.init(name, keys: keys, hint: hint, applies: applies) { reducer, state, _ in
            change(reducer, &state)
            return []
        }
    }

    /// An entry for typed characters (a text field in the overlay): it gets each one no earlier entry takes.
    public init(typing name: String, hint: Hint? = nil,
                applies: @escaping @Sendable (State) -> Bool = { _ in true },
                change: @escaping @Sendable (StudioReducer, Character, inout State) -> Void) {
        self.name = name
        keys = []
        takesTypedCharacters = true
        self.hint = hint
        self.applies = applies
        action = { reducer, key, state, _ in
            if case .character(let character) = key { change(reducer, character, &state) }
            return []
        }
    }

    /// Whether `key` is one of its keys (or a typed character it takes).
    public func takes(_ key: Key) -> Bool {
        if keys.contains(key) { return true }
        guard takesTypedCharacters, case .character(let character) = key else { return false }
        return !character.isNewline
    }
}
