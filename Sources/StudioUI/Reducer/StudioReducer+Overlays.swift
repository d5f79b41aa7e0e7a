import Foundation
import StudioCore

extension StudioReducer {
    func handleOverlayKey(_ key: Key, overlay: Overlay, in model: inout StudioModel) -> [StudioEffect] {
        switch overlay {
        case .help:
            model.overlays.removeLast()
            return []
        case .prompt(var prompt):
            switch key {
            case .escape:
                model.overlays.removeLast()
                return []
            case .enter:
                return submit(prompt, in: &model)
            case .backspace, .delete:
                if !prompt.text.isEmpty { prompt.text.removeLast() }
            case .control("u"):
                prompt.text = ""
            case .character(let character) where !character.isNewline:
                prompt.text.append(character)
            default:
                return []
            }
            model.overlays[model.overlays.count - 1] = .prompt(prompt)
            return []
        case .confirm(let confirmation):
            return answer(confirmation, key: key, in: &model)
        case .picker(let picker):
            return handlePickerKey(key, picker: picker, in: &model)
        case .presets(let browser):
            return handlePresetsKey(key, browser: browser, in: &model)
        case .finalRender(let dialog):
            return handleFinalRenderKey(key, dialog: dialog, in: &model)
        }
    }

    /// Runs the binding of `key` in an overlay's key map on the overlay's state (`state`, the top overlay's);
    /// `putBack` puts the changed state back on top, unless the action closed the overlay or opened another
    /// over it. A key the map does not bind does nothing.
    func dispatch<State>(_ key: Key, through keys: OverlayKeyMap<State>, state: State, in model: inout StudioModel,
                         putBack: (State, inout StudioModel) -> [StudioEffect]) -> [StudioEffect] {
        guard let binding = keys.binding(for: key, in: state) else { return [] }
        var state = state
        let depth = model.overlays.count
        let effects = binding.action(self, key, &state, &model)
        guard model.overlays.count == depth else { return effects }
        return effects + putBack(state, &model)
    }

    func submit(_ prompt: TextPrompt, in model: inout StudioModel) -> [StudioEffect] {
        switch prompt.purpose {
        case .saveResult(let thenQuit):
            return submitSave(prompt.text, thenQuit: thenQuit, in: &model)
        case .savePreset:
            let name = prompt.text.trimmingCharacters(in: .whitespaces).lowercased()
            guard Preset.isValidName(name) else {
                model.message = StatusMessage("a preset name uses a-z, 0-9, '.', '_' and '-' (e.g. soft-starry)", isError: true)
                return []
            }
            model.overlays.removeLast()
            if let existing = model.presets.first(where: { $0.name == name }) {
                let question = existing.isShipped
                    ? "\(name) is shipped: save your own \(name) that hides it? (y/n)"
                    : "Preset \(name) exists. Overwrite? (y/n)"
                model.overlays.append(.confirm(Confirmation(purpose: .overwritePreset(name: name), question: question)))
                return []
            }
            return [.savePreset(presetToSave(named: name, model: model), overwrite: false)]
        }
    }

    /// The current settings and images as a preset named `name` (keeping the description of the preset it replaces).
    func presetToSave(named name: String, model: StudioModel) -> Preset {
        let description = model.activePreset?.name == name ? model.activePreset?.description
            : model.presets.first { $0.name == name }?.description
        return Preset(name: name, description: description ?? "saved from the studio", settings: model.controls.settings,
                      contentPath: model.content?.path, stylePaths: model.styles.map(\.path))
    }

    func answer(_ confirmation: Confirmation, key: Key, in model: inout StudioModel) -> [StudioEffect] {
        let yes = key == .character("y") || key == .character("Y")
        let no = key == .character("n") || key == .character("N")
        guard yes || no || key == .escape else { return [] }
        model.overlays.removeLast()
        switch confirmation.purpose {
        case .quitUnsaved:
            if yes { openSavePrompt(thenQuit: true, in: &model); return [] }
            return no ? [.quit] : []
        case .overwriteResult(let path, let thenQuit):
            if yes { return saveEffect(path: path, thenQuit: thenQuit, model: model) }
            // No: ask for another name.
            if no { model.overlays.append(.prompt(TextPrompt(purpose: .saveResult(thenQuit: thenQuit),
                                                             title: "Save result (PNG, or JPEG for .jpg):",
                                                             text: path.lastComponent))) }
            return []
        case .overwritePreset(let name):
            return yes ? [.savePreset(presetToSave(named: name, model: model), overwrite: true)] : []
        case .deletePreset(let name):
            return yes ? [.deletePreset(name: name)] : []
        }
    }

    // MARK: - Presets browser

    /// A key in the presets browser: what `KeyMap.presets` says.
    func handlePresetsKey(_ key: Key, browser: PresetBrowser, in model: inout StudioModel) -> [StudioEffect] {
        dispatch(key, through: KeyMap.presets, state: browser, in: &model) { browser, model in
            model.overlays[model.overlays.count - 1] = .presets(browser)
            return []
        }
    }

    /// The preset highlighted in the browser, if any.
    func selectedPreset(_ browser: PresetBrowser, in model: StudioModel) -> PresetListing? {
        model.presets.indices.contains(browser.selection) ? model.presets[browser.selection] : nil
    }

    /// Asks for a name to save the current settings under (the active preset's, or its `-mine` twin for a
    /// shipped one).
    func openSavePresetPrompt(in model: inout StudioModel) {
        let name = model.activePreset.map { active in
            model.presets.first { $0.name == active.name }?.isShipped == true ? active.name + "-mine" : active.name
        } ?? "my-preset"
        model.overlays.append(.prompt(TextPrompt(purpose: .savePreset, title: "Save settings as preset:", text: name)))
    }

    /// Asks whether to delete the highlighted preset; a shipped one cannot be deleted, and says so.
    func askToDeleteSelectedPreset(_ browser: PresetBrowser, in model: inout StudioModel) {
        guard let selected = selectedPreset(browser, in: model) else { return }
        if selected.isShipped {
            model.message = StatusMessage("\(selected.name) is shipped with Style Studio and cannot be deleted", isError: true)
            return
        }
        model.overlays.append(.confirm(Confirmation(purpose: .deletePreset(name: selected.name),
                                                    question: "Delete preset \(selected.name)? (y/n)")))
    }

    // MARK: - File picker

    func openPicker(_ role: ImageRole, slot: PaintingSlot = .replace(0), in model: inout StudioModel) -> [StudioEffect] {
        let painting: LoadedImage? = switch slot {
        case .replace(let index): model.styles.indices.contains(index) ? model.styles[index] : model.style
        case .add: model.styles.last
        }
        let current = role == .content ? model.content?.path : painting?.path
        let directory = current.map(FileListing.parent(of:)) ?? environment.currentDirectory
        var picker = FilePicker(role: role, directory: directory, slot: role == .style ? slot : .replace(0))
        list(&picker, selecting: slot == .add ? nil : current?.lastComponent)
        var effects: [StudioEffect] = []
        if let path = picker.selectedPath, picker.selectedEntry?.isDirectory == false {
            picker.previewPath = path
            effects.append(.previewFile(path: path))
        }
        model.overlays.append(.picker(picker))
        return effects
    }

    /// Lists the picker's directory and selects `name` (or the first image, or the first entry).
    func list(_ picker: inout FilePicker, selecting name: String?) {
        do {
            picker.entries = try environment.listDirectory(picker.directory)
            picker.error = nil
        } catch {
            picker.entries = picker.directory == "/" ? [] : [DirectoryEntry(name: "..", isDirectory: true)]
            picker.error = "\(error)"
        }
        picker.selection = name.flatMap { wanted in picker.entries.firstIndex { $0.name == wanted } }
            ?? picker.entries.firstIndex { !$0.isDirectory }
            ?? 0
        picker.preview = nil
        picker.previewOriginalSize = nil
        picker.previewError = nil
        picker.previewPath = nil
    }

    /// A key in the file picker: what `KeyMap.picker` says.
    func handlePickerKey(_ key: Key, picker: FilePicker, in model: inout StudioModel) -> [StudioEffect] {
        dispatch(key, through: KeyMap.picker, state: picker, in: &model) { picker, model in commit(picker, in: &model) }
    }

    /// Enter: opens the typed path or the highlighted entry. A folder is listed; a file is read, and the
    /// picker stays open until it has loaded (a bad file leaves it open with the reason).
    func openChosen(_ picker: inout FilePicker) -> [StudioEffect] {
        let target: String
        if !picker.typed.isEmpty {
            target = FileListing.resolve(picker.typed, against: picker.directory, home: environment.homeDirectory)
        } else if let path = picker.selectedPath {
            target = path
        } else {
            return []
        }
        let isDirectory = picker.typed.isEmpty ? (picker.selectedEntry?.isDirectory ?? false) : isExistingDirectory(target)
        if isDirectory {
            let from = picker.selectedEntry?.name == ".." ? picker.directory.lastComponent : nil
            picker.directory = target
            picker.typed = ""
            list(&picker, selecting: from)
        } else if !environment.fileExists(target) {
            picker.error = "no such file: \(target)"
        } else {
            picker.loading = target
            picker.error = nil
            picker.typed = ""
            return [.loadImage(picker.role, path: target)]
        }
        return []
    }

    /// ←: lists the parent folder, with the folder we came from highlighted.
    func leaveFolder(_ picker: inout FilePicker) {
        let from = picker.directory.lastComponent
        picker.directory = FileListing.parent(of: picker.directory)
        list(&picker, selecting: from)
    }

    /// →: lists the highlighted folder (nothing on a file).
    func enterSelectedFolder(_ picker: inout FilePicker) {
        guard let entry = picker.selectedEntry, entry.isDirectory, let path = picker.selectedPath else { return }
        picker.directory = path
        list(&picker, selecting: nil)
    }

    /// Backspace: erases the last typed character, or with nothing typed goes up a folder.
    func eraseTyped(_ picker: inout FilePicker) {
        if picker.typed.isEmpty {
            leaveFolder(&picker)
        } else {
            picker.typed.removeLast()
        }
    }

    /// A typed character: one more of the path, which the list follows.
    func type(_ character: Character, into picker: inout FilePicker) {
        picker.typed.append(character)
        followTypedPath(&picker)
    }

    /// Puts the changed picker back on top and asks for a preview of the newly highlighted file.
    func commit(_ picker: FilePicker, in model: inout StudioModel) -> [StudioEffect] {
        var picker = picker, effects: [StudioEffect] = []
        if let path = picker.selectedPath, picker.selectedEntry?.isDirectory == false, picker.previewPath != path {
            picker.previewPath = path
            picker.preview = nil
            picker.previewOriginalSize = nil
            picker.previewError = nil
            effects.append(.previewFile(path: path))
        }
        model.overlays[model.overlays.count - 1] = .picker(picker)
        return effects
    }

    /// While a path is typed the list follows it: a typed folder ending in `/` is listed at once (and the
    /// typing goes on inside it); otherwise the first entry starting with the typed name is selected.
    func followTypedPath(_ picker: inout FilePicker) {
        picker.error = nil
        if picker.typed.hasSuffix("/") {
            let folder = FileListing.resolve(picker.typed, against: picker.directory, home: environment.homeDirectory)
            guard isExistingDirectory(folder) else { return }
            picker.directory = folder
            picker.typed = ""
            list(&picker, selecting: nil)
        } else if !picker.typed.contains("/"),
                  let match = picker.entries.firstIndex(where: { $0.name.hasPrefix(picker.typed) }) {
            picker.selection = match
        }
    }

    func isExistingDirectory(_ path: String) -> Bool {
        (try? environment.listDirectory(path)) != nil
    }
}
