/// Which of the resampler's two passes runs first. Rows first (horizontal, then vertical) reads each pixel's
/// linear light once and leaves the vertical pass, whose inner loop runs along contiguous rows and vectorises,
/// for last; but its horizontal pass goes over every input row, one output pixel after the other (a 4000 × 3000
/// photo shrunk to 256 px: 3,000 rows × 256 pixels × 47 taps, 75 ms of CPU). Columns first shrinks the rows
/// first, in the vectorised loop, and leaves the horizontal pass only the output's rows: for a 4000 × 3000 JPEG,
/// `perf record` of `render --size 256 --iterations 0` put the resampler at 18–22% of the samples rows first and
/// 11–13% columns first (three runs each).
enum ResampleOrder: Sendable, Equatable {
    case rowsFirst
    case columnsFirst

    /// Bytes of the ring of input rows each core keeps in columns-first order (`tapStride` rows of the input's
    /// width in floats) beyond which rows first is used whatever the cost: a 6000-pixel-wide photo shrunk to 256 px
    /// needs 10 MB a core, an 8000-pixel-wide one 18 MB, the widest image ImageIO reads (16,384) up to 75 MB.
    static let maximumRingBytes = 16 << 20

    /// The order with the fewer multiply-adds, a horizontal one (one pixel at a time) counted as four of the
    /// vertical pass's (which go four or more to an instruction); rows first on a tie, and when columns first's
    /// ring of input rows would exceed `maximumRingBytes`.
    static func cheaper(horizontal: ResamplingWeights, vertical: ResamplingWeights) -> ResampleOrder {
        let (inputWidth, inputHeight) = (horizontal.inputCount, vertical.inputCount)
        let (outputWidth, outputHeight) = (horizontal.outputCount, vertical.outputCount)
        guard vertical.tapStride * inputWidth * 3 * MemoryLayout<Float>.size <= maximumRingBytes else { return .rowsFirst }
        let rowsFirst = 4 * inputHeight * outputWidth * horizontal.tapStride + outputHeight * outputWidth * vertical.tapStride
        let columnsFirst = outputHeight * inputWidth * vertical.tapStride + 4 * outputHeight * outputWidth * horizontal.tapStride
        return columnsFirst < rowsFirst ? .columnsFirst : .rowsFirst
    }
}
