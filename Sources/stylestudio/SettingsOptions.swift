import ArgumentParser
import StudioCore
import StyleEngine

/// The flags that set `StyleSettings`; each one given overrides the preset's (or the default) value.
struct SettingsOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "\(SettingTable.size.help)")
    var size: Int?

    @Option(parsing: .unconditional, help: "\(SettingTable.contentWeight.help)")
    var contentWeight: Double?

    @Option(parsing: .unconditional, help: "\(SettingTable.styleWeight.help)")
    var styleWeight: Double?

    @Option(name: .customLong("tv-weight"), parsing: .unconditional, help: "\(SettingTable.totalVariationWeight.help)")
    var totalVariationWeight: Double?

    @Option(help: "Content layers, L[:W],… (default \(LayerList.format(ObjectiveSettings.defaultContentLayers)); Caffe names such as conv4_2 work too).")
    var contentLayers: String?

    @Option(help: "Style layers, L[:W],… (default \(LayerList.format(ObjectiveSettings.defaultStyleLayers))).")
    var styleLayers: String?

    @Option(help: "\(ChoiceHelp.text(default: ChoiceHelp.defaults.optimizer.kind))")
    var optimizer: OptimizerSettings.Kind?

    @Option(parsing: .unconditional, help: "\(SettingTable.historySize.help)")
    var historySize: Int?

    @Option(parsing: .unconditional, help: "Step size: L-BFGS \(SettingTable.lbfgsLearningRate.defaultText) (default), Adam \(SettingTable.adamLearningRate.defaultText) (pixel units).")
    var learningRate: Double?

    @Option(help: "\(ChoiceHelp.text("L-BFGS step rule: ", default: ChoiceHelp.defaults.optimizer.lineSearch, notes: [.strongWolfe: "never raises the loss, usually one evaluation per iteration", LineSearchKind.none: "the fixed step of torch's L-BFGS without line search: one evaluation per iteration, can overshoot"]))")
    var lineSearch: LineSearchKind?

    @Option(name: .customLong("init"), help: "Start image: content, style, noise, or a FILE (default \(ChoiceHelp.defaults.initialization)).")
    var initialization: String?

    @Option(parsing: .unconditional, help: "\(SettingTable.seed.help)")
    var seed: UInt64?

    @Option(help: "\(ChoiceHelp.text(default: ChoiceHelp.defaults.objective.pooling))")
    var pooling: Pooling?

    @Option(help: "\(ChoiceHelp.text("Style loss: ", default: ChoiceHelp.defaults.objective.styleLoss, notes: [.gram: "Gatys et al.", .wasserstein: "feature means and covariances"]))")
    var styleLoss: StyleLossKind?

    @Option(help: "\(ChoiceHelp.text("Colour: ", default: ChoiceHelp.defaults.color, notes: [.original: "the painting's", .luminance: "keep the photo's colours", .match: "recolour the painting to the photo's"]))")
    var color: ColorMode?

    /// `base` with every given flag applied, validated.
    func settings(over base: StyleSettings) throws -> StyleSettings {
        var settings = base
        if let size { settings.size = size }
        if let contentWeight { settings.objective.contentWeight = contentWeight }
        if let styleWeight { settings.objective.styleWeight = styleWeight }
        if let totalVariationWeight { settings.objective.totalVariationWeight = totalVariationWeight }
        if let contentLayers { settings.objective.contentLayers = try LayerList.parse(contentLayers) }
        if let styleLayers { settings.objective.styleLayers = try LayerList.parse(styleLayers) }
        if let optimizer, optimizer != settings.optimizer.kind {
            settings.optimizer = OptimizerSettings(kind: optimizer, historySize: settings.optimizer.historySize)
        }
        if let historySize { settings.optimizer.historySize = historySize }
        if let learningRate { settings.optimizer.learningRate = learningRate }
        if let lineSearch { settings.optimizer.lineSearch = lineSearch }
        if let initialization { settings.initialization = Initialization(argument: initialization) }
        if let seed { settings.seed = seed }
        if let pooling { settings.objective.pooling = pooling }
        if let styleLoss { settings.objective.styleLoss = styleLoss }
        if let color { settings.color = color }
        try SettingsValidation.validate(settings)
        return settings
    }
}

extension OptimizerSettings.Kind: ExpressibleByArgument {}
extension Pooling: ExpressibleByArgument {}
extension LineSearchKind: ExpressibleByArgument {}
extension StyleLossKind: ExpressibleByArgument {}
extension ColorMode: ExpressibleByArgument {}
