import SystemPackage

/// Why a file cannot be read or written, for one clear line that names the file: `cannot write 'x.png': …`.
public typealias FileFailure = FileOperationFailure<FileProblem>

/// What the file system refuses (`FileFailure`'s problems).
public enum FileProblem: FileProblemDescribing {
    case fileNotFound
    case folderNotFound(String)
    case isDirectory
    /// A device, FIFO or socket where a regular file is needed; the associated value names the kind.
    case notRegularFile(String)
    case permissionDenied
    case alreadyExists
    /// The output is the same file (device and inode) as an input or another output, named by its role.
    case sameFile(as: String)
    case tooLarge(bytes: Int, limit: Int)
    case tooManySymbolicLinks
    case system(Errno)

    public var description: String {
        switch self {
        case .fileNotFound: "no such file"
        case .folderNotFound(let folder): "the folder '\(BoundedText.elided(folder))' does not exist"
        case .isDirectory: "it is a directory, not a file"
        case .notRegularFile(let kind): "it is \(kind), not a regular file"
        case .permissionDenied: "permission denied"
        case .alreadyExists: "it already exists"
        case .sameFile(let role): "it is the same file as the \(role)"
        case .tooLarge(let bytes, let limit): "the file is too large (\(bytes) bytes; the limit is \(limit) bytes)"
        case .tooManySymbolicLinks: "too many levels of symbolic links"
        case .system(let errno): errno.description
        }
    }
}

extension FileOperationFailure where Reason == FileProblem {
    init(_ path: FilePath, _ operation: Operation, _ errno: Errno) {
        self.init(path: path.string, operation: operation, problem: Self.problem(for: errno))
    }

    static func problem(for errno: Errno) -> Problem {
        switch errno {
        case .noSuchFileOrDirectory: .fileNotFound
        case .permissionDenied, .notPermitted: .permissionDenied
        case .isDirectory: .isDirectory
        case .fileExists: .alreadyExists
        case .tooManySymbolicLinkLevels: .tooManySymbolicLinks
        default: .system(errno)
        }
    }
}
