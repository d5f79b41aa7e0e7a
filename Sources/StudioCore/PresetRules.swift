import Foundation
import StyleEngine

/// The allowed ranges of preset values, shared by the reader (which adds the line) and by `PresetStore.save`
/// (which refuses to write a preset that could not be read back). Each check returns the problem or nil.
enum PresetRules {
    static func weightProblem(_ value: Double) -> String? {
        rangeProblem(value, StyleSettings.allowedWeights)
    }

    static func sizeProblem(_ value: Int) -> String? {
        StyleSettings.allowedSizes.contains(value) ? nil
            : "must be between \(StyleSettings.allowedSizes.lowerBound) and \(StyleSettings.allowedSizes.upperBound) pixels "
              + "(found \(value))"
    }

    static func historySizeProblem(_ value: Int) -> String? {
        let range = OptimizerSettings.allowedHistorySizes
        return range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound) (found \(value))"
    }

    static func learningRateProblem(_ value: Double) -> String? {
        rangeProblem(value, OptimizerSettings.allowedLearningRates)
    }

    static func rangeProblem(_ value: Double, _ range: ClosedRange<Double>) -> String? {
        guard !(value.isFinite && range.contains(value)) else { return nil }
        return "must be between \(readable(range.lowerBound)) and \(readable(range.upperBound)) (found \(readable(value)))"
    }

    /// Every problem of a preset about to be saved, as (field, message); empty when it can be written.
    static func problems(in preset: Preset) -> [(field: PresetField, message: String)] {
        var problems: [(PresetField, String)] = []
        let objective = preset.settings.objective
        let optimizer = preset.settings.optimizer
        if preset.description.contains(where: \.isNewline) {
            problems.append((.description, "must be one line"))
        }
        if preset.contentPath?.isEmpty == true { problems.append((.contentImage, "must not be empty")) }
        if preset.stylePaths.contains(where: \.isEmpty) { problems.append((.styleImages, "must not hold an empty path")) }
        for weight in objective.styleBlend {
            if let problem = weightProblem(weight) { problems.append((.styleBlend, "weight \(problem)")) }
        }
        if !objective.styleBlend.isEmpty, objective.styleBlend.allSatisfy({ $0 == 0 }) {
            problems.append((.styleBlend, "must not be all 0"))
        }
        if let problem = weightProblem(objective.contentWeight) { problems.append((.contentWeight, problem)) }
        if let problem = weightProblem(objective.styleWeight) { problems.append((.styleWeight, problem)) }
        if let problem = weightProblem(objective.totalVariationWeight) { problems.append((.totalVariationWeight, problem)) }
        for (field, layers) in [(PresetField.contentLayers, objective.contentLayers), (.styleLayers, objective.styleLayers)] {
            for layer in layers {
                if let problem = weightProblem(layer.weight) {
                    problems.append((field, "weight of \(layer.layer.name) \(problem)"))
                }
            }
            if let duplicate = firstDuplicate(in: layers.map(\.layer)) {
                problems.append((field, "\(duplicate.name) appears more than once"))
            }
        }
        if objective.deepestLayer == nil {
            problems.append((.styleLayers, "and \"content_layers\" are both empty: a preset needs at least one layer"))
        }
        if let problem = sizeProblem(preset.settings.size) { problems.append((.size, problem)) }
        if case .file(let path) = preset.settings.initialization, path.isEmpty {
            problems.append((.initialization, "must be content, style, noise or an image path"))
        }
        if let problem = historySizeProblem(optimizer.historySize) { problems.append((.historySize, problem)) }
        if let problem = learningRateProblem(optimizer.learningRate) { problems.append((.learningRate, problem)) }
        return problems
    }

    static let noLayersProblem =
        "\"content_layers\" and \"style_layers\" are both empty: a preset needs at least one layer"

    static func firstDuplicate(in layers: [VGGLayer]) -> VGGLayer? {
        var seen = Set<VGGLayer>()
        return layers.first { !seen.insert($0).inserted }
    }

    /// A number for messages: `1e12` rather than `1000000000000`, `0.001`, `5`.
    static func readable(_ value: Double) -> String {
        let magnitude = abs(value)
        if value.isFinite, magnitude != 0, magnitude >= 1e6 || magnitude < 1e-3 {
            let exponent = log10(magnitude).rounded()
            if pow(10, exponent) == magnitude { return "\(value < 0 ? "-" : "")1e\(Int(exponent))" }
        }
        return PresetCodec.numberText(value)
    }
}
