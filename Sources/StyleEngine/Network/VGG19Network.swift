/// VGG19's convolutional part, cut after the deepest layer in use, planned for one image size:
/// every activation, gradient and scratch buffer is allocated here, once, and reused every evaluation.
///
/// The buffers are those of `VGG19MemoryPlan`, which explains the plan; block1_conv1's output is not
/// kept: the backward pass recomputes it (one cheap 3-channel convolution) when it gets there.
public final class VGG19Network: @unchecked Sendable {
    public let imageShape: FeatureShape
    /// Forward passes made so far (start-up work is counted in tests).
    private(set) var forwardPasses = 0
    public let deepestLayer: VGGLayer
    public let pooling: Pooling
    /// The buffers this network allocated, planned before allocating (see `VGG19MemoryPlan`).
    public let memoryPlan: VGG19MemoryPlan

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
        let plan = VGG19MemoryPlan(height: height, width: width, deepestLayer: deepestLayer)
        memoryPlan = plan
        imageShape = plan.imageShape
        self.deepestLayer = deepestLayer
        self.pooling = pooling
        poolings = plan.layers.map { planned in
            planned.isPooled ? Pooling2x2(kind: pooling, inputShape: plan.layers[planned.layer.index - 1].outputShape) : nil
        }
        weights.preparedConvolutions.prepare(plan.layers.map(\.layer), from: weights)
        convolutions = plan.layers.map { planned in
            Convolution(layer: planned.layer, prepared: weights.preparedConvolutions.prepared(planned.layer, from: weights),
                        height: planned.inputShape.height, width: planned.inputShape.width)
        }
        activations = plan.layers.map { $0.keepsActivation ? FloatBuffer(count: $0.outputShape.paddedCount) : nil }
        spare = FloatBuffer(count: plan.spareCount)
        input = FloatBuffer(count: plan.imageCount)
        imageGradient = FloatBuffer(count: plan.imageCount)
        workspace = ConvolutionWorkspace(plan: plan)
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
        forwardPasses += 1
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
