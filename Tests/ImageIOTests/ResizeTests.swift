import Foundation
import TestSupport
import Testing
@testable import ImageIO

@Suite("Lanczos resizing")
struct ResizeTests {
    private func constantImage(width: Int, height: Int, color: [UInt8]) -> RGBImage {
        RGBImage(width: width, height: height, pixels: Array((0..<width * height).map { _ in color }.joined()))
    }

    @Test("a constant image stays exactly constant, down and up", arguments: [(10, 7), (80, 50), (37, 1), (1, 1)])
    func constantStaysConstant(width: Int, height: Int) {
        let color: [UInt8] = [200, 13, 77]
        let image = constantImage(width: 37, height: 23, color: color)
        let resized = image.resized(width: width, height: height)
        #expect(resized.width == width && resized.height == height)
        #expect(resized == constantImage(width: width, height: height, color: color))
    }

    /// Downscaling averages, so the mean barely moves. Upscaling random noise overshoots, and clamping the
    /// overshoot to 0...1 shifts the mean a little (measured: 1.6%), so it gets a looser bound.
    @Test("the mean (in linear light) is roughly preserved on a random image", arguments: [
        (50, 38, 0.005), (133, 100, 0.005), (300, 225, 0.03),
    ])
    func meanPreserved(width: Int, height: Int, tolerance: Double) {
        let image = randomImage(width: 200, height: 150, seed: 11)
        let resized = image.resized(width: width, height: height)
        for channel in 0..<3 {
            let before = linearMean(image, channel: channel)
            let after = linearMean(resized, channel: channel)
            #expect(abs(after - before) < tolerance * before, "channel \(channel): \(before) -> \(after)")
        }
    }

    private func linearMean(_ image: RGBImage, channel: Int) -> Double {
        var sum = 0.0
        for index in stride(from: channel, to: image.pixels.count, by: 3) {
            let encoded = Double(image.pixels[index]) / 255
            sum += encoded <= 0.04045 ? encoded / 12.92 : pow((encoded + 0.055) / 1.055, 2.4)
        }
        return sum / Double(image.width * image.height)
    }

    @Test("a one-pixel checkerboard shrinks to even grey (antialiased, no moire)")
    func antialiased() {
        let size = 64
        var pixels: [UInt8] = []
        for y in 0..<size {
            for x in 0..<size { pixels += Array(repeating: (x + y) % 2 == 0 ? 255 : 0, count: 3) }
        }
        let resized = RGBImage(width: size, height: size, pixels: pixels).resized(width: 13, height: 13)
        // Half the light of white is sRGB 188 (the sRGB mean, 128, would mean filtering in gamma space).
        #expect(resized.pixels.allSatisfy { abs(Int($0) - 188) <= 3 }, "\(resized.pixels.min()!)...\(resized.pixels.max()!)")
    }

    @Test("resized(longSide:) gives the right size in both orientations")
    func longSide() {
        let landscape = randomImage(width: 400, height: 300, seed: 1).resized(longSide: 100)
        #expect(landscape.width == 100 && landscape.height == 75)
        let portrait = randomImage(width: 300, height: 400, seed: 2).resized(longSide: 100)
        #expect(portrait.width == 75 && portrait.height == 100)
        let upscaled = randomImage(width: 30, height: 20, seed: 3).resized(longSide: 90)
        #expect(upscaled.width == 90 && upscaled.height == 60)
        let square = randomImage(width: 50, height: 50, seed: 4)
        #expect(square.size(forLongSide: 7) == (7, 7))
    }

    @Test("one-pixel-wide and one-pixel-high inputs resize without trouble")
    func thinInputs() {
        let column = randomImage(width: 1, height: 50, seed: 5)
        let shorter = column.resized(longSide: 10)
        #expect(shorter.width == 1 && shorter.height == 10)
        let widened = column.resized(width: 6, height: 50)
        for y in 0..<50 {  // every row of the widened column is that row's single colour
            let row = Array(widened.pixels[y * 18..<(y + 1) * 18])
            let source = Array(column.pixels[y * 3..<y * 3 + 3])
            #expect(row == Array((0..<6).map { _ in source }.joined()))
        }
        let row = randomImage(width: 50, height: 1, seed: 6).resized(width: 3, height: 7)
        #expect(row.width == 3 && row.height == 7)
        let dot = RGBImage(width: 1, height: 1, pixels: [1, 2, 3]).resized(longSide: 5)
        #expect(dot == constantImage(width: 5, height: 5, color: [1, 2, 3]))
    }

    @Test("resizing to the same size returns the image unchanged")
    func identity() {
        let image = randomImage(width: 17, height: 9, seed: 8)
        #expect(image.resized(width: 17, height: 9) == image)
    }

    @Test("thumbnails fit the box, keep the aspect ratio and never upscale")
    func thumbnail() {
        let image = randomImage(width: 400, height: 300, seed: 9)
        let fitted = image.thumbnail(fittingWidth: 100, height: 100)
        #expect(fitted.width == 100 && fitted.height == 75)
        let tall = image.thumbnail(fittingWidth: 1_000, height: 30)
        #expect(tall.width == 40 && tall.height == 30)
        #expect(image.thumbnail(fittingWidth: 500, height: 500) == image)
    }

    @Test("shrinking to a long side scales larger images down, keeping the aspect ratio, and leaves smaller ones")
    func shrunk() {
        let wide = randomImage(width: 400, height: 300, seed: 10)
        let small = wide.shrunk(toLongSide: 100)
        #expect(small.width == 100 && small.height == 75)
        #expect(small == wide.resized(longSide: 100))
        let tall = randomImage(width: 30, height: 90, seed: 11)
        #expect(tall.shrunk(toLongSide: 45).width == 15 && tall.shrunk(toLongSide: 45).height == 45)
        #expect(wide.shrunk(toLongSide: 400) == wide)
        #expect(wide.shrunk(toLongSide: 1_000) == wide)
    }

    @Test("filter weights sum to one and widen when downscaling")
    func weights() {
        for (input, output) in [(4_000, 512), (512, 4_000), (7, 7), (1, 9), (9, 1)] {
            let weights = ResamplingWeights(inputCount: input, outputCount: output)
            for index in 0..<output {
                let taps = weights.weights[index * weights.tapStride..<index * weights.tapStride + weights.tapCounts[index]]
                #expect(abs(taps.reduce(0, +) - 1) < 1e-5)
                #expect(weights.firstInputs[index] >= 0 && weights.firstInputs[index] + weights.tapCounts[index] <= input)
            }
        }
        // 4000 -> 512 is a factor of 7.8: Lanczos-3 then spans about 2 * 3 * 7.8 = 47 input pixels.
        #expect(ResamplingWeights(inputCount: 4_000, outputCount: 512).tapCounts[256] >= 46)
        #expect(ResamplingWeights(inputCount: 512, outputCount: 4_000).tapCounts[2_000] <= 7)
    }

    @Test("rows split over the cores or not, resampling in either order computes what its serial twin computes, bit for bit",
          arguments: [(451, 300, 256, 170), (97, 640, 300, 41), (64, 48, 200, 150), (9, 5, 4, 3), (1_200, 900, 64, 48)])
    func matchesTheSerialTwin(width: Int, height: Int, newWidth: Int, newHeight: Int) {
        let image = randomImage(width: width, height: height, seed: UInt64(width * height))
        let horizontal = ResamplingWeights(inputCount: width, outputCount: newWidth)
        let vertical = ResamplingWeights(inputCount: height, outputCount: newHeight)
        let rowsFirst = image.resized(horizontal: horizontal, vertical: vertical, order: .rowsFirst).pixels
        let columnsFirst = image.resized(horizontal: horizontal, vertical: vertical, order: .columnsFirst).pixels
        #expect(rowsFirst == Self.serialResize(image, width: newWidth, height: newHeight))
        #expect(columnsFirst == Self.serialResizeColumnsFirst(image, width: newWidth, height: newHeight))
        // The same filter either way: the orders differ only in the floats' rounding.
        #expect(zip(rowsFirst, columnsFirst).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
        let chosen = ResampleOrder.cheaper(horizontal: horizontal, vertical: vertical)
        #expect(image.resized(width: newWidth, height: newHeight).pixels == (chosen == .rowsFirst ? rowsFirst : columnsFirst))
    }

    @Test("the cheaper order: columns first for a camera photo shrunk a lot, rows first for an enlargement, a shrink in width only or a very wide photo")
    func cheaperOrder() {
        func order(_ width: Int, _ height: Int, _ newWidth: Int, _ newHeight: Int) -> ResampleOrder {
            ResampleOrder.cheaper(horizontal: ResamplingWeights(inputCount: width, outputCount: newWidth),
                                  vertical: ResamplingWeights(inputCount: height, outputCount: newHeight))
        }
        #expect(order(4_000, 3_000, 256, 192) == .columnsFirst)
        #expect(order(4_000, 3_000, 512, 384) == .columnsFirst)
        #expect(order(6_000, 4_000, 256, 171) == .columnsFirst)
        #expect(order(512, 384, 2_048, 1_536) == .rowsFirst)
        #expect(order(4_000, 500, 1_000, 500) == .rowsFirst)
        // Columns first would keep 18 MB of input rows a core (ResampleOrder.maximumRingBytes).
        #expect(order(8_000, 6_000, 256, 192) == .rowsFirst)
    }

    /// The resampler's naive twins, one per order: one loop over rows in each pass, the same float operations in
    /// the same order as `resampleRows` + `resampleColumns` (rows first) and `resampleColumnsFirst` +
    /// `resampleLinearRows` (columns first).
    static func serialResize(_ image: RGBImage, width newWidth: Int, height newHeight: Int) -> [UInt8] {
        let (horizontal, vertical, linear) = twinInputs(image, newWidth, newHeight)
        let rows = (0..<image.height).flatMap { y in
            horizontalSums(linear, from: y * image.width * 3, with: horizontal)
        }
        return encoded((0..<newHeight).flatMap { verticalSum(rows, rowLength: newWidth * 3, outputRow: $0, with: vertical) })
    }

    static func serialResizeColumnsFirst(_ image: RGBImage, width newWidth: Int, height newHeight: Int) -> [UInt8] {
        let (horizontal, vertical, linear) = twinInputs(image, newWidth, newHeight)
        return encoded((0..<newHeight).flatMap { outputRow in
            horizontalSums(verticalSum(linear, rowLength: image.width * 3, outputRow: outputRow, with: vertical), from: 0,
                           with: horizontal)
        })
    }

    private static func twinInputs(_ image: RGBImage, _ newWidth: Int, _ newHeight: Int)
        -> (ResamplingWeights, ResamplingWeights, [Float]) {
        (ResamplingWeights(inputCount: image.width, outputCount: newWidth),
         ResamplingWeights(inputCount: image.height, outputCount: newHeight),
         image.pixels.map { SRGBTransfer.linearValues[Int($0)] })
    }

    /// One row (3 floats a pixel, starting at `start`) summed over each output pixel's taps, red, green, blue.
    private static func horizontalSums(_ values: [Float], from start: Int, with weights: ResamplingWeights) -> [Float] {
        (0..<weights.outputCount).flatMap { output -> [Float] in
            var (red, green, blue): (Float, Float, Float) = (0, 0, 0)
            for tap in 0..<weights.tapCounts[output] {
                let weight = weights.weights[output * weights.tapStride + tap]
                let sample = start + (weights.firstInputs[output] + tap) * 3
                red += weight * values[sample]
                green += weight * values[sample + 1]
                blue += weight * values[sample + 2]
            }
            return [red, green, blue]
        }
    }

    /// Output row `outputRow` as the sum of its input rows (`rowLength` floats each), element by element.
    private static func verticalSum(_ rows: [Float], rowLength: Int, outputRow: Int, with weights: ResamplingWeights) -> [Float] {
        var sum = [Float](repeating: 0, count: rowLength)
        for tap in 0..<weights.tapCounts[outputRow] {
            let weight = weights.weights[outputRow * weights.tapStride + tap]
            let sourceRow = (weights.firstInputs[outputRow] + tap) * rowLength
            for index in 0..<rowLength { sum[index] += weight * rows[sourceRow + index] }
        }
        return sum
    }

    private static func encoded(_ values: [Float]) -> [UInt8] {
        SRGBTransfer.roundingThresholds.withUnsafeBufferPointer { thresholds in
            SRGBTransfer.guesses.withUnsafeBufferPointer { guesses in
                values.map { SRGBTransfer.encode($0, thresholds: thresholds, guesses: guesses) }
            }
        }
    }

    @Test("the encoder's first guesses are the counts of rounding thresholds at or below each value, and encoding finds the nearest byte")
    func encodingTables() {
        let resolution = SRGBTransfer.guessResolution, thresholds = SRGBTransfer.roundingThresholds
        #expect(SRGBTransfer.guesses.count == resolution + 1)
        for index in 0...resolution {
            let value = Float(index) / Float(resolution)
            #expect(Int(SRGBTransfer.guesses[index]) == thresholds.filter { $0 <= value }.count, "guess \(index)")
        }
        thresholds.withUnsafeBufferPointer { thresholds in
            SRGBTransfer.guesses.withUnsafeBufferPointer { guesses in
                for byte in 0..<256 {  // each byte's own linear value encodes to that byte
                    #expect(SRGBTransfer.encode(SRGBTransfer.linearValues[byte], thresholds: thresholds,
                                                guesses: guesses) == UInt8(byte))
                }
            }
        }
    }

    /// A camera-sized photo (47 input pixels per output pixel and pass, rows split over the cores); how long it
    /// takes is a benchmark's business, not a test's (under the sanitizers it takes seconds).
    @Test("a 4000x3000 photo shrinks to 512x384 keeping its mean light")
    func cameraSizedPhoto() {
        let photo = randomImage(width: 4_000, height: 3_000, seed: 12)
        let small = photo.resized(longSide: 512)
        #expect(small.width == 512 && small.height == 384)
        for channel in 0..<3 {
            let before = linearMean(photo, channel: channel), after = linearMean(small, channel: channel)
            #expect(abs(after - before) < 0.005 * before, "channel \(channel): \(before) -> \(after)")
        }
    }
}
