import StyleEngine
import Testing
@testable import StudioCore

/// Presets, flags and the UI check numbers against one table, `SettingTable`: a value just outside an entry's
/// range is refused with one line that names the file, the field and the table's range.
@Suite("Setting ranges")
struct SettingRangeTests {
    struct Case: Sendable, CustomStringConvertible {
        var field: String
        var setting: SettingRange<Double>
        /// Other fields the file needs (the optimizer whose learning rate it is).
        var context = ""
        var description: String { field }
    }

    static let doubles: [Case] = [
        Case(field: "content_weight", setting: SettingTable.contentWeight),
        Case(field: "style_weight", setting: SettingTable.styleWeight),
        Case(field: "tv_weight", setting: SettingTable.totalVariationWeight),
        Case(field: "learning_rate", setting: SettingTable.lbfgsLearningRate),
        Case(field: "learning_rate", setting: SettingTable.adamLearningRate, context: "\"optimizer\": \"adam\", "),
    ]

    static func refusal(_ text: String) -> PresetError? {
        #expect(throws: PresetError.self) {
            try PresetCodec.decode(Array(text.utf8), path: "/presets/bad.json", fileName: "bad")
        }
    }

    @Test("a number outside its range is refused with one line naming the file, the field and the range",
          arguments: doubles)
    func numbersOutsideTheRange(testCase: Case) throws {
        let range = testCase.setting.allowed
        for value in [range.upperBound * 10, range.lowerBound == 0 ? -1 : range.lowerBound / 10] {
            let text = "{\"format\": 2, \(testCase.context)\"\(testCase.field)\": \(value.shortestText)}"
            let error = try #require(Self.refusal(text), "\(text)")
            #expect(error.kind == .invalidValue && error.field == testCase.field)
            #expect(error.description.hasPrefix("/presets/bad.json:1:"), "\(error)")
            #expect(!error.description.contains("\n"))
            #expect(error.description.hasSuffix("\"\(testCase.field)\" must be \(testCase.setting.rangeText) "
                                                + "(found \(value.settingText))"), "\(error)")
            // The values at the ends are accepted.
            for edge in [range.lowerBound, range.upperBound] {
                let edgeText = "{\"format\": 2, \(testCase.context)\"\(testCase.field)\": \(edge.shortestText)}"
                #expect(throws: Never.self) { try PresetCodec.decode(Array(edgeText.utf8), path: nil, fileName: "edge") }
            }
        }
    }

    @Test("whole-number settings: size and history size")
    func wholeNumbersOutsideTheRange() throws {
        for (field, setting) in [("size", SettingTable.size), ("history_size", SettingTable.historySize)] {
            for value in [setting.allowed.lowerBound - 1, setting.allowed.upperBound + 1] {
                let error = try #require(Self.refusal("{\"format\": 2, \"\(field)\": \(value)}"))
                #expect(error.field == field && !error.description.contains("\n"))
                #expect(error.description.hasSuffix("\"\(field)\" must be \(setting.rangeText) (found \(value))"), "\(error)")
            }
        }
    }

    @Test("flags and the studio are checked against the same table")
    func validationUsesTheTable() {
        var settings = StyleSettings()
        #expect(settings.size == SettingTable.size.defaultValue && settings.seed == SettingTable.seed.defaultValue)
        #expect(settings.objective.contentWeight == SettingTable.contentWeight.defaultValue)
        settings.objective.styleWeight = SettingTable.styleWeight.allowed.upperBound * 2
        let error = #expect(throws: StyleTransferError.self) { try SettingsValidation.validate(settings) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(
            "\(SettingTable.styleWeight.name) must be \(SettingTable.styleWeight.rangeText)"))
        settings = StyleSettings()
        settings.optimizer = OptimizerSettings(kind: .adam)
        #expect(settings.optimizer.learningRate == SettingTable.adamLearningRate.defaultValue)
        settings.optimizer.historySize = SettingTable.historySize.allowed.upperBound + 1
        #expect(throws: StyleTransferError.self) { try SettingsValidation.validate(settings) }
    }
}
