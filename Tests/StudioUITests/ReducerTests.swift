import ImageIO
import StudioCore
import Testing
@testable import StudioUI

/// A reducer over a fake file system: `existing` paths exist; directories list nothing.
func makeReducer(existing: Set<String> = []) -> StudioReducer {
    StudioReducer(environment: StudioEnvironment(
        currentDirectory: "/work", homeDirectory: "/home/me",
        fileExists: { existing.contains($0) }, listDirectory: { _ in [] }))
}

func makeModel(columns: Int = 120, rows: Int = 40) -> StudioModel {
    var model = StudioModel(settings: StyleSettings())
    model.columns = columns
    model.rows = rows
    return model
}

let tinyImage = RGBImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 0, 255])

/// A model that has run 3 iterations (an unsaved result).
func runningModel() -> StudioModel {
    var model = makeModel()
    _ = makeReducer().reduce(&model, .snapshot(SessionSnapshot(
        iteration: 3, losses: LossTerms(content: 1, style: 2, totalVariation: 3), secondsPerIteration: 0.5,
        image: tinyImage, state: .running, settings: model.settings, settingsGeneration: 1)))
    return model
}

@Suite("Reducer: keys to effects")
struct ReducerKeyTests {
    @Test("adjusting the focused slider applies the new settings at once")
    func sliderKeys() {
        let reducer = makeReducer()
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.down))               // style weight
        #expect(model.focusedItem == .styleWeight)
        let effects = reducer.reduce(&model, .key(.right))
        #expect(model.settings.objective.styleWeight == 125)
        #expect(effects == [.apply(model.settings)])
        #expect(reducer.reduce(&model, .key(.character("-"))) == [.apply(model.settings)])
        #expect(model.settings.objective.styleWeight == 100)
        _ = reducer.reduce(&model, .key(.character(">")))
        #expect(abs(model.settings.objective.styleWeight - 1000) < 1e-9)
        _ = reducer.reduce(&model, .key(.character("0")))
        #expect(model.settings.objective.styleWeight == 0)
    }

    @Test("a key that changes nothing asks for nothing")
    func noChange() {
        let reducer = makeReducer()
        var model = makeModel()
        model.controls.setWeight(1e5, of: .contentWeight)
        #expect(reducer.reduce(&model, .key(.right)).isEmpty)
        #expect(reducer.reduce(&model, .key(.up)).isEmpty)
        #expect(model.focus == 0)
    }

    @Test("Tab walks every field; layer rows have a content and a style field")
    func tabOrder() {
        let reducer = makeReducer()
        var model = makeModel()
        for _ in 0..<ControlItem.settingItems.count { _ = reducer.reduce(&model, .key(.tab)) }
        #expect(model.focusedItem == .layer(0))
        #expect(model.focusTerm == .content)
        _ = reducer.reduce(&model, .key(.tab))
        #expect(model.focusedItem == .layer(0))
        #expect(model.focusTerm == .style)
        _ = reducer.reduce(&model, .key(.tab))
        #expect(model.focusedItem == .layer(1))
        #expect(model.focusTerm == .content)
        _ = reducer.reduce(&model, .key(.backTab))
        #expect(model.focusedItem == .layer(0))
        #expect(model.focusTerm == .style)
    }

    @Test("Enter toggles the focused layer for the focused term")
    func layerToggle() {
        let reducer = makeReducer()
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.end))                 // block5_conv4
        model.focusTerm = .content
        let effects = reducer.reduce(&model, .key(.enter))
        #expect(model.settings.objective.contentLayers.map(\.layer.index) == [9, 15])
        #expect(effects == [.apply(model.settings)])
        // The panel scrolled so that the focused row is visible on a 40-row screen.
        let geometry = ControlsGeometry(rect: model.layout!.controls, scroll: model.controlsScroll)
        #expect(geometry.row(of: .item(.layer(15))) != nil)
    }

    @Test("space pauses a running session and resumes a paused or stopped one; r restarts; s stops")
    func runKeys() {
        let reducer = makeReducer()
        var model = runningModel()
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.pause])
        model.run.state = .paused
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.resume])
        model.run.state = .finished
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.resume], "a stopped result is continued, not thrown away")
        model.run.state = .idle
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.start])
        #expect(reducer.reduce(&model, .key(.character("r"))) == [.start])
        #expect(model.history.points.isEmpty)
        #expect(reducer.reduce(&model, .key(.character("s"))) == [.stop])
    }

    @Test("a settings change the session refuses puts the controls back and says why")
    func refusedChange() {
        let reducer = makeReducer()
        var model = runningModel()
        var inEffect = model.settings
        inEffect.objective.styleWeight = 100
        var attempted = inEffect
        attempted.size = 64
        model.controls.replace(with: attempted)
        let refusal = SessionSnapshot(iteration: 7, state: .running, settings: inEffect, settingsGeneration: 3,
                                      rejectionCount: 1, rejection: "the working image would be 64×13 px")
        _ = reducer.reduce(&model, .snapshot(refusal))
        #expect(model.settings == inEffect)
        #expect(model.message?.text.contains("64×13") == true && model.message?.isError == true)
        // The same refusal seen again (newest-only stream) changes nothing.
        model.controls.replace(with: attempted)
        _ = reducer.reduce(&model, .snapshot(refusal))
        #expect(model.settings == attempted)
    }

    @Test("space while the session applies settings toggles the state it returns to")
    func pauseWhilePreparing() {
        let reducer = makeReducer()
        var model = makeModel()
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 5, state: .paused)))
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 5, state: .preparing("applying settings"))))
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.resume])
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 6, state: .running)))
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 6, state: .preparing("applying settings"))))
        #expect(reducer.reduce(&model, .key(.character(" "))) == [.pause])
    }

    @Test("b keeps the result as A; a flips between A and B")
    func abComparison() {
        let reducer = makeReducer()
        var model = runningModel()
        _ = reducer.reduce(&model, .key(.character("a")))
        #expect(!model.showingKept)                             // nothing kept yet
        #expect(model.message != nil)
        _ = reducer.reduce(&model, .key(.character("b")))
        #expect(model.kept?.iteration == 3)
        #expect(model.kept?.settings == model.settings)
        _ = reducer.reduce(&model, .key(.character("a")))
        #expect(model.showingKept)
        #expect(model.displayedResult == tinyImage)
        _ = reducer.reduce(&model, .key(.character("a")))
        #expect(!model.showingKept)
    }

    @Test("too small: keys other than q do nothing")
    func tooSmall() {
        let reducer = makeReducer()
        var model = makeModel(columns: 60, rows: 20)
        #expect(model.layout == nil)
        #expect(reducer.reduce(&model, .key(.right)).isEmpty)
        #expect(model.settings == StyleSettings())
        #expect(reducer.reduce(&model, .key(.character("q"))) == [.quit])
        _ = reducer.reduce(&model, .resized(columns: 80, rows: 24))
        #expect(model.layout != nil)
    }
}

@Suite("Reducer: saving and quitting")
struct ReducerSaveQuitTests {
    @Test("q without a result quits at once")
    func quitClean() {
        var model = makeModel()
        #expect(makeReducer().reduce(&model, .key(.character("q"))) == [.quit])
    }

    @Test("q with an unsaved result asks; n quits, Esc goes back")
    func quitAsks() {
        let reducer = makeReducer()
        var model = runningModel()
        #expect(reducer.reduce(&model, .key(.character("q"))).isEmpty)
        guard case .confirm(let confirmation)? = model.topOverlay else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(confirmation.question == "Save result before quitting? (y/n/esc)")
        #expect(reducer.reduce(&model, .key(.escape)).isEmpty)
        #expect(model.overlays.isEmpty)
        _ = reducer.reduce(&model, .key(.character("q")))
        #expect(reducer.reduce(&model, .key(.character("n"))) == [.quit])
    }

    @Test("q, y: save prompt with the next free default name, then save and quit")
    func quitSaves() {
        let reducer = makeReducer(existing: ["/work/result-0001.png"])
        var model = runningModel()
        _ = reducer.reduce(&model, .key(.character("q")))
        #expect(reducer.reduce(&model, .key(.character("y"))).isEmpty)
        guard case .prompt(let prompt)? = model.topOverlay else {
            Issue.record("expected a prompt")
            return
        }
        #expect(prompt.text == "result-0002.png")
        let effects = reducer.reduce(&model, .key(.enter))
        #expect(effects == [.saveResult(tinyImage, path: "/work/result-0002.png", imageVersion: model.imageVersion, thenQuit: true)])
        #expect(reducer.reduce(&model, .resultSaved(path: "/work/result-0002.png", imageVersion: model.imageVersion,
                                                    thenQuit: true)) == [.quit])
        #expect(!model.hasUnsavedResult)
    }

    @Test("saving over an existing file asks first; n asks for another name")
    func overwrite() {
        let reducer = makeReducer(existing: ["/work/out.png"])
        var model = runningModel()
        _ = reducer.reduce(&model, .key(.character("w")))
        _ = reducer.reduce(&model, .key(.control("u")))
        for character in "out" { _ = reducer.reduce(&model, .key(.character(character))) }
        #expect(reducer.reduce(&model, .key(.enter)).isEmpty)    // ".png" added, exists: ask
        guard case .confirm(let confirmation)? = model.topOverlay,
              case .overwriteResult(let path, false) = confirmation.purpose else {
            Issue.record("expected an overwrite question")
            return
        }
        #expect(path == "/work/out.png")
        _ = reducer.reduce(&model, .key(.character("n")))
        guard case .prompt? = model.topOverlay else {
            Issue.record("expected the name prompt again")
            return
        }
        _ = reducer.reduce(&model, .key(.enter))
        #expect(reducer.reduce(&model, .key(.character("y"))) ==
                [.saveResult(tinyImage, path: "/work/out.png", imageVersion: model.imageVersion, thenQuit: false)])
        #expect(model.overlays.isEmpty)
    }

    @Test("a new iteration after saving makes the result unsaved again")
    func unsavedAgain() {
        let reducer = makeReducer()
        var model = runningModel()
        _ = reducer.reduce(&model, .resultSaved(path: "/work/a.png", imageVersion: model.imageVersion, thenQuit: false))
        #expect(!model.hasUnsavedResult)
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 4, losses: nil, image: RGBImage(width: 1, height: 1, pixels: [1, 2, 3]),
                                                             state: .running, settingsGeneration: 1)))
        #expect(model.hasUnsavedResult)
    }

    @Test("a failed save is shown as one line and does not quit")
    func saveFails() {
        let reducer = makeReducer()
        var model = runningModel()
        #expect(reducer.reduce(&model, .resultSaveFailed(message: "cannot write /x.png: permission denied")).isEmpty)
        #expect(model.message == StatusMessage("cannot write /x.png: permission denied", isError: true))
    }
}

@Suite("Reducer: session reports and files")
struct ReducerSessionTests {
    @Test("snapshots fill the chart; a settings change keeps the curve and is marked; a restart starts anew")
    func chartSeries() {
        let reducer = makeReducer()
        var model = makeModel()
        for iteration in 1...5 {
            _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: iteration, losses: LossTerms(content: 1, style: 1, totalVariation: 1),
                                                                 state: .running, settingsGeneration: 1)))
        }
        #expect(model.history.points.map(\.iteration) == [1, 2, 3, 4, 5])
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 6, losses: LossTerms(content: 1, style: 1, totalVariation: 1),
                                                             state: .running, settingsGeneration: 2)))
        #expect(model.history.points.map(\.iteration) == [1, 2, 3, 4, 5, 6])
        #expect(model.history.changes == [6])
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 6, losses: LossTerms(content: 2, style: 1, totalVariation: 1),
                                                             state: .paused, settingsGeneration: 2)))
        #expect(model.history.points.count == 6)
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(iteration: 1, losses: LossTerms(content: 2, style: 1, totalVariation: 1),
                                                             state: .running, settingsGeneration: 2)))
        #expect(model.history.points.map(\.iteration) == [1])     // restarted
        #expect(model.history.changes.isEmpty)
        let picture = LossChart.render(model.history, width: 20, height: 4, unicode: true)
        #expect(picture.changeColumns.isEmpty)
    }

    @Test("a failed session shows its reason")
    func failure() {
        var model = makeModel()
        _ = makeReducer().reduce(&model, .snapshot(SessionSnapshot(state: .failed("image too small: 8x8"))))
        #expect(model.message == StatusMessage("image too small: 8x8", isError: true))
    }

    @Test("loading the second image hands both to the session and starts it")
    func imagesLoaded() {
        let reducer = makeReducer()
        var model = makeModel()
        let content = LoadedImage(path: "/a/c.png", image: tinyImage)
        let style = LoadedImage(path: "/a/s.png", image: RGBImage(width: 1, height: 1, pixels: [9, 9, 9]))
        #expect(reducer.reduce(&model, .imageLoaded(.content, content)).isEmpty)
        // The picker opens for the missing style image.
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("expected the style picker")
            return
        }
        #expect(picker.role == .style)
        model.overlays.removeAll()
        #expect(reducer.reduce(&model, .imageLoaded(.style, style)) == [.loadSession(content: tinyImage, styles: [style.image]), .start])
        // While running, the session restarts by itself.
        model.run.state = .running
        #expect(reducer.reduce(&model, .imageLoaded(.content, content)) == [.loadSession(content: tinyImage, styles: [style.image])])
    }

    @Test("a picture that cannot be read is one line, nothing else changes")
    func loadFails() {
        var model = makeModel()
        #expect(makeReducer().reduce(&model, .imageLoadFailed(.style, message: "/x.png: not a PNG or JPEG file")).isEmpty)
        #expect(model.style == nil)
        #expect(model.message?.isError == true)
    }
}

@Suite("Reducer: presets")
struct ReducerPresetTests {
    let listings = [PresetListing(name: "gatys-classic", description: "classic", isShipped: true),
                    PresetListing(name: "mine", description: "my own", isShipped: false)]

    @Test("p opens the browser and lists presets; Enter loads the selected one")
    func browse() {
        let reducer = makeReducer()
        var model = makeModel()
        #expect(reducer.reduce(&model, .key(.character("p"))) == [.listPresets])
        _ = reducer.reduce(&model, .presetsListed(listings))
        _ = reducer.reduce(&model, .key(.down))
        #expect(reducer.reduce(&model, .key(.enter)) == [.loadPreset(name: "mine")])
    }

    @Test("a click selects a preset, a click on the selected one loads it")
    func clicking() {
        let reducer = makeReducer()
        var model = makeModel()
        model.overlays = [.presets(PresetBrowser())]
        model.presets = listings
        let list = OverlayLayout.presetsList(PresetBrowser(), in: model)
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.column + 2, row: list.rect.row + 1, action: .press))).isEmpty)
        guard case .presets(let browser)? = model.topOverlay else {
            Issue.record("expected the browser")
            return
        }
        #expect(browser.selection == 1)
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.column + 2, row: list.rect.row + 1, action: .press)))
                == [.loadPreset(name: "mine")])
        // Below the last preset: nothing.
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.column + 2, row: list.rect.row + 2, action: .press))).isEmpty)
    }

    @Test("a loaded preset replaces the settings, is applied, loads its images, and shows *modified after a change")
    func loaded() {
        let reducer = makeReducer()
        var model = makeModel()
        model.overlays = [.presets(PresetBrowser())]
        var settings = StyleSettings(size: 256)
        settings.objective.styleWeight = 1000
        let preset = Preset(name: "mine", description: "my own", settings: settings, contentPath: "photos/c.png", stylePath: nil)
        let effects = reducer.reduce(&model, .presetLoaded(preset, warnings: []))
        #expect(effects == [.apply(settings), .loadImage(.content, path: "/work/photos/c.png")])
        #expect(model.overlays.isEmpty)
        #expect(model.activePreset?.name == "mine")
        #expect(!model.isModified)
        _ = reducer.reduce(&model, .key(.right))
        #expect(model.isModified)
    }

    @Test("save as: a new name saves; an existing one asks; a shipped one cannot be deleted")
    func saveAndDelete() {
        let reducer = makeReducer()
        var model = makeModel()
        model.overlays = [.presets(PresetBrowser())]
        model.presets = listings
        _ = reducer.reduce(&model, .key(.character("s")))
        _ = reducer.reduce(&model, .key(.control("u")))
        for character in "Soft" { _ = reducer.reduce(&model, .key(.character(character))) }
        let effects = reducer.reduce(&model, .key(.enter))
        #expect(effects.count == 1)
        guard case .savePreset(let preset, overwrite: false)? = effects.first else {
            Issue.record("expected a save")
            return
        }
        #expect(preset.name == "soft")
        #expect(preset.settings == model.settings)

        _ = reducer.reduce(&model, .key(.character("s")))
        _ = reducer.reduce(&model, .key(.control("u")))
        for character in "mine" { _ = reducer.reduce(&model, .key(.character(character))) }
        #expect(reducer.reduce(&model, .key(.enter)).isEmpty)
        #expect(reducer.reduce(&model, .key(.character("y"))).first.map {
            if case .savePreset(let preset, overwrite: true) = $0 { preset.name == "mine" } else { false }
        } == true)

        // The first entry is shipped: d refuses.
        #expect(reducer.reduce(&model, .key(.character("d"))).isEmpty)
        #expect(model.message?.isError == true)
        _ = reducer.reduce(&model, .key(.down))
        #expect(reducer.reduce(&model, .key(.character("d"))).isEmpty)
        #expect(reducer.reduce(&model, .key(.character("y"))) == [.deletePreset(name: "mine")])
    }

    @Test("an invalid preset name is refused with a message")
    func invalidName() {
        let reducer = makeReducer()
        var model = makeModel()
        model.overlays = [.prompt(TextPrompt(purpose: .savePreset, title: "", text: "../evil"))]
        #expect(reducer.reduce(&model, .key(.enter)).isEmpty)
        #expect(model.message?.isError == true)
    }
}

@Suite("Reducer: mouse")
struct ReducerMouseTests {
    @Test("a click on a slider track sets the value under it; a drag follows; release ends it")
    func dragSlider() throws {
        let reducer = makeReducer()
        var model = makeModel()
        let layout = try #require(model.layout)
        let geometry = ControlsGeometry(rect: layout.controls, scroll: 0)
        let row = try #require(geometry.row(of: .item(.styleWeight)))
        let track = geometry.track
        let effects = reducer.reduce(&model, .mouse(MouseInput(column: track.column + track.width - 1, row: row, action: .press)))
        #expect(model.settings.objective.styleWeight == 1e8)
        #expect(effects == [.apply(model.settings)])
        #expect(model.focusedItem == .styleWeight)
        _ = reducer.reduce(&model, .mouse(MouseInput(column: track.column, row: row + 5, action: .drag)))
        #expect(model.settings.objective.styleWeight == 0.01)      // rows don't matter while dragging
        _ = reducer.reduce(&model, .mouse(MouseInput(column: track.column, row: row, action: .release)))
        #expect(model.dragging == nil)
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: track.column + 3, row: row, action: .drag))).isEmpty)
    }

    @Test("a click on a layer box toggles it; the wheel adjusts the row under it")
    func layerClick() throws {
        let reducer = makeReducer()
        var model = makeModel()
        let layout = try #require(model.layout)
        let geometry = ControlsGeometry(rect: layout.controls, scroll: 0)
        let row = try #require(geometry.row(of: .item(.layer(1))))
        let cell = geometry.layerCell(.style)
        _ = reducer.reduce(&model, .mouse(MouseInput(column: cell.column + 1, row: row, action: .press)))
        #expect(model.settings.objective.styleLayers.contains { $0.layer.index == 1 })
        _ = reducer.reduce(&model, .mouse(MouseInput(column: cell.column + 1, row: row, action: .wheelUp)))
        #expect(model.settings.objective.styleLayers.first { $0.layer.index == 1 }?.weight == 1.25)
    }
}
