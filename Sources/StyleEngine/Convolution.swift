/// A 3×3, stride-1, zero-padded convolution followed by ReLU, on padded NHWC maps (see Layout.swift).
///
/// Two fast paths, each checked against the naive twin in the tests:
/// - the 3-channel image (Cin < 16): im2col into an (H·P × 27) matrix and one GEMM, rows split over
///   the cores; the image gradient is the transposed GEMM followed by a scatter-add;
/// - features (Cin ≥ 16): Winograd F(2×2, 3×3) (WinogradConvolution.swift), forward with bias and
///   ReLU fused into the output transform, backward with the same transformed kernel read flipped
///   and transposed.
/// Only image gradients are computed, never weight gradients.
public final class Convolution: @unchecked Sendable {
    public let layer: VGGLayer
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    let weights: PreparedConvolution
    let forwardPlan: WinogradConvolution?
    let backwardPlan: WinogradConvolution?

    init(layer: VGGLayer, prepared: PreparedConvolution, height: Int, width: Int) {
        self.layer = layer
        weights = prepared
        inputShape = FeatureShape(height: height, width: width, channels: layer.inputChannels)
        outputShape = FeatureShape(height: height, width: width, channels: layer.outputChannels)
        if prepared.winogradKernel != nil {
            forwardPlan = WinogradConvolution(shape: inputShape, outputChannels: layer.outputChannels)
            backwardPlan = WinogradConvolution(shape: outputShape, outputChannels: layer.inputChannels)
        } else {
            forwardPlan = nil
            backwardPlan = nil
        }
    }

    /// A layer with its own prepared weights (tests, one-off use).
    public convenience init(layer: VGGLayer, weights: ConvolutionWeights, height: Int, width: Int) {
        self.init(layer: layer, prepared: PreparedConvolution(weights), height: height, width: width)
    }

    var kernel: FloatBuffer? { weights.kernel }
    var winogradKernel: WinogradKernel? { weights.winogradKernel }
    var bias: FloatBuffer { weights.bias }

    /// Floats of scratch (the im2col matrix) `forward` and `backward` need, 0 when none.
    public var scratchCount: Int {
        kernel == nil ? 0 : inputShape.height * inputShape.paddedWidth * 9 * inputShape.channels
    }

    /// Floats of scratch each worker needs (Winograd tiles).
    var workerScratchCount: Int {
        max(forwardPlan?.scratchCountPerWorker ?? 0, backwardPlan?.scratchCountPerWorker ?? 0)
    }

    /// Multiply-adds of a direct forward pass (the backward costs the same): the yardstick for GFLOP/s.
    public var multiplyAdds: Int { 9 * inputShape.channels * outputShape.channels * outputShape.height * outputShape.width }

    /// output = ReLU(conv(input) + bias); the output's border ends up zero. `scratch` needs
    /// `scratchCount` floats (the network lends a gradient buffer, idle during the forward pass).
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, workspace: ConvolutionWorkspace,
                 scratch: UnsafeMutablePointer<Float>) {
        if let winogradKernel, let forwardPlan {
            forwardPlan.run(input: input, kernel: winogradKernel, bias: bias.pointer, output: output,
                            scratch: workspace.workers, zeros: workspace.zeros.pointer)
            return
        }
        let h = inputShape.height, p = inputShape.paddedWidth
        let cin = inputShape.channels, cout = outputShape.channels
        let rows = h * p, depth = 9 * cin
        ParallelLoop.runRanges(count: rows) { _, range in
            for row in range {
                let destination = scratch + row * depth
                for tap in 0..<9 {
                    let source = input + (row + (tap / 3) * p + tap % 3) * cin
                    for channel in 0..<cin { destination[tap * cin + channel] = source[channel] }
                }
            }
        }
        BLAS.parallelMultiply(rows: rows, columns: cout, depth: depth, scratch, leadingA: depth,
                              kernel!.pointer, leadingB: cout, into: output + (p + 1) * cout, leadingC: cout)
        addBiasAndRectify(output)
    }

    /// Bias and ReLU on the interior; zero on the border pixels the shifted rows wrote garbage to.
    private func addBiasAndRectify(_ output: UnsafeMutablePointer<Float>) {
        let h = outputShape.height, w = outputShape.width, p = outputShape.paddedWidth, c = outputShape.channels
        let bias = self.bias.pointer
        ParallelLoop.run(count: h) { y in
            let row = output + ((y + 1) * p + 1) * c
            for x in 0..<w {
                let pixel = row + x * c
                for channel in 0..<c {
                    let value = pixel[channel] + bias[channel]
                    pixel[channel] = value > 0 ? value : 0
                }
            }
            // Right border of this row and left border of the next: garbage from the shifted rows.
            (row + w * c).update(repeating: 0, count: 2 * c)
        }
    }

    /// inputGradient = convᵀ(outputGradient), for a ReLU mask already applied to outputGradient
    /// (whose border must be zero). Only the interior of inputGradient is meaningful afterwards:
    /// callers ignore or clear its border (the next ReLU mask or pooling backward does).
    func backward(outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
                  workspace: ConvolutionWorkspace, scratch: UnsafeMutablePointer<Float>) {
        if let winogradKernel, let backwardPlan {
            backwardPlan.run(input: outputGradient, kernel: winogradKernel, gradient: true, bias: nil,
                             output: inputGradient, scratch: workspace.workers, zeros: workspace.zeros.pointer)
            return
        }
        let h = inputShape.height, p = inputShape.paddedWidth
        let cin = inputShape.channels, cout = outputShape.channels
        let rows = h * p, depth = 9 * cin
        inputGradient.update(repeating: 0, count: inputShape.paddedCount)
        BLAS.parallelMultiply(rows: rows, columns: depth, depth: cout, outputGradient + (p + 1) * cout, leadingA: cout,
                              kernel!.pointer, leadingB: cout, transposeB: true, into: scratch, leadingC: depth)
        for row in 0..<rows {
            let source = scratch + row * depth
            for tap in 0..<9 {
                let destination = inputGradient + (row + (tap / 3) * p + tap % 3) * cin
                for channel in 0..<cin { destination[channel] += source[tap * cin + channel] }
            }
        }
    }
}

/// Scratch memory shared by the convolutions of one network: one Winograd buffer per worker, and a
/// zero vector for tiles that reach past the padded map.
final class ConvolutionWorkspace: @unchecked Sendable {
    let workers: [FloatBuffer]
    let zeros: FloatBuffer

    init(for convolutions: [Convolution]) {
        let perWorker = convolutions.map(\.workerScratchCount).max() ?? 0
        workers = (0..<ParallelLoop.coreCount).map { _ in FloatBuffer(count: perWorker) }
        zeros = FloatBuffer(count: convolutions.map { max($0.inputShape.channels, $0.outputShape.channels) }.max() ?? 1)
    }

    var bytes: Int { workers.reduce(0) { $0 + $1.bytes } + zeros.bytes }
}
