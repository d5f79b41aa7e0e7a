/// A matrix of a Winograd-transformed kernel as sums over the kernel's taps, in two steps: U_ξ[i][o] =
/// Σ_dx G[b][dx] · Σ_dy G[a][dy] · g[i][dy][dx][o] (ξ = n·a + b), each step over the weights of a row of G that
/// are not zero: one or three (`UnpackedGEMM.multiply(matrices:…)` is written for those counts).
struct SeparableTaps: Sendable, Equatable {
    /// Weighted indices (dy for `rows`, dx for `columns`).
    struct Terms: Sendable, Equatable {
        let indices: [Int]
        let weights: [Float]

        /// One or three (index 0…2, weight) terms; two are padded with a zero weight.
        init(indices: [Int], weights: [Float]) {
            precondition(indices.count == weights.count && (1...3).contains(indices.count)
                         && indices.allSatisfy((0..<3).contains))
            let padded = indices.count == 1 ? 1 : 3
            self.indices = indices + Array(repeating: 0, count: padded - indices.count)
            self.weights = weights + Array(repeating: 0, count: padded - indices.count)
        }

        /// Row `row` of G (n × 3) without its zeros.
        init(kernelTransformRow row: Int, of tile: WinogradTile) {
            let g = tile.kernelTransform
            let terms = (0..<3).filter { g[3 * row + $0] != 0 }
            self.init(indices: terms, weights: terms.map { g[3 * row + $0] })
        }
    }

    /// Over dy (the first step) and over dx (the second).
    let rows: Terms
    let columns: Terms

    init(rows: Terms, columns: Terms) {
        self.rows = rows
        self.columns = columns
    }

    init(tile: WinogradTile, matrix xi: Int) {
        let n = tile.inputSide
        self.init(rows: Terms(kernelTransformRow: xi / n, of: tile), columns: Terms(kernelTransformRow: xi % n, of: tile))
    }
}

extension WinogradTile {
    /// U_ξ as sums over the kernel's taps, by ξ (for `tapMajor` kernels: any tile can read one), made once per tile.
    var separableTaps: [SeparableTaps] {
        switch self {
        case .f2x2: Self.taps2x2
        case .f4x4: Self.taps4x4
        }
    }

    /// The gradient pass's: its matrix ξ is U_σξ read transposed (`gradientMatrixIndex`).
    var gradientSeparableTaps: [SeparableTaps] {
        switch self {
        case .f2x2: Self.gradientTaps2x2
        case .f4x4: Self.gradientTaps4x4
        }
    }

    private static let taps2x2 = (0..<WinogradTile.f2x2.matrixCount).map { SeparableTaps(tile: .f2x2, matrix: $0) }
    private static let taps4x4 = (0..<WinogradTile.f4x4.matrixCount).map { SeparableTaps(tile: .f4x4, matrix: $0) }
    private static let gradientTaps2x2 = (0..<WinogradTile.f2x2.matrixCount).map {
        taps2x2[WinogradTile.f2x2.gradientMatrixIndex($0)]
    }
    private static let gradientTaps4x4 = (0..<WinogradTile.f4x4.matrixCount).map {
        taps4x4[WinogradTile.f4x4.gradientMatrixIndex($0)]
    }
}
