extension RGBImage {
    /// The size with the longer side equal to `longSide`, keeping the aspect ratio (the shorter side is
    /// rounded, and at least 1).
    public func size(forLongSide longSide: Int) -> (width: Int, height: Int) {
        precondition(longSide > 0, "longSide must be positive")
        if width >= height {
            return (longSide, max(1, Int((Double(height) * Double(longSide) / Double(width)).rounded())))
        }
        return (max(1, Int((Double(width) * Double(longSide) / Double(height)).rounded())), longSide)
    }

    /// The image scaled (up or down) so that its longer side is `longSide` pixels, keeping the aspect ratio.
    public func resized(longSide: Int) -> RGBImage {
        let size = size(forLongSide: longSide)
        return resized(width: size.width, height: size.height)
    }

    /// The image scaled down so that its longer side is `longSide` pixels, keeping the aspect ratio; the
    /// image itself when its longer side is already at most `longSide` (never scales up).
    public func shrunk(toLongSide longSide: Int) -> RGBImage {
        max(width, height) > longSide ? resized(longSide: longSide) : self
    }

    /// A preview: the image scaled down to fit inside `maximumWidth` x `maximumHeight`, keeping the aspect
    /// ratio. Never scales up; returns the image itself when it already fits.
    public func thumbnail(fittingWidth maximumWidth: Int, height maximumHeight: Int) -> RGBImage {
        precondition(maximumWidth > 0 && maximumHeight > 0, "thumbnail box must be positive")
        guard width > maximumWidth || height > maximumHeight else { return self }
        let scale = min(Double(maximumWidth) / Double(width), Double(maximumHeight) / Double(height))
        let thumbnailWidth = min(maximumWidth, max(1, Int((Double(width) * scale).rounded())))
        let thumbnailHeight = min(maximumHeight, max(1, Int((Double(height) * scale).rounded())))
        return resized(width: thumbnailWidth, height: thumbnailHeight)
    }

    /// The image resampled to exactly `newWidth` x `newHeight` with a separable Lanczos-3 filter, in linear
    /// light (sRGB decoded to linear float, filtered, clamped, encoded back with rounding). Downscaling
    /// widens the filter, so the result is antialiased. The two passes run in the cheaper order
    /// (`ResampleOrder`); both orders apply the same filter, and differ only in the rounding of the floats.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive")
        if newWidth == width && newHeight == height { return self }
        let horizontal = ResamplingWeights(inputCount: width, outputCount: newWidth)
        let vertical = ResamplingWeights(inputCount: height, outputCount: newHeight)
        return resized(horizontal: horizontal, vertical: vertical,
                       order: ResampleOrder.cheaper(horizontal: horizontal, vertical: vertical))
    }

    /// The image resampled with these weights, in this order (both orders: tests).
    func resized(horizontal: ResamplingWeights, vertical: ResamplingWeights, order: ResampleOrder) -> RGBImage {
        let pixels: [UInt8]
        switch order {
        case .rowsFirst:
            pixels = resampleColumns(resampleRows(with: horizontal), rowLength: horizontal.outputCount * 3, with: vertical)
        case .columnsFirst:
            pixels = resampleLinearRows(resampleColumnsFirst(with: vertical), rows: vertical.outputCount, with: horizontal)
        }
        return RGBImage(width: horizontal.outputCount, height: vertical.outputCount, pixels: pixels)
    }

    /// Rows first, pass 1: each row to linear light, resampled horizontally. Result: height x outputCount x 3
    /// floats. Rows are split over the cores (`RowSplit`).
    private func resampleRows(with weights: ResamplingWeights) -> [Float] {
        let inputRowLength = width * 3, outputRowLength = weights.outputCount * 3
        var intermediate = [Float](repeating: 0, count: height * outputRowLength)
        weights.pass(from: pixels, into: &intermediate, rows: height, work: height * outputRowLength * weights.tapStride,
                     scratch: inputRowLength) { taps, rows, source, destination, linearRow in
            for y in rows {
                SRGBTransfer.decode(source + y * inputRowLength, count: inputRowLength, into: linearRow)
                taps.resampleRow(linearRow, into: destination + y * outputRowLength)
            }
        }
        return intermediate
    }

    /// Rows first, pass 2: columns resampled vertically (row by row, so the inner loop is contiguous), then encoded.
    /// Output rows are split over the cores (`RowSplit`).
    private func resampleColumns(_ intermediate: [Float], rowLength: Int, with weights: ResamplingWeights) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: weights.outputCount * rowLength)
        weights.pass(from: intermediate, into: &output, rows: weights.outputCount,
                     work: weights.outputCount * rowLength * weights.tapStride,
                     scratch: rowLength) { taps, outputRows, source, destination, sum in
            for outputRow in outputRows {
                taps.sumRows(outputRow: outputRow, rowLength: rowLength, into: sum) { source + $0 * rowLength }
                SRGBTransfer.encode(sum, count: rowLength, into: destination + outputRow * rowLength)
            }
        }
        return output
    }
}
