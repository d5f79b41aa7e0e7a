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
        // The workers' upper triangles summed row by row (contiguous: vectorized), each row then mirrored into its
        // column. Element by element through the buffers' subscripts this was scalar, and serial: 0.9% of an
        // iteration's CPU samples at 256 px (`perf record`); vectorized but serial, still 0.7 ms an iteration with
        // the other core idle (`perf script` of `bench`). Now split over the cores too, rows paired first with last
        // so that every pair holds c + 1 elements; a row's sums and mirror are its own (no two workers write the
        // same float), and each float's sum is added in worker order as before.
        let workers = min(ParallelLoop.coreCount, shape.paddedPixelCount)
        let result = UncheckedSendable(gram)
        func finish(row: Int) {
            let gram = result.value, upper = gram + row * c + row, count = c - row
            upper.update(from: partials[0].pointer + row * c + row, count: count)
            for worker in 1..<max(workers, 1) {
                let partial = partials[worker].pointer + row * c + row
                for column in 0..<count { upper[column] += partial[column] }
            }
            for column in (row + 1)..<c { gram[column * c + row] = gram[row * c + column] }
        }
        ParallelLoop.run(count: (c + 1) / 2) { pair in
            finish(row: pair)
            if c - 1 - pair != pair { finish(row: c - 1 - pair) }
        }
    }

    /// One C × C buffer per worker, for `compute`.
    static func makePartials(channels: Int) -> [FloatBuffer] {
        (0..<ParallelLoop.coreCount).map { _ in FloatBuffer(count: channels * channels) }
    }
}
