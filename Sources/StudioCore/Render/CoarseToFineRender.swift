import Foundation
import ImageIO
import StyleEngine

/// Runs a `RenderSchedule`: one `StyleTransfer` per stage, coarse first. Each stage re-resizes the content
/// (and the style, to `styleScale` times the stage's size) from the originals, starts from the previous
/// stage's image upsampled with Lanczos-3 (the first stage from `initialImage` or the settings' init), and
/// has a fresh optimizer. Only one stage's transfer is alive at a time.
public final class CoarseToFineRender: @unchecked Sendable {  // used from one isolation domain at a time
    public let schedule: RenderSchedule
    public let settings: StyleSettings
    public let styleScale: Double
    /// The memory plan of each stage.
    public let plans: [TransferMemoryPlan]
    let weights: VGG19Weights
    let content: RGBImage
    let styles: [RGBImage]
    let initialImage: RGBImage?
    /// The fixed part of an iteration in effective FLOPs (`IterationCost.overheadFlops`), for the ETA; set it
    /// once measured (`render` does after the first stage's first iterations, from its `progress`).
    public var iterationOverheadFlops = 0.0

    /// Plans every stage and checks, before any work, that each is valid and that the largest fits in memory.
    public convenience init(weights: VGG19Weights, content: RGBImage, style: RGBImage, settings: StyleSettings,
                            schedule: RenderSchedule, styleScale: Double = 1, initialImage: RGBImage? = nil) throws {
        try self.init(weights: weights, content: content, styles: [style], settings: settings, schedule: schedule,
                      styleScale: styleScale, initialImage: initialImage)
    }

    /// The same with one or more paintings, blended by `settings.objective.styleBlend`.
    public init(weights: VGG19Weights, content: RGBImage, styles: [RGBImage], settings: StyleSettings,
                schedule: RenderSchedule, styleScale: Double = 1, initialImage: RGBImage? = nil) throws {
        if let problem = SettingTable.styleScale.namedProblem(with: styleScale) {
            throw StyleTransferError.invalidSetting("the \(problem)")
        }
        guard settings.objective.deepestLayer != nil else { throw StyleTransferError.noLayers }
        self.weights = weights
        self.content = content
        self.styles = styles
        self.settings = settings
        self.schedule = schedule
        self.styleScale = styleScale
        self.initialImage = initialImage
        plans = schedule.stages.map { stage in
            TransferMemoryPlan(settings: Self.settings(settings, size: stage.longSide), content: content, styles: styles,
                               styleScale: styleScale)
        }
        for (plan, stage) in zip(plans, schedule.stages) {
            try SettingsValidation.validate(Self.settings(settings, size: stage.longSide))
            for (width, height) in [(plan.width, plan.height), (plan.styleWidth, plan.styleHeight)]
            where min(width, height) < VGG19Network.minimumSide {
                throw StyleTransferError.imageTooSmall(width: width, height: height)
            }
        }
        if let index = plans.indices.max(by: { plans[$0].peakBytes() < plans[$1].peakBytes() }) {
            try StyleTransfer.checkMemory(plans[index], size: schedule.stages[index].longSide)
        }
    }


    static func settings(_ settings: StyleSettings, size: Int) -> StyleSettings {
        var settings = settings
        settings.size = size
        return settings
    }

    /// One iteration of one stage, as `render` prints and logs it.
    public struct Progress: Sendable {
        /// 1-based stage number and the number of stages.
        public let stage: Int
        public let stageCount: Int
        public let width: Int
        public let height: Int
        /// The stage's budget; `record.iteration` counts within the stage.
        public let iterations: Int
        public let record: IterationRecord
        /// Seconds since the render started (planning included).
        public let elapsed: Double
        /// Predicted seconds left, all stages included: the effective FLOPs left (with the fixed part of each
        /// iteration, `iterationOverheadFlops`) at the rate measured so far.
        public let remaining: Double

        /// The record's JSON line with `stage`, `width` and `height` added.
        public var jsonLine: String {
            String(record.jsonLine.dropLast()) + ",\"stage\":\(stage),\"width\":\(width),\"height\":\(height)}"
        }
    }

    /// Runs every stage and returns the final image. `started(transfer, stage)` is called when a stage's
    /// transfer is planned (before its first iteration), `progress` after each iteration (and once, for
    /// iteration 0, at a stage of 0 iterations), `finished(stage, elapsed)` after a stage's last iteration
    /// (before the next is planned); `shouldStop` is asked before each iteration and ends the render with
    /// `CancellationError`.
    public func run(started: (StyleTransfer, Int) throws -> Void = { _, _ in },
                    progress: (Progress, StyleTransfer) throws -> Void,
                    finished: (Int, Double) -> Void = { _, _ in },
                    shouldStop: () -> Bool = { false }) throws -> RGBImage {
        let clock = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9 }
        func stageFlops(_ index: Int) -> Double {
            RenderEstimate.flops(of: plans[index], iterations: schedule.stages[index].iterations,
                                 overheadFlops: iterationOverheadFlops)
        }
        var doneFlops = 0.0
        var image = initialImage
        for (index, stage) in schedule.stages.enumerated() {
            if shouldStop() { throw CancellationError() }
            let plan = plans[index]
            let transfer = try StyleTransfer(weights: weights, content: content, styles: styles,
                                             settings: Self.settings(settings, size: stage.longSide),
                                             initialImage: image, styleScale: styleScale)
            image = nil
            doneFlops += plan.planningFlops
            try started(transfer, index)
            func report(_ record: IterationRecord) throws {
                let seconds = elapsed()
                let iterationFlops = plan.effectiveFlopsPerIteration + iterationOverheadFlops
                let left = (index + 1..<plans.count).map(stageFlops).reduce(0, +)
                    + Double(max(stage.iterations - record.iteration, 0)) * iterationFlops
                let rate = doneFlops / max(seconds, 1e-9)
                try progress(Progress(stage: index + 1, stageCount: schedule.stages.count, width: plan.width,
                                      height: plan.height, iterations: stage.iterations, record: record,
                                      elapsed: seconds, remaining: left / rate), transfer)
            }
            // Iteration 0 evaluates the stage's start image, then one call per step: `iterations` steps, and
            // the last record is the loss of the image the stage hands on.
            repeat {
                if shouldStop() { throw CancellationError() }
                let record = try transfer.step()
                if record.iteration > 0 || stage.iterations == 0 {  // the estimate counts steps (at least one)
                    doneFlops += plan.effectiveFlopsPerIteration + iterationOverheadFlops
                }
                try report(record)
            } while transfer.iteration < stage.iterations
            // The best image evaluated, not merely the last (the last step can land somewhere worse).
            image = transfer.bestImage
            finished(index, elapsed())
        }
        return image!
    }
}
