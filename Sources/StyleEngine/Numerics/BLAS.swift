import COpenBLAS
import Foundation
import SafeIO

/// The engine's only door to OpenBLAS: row-major single-precision products and a few vector helpers.
///
/// OpenBLAS is opened on first use (`dlopen`), not linked: it reads `OPENBLAS_CORETYPE` and `OPENBLAS_NUM_THREADS`
/// when it loads, and a linked library loads before `main`, so the program had to re-execute itself to set them:
/// a second process start, 8 ms of every launch (`perf stat -r 30 stylestudio --versionx` without the variables:
/// 19.2 ms with the re-execution, 11.1 ms without). Now the program sets them in its own environment before the
/// first product (StudioCore's `OpenBLASEnvironment`). The module map still gives cblas.h's types and constants.
public enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, row-major. op(A) is M×K, op(B) is K×N, C is M×N.
    @inline(__always)
    static func multiply(rows m: Int, columns n: Int, depth k: Int,
                         _ a: UnsafePointer<Float>, leadingA: Int, transposeA: Bool = false,
                         _ b: UnsafePointer<Float>, leadingB: Int, transposeB: Bool = false,
                         into c: UnsafeMutablePointer<Float>, leadingC: Int,
                         alpha: Float = 1, beta: Float = 0) {
        useCallerThreadsOnly
        OpenBLAS.shared.sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                              transposeB ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), blasint(k), alpha,
                              a, blasint(leadingA), b, blasint(leadingB), beta, c, blasint(leadingC))
    }

    /// C (N×N, upper triangle) = alpha · Aᵀ · A + beta · C, where A is K×N row-major.
    @inline(__always)
    static func symmetricRankUpdate(order n: Int, depth k: Int, _ a: UnsafePointer<Float>, leadingA: Int,
                                    into c: UnsafeMutablePointer<Float>, leadingC: Int,
                                    alpha: Float = 1, beta: Float = 0) {
        useCallerThreadsOnly
        OpenBLAS.shared.ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(n), blasint(k), alpha, a,
                              blasint(leadingA), beta, c, blasint(leadingC))
    }

    /// Σ x·y accumulated in double precision.
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Double {
        useCallerThreadsOnly
        return OpenBLAS.shared.dsdot(blasint(count), x, 1, y, 1)
    }

    /// y += alpha · x
    @inline(__always)
    public static func add(_ alpha: Float, times x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        useCallerThreadsOnly
        OpenBLAS.shared.saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// B = Aᵀ, A row-major `rows`×`columns` (B is `columns`×`rows`).
    static func transpose(rows: Int, columns: Int, _ a: UnsafePointer<Float>, into b: UnsafeMutablePointer<Float>) {
        OpenBLAS.shared.somatcopy(CblasRowMajor, CblasTrans, blasint(rows), blasint(columns), 1, a, blasint(columns),
                                  b, blasint(rows))
    }

    /// The kernel family OpenBLAS chose at load time (e.g. "SkylakeX", "Haswell").
    public static var coreName: String {
        guard let name = OpenBLAS.shared.coreName() else { return "unknown" }
        return String(cString: name)
    }

    /// Cores the engine splits its work over (each runs OpenBLAS single-threaded).
    public static var workerCount: Int { ParallelLoop.coreCount }

    public static func setThreadCount(_ count: Int) { OpenBLAS.shared.setThreadCount(Int32(count)) }

    /// Opens OpenBLAS on a thread of its own (the library, its dependencies and its start: a 256 px render's header
    /// line came 3.4 ms sooner with it, medians of ten launches each, alternating), so that the
    /// first product does not wait for it; the variables it reads must be set first.
    public static func openInBackground() {
        Thread.detachNewThread { _ = OpenBLAS.shared }
    }
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

/// The OpenBLAS functions the engine calls, looked up once in the library opened at first use. The engine cannot
/// run without them: a library that cannot be opened, or lacks one of them, stops the program with one line naming
/// it (as the dynamic loader did while the library was linked), not a crash report.
private struct OpenBLAS: @unchecked Sendable {
    let sgemm: @convention(c) (CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, Float,
                               UnsafePointer<Float>?, blasint, UnsafePointer<Float>?, blasint, Float,
                               UnsafeMutablePointer<Float>?, blasint) -> Void
    let ssyrk: @convention(c) (CBLAS_ORDER, CBLAS_UPLO, CBLAS_TRANSPOSE, blasint, blasint, Float, UnsafePointer<Float>?,
                               blasint, Float, UnsafeMutablePointer<Float>?, blasint) -> Void
    let dsdot: @convention(c) (blasint, UnsafePointer<Float>?, blasint, UnsafePointer<Float>?, blasint) -> Double
    let saxpy: @convention(c) (blasint, Float, UnsafePointer<Float>?, blasint, UnsafeMutablePointer<Float>?, blasint) -> Void
    let somatcopy: @convention(c) (CBLAS_ORDER, CBLAS_TRANSPOSE, blasint, blasint, Float, UnsafePointer<Float>?, blasint,
                                   UnsafeMutablePointer<Float>?, blasint) -> Void
    let coreName: @convention(c) () -> UnsafeMutablePointer<CChar>?
    let setThreadCount: @convention(c) (Int32) -> Void

    /// The library's names: Debian's alternatives link, then the unversioned name.
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so"]

    static let shared: OpenBLAS = {
        func stop(_ problem: String) -> Never {
            StandardError.writeLine("stylestudio: \(problem) (Debian's libopenblas0-pthread provides it)")
            exit(EXIT_FAILURE)
        }
        let library: SharedLibrary
        do { library = try SharedLibrary(firstOf: libraryNames) } catch { stop("\(error)") }
        func function<Function>(_ name: String) -> Function {
            guard let function: Function = library.function(name) else { stop("OpenBLAS has no \(name)") }
            return function
        }
        return OpenBLAS(sgemm: function("cblas_sgemm"), ssyrk: function("cblas_ssyrk"), dsdot: function("cblas_dsdot"),
                        saxpy: function("cblas_saxpy"), somatcopy: function("cblas_somatcopy"),
                        coreName: function("openblas_get_corename"), setThreadCount: function("openblas_set_num_threads"))
    }()
}
