import Dispatch
import Foundation

/// Splits an elementwise loop over the machine's cores. The body gets one index at a time;
/// indices are handed out in contiguous chunks, one chunk per core.
enum ParallelLoop {
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Below this many iterations the loop runs on the calling thread.
    static let minimumParallelCount = 8

    @inline(__always)
    static func run(count: Int, _ body: (Int) -> Void) {
        if count < minimumParallelCount || coreCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        let chunks = min(coreCount, count)
        withoutActuallyEscaping(body) { body in
            // The chunks touch disjoint memory and the call returns only when all are done.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                for index in start..<end { shared.value(index) }
            }
        }
    }
}

/// Carries a value across a concurrency boundary the compiler cannot check (see the call sites).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
