/// A 3×3 kernel prepared for Winograd (WinogradTile.swift), in one of two storages:
///
/// - `transformed`: U_ξ = G g Gᵀ for each (input, output) pair, stored as n² row-major matrices
///   U_ξ[input][output], ξ = n·row + column of the n×n transform;
/// - `tapMajor`: the kernel itself, [input][tap][output] (tap = 3·dy + dx), 9 floats a pair instead of n², for
///   either tile; the products compute each slice of U_ξ as they need it, as the sum of the taps weighted by
///   G[a][dy]·G[b][dx] (`SeparableTaps`, `UnpackedGEMM.multiply(matrices:…tapMajorKernel:…)`). Used where the
///   kernels are large and the products have many rows to spread that work over (`storage(for:)`).
///
/// The image gradient needs the kernel flipped in space and transposed (g'[ey][ex][o][i] =
/// g[2−ey][2−ex][i][o]). Flipping permutes the rows of G g (σ of `WinogradTile`), so its transform is
/// U'_{a,b} = (U_{σa,σb})ᵀ: the same matrices, read transposed in permuted order
/// (`WinogradTile.gradientMatrixIndex`). One copy serves both directions, in either storage.
struct WinogradKernel: Sendable {
    enum Storage: Int, Sendable {
        case transformed
        case tapMajor
    }

    /// The tile the kernel was prepared for (a tap-major kernel serves both).
    let tile: WinogradTile
    let inputs: Int
    let outputs: Int
    let storage: Storage
    /// U_ξ (`transformed`) or the tap-major kernel (`tapMajor`).
    let matrices: FloatBuffer

    /// How a layer's kernel is kept: tap-major for block 4's layers where the build has the products that read it
    /// (`UnpackedGEMM.isAvailable`), transformed elsewhere. Block 4 is where F(4×4) saves most (its 512-channel
    /// products) and where its transformed kernels would cost most: 132 MB, against 59 MB for F(2×2) and 33 MB
    /// tap-major. Building a slice of U_ξ costs about 3.5 multiply-adds a float (F(4×4)) against two per tile for
    /// using it, so it pays where maps have many tiles: measured with `scripts/bench.sh` against F(2×2)
    /// transformed, 0.89× the time of an iteration at 512 px and 0.93× at 256 px, 25 MB less memory; 1.04–1.12× at
    /// 128 px (where block 4 has too few tiles for F(4×4) and reads its kernel as F(2×2), `ConvolutionAlgorithm`).
    /// block5_conv1, with a quarter of block 4's tiles, keeps its 17 MB transformed.
    static func storage(for layer: VGGLayer) -> Storage {
        UnpackedGEMM.isAvailable && layer.block == 4 ? .tapMajor : .transformed
    }

    /// Floats a kernel of `inputs` × `outputs` channels takes in `storage`.
    static func floatCount(tile: WinogradTile, inputs: Int, outputs: Int, storage: Storage) -> Int {
        (storage == .tapMajor ? 9 : tile.matrixCount) * inputs * outputs
    }

    /// Matrices prepared before (`PreparedKernelFile`).
    init(tile: WinogradTile, inputs: Int, outputs: Int, storage: Storage = .transformed, matrices: FloatBuffer) {
        precondition(matrices.count == Self.floatCount(tile: tile, inputs: inputs, outputs: outputs, storage: storage))
        self.tile = tile
        self.inputs = inputs
        self.outputs = outputs
        self.storage = storage
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
         storage: Storage = .transformed, scratch: UnsafeMutablePointer<Float>? = nil) {
        precondition(channelsOut % Vector.width == 0, "Winograd layers need a multiple of \(Vector.width) outputs")
        self.tile = tile
        inputs = channelsIn
        outputs = channelsOut
        self.storage = storage
        let n = tile.inputSide, planeSize = channelsIn * channelsOut
        if storage == .tapMajor {
            let matrices = FloatBuffer(count: 9 * planeSize)
            BLAS.transpose(rows: channelsOut, columns: channelsIn * 9, kernel, into: matrices.pointer)
            self.matrices = matrices
            return
        }
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
