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
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = Double(a[i * leadingA + p]) * Double(b[p * leadingB + j])
                    sum += term
                    magnitude += abs(term)
                }
                worst = max(worst, abs(Double(c[i * leadingC + j]) - sum) / max(magnitude, 1e-30))
            }
            #expect(c[(i * leadingC + n)..<((i + 1) * leadingC)].allSatisfy { $0 == sentinel },
                    "row \(i) written beyond its \(n) columns")
        }
        #expect(worst < 1e-6, "worst error relative to Σ|a·b|: \(worst)")
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
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = Double(a[i * leadingA + p]) * Double(b[j * leadingB + p])
                    sum += term
                    magnitude += abs(term)
                }
                worst = max(worst, abs(Double(c[i * leadingC + j]) - sum) / max(magnitude, 1e-30))
            }
            #expect(c[(i * leadingC + n)..<((i + 1) * leadingC)].allSatisfy { $0 == sentinel },
                    "row \(i) written beyond its \(n) columns")
        }
        #expect(worst < 1e-6, "worst error relative to Σ|a·b|: \(worst)")
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
