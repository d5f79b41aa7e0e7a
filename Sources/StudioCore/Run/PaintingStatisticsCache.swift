import Foundation
import SafeIO
import StyleEngine
import SystemPackage

/// Paintings' statistics kept on disk between runs (see `PaintingStatisticsStore`), in
/// `~/.cache/stylestudio/paintings`: one file per painting at a working size, set of style layers, pooling, weights
/// file and build of this program, named by the SHA-256 of all of these (the painting by its pixels as the engine
/// sees them), `<64 hex digits>.stats`. A file is a 32-byte header (magic, format, float count, zero; little-endian
/// words) and the floats. Only the `capacity` most recently used files are kept (a file read is touched): 2.4 MB
/// each for the default layers.
///
/// The build is part of the key (the executable's device, inode, size and modification time), so statistics
/// computed by another build, whose kernels may round differently, are never used. Best effort throughout: a file
/// that is missing, short, of another format or unreadable is a miss, and a folder that cannot be written only
/// means the next run computes the statistics again.
public final class PaintingStatisticsCache: PaintingStatisticsStore {
    public let folder: FilePath
    public let capacity: Int
    /// This build's identity, hashed into every file name.
    private let buildIdentity: [UInt64]
    /// Where files are written, one after the other.
    private let writes = DispatchQueue(label: "stylestudio.painting-statistics", qos: .utility)

    static let magic: UInt64 = 0x5441_5453_5350_5353  // "SSPSSTAT" as little-endian bytes
    static let formatVersion: UInt64 = 1
    static let headerBytes = 32
    static let fileExtension = "stats"

    /// The cache of this user (`$XDG_CACHE_HOME/stylestudio/paintings`).
    public static let standard = PaintingStatisticsCache(folder: UserDirectories.folder(.cache).appending("paintings"))

    public convenience init(folder: FilePath, capacity: Int = 24) {
        let executable = (try? Stat("/proc/self/exe")).map { FileIdentity.versionWords(of: $0.rawValue) } ?? []
        self.init(folder: folder, capacity: capacity,
                  buildIdentity: Array(ProgramVersion.current.utf8).map(UInt64.init) + executable)
    }

    /// `buildIdentity` stands for the executable's (tests).
    init(folder: FilePath, capacity: Int = 24, buildIdentity: [UInt64]) {
        self.folder = folder
        self.capacity = max(capacity, 1)
        self.buildIdentity = buildIdentity
    }

    /// The file that holds (or would hold) the statistics for `key`.
    func path(for key: PaintingStatisticsKey) -> FilePath? {
        let words = [Self.magic, Self.formatVersion, UInt64(buildIdentity.count)] + buildIdentity + key.words
        let digest = words.map(\.littleEndian).withUnsafeBytes { words in
            key.painting.pixels.withUnsafeBytes { pixels in FileDigest.sha256(of: [words, pixels]) }
        }
        return digest.map { folder.appending("\($0).\(Self.fileExtension)") }
    }

    public func statistics(for key: PaintingStatisticsKey) -> [Float]? {
        let count = key.floatCount, size = Self.headerBytes + count * MemoryLayout<Float>.size
        // The project's one whole-file reader: regular files only (a FIFO under the name is refused, not waited on).
        guard let path = path(for: key), let bytes = try? WholeFile.read(path.string, limit: size), bytes.count == size
        else { return nil }
        let header = (0..<Self.headerBytes / 8).map { word in
            bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self)) }
        }
        guard header == [Self.magic, Self.formatVersion, UInt64(count), 0] else { return nil }
        var floats = [Float](repeating: 0, count: count)
        floats.withUnsafeMutableBytes { floats in
            bytes.withUnsafeBytes { floats.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Self.headerBytes...])) }
        }
        #if _endian(big)
        floats = floats.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        utimensat(AT_FDCWD, path.string, nil, 0)  // used now: the last to be pruned
        return floats
    }

    /// Lays out and writes in the background (`waitUntilKept` waits), off the way to the first evaluation: hashing
    /// the key again and writing 2.4 MB, and the fsync alone took 1.6 ms (`strace -T` of a start). A process that
    /// ends first leaves nothing (see `AtomicFile`).
    public func keep(_ statistics: @escaping @Sendable () -> [Float], for key: PaintingStatisticsKey) {
        writes.async {
            let floats = statistics()
            guard floats.count == key.floatCount else { return }
            self.write(floats, for: key)
        }
    }

    /// Returns once every `keep` before it has written its file (or given up).
    func waitUntilKept() { writes.sync {} }

    private func write(_ statistics: [Float], for key: PaintingStatisticsKey) {
        guard let path = path(for: key) else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder.string, withIntermediateDirectories: true)
            try AtomicFile.write(to: path) { descriptor in
                let header = [Self.magic, Self.formatVersion, UInt64(statistics.count), 0].map(\.littleEndian)
                _ = try header.withUnsafeBytes { try descriptor.writeAll($0) }
                #if _endian(big)
                let statistics = statistics.map { Float(bitPattern: $0.bitPattern.littleEndian) }
                #endif
                _ = try statistics.withUnsafeBytes { try descriptor.writeAll($0) }
            }
        } catch {
            return
        }
        prune()
    }

    /// Removes the least recently used files beyond `capacity` (only files this cache names).
    private func prune() {
        guard let entries = try? DirectoryListing.entries(in: folder.string) else { return }
        let files = entries.compactMap { entry -> (name: String, used: Double)? in
            guard let name = entry.name, Self.isCacheFileName(name), let status = entry.status(in: folder) else { return nil }
            return (name, Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
        }
        guard files.count > capacity else { return }
        for file in files.sorted(by: { $0.used > $1.used }).dropFirst(capacity) {
            unlink(folder.appending(file.name).string)
        }
    }

    /// `<64 lower-case hex digits>.stats`.
    static func isCacheFileName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[1] == fileExtension && parts[0].count == 64
            && parts[0].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
