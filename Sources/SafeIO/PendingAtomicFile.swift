import SystemPackage

/// An atomic file that is written over time (an animation, frame by frame): the same temporary file, checks and
/// commit as `AtomicFile.write`, kept open between writes. `commit()` syncs it and gives it its name; dropping it
/// uncommitted, or `discard()`, leaves the destination as it was and nothing behind.
public final class PendingAtomicFile {
    public let path: FilePath
    private let target: OutputTarget
    private let file: TemporaryFile
    private var finished = false

    public init(_ path: FilePath) throws(FileFailure) {
        self.path = path
        target = try OutputTarget(path)
        if let status = target.existing, status.type != .regular {
            throw FileFailure(path: path.string, operation: .write,
                              problem: status.type == .directory
                                  ? .isDirectory : .notRegularFile(OutputTarget.kindName(status.type)))
        }
        guard let name = target.name else { throw FileFailure(path: path.string, operation: .write, problem: .isDirectory) }
        TemporaryNames.removeStale(in: target.folder)
        file = try TemporaryFile(in: target.folder, for: name, displayPath: path)
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
        do { try file.descriptor.sync() } catch { throw FileFailure(path, .write, (error as? Errno) ?? .ioError) }
        try file.commit(as: target.resolved, replacing: true, displayPath: path)
        AtomicFile.syncFolder(target.folder)
    }

    /// Closes and removes the temporary file (after `commit()`, only closes it).
    public func discard() {
        guard !finished else { return }
        finished = true
        file.discard()
    }
}
