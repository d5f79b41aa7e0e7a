/// The input convention of the Caffe VGG19 weights: BGR, 0…255, minus the ImageNet mean.
public enum ImagePreprocessing {
    /// ImageNet mean in B, G, R order.
    public static let meanBGR: (Float, Float, Float) = (103.939, 116.779, 123.68)

    /// Interleaved 8-bit RGB (H × W × 3) to the engine's image layout (H × W × 3, BGR, mean subtracted).
    public static func engineImage(fromRGB pixels: [UInt8]) -> [Float] {
        var result = [Float](repeating: 0, count: pixels.count)
        for pixel in 0..<(pixels.count / 3) {
            result[3 * pixel] = Float(pixels[3 * pixel + 2]) - meanBGR.0
            result[3 * pixel + 1] = Float(pixels[3 * pixel + 1]) - meanBGR.1
            result[3 * pixel + 2] = Float(pixels[3 * pixel]) - meanBGR.2
        }
        return result
    }

    /// The engine's image layout back to 8-bit RGB, rounded and clamped to 0…255.
    public static func rgb(fromEngineImage image: UnsafePointer<Float>, count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for pixel in 0..<(count / 3) {
                buffer[3 * pixel] = clampToByte(image[3 * pixel + 2] + meanBGR.2)
                buffer[3 * pixel + 1] = clampToByte(image[3 * pixel + 1] + meanBGR.1)
                buffer[3 * pixel + 2] = clampToByte(image[3 * pixel] + meanBGR.0)
            }
            initialized = count
        }
    }

    @inline(__always)
    static func clampToByte(_ value: Float) -> UInt8 {
        guard value.isFinite else { return 0 }
        return UInt8(min(255, max(0, value.rounded())))
    }
}
