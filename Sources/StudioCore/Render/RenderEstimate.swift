import Foundation

/// Predicted peak memory and time of each stage of a render, before it runs.
///
/// Memory: `baseBytes` (what the process holds already: its code, the weights, their prepared kernels)
/// plus the stage's `TransferMemoryPlan.peakBytes` after its iterations, or the peak the process already
/// reached (`peakSoFar`: reading the weights briefly holds the file and the tensors), whichever is larger;
/// the process's peak is the largest stage's. Time: the stage's effective FLOPs (`TransferMemoryPlan.effectiveFlopsPerIteration`
/// per iteration, plus `planningFlops` for its targets) divided by a measured machine rate, in effective
/// FLOP/s: `render` measures it on its first stage (`measureRate`, two evaluations of the objective),
/// the studio takes it from the live run's last iterations.
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
    /// The rate the times were predicted with, in effective FLOP/s.
    public let flopsPerSecond: Double

    public init(plans: [TransferMemoryPlan], schedule: RenderSchedule, flopsPerSecond: Double, baseBytes: Int,
                peakSoFar: Int = 0) {
        precondition(plans.count == schedule.stages.count)
        self.flopsPerSecond = flopsPerSecond
        stages = zip(plans, schedule.stages).map { plan, stage in
            Stage(longSide: stage.longSide, width: plan.width, height: plan.height, iterations: stage.iterations,
                  peakBytes: max(peakSoFar, baseBytes + plan.peakBytes(afterIterations: stage.iterations)),
                  seconds: Self.flops(of: plan, iterations: stage.iterations) / flopsPerSecond)
        }
    }

    /// Effective FLOPs of a stage: planning its targets, then its iterations (one evaluation when none).
    public static func flops(of plan: TransferMemoryPlan, iterations: Int) -> Double {
        plan.planningFlops + Double(max(iterations, 1)) * plan.effectiveFlopsPerIteration
    }

    public var peakBytes: Int { stages.map(\.peakBytes).max() ?? 0 }
    public var totalSeconds: Double { stages.reduce(0) { $0 + $1.seconds } }

    /// The machine's rate on this transfer, in effective FLOP/s: the faster of two evaluations of the
    /// objective at the current image (the first also commits the freshly planned buffers). The image
    /// does not move.
    /// The transfer keeps its last evaluation for its first step, so one evaluation costs the run nothing; a
    /// second (the default) is more representative, the first paying for page faults. Each is a real
    /// evaluation (`reevaluate`): the transfer's cached losses would time nothing.
    public static func measureRate(_ transfer: StyleTransfer, evaluations: Int = 2) -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, evaluations) {
            let started = DispatchTime.now().uptimeNanoseconds
            _ = transfer.reevaluate()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        return transfer.effectiveFlopsPerIteration / max(best, 1e-6)
    }

    /// One line per stage and a total, for people: size, iterations, peak memory, time.
    public var lines: [String] {
        var lines = stages.enumerated().map { index, stage in
            String(format: "stage %d/%d: %d×%d px, %d iterations, peak memory %@, about %@", index + 1, stages.count,
                   stage.width, stage.height, stage.iterations, Self.megabytes(stage.peakBytes),
                   Self.duration(stage.seconds))
        }
        lines.append(String(format: "total: peak memory %@, about %@ (at %.0f effective GFLOP/s, measured)",
                            Self.megabytes(peakBytes), Self.duration(totalSeconds), flopsPerSecond / 1e9))
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
