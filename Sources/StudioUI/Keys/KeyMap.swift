import StudioCore

/// The studio's key map: every key of the main screen, in the order the help overlay lists them and the
/// footer shows their hints. The reducer dispatches through it (`binding(for:in:)`), the help overlay
/// lists it, the footer draws (and hit-tests) its hints. To add a key, add one entry here.
public enum KeyMap {
    public static let main: [KeyBinding] = [
        // Moving and adjusting.
        KeyBinding("up", keys: [.up, .character("k")], label: "↑ k", help: .line("move between controls"),
                   change: { $0.moveFocus(by: -1, in: &$1) }),
        KeyBinding("down", keys: [.down, .character("j")], label: "↓ j", help: .withPrevious,
                   change: { $0.moveFocus(by: 1, in: &$1) }),
        KeyBinding("page up", keys: [.pageUp], label: "PgUp", help: .line("8 rows / first / last"),
                   change: { $0.moveFocus(by: -8, in: &$1) }),
        KeyBinding("page down", keys: [.pageDown], label: "PgDn", help: .withPrevious,
                   change: { $0.moveFocus(by: 8, in: &$1) }),
        KeyBinding("first", keys: [.home], label: "Home", help: .withPrevious,
                   change: { $0.moveFocus(by: -Int(Int32.max), in: &$1) }),
        KeyBinding("last", keys: [.end], label: "End", help: .withPrevious,
                   change: { $0.moveFocus(by: Int(Int32.max), in: &$1) }),
        KeyBinding("next field", keys: [.tab], label: "Tab", help: .line("next / previous field (layer rows: content, style)"),
                   change: { $0.moveField(forward: true, in: &$1) }),
        KeyBinding("previous field", keys: [.backTab], label: "S-Tab", help: .withPrevious,
                   change: { $0.moveField(forward: false, in: &$1) }),
        KeyBinding("decrease", keys: [.left, .character("-"), .character("_")], label: "← -",
                   help: .line("adjust (sliders: 10 stops a decade)"),
                   action: { $0.adjustFocused(by: -1, in: &$1) }),
        KeyBinding("increase", keys: [.right, .character("+"), .character("=")], label: "→ +", help: .withPrevious,
                   action: { $0.adjustFocused(by: 1, in: &$1) }),
        KeyBinding("decrease a decade", keys: [.shiftLeft, .character("<")], label: "S-← <", help: .line("a decade at a time"),
                   action: { $0.adjustFocused(by: -LogSlider.stepsPerDecade, in: &$1) }),
        KeyBinding("increase a decade", keys: [.shiftRight, .character(">")], label: "S-→ >", help: .withPrevious,
                   action: { $0.adjustFocused(by: LogSlider.stepsPerDecade, in: &$1) }),
        KeyBinding("activate", keys: [.enter, .character("x")], label: "Enter x", help: .line("toggle a layer / next choice"),
                   action: { $0.activateFocused(in: &$1) }),
        KeyBinding("off", keys: [.character("0")], label: "0", help: .line("switch a weight (or a layer) off"),
                   action: { $0.switchOffFocused(in: &$1) }),
        // The run.
        KeyBinding("pause", keys: [.character(" ")], label: "space", help: .line("start / pause / resume"),
                   hint: .init(priority: 2) { RunControl.spaceHint($0) },
                   action: { $0.pressSpace(in: &$1) }),
        KeyBinding("restart", keys: [.character("r")], label: "r", help: .line("restart from the init image (init, seed) / stop"),
                   hint: .init(priority: 4, "restart"),
                   action: { $0.restart(in: &$1) }),
        KeyBinding("stop", keys: [.character("s")], label: "s", help: .withPrevious,
                   hint: .init(priority: 12) { RunControl.isStoppable($0.run) ? "stop" : nil },
                   action: { _, _ in [.stop] }),
        // The result.
        KeyBinding("save", keys: [.character("w")], label: "w",
                   help: .line("save at working size (.jpg: JPEG) / time-lapse on/off"),
                   hint: .init(priority: 3, "save"),
                   change: { $0.openSavePrompt(thenQuit: false, in: &$1) }),
        KeyBinding("time-lapse", keys: [.character("t")], label: "t",
                   help: .withPrevious,
                   hint: .init(priority: 13) { $0.recording == nil ? "time-lapse" : "stop rec" },
                   action: { $0.toggleRecording(in: &$1) }),
        KeyBinding("render final", keys: [.character("f")], label: "f",
                   help: .line("final render at full size, in the background"),
                   hint: .init(priority: 4, "final"),
                   action: { $0.finalRenderKey(in: &$1) }),
        KeyBinding("keep", keys: [.character("b")], label: "b", help: .line("keep the result as A / flip A (kept) and B (live)"),
                   hint: .init(priority: 8, "keep A"),
                   change: { $0.keepResult(in: &$1) }),
        KeyBinding("flip", keys: [.character("a")], label: "a", help: .withPrevious,
                   hint: .init(priority: 9) { $0.kept == nil ? nil : ($0.showingKept ? "show B" : "show A") },
                   change: { $0.flipKept(in: &$1) }),
        KeyBinding("view", keys: [.character("v")], label: "v", help: .line("result alone / content | style | result"),
                   hint: .init(priority: 10, "view"),
                   change: { _, model in model.arrangement = model.arrangement == .result ? .sideBySide : .result }),
        KeyBinding("graphics", keys: [.character("g")], label: "g", help: .line("full-resolution preview (sixel/kitty)"),
                   hint: .init(priority: 11) { $0.graphicsProtocol == nil ? nil : ($0.graphicsEnabled ? "symbols" : "pixels") },
                   change: { $0.toggleGraphics(in: &$1) }),
        // Files and presets.
        KeyBinding("open content", keys: [.character("c")], label: "c",
                   help: .line("photo / painting (Y adds one, d removes); presets"),
                   hint: .init(priority: 6, "content"),
                   action: { $0.openPicker(.content, in: &$1) }),
        KeyBinding("open style", keys: [.character("y")], label: "y", help: .withPrevious,
                   hint: .init(priority: 7, "style"),
                   action: { $0.replacePaintingKey(in: &$1) }),
        KeyBinding("add painting", keys: [.character("Y")], label: "Y", help: .withPrevious,
                   hint: .init(priority: 14, "add style"),
                   action: { $0.addPaintingKey(in: &$1) }),
        KeyBinding("remove painting", keys: [.character("d")], label: "d", help: .withPrevious,
                   hint: .init(priority: 3) { $0.focusedPainting != nil && $0.styles.count > 1 ? "remove painting" : nil },
                   action: { $0.removePaintingKey(in: &$1) }),
        KeyBinding("presets", keys: [.character("p")], label: "p", help: .withPrevious,
                   hint: .init(priority: 5, "presets"),
                   action: { reducer, model in
                       model.overlays.append(.presets(PresetBrowser()))
                       return [.listPresets]
                   }),
        KeyBinding("help", keys: [.character("?"), .function(1)], label: "? F1", help: .hidden,
                   hint: .init(priority: 0, "help"),
                   change: { _, model in model.overlays.append(.help) }),
        KeyBinding("quit", keys: [.character("q")], label: "q", help: .line("quit (asks to save an unsaved result)"),
                   hint: .init(priority: 1, "quit"),
                   action: { $0.requestQuit(&$1) }),
    ]

    /// Help lines that are not keys.
    public static let helpNotes: [(label: String, text: String)] = [
        ("mouse", "click/drag sliders, boxes, ◂ ▸, footer keys; wheel"),
        ("g in tmux", "no pixels via tmux 3.3: run outside or use 3.4+ sixel"),
    ]

    /// The binding of `key` on the main screen, if it applies in this state.
    public static func binding(for key: Key, in model: StudioModel) -> KeyBinding? {
        main.first { $0.keys.contains(key) && $0.applies(model) }
    }

    /// The binding named `name` (tests, mouse clicks on hints).
    public static func binding(named name: String) -> KeyBinding? {
        main.first { $0.name == name }
    }

    /// The footer hints' words in this state (what the footer shows depends on nothing else).
    static func hintTexts(_ model: StudioModel) -> [String] {
        main.map { binding in binding.applies(model) ? binding.hint?.text(model) ?? "" : "" }
    }

    /// The help overlay's lines: one per binding, or several bindings joined on one line.
    public static func helpLines(_ bindings: [KeyBinding] = main) -> [(label: String, text: String)] {
        var lines: [(label: String, text: String)] = []
        for binding in bindings {
            switch binding.help {
            case .line(let text): lines.append((binding.label, text))
            case .withPrevious where !lines.isEmpty: lines[lines.count - 1].label += "/" + binding.label
            case .withPrevious, .hidden: continue
            }
        }
        return lines + helpNotes
    }
}

extension KeyMap {
    /// A key label as this terminal can show it: arrows spelled out without UTF-8.
    static func displayLabel(_ label: String, unicode: Bool) -> String {
        guard !unicode else { return label }
        return label.replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
            .replacingOccurrences(of: "←", with: "Left").replacingOccurrences(of: "→", with: "Right")
            .replacingOccurrences(of: "◂ ▸", with: "< >")
    }
}
