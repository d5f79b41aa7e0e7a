/// A rectangle of screen cells.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(width, 0)
        self.height = max(height, 0)
    }

    public var bottom: Int { row + height }
    public var right: Int { column + width }

    public func contains(row: Int, column: Int) -> Bool {
        row >= self.row && row < bottom && column >= self.column && column < right
    }
}

/// Where each part of the studio goes on a screen of a given size.
public struct StudioLayout: Hashable, Sendable {
    public static let minimumColumns = 80
    public static let minimumRows = 24

    public let columns: Int
    public let rows: Int
    /// Top line: state, iteration, speed, files.
    public let header: Rect
    /// The images; its first row is the label line (A/B, view).
    public let preview: Rect
    /// One line of weighted loss values above the chart.
    public let stats: Rect
    public let chart: Rect
    /// Sliders, run settings and the layer table, on the right.
    public let controls: Rect
    /// Bottom line: keys, messages, active preset.
    public let footer: Rect

    /// The layout for a screen, or nil when it is smaller than 80×24.
    public static func make(columns: Int, rows: Int) -> StudioLayout? {
        guard columns >= minimumColumns, rows >= minimumRows else { return nil }
        return StudioLayout(columns: columns, rows: rows)
    }

    /// The centred text shown instead of the studio on a small screen.
    public static func tooSmallMessage(columns: Int, rows: Int) -> [String] {
        ["Terminal too small: \(columns)x\(rows)",
         "Style Studio needs at least \(minimumColumns)x\(minimumRows).",
         "Enlarge the window, or press q to quit."]
    }

    private init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        let controlsWidth = columns >= 110 ? 42 : 36
        let middleTop = 1, middleHeight = rows - 2
        let leftWidth = columns - controlsWidth - 1
        let chartHeight = max(5, middleHeight / 4)
        header = Rect(row: 0, column: 0, width: columns, height: 1)
        footer = Rect(row: rows - 1, column: 0, width: columns, height: 1)
        controls = Rect(row: middleTop, column: columns - controlsWidth, width: controlsWidth, height: middleHeight)
        chart = Rect(row: middleTop + middleHeight - chartHeight, column: 0, width: leftWidth, height: chartHeight)
        stats = Rect(row: chart.row - 1, column: 0, width: leftWidth, height: 1)
        preview = Rect(row: middleTop, column: 0, width: leftWidth, height: stats.row - middleTop)
    }

    /// Panes of the preview (below its label row): one for the result, or content | style | result.
    public func previewPanes(sideBySide: Bool) -> [Rect] {
        let area = Rect(row: preview.row + 1, column: preview.column, width: preview.width, height: preview.height - 1)
        guard sideBySide else { return [area] }
        let gap = 1
        let paneWidth = (area.width - 2 * gap) / 3
        return (0..<3).map { index in
            Rect(row: area.row + 1, column: area.column + index * (paneWidth + gap), width: paneWidth, height: area.height - 1)
        }
    }
}
