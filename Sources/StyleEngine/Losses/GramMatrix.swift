/// G = Fᵀ F / (C·H·W) for a padded map F seen as a (pixels × C) matrix: the zero border adds nothing.
/// The pixels are split over the cores, each worker summing its part into its own C × C matrix.
enum GramMatrix {
    /// Writes the full symmetric C × C matrix into `gram`. `partials` holds one C × C buffer per worker.
    static func compute(features: UnsafePointer<Float>, shape: FeatureShape, into gram: UnsafeMutablePointer<Float>,
                        partials: [FloatBuffer]) {
        let c = shape.channels
        let scale = 1 / Float(shape.elementCount)
        ParallelLoop.runRanges(count: shape.paddedPixelCount) { worker, pixels in
            BLAS.symmetricRankUpdate(order: c, depth: pixels.count, features + pixels.lowerBound * c, leadingA: c,
                                     into: partials[worker].pointer, leadingC: c, alpha: scale)
        }
        let workers = min(ParallelLoop.coreCount, shape.paddedPixelCount)
        for row in 0..<c {
            for column in row..<c {
                var sum: Float = 0
                for worker in 0..<workers { sum += partials[worker][row * c + column] }
                gram[row * c + column] = sum
                gram[column * c + row] = sum
            }
        }
    }

    /// One C × C buffer per worker, for `compute`.
    static func makePartials(channels: Int) -> [FloatBuffer] {
        (0..<ParallelLoop.coreCount).map { _ in FloatBuffer(count: channels * channels) }
    }
}
