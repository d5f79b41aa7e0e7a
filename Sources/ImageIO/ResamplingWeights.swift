#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lanczos-3 filter weights for resampling one axis from `inputCount` to `outputCount` samples, computed
/// once per output column or row. When downscaling, the kernel is widened by the scale factor so that it
/// also low-pass filters (antialiasing). Taps that fall outside the image are dropped and the remaining
/// weights renormalised, so every output's weights sum to 1.
struct ResamplingWeights {
    static let lanczosRadius = 3.0

    let inputCount: Int
    let outputCount: Int
    /// Storage stride of `weights`: the largest number of taps of any output.
    let tapStride: Int
    /// First input index of each output.
    let firstInputs: [Int]
    /// Number of taps of each output.
    let tapCounts: [Int]
    /// `outputCount * tapStride` weights, zero-padded.
    let weights: [Float]

    init(inputCount: Int, outputCount: Int) {
        precondition(inputCount > 0 && outputCount > 0, "resampling needs positive sizes")
        self.inputCount = inputCount
        self.outputCount = outputCount
        let scale = Double(inputCount) / Double(outputCount)
        let filterScale = max(scale, 1)
        let support = Self.lanczosRadius * filterScale
        let tapStride = Int((2 * support).rounded(.up)) + 1
        self.tapStride = tapStride

        var firstInputs = [Int](repeating: 0, count: outputCount)
        var tapCounts = [Int](repeating: 0, count: outputCount)
        var weights = [Float](repeating: 0, count: outputCount * tapStride)
        var taps = [Double](repeating: 0, count: tapStride)
        for output in 0..<outputCount {
            let center = (Double(output) + 0.5) * scale
            let first = max(Int((center - support + 0.5).rounded(.down)), 0)
            let end = min(Int((center + support + 0.5).rounded(.down)), inputCount)
            let count = min(max(end - first, 0), tapStride)
            var sum = 0.0
            for tap in 0..<count {
                let distance = (Double(first + tap) + 0.5 - center) / filterScale
                taps[tap] = Self.lanczos(distance)
                sum += taps[tap]
            }
            if count == 0 || abs(sum) < 1e-12 {
                // Cannot happen for sane sizes (the nearest input always has a positive weight); be safe anyway.
                firstInputs[output] = min(max(Int(center), 0), inputCount - 1)
                tapCounts[output] = 1
                weights[output * tapStride] = 1
                continue
            }
            firstInputs[output] = first
            tapCounts[output] = count
            for tap in 0..<count {
                weights[output * tapStride + tap] = Float(taps[tap] / sum)
            }
        }
        self.firstInputs = firstInputs
        self.tapCounts = tapCounts
        self.weights = weights
    }

    /// The weights applied, through pointers (the passes' inner loops): both orders of the two passes
    /// (`ResampleOrder`) are these two steps, in the same float operations.
    struct Taps {
        let weights: UnsafePointer<Float>
        let firstInputs: UnsafePointer<Int>
        let tapCounts: UnsafePointer<Int>
        let tapStride: Int
        let outputCount: Int

        /// Floats of an output row `sumRows` sums over all taps before moving on (8 KB): they stay in the
        /// first-level cache while every input row is added.
        static let stretch = 2048

        /// One row of linear light (3 floats a pixel) resampled: `outputCount` pixels, 3 floats each, into `output`.
        @inline(__always)
        func resampleRow(_ row: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
            for pixel in 0..<outputCount {
                var red: Float = 0, green: Float = 0, blue: Float = 0
                var sample = row + firstInputs[pixel] * 3
                let tapBase = weights + pixel * tapStride
                for tap in 0..<tapCounts[pixel] {
                    let weight = tapBase[tap]
                    red += weight * sample[0]
                    green += weight * sample[1]
                    blue += weight * sample[2]
                    sample += 3
                }
                (output[3 * pixel], output[3 * pixel + 1], output[3 * pixel + 2]) = (red, green, blue)
            }
        }

        /// Output row `outputRow` (`rowLength` floats, into `sum`) as the weighted sum of its input rows, each
        /// found by `inputRow(index)`: element by element, the taps in order.
        @inline(__always)
        func sumRows(outputRow: Int, rowLength: Int, into sum: UnsafeMutablePointer<Float>,
                     inputRow: (Int) -> UnsafePointer<Float>) {
            sum.update(repeating: 0, count: rowLength)
            let first = firstInputs[outputRow], tapBase = weights + outputRow * tapStride
            for start in Swift.stride(from: 0, to: rowLength, by: Self.stretch) {
                let end = min(start + Self.stretch, rowLength)
                for tap in 0..<tapCounts[outputRow] {
                    let weight = tapBase[tap], row = inputRow(first + tap)
                    for index in start..<end { sum[index] += weight * row[index] }
                }
            }
        }
    }

    /// One pass of the resampler: `body(taps, rows, source, destination, scratch)` for parts of 0..<`rows` split
    /// over the cores (`RowSplit`), each part with `scratch` floats of its own; `work` decides whether to split.
    /// Every pass (both orders, both directions) is this, with its own loop over its rows.
    func pass<Source, Destination>(from source: [Source], into destination: inout [Destination], rows: Int, work: Int,
                                   scratch: Int,
                                   _ body: (Taps, Range<Int>, UnsafePointer<Source>, UnsafeMutablePointer<Destination>,
                                            UnsafeMutablePointer<Float>) -> Void) {
        withTaps { taps in
            source.withUnsafeBufferPointer { source in
                destination.withUnsafeMutableBufferPointer { destination in
                    RowSplit.run(count: rows, work: work, scratch: scratch) { part, scratch in
                        body(taps, part, source.baseAddress!, destination.baseAddress!, scratch)
                    }
                }
            }
        }
    }

    /// Runs `body` with the weights as `Taps`.
    func withTaps<Result>(_ body: (Taps) -> Result) -> Result {
        weights.withUnsafeBufferPointer { weights in
            firstInputs.withUnsafeBufferPointer { firstInputs in
                tapCounts.withUnsafeBufferPointer { tapCounts in
                    body(Taps(weights: weights.baseAddress!, firstInputs: firstInputs.baseAddress!,
                              tapCounts: tapCounts.baseAddress!, tapStride: tapStride, outputCount: outputCount))
                }
            }
        }
    }

    /// sinc(x) * sinc(x / 3) for |x| < 3, else 0.
    static func lanczos(_ x: Double) -> Double {
        let distance = abs(x)
        if distance < 1e-9 { return 1 }
        if distance >= lanczosRadius { return 0 }
        let piX = Double.pi * distance
        return lanczosRadius * sin(piX) * sin(piX / lanczosRadius) / (piX * piX)
    }
}
