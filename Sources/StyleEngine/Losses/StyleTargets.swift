/// What the image is pulled towards: the content photo's features at the content layers and the style
/// paintings' statistics at the style layers (Gram matrices; for the Wasserstein loss also channel means,
/// covariances and their square roots), blended by the paintings' weights. Computed once per
/// (images, layers, size, pooling); a change of blend weights or style loss only re-blends.
public final class StyleTargets: @unchecked Sendable {
    /// Padded features of the content image, by layer (empty until the objective records them when the
    /// targets were made with `contentFromObjective`).
    private(set) var contentFeatures: [VGGLayer: FloatBuffer]
    private let contentLayers: Set<VGGLayer>
    /// The content image whose features the objective still has to record (`contentFromObjective`).
    private(set) var pendingContent: EngineImage?
    /// Each painting's statistics, by layer.
    private let styleStatistics: [[VGGLayer: StyleStatistics]]
    /// The blended C × C Gram matrices, by layer.
    private(set) var styleGrams: [VGGLayer: FloatBuffer] = [:]
    /// The blended Gaussians, by layer, when the Wasserstein loss is in use.
    private(set) var wassersteinTargets: [VGGLayer: WassersteinTarget] = [:]
    private var blendWeights: [Double] = []
    let pooling: Pooling
    private let styleLayers: Set<VGGLayer>

    /// How many paintings the style targets blend.
    public var styleCount: Int { styleStatistics.count }

    /// `content` and `style` are engine images (H × W × 3, BGR, mean subtracted) of their own sizes.
    public convenience init(weights: VGG19Weights, settings: ObjectiveSettings,
                            content: [Float], contentWidth: Int, contentHeight: Int,
                            style: [Float], styleWidth: Int, styleHeight: Int) {
        self.init(weights: weights, settings: settings,
                  content: EngineImage(pixels: content, width: contentWidth, height: contentHeight),
                  styles: [EngineImage(pixels: style, width: styleWidth, height: styleHeight)])
    }

    /// `styles`: one or more paintings, blended by `settings.styleBlend`. With `contentFromObjective`, the
    /// content features are not computed here: the objective (whose image has the content's size) records
    /// them from its own network at its first evaluation, from the very forward pass that evaluation makes
    /// when it starts at the content image (the usual start). That saves a forward pass to the content
    /// layer and a network at start-up. With a `statisticsStore`, a painting's statistics are read from it when
    /// it has them (weights read from a file only: their identity is part of the key), else computed and offered
    /// to it.
    public init(weights: VGG19Weights, settings: ObjectiveSettings, content: EngineImage, styles: [EngineImage],
                contentFromObjective: Bool = false, statisticsStore: (any PaintingStatisticsStore)? = nil) {
        precondition(!styles.isEmpty, "at least one style image")
        pooling = settings.pooling
        styleLayers = Set(settings.styleLayers.map(\.layer))
        contentLayers = Set(settings.contentLayers.map(\.layer))
        if contentFromObjective && !contentLayers.isEmpty {
            contentFeatures = [:]
            pendingContent = content
        } else {
            contentFeatures = Self.collect(settings.contentLayers, of: content, weights: weights,
                                           pooling: settings.pooling) { activation, shape in
                let buffer = FloatBuffer(count: shape.paddedCount)
                buffer.pointer.update(from: activation, count: buffer.count)
                return buffer
            }
        }
        styleStatistics = styles.map { style in
            Self.statistics(of: style, layers: settings.styleLayers, weights: weights, pooling: settings.pooling,
                            store: statisticsStore)
        }
        prepare(for: settings)
    }

    /// A painting's statistics at `layers`: the store's when it has them, else computed (and offered to it).
    private static func statistics(of painting: EngineImage, layers: [WeightedLayer], weights: VGG19Weights,
                                   pooling: Pooling, store: (any PaintingStatisticsStore)?) -> [VGGLayer: StyleStatistics] {
        let key = store == nil || layers.isEmpty ? nil : weights.fileIdentity.map {
            PaintingStatisticsKey(painting: painting, layers: Set(layers.map(\.layer)), pooling: pooling, weightsIdentity: $0)
        }
        if let key, let store, let kept = store.statistics(for: key),
           let statistics = StyleStatistics.unpacked(kept, layers: key.layers) {
            return statistics
        }
        let statistics = collect(layers, of: painting, weights: weights, pooling: pooling) {
            StyleStatistics(features: $0, shape: $1)
        }
        // Read only from here on (the targets read them too), so the store may lay them out on its own thread.
        if let key, let store { store.keep({ StyleStatistics.packed(statistics, layers: key.layers) }, for: key) }
        return statistics
    }

    /// Runs `image` through a network cut after the deepest of `layers` and keeps `extract(activation)`
    /// of each of them (a network made for the purpose and freed afterwards).
    private static func collect<Value>(_ layers: [WeightedLayer], of image: EngineImage,
                                       weights: VGG19Weights, pooling: Pooling,
                                       extract: (UnsafePointer<Float>, FeatureShape) -> Value) -> [VGGLayer: Value] {
        guard let deepest = layers.map(\.layer).max() else { return [:] }
        let wanted = Set(layers.map(\.layer))
        let network = VGG19Network(weights: weights, height: image.height, width: image.width,
                                   deepestLayer: deepest, pooling: pooling)
        var result: [VGGLayer: Value] = [:]
        image.pixels.withUnsafeBufferPointer {
            network.forward(image: $0.baseAddress!) { layer, activation in
                if wanted.contains(layer) { result[layer] = extract(activation, network.shape(of: layer)) }
            }
        }
        return result
    }

    /// Plans the buffers for the content features the objective will record from `network` (whose image
    /// has the content's size).
    func planContentFeatures(on network: VGG19Network) {
        guard let content = pendingContent, contentFeatures.isEmpty else { return }
        precondition(network.imageShape.width == content.width && network.imageShape.height == content.height,
                     "the objective's image must have the content's size to record its features")
        for layer in contentLayers { contentFeatures[layer] = FloatBuffer(count: network.shape(of: layer).paddedCount) }
    }

    /// Records one layer's content features, from a forward pass of the content image (a network's visitor).
    func recordContentFeatures(of layer: VGGLayer, activation: UnsafePointer<Float>) {
        guard pendingContent != nil, let buffer = contentFeatures[layer] else { return }
        buffer.pointer.update(from: activation, count: buffer.count)
    }

    /// The forward pass that recorded the content features is over: they are known.
    func finishRecordingContentFeatures() {
        pendingContent = nil
    }

    /// Whether these targets serve `settings` (same layers and pooling; the weights, the paintings' blend
    /// and the style loss may differ: `prepare` adapts to those).
    public func serves(_ settings: ObjectiveSettings) -> Bool {
        Set(settings.contentLayers.map(\.layer)) == contentLayers
            && Set(settings.styleLayers.map(\.layer)) == styleLayers
            && settings.pooling == pooling
    }

    /// Blends the paintings by `settings.styleBlend` and builds the Wasserstein targets if that loss is used
    /// (only what changed since the last call).
    func prepare(for settings: ObjectiveSettings) {
        let weights = StyleStatistics.normalizedWeights(settings.styleBlend, count: styleStatistics.count)
        var blended: [VGGLayer: StyleStatistics] = [:]
        if weights != blendWeights {
            blendWeights = weights
            wassersteinTargets = [:]
            styleGrams = [:]
            for layer in styleLayers {
                let statistics = StyleStatistics.blend(styleStatistics.map { $0[layer]! }, weights: weights)
                blended[layer] = statistics
                styleGrams[layer] = statistics.gram
            }
        }
        guard settings.styleLoss == .wasserstein, wassersteinTargets.isEmpty, !styleLayers.isEmpty else { return }
        let largest = styleLayers.map(\.outputChannels).max()!
        let squareRoot = MatrixSquareRoot(maximumOrder: largest)
        for layer in styleLayers {
            let statistics = blended[layer]
                ?? StyleStatistics.blend(styleStatistics.map { $0[layer]! }, weights: weights)
            wassersteinTargets[layer] = WassersteinTarget(gram: statistics.gram.pointer, mean: statistics.mean.pointer,
                                                          channels: layer.outputChannels, squareRoot: squareRoot)
        }
    }
}
