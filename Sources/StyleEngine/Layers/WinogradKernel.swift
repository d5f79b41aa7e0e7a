/// A 3×3 kernel transformed for Winograd (WinogradTile.swift): U_ξ = G g Gᵀ for each (input, output)
/// pair, stored as n² row-major matrices U_ξ[input][output], ξ = n·row + column of the n×n transform.
///
/// The image gradient needs the kernel flipped in space and transposed (g'[ey][ex][o][i] =
/// g[2−ey][2−ex][i][o]). Flipping permutes the rows of G g (σ of `WinogradTile`), so its transform is
/// U'_{a,b} = (U_{σa,σb})ᵀ: the same matrices, read transposed in permuted order
/// (`WinogradTile.gradientMatrixIndex`). One copy serves both directions.
struct WinogradKernel: Sendable {
    let tile: WinogradTile
    let inputs: Int
    let outputs: Int
    let matrices: FloatBuffer

    /// Matrices prepared before (`PreparedKernelFile`).
    init(tile: WinogradTile, inputs: Int, outputs: Int, matrices: FloatBuffer) {
        precondition(matrices.count == tile.matrixCount * inputs * outputs)
        self.tile = tile
        self.inputs = inputs
        self.outputs = outputs
        self.matrices = matrices
    }

    /// Floats of the transposed copy the preparation of `layer`'s kernel needs (`scratch`).
    static func scratchCount(for layer: VGGLayer) -> Int { 9 * layer.inputChannels * layer.outputChannels }

    /// `torchKernel` is PyTorch's [Cout][Cin][3][3]. Transposed first to [Cin][3][3][Cout] (OpenBLAS's
    /// `somatcopy`), so that the sixteen outputs of one input and tap are one vector load; then vectorised
    /// over output channels and split over the cores by input channel (this runs when no prepared-kernel file
    /// matches, once per layer and process: gathering each vector lane by lane from the PyTorch layout took a
    /// third of a 64 px render). `scratch`, when given, holds the transposed copy (at least 9 · Cin · Cout
    /// floats); else one is made.
    init(torchKernel kernel: UnsafePointer<Float>, channelsIn: Int, channelsOut: Int, tile: WinogradTile,
         scratch: UnsafeMutablePointer<Float>? = nil) {
        precondition(channelsOut % Vector.width == 0, "Winograd layers need a multiple of \(Vector.width) outputs")
        self.tile = tile
        inputs = channelsIn
        outputs = channelsOut
        let n = tile.inputSide, planeSize = channelsIn * channelsOut
        let matrices = FloatBuffer(count: tile.matrixCount * planeSize)
        let ownScratch = scratch == nil ? FloatBuffer(count: 9 * planeSize) : nil
        let tapMajor = scratch ?? ownScratch!.pointer  // [Cin][tap][Cout]
        BLAS.transpose(rows: channelsOut, columns: channelsIn * 9, kernel, into: tapMajor)
        let g = tile.kernelTransform
        let source = UncheckedSendable(UnsafePointer(tapMajor))
        let destination = UncheckedSendable(matrices.pointer)
        ParallelLoop.run(count: channelsIn) { input in
            withUnsafeTemporaryAllocation(of: Vector.Value.self, capacity: 9 + 3 * n) { scratch in
                let taps = scratch.baseAddress!, rows = taps + 9   // rows: G g, n × 3
                let inputTaps = source.value + input * 9 * channelsOut
                for block in stride(from: 0, to: channelsOut, by: Vector.width) {
                    for tap in 0..<9 { taps[tap] = Vector.load(inputTaps + tap * channelsOut + block) }
                    for row in 0..<n {
                        for column in 0..<3 {
                            rows[3 * row + column] = g[3 * row] * taps[column] + g[3 * row + 1] * taps[3 + column]
                                + g[3 * row + 2] * taps[6 + column]
                        }
                    }
                    for row in 0..<n {
                        for column in 0..<n {
                            let value = g[3 * column] * rows[3 * row] + g[3 * column + 1] * rows[3 * row + 1]
                                + g[3 * column + 2] * rows[3 * row + 2]
                            Vector.store(value, destination.value + (row * n + column) * planeSize + input * channelsOut + block)
                        }
                    }
                }
            }
        }
        withExtendedLifetime(ownScratch) {}
        self.matrices = matrices
    }
}
