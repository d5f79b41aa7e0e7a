import Synchronization

/// One layer's weights rearranged for its algorithm: the tap-major im2col matrix for the image layer,
/// the Winograd-transformed kernel for the others. Prepared once per weights and layer, shared by
/// every network built from those weights (targets, objective, any image size).
final class PreparedConvolution: Sendable {
    let algorithm: ConvolutionAlgorithm
    /// [dy][dx][Cin][Cout] (im2col only).
    let kernel: FloatBuffer?
    /// Winograd only.
    let winogradKernel: WinogradKernel?
    let bias: FloatBuffer

    init(_ weights: ConvolutionWeights, algorithm: ConvolutionAlgorithm? = nil) {
        let layer = weights.layer, inputs = layer.inputChannels, outputs = layer.outputChannels
        let algorithm = algorithm ?? .chosen(for: layer)
        self.algorithm = algorithm
        bias = FloatBuffer(weights.bias)
        switch algorithm {
        case .im2col:
            kernel = Self.tapMajorKernel(weights.kernel, inputs: inputs, outputs: outputs)
            winogradKernel = nil
        case .winograd(let tile):
            kernel = nil
            winogradKernel = weights.kernel.withUnsafeBufferPointer { source in
                WinogradKernel(torchKernel: source.baseAddress!, channelsIn: inputs, channelsOut: outputs, tile: tile)
            }
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

/// The prepared layers of one `VGG19Weights`, each made on first use (thread-safe) and then shared by
/// every network of every size: a process prepares each layer at most once. (Each preparation is
/// itself split over the cores.)
final class PreparedConvolutionCache: Sendable {
    private let layers = Mutex([PreparedConvolution?](repeating: nil, count: VGGLayer.all.count))
    private let preparations = Atomic<Int>(0)

    /// How many layers have been prepared so far (each counts once, whatever the number of plans).
    var preparationCount: Int { preparations.load(ordering: .relaxed) }

    /// The layer's prepared weights; the raw weights are read only the first time.
    func prepared(_ layer: VGGLayer, from weights: VGG19Weights) -> PreparedConvolution {
        layers.withLock { layers in
            if let ready = layers[layer.index] { return ready }
            let made = PreparedConvolution(weights[layer])
            layers[layer.index] = made
            preparations.add(1, ordering: .relaxed)
            return made
        }
    }
}
