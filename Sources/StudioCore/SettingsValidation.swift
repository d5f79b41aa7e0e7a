/// Range checks for settings from flags or the UI, with the same rules as presets (`PresetRules`);
/// each failure is one line naming the setting, e.g. "style weight must be between 0 and 1e12 (found -3)".
public enum SettingsValidation {
    public static func validate(_ settings: StyleSettings) throws {
        let objective = settings.objective, optimizer = settings.optimizer
        var checks: [(String, String?)] = [
            ("size", PresetRules.sizeProblem(settings.size)),
            ("content weight", PresetRules.weightProblem(objective.contentWeight)),
            ("style weight", PresetRules.weightProblem(objective.styleWeight)),
            ("TV weight", PresetRules.weightProblem(objective.totalVariationWeight)),
            ("history size", PresetRules.historySizeProblem(optimizer.historySize)),
            ("learning rate", PresetRules.learningRateProblem(optimizer.learningRate)),
        ]
        for term in objective.contentLayers + objective.styleLayers {
            checks.append(("weight of layer \(term.layer.name)", PresetRules.weightProblem(term.weight)))
        }
        for (index, weight) in objective.styleBlend.enumerated() {
            checks.append(("weight of style image \(index + 1)", PresetRules.weightProblem(weight)))
        }
        if !objective.styleBlend.isEmpty, objective.styleBlend.allSatisfy({ $0 == 0 }) {
            checks.append(("style image weights", "must not all be 0"))
        }
        if let (name, problem) = checks.first(where: { $0.1 != nil }) {
            throw StyleTransferError.invalidSetting("\(name) \(problem!)")
        }
        guard objective.deepestLayer != nil else { throw StyleTransferError.noLayers }
    }
}
