/// A failure to read or write one file, as one clear line that names it: `cannot write 'x.png': permission denied`.
/// `FileFailure` (what the file system refuses) and ImageIO's `ImageError` (that, and what is wrong with an image)
/// are this one shape with their own problems.
public struct FileOperationFailure<Reason: FileProblemDescribing>: Error, Equatable, Sendable, CustomStringConvertible {
    public typealias Operation = FileOperation
    public typealias Problem = Reason

    /// The path as the user gave it.
    public let path: String
    public let operation: Operation
    public let problem: Problem

    public init(path: String, operation: Operation, problem: Problem) {
        self.path = path
        self.operation = operation
        self.problem = problem
    }

    public var description: String {
        "cannot \(operation == .read ? "read" : "write") '\(BoundedText.elided(path))': \(problemDescription)"
    }

    /// The problem alone, e.g. `permission denied`.
    public var problemDescription: String { problem.description }
}

public enum FileOperation: Sendable { case read, write }

/// What went wrong with a file, described for the user (without the file's name).
public protocol FileProblemDescribing: Equatable, Sendable, CustomStringConvertible {}
