import Foundation
import ImageIO
import StyleEngine

/// What one evaluation of the objective costs on this machine: a fixed part, whatever the size, plus a part
/// proportional to its effective FLOPs (`TransferMemoryPlan.effectiveFlopsPerIteration`).
///
/// The fixed part is real and large: at 32 px an evaluation still takes about 60 ms (2 cores, OpenBLAS Zen
/// kernels), mostly OpenBLAS packing the prepared kernels of the 256- and 512-channel layers, which it does
/// on every call whatever the image size. A rate measured at 256 px alone (where that part is ~11% of an
/// evaluation) put the 512 and 1024 px stages of a render 21–22% too slow. Two measurements, one at the
/// working size and one at `calibrationLongSide`, separate the two parts.
///
/// The fixed part is kept as `overheadFlops`, its equivalent in effective FLOPs at `flopsPerSecond`, so that
/// every prediction, and the running ETA's rate, can stay a count of FLOPs.
public struct EvaluationCost: Hashable, Sendable {
    /// Effective FLOP/s of the size-proportional part.
    public let flopsPerSecond: Double
    /// The fixed part of an evaluation, in effective FLOPs at `flopsPerSecond` (0: none measured).
    public let overheadFlops: Double

    public init(flopsPerSecond: Double, overheadFlops: Double = 0) {
        self.flopsPerSecond = max(flopsPerSecond, 1)
        self.overheadFlops = max(overheadFlops, 0)
    }

    /// Seconds of one evaluation of `flops` effective FLOPs.
    public func seconds(flops: Double) -> Double { (flops + overheadFlops) / flopsPerSecond }

    /// The fixed part in seconds.
    public var overheadSeconds: Double { overheadFlops / flopsPerSecond }

    /// The long side of the calibration evaluation: small enough to cost little (about 80 ms here), large
    /// enough for every VGG19 layer to run (16 px at the fifth block's input).
    public static let calibrationLongSide = 64

    /// The line through two timed evaluations, (`smallFlops`, `smallSeconds`) and (`flops`, `seconds`). When
    /// the two do not make a line that rises (noise, or a size too close), the rate of the larger alone.
    public static func fitted(smallFlops: Double, smallSeconds: Double, flops: Double, seconds: Double) -> EvaluationCost {
        guard flops > smallFlops * 1.5, seconds > smallSeconds, smallSeconds > 0 else {
            return EvaluationCost(flopsPerSecond: flops / max(seconds, 1e-9))
        }
        let rate = (flops - smallFlops) / (seconds - smallSeconds)
        return EvaluationCost(flopsPerSecond: rate, overheadFlops: smallSeconds * rate - smallFlops)
    }

    /// The cost measured on `transfer` (its `evaluations` timed as `seconds(of:)` times them) and, when a
    /// calibration transfer at a smaller size is given, on that one too (three evaluations, the fastest
    /// counts). Neither image moves; `transfer` keeps its last evaluation for its first step.
    public static func measure(_ transfer: StyleTransfer, evaluations: Int = 2,
                               calibration: StyleTransfer? = nil) -> EvaluationCost {
        let seconds = fastestEvaluation(of: transfer, evaluations: evaluations)
        guard let calibration else {
            return EvaluationCost(flopsPerSecond: transfer.effectiveFlopsPerIteration / max(seconds, 1e-9))
        }
        return fitted(smallFlops: calibration.effectiveFlopsPerIteration,
                      smallSeconds: fastestEvaluation(of: calibration, evaluations: 3),
                      flops: transfer.effectiveFlopsPerIteration, seconds: seconds)
    }

    /// The seconds of the fastest of `evaluations` real evaluations (`reevaluate`: cached losses would time
    /// nothing); the first also commits freshly planned buffers.
    public static func fastestEvaluation(of transfer: StyleTransfer, evaluations: Int) -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, evaluations) {
            let started = DispatchTime.now().uptimeNanoseconds
            _ = transfer.reevaluate()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        return max(best, 1e-6)
    }

    /// A throwaway transfer at `calibrationLongSide` with the same settings, photo and paintings (nil when
    /// that size is too small for them, e.g. a very wide photo, or no smaller than `size`).
    public static func calibrationTransfer(weights: VGG19Weights, content: RGBImage, styles: [RGBImage],
                                           settings: StyleSettings, styleScale: Double, size: Int) -> StyleTransfer? {
        guard calibrationLongSide * 2 <= size else { return nil }
        var small = settings
        small.size = calibrationLongSide
        small.initialization = .content
        return try? StyleTransfer(weights: weights, content: content, styles: styles, settings: small,
                                  styleScale: styleScale)
    }
}
