extension RGBImage {
    /// Columns first, pass 1: every output row as the weighted sum of its input rows in linear light, width x 3
    /// floats a row. Output rows are split over the cores (`RowSplit`); each part keeps the input rows its taps
    /// reach, in linear light, in a ring of `tapStride` slots: as the taps move down the image each input row is
    /// converted once (a slot is converted again only when it holds another row).
    func resampleColumnsFirst(with weights: ResamplingWeights) -> [Float] {
        let rowLength = width * 3, ringRows = weights.tapStride
        var intermediate = [Float](repeating: 0, count: weights.outputCount * rowLength)
        weights.pass(from: pixels, into: &intermediate, rows: weights.outputCount,
                     work: weights.outputCount * rowLength * weights.tapStride,
                     scratch: ringRows * rowLength) { taps, outputRows, source, destination, ring in
            var held = [Int](repeating: -1, count: ringRows)  // the input row in each slot
            func slot(_ inputRow: Int) -> UnsafeMutablePointer<Float> { ring + (inputRow % ringRows) * rowLength }
            for outputRow in outputRows {
                let first = weights.firstInputs[outputRow]
                for inputRow in first..<(first + weights.tapCounts[outputRow]) where held[inputRow % ringRows] != inputRow {
                    held[inputRow % ringRows] = inputRow
                    SRGBTransfer.decode(source + inputRow * rowLength, count: rowLength, into: slot(inputRow))
                }
                taps.sumRows(outputRow: outputRow, rowLength: rowLength, into: destination + outputRow * rowLength) {
                    UnsafePointer(slot($0))
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
        weights.pass(from: intermediate, into: &output, rows: rows, work: rows * outputRowLength * weights.tapStride,
                     scratch: outputRowLength) { taps, part, source, destination, resampled in
            for y in part {
                taps.resampleRow(source + y * inputRowLength, into: resampled)
                SRGBTransfer.encode(resampled, count: outputRowLength, into: destination + y * outputRowLength)
            }
        }
        return output
    }
}
