import Foundation
import ImageIO
import StyleEngine
import Testing
@testable import StudioCore

/// The cost model behind every predicted time: a fixed part per iteration plus a part per effective FLOP,
/// fitted through iterations timed at two sizes. The fit is checked on exact numbers; the calibration on real
/// weights, by what it runs (never by how long it takes: speed lives in the benchmark).
@Suite("Iteration cost", .serialized)
struct IterationCostTests {
    @Test func twoSizesSeparateTheFixedPartFromTheRate() {
        // 100 GFLOP/s and 50 ms per iteration: 1 GFLOP takes 0.06 s, 100 GFLOP 1.05 s.
        let cost = IterationCost.fitted(small: .init(flops: 1e9, seconds: 0.06), large: .init(flops: 1e11, seconds: 1.05))
        #expect(abs(cost.flopsPerSecond - 1e11) / 1e11 < 1e-9)
        #expect(abs(cost.overheadSeconds - 0.05) < 1e-9)
        // A size 16 times larger: its own FLOPs plus the same fixed part; the rate of the larger size alone
        // would put it at 16.8 s.
        #expect(abs(cost.seconds(flops: 1.6e12) - 16.05) < 1e-6)
        #expect(abs(IterationCost(flopsPerSecond: 1e11 / 1.05).seconds(flops: 1.6e12) - 16.8) < 1e-6)
        // The line passes through the larger measurement: the working size's own time is kept.
        #expect(abs(cost.seconds(flops: 1e11) - 1.05) < 1e-9)
    }

    @Test func measurementsThatMakeNoRisingLineKeepTheLargerOnesRate() {
        for (smallSeconds, seconds) in [(1.2, 1.0), (0.0, 1.0)] {
            let cost = IterationCost.fitted(small: .init(flops: 1e9, seconds: smallSeconds), large: .init(flops: 1e11, seconds: seconds))
            #expect(cost.overheadFlops == 0 && abs(cost.flopsPerSecond - 1e11 / seconds) < 1)
        }
        // Sizes too close to tell the two parts apart.
        #expect(IterationCost.fitted(small: .init(flops: 1e11, seconds: 0.5), large: .init(flops: 1.2e11, seconds: 1)).overheadFlops == 0)
        #expect(IterationCost.fitted(small: nil, large: .init(flops: 1e11, seconds: 2)) == IterationCost(flopsPerSecond: 5e10))
        // A line with a negative intercept (noise): no fixed part, the larger size's rate.
        let noisy = IterationCost.fitted(small: .init(flops: 1e9, seconds: 0.001), large: .init(flops: 1e11, seconds: 1))
        #expect(noisy.overheadFlops == 0 && abs(noisy.flopsPerSecond - 1e11) < 1)
    }

    @Test func typicalSecondsLeaveOutTheFirstIteration() {
        #expect(IterationCost.typicalSeconds([]) == 0)
        #expect(IterationCost.typicalSeconds([0.9]) == 0.9)
        #expect(IterationCost.typicalSeconds([0.9, 0.5]) == 0.5)
        #expect(IterationCost.typicalSeconds([2.0, 0.5, 0.7, 0.4, 9.0, 0.6]) == 0.6)
        #expect(IterationCost.typicalSeconds([2.0, 0.5, 0.7, 0.4, 0.6]) == 0.55)
    }

    @Test func calibrationTimesIterationsAtSixtyFourPixels() throws {
        let (content, style) = try StyleSessionTests.images()
        let weights = try StyleSessionTests.weights()
        var settings = StyleSettings()
        settings.size = 128
        settings.initialization = .file("/nonexistent/init.png")  // the calibration starts from the photo
        #expect(IterationCost.calibrate(weights: weights, content: content, styles: [style], settings: settings,
                                        styleScale: 1, size: 127) == nil)
        let measured = try #require(IterationCost.calibrate(weights: weights, content: content, styles: [style],
                                                            settings: settings, styleScale: 1, size: 128))
        var small = settings
        small.size = IterationCost.calibrationLongSide
        let plan = TransferMemoryPlan(settings: small, content: content, styles: [style], styleScale: 1)
        #expect(measured.flops == plan.effectiveFlopsPerIteration)
        #expect(measured.seconds > 0 && measured.seconds < 60)
        // A photo too wide for 64 px (its short side would be under VGG19's 16 px): no calibration.
        let wide = RGBImage(width: 400, height: 20, pixels: [UInt8](repeating: 128, count: 400 * 20 * 3))
        #expect(IterationCost.calibrate(weights: weights, content: wide, styles: [style], settings: settings,
                                        styleScale: 1, size: 400) == nil)
    }
}
