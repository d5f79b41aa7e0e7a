extension KeyMap {
    /// The presets browser's keys, in the order its hint line shows them.
    public static let presets = OverlayKeyMap<PresetBrowser>([
        OverlayKeyBinding("load", keys: [.enter], hint: .init("Enter", "load"), action: { reducer, browser, model in
            reducer.selectedPreset(browser, in: model).map { [.loadPreset(name: $0.name)] } ?? []
        }),
        OverlayKeyBinding("save as", keys: [.character("s"), .character("n")], hint: .init("s", "save current as..."),
                          action: { reducer, _, model in
                              reducer.openSavePresetPrompt(in: &model)
                              return []
                          }),
        OverlayKeyBinding("delete", keys: [.character("d"), .delete], hint: .init("d", "delete (yours)"),
                          action: { reducer, browser, model in
                              reducer.askToDeleteSelectedPreset(browser, in: &model)
                              return []
                          }),
        OverlayKeyBinding("up", keys: [.up, .character("k")], action: { _, browser, _ in
            browser.selection = max(browser.selection - 1, 0)
            return []
        }),
        OverlayKeyBinding("down", keys: [.down, .character("j")], action: { _, browser, model in
            browser.selection = min(browser.selection + 1, max(model.presets.count - 1, 0))
            return []
        }),
        OverlayKeyBinding("first", keys: [.home], change: { _, browser in browser.selection = 0 }),
        OverlayKeyBinding("last", keys: [.end], action: { _, browser, model in
            browser.selection = max(model.presets.count - 1, 0)
            return []
        }),
        OverlayKeyBinding("close", keys: [.escape, .character("q"), .character("p")], hint: .init("Esc", "close"),
                          action: { _, _, model in
                              model.overlays.removeLast()
                              return []
                          }),
    ])
}
