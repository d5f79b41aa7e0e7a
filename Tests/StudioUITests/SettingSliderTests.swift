import StudioCore
import StyleEngine
import Testing
@testable import StudioUI

/// The studio's sliders take their limits from `SettingTable`, the table presets and flags are checked against.
@Suite("Sliders follow the setting table")
struct SettingSliderTests {
    static let rows: [(ControlItem, SettingRange<Double>)] = [
        (.contentWeight, SettingTable.contentWeight),
        (.styleWeight, SettingTable.styleWeight),
        (.totalVariationWeight, SettingTable.totalVariationWeight),
        (.layer(0), SettingTable.layerWeight),
        (.layer(15), SettingTable.layerWeight),
    ]

    @Test("each weight row's slider has the table's limits, inside the values the table allows")
    func limitsEqualTheTable() throws {
        for (item, setting) in Self.rows {
            let slider = try #require(item.slider, "\(item) has no slider")
            let span = try #require(setting.slider, "\(setting.name) has no slider span")
            #expect(slider.minimum == span.minimum && slider.maximum == span.maximum && slider.allowsZero == span.allowsZero,
                    "\(item)")
            #expect(setting.problem(with: slider.maximum) == nil && setting.problem(with: slider.minimum) == nil)
            #expect(setting.problem(with: setting.defaultValue) == nil)
        }
    }

    @Test("pushing a weight row to its ends gives the table's limits; the default settings start at the table's defaults")
    func endsAreTheTablesLimits() throws {
        var values = ControlValues(settings: StyleSettings())
        for (item, setting) in Self.rows.prefix(3) {
            #expect(values.weight(of: item) == setting.defaultValue, "\(item)")
            let span = try #require(setting.slider)
            values.setWeight(.greatestFiniteMagnitude, of: item)
            #expect(values.weight(of: item) == span.maximum, "\(item)")
            values.setWeight(.leastNonzeroMagnitude, of: item)
            #expect(values.weight(of: item) == span.minimum, "\(item)")
        }
        #expect(values.settings.size == SettingTable.size.defaultValue)
        #expect(values.settings.optimizer.historySize == SettingTable.historySize.defaultValue)
        #expect(values.settings.optimizer.learningRate == SettingTable.lbfgsLearningRate.defaultValue)
        values.adjust(.optimizer, by: 1)
        #expect(values.settings.optimizer.kind == .adam)
        #expect(values.settings.optimizer.learningRate == SettingTable.adamLearningRate.defaultValue)
        #expect(ControlValues.sizes.allSatisfy { SettingTable.size.problem(with: $0) == nil })
    }
}
