import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's one atomic writer: readers see the old file or the complete new one, never a part, and a
/// `kill -9` at any moment leaves nothing behind.
///
/// On Linux the bytes go to an unnamed `O_TMPFILE` in the destination's folder, which is fsynced and then given a
/// name with `linkat` through `/proc/self/fd`: a new name directly (so two writers cannot both create it), a
/// replacement through a hidden `.NAME.tmp-PID-N` that is renamed over the destination at once. Where `O_TMPFILE`
/// or `/proc` is missing, the bytes go to such a hidden name from the start. Either way every write first removes
/// hidden temporary files left in that folder by processes that no longer exist.
///
/// A symbolic link is written through (see `OutputTarget`); devices, FIFOs, sockets and folders are refused.
public enum AtomicFile {
    public enum Existing: Sendable {
        /// Replace an existing regular file, keeping its permissions.
        case replace
        /// Leave an existing file alone and throw `.alreadyExists`.
        case keep
    }

    /// Writes what `body` writes to the descriptor it is given (do not close it) to `path`, atomically.
    public static func write(to path: FilePath, ifExists existing: Existing = .replace,
                             _ body: (FileDescriptor) throws -> Void) throws {
        let file = try PendingAtomicFile(path, ifExists: existing)
        defer { file.discard() }
        try body(file.descriptor)
        try file.commit()
    }

    /// Whether a file can be created in `folder` now: creates an unnamed (or at once removed) temporary file.
    public static func checkCanCreate(in folder: FilePath, for path: FilePath) throws(FileFailure) {
        let file = try TemporaryFile(in: folder, for: path.lastComponent ?? "x", displayPath: path)
        file.discard()
    }

    /// Makes a rename durable (best effort: some file systems refuse fsync on folders).
    public static func syncFolder(_ folder: FilePath) {
        let folder = folder.isEmpty ? "." : folder
        guard let descriptor = try? FileDescriptor.open(folder, .readOnly, options: [.directory, .closeOnExec]) else { return }
        _ = try? descriptor.sync()
        _ = try? descriptor.close()
    }
}

extension FileDescriptor {
    func sync() throws(Errno) {
        while fsync(rawValue) != 0 {
            let number = Errno(rawValue: errno)
            if number != .interrupted { throw number }
        }
    }

    func setPermissions(_ permissions: FilePermissions) throws(Errno) {
        guard fchmod(rawValue, mode_t(permissions.rawValue)) == 0 else { throw Errno(rawValue: errno) }
    }
}
