/// A 3×3, stride-1, zero-padded convolution followed by ReLU, on padded NHWC maps (see Layout.swift).
///
/// Two fast paths, each checked against the naive twin in the tests:
/// - the 3-channel image (Cin < 16): im2col into an (H·P × 27) matrix and one GEMM, rows split over
///   the cores; the image gradient is the transposed GEMM followed by a scatter-add;
/// - features (Cin ≥ 16): Winograd F(4×4, 3×3) or F(2×2, 3×3) (WinogradConvolution.swift; which one
///   per layer: ConvolutionAlgorithm.swift), forward with bias and ReLU fused into the output
///   transform, backward with the same transformed kernel read flipped and transposed.
/// Only image gradients are computed, never weight gradients.
public final class Convolution: @unchecked Sendable {
    public let layer: VGGLayer
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    let weights: PreparedConvolution
    let forwardPlan: WinogradConvolution?
    let backwardPlan: WinogradConvolution?
    let scratchBudget: Int

    /// `scratchBudget`: floats of Winograd scratch one worker may use (`WinogradConvolution.scratchBudget`). `tile`:
    /// the Winograd tile of a tap-major kernel (default: `ConvolutionAlgorithm.chosen(for:height:width:)`); a
    /// transformed kernel has its own.
    init(layer: VGGLayer, prepared: PreparedConvolution, height: Int, width: Int,
         scratchBudget: Int = WinogradConvolution.scratchBudget, tile: WinogradTile? = nil) {
        self.layer = layer
        self.scratchBudget = scratchBudget
        weights = prepared
        inputShape = FeatureShape(height: height, width: width, channels: layer.inputChannels)
        outputShape = FeatureShape(height: height, width: width, channels: layer.outputChannels)
        if let kernel = prepared.winogradKernel {
            let tile = kernel.storage == .transformed ? kernel.tile
                : tile ?? ConvolutionAlgorithm.chosen(for: layer, height: height, width: width).tile ?? kernel.tile
            forwardPlan = WinogradConvolution(shape: inputShape, outputChannels: layer.outputChannels, tile: tile,
                                              scratchBudget: scratchBudget)
            backwardPlan = WinogradConvolution(shape: outputShape, outputChannels: layer.inputChannels, tile: tile,
                                               scratchBudget: scratchBudget)
        } else {
            forwardPlan = nil
            backwardPlan = nil
        }
    }

    /// A layer with its own prepared weights (tests, one-off use).
    public convenience init(layer: VGGLayer, weights: ConvolutionWeights, height: Int, width: Int) {
        self.init(layer: layer, prepared: PreparedConvolution(weights), height: height, width: width)
    }

    /// A layer computed by a given algorithm, its kernel kept in a given storage (tests compare every algorithm
    /// and storage with the naive twin).
    convenience init(layer: VGGLayer, weights: ConvolutionWeights, height: Int, width: Int,
                     algorithm: ConvolutionAlgorithm, storage: WinogradKernel.Storage? = nil) {
        self.init(layer: layer, prepared: PreparedConvolution(weights, algorithm: algorithm, storage: storage),
                  height: height, width: width, tile: algorithm.tile)
    }

    var algorithm: ConvolutionAlgorithm { forwardPlan.map { .winograd($0.tile) } ?? .im2col }

    var kernel: FloatBuffer? { weights.kernel }
    var winogradKernel: WinogradKernel? { weights.winogradKernel }
    var bias: FloatBuffer { weights.bias }

    /// Floats of scratch each worker needs for a chunk, forward and backward (Winograd tiles, or a chunk of the
    /// im2col matrix); a map small enough to be done whole needs more for worker 0 (`scratchCounts`).
    var workerScratchCount: Int {
        guard let forwardPlan, let backwardPlan else {
            return Im2colConvolution(shape: inputShape, outputChannels: outputShape.channels).scratchCountPerWorker
        }
        return max(forwardPlan.scratchCountPerWorker, backwardPlan.scratchCountPerWorker)
    }

    /// Floats of scratch each worker needs for the forward or the backward pass of a layer of this shape, worker 0
    /// first (read by `VGG19MemoryPlan`).
    static func scratchCounts(inputShape: FeatureShape, outputChannels: Int, algorithm: ConvolutionAlgorithm,
                              backward: Bool, scratchBudget: Int = WinogradConvolution.scratchBudget) -> [Int] {
        switch algorithm {
        case .winograd(let tile):
            let plan = backward
                ? WinogradConvolution(shape: inputShape.withChannels(outputChannels), outputChannels: inputShape.channels,
                                      tile: tile, scratchBudget: scratchBudget)
                : WinogradConvolution(shape: inputShape, outputChannels: outputChannels, tile: tile, scratchBudget: scratchBudget)
            return plan.scratchCounts
        case .im2col:
            let count = Im2colConvolution(shape: inputShape, outputChannels: outputChannels).scratchCountPerWorker
            return Array(repeating: count, count: ParallelLoop.coreCount)
        }
    }

    /// Multiply-adds of a direct forward pass (the backward costs the same): the yardstick for GFLOP/s.
    public var multiplyAdds: Int { Self.multiplyAdds(inputShape: inputShape, outputChannels: outputShape.channels) }

    static func multiplyAdds(inputShape: FeatureShape, outputChannels: Int) -> Int {
        9 * inputShape.channels * outputChannels * inputShape.height * inputShape.width
    }

    /// output = ReLU(conv(input) + bias); the output's border ends up zero.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, workspace: ConvolutionWorkspace) {
        if let winogradKernel, let forwardPlan {
            forwardPlan.run(input: input, kernel: winogradKernel, bias: bias.pointer, output: output,
                            scratch: workspace.workers, zeros: workspace.zeros.pointer)
        } else {
            Im2colConvolution(shape: inputShape, outputChannels: outputShape.channels)
                .forward(input: input, kernel: kernel!.pointer, bias: bias.pointer, output: output, scratch: workspace.workers)
        }
    }

    /// inputGradient = convᵀ(outputGradient), for a ReLU mask already applied to outputGradient
    /// (whose border must be zero). Only the interior of inputGradient is written (Winograd) or
    /// meaningful (im2col): callers ignore its border (the next ReLU mask or pooling backward does).
    func backward(outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
                  workspace: ConvolutionWorkspace) {
        if let winogradKernel, let backwardPlan {
            backwardPlan.run(input: outputGradient, kernel: winogradKernel, gradient: true, bias: nil,
                             output: inputGradient, scratch: workspace.workers, zeros: workspace.zeros.pointer)
        } else {
            Im2colConvolution(shape: inputShape, outputChannels: outputShape.channels)
                .backward(outputGradient: outputGradient, kernel: kernel!.pointer, inputGradient: inputGradient,
                          scratch: workspace.workers)
        }
    }
}

/// Scratch memory shared by the convolutions of one network: one Winograd buffer per worker, and a
/// zero vector for tiles that reach past the padded map.
final class ConvolutionWorkspace: @unchecked Sendable {
    let workers: [FloatBuffer]
    let zeros: FloatBuffer

    init(plan: VGG19MemoryPlan) {
        workers = (0..<plan.workerCount).map { _ in FloatBuffer(count: plan.workerScratchCount, zeroed: false) }
        zeros = FloatBuffer(count: plan.zerosCount)
    }

    /// Scratch that lives in other buffers (views), with another workspace's zeros.
    init(workers: [FloatBuffer], zeros: FloatBuffer) {
        self.workers = workers
        self.zeros = zeros
    }

    /// For convolutions used on their own (tests): the same sizes as a network's plan would give, or
    /// `scratchFactor` times more (in a network the largest layer sizes the scratch, so the smaller maps of the
    /// deeper layers fit whole: `WinogradConvolution.wholeMapFits`).
    init(for convolutions: [Convolution], scratchFactor: Int = 1) {
        let perWorker = (convolutions.map(\.workerScratchCount).max() ?? 0) * scratchFactor
        workers = (0..<ParallelLoop.coreCount).map { _ in FloatBuffer(count: perWorker) }
        zeros = FloatBuffer(count: convolutions.map { max($0.inputShape.channels, $0.outputShape.channels) }.max() ?? 1)
    }

    var bytes: Int { workers.reduce(0) { $0 + $1.bytes } + zeros.bytes }
}
