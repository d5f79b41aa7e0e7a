import Synchronization
import Foundation

/// One layer's weights rearranged for the fast paths: the tap-major im2col matrix for the image layer,
/// the Winograd-transformed kernel for the others. Prepared once per weights and layer, shared by
/// every network built from those weights (targets, objective, any image size).
final class PreparedConvolution: Sendable {
    /// [dy][dx][Cin][Cout] (im2col path only).
    let kernel: FloatBuffer?
    /// Winograd path only.
    let winogradKernel: WinogradKernel?
    let bias: FloatBuffer

    /// Below this many input channels, im2col + one GEMM is used instead of Winograd.
    static let im2colChannelLimit = 16

    init(_ weights: ConvolutionWeights) {
        let layer = weights.layer, inputs = layer.inputChannels, outputs = layer.outputChannels
        bias = FloatBuffer(weights.bias)
        let tapMajor = Self.tapMajorKernel(weights.kernel, inputs: inputs, outputs: outputs)
        if inputs < Self.im2colChannelLimit {
            kernel = tapMajor
            winogradKernel = nil
        } else {
            kernel = nil
            winogradKernel = WinogradKernel(tapMajor: tapMajor.pointer, channelsIn: inputs, channelsOut: outputs)
        }
    }

    /// PyTorch's [out][in][3][3] to [dy][dx][in][out].
    static func tapMajorKernel(_ torchKernel: [Float], inputs: Int, outputs: Int) -> FloatBuffer {
        let buffer = FloatBuffer(count: torchKernel.count)
        torchKernel.withUnsafeBufferPointer { source in
            for out in 0..<outputs {
                for input in 0..<inputs {
                    for tap in 0..<9 {
                        buffer[(tap * inputs + input) * outputs + out] = source[(out * inputs + input) * 9 + tap]
                    }
                }
            }
        }
        return buffer
    }

    var bytes: Int { (kernel?.bytes ?? 0) + (winogradKernel?.matrices.bytes ?? 0) + bias.bytes }
}

/// The prepared layers of one `VGG19Weights`, made on first use (thread-safe).
final class PreparedConvolutionCache: Sendable {
    private let layers = Mutex([PreparedConvolution?](repeating: nil, count: VGGLayer.all.count))

    func prepared(_ weights: ConvolutionWeights) -> PreparedConvolution {
        layers.withLock { layers in
            if let layer = layers[weights.layer.index] { return layer }
            let layer = PreparedConvolution(weights)
            layers[weights.layer.index] = layer
            return layer
        }
    }
}
