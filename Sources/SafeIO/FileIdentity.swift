import SystemPackage

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
}
