import Foundation
import SafeIO

/// The kernel and bias of one VGG19 convolution.
public struct ConvolutionWeights: Sendable {
    public let layer: VGGLayer
    /// `[out][in][3][3]`, PyTorch layout: `kernel[((o * in + i) * 3 + dy) * 3 + dx]`.
    public let kernel: [Float]
    /// `[out]`.
    public let bias: [Float]

    /// Weights made in memory (tests, synthetic networks); the counts must fit `layer`.
    public init(layer: VGGLayer, kernel: [Float], bias: [Float]) {
        precondition(kernel.count == layer.outputChannels * layer.inputChannels * 9,
                     "\(layer): kernel needs \(layer.outputChannels)×\(layer.inputChannels)×3×3 values")
        precondition(bias.count == layer.outputChannels, "\(layer): bias needs \(layer.outputChannels) values")
        self.layer = layer
        self.kernel = kernel
        self.bias = bias
    }
}

/// The sixteen convolutions of VGG19 (Caffe weights as republished for Keras; BGR input, 0–255,
/// minus the ImageNet mean), read from the safetensors file `scripts/fetch-weights.py` writes:
/// tensors `block1_conv1.weight` `[out, in, 3, 3]` and `block1_conv1.bias` `[out]`, float32.
public final class VGG19Weights: Sendable {
    private enum Storage: Sendable {
        /// Validated file, kept mapped; a layer is copied out when asked for (the engine asks once per
        /// layer and keeps only its rearranged copy, so the raw weights are never resident twice).
        case file(SafeTensorsFile, [(kernel: SafeTensorsFile.TensorInfo, bias: SafeTensorsFile.TensorInfo)])
        case memory([ConvolutionWeights])
    }

    private let storage: Storage
    /// Where the prepared kernels of these weights are kept between processes (nil: not kept).
    private let preparedKernelURL: URL?
    /// The layers rearranged for the engine's kernels, made on first use and shared by every network.
    let preparedConvolutions = PreparedConvolutionCache()

    /// Reads and validates a weights file: every one of the 16 layers must be present with the shapes
    /// of `VGGLayer`'s channel counts. Throws `WeightsError` naming the file and the problem. The prepared
    /// kernels are kept beside it (`PreparedKernelFile`) unless `keepsPreparedKernels` is false.
    public init(contentsOf url: URL, keepsPreparedKernels: Bool = true) throws {
        let file = try SafeTensorsFile(contentsOf: url)
        var located: [(kernel: SafeTensorsFile.TensorInfo, bias: SafeTensorsFile.TensorInfo)] = []
        for layer in VGGLayer.all {
            let kernel = try Self.tensor("\(layer.name).weight", in: file,
                                         shape: [layer.outputChannels, layer.inputChannels, 3, 3])
            let bias = try Self.tensor("\(layer.name).bias", in: file, shape: [layer.outputChannels])
            located.append((kernel, bias))
        }
        storage = .file(file, located)
        preparedKernelURL = keepsPreparedKernels ? PreparedKernelFile.location(besideWeights: url) : nil
    }

    /// Weights made in memory: all sixteen layers, in network order.
    public init(convolutions: [ConvolutionWeights]) {
        precondition(convolutions.map(\.layer) == VGGLayer.all, "VGG19Weights needs the 16 layers in network order")
        storage = .memory(convolutions)
        preparedKernelURL = nil
    }

    /// The prepared-kernel file and the identity of the weights file it must match (nil: weights made in memory,
    /// or not kept).
    var preparedKernelSource: (url: URL, identity: [UInt64])? {
        guard let fileIdentity, let preparedKernelURL else { return nil }
        return (preparedKernelURL, fileIdentity)
    }

    /// The identity of the weights file (device, inode, size, modification time; nil for weights made in
    /// memory): what caches of results computed from these weights are keyed by.
    public var fileIdentity: [UInt64]? {
        guard case .file(let file, _) = storage else { return nil }
        return file.identity
    }

    /// All sixteen layers; index = `VGGLayer.index`. (Copies out of the file; the engine uses `subscript`.)
    public var convolutions: [ConvolutionWeights] { VGGLayer.all.map { self[$0] } }

    public subscript(layer: VGGLayer) -> ConvolutionWeights {
        switch storage {
        case .memory(let convolutions):
            return convolutions[layer.index]
        case .file(let file, let located):
            let tensors = located[layer.index]
            return ConvolutionWeights(layer: layer, kernel: file.floatsReleasingPages(of: tensors.kernel),
                                      bias: file.floatsReleasingPages(of: tensors.bias))
        }
    }

    /// Calls `body` with the layer's kernel (PyTorch's [out][in][3][3]) and bias, read in place from the file
    /// when they come from one (see `SafeTensorsFile.withFloatsReleasingPages`): what the kernel preparation
    /// reads, without copying the raw weights first.
    func withKernel<Result>(of layer: VGGLayer, _ body: (UnsafePointer<Float>, [Float]) -> Result) -> Result {
        switch storage {
        case .memory(let convolutions):
            let weights = convolutions[layer.index]
            return weights.kernel.withUnsafeBufferPointer { body($0.baseAddress!, weights.bias) }
        case .file(let file, let located):
            let tensors = located[layer.index]
            let bias = file.floatsReleasingPages(of: tensors.bias)
            return file.withFloatsReleasingPages(of: tensors.kernel) { body($0, bias) }
        }
    }

    /// `$XDG_CACHE_HOME/stylestudio/vgg19.safetensors`, or `~/.cache/stylestudio/vgg19.safetensors`
    /// when XDG_CACHE_HOME is unset or not absolute: where `scripts/setup.sh` puts the weights.
    public static var defaultLocation: URL {
        URL(fileURLWithPath: UserDirectories.folder(.cache).appending("vgg19.safetensors").string, isDirectory: false)
    }

    private static func tensor(_ name: String, in file: SafeTensorsFile, shape: [Int]) throws -> SafeTensorsFile.TensorInfo {
        guard let info = file.tensors[name] else { throw WeightsError.missingTensor(file.url, tensor: name) }
        guard info.shape == shape else {
            throw WeightsError.wrongShape(file.url, tensor: name, shape: info.shape, expected: shape)
        }
        return info
    }
}
