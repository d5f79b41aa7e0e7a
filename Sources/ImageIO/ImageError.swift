/// A failure to read or write an image file, described in one line that names the file and the problem,
/// e.g. `cannot read 'x.png': file is truncated (libpng: Read Error)`.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Operation: Sendable {
        case read
        case write
    }

    public enum Problem: Equatable, Sendable {
        case fileNotFound
        case directoryNotFound
        case isDirectory
        case notRegularFile
        case permissionDenied
        case empty
        case fileTooLarge(bytes: Int)
        /// Not PNG or JPEG, and not a format we can name either.
        case notAnImage
        /// A recognised format that is not supported (GIF, WebP, ...).
        case unsupportedFormat(String)
        case truncated(String)
        case corrupt(String)
        case unsupported(String)
        case dimensionsTooLarge(width: Int, height: Int)
        /// The caller asked for something impossible (e.g. a PNG bit depth the colour type does not allow).
        case invalidRequest(String)
        case ioFailure(String)
    }

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
        let verb = operation == .read ? "read" : "write"
        return "cannot \(verb) '\(path)': \(problemDescription)"
    }

    private var problemDescription: String {
        switch problem {
        case .fileNotFound:
            return "no such file"
        case .directoryNotFound:
            return "the directory does not exist"
        case .isDirectory:
            return "it is a directory, not an image file"
        case .notRegularFile:
            return "not a regular file"
        case .permissionDenied:
            return "permission denied"
        case .empty:
            return "file is empty"
        case .fileTooLarge(let bytes):
            return "file is too large (\(bytes) bytes; the limit is \(ImageLimits.maximumFileSize) bytes)"
        case .notAnImage:
            return "not a PNG or JPEG image"
        case .unsupportedFormat(let format):
            return "\(format) images are not supported (use PNG or JPEG)"
        case .truncated(let detail):
            return "file is truncated" + Self.parenthesized(detail)
        case .corrupt(let detail):
            return "image data is corrupt" + Self.parenthesized(detail)
        case .unsupported(let detail):
            return "unsupported image" + Self.parenthesized(detail)
        case .dimensionsTooLarge(let width, let height):
            return "image is too large (\(width)x\(height) pixels; the limit is \(ImageLimits.maximumSide) pixels "
                + "a side and \(ImageLimits.maximumPixelCount / 1_000_000) megapixels)"
        case .invalidRequest(let detail):
            return "invalid request" + Self.parenthesized(detail)
        case .ioFailure(let detail):
            return detail
        }
    }

    private static func parenthesized(_ detail: String) -> String {
        detail.isEmpty ? "" : " (\(detail))"
    }
}
