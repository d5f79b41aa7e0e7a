/// C = A·B for row-major single-precision matrices read where they lie: the forward pass's products (the Winograd
/// layers' and the image layer's im2col, whose 27-row kernel stays in the first-level cache: its forward pass
/// took 2.3 ms of CPU instead of 3.3 at 256 px, `bench --layers`).
///
/// Written by hand because OpenBLAS (the engine's BLAS) copies both operands into packed panels on every call and
/// clears C first when beta is 0. The Winograd forward pass makes n² products per map whose B, a transformed
/// kernel, is already stored row by row at the output-channel width, and whose A, the transformed tiles, is
/// written by the engine just before: at 256 px OpenBLAS's copies under `sgemm_nn` (`sgemm_itcopy`,
/// `sgemm_oncopy`) and its clearing of C took about a tenth of an iteration (`perf record stylestudio bench
/// --size 256`). This product reads B's rows in place and broadcasts A's elements, keeping a 6-row block of C in
/// registers; C is written, never read, on the first pass over the depth.
///
/// Blocking: the depth is cut into slices of `depthSlice` rows of B, so that the slice of B a 64-column panel
/// reads (32 KB) stays in the first-level cache while the micro-kernel sweeps down all rows of A; later slices
/// add to C. The image gradient's products read the kernel transposed and stay with OpenBLAS (reading B's columns
/// in place strides through memory, and transposing each kernel matrix first measured slower than OpenBLAS's own
/// packing), as do builds without AVX-512 (`isAvailable`).
///
/// Measured (`scripts/bench.sh 256 512` with the previous build as baseline, 2-core AVX-512 Xeon): 0.97× and 0.96×
/// the time of an iteration, 0.97× and 0.95× its CPU time.
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
        precondition(isAvailable && n % Lane.scalarCount == 0 && m >= 0 && k >= 0)
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for row in 0..<m { (c + row * leadingC).update(repeating: 0, count: n) }
            return
        }
        for sliceStart in stride(from: 0, to: k, by: depthSlice) {
            let depth = min(depthSlice, k - sliceStart), accumulate = sliceStart > 0
            let aSlice = a + sliceStart, bSlice = b + sliceStart * leadingB
            var column = 0
            while column + panelWidth <= n {
                var row = 0
                while row + blockRows <= m {
                    sixRows(depth, aSlice + row * leadingA, leadingA, bSlice + column, leadingB,
                            c + row * leadingC + column, leadingC, accumulate: accumulate)
                    row += blockRows
                }
                while row < m {
                    oneRow(depth, aSlice + row * leadingA, bSlice + column, leadingB, c + row * leadingC + column,
                           accumulate: accumulate)
                    row += 1
                }
                column += panelWidth
            }
            while column < n {  // the last 16, 32 or 48 columns, 16 at a time
                for row in 0..<m {
                    narrowRow(depth, aSlice + row * leadingA, bSlice + column, leadingB, c + row * leadingC + column,
                              accumulate: accumulate)
                }
                column += Lane.scalarCount
            }
        }
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
