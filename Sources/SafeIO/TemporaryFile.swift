import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file an atomic write fills before it gets its real name: unnamed (`O_TMPFILE`) where the system allows,
/// else a hidden `.NAME.tmp-PID-N` beside the destination.
final class TemporaryFile {
    let descriptor: FileDescriptor
    private let folder: FilePath
    private let name: FilePath.Component
    /// The hidden name while the file has one; nil for an unnamed file.
    private var temporaryPath: FilePath?
    private var open = true

    #if os(Linux)
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`, the same on every Linux architecture Swift runs on): a macro
    /// Swift does not import.
    static let unnamedFile: Int32 = 0o20_000_000 | O_DIRECTORY
    #endif

    init(in folder: FilePath, for name: FilePath.Component, displayPath: FilePath) throws(FileFailure) {
        self.folder = folder
        self.name = name
        #if os(Linux)
        if TemporaryNames.procSelfFD {
            let descriptor = folder.withPlatformString { Glibc.open($0, Self.unnamedFile | O_WRONLY | O_CLOEXEC, 0o644) }
            if descriptor >= 0 {
                self.descriptor = FileDescriptor(rawValue: descriptor)
                return
            }
            let number = Errno(rawValue: errno)
            // EOPNOTSUPP/EISDIR/EINVAL: this file system or kernel has no O_TMPFILE; use a name instead.
            if ![Errno.notSupported, .isDirectory, .invalidArgument, .notSupportedOnSocket].contains(number) {
                throw Self.failure(number, folder: folder, displayPath: displayPath)
            }
        }
        #endif
        var lastError = Errno.fileExists
        for _ in 0..<16 {
            let path = folder.appending(TemporaryNames.name(for: name))
            do {
                descriptor = try FileDescriptor.open(path, .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                                     permissions: [.ownerReadWrite, .groupRead, .otherRead])
                temporaryPath = path
                return
            } catch let error as Errno {
                lastError = error
                if error != .fileExists { break }
            } catch {
                break
            }
        }
        throw Self.failure(lastError, folder: folder, displayPath: displayPath)
    }

    private static func failure(_ number: Errno, folder: FilePath, displayPath: FilePath) -> FileFailure {
        switch number {
        case .noSuchFileOrDirectory, .notDirectory:
            FileFailure(path: displayPath.string, operation: .write, problem: .folderNotFound(folder.string))
        default:
            FileFailure(displayPath, .write, number)
        }
    }

    /// Gives the complete, synced file its real name: replacing what is there, or only if the name is free.
    func commit(as destination: FilePath, replacing: Bool, displayPath: FilePath) throws(FileFailure) {
        func failure(_ number: Errno) -> FileFailure { FileFailure(displayPath, .write, number) }
        if temporaryPath == nil {
            let source = "/proc/self/fd/\(descriptor.rawValue)"
            if replacing {
                // linkat cannot replace: a hidden name for an instant, then rename over the destination.
                var linked = false
                for _ in 0..<16 where !linked {
                    let path = folder.appending(TemporaryNames.name(for: name))
                    if Self.link(source, path) == 0 { temporaryPath = path; linked = true; break }
                    if errno != EEXIST { throw failure(Errno(rawValue: errno)) }
                }
                guard linked else { throw failure(.fileExists) }
            } else {
                guard Self.link(source, destination) == 0 else { throw failure(Errno(rawValue: errno)) }
                return
            }
        }
        guard let temporaryPath else { return }
        if replacing {
            let result = temporaryPath.withPlatformString { from in destination.withPlatformString { rename(from, $0) } }
            guard result == 0 else { throw failure(Errno(rawValue: errno)) }
        } else {
            // A hard link fails if the name exists, so two writers cannot both win.
            let result = temporaryPath.withPlatformString { from in destination.withPlatformString { Glibc.link(from, $0) } }
            guard result == 0 else { throw failure(Errno(rawValue: errno)) }
            _ = temporaryPath.withPlatformString { unlink($0) }
        }
        self.temporaryPath = nil
    }

    private static func link(_ procPath: String, _ destination: FilePath) -> Int32 {
        destination.withPlatformString { linkat(AT_FDCWD, procPath, AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }
    }

    /// Closes the descriptor and removes the hidden name if the file still has one (after a failure).
    func discard() {
        if let temporaryPath { _ = temporaryPath.withPlatformString { unlink($0) } }
        temporaryPath = nil
        if open { _ = try? descriptor.close() }
        open = false
    }
}
