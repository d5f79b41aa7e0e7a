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

    /// The whole file, refusing directories and files over `maximumFileSize`.
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw readError(path, errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw readError(path, errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw PresetError(.unreadable, path: path, message: "is a directory, not a preset file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw readError(path, errno)
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            if bytes.count > maximumFileSize {
                throw PresetError(.unreadable, path: path,
                                  message: "is too large for a preset (over \(maximumFileSize / 1024) KiB); is it really a preset file?")
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

    /// Writes `bytes` to `path` so that readers see either the old file or the complete new one, never a part.
    /// With `overwrite` false an existing file is left alone and `.alreadyExists` thrown.
    static func writeAtomically(_ bytes: [UInt8], to path: String, overwrite: Bool) throws {
        let temporary = try writeTemporary(bytes, nextTo: path)
        do {
            try commit(temporary, to: path, overwrite: overwrite)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Step one of an atomic write: the complete content in a hidden temporary file beside `path`, synced to disk.
    /// Until `commit`, `path` is untouched (tests stop here to simulate a crash).
    static func writeTemporary(_ bytes: [UInt8], nextTo path: String) throws -> String {
        let directory = directoryName(of: path)
        let base = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
        var descriptor: Int32 = -1
        var temporary = ""
        for _ in 0..<16 {  // O_EXCL: retry on the unlikely clash with another writer's name
            temporary = "\(directory)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw writeError(path, "cannot create a file in \(directory)", errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw writeError(path, "cannot write", code)
            }
            written += count
        }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw writeError(path, "cannot flush to disk", code)
        }
        if close(descriptor) != 0 {
            let code = errno
            unlink(temporary)
            throw writeError(path, "cannot write", code)
        }
        return temporary
    }

    /// Step two: moves the temporary file into place and syncs the directory so the rename itself is durable.
    static func commit(_ temporary: String, to path: String, overwrite: Bool) throws {
        if overwrite {
            guard rename(temporary, path) == 0 else { throw writeError(path, "cannot replace", errno) }
        } else if link(temporary, path) == 0 {
            // A hard link fails if the name exists, so two writers cannot both win.
            unlink(temporary)
        } else if errno == EEXIST {
            throw PresetError(.alreadyExists, path: path, message: "already exists")
        } else {
            // File systems without hard links: check, then rename.
            guard !exists(path) else { throw PresetError(.alreadyExists, path: path, message: "already exists") }
            guard rename(temporary, path) == 0 else { throw writeError(path, "cannot create", errno) }
        }
        syncDirectory(of: path)
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
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw PresetError(.unreadable, path: path, message: "cannot list the folder: \(errorText(errno))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Best effort: a directory that cannot be synced (some network file systems) is no reason to fail a save.
    private static func syncDirectory(of path: String) {
        let descriptor = open(directoryName(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func readError(_ path: String, _ code: Int32) -> PresetError {
        switch code {
        case ENOENT: PresetError(.fileNotFound, path: path, message: "no such file")
        case ENOTDIR: PresetError(.fileNotFound, path: path, message: "no such file (a part of the path is not a folder)")
        default: PresetError(.unreadable, path: path, message: "cannot read: \(errorText(code))")
        }
    }

    private static func writeError(_ path: String, _ action: String, _ code: Int32) -> PresetError {
        PresetError(.writeFailed, path: path, message: "\(action): \(errorText(code))")
    }
}
