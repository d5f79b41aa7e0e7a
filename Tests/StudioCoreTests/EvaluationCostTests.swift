import Foundation
import ImageIO
import StyleEngine
import Testing
@testable import StudioCore

/// The cost model behind every predicted time: a fixed part per evaluation plus a part per effective FLOP,
/// fitted through two timed evaluations. The fit is checked on exact numbers; the measurement on real
/// weights, by what it evaluates (never by how long it takes: speed lives in the benchmark).
@Suite("Evaluation cost", .serialized)
struct EvaluationCostTests {
    @Test func twoMeasurementsSeparateTheFixedPartFromTheRate() {
        // 100 GFLOP/s and 50 ms per evaluation: 1 GFLOP takes 0.06 s, 100 GFLOP 1.05 s.
        let cost = EvaluationCost.fitted(smallFlops: 1e9, smallSeconds: 0.06, flops: 1e11, seconds: 1.05)
        #expect(abs(cost.flopsPerSecond - 1e11) / 1e11 < 1e-9)
        #expect(abs(cost.overheadSeconds - 0.05) < 1e-9)
        // The prediction for a size 16 times larger: its own FLOPs plus the same fixed part.
        #expect(abs(cost.seconds(flops: 1.6e12) - 16.05) < 1e-6)
        // A rate from the larger evaluation alone would put it at 16.8 s.
        #expect(abs(EvaluationCost(flopsPerSecond: 1e11 / 1.05).seconds(flops: 1.6e12) - 16.8) < 1e-6)
    }

    @Test func measurementsThatMakeNoRisingLineKeepTheLargerOnesRate() {
        for (smallSeconds, seconds) in [(1.2, 1.0), (0.0, 1.0)] {
            let cost = EvaluationCost.fitted(smallFlops: 1e9, smallSeconds: smallSeconds, flops: 1e11, seconds: seconds)
            #expect(cost.overheadFlops == 0 && abs(cost.flopsPerSecond - 1e11 / seconds) < 1)
        }
        // Sizes too close to tell the two parts apart.
        #expect(EvaluationCost.fitted(smallFlops: 1e11, smallSeconds: 0.5, flops: 1.2e11, seconds: 1).overheadFlops == 0)
        // A fitted line with a negative intercept (noise) has no fixed part.
        #expect(EvaluationCost.fitted(smallFlops: 1e9, smallSeconds: 0.001, flops: 1e11, seconds: 1).overheadFlops == 0)
    }

    @Test func calibrationRunsAtSixtyFourPixelsAndLeavesBothImagesWhereTheyWere() throws {
        let (content, style) = try StyleSessionTests.images()
        let weights = try StyleSessionTests.weights()
        var settings = StyleSettings()
        settings.size = 128
        settings.initialization = .noise
        let transfer = try StyleTransfer(weights: weights, content: content, style: style, settings: settings)
        #expect(EvaluationCost.calibrationTransfer(weights: weights, content: content, styles: [style], settings: settings,
                                                   styleScale: 1, size: 127) == nil)
        let calibration = try #require(EvaluationCost.calibrationTransfer(
            weights: weights, content: content, styles: [style], settings: settings, styleScale: 1, size: 128))
        #expect(max(calibration.width, calibration.height) == EvaluationCost.calibrationLongSide)
        #expect(calibration.settings.initialization == .content)
        let (image, small) = (transfer.currentImage, calibration.currentImage)
        let (before, smallBefore) = (transfer.objectiveEvaluations, calibration.objectiveEvaluations)
        let cost = EvaluationCost.measure(transfer, evaluations: 2, calibration: calibration)
        #expect(transfer.objectiveEvaluations == before + 2 && calibration.objectiveEvaluations == smallBefore + 3)
        #expect(transfer.currentImage == image && calibration.currentImage == small)
        #expect(cost.flopsPerSecond > 1 && cost.overheadFlops >= 0 && cost.seconds(flops: 0) >= 0)
        // The first step reuses the last evaluation.
        let record = try transfer.step()
        #expect(transfer.objectiveEvaluations == before + 2 + record.evaluations)
    }
}
