import SystemPackage

/// Where an output really goes. A symbolic link is written through: the file is replaced atomically in the
/// folder of the link's final target, and the link itself stays (so a link into a synced folder keeps working).
public struct OutputTarget: Sendable {
    /// The path as the user gave it (for messages).
    public let path: FilePath
    /// `path` with symbolic links in its last component followed (relative targets resolved against their link).
    public let resolved: FilePath
    /// The resolved path's status, or nil when it does not exist yet.
    public let existing: Stat?

    public var folder: FilePath {
        let folder = resolved.removingLastComponent()
        return folder.isEmpty ? "." : folder
    }

    public var name: FilePath.Component? { resolved.lastComponent }

    /// Follows the last component's symbolic links (at most 40, as the kernel does) without requiring the target
    /// to exist: a dangling link names the file to create.
    public init(_ path: FilePath, operation: FileFailure.Operation = .write) throws(FileFailure) {
        self.path = path
        var current = path
        for _ in 0..<40 {
            let status: Stat
            do {
                status = try Stat(current, followTargetSymlink: false)
            } catch .noSuchFileOrDirectory {
                resolved = current
                existing = nil
                try Self.checkFolder(of: current, for: path, operation)
                return
            } catch {
                throw FileFailure(path, operation, error)
            }
            guard status.type == .symbolicLink else {
                resolved = current
                existing = status
                return
            }
            let target: FilePath
            do { target = try Self.readLink(current) } catch { throw FileFailure(path, operation, error) }
            current = target.isAbsolute ? target : current.removingLastComponent().pushing(target)
        }
        throw FileFailure(path: path.string, operation: operation, problem: .tooManySymbolicLinks)
    }

    private static func checkFolder(of file: FilePath, for path: FilePath,
                                    _ operation: FileFailure.Operation) throws(FileFailure) {
        var folder = file.removingLastComponent()
        if folder.isEmpty { folder = "." }
        guard let status = try? Stat(folder) else {
            throw FileFailure(path: path.string, operation: operation, problem: .folderNotFound(folder.string))
        }
        guard status.type == .directory else {
            throw FileFailure(path: path.string, operation: operation, problem: .folderNotFound(folder.string))
        }
    }

    private static func readLink(_ link: FilePath) throws(Errno) -> FilePath {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = link.withPlatformString { readlink($0, &buffer, buffer.count - 1) }
        guard count >= 0 else { throw Errno(rawValue: errno) }
        buffer[count] = 0
        return FilePath(platformString: buffer)
    }

    /// "a FIFO", "a character device" … for messages.
    static func kindName(_ type: FileType) -> String {
        switch type {
        case .directory: "a directory"
        case .characterSpecial: "a character device"
        case .blockSpecial: "a block device"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .symbolicLink: "a symbolic link"
        default: "a special file"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
