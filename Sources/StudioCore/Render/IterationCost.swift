import Foundation
import ImageIO
import StyleEngine

/// What one iteration costs on this machine: a fixed part, whatever the size, plus a part proportional to its
/// effective FLOPs (`TransferMemoryPlan.effectiveFlopsPerIteration`).
///
/// The fixed part is real and large: at 32 px an iteration still takes about 60 ms (2 cores, OpenBLAS Zen
/// kernels), mostly OpenBLAS packing the prepared kernels of the 256- and 512-channel layers, which it does
/// on every call whatever the image size (about 20 ms since maps that fit are done whole, `WinogradConvolution`,
/// which packs each kernel once per pass). A rate measured at 256 px alone (where that part is ~11% of an
/// iteration) put the 512 and 1024 px stages of a render 21–22% too slow. Iterations timed at two sizes, the
/// working size and `calibrationLongSide`, separate the two parts. Iterations, not evaluations: an iteration
/// also pays for the line search's extra evaluations and the optimizer's vectors, and the fastest of a few
/// bare evaluations came out ~20% faster than the iterations of the same run.
///
/// The fixed part is kept as `overheadFlops`, its equivalent in effective FLOPs at `flopsPerSecond`, so that
/// every prediction, and the running ETA's rate, can stay a count of FLOPs.
public struct IterationCost: Hashable, Sendable {
    /// Effective FLOP/s of the size-proportional part.
    public let flopsPerSecond: Double
    /// The fixed part of an iteration, in effective FLOPs at `flopsPerSecond` (0: none measured).
    public let overheadFlops: Double

    public init(flopsPerSecond: Double, overheadFlops: Double = 0) {
        self.flopsPerSecond = max(flopsPerSecond, 1)
        self.overheadFlops = max(overheadFlops, 0)
    }

    /// One timed size: its effective FLOPs per iteration and its typical seconds per iteration.
    public struct Sample: Hashable, Sendable {
        public let flops: Double
        public let seconds: Double

        public init(flops: Double, seconds: Double) {
            self.flops = flops
            self.seconds = seconds
        }
    }

    /// Seconds of one iteration of `flops` effective FLOPs.
    public func seconds(flops: Double) -> Double { (flops + overheadFlops) / flopsPerSecond }

    /// The fixed part in seconds.
    public var overheadSeconds: Double { overheadFlops / flopsPerSecond }

    /// The long side of the calibration run: small enough to cost little (about 0.1 s an iteration here),
    /// large enough for every VGG19 layer to run (16 px at the fifth block's input).
    public static let calibrationLongSide = 64

    /// Iterations a calibration times, after iteration 0 (which only evaluates the start image).
    public static let calibrationIterations = 5

    /// The line through two timed sizes. Without `small`, or when the two do not make a rising line with a
    /// positive intercept (noise, or sizes too close), the rate of `large` alone.
    public static func fitted(small: Sample?, large: Sample) -> IterationCost {
        let alone = IterationCost(flopsPerSecond: large.flops / max(large.seconds, 1e-9))
        guard let small, large.flops > small.flops * 1.5, large.seconds > small.seconds, small.seconds > 0 else {
            return alone
        }
        let rate = (large.flops - small.flops) / (large.seconds - small.seconds)
        let overhead = small.seconds * rate - small.flops
        return overhead > 0 ? IterationCost(flopsPerSecond: rate, overheadFlops: overhead) : alone
    }

    /// The typical seconds of a run's first iterations: the median of all but the first (iteration 0 only
    /// evaluates the start image, on cold buffers), or the first when it is alone.
    public static func typicalSeconds(_ seconds: [Double]) -> Double {
        let timed = (seconds.count > 1 ? Array(seconds.dropFirst()) : seconds).sorted()
        guard !timed.isEmpty else { return 0 }
        return timed.count % 2 == 1 ? timed[timed.count / 2] : (timed[timed.count / 2 - 1] + timed[timed.count / 2]) / 2
    }

    /// Times `calibrationIterations` iterations (after iteration 0, untimed) of a throwaway run at
    /// `calibrationLongSide` with the same settings, photo and paintings, started from the photo: its
    /// effective FLOPs per iteration and its typical seconds. Nil when that size is too small for the images
    /// (e.g. a very wide photo) or not below half of `size`, or when the run fails.
    public static func calibrate(weights: VGG19Weights, content: RGBImage, styles: [RGBImage], settings: StyleSettings,
                                 styleScale: Double, size: Int) -> Sample? {
        guard calibrationLongSide * 2 <= size else { return nil }
        var small = settings
        small.size = calibrationLongSide
        small.initialization = .content
        guard let transfer = try? StyleTransfer(weights: weights, content: content, styles: styles, settings: small,
                                                styleScale: styleScale),
              let records = try? (0...calibrationIterations).map({ _ in try transfer.step() }) else { return nil }
        return Sample(flops: transfer.effectiveFlopsPerIteration, seconds: typicalSeconds(records.map(\.seconds)))
    }
}
