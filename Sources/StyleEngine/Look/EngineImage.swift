/// An image in the engine's layout (H × W × 3, BGR, 0…255 minus the ImageNet mean) with its size.
public struct EngineImage: Sendable {
    public var pixels: [Float]
    public var width: Int
    public var height: Int

    public init(pixels: [Float], width: Int, height: Int) {
        precondition(pixels.count == width * height * 3, "engine image does not match its size")
        self.pixels = pixels
        self.width = width
        self.height = height
    }
}

extension EngineImage {
    /// From interleaved RGB values (0…255, not necessarily whole or in range): BGR, mean subtracted.
    public init(rgb: [Float], width: Int, height: Int) {
        var pixels = [Float](repeating: 0, count: rgb.count)
        let mean = ImagePreprocessing.meanBGR
        for pixel in 0..<(rgb.count / 3) {
            pixels[3 * pixel] = rgb[3 * pixel + 2] - mean.0
            pixels[3 * pixel + 1] = rgb[3 * pixel + 1] - mean.1
            pixels[3 * pixel + 2] = rgb[3 * pixel] - mean.2
        }
        self.init(pixels: pixels, width: width, height: height)
    }
}
