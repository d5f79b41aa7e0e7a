/// What the image is pulled towards: the content photo's features at the content layers and the style
/// painting's Gram matrices at the style layers. Computed once per (images, layers, size, pooling).
public final class StyleTargets: @unchecked Sendable {
    /// Padded features of the content image, by layer.
    let contentFeatures: [VGGLayer: FloatBuffer]
    /// C × C Gram matrices of the style image, by layer.
    let styleGrams: [VGGLayer: FloatBuffer]

    /// `content` and `style` are engine images (H × W × 3, BGR, mean subtracted) of their own sizes.
    public init(weights: VGG19Weights, settings: ObjectiveSettings,
                content: [Float], contentWidth: Int, contentHeight: Int,
                style: [Float], styleWidth: Int, styleHeight: Int) {
        var contentFeatures: [VGGLayer: FloatBuffer] = [:]
        if let deepest = settings.contentLayers.map(\.layer).max() {
            let network = VGG19Network(weights: weights, height: contentHeight, width: contentWidth,
                                       deepestLayer: deepest, pooling: settings.pooling)
            let layers = Set(settings.contentLayers.map(\.layer))
            content.withUnsafeBufferPointer {
                network.forward(image: $0.baseAddress!) { layer, activation in
                    guard layers.contains(layer) else { return }
                    let buffer = FloatBuffer(count: network.shape(of: layer).paddedCount)
                    buffer.pointer.update(from: activation, count: buffer.count)
                    contentFeatures[layer] = buffer
                }
            }
        }
        var styleGrams: [VGGLayer: FloatBuffer] = [:]
        if let deepest = settings.styleLayers.map(\.layer).max() {
            let network = VGG19Network(weights: weights, height: styleHeight, width: styleWidth,
                                       deepestLayer: deepest, pooling: settings.pooling)
            let layers = Set(settings.styleLayers.map(\.layer))
            style.withUnsafeBufferPointer {
                network.forward(image: $0.baseAddress!) { layer, activation in
                    guard layers.contains(layer) else { return }
                    let shape = network.shape(of: layer)
                    let gram = FloatBuffer(count: shape.channels * shape.channels)
                    GramMatrix.compute(features: activation, shape: shape, into: gram.pointer,
                                       partials: GramMatrix.makePartials(channels: shape.channels))
                    styleGrams[layer] = gram
                }
            }
        }
        self.contentFeatures = contentFeatures
        self.styleGrams = styleGrams
    }

    /// Whether these targets serve `settings` (same layers and pooling; the weights may differ).
    public func serves(_ settings: ObjectiveSettings, pooling: Pooling) -> Bool {
        Set(settings.contentLayers.map(\.layer)) == Set(contentFeatures.keys)
            && Set(settings.styleLayers.map(\.layer)) == Set(styleGrams.keys)
            && settings.pooling == pooling
    }
}
