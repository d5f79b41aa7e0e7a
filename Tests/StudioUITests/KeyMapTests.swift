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
