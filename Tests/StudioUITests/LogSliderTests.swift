import Testing
@testable import StudioUI

@Suite("Log slider math")
struct LogSliderTests {
    let slider = LogSlider(minimum: 1e-3, maximum: 1e5, allowsZero: true)

    @Test("position and value are inverse on the log scale", arguments: [1e-3, 0.01, 0.5, 5, 100, 2500, 1e5])
    func roundTrip(value: Double) {
        let position = slider.position(of: value)
        #expect(position >= 0 && position <= 1)
        #expect(abs(slider.value(at: position) / value - 1) < 1e-9)
    }

    @Test("positions are linear in the exponent")
    func positions() {
        #expect(slider.position(of: 1e-3) == 0)
        #expect(slider.position(of: 1e5) == 1)
        #expect(abs(slider.position(of: 10) - 0.5) < 1e-12)   // 1e-3 … 1e5 is 8 decades; 10 sits 4 in
    }

    @Test("values outside the range are clamped")
    func clamping() {
        #expect(slider.clamped(1e9) == 1e5)
        #expect(slider.clamped(1e-9) == 1e-3)
        #expect(slider.clamped(0) == 0)
        #expect(slider.clamped(-4) == 0)
        #expect(slider.clamped(.infinity) == 1e5)
        #expect(slider.position(of: 1e9) == 1)
        let noZero = LogSlider(minimum: 0.01, maximum: 100)
        #expect(noZero.clamped(0) == 0.01)
        #expect(noZero.value(at: -3) == 0.01)
        #expect(noZero.value(at: 7) == 100)
    }

    @Test("steps go through round stops, ten a decade")
    func steps() {
        #expect(slider.stepped(100, by: 1) == 125)
        #expect(slider.stepped(125, by: 1) == 150)
        #expect(slider.stepped(100, by: -1) == 80)
        #expect(slider.stepped(5, by: 1) == 6)
        #expect(abs(slider.stepped(8, by: 1) - 10) < 1e-12)
        #expect(abs(slider.stepped(100, by: 10) - 1000) < 1e-9)
        #expect(abs(slider.stepped(100, by: -10) - 10) < 1e-12)
        // Off-grid values snap to the nearest stop first.
        #expect(slider.stepped(103, by: 1) == 125)
        #expect(abs(slider.stepped(0.001, by: 3) - 0.002) < 1e-15)
    }

    @Test("stepping stops at the ends; below the minimum comes off, and back")
    func ends() {
        #expect(slider.stepped(1e5, by: 1) == 1e5)
        #expect(slider.stepped(1e-3, by: -1) == 0)
        #expect(slider.stepped(0, by: -1) == 0)
        #expect(slider.stepped(0, by: 1) == 1e-3)
        let noZero = LogSlider(minimum: 0.01, maximum: 100)
        #expect(noZero.stepped(0.01, by: -1) == 0.01)
        #expect(noZero.stepped(0.0125, by: -5) == 0.01)
    }

    @Test("track columns map to values and back")
    func columns() {
        let width = 17
        #expect(slider.column(of: 1e-3, width: width) == 0)
        #expect(slider.column(of: 1e5, width: width) == width - 1)
        #expect(slider.column(of: 10, width: width) == 8)
        #expect(abs(slider.value(atColumn: 8, width: width) - 10) < 1e-9)
        for column in 0..<width {
            #expect(slider.column(of: slider.value(atColumn: column, width: width), width: width) == column)
        }
    }

    @Test("weights print short and readable")
    func formatting() {
        #expect(formatWeight(0) == "off")
        #expect(formatWeight(5) == "5")
        #expect(formatWeight(100) == "100")
        #expect(formatWeight(0.001) == "0.001")
        #expect(formatWeight(12.5) == "12.5")
        #expect(formatWeight(2500) == "2500")
        #expect(formatWeight(1e-6) == "1e-6")
        #expect(formatWeight(1.5e-6) == "1.5e-6")
        #expect(formatWeight(2e7) == "2e7")
        #expect(formatScientific(9.999e4) == "1e5")
        #expect(formatLoss(1234567) == "1.23e6")
        #expect(formatLoss(42.5) == "42.5")
        #expect(formatLoss(56773.1) == "5.68e4")
        #expect(formatLoss(1234.4) == "1234")
        #expect(formatLoss(0.5) == "0.500")
    }
}
