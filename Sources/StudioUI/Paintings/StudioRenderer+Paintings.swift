/// The painting rows of the controls panel: the painting's file name, then its blend weight as a slider with
/// its share of the style target (`67%`); a single painting has no weight to set, so its row says so.
extension StudioRenderer {
    /// The file name of a painting row (nil for other rows).
    func paintingLabel(_ item: ControlItem, _ model: StudioModel) -> String? {
        guard case .painting(let index) = item else { return nil }
        return model.styles.indices.contains(index) ? model.styles[index].path.lastComponent : "painting"
    }

    /// The share of the style target a painting row shows in the value column (nil for other rows).
    func paintingValueText(_ item: ControlItem, _ model: StudioModel) -> String? {
        guard case .painting(let index) = item else { return nil }
        let share = model.controls.paintingShare(index, of: model.styles.count)
        return "\(Int((share * 100).rounded()))%"
    }

    /// A lone painting's row: no slider, a note on how to blend (true when drawn).
    func drawSinglePainting(_ item: ControlItem, row: Int, model: StudioModel, geometry: ControlsGeometry) -> Bool {
        guard case .painting = item, model.styles.count <= 1 else { return false }
        let track = geometry.track
        curses.draw("the whole style (Y adds a painting)", row: row, column: track.column,
                    width: geometry.rect.right - track.column - 1, style: TextStyle(.muted))
        return true
    }
}
