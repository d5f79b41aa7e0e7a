import Foundation
import StudioCore
import StyleEngine

extension StudioRenderer {
    // MARK: - Header

    func stateText(_ state: SessionState) -> (String, UIColor) {
        switch state {
        case .idle: (glyphs.idle, .muted)
        case .preparing(let what): (glyphs.preparing + what, .highlight)
        case .running: (glyphs.running, .good)
        case .paused: (glyphs.paused, .highlight)
        case .finished: (glyphs.stopped, .muted)
        case .failed: (glyphs.failed, .bad)
        }
    }

    func drawHeader(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.header
        curses.fill(rect, style: TextStyle(background: .panel))
        var column = 1
        func add(_ text: String, _ style: TextStyle) {
            guard column < rect.right else { return }
            var style = style
            style.background = .panel
            curses.draw(text, row: rect.row, column: column, width: rect.right - column, style: style)
            column += TextFitting.width(of: TextFitting.fit(text, width: rect.right - column, unicode: curses.unicode),
                                        unicode: curses.unicode)
        }
        add("Style Studio", TextStyle(.accent, bold: true))
        if case .recording? = model.recording { add(" ● rec", TextStyle(.bad, bold: true)) }
        add(glyphs.separator, TextStyle(.muted))
        let (state, color) = stateText(model.run.state)
        add(state, TextStyle(color, bold: true))
        add(glyphs.separator, TextStyle(.muted))
        add("it \(model.run.iteration)", TextStyle(bold: true))
        if model.run.secondsPerIteration > 0 {
            add(glyphs.separator, TextStyle(.muted))
            add(String(format: "%.2f s/it", model.run.secondsPerIteration), .plain)
        }
        if let progress = RunProgress.text(model) {
            add(glyphs.separator, TextStyle(.muted))
            add(progress, TextStyle(progress == "converged" ? .good : .muted))
        }
        add(glyphs.separator, TextStyle(.muted))
        add("\(model.settings.size) px", .plain)
        add(glyphs.separator, TextStyle(.muted))
        let paintings = model.styles.isEmpty ? "no style" : model.styles.map(\.path.lastComponent).joined(separator: " + ")
        let files = (model.content?.path.lastComponent ?? "no content") + " + " + paintings
        add(files, TextStyle(.muted))
    }

    // MARK: - Controls

    func drawControls(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.controls
        let geometry = ControlsGeometry(rect: rect, scroll: model.controlsScroll, paintings: model.styles.count)
        curses.fill(rect)
        // A thin rule on the left edge separates the panel from the preview.
        for row in rect.row..<rect.bottom {
            curses.put(glyphs.vertical, row: row, column: rect.column - 1, style: TextStyle(.muted))
        }
        for row in rect.row..<rect.bottom {
            guard let line = geometry.line(atRow: row) else { continue }
            switch line {
            case .title:
                curses.draw("Controls", row: row, column: rect.column + 1, width: rect.width - 2, style: TextStyle(.accent, bold: true))
                let above = model.controlsScroll > 0
                let below = geometry.row(of: geometry.lines.last!) == nil
                if above || below {
                    let arrows = curses.unicode ? (above ? "▲" : " ") + (below ? "▼" : " ") : (above ? "^" : " ") + (below ? "v" : " ")
                    curses.draw(arrows + " more", row: row, column: rect.right - 8, width: 7, style: TextStyle(.muted))
                }
            case .layerHeader:
                curses.draw("layer", row: row, column: rect.column + 1, width: ControlsGeometry.layerLabelWidth,
                            style: TextStyle(.muted, underline: true))
                let content = geometry.layerCell(.content), style = geometry.layerCell(.style)
                curses.draw("content", row: row, column: content.column, width: content.width,
                            style: TextStyle(.series(.content), underline: true))
                curses.draw("style", row: row, column: style.column, width: style.width,
                            style: TextStyle(.series(.style), underline: true))
            case .item(let item):
                drawControl(item, row: row, model: model, geometry: geometry)
            }
        }
    }

    private func drawControl(_ item: ControlItem, row: Int, model: StudioModel, geometry: ControlsGeometry) {
        let rect = geometry.rect
        let focused = model.focusedItem == item
        let labelStyle = focused ? TextStyle(.highlight, background: .selection, bold: true) : TextStyle()
        let marker = focused ? glyphs.pointer : " "
        curses.draw(marker, row: row, column: rect.column, width: 1, style: TextStyle(.highlight, bold: true))
        if case .layer(let index) = item {
            let label = TextFitting.padded(VGGLayer(index: index).name, width: ControlsGeometry.layerLabelWidth,
                                           unicode: curses.unicode)
            curses.draw(label, row: row, column: rect.column + 1, width: ControlsGeometry.layerLabelWidth, style: labelStyle)
            for term in LayerTerm.allCases {
                let cell = geometry.layerCell(term)
                let choice = model.controls.choice(layer: index, term: term)
                let box = choice.isEnabled ? glyphs.checked : glyphs.unchecked
                let cellFocused = focused && model.focusTerm == term
                let color: UIColor = term == .content ? .series(.content) : .series(.style)
                var boxStyle = TextStyle(choice.isEnabled ? color : .muted, bold: choice.isEnabled)
                var weightStyle = TextStyle(choice.isEnabled ? .standard : .muted)
                if cellFocused {
                    boxStyle.background = .selection
                    weightStyle.background = .selection
                    weightStyle.foreground = .highlight
                }
                curses.draw(box, row: row, column: cell.column, width: 3, style: boxStyle)
                curses.draw(" " + TextFitting.padded(formatWeight(choice.weight), width: cell.width - 4, unicode: curses.unicode),
                            row: row, column: cell.column + 3, width: cell.width - 3, style: weightStyle)
            }
            return
        }
        let label = TextFitting.padded(paintingLabel(item, model) ?? item.label, width: ControlsGeometry.labelWidth,
                                       unicode: curses.unicode)
        curses.draw(label, row: row, column: rect.column + 1, width: ControlsGeometry.labelWidth, style: labelStyle)
        let track = geometry.track
        let valueColumn = track.column + track.width + 1
        if drawSinglePainting(item, row: row, model: model, geometry: geometry) { return }
        if let slider = item.slider, let value = model.controls.weight(of: item) {
            let parts = glyphs.sliderTrack(width: track.width, knobColumn: slider.column(of: value, width: track.width))
            let active: UIColor = model.dragging == item ? .highlight : .accent
            curses.draw(parts.filled, row: row, column: track.column, width: track.width, style: TextStyle(active))
            let knobColumn = track.column + parts.filled.count
            curses.draw(parts.knob, row: row, column: knobColumn, width: 1,
                        style: TextStyle(value == 0 ? .muted : .highlight, bold: true))
            curses.draw(parts.empty, row: row, column: knobColumn + 1, width: track.width, style: TextStyle(.muted))
            let text = paintingValueText(item, model) ?? formatWeight(value)
            let width = ControlsGeometry.valueWidth
            curses.draw(String(repeating: " ", count: max(width - text.count, 0)) + text, row: row, column: valueColumn,
                        width: width, style: focused ? TextStyle(.highlight, bold: true) : TextStyle(bold: true))
            return
        }
        // Choices: ◂ value ▸, with a note for settings that only matter on restart.
        let value = model.controls.valueText(of: item)
        let text = "\(glyphs.decrease) \(value) \(glyphs.increase)"
        curses.draw(text, row: row, column: track.column, width: rect.right - track.column - 1,
                    style: focused ? TextStyle(.highlight, bold: true) : TextStyle(bold: true))
        if let note = item.note(model.settings) {
            let used = TextFitting.width(of: text, unicode: curses.unicode)
            curses.draw(note, row: row, column: track.column + used + 1, width: rect.right - track.column - used - 2,
                        style: TextStyle(.muted))
        }
    }

    // MARK: - Losses

    func drawStats(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.stats
        curses.fill(rect)
        guard let losses = model.run.losses else {
            curses.draw("losses appear after the first iteration", row: rect.row, column: 1, width: rect.width - 1,
                        style: TextStyle(.muted))
            return
        }
        // Full names when they fit, short ones on narrow screens.
        let values = LossSeries.allCases.map { formatLoss($0.value(in: losses)) }
        let full = zip(LossSeries.allCases.map(\.name), values).map { "\($0) \($1)" }.joined(separator: "   ")
        let short = full.count + 2 > rect.width
        let names = short ? ["tot", "cnt", "sty", "tv"] : LossSeries.allCases.map(\.name)
        let gap = short ? 2 : 3
        var column = rect.column + 1
        for (index, series) in LossSeries.allCases.enumerated() {
            let name = names[index], value = values[index]
            guard column + name.count + 1 + value.count <= rect.right else { break }
            curses.draw(name, row: rect.row, column: column, width: name.count, style: TextStyle(.series(series), bold: true))
            curses.draw(value, row: rect.row, column: column + name.count + 1, width: value.count, style: .plain)
            column += name.count + 1 + value.count + gap
        }
    }

    func drawChart(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.chart
        curses.fill(rect)
        let labelWidth = 8
        let plotWidth = rect.width - labelWidth - 1
        guard plotWidth > 4, rect.height > 1 else { return }
        let picture = LossChart.render(model.history, width: plotWidth, height: rect.height, unicode: curses.unicode)
        for row in 0..<rect.height {
            curses.put(glyphs.vertical, row: rect.row + row, column: rect.column + labelWidth - 1, style: TextStyle(.muted))
        }
        if let top = picture.top, let bottom = picture.bottom {
            curses.draw(formatScientific(top), row: rect.row, column: rect.column, width: labelWidth - 1, style: TextStyle(.muted))
            curses.draw(formatScientific(bottom), row: rect.bottom - 1, column: rect.column, width: labelWidth - 1,
                        style: TextStyle(.muted))
            curses.draw("log", row: rect.row + rect.height / 2, column: rect.column, width: labelWidth - 1, style: TextStyle(.muted))
        } else {
            curses.draw("loss chart: waiting for iterations", row: rect.row + rect.height / 2, column: rect.column + labelWidth + 1,
                        width: plotWidth - 1, style: TextStyle(.muted))
        }
        // Settings changes: a dotted rule behind the curves.
        for column in picture.changeColumns where column < plotWidth {
            for row in 0..<rect.height where picture.rows[row][column].series == nil {
                curses.put(curses.unicode ? "┊" : ":", row: rect.row + row, column: rect.column + labelWidth + column,
                           style: TextStyle(.muted))
            }
        }
        for (rowIndex, cells) in picture.rows.enumerated() {
            for (columnIndex, cell) in cells.enumerated() {
                guard let series = cell.series else { continue }
                curses.put(cell.character, row: rect.row + rowIndex, column: rect.column + labelWidth + columnIndex,
                           style: TextStyle(.series(series)))
            }
        }
        if let first = model.history.points.first, let last = model.history.points.last {
            let range = "it \(first.iteration)-\(last.iteration)"
            curses.draw(range, row: rect.row, column: rect.right - range.count - 1, width: range.count,
                        style: TextStyle(.muted))
        }
    }

    // MARK: - Footer

    func drawFooter(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.footer
        curses.fill(rect, style: TextStyle(background: .panel))
        let presetText = FooterHints.presetText(model)
        let presetWidth = min(TextFitting.width(of: presetText, unicode: curses.unicode), rect.width / 2)
        let presetColumn = rect.right - presetWidth - 1
        curses.draw(presetText, row: rect.row, column: presetColumn, width: presetWidth,
                    style: TextStyle(model.isModified ? .highlight : .muted, background: .panel))
        let available = presetColumn - rect.column - 2
        if let message = model.message {
            curses.draw(message.text, row: rect.row, column: rect.column + 1, width: available,
                        style: TextStyle(message.isError ? .bad : .good, background: .panel, bold: message.isError))
            return
        }
        if let finalRender = model.finalRender {
            curses.draw(finalRender.line, row: rect.row, column: rect.column + 1, width: available,
                        style: TextStyle(.highlight, background: .panel, bold: true))
            return
        }
        // The hints that fit, most important first, shown in the key map's order.
        for hint in FooterHints(model: model, footer: rect, unicode: curses.unicode).placed {
            let labelWidth = TextFitting.width(of: hint.label, unicode: curses.unicode)
            curses.draw(hint.label, row: rect.row, column: hint.column, width: labelWidth,
                        style: TextStyle(.accent, background: .panel, bold: true))
            curses.draw(hint.text, row: rect.row, column: hint.column + labelWidth + 1, width: hint.text.count,
                        style: TextStyle(background: .panel))
        }
    }
}
