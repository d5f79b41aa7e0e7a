import Foundation
import ImageIO
import StudioCore

/// The studio's behaviour as a pure function of (model, event) -> (model, effects), testable without a terminal.
public struct StudioReducer: Sendable {
    public let environment: StudioEnvironment

    public init(environment: StudioEnvironment) {
        self.environment = environment
    }

    public func reduce(_ model: inout StudioModel, _ event: StudioEvent) -> [StudioEffect] {
        switch event {
        case .key(let key):
            return handleKey(key, in: &model)
        case .mouse(let mouse):
            return handleMouse(mouse, in: &model)
        case .resized(let columns, let rows):
            model.columns = columns
            model.rows = rows
            keepFocusVisible(&model)
            return []
        case .snapshot(let snapshot):
            absorb(snapshot, into: &model)
            return []
        case .imageLoaded(let role, let loaded):
            return imageLoaded(role, loaded, into: &model)
        case .paintingsLoaded(let loaded):
            return paintingsLoaded(loaded, in: &model)
        case .imageLoadFailed(let role, let message):
            if case .picker(var picker)? = model.topOverlay, picker.role == role, picker.loading != nil {
                picker.loading = nil
                picker.error = message
                model.overlays[model.overlays.count - 1] = .picker(picker)
            } else {
                model.message = StatusMessage(message, isError: true)
            }
            return []
        case .filePreviewLoaded(let path, let image, let originalSize):
            updatePicker(&model) { picker in
                guard picker.previewPath == path else { return }
                picker.preview = image
                picker.previewOriginalSize = originalSize
                picker.previewError = nil
            }
            return []
        case .filePreviewFailed(let path, let message):
            updatePicker(&model) { picker in
                if picker.previewPath == path { picker.preview = nil; picker.previewError = message }
            }
            return []
        case .resultSaved(let path, let imageVersion, let thenQuit):
            model.savedImageVersion = imageVersion
            model.nextResultNumber += 1
            model.message = StatusMessage("saved \(path) at the working size (f renders full size)")
            return thenQuit ? [.quit] : []
        case .resultSaveFailed(let message):
            model.message = StatusMessage(message, isError: true)
            return []
        case .presetsListed(let presets):
            model.presets = presets
            updatePresetBrowser(&model) { browser in
                browser.selection = min(browser.selection, max(presets.count - 1, 0))
            }
            return []
        case .presetLoaded(let preset, let warnings):
            return presetLoaded(preset, warnings: warnings, into: &model)
        case .presetSaved(let preset):
            model.activePreset = ActivePreset(name: preset.name, description: preset.description, settings: preset.settings)
            model.message = StatusMessage("saved preset \(preset.name)")
            return [.listPresets]
        case .presetDeleted(let name):
            if model.activePreset?.name == name { model.activePreset = nil }
            model.message = StatusMessage("deleted preset \(name)")
            return [.listPresets]
        case .presetFailed(let message):
            model.message = StatusMessage(message, isError: true)
            return []
        case .finalRender(let event):
            return absorb(event, into: &model)
        case .iterationCostCalibrated(let sample):
            model.iterationCalibration = sample
            refreshOpenFinalRenderDialog(&model)
            return []
        case .recordingStarted, .recordingFinished, .recordingFailed:
            reduceRecording(event, in: &model)
            return []
        }
    }

    // MARK: - Session reports

    func absorb(_ snapshot: SessionSnapshot, into model: inout StudioModel) {
        let previousState = model.run.state
        model.run.iteration = snapshot.iteration
        model.run.losses = snapshot.losses
        model.run.secondsPerIteration = snapshot.secondsPerIteration
        model.run.state = snapshot.state
        if case .preparing = snapshot.state {} else { model.run.settledState = snapshot.state }
        model.run.settingsGeneration = snapshot.settingsGeneration
        if let image = snapshot.image, image != model.image {
            model.image = image
            model.imageVersion += 1
        }
        if let losses = snapshot.losses, snapshot.iteration > 0 {
            model.history.record(iteration: snapshot.iteration, losses: losses, generation: snapshot.settingsGeneration)
        } else if snapshot.iteration == 0, !model.history.points.isEmpty {
            model.history.reset(generation: snapshot.settingsGeneration)
        }
        if snapshot.state == .finished, previousState != .finished, model.iterationLimitReached, let limit = model.iterationLimit {
            model.message = StatusMessage("stopped at the \(limit)-iteration limit (--iterations): space goes on")
        }
        if case .failed(let reason) = snapshot.state, previousState != snapshot.state {
            model.message = StatusMessage(reason, isError: true)
        }
        if snapshot.rejectionCount > model.run.rejectionCount {
            // A change the session refused: show why, and put the controls back to what is in effect.
            model.run.rejectionCount = snapshot.rejectionCount
            model.controls.replace(with: snapshot.settings)
            model.message = StatusMessage(snapshot.rejection ?? "that change was refused", isError: true)
        }
    }

    func imageLoaded(_ role: ImageRole, _ loaded: LoadedImage, into model: inout StudioModel) -> [StudioEffect] {
        let isRunning = model.run.state == .running
        var slot = PaintingSlot.replace(0)
        if case .picker(let picker)? = model.topOverlay, picker.role == role, picker.loading == loaded.path {
            slot = picker.slot
            model.overlays.removeLast()
        }
        model.message = StatusMessage("\(role.rawValue): \(loaded.path.lastComponent) (\(loaded.image.width)x\(loaded.image.height))")
        if role == .content { model.content = loaded } else { paintingLoaded(loaded, slot: slot, in: &model) }
        guard let content = model.content, !model.styles.isEmpty else {
            // First image of two: ask for the other one.
            return model.overlays.isEmpty ? openPicker(role == .content ? .style : .content, in: &model) : []
        }
        // The session restarts a running optimization from the new images' init by itself; otherwise start it.
        var effects: [StudioEffect] = role == .style && slot == .add ? [.apply(model.controls.settings)] : []
        effects.append(.loadSession(content: content.image, styles: model.styles.map(\.image)))
        if !isRunning { effects.append(.start) }
        return effects
    }

    func presetLoaded(_ preset: Preset, warnings: [String], into model: inout StudioModel) -> [StudioEffect] {
        func resolved(_ written: String) -> String {
            FileListing.resolve(written, against: environment.currentDirectory, home: environment.homeDirectory)
        }
        // Every painting of the preset, with its weights (in its settings); without paintings, the loaded ones stay.
        let paintings = preset.stylePaths.map(resolved)
        let loadsPaintings = !paintings.isEmpty && paintings != model.styles.map(\.path)
        model.controls.replace(with: preset.settings)
        if !loadsPaintings { model.controls.fitPaintings(model.styles.count) }
        model.activePreset = ActivePreset(name: preset.name, description: preset.description,
                                          settings: model.controls.settings)
        if case .presets? = model.topOverlay { model.overlays.removeLast() }
        keepFocusVisible(&model)
        let note = warnings.isEmpty ? (preset.description.isEmpty ? "" : ": " + preset.description)
            : " (" + warnings.joined(separator: "; ") + ")"
        model.message = StatusMessage("loaded preset \(preset.name)" + note, isError: !warnings.isEmpty)
        var effects: [StudioEffect] = [.apply(model.controls.settings)]
        if let written = preset.contentPath, resolved(written) != model.content?.path {
            effects.append(.loadImage(.content, path: resolved(written)))
        }
        if loadsPaintings { effects.append(.loadPaintings(paths: paintings)) }
        return effects
    }

    // MARK: - Keys

    func handleKey(_ key: Key, in model: inout StudioModel) -> [StudioEffect] {
        if let overlay = model.topOverlay {
            return handleOverlayKey(key, overlay: overlay, in: &model)
        }
        model.message = nil
        if model.layout == nil {
            // Too small: only quitting makes sense.
            return key == .character("q") ? requestQuit(&model) : []
        }
        if model.finalRender != nil, key == .character(" ") || key == .character("r") {
            model.message = StatusMessage("the live run waits for the final render (f cancels it)", isError: true)
            return []
        }
        guard let binding = KeyMap.binding(for: key, in: model) else { return [] }
        return binding.action(self, &model)
    }

    func togglePause(_ model: StudioModel) -> StudioEffect {
        RunControl.spaceEffect(model.run)
    }

    /// Space: pause, resume or start; resuming at the iteration limit goes on past it (the session lifts it).
    func pressSpace(in model: inout StudioModel) -> [StudioEffect] {
        let effect = togglePause(model)
        if effect == .resume, model.iterationLimitReached, let limit = model.iterationLimit {
            model.iterationLimit = nil
            model.message = StatusMessage("going on past the \(limit)-iteration limit")
        }
        return [effect]
    }

    func restart(in model: inout StudioModel) -> [StudioEffect] {
        model.history.reset(generation: model.history.generation)
        model.message = StatusMessage("restarted from the \(model.settings.initialization) image")
        return [.start]
    }

    func flipKept(in model: inout StudioModel) {
        if model.kept == nil {
            model.message = StatusMessage("nothing kept yet: press b to keep the current result as A")
        } else {
            model.showingKept.toggle()
        }
    }

    func moveFocus(by delta: Int, in model: inout StudioModel) {
        model.focus = min(max(model.focus + delta, 0), model.controlItems.count - 1)
        keepFocusVisible(&model)
    }

    /// Tab order: each row is one field, except layer rows, which have a content and a style field.
    func moveField(forward: Bool, in model: inout StudioModel) {
        let isLayer: Bool
        if case .layer = model.focusedItem { isLayer = true } else { isLayer = false }
        if forward {
            if isLayer && model.focusTerm == .content {
                model.focusTerm = .style
            } else {
                model.focus = (model.focus + 1) % model.controlItems.count
                model.focusTerm = .content
            }
        } else {
            if isLayer && model.focusTerm == .style {
                model.focusTerm = .content
            } else {
                model.focus = (model.focus - 1 + model.controlItems.count) % model.controlItems.count
                model.focusTerm = .style
            }
        }
        keepFocusVisible(&model)
    }

    func keepFocusVisible(_ model: inout StudioModel) {
        guard let layout = model.layout else { return }
        model.controlsScroll = ControlsGeometry.scroll(keeping: model.focusedItem,
                                                       visibleIn: ControlsGeometry(rect: layout.controls, scroll: 0).scrollingHeight,
                                                       current: model.controlsScroll, paintings: model.styles.count)
    }

    func adjustFocused(by steps: Int, in model: inout StudioModel) -> [StudioEffect] {
        let item = model.focusedItem
        let steps = [.size, .optimizer, .initialization, .styleLoss, .color].contains(item) ? steps.signum() : steps
        guard model.controls.adjust(item, term: model.focusTerm, by: steps) else {
            if case .painting = item, model.styles.count <= 1 {
                model.message = StatusMessage("one painting is the whole style target: Y adds another to blend with")
            }
            return []
        }
        if case .painting = item { model.message = StatusMessage("blend: " + Self.paintingsSummary(model)) }
        if let summary = item.summary(model.settings) { model.message = StatusMessage(summary) }
        return [.apply(model.controls.settings)]
    }

    func switchOffFocused(in model: inout StudioModel) -> [StudioEffect] {
        let item = model.focusedItem
        if case .layer(let index) = item {
            guard model.controls.choice(layer: index, term: model.focusTerm).isEnabled else { return [] }
            return toggleLayer(index, term: model.focusTerm, in: &model)
        }
        guard let slider = item.slider, slider.allowsZero, model.controls.setWeight(0, of: item) else { return [] }
        return [.apply(model.controls.settings)]
    }

    func activateFocused(in model: inout StudioModel) -> [StudioEffect] {
        switch model.focusedItem {
        case .layer(let index): return toggleLayer(index, term: model.focusTerm, in: &model)
        case .optimizer, .initialization, .size, .seed, .styleLoss, .color: return adjustFocused(by: 1, in: &model)
        case .painting(let index): return openPicker(.style, slot: .replace(index), in: &model)
        default: return []
        }
    }

    func toggleLayer(_ index: Int, term: LayerTerm, in model: inout StudioModel) -> [StudioEffect] {
        switch model.controls.toggle(layer: index, term: term) {
        case .success:
            let objective = model.controls.settings.objective
            if objective.contentLayers.isEmpty {
                model.message = StatusMessage("no content layer left: nothing keeps the photo's shapes (content weight has no effect)",
                                              isError: true)
            } else if objective.styleLayers.isEmpty {
                model.message = StatusMessage("no style layer left: nothing brings in the painting (style weight has no effect)",
                                              isError: true)
            }
            return [.apply(model.controls.settings)]
        case .failure(let refusal):
            model.message = StatusMessage(refusal.description, isError: true)
            return []
        }
    }

    func keepResult(in model: inout StudioModel) {
        guard let image = model.image else {
            model.message = StatusMessage("no result to keep yet", isError: true)
            return
        }
        model.kept = KeptResult(image: image, settings: model.controls.settings, iteration: model.run.iteration,
                                losses: model.run.losses, serial: (model.kept?.serial ?? 0) + 1)
        model.showingKept = false
        model.message = StatusMessage("kept iteration \(model.run.iteration) as A; press a to flip A/B")
    }

    func toggleGraphics(in model: inout StudioModel) {
        guard let graphics = model.graphicsProtocol else {
            model.message = StatusMessage("no sixel/kitty graphics detected: --graphics sixel|kitty forces them (in tmux: see ? help)",
                                          isError: true)
            return
        }
        model.graphicsEnabled.toggle()
        model.message = StatusMessage(model.graphicsEnabled ? "full-resolution preview (\(graphics.rawValue))" : "symbol preview")
    }

    func requestQuit(_ model: inout StudioModel) -> [StudioEffect] {
        guard model.hasUnsavedResult else { return [.quit] }
        model.overlays.append(.confirm(Confirmation(purpose: .quitUnsaved, question: "Save result before quitting? (y/n/esc)")))
        return []
    }

    // MARK: - Saving

    /// `result-0001.png` … : the first name that does not exist in the current directory.
    func defaultResultName(_ model: StudioModel) -> String {
        var number = model.nextResultNumber
        while true {
            let name = "result-" + String(repeating: "0", count: max(0, 4 - String(number).count)) + "\(number).png"
            if !environment.fileExists(FileListing.resolve(name, against: environment.currentDirectory,
                                                           home: environment.homeDirectory)) || number > 99_999 {
                return name
            }
            number += 1
        }
    }

    func openSavePrompt(thenQuit: Bool, in model: inout StudioModel) {
        guard (thenQuit ? model.image : model.displayedResult) != nil else {
            model.message = StatusMessage("no result to save yet", isError: true)
            return
        }
        let which = model.showingKept && !thenQuit ? "kept result (A)" : "result"
        model.overlays.append(.prompt(TextPrompt(purpose: .saveResult(thenQuit: thenQuit),
                                                 title: "Save \(which) at working size (PNG, or JPEG for .jpg):", text: defaultResultName(model))))
    }

    func submitSave(_ text: String, thenQuit: Bool, in model: inout StudioModel) -> [StudioEffect] {
        var name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            model.message = StatusMessage("type a file name", isError: true)
            return []
        }
        // PNG unless the name asks for JPEG.
        if !ImageFileKind.isJPEG(name) && !name.lowercased().hasSuffix(".png") { name += ".png" }
        let path = FileListing.resolve(name, against: environment.currentDirectory, home: environment.homeDirectory)
        model.overlays.removeLast()
        if environment.fileExists(path) {
            model.overlays.append(.confirm(Confirmation(purpose: .overwriteResult(path: path, thenQuit: thenQuit),
                                                        question: "\(path.lastComponent) exists. Overwrite? (y/n)")))
            return []
        }
        return saveEffect(path: path, thenQuit: thenQuit, model: model)
    }

    /// Saves what is shown (A or B); before quitting always the live result, the one that would be lost.
    func saveEffect(path: String, thenQuit: Bool, model: StudioModel) -> [StudioEffect] {
        let savesKept = model.showingKept && !thenQuit && model.kept != nil
        guard let image = savesKept ? model.kept?.image : model.image else { return [] }
        let version = savesKept ? model.savedImageVersion : model.imageVersion
        return [.saveResult(image, path: path, imageVersion: version, thenQuit: thenQuit)]
    }
}

extension StudioReducer {
    func updatePicker(_ model: inout StudioModel, _ change: (inout FilePicker) -> Void) {
        guard let index = model.overlays.lastIndex(where: { if case .picker = $0 { true } else { false } }),
              case .picker(var picker) = model.overlays[index] else { return }
        change(&picker)
        model.overlays[index] = .picker(picker)
    }

    func updatePresetBrowser(_ model: inout StudioModel, _ change: (inout PresetBrowser) -> Void) {
        guard let index = model.overlays.lastIndex(where: { if case .presets = $0 { true } else { false } }),
              case .presets(var browser) = model.overlays[index] else { return }
        change(&browser)
        model.overlays[index] = .presets(browser)
    }
}
