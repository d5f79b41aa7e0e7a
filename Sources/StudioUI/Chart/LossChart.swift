import Foundation

/// One character cell of the chart, with the series that colours it (nil: empty).
public struct ChartCell: Hashable, Sendable {
    public var character: Character
    public var series: LossSeries?
}

/// A rendered chart: `rows[0]` is the top line. `top`/`bottom` are the loss values at the top and bottom edges.
public struct ChartPicture: Hashable, Sendable {
    public var rows: [[ChartCell]]
    public var top: Double?
    public var bottom: Double?
    /// Cell columns where the settings changed (`LossHistory.changes`).
    public var changeColumns: [Int] = []
}

/// Draws loss curves on a log scale into character cells: braille (2×4 dots a cell) when the terminal
/// speaks UTF-8, one ASCII marker a cell otherwise.
public enum LossChart {
    /// ASCII markers, one per series.
    public static func asciiMarker(_ series: LossSeries) -> Character {
        switch series {
        case .total: "*"
        case .content: "c"
        case .style: "s"
        case .totalVariation: "t"
        }
    }

    /// Vertical range (log10) covering the positive finite values, padded a little; nil when there is none.
    /// Once there are 8 points only the most recent three quarters set the range (older points are drawn clipped
    /// to the edges): the first iterations' extremes (a content loss of ~0 at a content init, early L-BFGS
    /// overshoots of many decades) would otherwise squash the part of the curve that tells whether it converges.
    public static func logRange(of history: LossHistory) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        let count = history.points.count
        for point in history.points.dropFirst(count >= 8 ? count / 4 : 0) {
            for series in LossSeries.allCases {
                let value = series.value(in: point.losses)
                guard value > 0, value.isFinite else { continue }
                low = min(low, log10(value))
                high = max(high, log10(value))
            }
        }
        guard low.isFinite, high.isFinite else { return nil }
        if high - low < 0.2 {
            let middle = (high + low) / 2
            return (middle - 0.1)...(middle + 0.1)
        }
        let pad = (high - low) * 0.04
        return (low - pad)...(high + pad)
    }

    /// The dot row (0 = top) of `value` on a chart `dotRows` tall covering `range` (log10).
    public static func dotRow(of value: Double, range: ClosedRange<Double>, dotRows: Int) -> Int? {
        guard value > 0, value.isFinite, dotRows > 0 else { return nil }
        let fraction = (log10(value) - range.lowerBound) / (range.upperBound - range.lowerBound)
        let row = Int(((1 - fraction) * Double(dotRows - 1)).rounded())
        return min(max(row, 0), dotRows - 1)
    }

    /// The dot column of point `index` among `count`: one column per point until the chart is full,
    /// then the whole series squeezed to the width.
    public static func dotColumn(of index: Int, count: Int, dotColumns: Int) -> Int {
        guard count > 1, dotColumns > 1 else { return 0 }
        if count <= dotColumns { return index }
        return Int((Double(index) * Double(dotColumns - 1) / Double(count - 1)).rounded())
    }

    public static func render(_ history: LossHistory, width: Int, height: Int, unicode: Bool) -> ChartPicture {
        let blank = ChartCell(character: " ", series: nil)
        guard width > 0, height > 0 else { return ChartPicture(rows: [], top: nil, bottom: nil) }
        var rows = Array(repeating: Array(repeating: blank, count: width), count: height)
        guard let range = logRange(of: history) else { return ChartPicture(rows: rows, top: nil, bottom: nil) }
        let dotsAcross = unicode ? 2 : 1, dotsDown = unicode ? 4 : 1
        let dotColumns = width * dotsAcross, dotRows = height * dotsDown
        // Braille bits per cell and series; the topmost series present in a cell colours it.
        var bits = Array(repeating: Array(repeating: UInt8(0), count: width), count: height)
        var owner = Array(repeating: Array(repeating: LossSeries?.none, count: width), count: height)
        let drawingOrder: [LossSeries] = [.totalVariation, .content, .style, .total]
        let count = history.points.count
        for series in drawingOrder {
            var previous: (column: Int, row: Int)?
            for (index, point) in history.points.enumerated() {
                guard let row = dotRow(of: series.value(in: point.losses), range: range, dotRows: dotRows) else {
                    previous = nil
                    continue
                }
                let column = dotColumn(of: index, count: count, dotColumns: dotColumns)
                // Join to the previous point with a vertical run in this column, so the curve has no gaps.
                var span = row...row
                if let previous { span = min(row, previous.row)...max(row, previous.row) }
                for dotRow in span { mark(column: column, row: dotRow) }
                previous = (column, row)
            }

            func mark(column: Int, row: Int) {
                let cellColumn = column / dotsAcross, cellRow = row / dotsDown
                guard cellColumn < width, cellRow < height else { return }
                if unicode {
                    bits[cellRow][cellColumn] |= brailleBit(column: column % 2, row: row % 4)
                }
                owner[cellRow][cellColumn] = series
            }
        }
        for row in 0..<height {
            for column in 0..<width {
                guard let series = owner[row][column] else { continue }
                let character: Character = unicode
                    ? Character(Unicode.Scalar(0x2800 + UInt32(bits[row][column]))!)
                    : asciiMarker(series)
                rows[row][column] = ChartCell(character: character, series: series)
            }
        }
        let changeColumns = history.changes.compactMap { iteration -> Int? in
            guard let index = history.points.firstIndex(where: { $0.iteration >= iteration }) else { return nil }
            return dotColumn(of: index, count: count, dotColumns: dotColumns) / dotsAcross
        }
        return ChartPicture(rows: rows, top: pow(10, range.upperBound), bottom: pow(10, range.lowerBound),
                            changeColumns: changeColumns)
    }

    /// The bit of braille dot (column 0…1, row 0…3) in U+2800's pattern.
    public static func brailleBit(column: Int, row: Int) -> UInt8 {
        let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
        let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
        return column == 0 ? left[row] : right[row]
    }
}
