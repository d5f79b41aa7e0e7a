extension KeyMap {
    /// The file picker's keys, in the order its hint line shows them. j and k move only while no path is
    /// being typed; then they, like every character no entry takes, are letters of the path.
    public static let picker = OverlayKeyMap<FilePicker>([
        OverlayKeyBinding("up", keys: [.up], hint: .init("↑↓ j k", "move"),  // the hint speaks for down, j and k too
                          change: { _, picker in picker.moveSelection(by: -1) }),
        OverlayKeyBinding("down", keys: [.down], change: { _, picker in picker.moveSelection(by: 1) }),
        OverlayKeyBinding("up (k)", keys: [.character("k")], applies: { $0.typed.isEmpty },
                          change: { _, picker in picker.moveSelection(by: -1) }),
        OverlayKeyBinding("down (j)", keys: [.character("j")], applies: { $0.typed.isEmpty },
                          change: { _, picker in picker.moveSelection(by: 1) }),
        OverlayKeyBinding("page up", keys: [.pageUp], change: { _, picker in picker.moveSelection(by: -10) }),
        OverlayKeyBinding("page down", keys: [.pageDown], change: { _, picker in picker.moveSelection(by: 10) }),
        OverlayKeyBinding("first", keys: [.home], change: { _, picker in picker.selection = 0 }),
        OverlayKeyBinding("last", keys: [.end], change: { _, picker in picker.selection = max(picker.entries.count - 1, 0) }),
        OverlayKeyBinding("open", keys: [.enter], hint: .init("Enter", "open"),
                          action: { reducer, picker, _ in reducer.openChosen(&picker) }),
        OverlayKeyBinding("parent folder", keys: [.left], hint: .init("←", "up"),
                          change: { reducer, picker in reducer.leaveFolder(&picker) }),
        OverlayKeyBinding("into folder", keys: [.right], hint: .init("→", "into"),
                          change: { reducer, picker in reducer.enterSelectedFolder(&picker) }),
        OverlayKeyBinding("erase", keys: [.backspace, .delete],
                          change: { reducer, picker in reducer.eraseTyped(&picker) }),
        OverlayKeyBinding("clear", keys: [.control("u")], change: { _, picker in picker.typed = "" }),
        OverlayKeyBinding("add or replace", keys: [.tab], applies: { $0.role == .style },
                          action: { _, picker, model in
                              picker.slot = picker.slot == .add ? .replace(model.focusedPainting ?? 0)
                                  : (model.styles.isEmpty ? .replace(0) : .add)
                              return []
                          }),
        OverlayKeyBinding(typing: "type", hint: .init("", "or type a path, dir/"),
                          change: { reducer, character, picker in reducer.type(character, into: &picker) }),
        OverlayKeyBinding("cancel", keys: [.escape], hint: .init("Esc", "cancel"),
                          action: { _, picker, model in
                              if picker.typed.isEmpty { model.overlays.removeLast() } else { picker.typed = "" }
                              return []
                          }),
    ])
}

private extension FilePicker {
    /// Moves the highlight by `offset` entries, stopping at the first and the last.
    mutating func moveSelection(by offset: Int) {
        selection = offset < 0 ? max(selection + offset, 0) : min(selection + offset, max(entries.count - 1, 0))
    }
}
