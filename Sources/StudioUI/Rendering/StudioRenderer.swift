import Foundation
import ImageIO
import StudioCore

/// Draws a `StudioModel` with curses, region by region: a region is drawn again only when what it shows
/// changed (each region has a fingerprint of its inputs). ncurses then sends only the cells that differ.
@MainActor
final class StudioRenderer {
    enum Region: Hashable, CaseIterable {
        case header, preview, stats, chart, controls, footer, overlays
    }

    /// What one frame did, for tracing.
    struct FrameReport {
        var regions: [Region] = []
        var conversions = 0
        var conversionSeconds = 0.0
        /// Raw graphics to write after the refresh (sixel/kitty), if any.
        var rawGraphics: [UInt8]?
        /// Seconds spent drawing each region into curses' buffer, and in the refresh (output to the terminal).
        var regionSeconds: [Region: Double] = [:]
        var refreshSeconds = 0.0
    }

    let terminal: Terminal
    var curses: Curses { terminal.curses }
    let glyphs: Glyphs
    let chafa: Chafa
    private var fingerprints: [Region: AnyHashable] = [:]
    private var screenFingerprint: AnyHashable?
    let cellCache: CellCache
    var report = FrameReport()
    /// Key of the image last written as raw graphics.
    var graphicsKey: AnyHashable?
    /// Whether sixel/kitty pixels may be on screen: curses does not know them, so they must be cleared
    /// explicitly when a box opens over them or the symbol preview comes back.
    var graphicsOnScreen = false

    init(terminal: Terminal) {
        self.terminal = terminal
        glyphs = Glyphs.forTerminal(unicode: terminal.unicode)
        chafa = Chafa(mode: PreviewColorMode(depth: terminal.colorDepth), unicode: terminal.unicode)
        cellCache = CellCache(chafa: chafa)
    }

    /// Forgets what is on screen: the next frame draws everything (after a resize or a disturbance).
    func invalidate() {
        fingerprints.removeAll()
        screenFingerprint = nil
        graphicsKey = nil
    }

    /// Draws what changed and refreshes; returns what was done.
    func render(_ model: StudioModel) -> FrameReport {
        report = FrameReport()
        let screen = AnyHashable([model.columns, model.rows])
        if screen != screenFingerprint {
            screenFingerprint = screen
            fingerprints.removeAll()
            graphicsKey = nil
            curses.erase()
            curses.repaintAll()
        }
        guard let layout = model.layout else {
            if fingerprints[.header] == nil {
                drawTooSmall(model)
                fingerprints[.header] = AnyHashable("too small")
                curses.refresh()
                report.regions = [.header]
            }
            return report
        }
        // Image cells need colour pairs; recycle the table before drawing rather than in the middle of a frame.
        if curses.freePairs < neededPairs(layout: layout, model: model) {
            curses.resetPairs()
            fingerprints.removeAll()
            curses.repaintAll()
        }
        if graphicsOnScreen && !graphicsActive(model) {
            // Pixels would show through the boxes (curses skips cells it thinks unchanged): clear the
            // terminal and draw every cell again; kitty images are deleted by id-less delete.
            graphicsOnScreen = false
            fingerprints.removeAll()
            curses.repaintAll()
            if model.graphicsProtocol == .kitty { report.rawGraphics = Array("\u{1B}_Ga=d\u{1B}\\".utf8) }
        }
        let overlayPrint = AnyHashable(OverlayFingerprint(overlays: model.overlays, presets: model.presets,
                                                          cells: model.overlays.isEmpty ? 0 : cellCache.version))
        if fingerprints[.overlays] != nil && fingerprints[.overlays] != overlayPrint {
            // A box opened, closed or changed: draw everything under it again.
            fingerprints.removeAll()
        }
        let regions: [(Region, AnyHashable, () -> Void)] = [
            (.header, AnyHashable(headerFingerprint(model)), { self.drawHeader(model, layout: layout) }),
            (.controls, AnyHashable(controlsFingerprint(model, layout: layout)), { self.drawControls(model, layout: layout) }),
            (.preview, AnyHashable(previewFingerprint(model, layout: layout)), { self.drawPreview(model, layout: layout) }),
            (.stats, AnyHashable([AnyHashable(model.run.losses), AnyHashable(layout.stats), AnyHashable(model.history.resets)]),
             { self.drawStats(model, layout: layout) }),
            (.chart, AnyHashable(chartFingerprint(model, layout: layout)), { self.drawChart(model, layout: layout) }),
            (.footer, AnyHashable(footerFingerprint(model)), { self.drawFooter(model, layout: layout) }),
        ]
        for (region, print, draw) in regions where fingerprints[region] != print {
            let start = ContinuousClock.now
            draw()
            report.regionSeconds[region] = (ContinuousClock.now - start).seconds
            fingerprints[region] = print
            report.regions.append(region)
        }
        if !model.overlays.isEmpty && (!report.regions.isEmpty || fingerprints[.overlays] != overlayPrint) {
            drawOverlays(model)
            report.regions.append(.overlays)
        }
        fingerprints[.overlays] = overlayPrint
        placeCursor(model)
        if !report.regions.isEmpty {
            let start = ContinuousClock.now
            curses.refresh()
            report.refreshSeconds = (ContinuousClock.now - start).seconds
        }
        let statistics = cellCache.takeStatistics()
        report.conversions = statistics.count
        report.conversionSeconds = statistics.seconds
        return report
    }

    private func neededPairs(layout: StudioLayout, model: StudioModel) -> Int {
        let panes = layout.previewPanes(sideBySide: model.arrangement == .sideBySide)
        return panes.reduce(0) { $0 + $1.width * $1.height } + 40 * 20 + 64
    }

    private func drawTooSmall(_ model: StudioModel) {
        curses.erase()
        let lines = StudioLayout.tooSmallMessage(columns: model.columns, rows: model.rows)
        let top = max((model.rows - lines.count) / 2, 0)
        for (offset, line) in lines.enumerated() {
            let width = TextFitting.width(of: line, unicode: curses.unicode)
            let column = max((model.columns - width) / 2, 0)
            curses.draw(line, row: top + offset, column: column, width: model.columns,
                        style: offset == 0 ? TextStyle(.highlight, bold: true) : .plain)
        }
    }

    // MARK: - Fingerprints

    private struct OverlayFingerprint: Hashable {
        var overlays: [Overlay]
        var presets: [PresetListing]
        var cells: Int
    }

    private func headerFingerprint(_ model: StudioModel) -> some Hashable {
        [AnyHashable(model.run.state), AnyHashable(model.run.iteration), AnyHashable(model.run.secondsPerIteration),
         AnyHashable(model.settings.size), AnyHashable(model.content?.path), AnyHashable(model.styles.map(\.path)),
         AnyHashable(model.columns), AnyHashable(RunProgress.text(model)),
         AnyHashable(model.recording)]
    }

    private func controlsFingerprint(_ model: StudioModel, layout: StudioLayout) -> some Hashable {
        [AnyHashable(model.controls), AnyHashable(model.focus), AnyHashable(model.focusTerm),
         AnyHashable(model.controlsScroll), AnyHashable(layout.controls), AnyHashable(model.dragging),
         AnyHashable(model.styles.map(\.path))]
    }

    private func chartFingerprint(_ model: StudioModel, layout: StudioLayout) -> some Hashable {
        [AnyHashable(model.history.resets), AnyHashable(model.history.points.count), AnyHashable(model.history.changes),
         AnyHashable(model.history.points.last), AnyHashable(layout.chart)]
    }

    private func footerFingerprint(_ model: StudioModel) -> some Hashable {
        [AnyHashable(model.message), AnyHashable(model.activePreset?.name), AnyHashable(model.isModified),
         AnyHashable(model.columns), AnyHashable(model.hasUnsavedResult), AnyHashable(KeyMap.hintTexts(model)),
         AnyHashable(model.finalRender?.line)]
    }

    // MARK: - Cursor

    private func placeCursor(_ model: StudioModel) {
        guard let position = promptCursor(model) else {
            curses.showCursor(at: nil)
            return
        }
        curses.showCursor(at: position)
    }
}
