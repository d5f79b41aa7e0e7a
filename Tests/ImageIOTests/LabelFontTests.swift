@testable import ImageIO
import Testing

/// Contact-sheet labels come from libgd, opened at first use rather than linked: the font is found and draws.
@Suite("Label font")
struct LabelFontTests {
    @Test func libgdIsOpenedAndItsSmallFontDraws() {
        #expect(LabelFont.glyphWidth == 6 && LabelFont.lineHeight == 13)
        let mask = LabelFont.mask("Ag|")
        #expect(mask.width == 18 && mask.height == 13)
        let ink = mask.ink.filter { $0 }.count
        #expect(ink > 20 && ink < 18 * 13 / 2, "\(ink) pixels of ink")
        // The '|' is one vertical stroke in the third cell: ink there, in one column.
        let columns = Set((0..<13).flatMap { y in (12..<18).filter { mask.ink[y * 18 + $0] } })
        #expect(columns.count == 1)
        #expect(LabelFont.mask("").width == 1)
    }
}
