/// A small seeded generator (SplitMix64) so noise inits are reproducible bit for bit.
struct NoiseGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// An RGB image of Gaussian noise around mid-grey (σ = 64 levels), clamped to 0…255.
    static func noiseImage(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var generator = NoiseGenerator(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var index = 0
        while index < pixels.count {
            // Box–Muller: two normals per pair of uniforms.
            let radius = (-2 * log(max(generator.nextUnit(), 1e-300))).squareRoot()
            let angle = 2 * Double.pi * generator.nextUnit()
            for normal in [radius * cos(angle), radius * sin(angle)] where index < pixels.count {
                pixels[index] = UInt8(max(0, min(255, (127.5 + 64 * normal).rounded())))
                index += 1
            }
        }
        return pixels
    }
}

import Foundation
