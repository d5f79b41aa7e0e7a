/// How one layer's 3×3 convolution is computed, forward and backward alike.
enum ConvolutionAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// im2col + one GEMM: the 3-channel image layer (Winograd's transforms would cost more than they save).
    case im2col
    case winograd(WinogradTile)

    /// Below this many input channels, im2col + one GEMM is used instead of Winograd.
    static let im2colChannelLimit = 16

    /// The algorithm each VGG19 layer uses, chosen by measuring every layer's forward + backward with
    /// each algorithm (`stylestudio bench --layers`; figures in README's Speed section): F(4×4) wins
    /// on every layer with 64 or more input channels, as ncnn's x86 code also chooses.
    static func chosen(for layer: VGGLayer) -> ConvolutionAlgorithm {
        if layer.inputChannels < im2colChannelLimit { return .im2col }
        return .winograd(layer.inputChannels >= 64 ? .f4x4 : .f2x2)
    }

    var description: String {
        switch self {
        case .im2col: "im2col"
        case .winograd(let tile): "Winograd \(tile)"
        }
    }
}
