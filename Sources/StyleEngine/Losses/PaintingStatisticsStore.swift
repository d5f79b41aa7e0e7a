/// Where a painting's statistics can be kept between runs. Computing them takes a forward pass of the
/// painting through VGG19 up to the deepest style layer: 69 ms of a 256 px start, three quarters of the first
/// evaluation that follows, the largest part of a start after it. A person tuning a look starts again and again
/// with the same painting at the same size (every launch of the studio, every new photo tried against it, every
/// render of a sweep, every stage of a coarse-to-fine render run again), so StudioCore keeps them on disk
/// (`PaintingStatisticsCache`); the engine only asks and offers. A store that holds nothing for a key, or anything
/// unusable, only costs the forward pass.
public protocol PaintingStatisticsStore: Sendable {
    /// The statistics kept for `key` (`key.floatCount` floats, laid out as `PaintingStatisticsKey` says), or nil.
    func statistics(for key: PaintingStatisticsKey) -> [Float]?
    /// Offers the statistics just computed for `key` (best effort: a store may keep them or not). `statistics`
    /// lays them out (`key.floatCount` floats) when called, on any thread: a store that writes in the background
    /// calls it there, off the way to the first evaluation (laying out 2.4 MB took 1.5 ms of a start, one core).
    func keep(_ statistics: @escaping @Sendable () -> [Float], for key: PaintingStatisticsKey)
}

/// Everything a painting's statistics depend on: its pixels at the working size (engine layout, after any
/// colour matching), the style layers, the pooling and the weights file (its identity: device, inode, size and
/// modification time). The statistics are laid out layer by layer in network order, each layer's C × C Gram
/// matrix followed by its C channel means.
public struct PaintingStatisticsKey: Sendable {
    public let painting: EngineImage
    /// The style layers, in network order, each once.
    public let layers: [VGGLayer]
    public let pooling: Pooling
    public let weightsIdentity: [UInt64]

    public init(painting: EngineImage, layers: Set<VGGLayer>, pooling: Pooling, weightsIdentity: [UInt64]) {
        self.painting = painting
        self.layers = layers.sorted()
        self.pooling = pooling
        self.weightsIdentity = weightsIdentity
    }

    /// Floats of the statistics.
    public var floatCount: Int { StyleStatistics.packedCount(layers: layers) }

    /// Everything but the pixels, as words: the size, the pooling, the layers, the weights' identity.
    public var words: [UInt64] {
        [UInt64(painting.width), UInt64(painting.height), pooling == .max ? 0 : 1, UInt64(layers.count)]
            + layers.map { UInt64($0.index) } + weightsIdentity
    }
}
