import Foundation

/// One iteration as the log records it: weighted losses evaluated at the start of the iteration.
public struct IterationRecord: Hashable, Sendable {
    public var iteration: Int
    public var losses: LossTerms
    /// Wall-clock seconds the iteration took (evaluation and optimizer step).
    public var seconds: Double

    public init(iteration: Int, losses: LossTerms, seconds: Double) {
        self.iteration = iteration
        self.losses = losses
        self.seconds = seconds
    }

    /// One JSON object on one line, keys `iteration`, `total`, `content`, `style`, `tv`, `seconds`.
    public var jsonLine: String {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        return "{\"iteration\":\(iteration),\"total\":\(number(losses.total)),\"content\":\(number(losses.content))," +
            "\"style\":\(number(losses.style)),\"tv\":\(number(losses.totalVariation)),\"seconds\":\(number(seconds))}"
    }
}

/// Appends iteration records to a file, one JSON object per line, flushed every line.
public final class IterationLog: @unchecked Sendable {
    private let handle: FileHandle
    public let url: URL

    public init(url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw StyleTransferError.cannotWriteLog(url.path)
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else { throw StyleTransferError.cannotWriteLog(url.path) }
        self.handle = handle
    }

    deinit { try? handle.close() }

    public func append(_ record: IterationRecord) {
        handle.write(Data((record.jsonLine + "\n").utf8))
    }
}
