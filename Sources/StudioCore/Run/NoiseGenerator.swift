import Foundation
import StyleEngine

/// The noise init: Gaussian noise from a seeded generator, so it is reproducible bit for bit.
enum NoiseGenerator {
    /// An RGB image of Gaussian noise around mid-grey (σ = 64 levels), clamped to 0…255.
    static func noiseImage(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        func level(_ normal: Double) -> UInt8 { UInt8(max(0, min(255, (127.5 + 64 * normal).rounded()))) }
        var index = 0
        while index < pixels.count {
            // Box–Muller: two normals per pair of uniforms.
            let radius = (-2 * log(max(generator.nextUnit(), 1e-300))).squareRoot()
            let angle = 2 * Double.pi * generator.nextUnit()
            pixels[index] = level(radius * cos(angle))
            if index + 1 < pixels.count { pixels[index + 1] = level(radius * sin(angle)) }
            index += 2
        }
        return pixels
    }
}
