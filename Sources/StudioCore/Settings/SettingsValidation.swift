import StyleEngine

/// Range checks for settings from flags or the UI, with the same rules (`SettingTable`) as presets;
/// each failure is one line naming the setting, e.g. "style weight must be between 0 and 1e12 (found -3)".
public enum SettingsValidation {
    public static func validate(_ settings: StyleSettings) throws {
        let objective = settings.objective, optimizer = settings.optimizer
        var problems: [String?] = [
            SettingTable.size.namedProblem(with: settings.size),
            SettingTable.contentWeight.namedProblem(with: objective.contentWeight),
            SettingTable.styleWeight.namedProblem(with: objective.styleWeight),
            SettingTable.totalVariationWeight.namedProblem(with: objective.totalVariationWeight),
            SettingTable.historySize.namedProblem(with: optimizer.historySize),
            OptimizerSettings.learningRateSetting(for: optimizer.kind).namedProblem(with: optimizer.learningRate),
        ]
        for term in objective.contentLayers + objective.styleLayers {
            problems.append(SettingTable.layerWeight.problem(with: term.weight).map { "weight of layer \(term.layer.name) \($0)" })
        }
        for (index, weight) in objective.styleBlend.enumerated() {
            problems.append(SettingTable.styleBlendWeight.problem(with: weight).map { "weight of style image \(index + 1) \($0)" })
        }
        if !objective.styleBlend.isEmpty, objective.styleBlend.allSatisfy({ $0 == 0 }) {
            problems.append("style image weights must not all be 0")
        }
        if let problem = problems.first(where: { $0 != nil }) {
            throw StyleTransferError.invalidSetting(problem!)
        }
        guard objective.deepestLayer != nil else { throw StyleTransferError.noLayers }
    }
}
