import StudioCore
import Testing
@testable import StudioUI

@Suite("Key map: one table for the reducer, the help overlay and the footer")
struct KeyMapTests {
    @Test("no key is bound twice on the main screen, and every binding has a distinct name")
    func unique() {
        var seen: [Key: String] = [:]
        for binding in KeyMap.main {
            for key in binding.keys {
                #expect(seen[key] == nil, "\(key) is bound to \(seen[key] ?? "") and \(binding.name)")
                seen[key] = binding.name
            }
        }
        #expect(Set(KeyMap.main.map(\.name)).count == KeyMap.main.count)
    }

    @Test("the help overlay lists every binding's label, joined lines included")
    func helpListsEveryKey() {
        let help = KeyMap.helpLines()
        let labels = help.map(\.label).joined(separator: " ")
        for binding in KeyMap.main {
            if case .hidden = binding.help { continue }
            #expect(labels.contains(binding.label), "\(binding.name) missing from the help")
        }
        #expect(help.contains { $0.label == "↑ k/↓ j" && $0.text == "move between controls" })
        #expect(help.contains { $0.label == "mouse" })
    }

    @Test("the help fits the smallest studio, 80x24, without cutting a line")
    func helpFits() {
        let lines = KeyMap.helpLines()
        let keyWidth = lines.map { $0.label.count }.max()! + 2
        let textWidth = lines.map { $0.text.count }.max()!
        #expect(keyWidth + textWidth + 4 <= 80 - 2, "help is \(keyWidth + textWidth + 4) wide")
        #expect(lines.count + 4 <= 24 - 2, "help is \(lines.count + 4) tall")
    }

    @Test("the reducer does what the table says: each key's action runs through the map")
    func reducerReadsTheMap() {
        let reducer = makeReducer()
        var model = runningModel()
        _ = reducer.reduce(&model, .key(.character("?")))
        #expect(model.topOverlay == .help)
        _ = reducer.reduce(&model, .key(.escape))
        _ = reducer.reduce(&model, .key(.function(1)))
        #expect(model.topOverlay == .help)
        _ = reducer.reduce(&model, .key(.escape))
        #expect(reducer.reduce(&model, .key(.character("p"))) == [.listPresets])
        #expect(KeyMap.binding(for: .character("w"), in: model)?.name == "save")
        #expect(KeyMap.binding(for: .character("Z"), in: model) == nil)
    }

    /// The footer's hints as `label text` strings for a model at 160 columns.
    func hints(_ model: StudioModel) -> [String] {
        var model = model
        model.columns = 160
        return FooterHints(model: model, footer: model.layout!.footer, unicode: true).placed.map { $0.label + " " + $0.text }
    }

    @Test("the footer's hints follow the run state: start, pause, resume, go on past the limit")
    func hintsFollowState() {
        var model = runningModel()
        #expect(hints(model).contains("space pause"))
        #expect(hints(model).contains("s stop"))
        #expect(!hints(model).contains { $0.hasPrefix("a ") }, "nothing kept: no A/B hint")
        model.run.state = .paused
        #expect(hints(model).contains("space resume"))
        model.run.state = .finished
        #expect(hints(model).contains("space resume"))
        #expect(!hints(model).contains("s stop"))
        model.iterationLimit = 3
        #expect(hints(model).contains("space go on"))
        model.run.state = .idle
        #expect(hints(model).contains("space start"))
        _ = makeReducer().reduce(&model, .key(.character("b")))
        #expect(hints(model).contains("a show A"))
    }

    @Test("space while settings are applied after a stop resumes (it used to ask for a pause, which was lost)")
    func spaceWhileApplyingAfterStop() {
        let reducer = makeReducer()
        var model = runningModel()
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 3, image: tinyImage, state: .finished)))
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 3, image: tinyImage, state: .preparing("applying settings"))))
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.resume])
        #expect(hints(model).contains("space resume"))
    }

    @Test("reaching --iterations says so; space goes on past it and the footer says resume again")
    func iterationLimit() {
        let reducer = makeReducer()
        var model = runningModel()
        model.iterationLimit = 3
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 3, image: tinyImage, state: .finished)))
        #expect(model.message?.text.contains("3-iteration limit") == true)
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.resume])
        #expect(model.iterationLimit == nil)
        #expect(hints(model).contains("space resume"))
    }

    @Test("narrow footers keep the most important hints, in the table's order")
    func narrowFooter() {
        var model = runningModel()
        model.columns = 80
        let placed = FooterHints(model: model, footer: model.layout!.footer, unicode: true).placed
        let names = placed.map(\.binding.name)
        #expect(names.contains("help") && names.contains("quit") && names.contains("pause") && names.contains("save"))
        let order = names.compactMap { name in KeyMap.main.firstIndex { $0.name == name } }
        #expect(order == order.sorted())
        #expect(placed.last!.end < model.columns - FooterHints.presetText(model).count)
    }

    @Test("a click on a footer hint does what its key does")
    func footerClick() {
        let reducer = makeReducer()
        var model = runningModel()
        let footer = model.layout!.footer
        let save = FooterHints(model: model, footer: footer, unicode: true).placed.first { $0.binding.name == "save" }!
        _ = reducer.reduce(&model, .mouse(MouseInput(column: save.column + 1, row: footer.row, action: .press)))
        guard case .prompt(let prompt)? = model.topOverlay else {
            Issue.record("no save prompt")
            return
        }
        #expect(prompt.purpose == .saveResult(thenQuit: false))
        _ = reducer.reduce(&model, .key(.escape))
        let pause = FooterHints(model: model, footer: footer, unicode: true).placed.first { $0.binding.name == "pause" }!
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: pause.column, row: footer.row, action: .press))) == [.pause])
    }

    @Test("a click on ◂ or ▸ of a choice row steps it")
    func arrowClicks() {
        let reducer = makeReducer()
        var model = makeModel()
        let geometry = ControlsGeometry(rect: model.layout!.controls, scroll: 0)
        let row = geometry.row(of: .item(.size))!
        let before = model.settings.size
        let text = model.controls.valueText(of: .size)
        let effects = reducer.reduce(&model, .mouse(MouseInput(column: geometry.track.column + 2 + text.count + 1, row: row,
                                                               action: .press)))
        #expect(model.settings.size > before)
        #expect(effects == [.apply(model.settings)])
        _ = reducer.reduce(&model, .mouse(MouseInput(column: geometry.track.column, row: row, action: .press)))
        #expect(model.settings.size == before)
    }
}

/// The file picker's and the presets browser's keys: one table each (`KeyMap.picker`, `KeyMap.presets`) that
/// the reducer dispatches through and the overlay's hint line is drawn from.
@Suite("Overlay key maps: the picker's and the presets browser's keys")
struct OverlayKeyMapTests {
    /// A reducer over a made-up file system: /p holds a folder and three images, /p/dir one image.
    static let reducer = StudioReducer(environment: StudioEnvironment(
        currentDirectory: "/p", homeDirectory: "/h",
        fileExists: { ["/p/a.png", "/p/b.png", "/p/c.png", "/p/dir/x.png"].contains($0) },
        listDirectory: { path in
            switch path {
            case "/": [DirectoryEntry(name: "p", isDirectory: true)]
            case "/p": [DirectoryEntry(name: "..", isDirectory: true), DirectoryEntry(name: "dir", isDirectory: true)]
                + ["a.png", "b.png", "c.png"].map { DirectoryEntry(name: $0, isDirectory: false) }
            case "/p/dir": [DirectoryEntry(name: "..", isDirectory: true), DirectoryEntry(name: "x.png", isDirectory: false)]
            default: throw ListingError(message: "no such folder: \(path)")
            }
        }))

    /// Models with the picker open in the states its keys need: browsing on an image, on a folder, with a
    /// path typed, and choosing a painting while one is loaded.
    static func pickerModels() -> [StudioModel] {
        func model(_ role: ImageRole, selecting name: String, typed: String = "") -> StudioModel {
            var model = makeModel()
            var picker = FilePicker(role: role, directory: "/p")
            reducer.list(&picker, selecting: name)
            picker.typed = typed
            model.overlays = [.picker(picker)]
            _ = reducer.commit(picker, in: &model)  // its preview asked for, as after any key
            return model
        }
        var painting = model(.style, selecting: "b.png")
        painting.styles = [LoadedImage(path: "/p/a.png", image: tinyImage)]
        return [model(.content, selecting: "b.png"), model(.content, selecting: "dir"),
                model(.content, selecting: "b.png", typed: "b"), painting]
    }

    /// Models with the presets browser open on the second of three presets, yours.
    static func presetsModels() -> [StudioModel] {
        var model = makeModel()
        model.presets = ["one", "two", "three"].map { PresetListing(name: $0, description: "", isShipped: false) }
        var browser = PresetBrowser()
        browser.selection = 1
        model.overlays = [.presets(browser)]
        return [model]
    }

    /// Whether `key` changes the overlays or the message of `model`, or asks for an effect.
    static func handles(_ key: Key, in model: StudioModel) -> Bool {
        var after = model
        let effects = reducer.reduce(&after, .key(key))
        return !effects.isEmpty || after.overlays != model.overlays || after.message != model.message
    }

    /// The keys of a binding, a typed character standing for "every typed character".
    static func keys<State>(of binding: OverlayKeyBinding<State>) -> [Key] {
        binding.keys + (binding.takesTypedCharacters ? [.character("x")] : [])
    }

    static func state(_ model: StudioModel) -> FilePicker? {
        if case .picker(let picker)? = model.topOverlay { picker } else { nil }
    }

    static func browser(_ model: StudioModel) -> PresetBrowser? {
        if case .presets(let browser)? = model.topOverlay { browser } else { nil }
    }

    @Test("no key is bound twice in one overlay's table, and every binding has a distinct name")
    func unique() {
        func check<State>(_ map: OverlayKeyMap<State>, _ overlay: String) {
            var seen: [Key: String] = [:]
            for binding in map.bindings {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(overlay): \(key) is bound to \(seen[key] ?? "") and \(binding.name)")
                    seen[key] = binding.name
                }
            }
            #expect(Set(map.bindings.map(\.name)).count == map.bindings.count, "\(overlay): a name is used twice")
            #expect(map.bindings.filter(\.takesTypedCharacters).count <= 1, "\(overlay): two bindings take typing")
        }
        check(KeyMap.picker, "picker")
        check(KeyMap.presets, "presets")
    }

    @Test("every key the picker's table binds is handled by the reducer, in a state where it applies")
    func pickerKeysAreHandled() {
        let models = Self.pickerModels()
        for binding in KeyMap.picker.bindings {
            for key in Self.keys(of: binding) {
                let applying = models.filter { binding.applies(Self.state($0)!) }
                #expect(!applying.isEmpty, "\(binding.name): no test state where it applies")
                #expect(applying.contains { model in
                    KeyMap.picker.binding(for: key, in: Self.state(model)!)?.name == binding.name && Self.handles(key, in: model)
                }, "\(binding.name): \(key) does nothing")
            }
        }
    }

    @Test("every key the presets browser's table binds is handled by the reducer")
    func presetsKeysAreHandled() {
        let model = Self.presetsModels()[0]
        for binding in KeyMap.presets.bindings {
            for key in Self.keys(of: binding) {
                #expect(KeyMap.presets.binding(for: key, in: Self.browser(model)!)?.name == binding.name)
                #expect(Self.handles(key, in: model), "\(binding.name): \(key) does nothing")
            }
        }
    }

    @Test("keys neither table binds do nothing in the overlay")
    func unboundKeys() {
        for model in Self.pickerModels() + Self.presetsModels() {
            for key: Key in [.function(5), .control("x"), .backTab, .shiftLeft, .shiftRight, .character("\n")] {
                #expect(!Self.handles(key, in: model), "\(key) did something")
            }
        }
        #expect(!Self.handles(.character("x"), in: Self.presetsModels()[0]))
    }

    @Test("j and k move in the picker until a path is typed; then they, like other characters, go to the path")
    func lettersWhileTyping() {
        let models = Self.pickerModels()
        let browsing = Self.state(models[0])!, typing = Self.state(models[2])!
        #expect(KeyMap.picker.binding(for: .character("k"), in: browsing)?.name == "up (k)")
        #expect(KeyMap.picker.binding(for: .character("k"), in: typing)?.name == "type")
        #expect(KeyMap.picker.binding(for: .up, in: typing)?.name == "up")
        var model = models[2]
        _ = Self.reducer.reduce(&model, .key(.character("j")))
        #expect(Self.state(model)?.typed == "bj")
        #expect(Self.state(model)?.selection == typing.selection)
    }

    @Test("the hint lines are drawn from the tables: a changed label or word shows up, ASCII spells arrows")
    func hintLines() {
        #expect(KeyMap.picker.hintLine(unicode: true)
                == "↑↓ j k move  Enter open  ← up  → into  or type a path, dir/  Esc cancel")
        #expect(KeyMap.presets.hintLine(unicode: true) == "Enter load  s save current as...  d delete (yours)  Esc close")
        let ascii = KeyMap.picker.hintLine(unicode: false)
        #expect(ascii.contains("UpDown j k move") && ascii.contains("Left up") && ascii.contains("Right into"))
        #expect(!ascii.unicodeScalars.contains { !$0.isASCII }, "\(ascii)")
        var presets = KeyMap.presets
        let load = presets.bindings.firstIndex { $0.name == "load" }!
        presets.bindings[load].hint = .init("F9", "fetch")
        #expect(presets.hintLine(unicode: true).hasPrefix("F9 fetch  s save"))
        presets.bindings[load].hint = nil
        #expect(presets.hintLine(unicode: true).hasPrefix("s save"))
    }
}
