import StudioCore

/// Several style paintings: `y` replaces the painting under the focus (or the first), `Y` adds one, `d` removes
/// the one under the focus; each has a weight row in the controls (applied at the next iteration like every
/// setting). The last painting cannot be removed. One painting is exactly the single-style computation (no blend).
extension StudioReducer {
    /// `y`: the picker replaces the painting under the focus, or the first.
    func replacePaintingKey(in model: inout StudioModel) -> [StudioEffect] {
        openPicker(.style, slot: .replace(model.focusedPainting ?? 0), in: &model)
    }

    /// `Y`: the picker adds a painting to the blend (or opens the first one).
    func addPaintingKey(in model: inout StudioModel) -> [StudioEffect] {
        openPicker(.style, slot: model.styles.isEmpty ? .replace(0) : .add, in: &model)
    }

    /// `d`: removes the painting under the focus, never the last one.
    func removePaintingKey(in model: inout StudioModel) -> [StudioEffect] {
        guard let index = model.focusedPainting else {
            model.message = StatusMessage("move to a painting row (under style) to remove that painting", isError: true)
            return []
        }
        guard model.styles.count > 1 else {
            model.message = StatusMessage("the last painting cannot be removed (y replaces it, Y adds another)", isError: true)
            return []
        }
        let wasRunning = model.run.state == .running
        let removed = model.styles.remove(at: index)
        model.controls.removePainting(at: index, of: model.styles.count + 1)
        focus(.painting(min(index, model.styles.count - 1)), in: &model)
        model.message = StatusMessage("removed \(removed.path.lastComponent); " + Self.paintingsSummary(model))
        return paintingsChanged(wasRunning: wasRunning, in: &model)
    }

    /// A style file has loaded for `slot`.
    func paintingLoaded(_ loaded: LoadedImage, slot: PaintingSlot, in model: inout StudioModel) {
        switch slot {
        case .add where !model.styles.isEmpty:
            model.controls.addPainting(after: model.styles.count)
            model.styles.append(loaded)
            focus(.painting(model.styles.count - 1), in: &model)
            model.message = StatusMessage("added \(loaded.path.lastComponent) (\(loaded.image.width)x\(loaded.image.height)); "
                                          + Self.paintingsSummary(model))
        case .replace(let index) where model.styles.indices.contains(index):
            model.styles[index] = loaded
        default:
            model.styles.append(loaded)
            model.controls.fitPaintings(model.styles.count)
        }
    }

    /// A preset's paintings have all loaded: they replace the list (the preset's blend is already in the settings).
    func paintingsLoaded(_ loaded: [LoadedImage], in model: inout StudioModel) -> [StudioEffect] {
        guard !loaded.isEmpty else { return [] }
        let wasRunning = model.run.state == .running
        let before = model.controls.settings
        model.styles = loaded
        model.controls.fitPaintings(loaded.count)
        if let active = model.activePreset, active.settings == before {
            model.activePreset?.settings = model.controls.settings
        }
        keepFocusVisible(&model)
        model.message = StatusMessage("style: " + Self.paintingsSummary(model))
        return paintingsChanged(wasRunning: wasRunning, in: &model)
    }

    /// The blend and the images to the session; a run that was not going starts (as when an image is opened).
    func paintingsChanged(wasRunning: Bool, in model: inout StudioModel) -> [StudioEffect] {
        var effects: [StudioEffect] = [.apply(model.controls.settings)]
        guard let content = model.content, !model.styles.isEmpty else { return effects }
        effects.append(.loadSession(content: content.image, styles: model.styles.map(\.image)))
        if !wasRunning { effects.append(.start) }
        return effects
    }

    /// Puts the focus on `item` (if it is a row now) and keeps it in view.
    func focus(_ item: ControlItem, in model: inout StudioModel) {
        if let index = model.controlItems.firstIndex(of: item) { model.focus = index }
        keepFocusVisible(&model)
    }

    /// `starry_night.png 67% + great_wave.png 33%` (or the one painting's name).
    static func paintingsSummary(_ model: StudioModel) -> String {
        let count = model.styles.count
        guard count > 1 else { return model.styles.first.map { $0.path.lastComponent + " (one painting)" } ?? "no painting" }
        return model.styles.enumerated().map { index, style in
            "\(style.path.lastComponent) \(Int((model.controls.paintingShare(index, of: count) * 100).rounded()))%"
        }.joined(separator: " + ")
    }
}
