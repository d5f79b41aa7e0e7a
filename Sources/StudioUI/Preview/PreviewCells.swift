import ImageIO

/// How image cells are coloured.
public enum PreviewColorMode: Hashable, Sendable {
    case truecolor
    /// 240 palette colours: the 256 minus the 16 the user's theme may redefine.
    case indexed240
    case indexed16
    case indexed8
    /// Shapes only, in the terminal's own colours.
    case monochrome

    public init(depth: ColorDepth) {
        switch depth {
        case .direct: self = .truecolor
        case .indexed256: self = .indexed240
        case .sixteen: self = .indexed16
        case .eight: self = .indexed8
        case .monochrome: self = .monochrome
        }
    }
}

/// One character cell of an image: a symbol and raw colour numbers (0xRRGGBB in truecolor, palette
/// indices otherwise; -1 for none).
public struct PreviewCell: Hashable, Sendable {
    public var scalar: UInt32
    public var foreground: Int32
    public var background: Int32
}

/// An image converted to character cells.
public struct PreviewCells: Hashable, Sendable {
    public var columns: Int
    public var rows: Int
    /// Row-major, `columns × rows`.
    public var cells: [PreviewCell]

    public subscript(row: Int, column: Int) -> PreviewCell { cells[row * columns + column] }
}

/// Size of an image in cells, keeping its aspect: a cell is about twice as tall as wide.
public enum PreviewGeometry {
    public static func fit(width: Int, height: Int, columns maxColumns: Int, rows maxRows: Int) -> (columns: Int, rows: Int) {
        guard width > 0, height > 0, maxColumns > 0, maxRows > 0 else { return (0, 0) }
        var columns = maxColumns
        var rows = Int((Double(columns) * Double(height) / Double(width) / 2).rounded())
        if rows > maxRows {
            rows = maxRows
            columns = Int((Double(rows) * 2 * Double(width) / Double(height)).rounded())
        }
        return (min(max(columns, 1), maxColumns), min(max(rows, 1), maxRows))
    }
}
