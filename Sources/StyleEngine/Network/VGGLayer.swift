/// One of the sixteen 3×3 convolution layers of VGG19, by its Keras name (`block4_conv2`).
///
/// Caffe/paper aliases are accepted when parsing: `conv4_2` and `relu4_2` both mean `block4_conv2`
/// (the engine always uses the post-ReLU output of a conv layer).
public struct VGGLayer: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Position in the network, 0 = `block1_conv1` … 15 = `block5_conv4`.
    public let index: Int

    /// Convolutions per block in VGG19.
    static let convolutionsPerBlock = [2, 2, 4, 4, 4]

    /// All sixteen layers, in network order.
    public static let all: [VGGLayer] = (0..<16).map { VGGLayer(index: $0) }

    public init(index: Int) {
        precondition((0..<16).contains(index), "VGG19 has 16 conv layers")
        self.index = index
    }

    /// 1-based block number (1…5).
    public var block: Int {
        var remaining = index
        for (blockIndex, count) in Self.convolutionsPerBlock.enumerated() {
            if remaining < count { return blockIndex + 1 }
            remaining -= count
        }
        fatalError("unreachable")
    }

    /// 1-based position of the convolution inside its block.
    public var positionInBlock: Int {
        index - Self.convolutionsPerBlock.prefix(block - 1).reduce(0, +) + 1
    }

    /// Keras name, e.g. `block4_conv2`.
    public var name: String { "block\(block)_conv\(positionInBlock)" }

    /// Caffe/paper name, e.g. `relu4_2`.
    public var caffeName: String { "relu\(block)_\(positionInBlock)" }

    public var description: String { name }

    /// Output channels of this layer.
    public var outputChannels: Int { [64, 128, 256, 512, 512][block - 1] }

    /// Input channels of this layer.
    public var inputChannels: Int { index == 0 ? 3 : VGGLayer(index: index - 1).outputChannels }

    /// Whether a 2×2 pooling follows this layer (the last conv of each block).
    public var isFollowedByPooling: Bool { positionInBlock == Self.convolutionsPerBlock[block - 1] }

    /// How many times the resolution was halved before this layer (0 for block 1).
    public var downsamplingSteps: Int { block - 1 }

    /// Parses `block4_conv2`, `conv4_2` or `relu4_2` (case-insensitive); nil when it names no VGG19 conv layer.
    public init?(name: String) {
        let lower = name.lowercased()
        for layer in Self.all {
            let short = "\(layer.block)_\(layer.positionInBlock)"
            if lower == layer.name || lower == "conv" + short || lower == "relu" + short {
                self = layer
                return
            }
        }
        return nil
    }

    public static func < (lhs: VGGLayer, rhs: VGGLayer) -> Bool { lhs.index < rhs.index }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let layer = VGGLayer(name: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown VGG19 layer '\(text)' (expected e.g. block4_conv2, conv4_2 or relu4_2)")
        }
        self = layer
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
