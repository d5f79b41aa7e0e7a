/// VGG19's convolutional part, cut after the deepest layer in use, planned for one image size:
/// every activation, mask, gradient and scratch buffer is allocated here, once, and reused every evaluation.
///
/// The buffers are those of `VGG19MemoryPlan`, which explains the plan: two working maps that the layers'
/// outputs and the pooled maps alternate between, the loss layers' outputs kept for the backward pass, and
/// one bit per float of every other layer's output for its ReLU (and max pooling) mask.
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
    /// The two working maps.
    let workingMaps: [FloatBuffer]
    /// Post-ReLU output of each layer whose activation the plan keeps, nil for the others.
    let keptActivations: [FloatBuffer?]
    /// The mask of each layer the plan keeps bits for, nil for the others.
    let masks: [ActivationMask?]
    /// Whether layer l's mask also holds the winners of the max pooling after it (recorded by that pooling's
    /// forward, applied by its backward, which is then this layer's ReLU backward as well).
    let masksPoolingWinners: [Bool]
    let imageGradient: FloatBuffer?
    /// The workers' own scratch (the layers whose scratch does not fit in the working maps use it).
    let workspace: ConvolutionWorkspace
    /// Each layer's scratch for its forward and its backward convolution, as the plan places it.
    let forwardWorkspaces: [ConvolutionWorkspace]
    let backwardWorkspaces: [ConvolutionWorkspace]
    /// Where each layer's output is now (set by the forward pass; block1_conv1's by the backward pass's
    /// recomputation).
    private var outputs: [UnsafeMutablePointer<Float>]

    /// Smallest image side the five blocks can take (four poolings down to at least 1 pixel).
    public static let minimumSide = 16

    /// `use`: forward passes only, or also backward passes for a loss on the given layers (only those layers'
    /// activations can be read in `backward`).
    public init(weights: VGG19Weights, height: Int, width: Int, deepestLayer: VGGLayer, pooling: Pooling,
                use: NetworkUse = .forwardOnly) {
        precondition(height >= Self.minimumSide && width >= Self.minimumSide, "image too small for VGG19")
        BLAS.useCallerThreadsOnly
        let plan = VGG19MemoryPlan(height: height, width: width, deepestLayer: deepestLayer, use: use)
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
                        height: planned.inputShape.height, width: planned.inputShape.width,
                        scratchBudget: planned.scratchBudget)
        }
        // Not zeroed: every pass writes what it reads of them (a working map holds garbage after any pass anyway).
        let workingMaps = [FloatBuffer(count: plan.workingMapCount, zeroed: false),
                           FloatBuffer(count: plan.workingMapCount, zeroed: false)]
        self.workingMaps = workingMaps
        let ownScratch = ConvolutionWorkspace(plan: plan)
        workspace = ownScratch
        func scratch(_ placement: VGG19MemoryPlan.ScratchPlacement) -> ConvolutionWorkspace {
            guard case .workingMaps(let slices) = placement else { return ownScratch }
            return ConvolutionWorkspace(workers: slices.map { slice in
                FloatBuffer(viewing: workingMaps[slice.map].pointer + slice.offset, count: slice.count, owner: workingMaps[slice.map])
            }, zeros: ownScratch.zeros)
        }
        forwardWorkspaces = plan.layers.map { scratch($0.forwardScratch) }
        backwardWorkspaces = plan.layers.map { scratch($0.backwardScratch) }
        // Not zeroed either: `forward` writes every float of them (the convolution the inside, `clearBorder` the
        // rest); zeroing them here faulted their pages in on one core, before the first pass could on two.
        keptActivations = plan.layers.map {
            $0.keepsActivation ? FloatBuffer(count: $0.outputShape.paddedCount, zeroed: false) : nil
        }
        masks = plan.layers.map { $0.backwardMask == .bits ? ActivationMask(covering: $0.outputShape.paddedCount) : nil }
        masksPoolingWinners = plan.layers.map { planned in
            let next = planned.layer.index + 1
            return planned.backwardMask == .bits && pooling == .max && next < plan.layers.count && plan.layers[next].isPooled
        }
        input = FloatBuffer(count: plan.imageCount)
        imageGradient = use == .forwardOnly ? nil : FloatBuffer(count: plan.imageCount)
        outputs = Array(repeating: workingMaps[0].pointer, count: plan.layers.count)
    }

    /// Bytes held by the planned buffers (not the weights, which networks share).
    public var plannedBytes: Int {
        let buffers = [input] + workingMaps + keptActivations.compactMap { $0 } + (imageGradient.map { [$0] } ?? [])
        return buffers.reduce(0) { $0 + $1.bytes } + masks.reduce(0) { $0 + ($1?.bytes ?? 0) } + workspace.bytes
    }

    /// Bytes of the prepared kernels this network uses (shared with other networks of the same weights).
    public var preparedWeightBytes: Int { convolutions.reduce(0) { $0 + $1.weights.bytes } }

    /// Multiply-adds of the convolutions in one forward pass.
    public var forwardMultiplyAdds: Int { convolutions.reduce(0) { $0 + $1.multiplyAdds } }

    public func shape(of layer: VGGLayer) -> FeatureShape { convolutions[layer.index].outputShape }

    /// Where `layer`'s post-ReLU output lives (padded). Valid inside `forward`'s `visit` for that layer,
    /// and inside `backward`'s `addLossGradient` for a loss layer.
    public func activation(of layer: VGGLayer) -> UnsafeMutablePointer<Float> { outputs[layer.index] }

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
            let planned = memoryPlan.layers[index]
            if let pooling = poolings[index], let pooledMap = planned.pooledMap {
                pooling.forward(input: current, output: workingMaps[pooledMap].pointer,
                                winners: masksPoolingWinners[index - 1] ? masks[index - 1] : nil)
                current = UnsafePointer(workingMaps[pooledMap].pointer)
            }
            let output = planned.outputMap.map { workingMaps[$0].pointer } ?? keptActivations[index]!.pointer
            convolution.forward(input: current, output: output, workspace: forwardWorkspaces[index])
            // A working map may have held a larger map, a gradient or scratch: clear this one's border.
            convolution.outputShape.clearBorder(output)
            if let mask = masks[index], !masksPoolingWinners[index] { mask.record(positiveOf: output) }
            outputs[index] = output
            visit(convolution.layer, output)
            current = UnsafePointer(output)
        }
    }

    /// Back-propagates to the image, after `forward` on the same image; only for a network planned for the
    /// image gradient. `addLossGradient(layer, gradient)` adds d(loss)/d(activation of layer) into the padded
    /// `gradient`, which holds what flows down from the layers above (its border may hold stale values, which
    /// the ReLU mask applied next clears); `activation(of: layer)` is valid during that call for the loss
    /// layers. The result, d(loss)/d(image), is written (not added) to `imageGradientOutput`, unpadded
    /// H × W × 3. The working maps are overwritten: run `forward` again before another `backward`.
    public func backward(addLossGradient: (VGGLayer, UnsafeMutablePointer<Float>) -> Void,
                         into imageGradientOutput: UnsafeMutablePointer<Float>) {
        guard let imageGradient else { preconditionFailure("a network planned for forward passes only has no backward pass") }
        let deepest = deepestLayer.index
        // Both working maps are free after the forward pass; the gradient alternates between them as the plan says.
        var gradient = workingMaps[memoryPlan.layers[deepest].gradientMap].pointer
        gradient.update(repeating: 0, count: convolutions[deepest].outputShape.paddedCount)
        for index in stride(from: deepest, through: 0, by: -1) {
            let convolution = convolutions[index], planned = memoryPlan.layers[index]
            precondition(gradient == workingMaps[planned.gradientMap].pointer)
            let free = workingMaps[1 - planned.gradientMap].pointer
            switch planned.backwardMask {
            case .recomputedActivation:
                convolution.forward(input: input.pointer, output: free, workspace: forwardWorkspaces[index])
                convolution.outputShape.clearBorder(free)
                outputs[index] = free
                addLossGradient(convolution.layer, gradient)
                ReLU.backward(activation: free, gradient: gradient, count: convolution.outputShape.paddedCount)
            case .keptActivation:
                addLossGradient(convolution.layer, gradient)
                ReLU.backward(activation: outputs[index], gradient: gradient, count: convolution.outputShape.paddedCount)
            case .bits:
                addLossGradient(convolution.layer, gradient)
                // With the pooling's winners, the pooling's backward (the step above) applied this mask.
                if !masksPoolingWinners[index] { ReLU.backward(mask: masks[index]!, gradient: gradient) }
            case .none:
                preconditionFailure("no mask planned for \(convolution.layer)")
            }
            if index == 0 {
                convolution.backward(outputGradient: gradient, inputGradient: imageGradient.pointer,
                                     workspace: backwardWorkspaces[index])
                break
            }
            // Only the interior of the input's gradient is written; the stale border is cleared by the mask of
            // the layer below (or never read, by a pooling's backward).
            convolution.backward(outputGradient: gradient, inputGradient: free, workspace: backwardWorkspaces[index])
            gradient = free
            if let pooling = poolings[index] {
                let target = workingMaps[planned.gradientMap].pointer
                if masksPoolingWinners[index - 1] {
                    pooling.backward(winners: masks[index - 1]!, outputGradient: gradient, inputGradient: target)
                } else {
                    // Average pooling reads no input; max pooling reads the kept output below.
                    pooling.backward(input: outputs[index - 1], outputGradient: gradient, inputGradient: target)
                }
                gradient = target
            }
        }
        let shape = imageShape
        for y in 0..<shape.height {
            (imageGradientOutput + y * shape.width * 3).update(from: imageGradient.pointer + shape.index(y: y, x: 0, channel: 0),
                                                              count: shape.width * 3)
        }
    }
}
