import ArgumentParser
import StudioCore
import StyleEngine

/// The flags that set `StyleSettings`; each one given overrides the preset's (or the default) value.
struct SettingsOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Long side of the working image, in pixels (default 384).")
    var size: Int?

    @Option(parsing: .unconditional, help: "Weight of the content term (default 5).")
    var contentWeight: Double?

    @Option(parsing: .unconditional, help: "Weight of the style term (default 100).")
    var styleWeight: Double?

    @Option(name: .customLong("tv-weight"), parsing: .unconditional, help: "Weight of the total-variation term (default 0.001).")
    var totalVariationWeight: Double?

    @Option(help: "Content layers, L[:W],… (default block4_conv2; Caffe names such as conv4_2 work too).")
    var contentLayers: String?

    @Option(help: "Style layers, L[:W],… (default block1_conv1,…,block5_conv1).")
    var styleLayers: String?

    @Option(help: "lbfgs (default) or adam.")
    var optimizer: OptimizerSettings.Kind?

    @Option(parsing: .unconditional, help: "L-BFGS history size (default 20).")
    var historySize: Int?

    @Option(parsing: .unconditional, help: "Step size: L-BFGS 1 (default), Adam 10 (pixel units).")
    var learningRate: Double?

    @Option(help: "L-BFGS step rule: strong-wolfe (default; never raises the loss, usually one evaluation per iteration) or none (the fixed step of torch's L-BFGS without line search: one evaluation per iteration, can overshoot).")
    var lineSearch: LineSearchKind?

    @Option(name: .customLong("init"), help: "Start image: content (default), style, noise, or a FILE.")
    var initialization: String?

    @Option(parsing: .unconditional, help: "Seed for the noise init (default 0).")
    var seed: UInt64?

    @Option(help: "max (default) or avg.")
    var pooling: Pooling?

    @Option(help: "Style loss: gram (default; Gatys et al.) or wasserstein (feature means and covariances).")
    var styleLoss: StyleLossKind?

    @Option(help: "Colour: original (default; the painting's), luminance (keep the photo's colours) or match (recolour the painting to the photo's).")
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
