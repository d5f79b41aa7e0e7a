import COpenBLAS

/// The engine's only door to OpenBLAS: row-major single-precision products and a few vector helpers.
public enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, row-major. op(A) is M×K, op(B) is K×N, C is M×N.
    @inline(__always)
    static func multiply(rows m: Int, columns n: Int, depth k: Int,
                         _ a: UnsafePointer<Float>, leadingA: Int, transposeA: Bool = false,
                         _ b: UnsafePointer<Float>, leadingB: Int, transposeB: Bool = false,
                         into c: UnsafeMutablePointer<Float>, leadingC: Int,
                         alpha: Float = 1, beta: Float = 0) {
        useCallerThreadsOnly
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(leadingA), b, blasint(leadingB),
                    beta, c, blasint(leadingC))
    }

    /// C (N×N, upper triangle) = alpha · Aᵀ · A + beta · C, where A is K×N row-major.
    @inline(__always)
    static func symmetricRankUpdate(order n: Int, depth k: Int, _ a: UnsafePointer<Float>, leadingA: Int,
                                    into c: UnsafeMutablePointer<Float>, leadingC: Int,
                                    alpha: Float = 1, beta: Float = 0) {
        useCallerThreadsOnly
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), alpha, a, blasint(leadingA),
                    beta, c, blasint(leadingC))
    }

    /// Σ x·y accumulated in double precision.
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Double {
        useCallerThreadsOnly
        return cblas_dsdot(blasint(count), x, 1, y, 1)
    }

    /// y += alpha · x
    @inline(__always)
    public static func add(_ alpha: Float, times x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        useCallerThreadsOnly
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// B = Aᵀ, A row-major `rows`×`columns` (B is `columns`×`rows`).
    static func transpose(rows: Int, columns: Int, _ a: UnsafePointer<Float>, into b: UnsafeMutablePointer<Float>) {
        cblas_somatcopy(CblasRowMajor, CblasTrans, blasint(rows), blasint(columns), 1, a, blasint(columns), b,
                        blasint(rows))
    }

    /// The kernel family OpenBLAS chose at load time (e.g. "SkylakeX", "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Cores the engine splits its work over (each runs OpenBLAS single-threaded).
    public static var workerCount: Int { ParallelLoop.coreCount }

    public static func setThreadCount(_ count: Int) { openblas_set_num_threads(Int32(count)) }
}

extension BLAS {
    /// Makes OpenBLAS compute on the calling thread only. The engine splits work over cores itself
    /// (`ParallelLoop`), which keeps both cores busy in GEMMs and elementwise passes alike, instead
    /// of OpenBLAS's own pool spinning between calls. Every product goes through it first: OpenBLAS
    /// 0.3.21's threaded GEMM, called from several threads at once (the engine's workers, parallel
    /// tests that use a layer without a network), gave wrong results now and then; its level-1 routines
    /// (dot, axpy, scal) thread large vectors too, so they go through it as well.
    static let useCallerThreadsOnly: Void = { setThreadCount(1) }()

    /// C = A·op(B) with the rows of A and C split over the cores (each part one single-threaded GEMM).
    static func parallelMultiply(rows m: Int, columns n: Int, depth k: Int,
                                 _ a: UnsafePointer<Float>, leadingA: Int,
                                 _ b: UnsafePointer<Float>, leadingB: Int, transposeB: Bool = false,
                                 into c: UnsafeMutablePointer<Float>, leadingC: Int,
                                 alpha: Float = 1, beta: Float = 0) {
        ParallelLoop.runRanges(count: m) { _, rows in
            guard !rows.isEmpty else { return }
            multiply(rows: rows.count, columns: n, depth: k, a + rows.lowerBound * leadingA, leadingA: leadingA,
                     b, leadingB: leadingB, transposeB: transposeB,
                     into: c + rows.lowerBound * leadingC, leadingC: leadingC, alpha: alpha, beta: beta)
        }
    }
}
