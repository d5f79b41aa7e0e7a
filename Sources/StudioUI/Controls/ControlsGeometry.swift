import StyleEngine

/// One line of the controls panel.
public enum PanelLine: Hashable, Sendable {
    case title
    case item(ControlItem)
    case layerHeader
}

/// Where each control sits inside the controls panel, for drawing and for mouse hits. Pure geometry.
public struct ControlsGeometry: Hashable, Sendable {
    /// The lines below the title (which stays put); these scroll. `lines` has one painting row.
    public static let lines: [PanelLine] = lines(paintings: 1)

    /// The lines with a row for each of `paintings` paintings.
    public static func lines(paintings: Int) -> [PanelLine] {
        let settingItems = ControlItem.settingItems(paintings: paintings)
        return settingItems.map { .item($0) } + [.layerHeader]
            + ControlItem.items(paintings: paintings).dropFirst(settingItems.count).map { .item($0) }
    }

    public static let labelWidth = 9
    public static let valueWidth = 7
    /// Width of a layer row's name: `block4_conv2`, the spelling of the command line, presets and README.
    public static let layerLabelWidth = 12
    /// Width of a layer cell: `[x] 12.5`.
    public static let layerCellWidth = 10

    public let rect: Rect
    public let scroll: Int
    /// This panel's lines (a row per painting).
    public let lines: [PanelLine]

    public init(rect: Rect, scroll: Int, paintings: Int = 1) {
        self.rect = rect
        self.scroll = scroll
        lines = paintings <= 1 ? Self.lines : Self.lines(paintings: paintings)
    }

    /// Rows for the scrolling lines (the panel less its title row).
    public var scrollingHeight: Int { max(rect.height - 1, 0) }

    /// The panel line drawn on screen row `row` (nil outside the panel or past the end).
    public func line(atRow row: Int) -> PanelLine? {
        guard row >= rect.row, row < rect.bottom else { return nil }
        if row == rect.row { return .title }
        let index = row - rect.row - 1 + scroll
        return index < lines.count ? lines[index] : nil
    }

    /// The screen row of a line, or nil when it is scrolled out of view.
    public func row(of line: PanelLine) -> Int? {
        if line == .title { return rect.height > 0 ? rect.row : nil }
        guard let index = lines.firstIndex(of: line) else { return nil }
        let row = rect.row + 1 + index - scroll
        return row > rect.row && row < rect.bottom ? row : nil
    }

    /// Columns of a slider's track: after the label, before the value.
    public var track: (column: Int, width: Int) {
        let column = rect.column + 1 + Self.labelWidth + 1
        return (column, max(rect.right - 1 - Self.valueWidth - 1 - column, 4))
    }

    /// Columns of a layer row's content and style cells.
    public func layerCell(_ term: LayerTerm) -> (column: Int, width: Int) {
        let first = rect.column + 1 + Self.layerLabelWidth + 1
        return term == .content ? (first, Self.layerCellWidth) : (first + Self.layerCellWidth + 1, Self.layerCellWidth)
    }

    /// What a click at (row, column) points at: the item, the layer term for layer rows, and for slider
    /// rows the value under the click when it lies on the track.
    public func hit(row: Int, column: Int, values: ControlValues) -> (item: ControlItem, term: LayerTerm?, value: Double?)? {
        guard rect.contains(row: row, column: column), case .item(let item)? = line(atRow: row) else { return nil }
        if case .layer = item {
            let style = layerCell(.style)
            return (item, column >= style.column ? .style : .content, nil)
        }
        if let slider = item.slider {
            let track = self.track
            if column >= track.column - 1 && column <= track.column + track.width {
                let offset = min(max(column - track.column, 0), track.width - 1)
                return (item, nil, slider.value(atColumn: offset, width: track.width))
            }
        }
        return (item, nil, nil)
    }

    /// On a choice row drawn as `◂ value ▸` from the track's first column: -1 for a click on `◂`, +1 on `▸`.
    public func choiceStep(atColumn column: Int, valueText: String) -> Int? {
        let start = track.column
        let increase = start + 2 + valueText.count + 1
        if column == start { return -1 }
        if column == increase { return 1 }
        return nil
    }

    /// The value a drag at `column` sets on a slider row (clamped to the track).
    public func sliderValue(atColumn column: Int, slider: LogSlider) -> Double {
        let track = self.track
        return slider.value(atColumn: min(max(column - track.column, 0), track.width - 1), width: track.width)
    }

    /// The scroll offset that keeps `item` visible, moving as little as possible from `current`.
    public static func scroll(keeping item: ControlItem, visibleIn height: Int, current: Int, paintings: Int = 1) -> Int {
        let lines = paintings <= 1 ? Self.lines : Self.lines(paintings: paintings)
        guard let index = lines.firstIndex(of: .item(item)), height > 0 else { return 0 }
        let maximum = max(lines.count - height, 0)
        var scroll = min(max(current, 0), maximum)
        // Keep the layer header in view together with the first layer.
        let headerIndex = lines.firstIndex(of: .layerHeader) ?? 0
        let top = index == headerIndex + 1 ? headerIndex : index
        if top < scroll { scroll = top }
        if index >= scroll + height { scroll = index - height + 1 }
        if index == 0 { scroll = 0 }
        return min(max(scroll, 0), maximum)
    }
}
