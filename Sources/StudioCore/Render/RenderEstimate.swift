import Foundation

/// Predicted peak memory and time of each stage of a render, before it runs.
///
/// Memory: `baseBytes` (what the process holds already: its code, the weights, their prepared kernels)
/// plus the stage's `TransferMemoryPlan.peakBytes` after its iterations, or the peak the process already
/// reached (`peakSoFar`: reading the weights briefly holds the file and the tensors), whichever is larger;
/// the process's peak is the largest stage's. Time: the stage's planning (`planningFlops`, its targets) and
/// its iterations at the machine's measured `IterationCost` (a fixed part per iteration plus a part per
/// effective FLOP): `render` times the first iterations of its first stage and of a run at 64 px, the studio
/// its live run's last iterations and a run at 64 px.
public struct RenderEstimate: Hashable, Sendable {
    public struct Stage: Hashable, Sendable {
        public let longSide: Int
        public let width: Int
        public let height: Int
        public let iterations: Int
        /// Predicted peak resident memory of the process during this stage.
        public let peakBytes: Int
        public let seconds: Double
    }

    public let stages: [Stage]
    /// The cost the times were predicted with.
    public let cost: IterationCost
    /// The rate the times were predicted with, in effective FLOP/s.
    public var flopsPerSecond: Double { cost.flopsPerSecond }

    /// `firstStageSoFar`: the first stage's iterations already done and the seconds they took, planning
    /// included (the prediction is then made with them; the rest of that stage at `cost`).
    public init(plans: [TransferMemoryPlan], schedule: RenderSchedule, cost: IterationCost, baseBytes: Int,
                peakSoFar: Int = 0, firstStageSoFar: (iterations: Int, seconds: Double)? = nil) {
        precondition(plans.count == schedule.stages.count)
        self.cost = cost
        stages = zip(plans, schedule.stages).enumerated().map { index, pair in
            let (plan, stage) = pair
            var seconds = Self.flops(of: plan, iterations: stage.iterations, overheadFlops: cost.overheadFlops)
                / cost.flopsPerSecond
            if index == 0, let done = firstStageSoFar {
                seconds = done.seconds + Double(max(stage.iterations - done.iterations, 0))
                    * cost.seconds(flops: plan.effectiveFlopsPerIteration)
            }
            return Stage(longSide: stage.longSide, width: plan.width, height: plan.height, iterations: stage.iterations,
                         peakBytes: max(peakSoFar, baseBytes + plan.peakBytes(afterIterations: stage.iterations)),
                         seconds: seconds)
        }
    }

    /// Effective FLOPs of a stage: planning its targets, then its iterations (one evaluation when none), each
    /// with the fixed part of an iteration (`IterationCost.overheadFlops`).
    public static func flops(of plan: TransferMemoryPlan, iterations: Int, overheadFlops: Double = 0) -> Double {
        plan.planningFlops + Double(max(iterations, 1)) * (plan.effectiveFlopsPerIteration + overheadFlops)
    }

    public var peakBytes: Int { stages.map(\.peakBytes).max() ?? 0 }
    public var totalSeconds: Double { stages.reduce(0) { $0 + $1.seconds } }

    /// One line per stage and a total, for people: size, iterations, peak memory, time.
    public var lines: [String] {
        var lines = stages.enumerated().map { index, stage in
            String(format: "stage %d/%d: %d×%d px, %d iterations, peak memory %@, about %@", index + 1, stages.count,
                   stage.width, stage.height, stage.iterations, Self.megabytes(stage.peakBytes),
                   Self.duration(stage.seconds))
        }
        let measured = cost.overheadFlops > 0
            ? String(format: "%.0f effective GFLOP/s + %.0f ms per iteration, measured", flopsPerSecond / 1e9,
                     cost.overheadSeconds * 1000)
            : String(format: "%.0f effective GFLOP/s, measured", flopsPerSecond / 1e9)
        lines.append(String(format: "total: peak memory %@, about %@ (at %@)", Self.megabytes(peakBytes),
                            Self.duration(totalSeconds), measured))
        return lines
    }

    public static func megabytes(_ bytes: Int) -> String { "\(Int((Double(bytes) / 1e6).rounded())) MB" }

    /// m:ss, or h:mm:ss from an hour on.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
