import Foundation
import StyleEngine

/// What `PresetStore.save` refuses to write because it could not be read back; the ranges are `SettingTable`'s,
/// which the reader checks too.
enum PresetRules {
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
            if let problem = SettingTable.styleBlendWeight.problem(with: weight) { problems.append((.styleBlend, "weight \(problem)")) }
        }
        if !objective.styleBlend.isEmpty, objective.styleBlend.allSatisfy({ $0 == 0 }) {
            problems.append((.styleBlend, "must not be all 0"))
        }
        if let problem = SettingTable.contentWeight.problem(with: objective.contentWeight) { problems.append((.contentWeight, problem)) }
        if let problem = SettingTable.styleWeight.problem(with: objective.styleWeight) { problems.append((.styleWeight, problem)) }
        if let problem = SettingTable.totalVariationWeight.problem(with: objective.totalVariationWeight) {
            problems.append((.totalVariationWeight, problem))
        }
        for (field, layers) in [(PresetField.contentLayers, objective.contentLayers), (.styleLayers, objective.styleLayers)] {
            for layer in layers {
                if let problem = SettingTable.layerWeight.problem(with: layer.weight) {
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
        if let problem = SettingTable.size.problem(with: preset.settings.size) { problems.append((.size, problem)) }
        if case .file(let path) = preset.settings.initialization, path.isEmpty {
            problems.append((.initialization, "must be content, style, noise or an image path"))
        }
        if let problem = SettingTable.historySize.problem(with: optimizer.historySize) { problems.append((.historySize, problem)) }
        if let problem = OptimizerSettings.learningRateSetting(for: optimizer.kind).problem(with: optimizer.learningRate) {
            problems.append((.learningRate, problem))
        }
        return problems
    }

    static let noLayersProblem =
        "\"content_layers\" and \"style_layers\" are both empty: a preset needs at least one layer"

    static func firstDuplicate(in layers: [VGGLayer]) -> VGGLayer? {
        var seen = Set<VGGLayer>()
        return layers.first { !seen.insert($0).inserted }
    }
}
