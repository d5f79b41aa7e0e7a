import Testing
@testable import StyleEngine

/// The forward pass's hand-written product against its naive twin (a triple loop in double precision): rows left
/// below the last block of six, columns right of the last 64-wide panel, depths that end inside a slice, leading
/// dimensions wider than the matrices (whose extra columns must stay untouched).
@Suite("Unpacked GEMM against the naive product", .enabled(if: UnpackedGEMM.isAvailable))
struct UnpackedGEMMTests {
    struct Case: CustomStringConvertible, Sendable {
        let rows: Int, columns: Int, depth: Int
        var description: String { "\(rows)×\(depth) · \(depth)×\(columns)" }
    }

    static let cases = [
        Case(rows: 6, columns: 64, depth: 1),        // one block, one panel, one step
        Case(rows: 13, columns: 64, depth: 37),      // two blocks and a row
        Case(rows: 5, columns: 16, depth: 128),      // rows only below a block, a narrow column strip, one whole slice
        Case(rows: 12, columns: 80, depth: 129),     // a panel + 16 columns; a slice + 1 step
        Case(rows: 19, columns: 176, depth: 300),    // 2 panels + 48 columns; three slices
        Case(rows: 48, columns: 512, depth: 512),    // a Winograd product of block 4 at 256 px
    ]

    @Test(arguments: cases)
    func matchesTheNaiveProduct(_ testCase: Case) {
        let (m, n, k) = (testCase.rows, testCase.columns, testCase.depth)
        let leadingA = k + 3, leadingB = n + 16, leadingC = n + 32
        var random = TestRandom(seed: UInt64(m * 1_000_003 + n * 1_009 + k))
        let a = random.floats(m * leadingA), b = random.floats(k * leadingB)
        let sentinel: Float = 12345
        var c = [Float](repeating: sentinel, count: m * leadingC)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    UnpackedGEMM.multiply(rows: m, columns: n, depth: k, a.baseAddress!, leadingA: leadingA,
                                          b.baseAddress!, leadingB: leadingB, into: c.baseAddress!, leadingC: leadingC)
                }
            }
        }
        let worst = Self.worstError(rows: m, columns: n, depth: k, a[...], leadingA: leadingA, c[...], leadingC: leadingC,
                                    sentinel: sentinel) { p, j in Double(b[p * leadingB + j]) }
        #expect(worst < 1e-6, "worst error relative to Σ|a·b|: \(worst)")
    }

    /// The largest error of C against Σ_p A[i][p]·B(p, j) in double precision, relative to Σ|A·B| (one element of
    /// C each), with every row of C checked to hold `sentinel` beyond its N columns.
    static func worstError(rows m: Int, columns n: Int, depth k: Int, _ a: ArraySlice<Float>, leadingA: Int,
                           _ c: ArraySlice<Float>, leadingC: Int, sentinel: Float,
                           b: (_ p: Int, _ j: Int) -> Double) -> Double {
        let a0 = a.startIndex, c0 = c.startIndex
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = Double(a[a0 + i * leadingA + p]) * b(p, j)
                    sum += term
                    magnitude += abs(term)
                }
                worst = max(worst, abs(Double(c[c0 + i * leadingC + j]) - sum) / max(magnitude, 1e-30))
            }
            #expect(c[(c0 + i * leadingC + n)..<(c0 + (i + 1) * leadingC)].allSatisfy { $0 == sentinel },
                    "row \(i) written beyond its \(n) columns")
        }
        return worst
    }

    /// The image gradient's product, C = A·Bᵀ with B stored N×K, through the transposed panel; depths that are not a
    /// multiple of 16 exercise the transpose's last columns. The panel starts full of garbage.
    @Test(arguments: cases + [Case(rows: 7, columns: 48, depth: 21), Case(rows: 192, columns: 512, depth: 256)])
    func transposedMatchesTheNaiveProduct(_ testCase: Case) {
        let (m, n, k) = (testCase.rows, testCase.columns, testCase.depth)
        let leadingA = k + 3, leadingB = k + 5, leadingC = n + 32
        var random = TestRandom(seed: UInt64(m * 7_919 + n * 104_729 + k))
        let a = random.floats(m * leadingA), b = random.floats(n * leadingB)
        let sentinel: Float = -54321
        var c = [Float](repeating: sentinel, count: m * leadingC)
        var panel = [Float](repeating: .nan, count: UnpackedGEMM.panelCount)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    panel.withUnsafeMutableBufferPointer { panel in
                        UnpackedGEMM.multiplyTransposed(rows: m, columns: n, depth: k, a.baseAddress!, leadingA: leadingA,
                                                        b.baseAddress!, leadingB: leadingB, into: c.baseAddress!,
                                                        leadingC: leadingC, panel: panel.baseAddress!)
                    }
                }
            }
        }
        let worst = Self.worstError(rows: m, columns: n, depth: k, a[...], leadingA: leadingA, c[...], leadingC: leadingC,
                                    sentinel: sentinel) { p, j in Double(b[j * leadingB + p]) }
        #expect(worst < 1e-6, "worst error relative to Σ|a·b|: \(worst)")
    }

    /// Products whose B is a weighted sum of a tap-major kernel's taps in two steps (`SeparableTaps`), for several
    /// matrices at once (A and C a matrix stride apart), forward (B[i][o] = Σ_dx β·Σ_dy α·K[i][3dy+dx][o]) and
    /// transposed (B[o][i]), against the naive product with B built in double precision: one and three terms, two
    /// (padded with a zero weight), and consecutive matrices that share their first step (the partial sums kept)
    /// or not. The scratch starts full of garbage.
    @Test(arguments: [false, true], [Case(rows: 7, columns: 48, depth: 32), Case(rows: 13, columns: 80, depth: 144),
                                     Case(rows: 48, columns: 128, depth: 256)])
    func tapMajorMatchesTheNaiveProduct(transposed: Bool, _ testCase: Case) {
        let (m, n, k) = (testCase.rows, testCase.columns, testCase.depth)
        let leadingA = k + 3, leadingC = n + 16
        // K: [depth][9][columns] forward, [columns][9][depth] transposed (the kernel's inputs first either way).
        let kernelRows = transposed ? n : k, kernelOutputs = transposed ? k : n
        typealias Terms = SeparableTaps.Terms
        let one = Terms(indices: [1], weights: [0.5]), three = Terms(indices: [0, 1, 2], weights: [1, -0.25, 2])
        let two = Terms(indices: [2, 0], weights: [-1.5, 0.75])
        let taps = [SeparableTaps(rows: three, columns: one), SeparableTaps(rows: three, columns: three),
                    SeparableTaps(rows: three, columns: two), SeparableTaps(rows: one, columns: three),
                    SeparableTaps(rows: two, columns: one), SeparableTaps(rows: three, columns: one)]
        let matrices = taps.count
        var random = TestRandom(seed: UInt64(m * 31 + n * 7 + k + (transposed ? 1 : 0)))
        let a = random.floats(matrices * m * leadingA), kernel = random.floats(kernelRows * 9 * kernelOutputs)
        let sentinel: Float = 4242
        var c = [Float](repeating: sentinel, count: matrices * m * leadingC)
        var scratch = [Float](repeating: .nan, count: UnpackedGEMM.tapMajorScratchCount)
        a.withUnsafeBufferPointer { a in
            kernel.withUnsafeBufferPointer { kernel in
                c.withUnsafeMutableBufferPointer { c in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        UnpackedGEMM.multiply(matrices: 1..<matrices, rows: m, columns: n, depth: k, a.baseAddress!,
                                              leadingA: leadingA, matrixStrideA: m * leadingA,
                                              tapMajorKernel: kernel.baseAddress!, kernelOutputs: kernelOutputs,
                                              taps: { taps[$0] }, transposed: transposed, into: c.baseAddress!,
                                              leadingC: leadingC, matrixStrideC: m * leadingC,
                                              scratch: scratch.baseAddress!)
                    }
                }
            }
        }
        #expect(c[0..<(m * leadingC)].allSatisfy { $0 == sentinel }, "matrix 0 is outside the range and must stay")
        var worst = 0.0
        for xi in 1..<matrices {
            let separable = taps[xi]
            func b(_ p: Int, _ j: Int) -> Double {  // B[p][j], p along the depth
                let (input, output) = transposed ? (j, p) : (p, j)
                var sum = 0.0
                for (dx, beta) in zip(separable.columns.indices, separable.columns.weights) {
                    for (dy, alpha) in zip(separable.rows.indices, separable.rows.weights) {
                        sum += Double(beta) * Double(alpha) * Double(kernel[(input * 9 + 3 * dy + dx) * kernelOutputs + output])
                    }
                }
                return sum
            }
            let matrixA = a[(xi * m * leadingA)..<((xi + 1) * m * leadingA)]
            let matrixC = c[(xi * m * leadingC)..<((xi + 1) * m * leadingC)]
            worst = max(worst, Self.worstError(rows: m, columns: n, depth: k, matrixA, leadingA: leadingA, matrixC,
                                               leadingC: leadingC, sentinel: sentinel, b: b))
        }
        #expect(worst < 1e-5, "worst error relative to Σ|a·b|: \(worst)")
    }

    @Test func zeroDepthWritesZeros() {
        var c = [Float](repeating: 7, count: 3 * 32)
        let none: [Float] = [0]
        none.withUnsafeBufferPointer { operand in
            c.withUnsafeMutableBufferPointer { c in
                UnpackedGEMM.multiply(rows: 3, columns: 32, depth: 0, operand.baseAddress!, leadingA: 1,
                                      operand.baseAddress!, leadingB: 32, into: c.baseAddress!, leadingC: 32)
            }
        }
        #expect(c.allSatisfy { $0 == 0 })
    }
}
