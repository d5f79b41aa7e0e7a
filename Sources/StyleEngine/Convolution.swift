/// A 3×3, stride-1, zero-padded convolution followed by ReLU, on padded NHWC maps (see Layout.swift).
///
/// Forward: nine GEMMs over shifted views of the same padded input (no im2col copy), each
/// (H·P × Cin)·(Cin × Cout), accumulated into the output; then bias, ReLU and border clearing in one pass.
/// For the 3-channel image (Cin = 3) a small im2col matrix (H·P × 27) makes it one GEMM instead.
/// Backward (image gradients only): the same nine shifted GEMMs with the kernel read transposed.
public final class Convolution: @unchecked Sendable {
    public let layer: VGGLayer
    public let inputShape: FeatureShape
    public let outputShape: FeatureShape
    /// [dy][dx][Cin][Cout], i.e. the (9·Cin) × Cout matrix.
    let kernel: FloatBuffer
    let bias: FloatBuffer

    /// Below this many input channels, im2col + one GEMM beats nine thin GEMMs.
    static let im2colChannelLimit = 16

    public init(layer: VGGLayer, weights: ConvolutionWeights, height: Int, width: Int) {
        let inputs = layer.inputChannels, outputs = layer.outputChannels
        precondition(weights.kernel.count == outputs * inputs * 9 && weights.bias.count == outputs)
        self.layer = layer
        inputShape = FeatureShape(height: height, width: width, channels: inputs)
        outputShape = FeatureShape(height: height, width: width, channels: outputs)
        kernel = Convolution.tapMajorKernel(weights.kernel, inputs: inputs, outputs: outputs)
        bias = FloatBuffer(weights.bias)
    }

    /// PyTorch's [out][in][3][3] to [dy][dx][in][out].
    static func tapMajorKernel(_ torchKernel: [Float], inputs: Int, outputs: Int) -> FloatBuffer {
        let buffer = FloatBuffer(count: torchKernel.count)
        for out in 0..<outputs {
            for input in 0..<inputs {
                for tap in 0..<9 {
                    buffer[(tap * inputs + input) * outputs + out] = torchKernel[(out * inputs + input) * 9 + tap]
                }
            }
        }
        return buffer
    }

    var usesIm2col: Bool { inputShape.channels < Self.im2colChannelLimit }

    /// Floats of scratch space `forward` and `backward` need (the im2col matrix), 0 when none.
    public var scratchCount: Int { usesIm2col ? inputShape.height * inputShape.paddedWidth * 9 * inputShape.channels : 0 }

    /// Multiply-adds of one forward pass (the backward costs the same).
    public var multiplyAdds: Int { 9 * inputShape.channels * outputShape.channels * outputShape.height * outputShape.width }

    /// output = ReLU(conv(input) + bias). `scratch` needs `scratchCount` floats.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>?) {
        let h = inputShape.height, p = inputShape.paddedWidth
        let cin = inputShape.channels, cout = outputShape.channels
        let rows = h * p
        let outputOrigin = output + (p + 1) * cout
        if usesIm2col, let scratch {
            let depth = 9 * cin
            for row in 0..<rows {
                let destination = scratch + row * depth
                for tap in 0..<9 {
                    let source = input + (row + (tap / 3) * p + tap % 3) * cin
                    for channel in 0..<cin { destination[tap * cin + channel] = source[channel] }
                }
            }
            BLAS.multiply(rows: rows, columns: cout, depth: depth, scratch, leadingA: depth,
                          kernel.pointer, leadingB: cout, into: outputOrigin, leadingC: cout)
        } else {
            for tap in 0..<9 {
                BLAS.multiply(rows: rows, columns: cout, depth: cin,
                              input + ((tap / 3) * p + tap % 3) * cin, leadingA: cin,
                              kernel.pointer + tap * cin * cout, leadingB: cout,
                              into: outputOrigin, leadingC: cout, beta: tap == 0 ? 0 : 1)
            }
        }
        addBiasAndRectify(output)
    }

    /// Bias and ReLU on the interior; zero on the border pixels the shifted GEMMs wrote garbage to.
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
            // Right border of this row and left border of the next: garbage from the shifted views.
            (row + w * c).update(repeating: 0, count: 2 * c)
        }
    }

    /// inputGradient = convᵀ(outputGradient), for a ReLU mask already applied to outputGradient.
    /// outputGradient must have a zero border. inputGradient's border receives garbage: callers must
    /// ignore it or clear it (the next ReLU mask or pooling backward does).
    public func backward(outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>?) {
        let h = inputShape.height, p = inputShape.paddedWidth
        let cin = inputShape.channels, cout = outputShape.channels
        let rows = h * p
        let gradientOrigin = outputGradient + (p + 1) * cout
        inputGradient.update(repeating: 0, count: inputShape.paddedCount)
        if usesIm2col, let scratch {
            let depth = 9 * cin
            BLAS.multiply(rows: rows, columns: depth, depth: cout, gradientOrigin, leadingA: cout,
                          kernel.pointer, leadingB: cout, transposeB: true, into: scratch, leadingC: depth)
            for row in 0..<rows {
                let source = scratch + row * depth
                for tap in 0..<9 {
                    let destination = inputGradient + (row + (tap / 3) * p + tap % 3) * cin
                    for channel in 0..<cin { destination[channel] += source[tap * cin + channel] }
                }
            }
        } else {
            for tap in 0..<9 {
                BLAS.multiply(rows: rows, columns: cin, depth: cout, gradientOrigin, leadingA: cout,
                              kernel.pointer + tap * cin * cout, leadingB: cout, transposeB: true,
                              into: inputGradient + ((tap / 3) * p + tap % 3) * cin, leadingC: cin, beta: 1)
            }
        }
    }
}
