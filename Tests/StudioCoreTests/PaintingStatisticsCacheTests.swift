import Foundation
import StyleEngine
import SystemPackage
import Testing
import TestSupport
@testable import StudioCore

/// The paintings' statistics kept on disk between runs: what is kept is read back exactly, under its own key only;
/// every damaged file is a miss; the folder keeps the most recently used files; an unwritable folder is no error.
@Suite("Paintings' statistics cache")
struct PaintingStatisticsCacheTests {
    static let block1 = VGGLayer(name: "block1_conv1")!, block2 = VGGLayer(name: "block2_conv1")!

    static func key(seed: UInt64 = 1, layers: Set<VGGLayer> = [block1, block2], identity: [UInt64] = [7, 8, 9]) -> PaintingStatisticsKey {
        let pixels = (0..<(20 * 16 * 3)).map { Float(($0 * 7 + Int(seed) * 13) % 255) - 120 }
        return PaintingStatisticsKey(painting: EngineImage(pixels: pixels, width: 20, height: 16), layers: layers,
                                     pooling: .max, weightsIdentity: identity)
    }

    static func statistics(for key: PaintingStatisticsKey, seed: Float = 1) -> [Float] {
        (0..<key.floatCount).map { Float($0 % 1000) * 0.001 * seed - 0.25 }
    }

    @Test func keptStatisticsReadBackExactlyUnderTheirKeyOnly() throws {
        let folder = try TemporaryFolder("statistics-cache")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.appendingPathComponent("paintings").path))
        let key = Self.key()
        #expect(cache.statistics(for: key) == nil)
        let statistics = Self.statistics(for: key)
        cache.keep({ statistics }, for: key)
        cache.waitUntilKept()
        #expect(cache.statistics(for: key) == statistics)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder.string)
        #expect(names.count == 1 && PaintingStatisticsCache.isCacheFileName(names[0]))
        #expect(cache.path(for: key)?.lastComponent?.string == names.first)
        // Another painting, other layers, other weights: misses.
        for other in [Self.key(seed: 2), Self.key(layers: [Self.block1]), Self.key(identity: [7, 8, 10])] {
            #expect(cache.path(for: other) != cache.path(for: key))
            #expect(cache.statistics(for: other) == nil)
        }
        // Statistics of the wrong size are not kept.
        cache.keep({ Array(statistics.dropLast()) }, for: Self.key(seed: 3))
        cache.waitUntilKept()
        #expect(cache.statistics(for: Self.key(seed: 3)) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.folder.string).count == 1)
    }

    /// `keep` returns before the statistics are laid out: that happens on the cache's writer, off the way to the
    /// first evaluation. (Laid out on the caller's thread, the layout would wait for a signal sent only after
    /// `keep` returned, and give up.)
    @Test func theStatisticsAreLaidOutAfterKeepReturns() throws {
        let folder = try TemporaryFolder("statistics-cache")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.path))
        let key = Self.key(), statistics = Self.statistics(for: key)
        let keepReturned = DispatchSemaphore(value: 0)
        cache.keep({
            guard keepReturned.wait(timeout: .now() + 5) == .success else { return [] }
            return statistics
        }, for: key)
        keepReturned.signal()
        cache.waitUntilKept()
        let kept = cache.statistics(for: key) == statistics  // (a failure names no 20,000 floats)
        #expect(kept, "laid out before keep returned")
    }

    /// Another build of the program (another executable) never reads what this one kept.
    @Test func theBuildIsPartOfTheKey() throws {
        let folder = try TemporaryFolder("statistics-cache")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.path))
        let otherBuild = PaintingStatisticsCache(folder: FilePath(folder.url.path), buildIdentity: [1, 2, 3])
        let key = Self.key()
        #expect(cache.path(for: key) != otherBuild.path(for: key))
        cache.keep({ Self.statistics(for: key) }, for: key)
        cache.waitUntilKept()
        #expect(otherBuild.statistics(for: key) == nil)
    }

    @Test(arguments: ["truncated", "longer", "magic", "format", "count", "folder", "empty", "fifo"])
    func aDamagedFileIsAMiss(damage: String) throws {
        let folder = try TemporaryFolder("statistics-cache")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.path))
        let key = Self.key()
        cache.keep({ Self.statistics(for: key) }, for: key)
        cache.waitUntilKept()
        let path = cache.path(for: key)!.string
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "truncated": bytes.removeLast(4)
        case "longer": bytes += [0, 0, 0, 0]
        case "magic": bytes[0] ^= 1
        case "format": bytes[8] = 2
        case "count": bytes[16] ^= 1
        case "empty": bytes = []
        default: break
        }
        try FileManager.default.removeItem(atPath: path)
        if damage == "folder" {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } else if damage == "fifo" {
            #expect(mkfifo(path, 0o600) == 0)  // no writer: a blocking open would wait for ever
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        #expect(cache.statistics(for: key) == nil)
    }

    /// Only the `capacity` most recently used files stay; reading a file counts as using it.
    @Test func theMostRecentlyUsedFilesAreKept() throws {
        let folder = try TemporaryFolder("statistics-cache")
        try folder.write(Data("not ours".utf8), to: "notes.txt")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.path), capacity: 3)
        let keys = (1...5).map { Self.key(seed: UInt64($0)) }
        for key in keys.prefix(3) {
            cache.keep({ Self.statistics(for: key) }, for: key)
            cache.waitUntilKept()
            usleep(20_000)  // distinct modification times
        }
        #expect(cache.statistics(for: keys[0]) != nil)  // used: now the most recent
        usleep(20_000)
        for key in keys.suffix(2) {
            cache.keep({ Self.statistics(for: key) }, for: key)
            cache.waitUntilKept()
            usleep(20_000)
        }
        #expect(cache.statistics(for: keys[0]) != nil)
        #expect(cache.statistics(for: keys[1]) == nil && cache.statistics(for: keys[2]) == nil)
        #expect(cache.statistics(for: keys[3]) != nil && cache.statistics(for: keys[4]) != nil)
        #expect(try folder.contents().contains("notes.txt"))
    }

    @Test func aFolderThatCannotBeMadeIsNoError() throws {
        let folder = try TemporaryFolder("statistics-cache")
        let file = try folder.write(Data("a file".utf8), to: "plain")
        let cache = PaintingStatisticsCache(folder: FilePath(file.appendingPathComponent("paintings").path))
        let key = Self.key()
        cache.keep({ Self.statistics(for: key) }, for: key)
        cache.waitUntilKept()
        #expect(cache.statistics(for: key) == nil)
    }
}

/// A run whose painting's statistics come from the cache is the run that computed them: the same losses and
/// steps, bit for bit; and the cache holds one file per painting and size (every colour mode keyed by the
/// pixels the engine sees).
@Suite("Runs with the paintings' statistics cache", .serialized)
struct PaintingStatisticsCacheRunTests {
    @Test func aRunFromKeptStatisticsIsTheRunThatKeptThem() throws {
        let folder = try TemporaryFolder("statistics-cache")
        let cache = PaintingStatisticsCache(folder: FilePath(folder.url.path))
        let (content, style) = try StyleSessionTests.images()
        let weights = try StyleSessionTests.weights()
        func losses(size: Int, color: ColorMode = .original, store: PaintingStatisticsCache?) throws -> [Double] {
            var settings = StyleSettings()
            settings.size = size
            settings.color = color
            let transfer = try StyleTransfer(weights: weights, content: content, style: style, settings: settings,
                                             statisticsStore: store)
            return try (0..<3).map { _ in try transfer.step().losses.total }
        }
        let computed = try losses(size: 64, store: nil)
        #expect(try folder.contents().isEmpty)
        let keeping = try losses(size: 64, store: cache)
        cache.waitUntilKept()
        #expect(try folder.contents().count == 1)
        let kept = try losses(size: 64, store: cache)
        cache.waitUntilKept()
        #expect(keeping == computed && kept == computed, "\(computed) \(keeping) \(kept)")
        #expect(try folder.contents().count == 1)
        // Another size and another colour mode (the painting recoloured to the photo's): their own files.
        _ = try losses(size: 48, store: cache)
        _ = try losses(size: 64, color: .match, store: cache)
        cache.waitUntilKept()
        #expect(try folder.contents().count == 3)
    }
}
