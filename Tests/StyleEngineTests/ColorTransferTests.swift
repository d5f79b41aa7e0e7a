import Testing
@testable import StyleEngine

/// Colour matching and luminance-only transfer on pseudo-random images.
struct ColorTransferTests {
    static func image(_ random: inout TestRandom, pixels: Int, tint: (Double, Double, Double)) -> [Float] {
        (0..<pixels).flatMap { _ -> [Float] in
            let shade = 100 + 60 * random.symmetric()
            return [Float(shade * tint.0 + 20 * random.symmetric()), Float(shade * tint.1 + 10 * random.symmetric()),
                    Float(shade * tint.2 + 30 * random.symmetric())]
        }
    }

    @Test func matchedStyleHasThePhotosMeanAndCovariance() {
        var random = TestRandom(seed: 3)
        let style = Self.image(&random, pixels: 900, tint: (1.4, 0.9, 0.3))
        let photo = Self.image(&random, pixels: 1200, tint: (0.5, 1.0, 1.3))
        let matched = ColorTransfer.matchColors(of: style, to: photo)
        let (mean, covariance) = ColorTransfer.statistics(matched)
        let (photoMean, photoCovariance) = ColorTransfer.statistics(photo)
        let (styleMean, _) = ColorTransfer.statistics(style)
        #expect(maxAbsoluteDifference(styleMean, photoMean) > 10, "the images differ to begin with")
        #expect(maxAbsoluteDifference(mean, photoMean) < 1e-3)
        let scale = photoCovariance.map(abs).max()!
        #expect(maxAbsoluteDifference(covariance, photoCovariance) < 1e-4 * scale)
    }

    @Test func greyPaintingStillMatches() {
        var random = TestRandom(seed: 4)
        let grey = (0..<500).flatMap { _ -> [Float] in let v = Float(128 + 50 * random.symmetric()); return [v, v, v] }
        let photo = Self.image(&random, pixels: 700, tint: (0.8, 1.0, 1.2))
        let matched = ColorTransfer.matchColors(of: grey, to: photo)
        #expect(matched.allSatisfy { $0.isFinite })
        #expect(maxAbsoluteDifference(ColorTransfer.statistics(matched).mean, ColorTransfer.statistics(photo).mean) < 1e-3)
    }

    @Test func recombinedImageKeepsThePhotosChroma() {
        var random = TestRandom(seed: 6)
        let photo = Self.image(&random, pixels: 400, tint: (0.7, 0.9, 0.8))
        let painted = Self.image(&random, pixels: 400, tint: (1.2, 0.6, 0.4))
        let bytes = LuminanceTransfer.recombine(luminanceOf: painted, chromaOf: photo)
        let chroma = LuminanceTransfer.chroma(bytes.map(Float.init)), expected = LuminanceTransfer.chroma(photo)
        let luminance = LuminanceTransfer.luminance(bytes.map(Float.init)), expectedLuminance = LuminanceTransfer.luminance(painted)
        var checked = 0
        for pixel in 0..<400 where (0..<3).allSatisfy({ bytes[3 * pixel + $0] > 0 && bytes[3 * pixel + $0] < 255 }) {
            checked += 1
            // Rounding each channel moves I and Q by at most ½·Σ|row| ≈ 0.6.
            #expect(abs(chroma[2 * pixel] - expected[2 * pixel]) < 0.6)
            #expect(abs(chroma[2 * pixel + 1] - expected[2 * pixel + 1]) < 0.6)
            #expect(abs(luminance[pixel] - expectedLuminance[pixel]) < 0.51)
        }
        #expect(checked > 300)
    }

    @Test func matchedLuminanceHasTheReferenceMeanAndDeviation() {
        var random = TestRandom(seed: 8)
        let values = (0..<300).map { _ in Float(80 + 30 * random.symmetric()) }
        let reference = (0..<500).map { _ in Float(150 + 70 * random.symmetric()) }
        func moments(_ v: [Float]) -> (Double, Double) {
            let mean = v.reduce(0) { $0 + Double($1) } / Double(v.count)
            return (mean, (v.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(v.count)).squareRoot())
        }
        let (mean, deviation) = moments(LuminanceTransfer.matched(values, to: reference))
        let (referenceMean, referenceDeviation) = moments(reference)
        #expect(abs(mean - referenceMean) < 1e-3 && abs(deviation - referenceDeviation) < 1e-3)
    }
}
