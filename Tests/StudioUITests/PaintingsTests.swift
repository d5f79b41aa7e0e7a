import Foundation
import ImageIO
import StudioCore
import Testing
@testable import StudioUI

/// Several style paintings in the studio: add (the picker's "add" mode), weight rows, remove, presets.
/// Like `makeReducer`, but a `.png` path is a file, not a folder (the picker tells them apart by listing).
func paintingsReducer(existing: Set<String> = []) -> StudioReducer {
    StudioReducer(environment: StudioEnvironment(
        currentDirectory: "/work", homeDirectory: "/home/me", fileExists: { existing.contains($0) },
        listDirectory: { path in
            if path.hasSuffix(".png") { throw CocoaError(.fileReadNoSuchFile) }
            return []
        }))
}

@Suite("Reducer: several paintings")
struct PaintingsTests {
    let photo = LoadedImage(path: "/a/photo.png", image: tinyImage)
    let starry = LoadedImage(path: "/a/starry.png", image: RGBImage(width: 1, height: 1, pixels: [1, 2, 3]))
    let wave = LoadedImage(path: "/a/wave.png", image: RGBImage(width: 1, height: 1, pixels: [4, 5, 6]))

    /// A running model with the photo and `starry`.
    func oneStyle() -> StudioModel {
        var model = runningModel()
        model.content = photo
        model.styles = [starry]
        return model
    }

    /// `Y`, type the path, Enter, then the file arrives.
    func add(_ painting: LoadedImage, to model: inout StudioModel, reducer: StudioReducer) -> [StudioEffect] {
        #expect(reducer.reduce(&model, .key(.character("Y"))).isEmpty)
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("Y opens the picker")
            return []
        }
        #expect(picker.role == .style && picker.slot == .add)
        #expect(picker.title.hasPrefix("Add a painting"))
        for character in painting.path { _ = reducer.reduce(&model, .key(.character(character))) }
        #expect(reducer.reduce(&model, .key(.enter)) == [.loadImage(.style, path: painting.path)])
        return reducer.reduce(&model, .imageLoaded(.style, painting))
    }

    @Test("Y adds a painting through the picker: a weight row for it, the blend and both paintings to the session")
    func addPainting() {
        let reducer = paintingsReducer(existing: [wave.path])
        var model = oneStyle()
        let effects = add(wave, to: &model, reducer: reducer)
        #expect(model.overlays.isEmpty)
        #expect(model.styles.map(\.path) == [starry.path, wave.path])
        #expect(model.settings.objective.styleBlend == [1, 1])
        // Running: the session restarts by itself, so no .start.
        #expect(effects == [.apply(model.settings), .loadSession(content: photo.image, styles: [starry.image, wave.image])])
        #expect(model.controlItems.filter { if case .painting = $0 { true } else { false } }.count == 2)
        #expect(model.focusedItem == .painting(1))
        #expect(model.message?.text.contains("starry.png 50% + wave.png 50%") == true)
    }

    @Test("a painting's weight row moves its blend weight, applied at the next iteration; the share is shown")
    func weightRow() {
        let reducer = paintingsReducer(existing: [wave.path])
        var model = oneStyle()
        _ = add(wave, to: &model, reducer: reducer)
        #expect(reducer.reduce(&model, .key(.character("<"))) == [.apply(model.settings)])
        #expect(abs(model.settings.objective.styleBlend[1] - 0.1) < 1e-9 && model.settings.objective.styleBlend[0] == 1)
        #expect(model.message?.text == "blend: starry.png 91% + wave.png 9%")
        #expect(abs(model.controls.paintingShare(1, of: 2) - 0.1 / 1.1) < 1e-12)
        // The weights are settings: a change the session would refuse is not possible from the slider (never 0).
        for _ in 0..<40 { _ = reducer.reduce(&model, .key(.left)) }
        #expect(model.settings.objective.styleBlend[1] == ControlValues.paintingWeightSlider.minimum)
        #expect((try? SettingsValidation.validate(model.settings)) != nil)
    }

    @Test("one painting is exactly the single-style computation: no blend, and its row has no weight to set")
    func onePainting() {
        let reducer = paintingsReducer()
        var model = oneStyle()
        _ = reducer.reduce(&model, .key(.down))
        _ = reducer.reduce(&model, .key(.down))
        #expect(model.focusedItem == .painting(0))
        #expect(reducer.reduce(&model, .key(.right)).isEmpty)
        #expect(model.settings.objective.styleBlend.isEmpty)
        #expect(model.message?.text.contains("Y adds another") == true)
    }

    @Test("d removes the focused painting and its weight; the last one cannot be removed")
    func removePainting() {
        let reducer = paintingsReducer(existing: [wave.path])
        var model = oneStyle()
        _ = add(wave, to: &model, reducer: reducer)
        _ = reducer.reduce(&model, .key(.up))              // painting 1 (starry)
        #expect(model.focusedItem == .painting(0))
        let effects = reducer.reduce(&model, .key(.character("d")))
        #expect(model.styles == [wave])
        #expect(model.settings.objective.styleBlend.isEmpty)
        #expect(effects == [.apply(model.settings), .loadSession(content: photo.image, styles: [wave.image])])
        #expect(model.focusedItem == .painting(0))
        #expect(reducer.reduce(&model, .key(.character("d"))).isEmpty)
        #expect(model.styles == [wave])
        #expect(model.message?.isError == true && model.message?.text.contains("last painting") == true)
        // Not on a painting row: says where to go.
        _ = reducer.reduce(&model, .key(.up))
        #expect(reducer.reduce(&model, .key(.character("d"))).isEmpty)
        #expect(model.message?.text.contains("painting row") == true)
    }

    @Test("y on a painting row replaces that painting; Tab in the picker switches to adding")
    func replaceAndSwitch() {
        let reducer = paintingsReducer(existing: [wave.path])
        var model = oneStyle()
        _ = add(wave, to: &model, reducer: reducer)
        _ = reducer.reduce(&model, .key(.character("y")))
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("y opens the picker")
            return
        }
        #expect(picker.slot == .replace(1))
        _ = reducer.reduce(&model, .key(.tab))
        guard case .picker(let switched)? = model.topOverlay else { return }
        #expect(switched.slot == .add)
        _ = reducer.reduce(&model, .key(.tab))
        guard case .picker(let back)? = model.topOverlay else { return }
        #expect(back.slot == .replace(1))
        let other = LoadedImage(path: wave.path, image: RGBImage(width: 1, height: 1, pixels: [7, 7, 7]))
        _ = reducer.reduce(&model, .key(.enter))
        // Enter on nothing selected (the fake folder is empty): type the path instead.
        for character in other.path { _ = reducer.reduce(&model, .key(.character(character))) }
        _ = reducer.reduce(&model, .key(.enter))
        let effects = reducer.reduce(&model, .imageLoaded(.style, other))
        #expect(model.styles.map(\.image) == [starry.image, other.image])
        #expect(model.settings.objective.styleBlend == [1, 1])
        #expect(effects == [.loadSession(content: photo.image, styles: [starry.image, other.image])])
    }

    @Test("a bad file while adding: one message, the picker stays open in its mode, nothing changes")
    func badFile() {
        let reducer = paintingsReducer(existing: ["/a/broken.png"])
        var model = oneStyle()
        _ = reducer.reduce(&model, .key(.character("Y")))
        for character in "/a/broken.png" { _ = reducer.reduce(&model, .key(.character(character))) }
        _ = reducer.reduce(&model, .key(.enter))
        _ = reducer.reduce(&model, .imageLoadFailed(.style, message: "cannot read '/a/broken.png': file is truncated"))
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("the picker stays open")
            return
        }
        #expect(picker.slot == .add && picker.loading == nil)
        #expect(picker.error == "cannot read '/a/broken.png': file is truncated")
        #expect(model.styles == [starry] && model.settings.objective.styleBlend.isEmpty)
    }

    @Test("a preset saved with two paintings holds both with their weights; loading it restores them")
    func presetRoundTrip() throws {
        let reducer = paintingsReducer(existing: [wave.path])
        var model = oneStyle()
        _ = add(wave, to: &model, reducer: reducer)
        _ = reducer.reduce(&model, .key(.character("-")))
        let saved = reducer.presetToSave(named: "two", model: model)
        #expect(saved.stylePaths == [starry.path, wave.path])
        #expect(saved.settings.objective.styleBlend.count == 2)
        // Through the file format and back.
        let folder = NSTemporaryDirectory() + "paintings-preset-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = PresetStore(shippedDirectory: nil, userDirectory: URL(fileURLWithPath: folder))
        _ = try store.save(saved, overwrite: false)
        let read = try store.load(nameOrPath: "two").preset
        #expect(read.stylePaths == saved.stylePaths)
        #expect(read.settings.objective.styleBlend == saved.settings.objective.styleBlend)

        var fresh = oneStyle()
        let effects = reducer.reduce(&fresh, .presetLoaded(read, warnings: []))
        #expect(effects == [.apply(read.settings), .loadPaintings(paths: [starry.path, wave.path])])
        let loaded = reducer.reduce(&fresh, .paintingsLoaded([starry, wave]))
        #expect(fresh.styles == [starry, wave])
        #expect(fresh.settings.objective.styleBlend == saved.settings.objective.styleBlend)
        #expect(loaded == [.apply(fresh.settings), .loadSession(content: photo.image, styles: [starry.image, wave.image])])
        #expect(!fresh.isModified)
        // A one-painting preset brings the list back to one, with no blend.
        let single = Preset(name: "one", settings: StyleSettings(), stylePath: starry.path)
        #expect(reducer.reduce(&fresh, .presetLoaded(single, warnings: [])).contains(.loadPaintings(paths: [starry.path])))
        _ = reducer.reduce(&fresh, .paintingsLoaded([starry]))
        #expect(fresh.styles == [starry] && fresh.settings.objective.styleBlend.isEmpty)
    }

    @Test("the help lists the painting keys and still fits 80x24; the footer offers removing on a painting row")
    func keysInTheMap() {
        #expect(KeyMap.helpLines().contains { $0.label == "c/y/Y/d/p" })
        #expect(KeyMap.binding(for: .character("Y"), in: makeModel())?.name == "add painting")
        #expect(KeyMap.binding(for: .character("d"), in: makeModel())?.name == "remove painting")
    }
}
