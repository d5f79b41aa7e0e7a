/// Every buffer a `VGG19Network` allocates for one image size, computed without allocating: the one home
/// of the network's memory plan. The network allocates exactly these buffers; the studio's memory check,
/// the command line's `--dry-run` and the final-render dialog read the same numbers.
///
/// The plan (the full-resolution maps dominate): one padded map per layer from block1_conv2 on; one spare
/// map as large as the largest, which holds block1_conv1's output during the forward pass, each pooled
/// input in turn, and the gradient after each pooling's backward; the gradient of a layer's input is
/// written over that layer's own activation, dead once its ReLU mask has been applied. block1_conv1's
/// output is not kept (the backward pass recomputes it) unless it is the only layer.
public struct VGG19MemoryPlan: Hashable, Sendable {
    /// One convolution of the cut network.
    public struct Layer: Hashable, Sendable {
        public let layer: VGGLayer
        /// The map the layer reads (after the pooling in front of it, if any).
        public let inputShape: FeatureShape
        public let outputShape: FeatureShape
        /// Whether a 2×2 pooling halves the previous layer's output before this layer.
        public let isPooled: Bool
        /// Whether the layer's output has its own buffer (else it lives in the spare map).
        public let keepsActivation: Bool
    }

    public let imageShape: FeatureShape
    public let deepestLayer: VGGLayer
    public let layers: [Layer]
    /// Floats of the spare map (the largest output).
    public let spareCount: Int
    /// Workers, each with its own convolution scratch of `workerScratchCount` floats.
    public let workerCount: Int
    public let workerScratchCount: Int
    /// Floats of the zero vector the Winograd tiles read past the map's edge.
    public let zerosCount: Int

    public init(height: Int, width: Int, deepestLayer: VGGLayer) {
        imageShape = FeatureShape(height: height, width: width, channels: 3)
        self.deepestLayer = deepestLayer
        var shape = imageShape
        var layers: [Layer] = []
        for layer in VGGLayer.all.prefix(through: deepestLayer.index) {
            let pooled = layer.index > 0 && VGGLayer(index: layer.index - 1).isFollowedByPooling
            let input = pooled ? shape.pooled : shape
            let output = input.withChannels(layer.outputChannels)
            layers.append(Layer(layer: layer, inputShape: input, outputShape: output, isPooled: pooled,
                                keepsActivation: layer.index > 0 || deepestLayer.index == 0))
            shape = output
        }
        self.layers = layers
        spareCount = layers.map(\.outputShape.paddedCount).max() ?? 0
        workerCount = ParallelLoop.coreCount
        workerScratchCount = layers.map {
            Convolution.workerScratchCount(inputShape: $0.inputShape, outputChannels: $0.outputShape.channels,
                                           algorithm: .chosen(for: $0.layer))
        }.max() ?? 0
        zerosCount = layers.map { max($0.inputShape.channels, $0.outputShape.channels) }.max() ?? 1
    }

    /// Floats of the padded image and of its gradient (one each).
    public var imageCount: Int { imageShape.paddedCount }

    /// Bytes of every buffer the network allocates: activations, spare, image and image gradient, scratch.
    public var bytes: Int {
        let activations = layers.filter(\.keepsActivation).reduce(0) { $0 + $1.outputShape.paddedCount }
        let floats = activations + spareCount + 2 * imageCount + workerCount * workerScratchCount + zerosCount
        return floats * MemoryLayout<Float>.stride
    }

    /// Multiply-adds of the convolutions in one forward pass (the backward costs the same).
    public var forwardMultiplyAdds: Int {
        layers.reduce(0) { $0 + Convolution.multiplyAdds(inputShape: $1.inputShape, outputChannels: $1.outputShape.channels) }
    }

    /// The output shape of `layer`, which must be in the plan.
    public func shape(of layer: VGGLayer) -> FeatureShape { layers[layer.index].outputShape }

    /// Bytes of the prepared kernels (Winograd-transformed or im2col) and biases of the planned layers.
    public var preparedWeightBytes: Int {
        layers.reduce(0) { total, planned in
            let cin = planned.inputShape.channels, cout = planned.outputShape.channels
            let kernel: Int
            switch ConvolutionAlgorithm.chosen(for: planned.layer) {
            case .im2col: kernel = 9 * cin * cout
            case .winograd(let tile): kernel = tile.matrixCount * cin * cout
            }
            return total + (kernel + cout) * MemoryLayout<Float>.stride
        }
    }
}
