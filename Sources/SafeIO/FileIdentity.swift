import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What makes two paths the same file: device and inode (names can differ through links, `..`, bind mounts).
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    init(_ status: Stat) {
        device = UInt64(status.deviceID.rawValue)
        inode = UInt64(status.inode.rawValue)
    }

    /// The identity of the file `path` names (symbolic links followed), or nil when there is none.
    public init?(path: FilePath) {
        guard let status = try? Stat(path) else { return nil }
        self.init(status)
    }

    /// The file's identity and the version of its contents as the kernel records them, as words: device, inode,
    /// size and modification time (seconds, nanoseconds). What caches of results computed from a file are keyed
    /// by (the weights' prepared kernels and the paintings' statistics): replacing or rewriting the file changes them.
    public static func versionWords(of status: stat) -> [UInt64] {
        [UInt64(status.st_dev), UInt64(status.st_ino), UInt64(status.st_size),
         UInt64(bitPattern: Int64(status.st_mtim.tv_sec)), UInt64(bitPattern: Int64(status.st_mtim.tv_nsec))]
    }
}
