import SafeIO
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system calls presets need, with errors as `PresetError`s that name the file:
/// bounded reads, atomic writes (temporary file in the same directory, fsync, rename, fsync of the directory),
/// and removal.
enum PresetFiles {
    /// No preset is anywhere near this; a bigger file is not a preset.
    static let maximumFileSize = 1 << 20

    /// The whole file, refusing directories, devices and files over `maximumFileSize`.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try WholeFile.read(path, limit: maximumFileSize)
        } catch {
            switch error.problem {
            case .fileNotFound: throw PresetError(.fileNotFound, path: path, message: "no such file")
            case .isDirectory: throw PresetError(.unreadable, path: path, message: "is a directory, not a preset file")
            case .tooLarge:
                throw PresetError(.unreadable, path: path,
                                  message: "is too large for a preset (over \(maximumFileSize / 1024) KiB); is it really a preset file?")
            default: throw PresetError(.unreadable, path: path, message: "cannot read: \(error.problemDescription)")
            }
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the complete new one, never a part,
    /// through the project's one atomic writer (nothing is left behind, even after `kill -9`).
    /// With `overwrite` false an existing file is left alone and `.alreadyExists` thrown.
    static func writeAtomically(_ bytes: [UInt8], to path: String, overwrite: Bool) throws {
        do {
            try AtomicFile.write(to: FilePath(path), ifExists: overwrite ? .replace : .keep) { descriptor in
                _ = try descriptor.writeAll(bytes)
            }
        } catch let failure as FileFailure {
            if failure.problem == .alreadyExists { throw PresetError(.alreadyExists, path: path, message: "already exists") }
            throw PresetError(.writeFailed, path: path, message: "cannot write: \(failure.problemDescription)")
        } catch let error as Errno {
            throw PresetError(.writeFailed, path: path, message: "cannot write: \(error)")
        }
    }

    /// Removes the file and syncs its directory.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw writeError(path, "cannot delete", errno) }
        syncDirectory(of: path)
    }

    /// Creates `path` and its missing parents.
    static func createDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if isDirectory(current) { continue }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw writeError(path, "cannot create the folder \(current)", errno)
            }
        }
    }

    /// The names in a directory (without `.` and `..`); nil when it does not exist.
    static func directoryEntries(_ path: String) throws -> [String]? {
        do {
            return try DirectoryListing.entries(in: path)?.map(\.displayName)
        } catch {
            throw PresetError(.unreadable, path: path, message: "cannot list the folder: \(error.problemDescription)")
        }
    }

    /// Best effort: a directory that cannot be synced (some network file systems) is no reason to fail a save.
    private static func syncDirectory(of path: String) {
        AtomicFile.syncFolder(FilePath(path).removingLastComponent())
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func writeError(_ path: String, _ action: String, _ code: Int32) -> PresetError {
        PresetError(.writeFailed, path: path, message: "\(action): \(errorText(code))")
    }
}
