/// Every buffer a `VGG19Network` allocates for one image size, computed without allocating: the one home
/// of the network's memory plan. The network allocates exactly these buffers and puts each map where the
/// plan says; the studio's memory check, the command line's `--dry-run` and the final-render dialog read the
/// same numbers.
///
/// The plan (the full-resolution maps dominate): two working maps as large as the largest output, between
/// which every layer's output and every pooled map alternate, forward and backward alike; no other map is
/// needed to run forward. A network that also runs backward (`NetworkUse.imageGradient`) keeps the outputs
/// of its loss layers in their own buffers, which the losses read during the backward pass, and for every
/// other layer only the bits of its ReLU mask (`ActivationMask`, 1/32 of the map; for a layer before a max
/// pooling, the bits of that pooling's winners too): the backward pass of a convolution needs no activation,
/// only the next layer's gradient, so the full maps of the layers in between are never kept. block1_conv1's
/// output is not kept either, even as a loss layer: the backward pass recomputes it (one cheap 3-channel
/// convolution) into the working map that is free when it gets there.
///
/// The convolutions' scratch lives in whatever part of the working maps the convolution does not use (below
/// block 1 the maps are half empty or more); only the layers for which that is too little (block 1's, with
/// a smaller budget: `WinogradConvolution.fullResolutionScratchBudget`) use the workers' own scratch.
/// At 512 × 384 px this took the objective's network from 272 MB to 173 MB.
public struct VGG19MemoryPlan: Hashable, Sendable {
    /// One convolution of the cut network.
    public struct Layer: Hashable, Sendable {
        public let layer: VGGLayer
        /// The map the layer reads (after the pooling in front of it, if any).
        public let inputShape: FeatureShape
        public let outputShape: FeatureShape
        /// Whether a 2×2 pooling halves the previous layer's output before this layer.
        public let isPooled: Bool
        /// What the backward pass reads to mask this layer's gradient.
        public let backwardMask: BackwardMask
        /// The working map the pooling in front of the layer writes (nil without a pooling).
        public let pooledMap: Int?
        /// The working map the forward pass writes the layer's output to (nil when it has its own buffer).
        public let outputMap: Int?
        /// The working map that holds the gradient of the layer's output in the backward pass; the gradient of
        /// its input goes to the other one.
        public let gradientMap: Int
        /// Floats of Winograd scratch one worker may use for this layer.
        public let scratchBudget: Int
        /// Where the workers' scratch is during the layer's forward and backward convolutions.
        public let forwardScratch: ScratchPlacement
        public let backwardScratch: ScratchPlacement

        /// Whether the layer's output has its own buffer, kept from the forward pass to the backward one (else
        /// it lives in a working map).
        public var keepsActivation: Bool { backwardMask == .keptActivation }
    }

    /// How the backward pass knows where a layer's ReLU let the gradient through.
    public enum BackwardMask: Hashable, Sendable {
        /// Nothing (a forward-only network).
        case none
        /// The layer's output, kept in its own buffer (a loss layer, or the only layer).
        case keptActivation
        /// block1_conv1's output, recomputed when the backward pass reaches it.
        case recomputedActivation
        /// An `ActivationMask` recorded in the forward pass.
        case bits
    }

    /// Where a convolution's workers find their scratch.
    public enum ScratchPlacement: Hashable, Sendable {
        /// Their own buffers (`workerScratchCount` floats each).
        case ownBuffers
        /// Free floats of the working maps: worker w's scratch is `slices[w]`.
        case workingMaps([ScratchSlice])
    }

    /// `count` floats from `offset` in working map `map` (the offset a multiple of 16 floats, 64 bytes).
    public struct ScratchSlice: Hashable, Sendable {
        public let map: Int
        public let offset: Int
        public let count: Int
    }

    public let imageShape: FeatureShape
    public let deepestLayer: VGGLayer
    public let layers: [Layer]
    /// What the network computes (forward only, or also the image gradient of a loss on some layers).
    public let use: NetworkUse
    /// Floats of each of the two working maps (the largest output).
    public let workingMapCount: Int
    /// Workers, each with its own convolution scratch of `workerScratchCount` floats.
    public let workerCount: Int
    public let workerScratchCount: Int
    /// Floats of the zero vector the Winograd tiles read past the map's edge.
    public let zerosCount: Int

    public init(height: Int, width: Int, deepestLayer: VGGLayer, use: NetworkUse = .forwardOnly) {
        imageShape = FeatureShape(height: height, width: width, channels: 3)
        self.deepestLayer = deepestLayer
        self.use = use
        let kept: Set<VGGLayer>
        switch use {
        case .forwardOnly: kept = []
        case .imageGradient(let lossLayers): kept = lossLayers.union([deepestLayer])
        }
        let cut = Array(VGGLayer.all.prefix(through: deepestLayer.index))

        // Shapes.
        var shape = imageShape
        var inputShapes: [FeatureShape] = [], outputShapes: [FeatureShape] = [], pooled: [Bool] = []
        for layer in cut {
            let isPooled = layer.index > 0 && VGGLayer(index: layer.index - 1).isFollowedByPooling
            let input = isPooled ? shape.pooled : shape
            shape = input.withChannels(layer.outputChannels)
            inputShapes.append(input)
            outputShapes.append(shape)
            pooled.append(isPooled)
        }
        let mapCount = outputShapes.map(\.paddedCount).max() ?? 0
        workingMapCount = mapCount

        // Masks, and which working map each map goes to: forward, each pooled map and each output not kept goes
        // to the map that does not hold the layer's input; backward, the gradient alternates from map 0.
        let masks: [BackwardMask] = cut.map { layer in
            if use == .forwardOnly { return .none }
            if layer.index == 0 && deepestLayer.index > 0 { return .recomputedActivation }
            return kept.contains(layer) ? .keptActivation : .bits
        }
        var pooledMaps: [Int?] = [], outputMaps: [Int?] = [], inputMaps: [Int?] = []
        var current: Int?
        for layer in cut {
            if pooled[layer.index] {
                current = current == 0 ? 1 : 0
                pooledMaps.append(current)
            } else {
                pooledMaps.append(nil)
            }
            inputMaps.append(current)
            current = masks[layer.index] == .keptActivation ? nil : (current == 0 ? 1 : 0)
            outputMaps.append(current)
        }
        var gradientMaps = Array(repeating: 0, count: cut.count)
        var gradient = 0
        for layer in cut.reversed() {
            gradientMaps[layer.index] = gradient
            gradient = pooled[layer.index] ? gradient : 1 - gradient
        }

        // Scratch: in the working maps where the convolution leaves room, else in the workers' own buffers.
        workerCount = ParallelLoop.coreCount
        var ownScratch = 0
        var placed: [(forward: ScratchPlacement, backward: ScratchPlacement, budget: Int)] = []
        for layer in cut {
            let index = layer.index
            let algorithm = ConvolutionAlgorithm.chosen(for: layer, height: inputShapes[index].height,
                                                        width: inputShapes[index].width)
            let fullResolution = max(inputShapes[index].paddedCount, outputShapes[index].paddedCount) == mapCount
            let budget = fullResolution ? WinogradConvolution.fullResolutionScratchBudget : WinogradConvolution.scratchBudget
            func place(backward: Bool, used: [Int: Int]) -> ScratchPlacement {
                let counts = Convolution.scratchCounts(inputShape: inputShapes[index], outputChannels: layer.outputChannels,
                                                       algorithm: algorithm, backward: backward, scratchBudget: budget)
                if algorithm != .im2col, let slices = Self.slices(counts, mapCount: mapCount, used: used) {
                    return .workingMaps(slices)
                }
                ownScratch = max(ownScratch, counts.max() ?? 0)
                return .ownBuffers
            }
            var forwardUse: [Int: Int] = [:]
            if let input = inputMaps[index] { forwardUse[input] = inputShapes[index].paddedCount }
            if let output = outputMaps[index] { forwardUse[output, default: 0] = max(forwardUse[output] ?? 0, outputShapes[index].paddedCount) }
            let forward = place(backward: false, used: forwardUse)
            var backward = ScratchPlacement.ownBuffers
            if use != .forwardOnly {
                let held = gradientMaps[index]
                backward = place(backward: true, used: [held: outputShapes[index].paddedCount,
                                                        1 - held: index == 0 ? mapCount : inputShapes[index].paddedCount])
            }
            placed.append((forward, backward, budget))
        }
        workerScratchCount = ownScratch
        layers = cut.map { layer in
            let index = layer.index
            return Layer(layer: layer, inputShape: inputShapes[index], outputShape: outputShapes[index], isPooled: pooled[index],
                         backwardMask: masks[index], pooledMap: pooledMaps[index], outputMap: outputMaps[index],
                         gradientMap: gradientMaps[index], scratchBudget: placed[index].budget,
                         forwardScratch: placed[index].forward, backwardScratch: placed[index].backward)
        }
        zerosCount = layers.map { max($0.inputShape.channels, $0.outputShape.channels) }.max() ?? 1
    }

    /// Slices of the two working maps past the floats in `used` (map → floats from its start), one per
    /// entry of `counts`, first fit; nil when they do not all fit.
    private static func slices(_ counts: [Int], mapCount: Int, used: [Int: Int]) -> [ScratchSlice]? {
        var next = (0..<2).map { map in ((used[map] ?? 0) + 15) / 16 * 16 }
        var result: [ScratchSlice] = []
        for count in counts {
            guard let map = (0..<2).first(where: { next[$0] + count <= mapCount }) else { return nil }
            result.append(ScratchSlice(map: map, offset: next[map], count: count))
            next[map] += (count + 15) / 16 * 16
        }
        return result
    }

    /// Floats of the padded image (and of its gradient, when the network has a backward pass).
    public var imageCount: Int { imageShape.paddedCount }

    /// Bytes of every buffer the network allocates: the working maps, the kept activations and the masks, the
    /// image (and its gradient), scratch.
    public var bytes: Int {
        let activations = layers.filter(\.keepsActivation).reduce(0) { $0 + $1.outputShape.paddedCount }
        let masks = layers.filter { $0.backwardMask == .bits }
            .reduce(0) { $0 + ActivationMask.storageFloats(covering: $1.outputShape.paddedCount) }
        let images = use == .forwardOnly ? imageCount : 2 * imageCount
        let floats = 2 * workingMapCount + activations + masks + images + workerCount * workerScratchCount + zerosCount
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
            case .winograd(let tile):
                kernel = WinogradKernel.floatCount(tile: tile, inputs: cin, outputs: cout,
                                                   storage: WinogradKernel.storage(for: planned.layer))
            }
            return total + (kernel + cout) * MemoryLayout<Float>.stride
        }
    }
}

