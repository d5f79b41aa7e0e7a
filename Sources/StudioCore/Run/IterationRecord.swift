import Foundation
import SystemPackage

/// One iteration as the log records it: the weighted losses of the point the iteration reached (iteration 0:
/// the start image), and what reaching it cost (see `StyleTransfer.step`).
public struct IterationRecord: Hashable, Sendable {
    /// Optimizer steps taken to reach this point (0: the start image).
    public var iteration: Int
    public var losses: LossTerms
    /// Wall-clock seconds the iteration took (every evaluation in it and the optimizer's own work).
    public var seconds: Double
    /// Objective evaluations (forward and backward passes) made during this iteration, not cumulative:
    /// iteration 0's single evaluation of the start image; then each step's (line-search trials included,
    /// and the evaluation of x under new settings after a change). Their sum over a run is the run's total.
    public var evaluations: Int

    public init(iteration: Int, losses: LossTerms, seconds: Double, evaluations: Int = 1) {
        self.iteration = iteration
        self.losses = losses
        self.seconds = seconds
        self.evaluations = evaluations
    }

    /// One JSON object on one line, keys `iteration`, `total`, `content`, `style`, `tv`, `seconds`, `evaluations`.
    public var jsonLine: String {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        return "{\"iteration\":\(iteration),\"total\":\(number(losses.total)),\"content\":\(number(losses.content))," +
            "\"style\":\(number(losses.style)),\"tv\":\(number(losses.totalVariation)),\"seconds\":\(number(seconds)),\"evaluations\":\(evaluations)}"
    }
}

/// Writes iteration records to a file, one JSON object per line, each line written at once. The path is
/// opened as given (truncated, created if needed): a FIFO, a terminal or `/dev/stdout` work, and a symbolic
/// link is followed, never replaced. Check it with `OutputGuard` (kind `.stream`) before the run.
public final class IterationLog: Sendable {  // one descriptor; each line is one write(2)
    private let descriptor: FileDescriptor
    public let url: URL

    public init(url: URL) throws {
        self.url = url
        do {
            descriptor = try FileDescriptor.open(FilePath(url.path), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                                 permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw StyleTransferError.cannotWriteLog(url.path, "\(error)")
        }
    }

    deinit { _ = try? descriptor.close() }

    public func append(_ record: IterationRecord) throws { try append(line: record.jsonLine) }

    /// Appends one line (a newline is added).
    public func append(line: String) throws {
        do {
            _ = try descriptor.writeAll(Array((line + "\n").utf8))
        } catch {
            throw StyleTransferError.cannotWriteLog(url.path, "\(error)")
        }
    }
}
