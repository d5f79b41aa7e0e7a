extension StudioReducer {
    /// Clicks and drags on the controls panel; the wheel moves the focus or, over a row, adjusts it.
    func handleMouse(_ mouse: MouseInput, in model: inout StudioModel) -> [StudioEffect] {
        guard model.topOverlay == nil, let layout = model.layout else {
            if mouse.action == .release { model.dragging = nil }
            return handleOverlayMouse(mouse, in: &model)
        }
        let geometry = ControlsGeometry(rect: layout.controls, scroll: model.controlsScroll, paintings: model.styles.count)
        switch mouse.action {
        case .release:
            model.dragging = nil
            return []
        case .drag:
            guard let item = model.dragging, let slider = item.slider else { return [] }
            let value = geometry.sliderValue(atColumn: mouse.column, slider: slider)
            return model.controls.setWeight(value, of: item, term: model.focusTerm) ? [.apply(model.controls.settings)] : []
        case .wheelUp, .wheelDown:
            let steps = mouse.action == .wheelUp ? 1 : -1
            guard let hit = geometry.hit(row: mouse.row, column: mouse.column, values: model.controls),
                  let index = model.controlItems.firstIndex(of: hit.item) else { return [] }
            model.focus = index
            if let term = hit.term { model.focusTerm = term }
            return adjustFocused(by: steps, in: &model)
        case .press:
            if mouse.row == layout.footer.row { return clickFooter(atColumn: mouse.column, layout: layout, in: &model) }
            guard let hit = geometry.hit(row: mouse.row, column: mouse.column, values: model.controls),
                  let index = model.controlItems.firstIndex(of: hit.item) else { return [] }
            model.message = nil
            model.focus = index
            keepFocusVisible(&model)
            if case .layer(let layer) = hit.item, let term = hit.term {
                model.focusTerm = term
                // The "[x]" box toggles; the number only takes the focus.
                if mouse.column < geometry.layerCell(term).column + 3 { return toggleLayer(layer, term: term, in: &model) }
                return []
            }
            if let value = hit.value {
                model.dragging = hit.item
                return model.controls.setWeight(value, of: hit.item) ? [.apply(model.controls.settings)] : []
            }
            if let step = geometry.choiceStep(atColumn: mouse.column, valueText: model.controls.valueText(of: hit.item)),
               hit.item.slider == nil {
                return adjustFocused(by: step, in: &model)
            }
            return []
        }
    }

    /// A click on a footer hint does what its key does; a click on a message clears it (the hints come back).
    func clickFooter(atColumn column: Int, layout: StudioLayout, in model: inout StudioModel) -> [StudioEffect] {
        if model.message != nil {
            model.message = nil
            return []
        }
        guard let hint = FooterHints(model: model, footer: layout.footer, unicode: true).hint(atColumn: column) else { return [] }
        return hint.binding.action(self, &model)
    }

    /// In the picker and the presets browser the wheel moves the selection, a click selects an entry, and
    /// a click on the selected entry opens it (as Enter does).
    func handleOverlayMouse(_ mouse: MouseInput, in model: inout StudioModel) -> [StudioEffect] {
        guard let overlay = model.topOverlay else { return [] }
        switch (overlay, mouse.action) {
        case (.picker(var picker), .press):
            guard let index = OverlayLayout.pickerList(picker, in: model)
                .entry(row: mouse.row, column: mouse.column, count: picker.entries.count) else { return [] }
            if index == picker.selection { return handlePickerKey(.enter, picker: picker, in: &model) }
            picker.selection = index
            picker.error = nil
            return commit(picker, in: &model)
        case (.presets(var browser), .press):
            guard let index = OverlayLayout.presetsList(browser, in: model)
                .entry(row: mouse.row, column: mouse.column, count: model.presets.count) else { return [] }
            if index == browser.selection { return handlePresetsKey(.enter, browser: browser, in: &model) }
            browser.selection = index
            model.overlays[model.overlays.count - 1] = .presets(browser)
            return []
        case (.picker(let picker), .wheelUp), (.picker(let picker), .wheelDown):
            return handlePickerKey(mouse.action == .wheelUp ? .up : .down, picker: picker, in: &model)
        case (.presets(let browser), .wheelUp), (.presets(let browser), .wheelDown):
            return handlePresetsKey(mouse.action == .wheelUp ? .up : .down, browser: browser, in: &model)
        default:
            return []
        }
    }
}
