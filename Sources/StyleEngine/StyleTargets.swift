/// What the image is pulled towards: the content photo's features at the content layers and the style
/// painting's Gram matrices at the style layers. Computed once per (images, layers, size, pooling).
public final class StyleTargets: @unchecked Sendable {
    /// Padded features of the content image, by layer.
    let contentFeatures: [VGGLayer: FloatBuffer]
    /// C × C Gram matrices of the style image, by layer.
    let styleGrams: [VGGLayer: FloatBuffer]
    let pooling: Pooling

    /// `content` and `style` are engine images (H × W × 3, BGR, mean subtracted) of their own sizes.
    public init(weights: VGG19Weights, settings: ObjectiveSettings,
                content: [Float], contentWidth: Int, contentHeight: Int,
                style: [Float], styleWidth: Int, styleHeight: Int) {
        pooling = settings.pooling
        contentFeatures = Self.collect(settings.contentLayers, of: content, width: contentWidth, height: contentHeight,
                                       weights: weights, pooling: settings.pooling) { activation, shape in
            let buffer = FloatBuffer(count: shape.paddedCount)
            buffer.pointer.update(from: activation, count: buffer.count)
            return buffer
        }
        styleGrams = Self.collect(settings.styleLayers, of: style, width: styleWidth, height: styleHeight,
                                  weights: weights, pooling: settings.pooling) { activation, shape in
            let gram = FloatBuffer(count: shape.channels * shape.channels)
            GramMatrix.compute(features: activation, shape: shape, into: gram.pointer,
                               partials: GramMatrix.makePartials(channels: shape.channels))
            return gram
        }
    }

    /// Runs `image` through a network cut after the deepest of `layers` and keeps `extract(activation)`
    /// of each of them (a network made for the purpose and freed afterwards).
    private static func collect(_ layers: [WeightedLayer], of image: [Float], width: Int, height: Int,
                                weights: VGG19Weights, pooling: Pooling,
                                extract: (UnsafePointer<Float>, FeatureShape) -> FloatBuffer) -> [VGGLayer: FloatBuffer] {
        guard let deepest = layers.map(\.layer).max() else { return [:] }
        let wanted = Set(layers.map(\.layer))
        let network = VGG19Network(weights: weights, height: height, width: width, deepestLayer: deepest, pooling: pooling)
        var result: [VGGLayer: FloatBuffer] = [:]
        image.withUnsafeBufferPointer {
            network.forward(image: $0.baseAddress!) { layer, activation in
                if wanted.contains(layer) { result[layer] = extract(activation, network.shape(of: layer)) }
            }
        }
        return result
    }

    /// Whether these targets serve `settings` (same layers and pooling; the weights may differ).
    public func serves(_ settings: ObjectiveSettings) -> Bool {
        Set(settings.contentLayers.map(\.layer)) == Set(contentFeatures.keys)
            && Set(settings.styleLayers.map(\.layer)) == Set(styleGrams.keys)
            && settings.pooling == pooling
    }
}
