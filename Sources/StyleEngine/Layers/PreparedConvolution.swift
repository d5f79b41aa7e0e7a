import Foundation
import Synchronization

/// One layer's weights rearranged for its algorithm: the tap-major im2col matrix for the image layer,
/// the Winograd-transformed kernel for the others. Prepared once per weights and layer, shared by
/// every network built from those weights (targets, objective, any image size).
final class PreparedConvolution: Sendable {
    /// [dy][dx][Cin][Cout] (im2col only).
    let kernel: FloatBuffer?
    /// Winograd only.
    let winogradKernel: WinogradKernel?
    let bias: FloatBuffer

    convenience init(_ weights: ConvolutionWeights, algorithm: ConvolutionAlgorithm? = nil,
                     storage: WinogradKernel.Storage? = nil) {
        self.init(layer: weights.layer, kernel: weights.kernel, bias: weights.bias, algorithm: algorithm, storage: storage)
    }

    /// `kernel`: PyTorch's [out][in][3][3]. `scratch`, when given, holds the Winograd preparation's transposed
    /// copy (`WinogradKernel.scratchCount` floats), so that layers prepared together share one. `storage`: how a
    /// Winograd kernel is kept (default: `WinogradKernel.storage(for:)`).
    init(layer: VGGLayer, kernel torchKernel: UnsafePointer<Float>, bias: [Float], algorithm: ConvolutionAlgorithm? = nil,
         storage: WinogradKernel.Storage? = nil, scratch: UnsafeMutablePointer<Float>? = nil) {
        let inputs = layer.inputChannels, outputs = layer.outputChannels
        self.bias = FloatBuffer(bias)
        switch algorithm ?? .chosen(for: layer) {
        case .im2col:
            kernel = Self.tapMajorKernel(torchKernel, inputs: inputs, outputs: outputs)
            winogradKernel = nil
        case .winograd(let tile):
            kernel = nil
            winogradKernel = WinogradKernel(torchKernel: torchKernel, channelsIn: inputs, channelsOut: outputs, tile: tile,
                                            storage: storage ?? WinogradKernel.storage(for: layer), scratch: scratch)
        }
    }

    /// A Winograd layer whose kernel was prepared before (`PreparedKernelFile`).
    init(bias: [Float], winogradKernel: WinogradKernel) {
        self.bias = FloatBuffer(bias)
        kernel = nil
        self.winogradKernel = winogradKernel
    }

    /// PyTorch's [out][in][3][3] to [dy][dx][in][out].
    static func tapMajorKernel(_ source: UnsafePointer<Float>, inputs: Int, outputs: Int) -> FloatBuffer {
        let buffer = FloatBuffer(count: 9 * inputs * outputs)
        for out in 0..<outputs {
            for input in 0..<inputs {
                for tap in 0..<9 {
                    buffer[(tap * inputs + input) * outputs + out] = source[(out * inputs + input) * 9 + tap]
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

    private let loads = Atomic<Int>(0)

    /// How many layers have been prepared so far (each counts once, whatever the number of plans).
    var preparationCount: Int { preparations.load(ordering: .relaxed) }
    /// How many of them came from the prepared-kernel file.
    var loadedFromFileCount: Int { loads.load(ordering: .relaxed) }

    /// The layer's prepared weights; the raw weights are read only the first time.
    func prepared(_ layer: VGGLayer, from weights: VGG19Weights) -> PreparedConvolution {
        prepare([layer], from: weights)
        return layers.withLock { $0[layer.index]! }
    }

    /// Prepares those of `wanted` not prepared yet. Weights read from a file first take the layers that the
    /// prepared-kernel file beside them holds, when it matches (`PreparedKernelFile`); when it does not, or holds
    /// fewer layers than this first network of the process needs, the network's layers (from the first) are
    /// written to it for the next process. Kernels are
    /// prepared straight from the weights file, with one transposition scratch for all layers: at start-up every
    /// page of a fresh buffer costs a page fault (3–8 µs on the machines measured), and a scratch per layer, or a
    /// copy of each raw kernel, doubled their number.
    func prepare(_ wanted: [VGGLayer], from weights: VGG19Weights) {
        layers.withLock { layers in
            guard wanted.contains(where: { layers[$0.index] == nil }) else { return }
            let source = weights.preparedKernelSource
            let firstInProcess = layers.allSatisfy { $0 == nil }
            var layersInFile = 0
            if let source, firstInProcess, let file = Self.load(source, weights: weights) {
                for (layer, prepared) in file {
                    layers[layer.index] = prepared
                    preparations.add(1, ordering: .relaxed)
                    loads.add(1, ordering: .relaxed)
                }
                layersInFile = file.count
            }
            let missing = wanted.filter { layers[$0.index] == nil }
            guard !missing.isEmpty else { return }
            let scratch = FloatBuffer(count: missing.map(WinogradKernel.scratchCount).max() ?? 0)
            for layer in missing {
                layers[layer.index] = weights.withKernel(of: layer) { kernel, bias in
                    PreparedConvolution(layer: layer, kernel: kernel, bias: bias, scratch: scratch.pointer)
                }
                preparations.add(1, ordering: .relaxed)
            }
            // A network's layers are the first ones, down to its deepest.
            if let source, firstInProcess, let deepest = wanted.max(), deepest.index + 1 > layersInFile,
               VGGLayer.all.prefix(through: deepest.index).allSatisfy({ layers[$0.index] != nil }) {
                let kernels = Dictionary(uniqueKeysWithValues: VGGLayer.all.prefix(through: deepest.index).compactMap { layer in
                    layers[layer.index]?.winogradKernel.map { (layer, $0) }
                })
                PreparedKernelFile.write(kernels, layerCount: deepest.index + 1, identity: source.identity, to: source.url)
            }
        }
    }

    /// The layers the prepared-kernel file holds (its Winograd layers, and the im2col layer in front of them
    /// prepared now), when it is this weights file's and its first Winograd layer is bit for bit what preparing
    /// it now gives (a changed transform, or a damaged file, is not used).
    private static func load(_ source: (url: URL, identity: [UInt64]), weights: VGG19Weights) -> [VGGLayer: PreparedConvolution]? {
        guard let file = PreparedKernelFile(url: source.url, identity: source.identity),
              let (sampleLayer, _) = PreparedKernelFile.winogradLayers(first: file.layerCount).first else { return nil }
        let kernels = file.kernels()
        let fresh = weights.withKernel(of: sampleLayer) { kernel, bias in
            PreparedConvolution(layer: sampleLayer, kernel: kernel, bias: bias)
        }
        guard let stored = kernels[sampleLayer], let made = fresh.winogradKernel,
              memcmp(stored.matrices.pointer, made.matrices.pointer, made.matrices.bytes) == 0 else { return nil }
        var prepared: [VGGLayer: PreparedConvolution] = [:]
        for layer in VGGLayer.all.prefix(file.layerCount) {
            prepared[layer] = weights.withKernel(of: layer) { kernel, bias in
                kernels[layer].map { PreparedConvolution(bias: bias, winogradKernel: $0) }
                    ?? PreparedConvolution(layer: layer, kernel: kernel, bias: bias)
            }
        }
        return prepared
    }
}
