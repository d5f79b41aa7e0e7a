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
        var sums = [Double](repeating: 0, count: c)
        for pixel in 0..<shape.paddedPixelCount {   // the border is zero
            for channel in 0..<c { sums[channel] += Double(features[pixel * c + channel]) }
        }
        let pixels = Double(shape.height * shape.width)
        for channel in 0..<c { mean[channel] = Float(sums[channel] / pixels) }
    }

    private init(gram: FloatBuffer, mean: FloatBuffer) {
        self.gram = gram
        self.mean = mean
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
