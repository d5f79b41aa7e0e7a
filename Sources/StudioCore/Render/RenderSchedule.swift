import Foundation

/// The stages of a coarse-to-fine render: the long side of each stage's image and its iteration budget,
/// coarse first. The image found at one stage, upsampled, starts the next (Gatys et al. 2017,
/// "Controlling Perceptual Factors in Neural Style Transfer"): the composition is solved where iterations
/// are cheap and only refined where they are dear.
public struct RenderSchedule: Hashable, Sendable {
    public struct Stage: Hashable, Sendable {
        /// Long side of the stage's working image, in pixels.
        public let longSide: Int
        /// Optimizer iterations at this stage (0: evaluate the objective once).
        public let iterations: Int

        public init(longSide: Int, iterations: Int) {
            self.longSide = longSide
            self.iterations = iterations
        }
    }

    public let stages: [Stage]

    public init(stages: [Stage]) {
        precondition(!stages.isEmpty)
        self.stages = stages
    }

    /// Outputs larger than this (the studio's working size) are rendered coarse to fine by default.
    public static let coarseToFineAbove = 384
    /// Long side of the first stage by default.
    public static let defaultStartSize = 256
    /// Size ratio between stages, about (the stages are spaced evenly in log size from start to target):
    /// ×2 reached lower losses than ×√2 for the same time at 768 px (see the notes in README.md).
    public static let stageRatio = 2.0
    /// Iterations of a stage at `defaultStartSize`.
    public static let firstStageIterations = 80
    /// Later stages get `firstStageIterations · (start / size)^budgetExponent`: halved for each doubling of
    /// the size, so each stage costs about twice the one before (an iteration costs 4× per doubling).
    public static let budgetExponent = 1.0
    /// No stage gets fewer iterations than this.
    public static let minimumIterations = 10

    /// The final size alone, as before coarse-to-fine existed.
    public static func singleScale(size: Int, iterations: Int) -> RenderSchedule {
        RenderSchedule(stages: [Stage(longSide: size, iterations: iterations)])
    }

    /// Stage sizes from `start` to `target`, both included, spaced evenly in log size with a ratio as close
    /// to `stageRatio` as whole stages allow. A target at or below the start is one stage.
    public static func sizes(target: Int, start: Int, ratio: Double = stageRatio) -> [Int] {
        guard target > start else { return [target] }
        let steps = max(1, Int((log(Double(target) / Double(start)) / log(ratio)).rounded()))
        return (0...steps).map { step in
            step == steps ? target : Int((Double(start) * pow(Double(target) / Double(start), Double(step) / Double(steps))).rounded())
        }
    }

    /// The default budget of a stage of `size` px: `firstStageIterations` at `defaultStartSize`, scaled by
    /// `(defaultStartSize / size)^budgetExponent`, at least `minimumIterations`.
    public static func defaultIterations(size: Int) -> Int {
        let scaled = Double(firstStageIterations) * pow(Double(defaultStartSize) / Double(size), budgetExponent)
        return max(minimumIterations, Int(scaled.rounded()))
    }

    /// The coarse-to-fine schedule for `target` px from `start` px; `iterations`, when given, replaces the
    /// default budgets (one number per stage). With `startIsDone` the start size is not a stage: the image
    /// given to the render is already that stage's result (the studio's live image).
    public static func coarseToFine(target: Int, start: Int = defaultStartSize, ratio: Double = stageRatio,
                                    iterations: [Int]? = nil, startIsDone: Bool = false) throws -> RenderSchedule {
        var sizes = Self.sizes(target: target, start: start, ratio: ratio)
        if startIsDone, sizes.count > 1 { sizes.removeFirst() }
        return try scales(sizes, iterations: iterations ?? sizes.map { defaultIterations(size: $0) })
    }

    /// A schedule of explicit sizes (increasing) and budgets (one per size).
    public static func scales(_ sizes: [Int], iterations: [Int]) throws -> RenderSchedule {
        guard !sizes.isEmpty else { throw RenderScheduleError("the list of scales is empty") }
        guard sizes.count == iterations.count else {
            throw RenderScheduleError("\(sizes.count) scales (\(sizes.map(String.init).joined(separator: ","))) but " +
                                      "\(iterations.count) iteration counts (\(iterations.map(String.init).joined(separator: ",")))")
        }
        guard zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw RenderScheduleError("scales must increase, coarse first (got \(sizes.map(String.init).joined(separator: ",")))")
        }
        if let bad = iterations.first(where: { $0 < 0 }) {
            throw RenderScheduleError("iterations per scale must be 0 or more (got \(bad))")
        }
        return RenderSchedule(stages: zip(sizes, iterations).map { Stage(longSide: $0, iterations: $1) })
    }

    public var target: Int { stages.last!.longSide }
    public var totalIterations: Int { stages.reduce(0) { $0 + $1.iterations } }
}

/// A schedule that cannot be made, as one line for the user.
public struct RenderScheduleError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
