import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks every output of a run passes before the first iteration, in one place for every writer (the
/// rendered image, `--log`, presets, the studio's save, time-lapse frames):
/// - an output is a regular file or a new name in an existing folder (a symbolic link is written through to
///   its target); a stream output (a log) may also be a FIFO or a terminal, never a folder;
/// - no output is the same file as an input or as another output (device and inode, not names);
/// - a file can be created in the output's folder now (not only after the whole run).
public struct OutputGuard: Sendable {
    public enum Kind: Sendable {
        /// Written atomically (temporary file, then rename): must be a regular file or a new name.
        case file
        /// Opened and written as it is (a log): a regular file, a new name, a FIFO, a terminal, a device.
        case stream
    }

    private struct Entry: Sendable {
        let role: String
        let identity: FileIdentity?
        /// For outputs that do not exist yet: the folder's identity and the name, to tell two new outputs apart.
        let newName: NewName?
    }

    private struct NewName: Hashable, Sendable {
        let folder: FileIdentity
        let name: String
    }

    private var inputs: [Entry] = []
    private var outputs: [Entry] = []

    public init() {}

    /// Records an input (`role` names it in messages: "content image"). Missing inputs are the reader's concern.
    public mutating func addInput(_ path: String, role: String) {
        inputs.append(Entry(role: role, identity: FileIdentity(path: FilePath(path)), newName: nil))
    }

    /// Checks one output and remembers it, so later outputs are compared with it too. With `createsFolders`
    /// (a preset in a user folder that is made on first save) a missing folder is fine if it can be made.
    public mutating func checkOutput(_ path: String, role: String, kind: Kind = .file,
                                     createsFolders: Bool = false) throws(FileFailure) {
        let filePath = FilePath(path)
        func refuse(_ problem: FileFailure.Problem) -> FileFailure {
            FileFailure(path: path, operation: .write, problem: problem)
        }
        guard !path.isEmpty else { throw refuse(.fileNotFound) }
        let target: OutputTarget
        do {
            target = try OutputTarget(filePath)
        } catch let failure where createsFolders {
            guard case .folderNotFound = failure.problem else { throw failure }
            var ancestor = filePath.removingLastComponent()
            while !ancestor.removingRoot().isEmpty, (try? Stat(ancestor)) == nil { ancestor.removeLastComponent() }
            try AtomicFile.checkCanCreate(in: ancestor.isEmpty ? "." : ancestor, for: filePath)
            outputs.append(Entry(role: role, identity: nil, newName: nil))
            return
        }
        var identity: FileIdentity? = nil
        var newName: NewName? = nil
        if let status = target.existing {
            let streamable: [FileType] = [.fifo, .characterSpecial, .socket]
            if status.type == .directory { throw refuse(.isDirectory) }
            guard status.type == .regular || (kind == .stream && streamable.contains(status.type)) else {
                throw refuse(.notRegularFile(OutputTarget.kindName(status.type)))
            }
            identity = FileIdentity(status)
            if let other = (inputs + outputs).first(where: { $0.identity == identity }) {
                throw refuse(.sameFile(as: other.role))
            }
            if kind == .stream || status.type != .regular {
                guard access(target.resolved.string, W_OK) == 0 else { throw refuse(FileFailure.problem(for: Errno(rawValue: errno))) }
            }
        } else if let folder = FileIdentity(path: target.folder), let name = target.name?.string {
            newName = NewName(folder: folder, name: name)
            if let other = outputs.first(where: { $0.newName == newName }) { throw refuse(.sameFile(as: other.role)) }
        }
        if kind == .file || target.existing == nil {
            try AtomicFile.checkCanCreate(in: target.folder, for: filePath)
        }
        outputs.append(Entry(role: role, identity: identity, newName: newName))
    }
}
