/// Where the boxes of the overlays sit, and where their lists are: one source for drawing them
/// (`StudioRenderer+Overlays`) and for mapping mouse clicks to list entries (`StudioReducer+Mouse`).
enum OverlayLayout {
    /// A box of at most `width` × `height` cells, centred, inside a margin of one cell.
    static func centered(width: Int, height: Int, in model: StudioModel) -> Rect {
        let width = min(width, model.columns - 2), height = min(height, model.rows - 2)
        return Rect(row: (model.rows - height) / 2, column: (model.columns - width) / 2, width: width, height: height)
    }

    /// The inside of a bordered box (what `drawBox` returns).
    static func inside(_ box: Rect) -> Rect {
        Rect(row: box.row + 1, column: box.column + 2, width: box.width - 4, height: box.height - 2)
    }

    static func pickerBox(in model: StudioModel) -> Rect {
        Rect(row: 1, column: 2, width: model.columns - 4, height: model.rows - 2)
    }

    static func presetsBox(in model: StudioModel) -> Rect {
        centered(width: 96, height: min(max(model.presets.count, 3) + 7, model.rows - 2), in: model)
    }

    /// The visible part of a scrolling list: `rect` on screen, and the index of its first row.
    struct List {
        let rect: Rect
        let scroll: Int

        init(rect: Rect, selection: Int, count: Int) {
            self.rect = rect
            scroll = min(max(selection - rect.height / 2, 0), max(count - rect.height, 0))
        }

        /// The entry drawn at a screen cell, if any.
        func entry(row: Int, column: Int, count: Int) -> Int? {
            guard row >= rect.row, row < rect.bottom, column >= rect.column, column < rect.right else { return nil }
            let index = scroll + row - rect.row
            return index < count ? index : nil
        }
    }

    /// The picker's file list: the left half of the box, below the folder and path lines.
    static func pickerList(_ picker: FilePicker, in model: StudioModel) -> List {
        let box = inside(pickerBox(in: model))
        let width = min(max(box.width / 2, 24), box.width)
        return List(rect: Rect(row: box.row + 3, column: box.column, width: width - 1, height: box.height - 5),
                    selection: picker.selection, count: picker.entries.count)
    }

    /// The presets browser's list: the top of the box.
    static func presetsList(_ browser: PresetBrowser, in model: StudioModel) -> List {
        let box = inside(presetsBox(in: model))
        return List(rect: Rect(row: box.row, column: box.column, width: box.width, height: box.height - 2),
                    selection: browser.selection, count: model.presets.count)
    }
}
