/// The keys of an overlay that takes the keys while it is on top (the file picker, the presets browser), in
/// the order its hint line shows them. The reducer dispatches through it (`binding(for:in:)`) and the overlay
/// draws its hint line from it (`hintLine(unicode:)`).
public struct OverlayKeyMap<State: Sendable>: Sendable {
    public var bindings: [OverlayKeyBinding<State>]

    public init(_ bindings: [OverlayKeyBinding<State>]) {
        self.bindings = bindings
    }

    /// The first entry that takes `key` and applies in `state`, if any (unbound keys do nothing).
    public func binding(for key: Key, in state: State) -> OverlayKeyBinding<State>? {
        bindings.first { $0.takes(key) && $0.applies(state) }
    }

    /// The entry named `name` (tests).
    public func binding(named name: String) -> OverlayKeyBinding<State>? {
        bindings.first { $0.name == name }
    }

    /// The hint line: each hint's label and words, two spaces apart, as the footer shows the main screen's
    /// (`↑↓ j k move  Enter open  Esc cancel`). `unicode: false` spells arrows in ASCII.
    public func hintLine(unicode: Bool) -> String {
        bindings.compactMap(\.hint).map { hint in
            hint.label.isEmpty ? hint.text : KeyMap.displayLabel(hint.label, unicode: unicode) + " " + hint.text
        }.joined(separator: "  ")
    }
}
