/// How one layer's 3×3 convolution is computed, forward and backward alike.
enum ConvolutionAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// im2col + one GEMM: the 3-channel image layer (Winograd's transforms would cost more than they save).
    case im2col
    case winograd(WinogradTile)

    /// Below this many input channels, im2col + one GEMM is used instead of Winograd.
    static let im2colChannelLimit = 16

    /// The algorithm each VGG19 layer uses, chosen by timing every layer's forward + backward under each
    /// algorithm at 256 and 512 px (`stylestudio bench --layers`, CPU time; figures in README's Speed
    /// section): F(4×4) wins on every layer of blocks 1–3 at both sizes (4–25% less CPU per layer). On
    /// block 4's layers it wins by 15–40% at 256 and 512 px (since both passes' products are the engine's own,
    /// `UnpackedGEMM`; with OpenBLAS's it lost at 256 px), but its kernels would take 2.25× the memory (+74 MB for
    /// block 4, over the 512 px memory bound of 0.4× PyTorch's peak), so blocks 4–5 keep F(2×2).
    static func chosen(for layer: VGGLayer) -> ConvolutionAlgorithm {
        if layer.inputChannels < im2colChannelLimit { return .im2col }
        return .winograd(layer.outputChannels <= 256 ? .f4x4 : .f2x2)
    }

    var description: String {
        switch self {
        case .im2col: "im2col"
        case .winograd(let tile): "Winograd \(tile)"
        }
    }
}
