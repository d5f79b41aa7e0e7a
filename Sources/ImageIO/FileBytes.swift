import SafeIO

/// Reads a whole image file through the project's one whole-file reader, with each failure as its `ImageError`.
enum FileBytes {
    static func read(path: String, displayPath: String) throws(ImageError) -> [UInt8] {
        func failure(_ problem: ImageError.Problem) -> ImageError {
            ImageError(path: displayPath, operation: .read, problem: problem)
        }
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path, limit: ImageLimits.maximumFileSize)
        } catch {
            switch error.problem {
            case .fileNotFound, .folderNotFound: throw failure(.fileNotFound)
            case .isDirectory: throw failure(.isDirectory)
            case .notRegularFile: throw failure(.notRegularFile)
            case .permissionDenied: throw failure(.permissionDenied)
            case .tooLarge(let bytes, _): throw failure(.fileTooLarge(bytes: bytes))
            default: throw failure(.ioFailure(error.problemDescription))
            }
        }
        guard !bytes.isEmpty else { throw failure(.empty) }
        return bytes
    }
}
