/// VGG19's convolutional part, cut after the deepest layer in use, planned for one image size:
/// every activation, gradient and scratch buffer is allocated here, once, and reused every evaluation.
///
/// Memory plan (the full-resolution maps dominate): one padded map per layer from block1_conv2 on;
/// one spare map as large as the largest, which holds block1_conv1's output during the forward pass,
/// each pooled input in turn, and the gradient after each pooling's backward; and the gradient of a
/// layer's input is written over that layer's own activation, which is dead once its ReLU mask has
/// been applied. block1_conv1's output is not kept: the backward pass recomputes it (one cheap
/// 3-channel convolution) when it gets there.
public final class VGG19Network: @unchecked Sendable {
    public let imageShape: FeatureShape
    public let deepestLayer: VGGLayer
    public let pooling: Pooling

    let convolutions: [Convolution]
    /// Pooling in front of layer l (the first conv of blocks 2…5), nil elsewhere.
    let poolings: [Pooling2x2?]
    /// The padded BGR image.
    let input: FloatBuffer
    /// Post-ReLU output of each layer, except layer 0's when deeper layers exist (it lives in `spare`).
    let activations: [FloatBuffer?]
    let spare: FloatBuffer
    let imageGradient: FloatBuffer
    let workspace: ConvolutionWorkspace

    /// Smallest image side the five blocks can take (four poolings down to at least 1 pixel).
    public static let minimumSide = 16

    public init(weights: VGG19Weights, height: Int, width: Int, deepestLayer: VGGLayer, pooling: Pooling) {
        precondition(height >= Self.minimumSide && width >= Self.minimumSide, "image too small for VGG19")
        BLAS.useCallerThreadsOnly
        imageShape = FeatureShape(height: height, width: width, channels: 3)
        self.deepestLayer = deepestLayer
        self.pooling = pooling
        var convolutions: [Convolution] = [], poolings: [Pooling2x2?] = []
        for (layer, input, pooled) in Self.layerShapes(height: height, width: width, deepestLayer: deepestLayer) {
            poolings.append(pooled ? Pooling2x2(kind: pooling, inputShape: input) : nil)
            let shape = pooled ? input.pooled : input
            convolutions.append(Convolution(layer: layer, prepared: weights.preparedConvolutions.prepared(layer, from: weights),
                                            height: shape.height, width: shape.width))
        }
        let largest = convolutions.map(\.outputShape.paddedCount).max() ?? 0
        self.convolutions = convolutions
        self.poolings = poolings
        activations = convolutions.map { convolution in
            convolution.layer.index == 0 && deepestLayer.index > 0 ? nil : FloatBuffer(count: convolution.outputShape.paddedCount)
        }
        spare = FloatBuffer(count: largest)
        input = FloatBuffer(count: imageShape.paddedCount)
        imageGradient = FloatBuffer(count: imageShape.paddedCount)
        workspace = ConvolutionWorkspace(for: convolutions)
    }

    /// For each layer up to `deepestLayer`: the map that feeds it and whether a pooling halves that map first.
    static func layerShapes(height: Int, width: Int, deepestLayer: VGGLayer) -> [(VGGLayer, FeatureShape, Bool)] {
        var shape = FeatureShape(height: height, width: width, channels: 3)
        var result: [(VGGLayer, FeatureShape, Bool)] = []
        for layer in VGGLayer.all.prefix(through: deepestLayer.index) {
            let pooled = layer.index > 0 && VGGLayer(index: layer.index - 1).isFollowedByPooling
            result.append((layer, shape, pooled))
            shape = (pooled ? shape.pooled : shape).withChannels(layer.outputChannels)
        }
        return result
    }

    /// Bytes a network for this size would plan, computed without allocating (the Winograd scratch aside,
    /// which is a few tens of megabytes): the activations, the spare map and the image buffers.
    public static func estimatedBytes(height: Int, width: Int, deepestLayer: VGGLayer) -> Int {
        let outputs = layerShapes(height: height, width: width, deepestLayer: deepestLayer).map { layer, input, pooled in
            (pooled ? input.pooled : input).withChannels(layer.outputChannels).paddedCount
        }
        let image = FeatureShape(height: height, width: width, channels: 3).paddedCount
        let kept = outputs.enumerated().filter { $0.offset > 0 || outputs.count == 1 }.map(\.element).reduce(0, +)
        return (kept + (outputs.max() ?? 0) + 2 * image) * MemoryLayout<Float>.stride
    }

    /// Bytes held by the planned buffers (not the weights, which networks share).
    public var plannedBytes: Int {
        let buffers = [input, spare, imageGradient] + activations.compactMap { $0 }
        return buffers.reduce(0) { $0 + $1.bytes } + workspace.bytes
    }

    /// Bytes of the prepared kernels this network uses (shared with other networks of the same weights).
    public var preparedWeightBytes: Int { convolutions.reduce(0) { $0 + $1.weights.bytes } }

    /// Multiply-adds of the convolutions in one forward pass.
    public var forwardMultiplyAdds: Int { convolutions.reduce(0) { $0 + $1.multiplyAdds } }

    public func shape(of layer: VGGLayer) -> FeatureShape { convolutions[layer.index].outputShape }

    /// Where `layer`'s post-ReLU output lives (padded). Valid inside `forward`'s `visit` for that layer,
    /// and inside `backward`'s `addLossGradient` for that layer.
    public func activation(of layer: VGGLayer) -> UnsafeMutablePointer<Float> {
        (activations[layer.index] ?? spare).pointer
    }

    /// Runs the image (unpadded H × W × 3, BGR, mean subtracted) through every planned layer, calling
    /// `visit(layer, activation)` right after each layer (the place to read an activation: later
    /// layers may reuse its memory).
    public func forward(image: UnsafePointer<Float>, visit: (VGGLayer, UnsafePointer<Float>) -> Void = { _, _ in }) {
        let shape = imageShape
        for y in 0..<shape.height {
            (input.pointer + shape.index(y: y, x: 0, channel: 0)).update(from: image + y * shape.width * 3, count: shape.width * 3)
        }
        var current = UnsafePointer(input.pointer)
        for (index, convolution) in convolutions.enumerated() {
            if let pooling = poolings[index] {
                // The spare is free here: it held block1_conv1's output or the previous pooled input,
                // both consumed by the convolution that followed.
                pooling.forward(input: current, output: spare.pointer)
                current = UnsafePointer(spare.pointer)
            }
            let output = activation(of: convolution.layer)
            convolution.forward(input: current, output: output, workspace: workspace)
            // The buffer may have held a gradient (backward reuses activations): clear its border.
            convolution.outputShape.clearBorder(output)
            visit(convolution.layer, output)
            current = UnsafePointer(output)
        }
    }

    /// Back-propagates to the image, after `forward` on the same image. `addLossGradient(layer, gradient)`
    /// adds d(loss)/d(activation of layer) into the padded `gradient`, which holds what flows down
    /// from the layers above; `activation(of: layer)` is valid during that call. The result,
    /// d(loss)/d(image), is written (not added) to `imageGradientOutput`, unpadded H × W × 3.
    /// Activations are overwritten: run `forward` again before another `backward`.
    public func backward(addLossGradient: (VGGLayer, UnsafeMutablePointer<Float>) -> Void,
                         into imageGradientOutput: UnsafeMutablePointer<Float>) {
        let deepest = deepestLayer.index
        // Where the gradient with respect to the current layer's output lives; the spare is free after
        // the forward pass.
        var gradient = spare.pointer
        gradient.update(repeating: 0, count: convolutions[deepest].outputShape.paddedCount)
        for index in stride(from: deepest, through: 0, by: -1) {
            let convolution = convolutions[index]
            if index == 0, activations[0] == nil {
                // block1_conv1's output was not kept; recompute it into the spare, free again here
                // (the gradient now lives in block1_conv2's activation).
                convolution.forward(input: input.pointer, output: spare.pointer, workspace: workspace)
                convolution.outputShape.clearBorder(spare.pointer)
            }
            addLossGradient(convolution.layer, gradient)
            let activation = self.activation(of: convolution.layer)
            ReLU.backward(activation: activation, gradient: gradient, count: convolution.outputShape.paddedCount)
            if index == 0 {
                convolution.backward(outputGradient: gradient, inputGradient: imageGradient.pointer, workspace: workspace)
                break
            }
            // This layer's activation is dead now: the gradient of its input goes there. After a pooling
            // the input has fewer channels than the buffer was laid out for, so that gradient's border
            // holds stale values; only the pooling backward reads it, and it reads the interior alone.
            convolution.backward(outputGradient: gradient, inputGradient: activation, workspace: workspace)
            gradient = activation
            if let pooling = poolings[index] {
                pooling.backward(input: self.activation(of: convolutions[index - 1].layer), outputGradient: gradient,
                                 inputGradient: spare.pointer)
                gradient = spare.pointer
            }
        }
        let shape = imageShape
        for y in 0..<shape.height {
            (imageGradientOutput + y * shape.width * 3).update(from: imageGradient.pointer + shape.index(y: y, x: 0, channel: 0),
                                                              count: shape.width * 3)
        }
    }
}
