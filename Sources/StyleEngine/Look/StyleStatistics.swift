/// One style image's statistics at one layer: its Gram matrix G = Fᵀ F / (C·N) and channel mean μ = Fᵀ 1 / N.
/// Both blend linearly across several paintings (the second moment is C·G).
struct StyleStatistics: @unchecked Sendable {
    let gram: FloatBuffer
    let mean: FloatBuffer

    init(features: UnsafePointer<Float>, shape: FeatureShape) {
        let c = shape.channels
        gram = FloatBuffer(count: c * c)
        GramMatrix.compute(features: features, shape: shape, into: gram.pointer, partials: GramMatrix.makePartials(channels: c))
        mean = FloatBuffer(count: c)
        let sums = Self.channelSums(features, channels: c, pixels: shape.paddedPixelCount)  // the border is zero
        let pixels = Double(shape.height * shape.width)
        for channel in 0..<c { mean[channel] = Float(sums[channel] / pixels) }
    }

    /// Σ over pixels of each channel, in double precision and pixel order: the same sums as one channel at a
    /// time, 32 channels a pass over the pixels in four independent vector sums (one chain of dependent additions
    /// waits on each addition's latency), the passes split over the cores, channels past the last 32 one at a time.
    /// One channel at a time took about 3.5 ms of CPU, serially, in a 256 px start that computes the painting's
    /// statistics; eight at a time, 1.0% of such a start's CPU samples, still serial (`perf record` of starts).
    static func channelSums(_ features: UnsafePointer<Float>, channels c: Int, pixels: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: c)
        let passWidth = 32, wholePasses = c / passWidth
        sums.withUnsafeMutableBufferPointer { sums in
            ParallelLoop.runRanges(count: wholePasses) { _, passes in
                for pass in passes {
                    let first = pass * passWidth
                    var s0 = SIMD8<Double>(), s1 = SIMD8<Double>(), s2 = SIMD8<Double>(), s3 = SIMD8<Double>()
                    for pixel in 0..<pixels {
                        let values = features + pixel * c + first
                        s0 += SIMD8<Double>(Vector.loadEight(values))
                        s1 += SIMD8<Double>(Vector.loadEight(values + 8))
                        s2 += SIMD8<Double>(Vector.loadEight(values + 16))
                        s3 += SIMD8<Double>(Vector.loadEight(values + 24))
                    }
                    for lane in 0..<8 {
                        (sums[first + lane], sums[first + 8 + lane]) = (s0[lane], s1[lane])
                        (sums[first + 16 + lane], sums[first + 24 + lane]) = (s2[lane], s3[lane])
                    }
                }
            }
            // VGG's layers have multiples of 32 channels; any others one at a time.
            for channel in (wholePasses * passWidth)..<c {
                for pixel in 0..<pixels { sums[channel] += Double(features[pixel * c + channel]) }
            }
        }
        return sums
    }

    private init(gram: FloatBuffer, mean: FloatBuffer) {
        self.gram = gram
        self.mean = mean
    }

    /// Floats of `packed` statistics: C × C + C a layer.
    static func packedCount(layers: [VGGLayer]) -> Int {
        layers.reduce(0) { $0 + $1.outputChannels * ($1.outputChannels + 1) }
    }

    /// A painting's statistics at `layers` (network order) as one array, each layer's Gram matrix then its
    /// means: what a `PaintingStatisticsStore` keeps.
    static func packed(_ statistics: [VGGLayer: StyleStatistics], layers: [VGGLayer]) -> [Float] {
        var floats: [Float] = []
        floats.reserveCapacity(packedCount(layers: layers))
        for layer in layers {
            let parts = statistics[layer]!
            floats.append(contentsOf: UnsafeBufferPointer(start: parts.gram.pointer, count: parts.gram.count))
            floats.append(contentsOf: UnsafeBufferPointer(start: parts.mean.pointer, count: parts.mean.count))
        }
        return floats
    }

    /// The statistics `packed` laid out, or nil when `floats` does not have their size or holds a value that is
    /// not finite (such a Gram matrix would make every loss NaN).
    static func unpacked(_ floats: [Float], layers: [VGGLayer]) -> [VGGLayer: StyleStatistics]? {
        guard floats.count == packedCount(layers: layers), floats.allSatisfy(\.isFinite) else { return nil }
        var result: [VGGLayer: StyleStatistics] = [:]
        var offset = 0
        floats.withUnsafeBufferPointer { source in
            for layer in layers {
                let c = layer.outputChannels
                let gram = FloatBuffer(count: c * c), mean = FloatBuffer(count: c)
                gram.pointer.update(from: source.baseAddress! + offset, count: c * c)
                mean.pointer.update(from: source.baseAddress! + offset + c * c, count: c)
                offset += c * (c + 1)
                result[layer] = StyleStatistics(gram: gram, mean: mean)
            }
        }
        return result
    }

    /// Σ wᵢ·statisticsᵢ (accumulated in double precision); the weights should sum to 1.
    static func blend(_ parts: [StyleStatistics], weights: [Double]) -> StyleStatistics {
        precondition(!parts.isEmpty && parts.count == weights.count)
        if parts.count == 1 && weights[0] == 1 { return parts[0] }
        func mix(_ buffers: [FloatBuffer]) -> FloatBuffer {
            let result = FloatBuffer(count: buffers[0].count)
            for index in 0..<result.count {
                var sum: Double = 0
                for (buffer, weight) in zip(buffers, weights) where weight != 0 { sum += weight * Double(buffer[index]) }
                result[index] = Float(sum)
            }
            return result
        }
        return StyleStatistics(gram: mix(parts.map(\.gram)), mean: mix(parts.map(\.mean)))
    }

    /// Normalised blend weights for `count` styles: `weights[i]` (1 where missing) divided by their sum;
    /// equal weights when they sum to zero.
    static func normalizedWeights(_ weights: [Double], count: Int) -> [Double] {
        let raw = (0..<count).map { $0 < weights.count ? max(0, weights[$0]) : 1 }
        let total = raw.reduce(0, +)
        guard total > 0, total.isFinite else { return Array(repeating: 1 / Double(count), count: count) }
        return raw.map { $0 / total }
    }
}
