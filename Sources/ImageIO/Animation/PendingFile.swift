#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written over time in place of `path`: the bytes go to a hidden temporary file in the same folder
/// (so the final rename cannot cross file systems), `commit()` fsyncs it and renames it over the destination,
/// and `discard()` (or dropping an uncommitted file) removes it. Readers never see a half-written file.
/// `AtomicFileWriter` does the same for a file written in one go; this one stays open while frames arrive.
final class PendingFile {
    let path: String
    let displayPath: String
    let temporaryPath: String
    /// Open for writing until `commit()` or `discard()`.
    let descriptor: Int32
    private var finished = false

    init(path: String, displayPath: String) throws(ImageError) {
        self.path = path
        self.displayPath = displayPath
        let (directory, name) = AtomicFileWriter.split(path)
        guard !name.isEmpty else { throw ImageError(path: displayPath, operation: .write, problem: .isDirectory) }
        var existing = stat()
        if stat(path, &existing) == 0, existing.st_mode & S_IFMT == S_IFDIR {
            throw ImageError(path: displayPath, operation: .write, problem: .isDirectory)
        }
        var template = Array("\(directory)/.\(name.prefix(60)).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            let number = errno
            let problem: ImageError.Problem = switch number {
            case ENOENT, ENOTDIR: .directoryNotFound
            case EACCES, EPERM: .permissionDenied
            default: .ioFailure(FileBytes.systemMessage(number))
            }
            throw ImageError(path: displayPath, operation: .write, problem: problem)
        }
        _ = fchmod(descriptor, 0o644)
        self.descriptor = descriptor
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { discard() }

    /// Appends bytes at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ImageError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(FileBytes.systemMessage(errno))
            }
            offset += written
        }
    }

    /// Makes the file durable and puts it in place of the destination.
    func commit() throws(ImageError) {
        guard !finished else { return }
        guard fsync(descriptor) == 0 else {
            let message = FileBytes.systemMessage(errno)
            discard()
            throw failure(message)
        }
        close(descriptor)
        finished = true
        guard rename(temporaryPath, path) == 0 else {
            let message = FileBytes.systemMessage(errno)
            unlink(temporaryPath)
            throw failure(message)
        }
    }

    /// Removes the temporary file; the destination is left as it was.
    func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporaryPath)
    }

    func failure(_ message: String) -> ImageError {
        ImageError(path: displayPath, operation: .write, problem: .ioFailure(message))
    }
}
