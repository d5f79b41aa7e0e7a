extension RGBImage {
    /// Floats of an output row the vertical pass sums over all taps before moving on (8 KB).
    static let columnsFirstStretch = 2048

    /// Columns first, pass 1: every output row as the weighted sum of its input rows in linear light, width x 3
    /// floats a row. Output rows are split over the cores (`RowSplit`); each part keeps the input rows its taps
    /// reach, in linear light, in a ring of `tapStride` slots: as the taps move down the image each input row is
    /// converted once (a slot is converted again only when it holds another row).
    func resampleColumnsFirst(with weights: ResamplingWeights) -> [Float] {
        let rowLength = width * 3, ringRows = weights.tapStride
        var intermediate = [Float](repeating: 0, count: weights.outputCount * rowLength)
        pixels.withUnsafeBufferPointer { source in
            SRGBTransfer.linearValues.withUnsafeBufferPointer { toLinear in
                weights.weights.withUnsafeBufferPointer { taps in
                    intermediate.withUnsafeMutableBufferPointer { destination in
                        RowSplit.run(count: weights.outputCount,
                                     work: weights.outputCount * rowLength * weights.tapStride) { outputRows in
                            var ring = [Float](repeating: 0, count: ringRows * rowLength)
                            var held = [Int](repeating: -1, count: ringRows)  // the input row in each slot
                            ring.withUnsafeMutableBufferPointer { ring in
                                for outputRow in outputRows {
                                    let first = weights.firstInputs[outputRow], count = weights.tapCounts[outputRow]
                                    for inputRow in first..<(first + count) where held[inputRow % ringRows] != inputRow {
                                        held[inputRow % ringRows] = inputRow
                                        let slot = (inputRow % ringRows) * rowLength, from = inputRow * rowLength
                                        for index in 0..<rowLength { ring[slot + index] = toLinear[Int(source[from + index])] }
                                    }
                                    let sum = destination.baseAddress! + outputRow * rowLength
                                    let tapBase = outputRow * weights.tapStride
                                    // A stretch of the sum at a time, which stays in the first-level cache over all taps.
                                    for start in stride(from: 0, to: rowLength, by: Self.columnsFirstStretch) {
                                        let end = min(start + Self.columnsFirstStretch, rowLength)
                                        for tap in 0..<count {
                                            let weight = taps[tapBase + tap]
                                            let row = ring.baseAddress! + ((first + tap) % ringRows) * rowLength
                                            for index in start..<end { sum[index] += weight * row[index] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return intermediate
    }

    /// Columns first, pass 2: each of the `rows` rows of linear light (`width` x 3 floats) resampled horizontally and
    /// encoded. Rows are split over the cores (`RowSplit`).
    func resampleLinearRows(_ intermediate: [Float], rows: Int, with weights: ResamplingWeights) -> [UInt8] {
        let inputRowLength = width * 3, outputRowLength = weights.outputCount * 3
        var output = [UInt8](repeating: 0, count: rows * outputRowLength)
        intermediate.withUnsafeBufferPointer { source in
            SRGBTransfer.roundingThresholds.withUnsafeBufferPointer { thresholds in
                SRGBTransfer.guesses.withUnsafeBufferPointer { guesses in
                    weights.weights.withUnsafeBufferPointer { taps in
                        output.withUnsafeMutableBufferPointer { destination in
                            RowSplit.run(count: rows, work: rows * outputRowLength * weights.tapStride) { part in
                                for y in part {
                                    let row = y * inputRowLength
                                    var target = y * outputRowLength
                                    for pixel in 0..<weights.outputCount {
                                        var red: Float = 0, green: Float = 0, blue: Float = 0
                                        var sample = row + weights.firstInputs[pixel] * 3
                                        let tapBase = pixel * weights.tapStride
                                        for tap in 0..<weights.tapCounts[pixel] {
                                            let weight = taps[tapBase + tap]
                                            red += weight * source[sample]
                                            green += weight * source[sample + 1]
                                            blue += weight * source[sample + 2]
                                            sample += 3
                                        }
                                        destination[target] = SRGBTransfer.encode(red, thresholds: thresholds, guesses: guesses)
                                        destination[target + 1] = SRGBTransfer.encode(green, thresholds: thresholds,
                                                                                      guesses: guesses)
                                        destination[target + 2] = SRGBTransfer.encode(blue, thresholds: thresholds,
                                                                                      guesses: guesses)
                                        target += 3
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
