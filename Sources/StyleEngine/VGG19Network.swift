/// VGG19's convolutional part, cut after the deepest layer in use, planned for one image size:
/// every activation, gradient and scratch buffer is allocated here, once, and reused every evaluation.
public final class VGG19Network: @unchecked Sendable {
    public let imageShape: FeatureShape
    public let deepestLayer: VGGLayer
    public let pooling: Pooling

    let convolutions: [Convolution]
    /// Pooling in front of layer l (the first conv of blocks 2…5), nil elsewhere.
    let poolings: [Pooling2x2?]
    /// The padded BGR image.
    let input: FloatBuffer
    /// Post-ReLU output of each layer.
    let activations: [FloatBuffer]
    /// Pooled input of layer l, for the layers that have a pooling in front.
    let pooledInputs: [FloatBuffer?]
    /// Two gradient buffers, each as large as the largest feature map; the backward pass ping-pongs.
    let gradients: (FloatBuffer, FloatBuffer)
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
        var activations: [FloatBuffer] = [], pooledInputs: [FloatBuffer?] = []
        var shape = imageShape
        var largest = imageShape.paddedCount
        for layer in VGGLayer.all.prefix(through: deepestLayer.index) {
            if layer.index > 0, VGGLayer(index: layer.index - 1).isFollowedByPooling {
                let poolingLayer = Pooling2x2(kind: pooling, inputShape: shape)
                poolings.append(poolingLayer)
                shape = poolingLayer.outputShape
                pooledInputs.append(FloatBuffer(count: shape.paddedCount))
            } else {
                poolings.append(nil)
                pooledInputs.append(nil)
            }
            let convolution = Convolution(layer: layer, prepared: weights.preparedConvolutions.prepared(weights[layer]),
                                          height: shape.height, width: shape.width)
            convolutions.append(convolution)
            shape = convolution.outputShape
            activations.append(FloatBuffer(count: shape.paddedCount))
            largest = max(largest, shape.paddedCount, convolution.scratchCount)
        }
        self.convolutions = convolutions
        self.poolings = poolings
        self.activations = activations
        self.pooledInputs = pooledInputs
        input = FloatBuffer(count: imageShape.paddedCount)
        gradients = (FloatBuffer(count: largest), FloatBuffer(count: largest))
        imageGradient = FloatBuffer(count: imageShape.paddedCount)
        workspace = ConvolutionWorkspace(for: convolutions)
    }

    /// Bytes held by the planned buffers (not the weights, which networks share).
    public var plannedBytes: Int {
        let buffers = [input, gradients.0, gradients.1, imageGradient] + activations + pooledInputs.compactMap { $0 }
        return buffers.reduce(0) { $0 + $1.bytes } + workspace.bytes
    }

    /// Multiply-adds of the convolutions in one forward pass.
    public var forwardMultiplyAdds: Int { convolutions.reduce(0) { $0 + $1.multiplyAdds } }

    /// Bytes of the prepared kernels this network uses (shared with other networks of the same weights).
    public var preparedWeightBytes: Int { convolutions.reduce(0) { $0 + $1.weights.bytes } }

    public func shape(of layer: VGGLayer) -> FeatureShape { convolutions[layer.index].outputShape }

    /// The post-ReLU output of `layer` after `forward`, padded.
    public func activation(of layer: VGGLayer) -> UnsafeMutablePointer<Float> { activations[layer.index].pointer }

    /// Runs the image (unpadded H × W × 3, BGR, mean subtracted) through every planned layer.
    public func forward(image: UnsafePointer<Float>) {
        let shape = imageShape
        for y in 0..<shape.height {
            (input.pointer + shape.index(y: y, x: 0, channel: 0)).update(from: image + y * shape.width * 3, count: shape.width * 3)
        }
        var current = UnsafePointer(input.pointer)
        for (index, convolution) in convolutions.enumerated() {
            if let pooling = poolings[index], let pooled = pooledInputs[index] {
                pooling.forward(input: current, output: pooled.pointer)
                current = UnsafePointer(pooled.pointer)
            }
            convolution.forward(input: current, output: activations[index].pointer, workspace: workspace,
                                scratch: gradients.1.pointer)
            current = UnsafePointer(activations[index].pointer)
        }
    }

    /// Back-propagates to the image. `addLossGradient(layer, gradient)` adds d(loss)/d(activation of layer)
    /// into the padded `gradient`, which holds what flows down from the layers above. The result,
    /// d(loss)/d(image), is written (not added) to `imageGradientOutput`, unpadded H × W × 3.
    public func backward(addLossGradient: (VGGLayer, UnsafeMutablePointer<Float>) -> Void,
                         into imageGradientOutput: UnsafeMutablePointer<Float>) {
        var current = gradients.0, spare = gradients.1
        current.pointer.update(repeating: 0, count: convolutions[deepestLayer.index].outputShape.paddedCount)
        for index in stride(from: deepestLayer.index, through: 0, by: -1) {
            let convolution = convolutions[index]
            addLossGradient(convolution.layer, current.pointer)
            ReLU.backward(activation: activations[index].pointer, gradient: current.pointer,
                          count: convolution.outputShape.paddedCount)
            let destination = index == 0 ? imageGradient : spare
            convolution.backward(outputGradient: current.pointer, inputGradient: destination.pointer, workspace: workspace,
                                 scratch: spare.pointer)
            if index == 0 { break }
            swap(&current, &spare)
            if let pooling = poolings[index] {
                pooling.backward(input: activations[index - 1].pointer, outputGradient: current.pointer,
                                 inputGradient: spare.pointer)
                swap(&current, &spare)
            }
        }
        let shape = imageShape
        for y in 0..<shape.height {
            (imageGradientOutput + y * shape.width * 3).update(from: imageGradient.pointer + shape.index(y: y, x: 0, channel: 0),
                                                              count: shape.width * 3)
        }
    }
}
