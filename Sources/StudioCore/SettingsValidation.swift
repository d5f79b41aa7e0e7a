/// Range checks for settings from flags, presets or the UI; each failure is one line naming the setting.
public enum SettingsValidation {
    public static func validate(_ settings: StyleSettings) throws {
        func check(_ value: Double, _ range: ClosedRange<Double>, _ name: String) throws {
            guard value.isFinite, range.contains(value) else {
                throw StyleTransferError.invalidSetting(
                    "\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
            }
        }
        guard StyleSettings.allowedSizes.contains(settings.size) else {
            throw StyleTransferError.invalidSetting(
                "size must be between \(StyleSettings.allowedSizes.lowerBound) and \(StyleSettings.allowedSizes.upperBound) px (got \(settings.size))")
        }
        try check(settings.objective.contentWeight, StyleSettings.allowedWeights, "content weight")
        try check(settings.objective.styleWeight, StyleSettings.allowedWeights, "style weight")
        try check(settings.objective.totalVariationWeight, StyleSettings.allowedWeights, "TV weight")
        for term in settings.objective.contentLayers + settings.objective.styleLayers {
            try check(term.weight, StyleSettings.allowedWeights, "weight of layer \(term.layer.name)")
        }
        guard OptimizerSettings.allowedHistorySizes.contains(settings.optimizer.historySize) else {
            throw StyleTransferError.invalidSetting(
                "history size must be between \(OptimizerSettings.allowedHistorySizes.lowerBound) and \(OptimizerSettings.allowedHistorySizes.upperBound) (got \(settings.optimizer.historySize))")
        }
        try check(settings.optimizer.learningRate, OptimizerSettings.allowedLearningRates, "learning rate")
        guard settings.objective.deepestLayer != nil else { throw StyleTransferError.noLayers }
    }
}
