/// How one layer's 3×3 convolution is computed, forward and backward alike.
enum ConvolutionAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// im2col + one GEMM: the 3-channel image layer (Winograd's transforms would cost more than they save).
    case im2col
    case winograd(WinogradTile)

    /// Below this many input channels, im2col + one GEMM is used instead of Winograd.
    static let im2colChannelLimit = 16

    /// The algorithm each VGG19 layer's kernel is prepared for, chosen by timing every layer's forward + backward
    /// under each algorithm at 256 and 512 px (`stylestudio bench --layers`, CPU time; figures in README's Speed
    /// section): F(4×4) wins on every layer of blocks 1–3 at both sizes (4–25% less CPU per layer), and on
    /// block 4's where the engine's own products read the kernel tap-major (`WinogradKernel.storage(for:)`, AVX-512
    /// builds), with 33 MB of kernels instead of F(2×2)'s 59 MB transformed (132 MB for F(4×4) transformed).
    /// Elsewhere, and on block5_conv1 (F(4×4) lost there at 256 px, where its map has 12 tiles), F(2×2). A
    /// tap-major kernel serves either tile: `chosen(for:height:width:)` picks by the map.
    static func chosen(for layer: VGGLayer) -> ConvolutionAlgorithm {
        if layer.inputChannels < im2colChannelLimit { return .im2col }
        if layer.outputChannels <= 256 { return .winograd(.f4x4) }
        return .winograd(layer.block == 4 && WinogradKernel.storage(for: layer) == .tapMajor ? .f4x4 : .f2x2)
    }

    /// Fewest F(4×4) tiles for which a tap-major layer uses F(4×4): each product then builds its slices of U_ξ
    /// (a few multiply-adds a float) for this many rows or more. At 256 px block 4 has 48, and F(4×4) took 0.94×
    /// F(2×2)'s time of an iteration (`bench --size 256`, both read tap-major, before the slices were built in two
    /// steps, which favours F(4×4) more); at 128 px it has 12.
    static let tapMajorFourByFourMinimumTiles = 32

    /// The algorithm of `layer` on a map of `height` × `width` (its input): `chosen(for:)`, except that a tap-major
    /// kernel uses F(2×2) where the map is too small for F(4×4) (`tapMajorFourByFourMinimumTiles`).
    static func chosen(for layer: VGGLayer, height: Int, width: Int) -> ConvolutionAlgorithm {
        let prepared = chosen(for: layer)
        guard prepared == .winograd(.f4x4), WinogradKernel.storage(for: layer) == .tapMajor else { return prepared }
        let tiles = ((height + 3) / 4) * ((width + 3) / 4)
        return .winograd(tiles >= tapMajorFourByFourMinimumTiles ? .f4x4 : .f2x2)
    }

    /// The Winograd tile (nil for im2col).
    var tile: WinogradTile? {
        if case .winograd(let tile) = self { return tile }
        return nil
    }

    var description: String {
        switch self {
        case .im2col: "im2col"
        case .winograd(let tile): "Winograd \(tile)"
        }
    }
}
