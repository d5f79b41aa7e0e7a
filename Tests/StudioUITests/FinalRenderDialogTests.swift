import ImageIO
import StudioCore
import Testing
@testable import StudioUI

/// The final-render dialog's prediction: from the live run's seconds per iteration, and, once the session
/// has timed iterations at 64 px (asked for once per studio), with the fixed part of an iteration apart.
@Suite("Final render dialog: the estimate")
struct FinalRenderDialogTests {
    static func gray(_ width: Int, _ height: Int) -> RGBImage {
        RGBImage(width: width, height: height, pixels: [UInt8](repeating: 128, count: width * height * 3))
    }

    /// A studio iterating at its working size, 0.5 s per iteration.
    static func iteratingModel() -> (StudioReducer, StudioModel) {
        let reducer = makeReducer()
        var model = makeModel()
        model.content = LoadedImage(path: "/work/photo.png", image: gray(1600, 1200))
        model.styles = [LoadedImage(path: "/work/painting.png", image: gray(800, 600))]
        let live = StyleTransfer.workingSize(width: 1600, height: 1200, longSide: model.settings.size)
        _ = reducer.reduce(&model, .snapshot(SessionSnapshot(
            iteration: 10, losses: LossTerms(content: 1, style: 2, totalVariation: 3), secondsPerIteration: 0.5,
            image: gray(live.width, live.height), state: .running, settings: model.settings, settingsGeneration: 1)))
        return (reducer, model)
    }

    static func dialog(_ model: StudioModel) throws -> FinalRenderDialog {
        guard case .finalRender(let dialog) = model.overlays.last else { throw CancellationError() }
        return dialog
    }

    /// "total: about m:ss …" in seconds.
    static func totalSeconds(_ dialog: FinalRenderDialog) throws -> Int {
        let line = try #require(dialog.estimateLines.last { $0.hasPrefix("total: about ") })
        let time = line.dropFirst("total: about ".count).prefix { $0 != " " }.split(separator: ":").compactMap { Int($0) }
        try #require(time.count == 2)
        return time[0] * 60 + time[1]
    }

    @Test func theCalibrationIsAskedForOnceAndSeparatesTheFixedPart() throws {
        var (reducer, model) = Self.iteratingModel()
        #expect(reducer.reduce(&model, .key(.character("f"))) == [.calibrateIterationCost])
        let rateOnly = try Self.totalSeconds(Self.dialog(model))
        // What the dialog predicts from 0.5 s per iteration at the working size alone.
        let request = try #require(try? StudioReducer.finalRenderRequest(Self.dialog(model), model: model,
                                                                         environment: reducer.environment).get())
        let plan = TransferMemoryPlan(settings: model.settings, contentWidth: 1600, contentHeight: 1200,
                                      styleWidth: 800, styleHeight: 600)
        let alone = RenderEstimate(plans: request.schedule.stages.map { stage in
            var settings = request.settings
            settings.size = stage.longSide
            return TransferMemoryPlan(settings: settings, contentWidth: 1600, contentHeight: 1200, styleWidth: 800,
                                      styleHeight: 600)
        }, schedule: request.schedule, cost: IterationCost(flopsPerSecond: plan.effectiveFlopsPerIteration / 0.5),
           baseBytes: 0)
        #expect(abs(Double(rateOnly) - alone.totalSeconds) <= 1)

        // 64 px iterations that take 0.1 s: a fixed part of about 0.08 s, which does not grow with the size,
        // so the larger stages take less than the rate alone said.
        var small = model.settings
        small.size = 64
        let smallPlan = TransferMemoryPlan(settings: small, contentWidth: 1600, contentHeight: 1200, styleWidth: 800,
                                           styleHeight: 600)
        #expect(reducer.reduce(&model, .iterationCostCalibrated(.init(flops: smallPlan.effectiveFlopsPerIteration,
                                                                        seconds: 0.1))).isEmpty)
        let calibrated = try Self.totalSeconds(Self.dialog(model))
        #expect(calibrated < rateOnly * 9 / 10, "\(calibrated) s against \(rateOnly) s")

        // Closed and opened again: the calibration is kept, not asked for again.
        _ = reducer.reduce(&model, .key(.escape))
        #expect(reducer.reduce(&model, .key(.character("f"))).isEmpty)
        #expect(try Self.totalSeconds(Self.dialog(model)) == calibrated)
    }
}
