#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with POSIX calls, so each failure gets its own clear problem.
enum FileBytes {
    static func read(path: String, displayPath: String) throws(ImageError) -> [UInt8] {
        func failure(_ problem: ImageError.Problem) -> ImageError {
            ImageError(path: displayPath, operation: .read, problem: problem)
        }
        // O_NONBLOCK: opening a FIFO must not hang; it is refused below as not a regular file.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure(problem(forErrorNumber: errno)) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(problem(forErrorNumber: errno)) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure(.isDirectory)
        default: throw failure(.notRegularFile)
        }
        let size = Int(status.st_size)
        guard size > 0 else { throw failure(.empty) }
        guard size <= ImageLimits.maximumFileSize else { throw failure(.fileTooLarge(bytes: size)) }

        var readErrorNumber: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
            var total = 0
            while total < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + total, size - total)
                if count < 0 {
                    if errno == EINTR { continue }
                    readErrorNumber = errno
                    break
                }
                if count == 0 { break }  // the file shrank while we read: the decoder reports the truncation
                total += count
            }
            initializedCount = total
        }
        if readErrorNumber != 0 { throw failure(problem(forErrorNumber: readErrorNumber)) }
        guard !bytes.isEmpty else { throw failure(.empty) }
        return bytes
    }

    static func problem(forErrorNumber number: Int32) -> ImageError.Problem {
        switch number {
        case ENOENT, ENOTDIR: return .fileNotFound
        case EACCES, EPERM: return .permissionDenied
        case EISDIR: return .isDirectory
        default: return .ioFailure(systemMessage(number))
        }
    }

    static func systemMessage(_ number: Int32) -> String {
        String(cString: strerror(number))
    }
}
