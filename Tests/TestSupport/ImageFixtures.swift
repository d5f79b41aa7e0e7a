import ImageIO
import StyleEngine

/// Noise: every sample drawn from `SplitMix64(seed:)`, the same on every machine.
public func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
    var generator = SplitMix64(seed: seed)
    let pixels = (0..<width * height * 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return RGBImage(width: width, height: height, pixels: pixels)
}
