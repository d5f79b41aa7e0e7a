/// 3×3 convolution of a map with few channels (the 3-channel image) by im2col: each output pixel's
/// 3×3×Cin neighbourhood becomes one row of a matrix, multiplied by the (9·Cin) × Cout kernel.
/// The matrix is built in chunks of rows inside each worker's scratch, never whole.
///
/// Rows follow the flat pixel index of Layout.swift: row o reads padded pixels o + dy·P + dx and
/// writes padded pixel o + P + 1; rows with x ∈ {W, W+1} are garbage that lands on border pixels.
struct Im2colConvolution {
    let shape: FeatureShape   // input H, W, Cin (padded layout)
    let outputChannels: Int

    var depth: Int { 9 * shape.channels }
    var rowCount: Int { shape.height * shape.paddedWidth }
    /// Rows per chunk; the backward pass also needs a halo of 2P + 2 rows before each chunk, recomputed: with
    /// 16 image rows to a chunk that is an eighth more work (with 4 rows, half: the backward pass took twice the
    /// forward's time, `bench --layers`).
    var chunkRows: Int { max(2048, 16 * shape.paddedWidth) }
    var haloRows: Int { 2 * shape.paddedWidth + 2 }
    var scratchCountPerWorker: Int { (chunkRows + haloRows) * depth }

    /// Fills rows `rows` of the im2col matrix into `matrix` (row `rows.lowerBound` first).
    private func gather(_ input: UnsafePointer<Float>, rows: Range<Int>, into matrix: UnsafeMutablePointer<Float>) {
        let c = shape.channels, p = shape.paddedWidth, depth = self.depth
        for row in rows {
            let destination = matrix + (row - rows.lowerBound) * depth
            for tap in 0..<9 {
                let source = input + (row + (tap / 3) * p + tap % 3) * c
                for channel in 0..<c { destination[tap * c + channel] = source[channel] }
            }
        }
    }

    /// output = ReLU(conv(input) + bias), border zero.
    func forward(input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 output: UnsafeMutablePointer<Float>, scratch: [FloatBuffer]) {
        let cout = outputChannels, p = shape.paddedWidth, depth = self.depth, chunkRows = self.chunkRows
        let origin = output + (p + 1) * cout
        ParallelLoop.runRanges(count: rowCount) { worker, range in
            let matrix = scratch[worker].pointer
            var start = range.lowerBound
            while start < range.upperBound {
                let rows = start..<min(range.upperBound, start + chunkRows)
                gather(input, rows: rows, into: matrix)
                UnpackedGEMM.multiplyWithFallback(rows: rows.count, columns: cout, depth: depth, matrix, leadingA: depth,
                                                  kernel, leadingB: cout, into: origin + rows.lowerBound * cout,
                                                  leadingC: cout)
                start = rows.upperBound
            }
        }
        let h = shape.height, w = shape.width
        ParallelLoop.run(count: h) { y in
            let row = output + ((y + 1) * p + 1) * cout
            for x in 0..<w {
                let pixel = row + x * cout
                for channel in 0..<cout {
                    let value = pixel[channel] + bias[channel]
                    pixel[channel] = value > 0 ? value : 0
                }
            }
            // Right border of this row and left border of the next: garbage from the shifted rows.
            (row + w * cout).update(repeating: 0, count: 2 * cout)
        }
    }

    /// inputGradient (rows 1…H of the padded map; border columns hold garbage) = convᵀ(outputGradient).
    /// Each worker owns a range of input pixels and gathers from the rows of (outputGradient · Kᵀ)
    /// that reach them, recomputing a halo of 2P + 2 rows at each chunk's start: no two workers write
    /// the same pixel.
    func backward(outputGradient: UnsafePointer<Float>, kernel: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, scratch: [FloatBuffer]) {
        let c = shape.channels, cout = outputChannels, p = shape.paddedWidth, depth = self.depth
        let rowCount = self.rowCount, chunkRows = self.chunkRows, halo = haloRows
        let gradientOrigin = outputGradient + (p + 1) * cout
        // Input pixels Q ∈ [P, (H + 1)·P): the interior rows of the padded map.
        let first = p, end = (shape.height + 1) * p
        ParallelLoop.runRanges(count: end - first) { worker, range in
            let matrix = scratch[worker].pointer
            var start = first + range.lowerBound
            let stop = first + range.upperBound
            while start < stop {
                let pixels = start..<min(stop, start + chunkRows)
                // Matrix rows o that reach these pixels: o ∈ [q − 2P − 2, q], within [0, H·P).
                let rows = max(0, pixels.lowerBound - halo)..<min(rowCount, pixels.upperBound)
                BLAS.multiply(rows: rows.count, columns: depth, depth: cout,
                              gradientOrigin + rows.lowerBound * cout, leadingA: cout,
                              kernel, leadingB: cout, transposeB: true, into: matrix, leadingC: depth)
                for pixel in pixels {
                    let destination = inputGradient + pixel * c
                    for channel in 0..<c { destination[channel] = 0 }
                    for tap in 0..<9 {
                        let row = pixel - (tap / 3) * p - tap % 3
                        guard row >= rows.lowerBound, row < rows.upperBound else { continue }
                        let source = matrix + (row - rows.lowerBound) * depth + tap * c
                        for channel in 0..<c { destination[channel] += source[channel] }
                    }
                }
                start = pixels.upperBound
            }
        }
    }
}
