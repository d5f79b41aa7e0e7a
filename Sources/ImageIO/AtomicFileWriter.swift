#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file all-or-nothing: the bytes go to a temporary file in the destination's directory, which is
/// flushed, fsynced and renamed over the destination. On any failure the temporary file is removed and an
/// existing destination is left untouched.
enum AtomicFileWriter {
    static func write(
        path: String, displayPath: String,
        _ body: (UnsafeMutablePointer<FILE>) throws(ImageError) -> Void
    ) throws(ImageError) {
        func failure(_ problem: ImageError.Problem) -> ImageError {
            ImageError(path: displayPath, operation: .write, problem: problem)
        }
        let (directory, name) = split(path)
        guard !name.isEmpty else { throw failure(.isDirectory) }

        var permissions: mode_t = 0o644
        var existing = stat()
        if stat(path, &existing) == 0 {
            if existing.st_mode & S_IFMT == S_IFDIR { throw failure(.isDirectory) }
            permissions = existing.st_mode & 0o7777
        }

        var template = Array("\(directory)/.\(name.prefix(60)).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            let number = errno
            switch number {
            case ENOENT, ENOTDIR: throw failure(.directoryNotFound)
            case EACCES, EPERM: throw failure(.permissionDenied)
            default: throw failure(.ioFailure(FileBytes.systemMessage(number)))
            }
        }
        let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }

        _ = fchmod(descriptor, permissions)
        guard let file = fdopen(descriptor, "wb") else {
            let number = errno
            close(descriptor)
            throw failure(.ioFailure(FileBytes.systemMessage(number)))
        }
        do throws(ImageError) {
            try body(file)
            guard fflush(file) == 0, fsync(fileno(file)) == 0 else {
                throw failure(.ioFailure(FileBytes.systemMessage(errno)))
            }
        } catch {
            fclose(file)
            throw error
        }
        guard fclose(file) == 0 else { throw failure(.ioFailure(FileBytes.systemMessage(errno))) }
        guard rename(temporaryPath, path) == 0 else {
            let number = errno
            throw failure(number == EISDIR ? .isDirectory : .ioFailure(FileBytes.systemMessage(number)))
        }
        renamed = true
        syncDirectory(directory)
    }

    /// "a/b/c.png" -> ("a/b", "c.png"); "c.png" -> (".", "c.png"); "/c.png" -> ("/", "c.png").
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Makes the rename durable (best effort: some file systems refuse fsync on directories).
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
