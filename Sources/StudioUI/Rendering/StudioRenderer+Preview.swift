import Foundation
import ImageIO
import StudioCore

/// Identifies converted cells: which image, at what size.
struct PreviewKey: Hashable, Sendable {
    var source: String
    var columns: Int
    var rows: Int
}

extension StudioRenderer {
    /// What the result pane shows: the kept image (A) or the live one (B), with a key for caching.
    func resultSource(_ model: StudioModel) -> (image: RGBImage?, key: String) {
        if let render = model.finalRender, let preview = render.preview { return (preview, "F\(render.stage).\(render.iteration)") }
        if model.showingKept, let kept = model.kept { return (kept.image, "A\(kept.serial)") }
        // Before the first iteration (targets being computed, a large photo being prepared) the photo itself.
        if model.image == nil, let content = model.content { return (content.thumbnail, "content:" + content.path) }
        return (model.image, "B\(model.imageVersion)")
    }

    func graphicsActive(_ model: StudioModel) -> Bool {
        model.graphicsEnabled && model.graphicsProtocol != nil && model.overlays.isEmpty
    }

    func previewFingerprint(_ model: StudioModel, layout: StudioLayout) -> some Hashable {
        [AnyHashable(model.arrangement), AnyHashable(layout.preview), AnyHashable(resultSource(model).key),
         AnyHashable(model.content?.path), AnyHashable(model.style?.path), AnyHashable(graphicsActive(model)),
         AnyHashable(model.kept?.serial), AnyHashable(model.showingKept), AnyHashable(model.settings),
         AnyHashable(model.run.state), AnyHashable(cellCache.version)]
    }

    /// `c 5 · s 100 · tv 0.001 · 384px · lbfgs`
    func summary(_ settings: StyleSettings) -> String {
        let dot = curses.unicode ? " · " : " / "
        return ["c " + formatWeight(settings.objective.contentWeight), "s " + formatWeight(settings.objective.styleWeight),
                "tv " + formatWeight(settings.objective.totalVariationWeight), "\(settings.size)px",
                settings.optimizer.kind.rawValue].joined(separator: dot)
    }

    func drawPreview(_ model: StudioModel, layout: StudioLayout) {
        let rect = layout.preview
        curses.fill(rect)
        // Label line: which result is shown, A or B, and with which settings.
        var column = rect.column + 1
        func add(_ text: String, _ style: TextStyle) {
            guard column < rect.right - 1 else { return }
            curses.draw(text, row: rect.row, column: column, width: rect.right - 1 - column, style: style)
            column += TextFitting.width(of: TextFitting.fit(text, width: rect.right - 1 - column, unicode: curses.unicode),
                                        unicode: curses.unicode)
        }
        if model.showingKept, let kept = model.kept {
            add(" A ", TextStyle(.highlight, bold: true, reverse: true))
            add(" kept, it \(kept.iteration)  ", TextStyle(.highlight, bold: true))
            add(summary(kept.settings), TextStyle(.highlight))
        } else {
            add(" B ", TextStyle(.accent, bold: true, reverse: true))
            add(" live, it \(model.run.iteration)  ", TextStyle(.accent, bold: true))
            add(summary(model.settings), .plain)
            if model.kept != nil { add("  (a: show A)", TextStyle(.muted)) }
        }

        let panes = layout.previewPanes(sideBySide: model.arrangement == .sideBySide)
        let result = resultSource(model)
        var sources: [(label: String, image: RGBImage?, key: String)] = []
        if model.arrangement == .sideBySide {
            sources.append(("content", model.content?.thumbnail, "content:" + (model.content?.path ?? "")))
            sources.append(("style", model.style?.thumbnail, "style:" + (model.style?.path ?? "")))
            sources.append((model.showingKept ? "result A" : "result B", result.image, result.key))
        } else {
            sources.append(("", result.image, result.key))
        }
        for (pane, source) in zip(panes, sources) {
            if !source.label.isEmpty {
                curses.draw(source.label, row: pane.row - 1, column: pane.column + max((pane.width - source.label.count) / 2, 0),
                            width: pane.width, style: TextStyle(.muted, bold: true))
            }
            guard let image = source.image else {
                let text = emptyText(model, pane: source.label)
                curses.draw(text, row: pane.row + pane.height / 2, column: pane.column + max((pane.width - text.count) / 2, 0),
                            width: pane.width, style: TextStyle(.muted))
                continue
            }
            let fit = PreviewGeometry.fit(width: image.width, height: image.height, columns: pane.width, rows: pane.height)
            let isResult = source.key == result.key
            if isResult && graphicsActive(model), let graphics = model.graphicsProtocol {
                let cell = terminal.cellPixelSize
                let bytes = chafa.graphics(for: image, columns: fit.columns, rows: fit.rows, cellWidth: cell.width,
                                           cellHeight: cell.height, protocol: graphics)
                var raw = graphics == .kitty ? Array("\u{1B}_Ga=d\u{1B}\\".utf8) : []
                let origin = (row: pane.row + (pane.height - fit.rows) / 2, column: pane.column + (pane.width - fit.columns) / 2)
                raw += Array("\u{1B}7\u{1B}[\(origin.row + 1);\(origin.column + 1)H".utf8) + bytes + Array("\u{1B}8".utf8)
                report.rawGraphics = (report.rawGraphics ?? []) + raw
                graphicsOnScreen = true
                if graphics == .kitty { terminal.noteKittyImagesShown() }
                continue
            }
            let key = PreviewKey(source: source.key, columns: fit.columns, rows: fit.rows)
            let slot = source.label.isEmpty ? "result" : source.label
            if let cells = cellCache.cells(slot: slot, key: key, image: image) {
                draw(cells, in: pane)
            }
        }
    }

    private func emptyText(_ model: StudioModel, pane: String) -> String {
        switch pane {
        case "content": return model.content == nil ? "no content: press c" : ""
        case "style": return model.style == nil ? "no style: press y" : ""
        default:
            if model.content == nil || model.style == nil { return "open a content (c) and a style (y) image" }
            if case .preparing(let what) = model.run.state { return what }
            return "waiting for the first iteration"
        }
    }

    /// Draws cells centred in `pane` (cut to it, should they be a stale size).
    func draw(_ cells: PreviewCells, in pane: Rect) {
        let origin = (row: pane.row + max((pane.height - cells.rows) / 2, 0),
                      column: pane.column + max((pane.width - cells.columns) / 2, 0))
        for row in 0..<min(cells.rows, pane.height) {
            for column in 0..<min(cells.columns, pane.width) {
                let cell = cells[row, column]
                if cell.foreground < 0 && cell.background >= 0 {
                    // Transparent foreground: draw the background as reverse video of a default foreground.
                    curses.put(cell.scalar, row: origin.row + row, column: origin.column + column,
                               foreground: cell.background, background: -1, reverse: true)
                } else {
                    curses.put(cell.scalar, row: origin.row + row, column: origin.column + column,
                               foreground: cell.foreground, background: cell.background)
                }
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
