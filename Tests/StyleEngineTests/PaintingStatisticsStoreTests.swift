import Synchronization
import Testing
@testable import StyleEngine

/// Paintings' statistics read from a store instead of computed (`StyleTargets` with a `PaintingStatisticsStore`).
@Suite("Paintings' statistics from a store", .serialized)
struct PaintingStatisticsStoreTests {
    /// A store in memory that records what it is asked and offered; `served` rewrites what it hands back.
    final class RecordingStore: PaintingStatisticsStore {
        struct Entry { let words: [UInt64]; let pixels: [Float]; let statistics: [Float] }
        struct State { var entries: [Entry] = []; var lookups: [[UInt64]] = []; var offers = 0 }
        let state = Mutex(State())
        let served: @Sendable ([Float]) -> [Float]

        init(served: @escaping @Sendable ([Float]) -> [Float] = { $0 }) { self.served = served }

        func statistics(for key: PaintingStatisticsKey) -> [Float]? {
            state.withLock { state in
                state.lookups.append(key.words)
                return state.entries.first { $0.words == key.words && $0.pixels == key.painting.pixels }
                    .map { served($0.statistics) }
            }
        }

        func keep(_ statistics: @escaping @Sendable () -> [Float], for key: PaintingStatisticsKey) {
            let statistics = statistics()
            state.withLock { state in
                state.offers += 1
                state.entries.append(Entry(words: key.words, pixels: key.painting.pixels, statistics: statistics))
            }
        }
    }

    static func targets(_ weights: VGG19Weights, settings: ObjectiveSettings = ObjectiveSettings(),
                        store: (any PaintingStatisticsStore)?) throws -> StyleTargets {
        let content = try ReferenceTests.engineImage("content.png"), style = try ReferenceTests.engineImage("style.png")
        return StyleTargets(weights: weights, settings: settings,
                            content: EngineImage(pixels: content.pixels, width: content.width, height: content.height),
                            styles: [EngineImage(pixels: style.pixels, width: style.width, height: style.height)],
                            statisticsStore: store)
    }

    /// Where two arrays first differ (index and values), nil when they are equal: a short message for a failure.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> String? {
        guard a.count == b.count else { return "\(a.count) floats against \(b.count)" }
        return a.indices.first { a[$0].bitPattern != b[$0].bitPattern }.map { "[\($0)]: \(a[$0]) against \(b[$0])" }
    }

    @Test func keptStatisticsAreTheComputedOnesBitForBit() throws {
        let weights = try ReferenceTests.loadWeights()
        let computed = try Self.targets(weights, store: nil)
        let store = RecordingStore()
        let first = try Self.targets(weights, store: store)
        let kept = store.state.withLock { $0.entries }
        #expect(kept.count == 1 && store.state.withLock { $0.offers } == 1)
        let layers = ObjectiveSettings().styleLayers.map(\.layer)
        #expect(kept.first?.statistics.count == layers.reduce(0) { $0 + $1.outputChannels * ($1.outputChannels + 1) })
        // From the store: the same Gram matrices as computed, and nothing offered again.
        let second = try Self.targets(weights, store: store)
        #expect(store.state.withLock { $0.offers } == 1 && store.state.withLock { $0.lookups.count } == 2)
        for layer in layers {
            #expect(Self.firstDifference(first.styleGrams[layer]!.array, computed.styleGrams[layer]!.array) == nil, "\(layer.name)")
            #expect(Self.firstDifference(second.styleGrams[layer]!.array, computed.styleGrams[layer]!.array) == nil, "\(layer.name)")
        }
    }

    @Test func theStoreIsReadNotRecomputed() throws {
        let weights = try ReferenceTests.loadWeights()
        let computed = try Self.targets(weights, store: nil)
        let store = RecordingStore(served: { $0.map { 2 * $0 } })
        _ = try Self.targets(weights, store: store)
        let served = try Self.targets(weights, store: store)
        for layer in ObjectiveSettings().styleLayers.map(\.layer) {
            #expect(Self.firstDifference(served.styleGrams[layer]!.array, computed.styleGrams[layer]!.array.map { 2 * $0 }) == nil,
                    "\(layer.name)")
        }
    }

    /// What a store hands back that cannot be the statistics (another size, a value that is not finite) is
    /// ignored: the statistics are computed again.
    @Test(arguments: ["short", "nan", "infinity"])
    func unusableStatisticsAreComputedAgain(damage: String) throws {
        let weights = try ReferenceTests.loadWeights()
        let computed = try Self.targets(weights, store: nil)
        let store = RecordingStore(served: { statistics in
            var damaged = statistics
            switch damage {
            case "short": damaged.removeLast()
            case "nan": damaged[damaged.count / 2] = .nan
            default: damaged[7] = .infinity
            }
            return damaged
        })
        _ = try Self.targets(weights, store: store)
        let again = try Self.targets(weights, store: store)
        #expect(store.state.withLock { $0.offers } == 2)
        for layer in ObjectiveSettings().styleLayers.map(\.layer) {
            #expect(Self.firstDifference(again.styleGrams[layer]!.array, computed.styleGrams[layer]!.array) == nil, "\(layer.name)")
        }
    }

    /// The key changes with everything the statistics depend on; weights made in memory have no identity to key
    /// by, so the store is not used at all.
    @Test func theKeyCoversWhatTheStatisticsDependOn() throws {
        let block1 = VGGLayer(name: "block1_conv1")!, block3 = VGGLayer(name: "block3_conv1")!
        let painting = EngineImage(pixels: [Float](repeating: 1, count: 32 * 24 * 3), width: 32, height: 24)
        let base = PaintingStatisticsKey(painting: painting, layers: [block1, block3], pooling: .max,
                                         weightsIdentity: [1, 2, 3])
        let variants = [
            PaintingStatisticsKey(painting: EngineImage(pixels: painting.pixels, width: 24, height: 32),
                                  layers: [block1, block3], pooling: .max, weightsIdentity: [1, 2, 3]),
            PaintingStatisticsKey(painting: painting, layers: [block1], pooling: .max, weightsIdentity: [1, 2, 3]),
            PaintingStatisticsKey(painting: painting, layers: [block1, block3], pooling: .average,
                                  weightsIdentity: [1, 2, 3]),
            PaintingStatisticsKey(painting: painting, layers: [block1, block3], pooling: .max,
                                  weightsIdentity: [1, 2, 4]),
        ]
        for variant in variants { #expect(variant.words != base.words) }
        #expect(PaintingStatisticsKey(painting: painting, layers: [block3, block1], pooling: .max,
                                      weightsIdentity: [1, 2, 3]).layers == [block1, block3])
        #expect(base.floatCount == 64 * 65 + 256 * 257)

        let inMemory = PreparationTests.makeWeights()
        #expect(inMemory.fileIdentity == nil)
        let store = RecordingStore()
        var settings = ObjectiveSettings()
        settings.styleLayers = [WeightedLayer(block1)]
        settings.contentLayers = [WeightedLayer(block1)]
        _ = try Self.targets(inMemory, settings: settings, store: store)
        #expect(store.state.withLock { $0.lookups.isEmpty && $0.offers == 0 })
    }
}
