import Foundation
import StudioCore
import Testing
@testable import StudioUI

@Suite("Loss chart")
struct LossChartTests {
    func history(_ totals: [Double]) -> LossHistory {
        var history = LossHistory()
        for (index, total) in totals.enumerated() {
            history.record(iteration: index + 1, losses: LossTerms(content: total / 2, style: total / 2, totalVariation: 0),
                           generation: 1)
        }
        return history
    }

    @Test("the range covers the positive values on a log scale, padded")
    func range() throws {
        let range = try #require(LossChart.logRange(of: history([1000, 10, 100])))
        #expect(range.lowerBound < log10(5) && range.lowerBound > log10(5) - 0.2)   // content = style = 5 at the lowest
        #expect(range.upperBound > 3 && range.upperBound < 3.2)
        #expect(LossChart.logRange(of: LossHistory()) == nil)
    }

    @Test("dot rows: the top of the range is row 0, the bottom the last row")
    func rows() {
        #expect(LossChart.dotRow(of: 1000, range: 0...3, dotRows: 16) == 0)
        #expect(LossChart.dotRow(of: 1, range: 0...3, dotRows: 16) == 15)
        #expect(LossChart.dotRow(of: pow(10, 1.5), range: 0...3, dotRows: 16) == 8)
        #expect(LossChart.dotRow(of: 0, range: 0...3, dotRows: 16) == nil)
        #expect(LossChart.dotRow(of: .nan, range: 0...3, dotRows: 16) == nil)
    }

    @Test("columns: one per point until full, then squeezed to the width")
    func columns() {
        #expect(LossChart.dotColumn(of: 3, count: 10, dotColumns: 40) == 3)
        #expect(LossChart.dotColumn(of: 0, count: 100, dotColumns: 40) == 0)
        #expect(LossChart.dotColumn(of: 99, count: 100, dotColumns: 40) == 39)
    }

    @Test("braille rendering: a falling total starts top left and ends bottom right")
    func braille() throws {
        let picture = LossChart.render(history([1e6, 1e5, 1e4, 1e3, 100, 10]), width: 10, height: 4, unicode: true)
        #expect(picture.rows.count == 4 && picture.rows.allSatisfy { $0.count == 10 })
        let first = picture.rows[0][0]
        #expect(first.series == .total)
        #expect((first.character.unicodeScalars.first!.value - 0x2800) & 0x47 != 0)   // a dot in the left column
        // The last point (10, the minimum) lies in the bottom row, third cell, right column.
        let last = picture.rows[3][2]
        #expect(last.series != nil)
        #expect((last.character.unicodeScalars.first!.value - 0x2800) & 0xB8 != 0)
        // Every drawn cell is a braille pattern.
        for row in picture.rows { for cell in row where cell.series != nil {
            #expect((0x2800...0x28FF).contains(cell.character.unicodeScalars.first!.value))
        } }
        // Nothing drawn past the sixth point (3 cells of 2 dots).
        #expect(picture.rows.allSatisfy { row in row[3...].allSatisfy { $0.series == nil } })
        let top = try #require(picture.top), bottom = try #require(picture.bottom)
        #expect(top > 1e6 && bottom < 5)
    }

    @Test("ASCII rendering uses one marker a series")
    func ascii() {
        let picture = LossChart.render(history([100, 50, 25]), width: 6, height: 3, unicode: false)
        let characters = Set(picture.rows.flatMap { $0 }.compactMap { $0.series == nil ? nil : $0.character })
        #expect(characters.isSubset(of: ["*", "c", "s", "t"]))
        #expect(characters.contains("*"))
        #expect(picture.rows.flatMap { $0 }.allSatisfy { $0.character.isASCII })
    }

    @Test("the history thins out instead of growing without bound")
    func capacity() {
        var history = LossHistory()
        for iteration in 1...(LossHistory.capacity + 10) {
            history.record(iteration: iteration, losses: LossTerms(content: 1, style: 1, totalVariation: 1), generation: 0)
        }
        #expect(history.points.count <= LossHistory.capacity)
        #expect(history.points.last?.iteration == LossHistory.capacity + 10)
        #expect(history.points.first?.iteration == 1)
    }
}

@Suite("Layout")
struct LayoutTests {
    @Test("below 80x24 the studio is replaced by a message", arguments: [(79, 24), (80, 23), (60, 20), (0, 0)])
    func tooSmall(size: (Int, Int)) {
        #expect(StudioLayout.make(columns: size.0, rows: size.1) == nil)
        #expect(StudioLayout.tooSmallMessage(columns: size.0, rows: size.1)[0].contains("\(size.0)x\(size.1)"))
    }

    @Test("regions fit the screen and do not overlap", arguments: [(80, 24), (120, 40), (200, 60), (81, 100)])
    func regions(size: (Int, Int)) throws {
        let layout = try #require(StudioLayout.make(columns: size.0, rows: size.1))
        let rects = [layout.header, layout.preview, layout.stats, layout.chart, layout.controls, layout.footer]
        for rect in rects {
            #expect(rect.row >= 0 && rect.bottom <= size.1 && rect.column >= 0 && rect.right <= size.0)
            #expect(rect.width > 0 && rect.height > 0)
        }
        for (index, a) in rects.enumerated() {
            for b in rects[(index + 1)...] {
                let overlap = a.row < b.bottom && b.row < a.bottom && a.column < b.right && b.column < a.right
                #expect(!overlap, "\(a) overlaps \(b)")
            }
        }
        #expect(layout.preview.height >= 10)
        let panes = layout.previewPanes(sideBySide: true)
        #expect(panes.count == 3)
        #expect(panes.allSatisfy { $0.width >= 10 && $0.right <= layout.preview.right })
    }

    @Test("every control can be scrolled into view on the smallest screen")
    func scrolling() throws {
        let layout = try #require(StudioLayout.make(columns: 80, rows: 24))
        var scroll = 0
        for item in ControlItem.all {
            let height = ControlsGeometry(rect: layout.controls, scroll: 0).scrollingHeight
            scroll = ControlsGeometry.scroll(keeping: item, visibleIn: height, current: scroll)
            let geometry = ControlsGeometry(rect: layout.controls, scroll: scroll)
            #expect(geometry.row(of: .item(item)) != nil)
            #expect(geometry.row(of: .title) == layout.controls.row)
        }
    }
}
