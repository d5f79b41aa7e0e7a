/// A 3×3 kernel transformed for Winograd F(2×2, 3×3): U_ξ = G g Gᵀ for each (input, output) pair,
/// stored as 16 row-major matrices U_ξ[input][output], ξ = 4·row + column of the 4×4 transform.
///
///     G = [ 1    0    0  ]
///         [ ½    ½    ½  ]
///         [ ½   −½    ½  ]
///         [ 0    0    1  ]
struct WinogradKernel {
    let inputs: Int
    let outputs: Int
    let matrices: FloatBuffer

    /// `tapMajor` is [dy][dx][Cin][Cout]; inputs = Cin, outputs = Cout.
    ///
    /// The image gradient needs the kernel flipped in space and transposed (g'[ey][ex][o][i] =
    /// g[2−ey][2−ex][i][o]). Flipping swaps rows 0 and 3 of G g (rows 1 and 2 stay), so its transform
    /// is U'_{a,b} = (U_{σa,σb})ᵀ with σ = (3, 1, 2, 0): the same matrices, read transposed in permuted
    /// order (`gradientMatrixIndex`). One copy serves both directions.
    init(tapMajor kernel: UnsafePointer<Float>, channelsIn: Int, channelsOut: Int) {
        inputs = channelsIn
        outputs = channelsOut
        let matrices = FloatBuffer(count: 16 * inputs * outputs)
        let outputCount = channelsOut, planeSize = channelsIn * channelsOut, tapStride = channelsIn * channelsOut
        let destination = matrices.pointer
        for input in 0..<channelsIn {
            for output in 0..<channelsOut {
                let source = kernel + input * channelsOut + output
                @inline(__always) func g(_ row: Int, _ column: Int) -> Float { source[(row * 3 + column) * tapStride] }
                /// Writes row `row` of (G g) Gᵀ, given row `row` of G g.
                @inline(__always) func writeRow(_ row: Int, _ a: Float, _ b: Float, _ c: Float) {
                    let base = destination + row * 4 * planeSize + input * outputCount + output
                    base[0] = a
                    base[planeSize] = 0.5 * (a + b + c)
                    base[2 * planeSize] = 0.5 * (a - b + c)
                    base[3 * planeSize] = c
                }
                writeRow(0, g(0, 0), g(0, 1), g(0, 2))
                writeRow(1, 0.5 * (g(0, 0) + g(1, 0) + g(2, 0)), 0.5 * (g(0, 1) + g(1, 1) + g(2, 1)),
                         0.5 * (g(0, 2) + g(1, 2) + g(2, 2)))
                writeRow(2, 0.5 * (g(0, 0) - g(1, 0) + g(2, 0)), 0.5 * (g(0, 1) - g(1, 1) + g(2, 1)),
                         0.5 * (g(0, 2) - g(1, 2) + g(2, 2)))
                writeRow(3, g(2, 0), g(2, 1), g(2, 2))
            }
        }
        self.matrices = matrices
    }

    /// Which of the 16 matrices, read transposed, is matrix ξ of the flipped, transposed kernel.
    @inline(__always)
    static func gradientMatrixIndex(_ xi: Int) -> Int {
        let permutation = (3, 1, 2, 0)
        func sigma(_ value: Int) -> Int {
            switch value {
            case 0: permutation.0
            case 1: permutation.1
            case 2: permutation.2
            default: permutation.3
            }
        }
        return 4 * sigma(xi / 4) + sigma(xi % 4)
    }
}
