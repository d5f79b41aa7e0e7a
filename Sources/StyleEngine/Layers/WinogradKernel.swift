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

    /// `torchKernel` is PyTorch's [Cout][Cin][3][3]. Vectorised over output channels and split over
    /// the cores by input channel (this runs at start-up, once per layer and process).
    init(torchKernel kernel: UnsafePointer<Float>, channelsIn: Int, channelsOut: Int, tile: WinogradTile) {
        precondition(channelsOut % Vector.width == 0, "Winograd layers need a multiple of \(Vector.width) outputs")
        self.tile = tile
        inputs = channelsIn
        outputs = channelsOut
        let n = tile.inputSide, planeSize = channelsIn * channelsOut
        let matrices = FloatBuffer(count: tile.matrixCount * planeSize)
        let g = tile.kernelTransform
        let destination = UncheckedSendable(matrices.pointer)
        ParallelLoop.run(count: channelsIn) { input in
            var taps = [Vector.Value](repeating: .zero, count: 9)
            var rows = [Vector.Value](repeating: .zero, count: 3 * n)   // G g, n × 3
            for block in stride(from: 0, to: channelsOut, by: Vector.width) {
                for tap in 0..<9 {
                    var value = Vector.Value.zero
                    for lane in 0..<Vector.width { value[lane] = kernel[((block + lane) * channelsIn + input) * 9 + tap] }
                    taps[tap] = value
                }
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
        self.matrices = matrices
    }
}
