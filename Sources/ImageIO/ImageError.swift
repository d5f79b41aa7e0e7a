import SafeIO

/// A failure to read or write an image file, described in one line that names the file and the problem,
/// e.g. `cannot read 'x.png': file is truncated (libpng: Read Error)`: SafeIO's file failure with the images' problems.
public typealias ImageError = FileOperationFailure<ImageProblem>

/// What stops an image file from being read or written (`ImageError`'s problems).
public enum ImageProblem: FileProblemDescribing {
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

    public var description: String {
        switch self {
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
