import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hidden temporary names, `.NAME.tmp-PID-RANDOM`: the owner's process id is in the name, so a later write can
/// tell a temporary file of a killed writer (owner gone) from one being written right now.
enum TemporaryNames {
    static let marker = ".tmp-"

    static func name(for name: FilePath.Component) -> FilePath.Component {
        let base = String(name.string.prefix(60))
        return FilePath.Component(".\(base)\(marker)\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))")!
    }

    /// Linux with /proc: unnamed temporary files can be linked into place.
    static let procSelfFD: Bool = {
        #if os(Linux)
        return access("/proc/self/fd", X_OK) == 0
        #else
        return false
        #endif
    }()

    /// Removes `.NAME.tmp-PID-N` files in `folder` whose PID is not a running process. Best effort.
    static func removeStale(in folder: FilePath) {
        guard let entries = try? DirectoryListing.entries(in: folder.string) else { return }
        for entry in entries {
            guard let name = entry.name, let owner = owner(ofTemporaryName: name), owner != getpid(),
                  kill(owner, 0) != 0, errno == ESRCH else { continue }
            _ = folder.appending(name).withPlatformString { unlink($0) }
        }
    }

    /// The PID in a `.NAME.tmp-PID-HEX` name, or nil for any other name.
    static func owner(ofTemporaryName name: String) -> pid_t? {
        guard name.hasPrefix("."), let range = name.ranges(of: marker).last else { return nil }
        let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0,
              !parts[1].isEmpty, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return pid
    }
}
