import Foundation
import ImageIO

extension StudioRenderer {
    /// A bordered box, cleared inside; returns the inner rectangle.
    @discardableResult
    func drawBox(_ rect: Rect, title: String, style: TextStyle = TextStyle(.accent)) -> Rect {
        curses.fill(rect)
        let horizontal = String(repeating: glyphs.horizontal, count: max(rect.width - 2, 0))
        curses.draw(String(glyphs.topLeft) + horizontal + String(glyphs.topRight), row: rect.row, column: rect.column,
                    width: rect.width, style: style)
        curses.draw(String(glyphs.bottomLeft) + horizontal + String(glyphs.bottomRight), row: rect.bottom - 1,
                    column: rect.column, width: rect.width, style: style)
        for row in (rect.row + 1)..<(rect.bottom - 1) {
            curses.put(glyphs.vertical, row: row, column: rect.column, style: style)
            curses.put(glyphs.vertical, row: row, column: rect.right - 1, style: style)
        }
        curses.draw(" \(title) ", row: rect.row, column: rect.column + 2, width: rect.width - 4,
                    style: TextStyle(style.foreground, bold: true))
        return OverlayLayout.inside(rect)
    }

    func centered(width: Int, height: Int, in model: StudioModel) -> Rect {
        OverlayLayout.centered(width: width, height: height, in: model)
    }

    func drawOverlays(_ model: StudioModel) {
        for overlay in model.overlays {
            switch overlay {
            case .help: drawHelp(model)
            case .prompt(let prompt): drawPrompt(prompt, model: model)
            case .confirm(let confirmation): drawConfirmation(confirmation, model: model)
            case .picker(let picker): drawPicker(picker, model: model)
            case .presets(let browser): drawPresets(browser, model: model)
            case .finalRender(let dialog): drawFinalRender(dialog, model: model)
            }
        }
    }

    private func drawHelp(_ model: StudioModel) {
        let lines = KeyMap.helpLines().map { line in
            (KeyMap.displayLabel(line.label, unicode: curses.unicode), KeyMap.displayLabel(line.text, unicode: curses.unicode))
        }
        let keyWidth = (lines.map { TextFitting.width(of: $0.0, unicode: curses.unicode) }.max() ?? 8) + 2
        let textWidth = lines.map { TextFitting.width(of: $0.1, unicode: curses.unicode) }.max() ?? 40
        let box = drawBox(centered(width: min(keyWidth + textWidth + 4, model.columns), height: lines.count + 4, in: model),
                          title: "Keys (? or F1: this help)")
        for (index, line) in lines.enumerated() where index < box.height - 1 {
            curses.draw(line.0, row: box.row + index, column: box.column, width: keyWidth, style: TextStyle(.accent, bold: true))
            curses.draw(line.1, row: box.row + index, column: box.column + keyWidth, width: box.width - keyWidth)
        }
        curses.draw("any key closes", row: box.bottom - 1, column: box.column, width: box.width, style: TextStyle(.muted))
    }

    func promptRect(_ model: StudioModel) -> Rect { centered(width: 64, height: 5, in: model) }

    private func drawPrompt(_ prompt: TextPrompt, model: StudioModel) {
        let box = drawBox(promptRect(model), title: prompt.title)
        let field = TextFitting.tail(prompt.text, width: box.width - 1, unicode: curses.unicode)
        curses.draw(TextFitting.padded(field, width: box.width, unicode: curses.unicode), row: box.row, column: box.column,
                    width: box.width, style: TextStyle(background: .selection))
        curses.draw("Enter: ok   Esc: cancel   Ctrl-U: clear", row: box.row + 2, column: box.column, width: box.width,
                    style: TextStyle(.muted))
    }

    private func drawConfirmation(_ confirmation: Confirmation, model: StudioModel) {
        let width = min(max(TextFitting.width(of: confirmation.question, unicode: curses.unicode) + 6, 40), model.columns - 2)
        let box = drawBox(centered(width: width, height: 4, in: model), title: "Confirm", style: TextStyle(.highlight))
        curses.draw(confirmation.question, row: box.row, column: box.column, width: box.width, style: TextStyle(bold: true))
    }

    /// Where the text cursor goes when a prompt is open.
    func promptCursor(_ model: StudioModel) -> (row: Int, column: Int)? {
        switch model.topOverlay {
        case .prompt(let prompt)?:
            let rect = promptRect(model)
            let inner = Rect(row: rect.row + 1, column: rect.column + 2, width: rect.width - 4, height: rect.height - 2)
            let shown = TextFitting.tail(prompt.text, width: inner.width - 1, unicode: curses.unicode)
            return (inner.row, inner.column + TextFitting.width(of: shown, unicode: curses.unicode))
        case .picker(let picker)?:
            let box = pickerRect(model)
            let prefix = "path: "
            let shown = TextFitting.tail(picker.typed, width: box.width - 6 - prefix.count, unicode: curses.unicode)
            return (box.row + 2, box.column + 2 + prefix.count + TextFitting.width(of: shown, unicode: curses.unicode))
        default:
            return nil
        }
    }

    // MARK: - File picker

    func pickerRect(_ model: StudioModel) -> Rect { OverlayLayout.pickerBox(in: model) }

    private func drawPicker(_ picker: FilePicker, model: StudioModel) {
        let box = drawBox(pickerRect(model), title: picker.title)
        curses.draw(TextFitting.tail(picker.directory, width: box.width, unicode: curses.unicode), row: box.row,
                    column: box.column, width: box.width, style: TextStyle(.accent))
        curses.draw("path: ", row: box.row + 1, column: box.column, width: 6, style: TextStyle(.muted))
        curses.draw(TextFitting.padded(TextFitting.tail(picker.typed, width: box.width - 7, unicode: curses.unicode),
                                       width: box.width - 6, unicode: curses.unicode),
                    row: box.row + 1, column: box.column + 6, width: box.width - 6, style: TextStyle(background: .selection))
        let list = OverlayLayout.pickerList(picker, in: model)
        let listTop = list.rect.row, listHeight = list.rect.height, listWidth = list.rect.width + 1
        let scroll = list.scroll
        for (offset, entry) in picker.entries.dropFirst(scroll).prefix(listHeight).enumerated() {
            let index = scroll + offset
            let selected = index == picker.selection
            let name = (entry.isDirectory ? glyphs.directory : "  ") + entry.name + (entry.isDirectory && entry.name != ".." ? "/" : "")
            let style = selected ? TextStyle(entry.isDirectory ? .accent : .highlight, background: .selection, bold: true)
                : TextStyle(entry.isDirectory ? .accent : .standard)
            curses.draw(TextFitting.padded(name, width: listWidth - 1, unicode: curses.unicode), row: listTop + offset,
                        column: box.column, width: listWidth - 1, style: style)
        }
        if picker.entries.isEmpty {
            curses.draw("(no images or folders here)", row: listTop, column: box.column, width: listWidth, style: TextStyle(.muted))
        }
        // Preview of the highlighted file on the right.
        let previewArea = Rect(row: listTop, column: box.column + listWidth + 1, width: box.width - listWidth - 1,
                               height: listHeight - 1)
        if previewArea.width > 8 {
            if let image = picker.preview {
                let fit = PreviewGeometry.fit(width: image.width, height: image.height, columns: previewArea.width,
                                              rows: previewArea.height)
                let key = PreviewKey(source: "picker:" + (picker.previewPath ?? ""), columns: fit.columns, rows: fit.rows)
                if let cells = cellCache.cells(slot: "picker", key: key, image: image) {
                    draw(cells, in: Rect(row: previewArea.row, column: previewArea.column, width: previewArea.width,
                                         height: cells.rows))
                }
                let name = picker.previewPath?.lastComponent ?? ""
                let size = picker.previewOriginalSize.map { "  \($0.width)x\($0.height) px" } ?? ""
                curses.draw(name + size, row: previewArea.row + fit.rows + 1, column: previewArea.column,
                            width: previewArea.width, style: TextStyle(.muted))
            } else if let error = picker.previewError {  // whole, on as many lines as it needs
                for (offset, line) in TextFitting.wrapped(error, width: previewArea.width, unicode: curses.unicode)
                    .prefix(max(previewArea.height, 1)).enumerated() {
                    curses.draw(line, row: previewArea.row + offset, column: previewArea.column, width: previewArea.width,
                                style: TextStyle(.bad))
                }
            } else if picker.previewPath != nil {
                curses.draw("loading preview...", row: previewArea.row, column: previewArea.column, width: previewArea.width,
                            style: TextStyle(.muted))
            }
        }
        if let loading = picker.loading {
            curses.draw("reading \(loading.lastComponent)...", row: box.bottom - 2, column: box.column, width: box.width,
                        style: TextStyle(.highlight, bold: true))
        } else if let error = picker.error {
            curses.draw(error, row: box.bottom - 2, column: box.column, width: box.width, style: TextStyle(.bad, bold: true))
        }
        curses.draw(KeyMap.picker.hintLine(unicode: curses.unicode), row: box.bottom - 1, column: box.column,
                    width: box.width, style: TextStyle(.muted))
    }

    // MARK: - Presets

    private func drawPresets(_ browser: PresetBrowser, model: StudioModel) {
        let box = drawBox(OverlayLayout.presetsBox(in: model), title: "Presets")
        let nameWidth = min(max(model.presets.map(\.name.count).max() ?? 8, 8) + 2, 28)
        let list = OverlayLayout.presetsList(browser, in: model)
        let listHeight = list.rect.height, scroll = list.scroll
        if model.presets.isEmpty {
            curses.draw("no presets found", row: box.row, column: box.column, width: box.width, style: TextStyle(.muted))
        }
        for (offset, preset) in model.presets.dropFirst(scroll).prefix(listHeight).enumerated() {
            let selected = scroll + offset == browser.selection
            let active = model.activePreset?.name == preset.name
            let row = box.row + offset
            let background: UIColor = selected ? .selection : .standard
            curses.draw(TextFitting.padded((active ? "*" : " ") + preset.name, width: nameWidth, unicode: curses.unicode),
                        row: row, column: box.column, width: nameWidth,
                        style: TextStyle(selected ? .highlight : .accent, background: background, bold: true))
            let origin = preset.isShipped ? "shipped" : "yours  "
            curses.draw(origin + " ", row: row, column: box.column + nameWidth, width: 8,
                        style: TextStyle(.muted, background: background))
            let text = preset.problem ?? preset.description
            curses.draw(TextFitting.padded(text, width: box.width - nameWidth - 8, unicode: curses.unicode), row: row,
                        column: box.column + nameWidth + 8, width: box.width - nameWidth - 8,
                        style: TextStyle(preset.problem == nil ? .standard : .bad, background: background))
        }
        if model.presets.indices.contains(browser.selection), listHeight > model.presets.count + 1 {
            let selected = model.presets[browser.selection]
            let lines = wrap(selected.problem ?? selected.description, width: box.width)
            let top = box.row + model.presets.count + 1
            for (offset, line) in lines.prefix(max(box.bottom - 1 - top, 0)).enumerated() {
                curses.draw(line, row: top + offset, column: box.column, width: box.width,
                            style: TextStyle(selected.problem == nil ? .muted : .bad))
            }
        }
        curses.draw(KeyMap.presets.hintLine(unicode: curses.unicode), row: box.bottom - 1, column: box.column,
                    width: box.width, style: TextStyle(.muted))
    }
}

/// Words of `text` in lines of at most `width` characters.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
