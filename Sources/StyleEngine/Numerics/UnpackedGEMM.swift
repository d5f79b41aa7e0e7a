/// C = A·B and C = A·Bᵀ for row-major single-precision matrices read where they lie: the Winograd layers' products,
/// forward (`multiply`) and for the image gradient (`multiplyTransposed`), and the image layer's im2col forward
/// (whose 27-row kernel stays in the first-level cache: 2.3 ms of CPU instead of 3.3 at 256 px, `bench --layers`).
///
/// Written by hand because OpenBLAS (the engine's BLAS) copies both operands into packed panels on every call and
/// clears C first when beta is 0. The Winograd passes make n² products per map whose B, a transformed kernel, is
/// already stored row by row at the output-channel width, and whose A, the transformed tiles, is written by the
/// engine just before: at 256 px OpenBLAS's copies (`sgemm_itcopy`, `sgemm_oncopy`, `sgemm_otcopy`) and its clearing
/// of C took about a tenth of an iteration in each direction (`perf record stylestudio bench --size 256`). These
/// products broadcast A's elements where they lie and keep a 6-row block of C in registers; C is written, never
/// read, on the first pass over the depth. `multiply` reads B's rows in place; `multiplyTransposed` transposes
/// each slice of B it needs into a 32 KB panel first, in registers (the gradient reads each kernel matrix
/// transposed); `multiply(matrices:…)` builds each slice of B from a kernel kept tap-major (block 4's,
/// `WinogradKernel.Storage`), which is then never stored transformed.
///
/// Blocking: the depth is cut into slices of `depthSlice` rows of B, so that the slice of B a 64-column panel
/// reads (32 KB) stays in the first-level cache while the micro-kernel sweeps down all rows of A; later slices
/// add to C. Builds without AVX-512 use OpenBLAS (`isAvailable`).
///
/// Measured (`scripts/bench.sh 256 512` with the previous build as baseline, 2-core AVX-512 Xeon): `multiply`,
/// 0.97× and 0.96× the time of an iteration; `multiplyTransposed` in place of OpenBLAS's `sgemm_nt` (with the image
/// layer's larger backward chunks), 0.95× and 0.94×; block 4 by F(4×4) through `multiply(matrices:…)` in place of
/// F(2×2) transformed, 0.93× and 0.89×.
/// The products run at about 185 GFLOP/s a core (`bench --layers`: 6.4 GFLOP of block4_conv2's forward pass at
/// 512 px in 35 ms of CPU), near what two AVX-512 FMA units give at this clock.
///
/// Its naive twin is in the tests (`UnpackedGEMMTests`).
enum UnpackedGEMM {
    #if AVX512_VECTORS
    /// Whether this build has the kernel: AVX-512 builds (Package.swift), whose 32 vector registers hold the
    /// micro-kernel's 6 × 64 block of C. Elsewhere OpenBLAS's kernels are used: with AVX2's 16 registers the
    /// block would spill, and without FMA a fused multiply-add is a library call.
    static let isAvailable = true
    #else
    static let isAvailable = false
    #endif

    /// One register of a row of the micro-kernel's block of C. Sixteen floats, written out four to a row: Swift
    /// lowers `addProduct` on SIMD16 to one FMA instruction, but on SIMD32 to 32 scalar ones with spills
    /// (checked in the assembly at -O).
    typealias Lane = SIMD16<Float>

    /// Rows of C one micro-kernel call computes.
    static let blockRows = 6
    /// Columns of C one micro-kernel call computes (a panel): four registers.
    static let panelWidth = 4 * Lane.scalarCount
    /// Rows of B (columns of A) one pass of the micro-kernel reads: a panel's slice is 32 KB.
    static let depthSlice = 128

    /// C (M×N, `leadingC`) = A (M×K, `leadingA`) · B (K×N, `leadingB`), all row-major; N a multiple of 16
    /// (`Vector.width`). Single-threaded: the caller splits the work.
    static func multiply(rows m: Int, columns n: Int, depth k: Int, _ a: UnsafePointer<Float>, leadingA: Int,
                         _ b: UnsafePointer<Float>, leadingB: Int, into c: UnsafeMutablePointer<Float>, leadingC: Int) {
        forEachPanel(rows: m, columns: n, depth: k, ifEmpty: { clear(rows: m, columns: n, c, leadingC: leadingC) }) {
            sliceStart, depth, column, width in
            sweep(rows: m, columns: width, depth: depth, a + sliceStart, leadingA, b + sliceStart * leadingB + column,
                  leadingB, c + column, leadingC, accumulate: sliceStart > 0)
        }
    }

    /// The blocking every product here shares: checks the shapes (N a multiple of 16), calls `ifEmpty` for an empty
    /// depth (C is then zero), else `body` for each depth slice and 64-column panel (the last one narrower), slices
    /// outermost.
    @inline(__always)
    private static func forEachPanel(rows m: Int, columns n: Int, depth k: Int, ifEmpty: () -> Void,
                                     _ body: (_ sliceStart: Int, _ depth: Int, _ column: Int, _ width: Int) -> Void) {
        precondition(isAvailable && n % Lane.scalarCount == 0 && m >= 0 && k >= 0)
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return ifEmpty() }
        for sliceStart in stride(from: 0, to: k, by: depthSlice) {
            for column in stride(from: 0, to: n, by: panelWidth) {
                body(sliceStart, min(depthSlice, k - sliceStart), column, min(panelWidth, n - column))
            }
        }
    }

    /// Floats of the panel `multiplyTransposed` transposes B's slices into: one depth slice of one panel (32 KB).
    static let panelCount = depthSlice * panelWidth

    /// C (M×N, `leadingC`) = A (M×K, `leadingA`) · Bᵀ, where B (N×K, `leadingB`) is row-major as stored: the image
    /// gradient's Winograd products, which read each transformed kernel transposed. N a multiple of 16.
    ///
    /// Each depth slice of each 64-column panel of Bᵀ is transposed into `panel` (`panelCount` floats,
    /// the caller's scratch), 16 × 16 floats at a time in registers, and stays in the first-level cache while the
    /// micro-kernel sweeps down all rows of A, as in `multiply`. OpenBLAS (the engine's BLAS) does the same
    /// packing but also packs A and clears C on every call (its `sgemm_nt` took 44% of an iteration at 256 px,
    /// a quarter of that in copies and clearing; the forward products, by `multiply`, 30% for the same work).
    static func multiplyTransposed(rows m: Int, columns n: Int, depth k: Int, _ a: UnsafePointer<Float>,
                                   leadingA: Int, _ b: UnsafePointer<Float>, leadingB: Int,
                                   into c: UnsafeMutablePointer<Float>, leadingC: Int,
                                   panel: UnsafeMutablePointer<Float>) {
        forEachPanel(rows: m, columns: n, depth: k, ifEmpty: { clear(rows: m, columns: n, c, leadingC: leadingC) }) {
            sliceStart, depth, column, width in
            transpose(rows: width, columns: depth, b + column * leadingB + sliceStart, leadingB, into: panel, panelWidth)
            sweep(rows: m, columns: width, depth: depth, a + sliceStart, leadingA, panel, panelWidth, c + column,
                  leadingC, accumulate: sliceStart > 0)
        }
    }

    /// Floats of scratch `multiply(matrices:…)` needs: its panel and, after it, three planes of partial sums.
    static let tapMajorScratchCount = 4 * panelCount

    /// C_ξ (M×N, `leadingC`) = A_ξ (M×K, `leadingA`) · B_ξ for ξ in `matrices`, A_ξ and C_ξ `matrixStrideA` and
    /// `matrixStrideC` floats apart, where B_ξ is a weighted sum of the taps of a tap-major kernel
    /// K[·][9][`kernelOutputs`] (`WinogradKernel.Storage.tapMajor`), in two steps (`SeparableTaps`):
    /// B_ξ[i][o] = Σ_dx β[dx] · T[dx][i][o], T[dx] = Σ_dy α[dy] · K[i][3·dy + dx][o]; with `transposed`, B_ξ[o][i]
    /// the same (the image gradient's). N (and, transposed, K) a multiple of 16. `scratch`:
    /// `tapMajorScratchCount` floats.
    ///
    /// B_ξ is never stored whole: each depth slice of each 64-column panel of it is computed into the scratch just
    /// before the micro-kernel sweeps over it. The loops run slice, panel, then ξ, so the part of K a panel reads
    /// (295 KB for 64 columns) stays in the second-level cache for every ξ after the first (ξ outermost read all
    /// of K again for each ξ, 36 times for F(4×4): 0.134 s an iteration at 256 px against 0.116 in this order,
    /// both with slices built in one step). T, the first step (`firstStep`), is kept while consecutive matrices
    /// share α (a row of G: six matrices in a row for F(4×4)): about 3.5 multiply-adds a float of B_ξ for F(4×4)
    /// instead of 5.4 in one step (0.339 s an iteration at 512 px instead of 0.357), which the sweep repays over
    /// every row of A_ξ. Transposed, each panel is computed 16 × 16 floats at a time and transposed in registers
    /// (`secondStep`), as in `multiplyTransposed`.
    static func multiply(matrices: Range<Int>, rows m: Int, columns n: Int, depth k: Int, _ a: UnsafePointer<Float>,
                         leadingA: Int, matrixStrideA: Int, tapMajorKernel kernel: UnsafePointer<Float>,
                         kernelOutputs: Int, taps: (Int) -> SeparableTaps, transposed: Bool,
                         into c: UnsafeMutablePointer<Float>, leadingC: Int, matrixStrideC: Int,
                         scratch: UnsafeMutablePointer<Float>) {
        precondition(!transposed || k % Lane.scalarCount == 0)
        guard !matrices.isEmpty else { return }
        let panel = scratch, planes = scratch + panelCount  // T[dx]: panelCount floats apart
        forEachPanel(rows: m, columns: n, depth: k, ifEmpty: {
            for xi in matrices { clear(rows: m, columns: n, c + xi * matrixStrideC, leadingC: leadingC) }
        }) { sliceStart, depth, column, width in
            var rowsOfT: SeparableTaps.Terms?
            for xi in matrices {
                let separable = taps(xi)
                if rowsOfT != separable.rows {
                    rowsOfT = separable.rows
                    firstStep(separable.rows, kernel, kernelOutputs, sliceStart, depth, column, width, transposed,
                              into: planes)
                }
                secondStep(separable.columns, planes, depth, width, transposed, into: panel)
                sweep(rows: m, columns: width, depth: depth, a + xi * matrixStrideA + sliceStart, leadingA, panel,
                      panelWidth, c + xi * matrixStrideC + column, leadingC, accumulate: sliceStart > 0)
            }
        }
    }

    /// T[dx] = Σ_dy α[dy] · K[i][3·dy + dx][o] for one depth slice and panel, dx = 0, 1, 2, `panelCount` floats
    /// apart in `planes`: rows of `panelWidth` (i along the depth), or transposed rows of `depthSlice` (i along
    /// the panel).
    @inline(__always)
    private static func firstStep(_ rows: SeparableTaps.Terms, _ kernel: UnsafePointer<Float>, _ kernelOutputs: Int,
                                  _ sliceStart: Int, _ depth: Int, _ column: Int, _ width: Int, _ transposed: Bool,
                                  into planes: UnsafeMutablePointer<Float>) {
        let w = Lane.scalarCount, tapStride = kernelOutputs, sum = TermSum(rows, stride: 3 * tapStride)
        for dx in 0..<3 {
            let plane = planes + dx * panelCount
            if transposed {
                for row in 0..<width {
                    let from = kernel + (column + row) * 9 * tapStride + dx * tapStride + sliceStart
                    for step in stride(from: 0, to: depth, by: w) {
                        store(sum.at(from + step), plane + row * depthSlice + step)
                    }
                }
            } else {
                for row in 0..<depth {
                    let from = kernel + (sliceStart + row) * 9 * tapStride + dx * tapStride + column
                    for block in stride(from: 0, to: width, by: w) {
                        store(sum.at(from + block), plane + row * panelWidth + block)
                    }
                }
            }
        }
    }

    /// The panel B_ξ = Σ_dx β[dx] · T[dx] (transposed: built 16 × 16 and transposed in registers).
    @inline(__always)
    private static func secondStep(_ columns: SeparableTaps.Terms, _ planes: UnsafeMutablePointer<Float>, _ depth: Int,
                                   _ width: Int, _ transposed: Bool, into panel: UnsafeMutablePointer<Float>) {
        let w = Lane.scalarCount, sum = TermSum(columns, stride: panelCount)
        if transposed {
            for block in stride(from: 0, to: width, by: w) {
                for step in stride(from: 0, to: depth, by: w) {
                    let first = planes + block * depthSlice + step
                    transposeBlock(into: panel + step * panelWidth + block, panelWidth) { sum.at(first + $0 * depthSlice) }
                }
            }
        } else {
            for row in 0..<depth {
                let from = planes + row * panelWidth, out = panel + row * panelWidth
                for block in stride(from: 0, to: width, by: w) { store(sum.at(from + block), out + block) }
            }
        }
    }

    /// Σ weight · the 16 floats at a pointer + index · `stride`, over one or three terms (`SeparableTaps.Terms`),
    /// the weights broadcast and offsets computed once (reading them from arrays inside the loop spilled them to
    /// the stack for every vector).
    private struct TermSum {
        let count: Int
        let w0: Lane, w1: Lane, w2: Lane
        let o0: Int, o1: Int, o2: Int

        @inline(__always)
        init(_ terms: SeparableTaps.Terms, stride: Int) {
            let indices = terms.indices, weights = terms.weights, count = indices.count
            func w(_ index: Int) -> Lane { index < count ? Lane(repeating: weights[index]) : Lane() }
            func o(_ index: Int) -> Int { index < count ? indices[index] * stride : 0 }
            self.count = count
            (w0, w1, w2) = (w(0), w(1), w(2))
            (o0, o1, o2) = (o(0), o(1), o(2))
        }

        @inline(__always)
        func at(_ pointer: UnsafePointer<Float>) -> Lane {
            var sum = w0 * load(pointer + o0)
            guard count > 1 else { return sum }
            sum.addProduct(w1, load(pointer + o1))
            sum.addProduct(w2, load(pointer + o2))
            return sum
        }

        @inline(__always)
        func at(_ pointer: UnsafeMutablePointer<Float>) -> Lane { at(UnsafePointer(pointer)) }
    }

    /// The same product by this kernel where the build has it (`isAvailable`), else by OpenBLAS.
    static func multiplyWithFallback(rows m: Int, columns n: Int, depth k: Int, _ a: UnsafePointer<Float>,
                                     leadingA: Int, _ b: UnsafePointer<Float>, leadingB: Int,
                                     into c: UnsafeMutablePointer<Float>, leadingC: Int) {
        if isAvailable {
            multiply(rows: m, columns: n, depth: k, a, leadingA: leadingA, b, leadingB: leadingB, into: c, leadingC: leadingC)
        } else {
            BLAS.multiply(rows: m, columns: n, depth: k, a, leadingA: leadingA, b, leadingB: leadingB, into: c,
                          leadingC: leadingC)
        }
    }

    /// One panel of C (`columns` ≤ 64 wide, a multiple of 16) over one slice of the depth: blocks of six rows,
    /// then the rows left below them; a panel narrower than 64 (the last one) 16 columns at a time.
    @inline(__always)
    private static func sweep(rows m: Int, columns: Int, depth: Int, _ a: UnsafePointer<Float>, _ leadingA: Int,
                              _ b: UnsafePointer<Float>, _ leadingB: Int, _ c: UnsafeMutablePointer<Float>,
                              _ leadingC: Int, accumulate: Bool) {
        guard columns == panelWidth else {
            for strip in stride(from: 0, to: columns, by: Lane.scalarCount) {
                for row in 0..<m {
                    narrowRow(depth, a + row * leadingA, b + strip, leadingB, c + row * leadingC + strip,
                              accumulate: accumulate)
                }
            }
            return
        }
        var row = 0
        while row + blockRows <= m {
            sixRows(depth, a + row * leadingA, leadingA, b, leadingB, c + row * leadingC, leadingC, accumulate: accumulate)
            row += blockRows
        }
        while row < m {
            oneRow(depth, a + row * leadingA, b, leadingB, c + row * leadingC, accumulate: accumulate)
            row += 1
        }
    }

    /// C = 0: the product over an empty depth.
    private static func clear(rows m: Int, columns n: Int, _ c: UnsafeMutablePointer<Float>, leadingC: Int) {
        for row in 0..<m { (c + row * leadingC).update(repeating: 0, count: n) }
    }

    /// destination (columns × rows, `leadingDestination`) = sourceᵀ, source rows × columns (`leadingSource`); rows a
    /// multiple of 16. Whole 16 × 16 blocks in registers (`transposeBlock`), the last columns (a depth that is not a
    /// multiple of 16) one float at a time.
    private static func transpose(rows: Int, columns: Int, _ source: UnsafePointer<Float>, _ leadingSource: Int,
                                  into destination: UnsafeMutablePointer<Float>, _ leadingDestination: Int) {
        let w = Lane.scalarCount, wholeColumns = columns - columns % w
        for row in stride(from: 0, to: rows, by: w) {
            for column in stride(from: 0, to: wholeColumns, by: w) {
                let block = source + row * leadingSource + column
                transposeBlock(into: destination + column * leadingDestination + row, leadingDestination) {
                    load(block + $0 * leadingSource)
                }
            }
            for column in wholeColumns..<columns {
                for r in row..<(row + w) {
                    destination[column * leadingDestination + r] = source[r * leadingSource + column]
                }
            }
        }
    }

    /// One 16 × 16 block transposed in registers: four rounds of interleaving row i with row i + 8 (each round
    /// rotates the bits of a float's (row, column) index by one, so after four the row and column have swapped);
    /// LLVM makes each interleave one `vpermt2ps` (64 for the block, checked in the assembly).
    @inline(__always)
    private static func transposeBlock(into destination: UnsafeMutablePointer<Float>, _ leadingDestination: Int,
                                       rows row: (Int) -> Lane) {
        var r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3), r4 = row(4), r5 = row(5), r6 = row(6), r7 = row(7)
        var r8 = row(8), r9 = row(9), r10 = row(10), r11 = row(11), r12 = row(12), r13 = row(13), r14 = row(14)
        var r15 = row(15)
        for _ in 0..<4 {
            (r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15) =
                (lowHalves(r0, r8), highHalves(r0, r8), lowHalves(r1, r9), highHalves(r1, r9),
                 lowHalves(r2, r10), highHalves(r2, r10), lowHalves(r3, r11), highHalves(r3, r11),
                 lowHalves(r4, r12), highHalves(r4, r12), lowHalves(r5, r13), highHalves(r5, r13),
                 lowHalves(r6, r14), highHalves(r6, r14), lowHalves(r7, r15), highHalves(r7, r15))
        }
        let d = destination, l = leadingDestination
        store(r0, d); store(r1, d + l); store(r2, d + 2 * l); store(r3, d + 3 * l)
        store(r4, d + 4 * l); store(r5, d + 5 * l); store(r6, d + 6 * l); store(r7, d + 7 * l)
        store(r8, d + 8 * l); store(r9, d + 9 * l); store(r10, d + 10 * l); store(r11, d + 11 * l)
        store(r12, d + 12 * l); store(r13, d + 13 * l); store(r14, d + 14 * l); store(r15, d + 15 * l)
    }

    /// a₀ b₀ a₁ b₁ … a₇ b₇.
    @inline(__always)
    private static func lowHalves(_ a: Lane, _ b: Lane) -> Lane {
        Lane(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
    }

    /// a₈ b₈ a₉ b₉ … a₁₅ b₁₅.
    @inline(__always)
    private static func highHalves(_ a: Lane, _ b: Lane) -> Lane {
        Lane(a[8], b[8], a[9], b[9], a[10], b[10], a[11], b[11], a[12], b[12], a[13], b[13], a[14], b[14], a[15], b[15])
    }

    /// The transposed product by this kernel where the build has it (`isAvailable`), else by OpenBLAS.
    static func multiplyTransposedWithFallback(rows m: Int, columns n: Int, depth k: Int, _ a: UnsafePointer<Float>,
                                               leadingA: Int, _ b: UnsafePointer<Float>, leadingB: Int,
                                               into c: UnsafeMutablePointer<Float>, leadingC: Int,
                                               panel: UnsafeMutablePointer<Float>) {
        if isAvailable {
            multiplyTransposed(rows: m, columns: n, depth: k, a, leadingA: leadingA, b, leadingB: leadingB, into: c,
                               leadingC: leadingC, panel: panel)
        } else {
            BLAS.multiply(rows: m, columns: n, depth: k, a, leadingA: leadingA, b, leadingB: leadingB, transposeB: true,
                          into: c, leadingC: leadingC)
        }
    }

    /// Six rows × one panel of C in 24 registers; per step of the depth four loads of B, six broadcasts of A.
    @inline(__always)
    private static func sixRows(_ depth: Int, _ a: UnsafePointer<Float>, _ leadingA: Int, _ b: UnsafePointer<Float>,
                                _ leadingB: Int, _ c: UnsafeMutablePointer<Float>, _ leadingC: Int, accumulate: Bool) {
        let w = Lane.scalarCount
        var c00 = Lane(), c01 = Lane(), c02 = Lane(), c03 = Lane()
        var c10 = Lane(), c11 = Lane(), c12 = Lane(), c13 = Lane()
        var c20 = Lane(), c21 = Lane(), c22 = Lane(), c23 = Lane()
        var c30 = Lane(), c31 = Lane(), c32 = Lane(), c33 = Lane()
        var c40 = Lane(), c41 = Lane(), c42 = Lane(), c43 = Lane()
        var c50 = Lane(), c51 = Lane(), c52 = Lane(), c53 = Lane()
        let a0 = a, a1 = a + leadingA, a2 = a1 + leadingA, a3 = a2 + leadingA, a4 = a3 + leadingA, a5 = a4 + leadingA
        var bRow = b
        for p in 0..<depth {
            let b0 = load(bRow), b1 = load(bRow + w), b2 = load(bRow + 2 * w), b3 = load(bRow + 3 * w)
            var s = Lane(repeating: a0[p])
            c00.addProduct(s, b0); c01.addProduct(s, b1); c02.addProduct(s, b2); c03.addProduct(s, b3)
            s = Lane(repeating: a1[p])
            c10.addProduct(s, b0); c11.addProduct(s, b1); c12.addProduct(s, b2); c13.addProduct(s, b3)
            s = Lane(repeating: a2[p])
            c20.addProduct(s, b0); c21.addProduct(s, b1); c22.addProduct(s, b2); c23.addProduct(s, b3)
            s = Lane(repeating: a3[p])
            c30.addProduct(s, b0); c31.addProduct(s, b1); c32.addProduct(s, b2); c33.addProduct(s, b3)
            s = Lane(repeating: a4[p])
            c40.addProduct(s, b0); c41.addProduct(s, b1); c42.addProduct(s, b2); c43.addProduct(s, b3)
            s = Lane(repeating: a5[p])
            c50.addProduct(s, b0); c51.addProduct(s, b1); c52.addProduct(s, b2); c53.addProduct(s, b3)
            bRow += leadingB
        }
        var row = c
        write(c00, c01, c02, c03, row, accumulate: accumulate); row += leadingC
        write(c10, c11, c12, c13, row, accumulate: accumulate); row += leadingC
        write(c20, c21, c22, c23, row, accumulate: accumulate); row += leadingC
        write(c30, c31, c32, c33, row, accumulate: accumulate); row += leadingC
        write(c40, c41, c42, c43, row, accumulate: accumulate); row += leadingC
        write(c50, c51, c52, c53, row, accumulate: accumulate)
    }

    /// One row × one panel (the rows below the last block of six).
    @inline(__always)
    private static func oneRow(_ depth: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ leadingB: Int,
                               _ c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let w = Lane.scalarCount
        var c0 = Lane(), c1 = Lane(), c2 = Lane(), c3 = Lane()
        var bRow = b
        for p in 0..<depth {
            let s = Lane(repeating: a[p])
            c0.addProduct(s, load(bRow)); c1.addProduct(s, load(bRow + w))
            c2.addProduct(s, load(bRow + 2 * w)); c3.addProduct(s, load(bRow + 3 * w))
            bRow += leadingB
        }
        write(c0, c1, c2, c3, c, accumulate: accumulate)
    }

    /// One row × 16 columns (the columns right of the last whole panel).
    @inline(__always)
    private static func narrowRow(_ depth: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ leadingB: Int,
                                  _ c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        var sum = Lane()
        var bRow = b
        for p in 0..<depth {
            sum.addProduct(Lane(repeating: a[p]), load(bRow))
            bRow += leadingB
        }
        store(accumulate ? load(c) + sum : sum, c)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Lane {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lane.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> Lane { load(UnsafePointer(pointer)) }

    @inline(__always)
    private static func store(_ value: Lane, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lane.self)
    }

    /// Stores (first slice of the depth) or adds (later slices) one row of the block.
    @inline(__always)
    private static func write(_ l0: Lane, _ l1: Lane, _ l2: Lane, _ l3: Lane, _ row: UnsafeMutablePointer<Float>,
                              accumulate: Bool) {
        let w = Lane.scalarCount
        if accumulate {
            store(load(row) + l0, row); store(load(row + w) + l1, row + w)
            store(load(row + 2 * w) + l2, row + 2 * w); store(load(row + 3 * w) + l3, row + 3 * w)
        } else {
            store(l0, row); store(l1, row + w); store(l2, row + 2 * w); store(l3, row + 3 * w)
        }
    }
}
