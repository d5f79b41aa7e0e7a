import Dispatch
import Foundation

/// The engine's only parallelism: loops split over the machine's cores with GCD. OpenBLAS runs
/// single-threaded inside each worker (see `BLAS.useCallerThreadsOnly`), so no BLAS thread pool spins
/// against these loops.
enum ParallelLoop {
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Below this many iterations the loop runs on the calling thread.
    static let minimumParallelCount = 8

    /// Calls `body(index)` for every index in 0..<count; contiguous chunks, one per core.
    @inline(__always)
    static func run(count: Int, _ body: (Int) -> Void) {
        if count < minimumParallelCount || coreCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        runRanges(count: count) { _, range in
            for index in range { body(index) }
        }
    }

    /// Splits 0..<count into one contiguous range per worker and calls `body(worker, range)` for each,
    /// in parallel; `worker` is in 0..<coreCount, so per-worker scratch can be indexed by it.
    static func runRanges(count: Int, _ body: (Int, Range<Int>) -> Void) {
        let workers = min(coreCount, max(count, 1))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            // The ranges are disjoint and the call returns only when all are done.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let start = count * worker / workers, end = count * (worker + 1) / workers
                shared.value(worker, start..<end)
            }
        }
    }
}

/// Carries a value across a concurrency boundary the compiler cannot check (see the call sites).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
