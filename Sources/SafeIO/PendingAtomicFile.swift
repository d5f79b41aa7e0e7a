import SystemPackage

/// An atomic file being written (see `AtomicFile` for how): `AtomicFile.write` fills one in one go, an animation
/// keeps one open while its frames arrive. `commit()` syncs it and gives it its name; dropping it uncommitted, or
/// `discard()`, leaves the destination as it was and nothing behind.
public final class PendingAtomicFile {
    public let path: FilePath
    private let target: OutputTarget
    private let file: TemporaryFile
    private let replacing: Bool
    private var finished = false

    /// Checks the destination (a regular file or a new name; with `.keep`, only a new name) and opens the
    /// temporary file in its folder, after removing hidden temporaries of writers that no longer exist.
    public init(_ path: FilePath, ifExists existing: AtomicFile.Existing = .replace) throws(FileFailure) {
        self.path = path
        replacing = existing == .replace
        target = try OutputTarget(path)
        if let status = target.existing {
            guard status.type == .regular else {
                throw FileFailure(path: path.string, operation: .write,
                                  problem: status.type == .directory
                                      ? .isDirectory : .notRegularFile(OutputTarget.kindName(status.type)))
            }
            guard replacing else { throw FileFailure(path: path.string, operation: .write, problem: .alreadyExists) }
        }
        guard let name = target.name else { throw FileFailure(path: path.string, operation: .write, problem: .isDirectory) }
        TemporaryNames.removeStale(in: target.folder)
        file = try TemporaryFile(in: target.folder, for: name, displayPath: path)
        // A replaced file keeps its permissions.
        if let permissions = target.existing?.permissions { _ = try? file.descriptor.setPermissions(permissions) }
    }

    deinit { discard() }

    /// The open temporary file (do not close it).
    public var descriptor: FileDescriptor { file.descriptor }

    /// Appends bytes at the current position.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileFailure) {
        do { _ = try file.descriptor.writeAll(bytes) } catch { throw FileFailure(path, .write, (error as? Errno) ?? .ioError) }
    }

    /// Makes the file durable and puts it in place of the destination.
    public func commit() throws(FileFailure) {
        guard !finished else { return }
        defer { discard() }
        do { try file.descriptor.sync() } catch { throw FileFailure(path, .write, error) }
        try file.commit(as: target.resolved, replacing: replacing, displayPath: path)
        AtomicFile.syncFolder(target.folder)
    }

    /// Closes and removes the temporary file (after `commit()`, only closes it).
    public func discard() {
        guard !finished else { return }
        finished = true
        file.discard()
    }
}
