import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Work on an image's rows (or on several files) split over the machine's cores with GCD: the resampler's
/// two passes and the reading of a run's images. Each part is computed as a serial loop would compute it, so
/// results never depend on the split. Below `minimumWork` (multiply-adds, say) a split costs more than it
/// saves and the work stays on the calling thread.
enum RowSplit {
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Work below which rows are not split (about 0.2 ms on one core).
    static let minimumWork = 400_000

    /// Calls `body(rows)` for contiguous ranges covering 0..<count, in parallel when `work` (for all rows) is
    /// large enough; returns when all are done.
    static func run(count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let parts = work < minimumWork ? 1 : min(coreCount, count)
        guard parts > 1 else { return body(0..<count) }
        withoutActuallyEscaping(body) { body in
            // The ranges are disjoint and concurrentPerform returns only when every part is done.
            let shared = UncheckedSendableBody(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                shared.body(count * part / parts ..< count * (part + 1) / parts)
            }
        }
    }

    /// `run`, with `scratch` floats of a part's own for each part (a row being resampled, a ring of rows).
    static func run(count: Int, work: Int, scratch: Int,
                    _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        run(count: count, work: work) { part in
            var floats = [Float](repeating: 0, count: max(scratch, 1))
            floats.withUnsafeMutableBufferPointer { body(part, $0.baseAddress!) }
        }
    }

    /// The parts' closure, which writes to disjoint parts of its caller's buffers.
    private struct UncheckedSendableBody: @unchecked Sendable {
        let body: (Range<Int>) -> Void
        init(_ body: @escaping (Range<Int>) -> Void) { self.body = body }
    }
}
