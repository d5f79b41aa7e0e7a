import Foundation
import ImageIO
import StyleEngine

/// One style-transfer run, driven synchronously: owns the objective, the optimizer and the image x.
/// The command line calls `step()` in a loop; the studio's `StyleSession` actor wraps one of these.
/// Everything an iteration touches is planned when the run is created or its settings change.
public final class StyleTransfer: @unchecked Sendable {
    public private(set) var settings: StyleSettings
    public let weights: VGG19Weights
    public let content: RGBImage
    /// The style paintings, blended by `settings.objective.styleBlend`.
    public let styles: [RGBImage]
    /// The first painting.
    public var style: RGBImage { styles[0] }
    /// Optimizer steps taken since the start (settings changes keep counting).
    public private(set) var iteration = 0
    /// The style image's long side relative to the working image's (1: the same size), at every size.
    public let styleScale: Double
    /// Where the paintings' statistics are looked up and kept (nil: always computed).
    let statisticsStore: (any PaintingStatisticsStore)?
    /// The sizes and buffers of the run as planned (see `TransferMemoryPlan`).
    public private(set) var memoryPlan: TransferMemoryPlan

    private var objective: StyleObjective { didSet { recorder.objective = objective } }
    private let recorder: RecordingObjective
    private var optimizer: ImageOptimizer
    /// x: H × W × 3, BGR, mean subtracted.
    private var image: FloatBuffer
    /// ∇f at x when `currentLosses` is set.
    private var gradient: FloatBuffer
    /// The losses at x, when x has been evaluated (nil after a start, a settings change or a recovery).
    private var currentLosses: LossTerms?
    /// Whether the losses and gradient at x were all finite.
    private var currentIsUsable = false
    /// The evaluated image with the lowest loss since the last settings change or restart: what a run
    /// delivers, and where it steps back to when the optimizer blows up.
    private var bestImageBuffer: FloatBuffer
    /// The losses of `bestImage` (nil before the first evaluation).
    public private(set) var bestLosses: LossTerms?
    private var consecutiveFailures = 0
    /// The photo at working size (RGB values) in `luminance` colour mode: the result takes its chroma.
    private var chromaSource: [Float]?

    /// A loss this many times the best seen (or a non-finite one) means the optimizer blew up: the run
    /// steps back to the best image and the optimizer's steps get shorter (`ImageOptimizer.backOff`).
    /// L-BFGS without line search overshoots by ×1000 early on and recovers (the reference run does too);
    /// with the line search no step ever raises the loss.
    static let explosionFactor = 1e6

    /// Working size: the content image scaled so that its long side is `settings.size`.
    public var width: Int { objective.width }
    public var height: Int { objective.height }

    /// Plans a run. `initialImage`, when given, replaces the settings' init (it is resized to the working size).
    public convenience init(weights: VGG19Weights, content: RGBImage, style: RGBImage, settings: StyleSettings,
                            initialImage: RGBImage? = nil, styleScale: Double = 1,
                            statisticsStore: (any PaintingStatisticsStore)? = PaintingStatisticsCache.standard) throws {
        try self.init(weights: weights, content: content, styles: [style], settings: settings, initialImage: initialImage,
                      styleScale: styleScale, statisticsStore: statisticsStore)
    }

    /// Plans a run with one or more style paintings. `styleScale` sizes the style images relative to the
    /// working image (see `TransferMemoryPlan`). The paintings' statistics come from `statisticsStore` when it
    /// has them (the user's cache unless told otherwise) and are offered to it when computed.
    public init(weights: VGG19Weights, content: RGBImage, styles: [RGBImage], settings: StyleSettings,
                initialImage: RGBImage? = nil, styleScale: Double = 1,
                statisticsStore: (any PaintingStatisticsStore)? = PaintingStatisticsCache.standard) throws {
        precondition(!styles.isEmpty, "at least one style image")
        self.weights = weights
        self.content = content
        self.styles = styles
        self.settings = settings
        self.styleScale = styleScale
        self.statisticsStore = statisticsStore
        let (objective, chromaSource, plan, workingContent) = try Self.makeObjective(
            weights: weights, content: content, styles: styles, settings: settings, styleScale: styleScale,
            statisticsStore: statisticsStore)
        self.objective = objective
        recorder = RecordingObjective(objective)
        self.chromaSource = chromaSource
        memoryPlan = plan
        optimizer = Self.makeOptimizer(settings.optimizer, count: objective.imageCount)
        image = FloatBuffer(count: objective.imageCount)
        gradient = FloatBuffer(count: objective.imageCount)
        bestImageBuffer = FloatBuffer(count: objective.imageCount)
        let start = try initialImage.map { $0.resized(width: objective.width, height: objective.height) }
            ?? Self.initialImage(settings.initialization, seed: settings.seed, content: workingContent, style: style,
                                 width: objective.width, height: objective.height)
        load(start)
    }

    /// The working size for an image and a long side.
    public static func workingSize(width: Int, height: Int, longSide: Int) -> (width: Int, height: Int) {
        if width >= height {
            return (longSide, max(1, Int((Double(height) * Double(longSide) / Double(width)).rounded())))
        }
        return (max(1, Int((Double(width) * Double(longSide) / Double(height)).rounded())), longSide)
    }

    /// The objective for the settings, the photo's RGB values at working size in `luminance` colour mode,
    /// the memory plan the sizes come from, and the photo at working size (a start from the content need not
    /// resample it again: at 256 px that took 2.5 ms of a start's serial part).
    private static func makeObjective(weights: VGG19Weights, content: RGBImage, styles: [RGBImage],
                                      settings: StyleSettings, styleScale: Double,
                                      statisticsStore: (any PaintingStatisticsStore)?)
        throws -> (StyleObjective, [Float]?, TransferMemoryPlan, RGBImage) {
        guard settings.objective.deepestLayer != nil else { throw StyleTransferError.noLayers }
        let styleLongSide = TransferMemoryPlan.styleLongSide(size: settings.size, styleScale: styleScale)
        let styleSizes = styles.map { workingSize(width: $0.width, height: $0.height, longSide: styleLongSide) }
        let plan = TransferMemoryPlan(settings: settings, content: content, styles: styles, styleScale: styleScale)
        let size = (width: plan.width, height: plan.height)
        for (width, height) in [size] + styleSizes where min(width, height) < VGG19Network.minimumSide {
            throw StyleTransferError.imageTooSmall(width: width, height: height)
        }
        try checkMemory(plan, size: settings.size)
        let contentPicture = content.resized(width: size.width, height: size.height)
        let stylePictures = zip(styles, styleSizes).map { $0.resized(width: $1.width, height: $1.height) }
        let prepared = StyleImagePreparation.prepare(content: contentPicture, styles: stylePictures, color: settings.color)
        // The paintings' networks are freed just before the objective's is made: it reuses their pages.
        let objective = FloatBuffer.recycling {
            let targets = StyleTargets(weights: weights, settings: settings.objective, content: prepared.content,
                                       styles: prepared.styles, contentFromObjective: true,
                                       statisticsStore: statisticsStore)
            return StyleObjective(weights: weights, settings: settings.objective, targets: targets,
                                  height: size.height, width: size.width)
        }
        return (objective, settings.color == .luminance ? contentPicture.pixels.map(Float.init) : nil, plan, contentPicture)
    }

    /// Refuses a plan that cannot fit in the memory the system has available, before allocating any of it
    /// (rather than being killed halfway, with the terminal left in the studio's screen).
    public static func checkMemory(_ plan: TransferMemoryPlan, size: Int) throws {
        guard let available = MemoryUsage.availableBytes() else { return }
        let needed = plan.peakBytes()
        guard needed <= available else {
            throw StyleTransferError.notEnoughMemory(neededBytes: needed, availableBytes: available, size: size)
        }
    }

    private static func makeOptimizer(_ settings: OptimizerSettings, count: Int) -> ImageOptimizer {
        switch settings.kind {
        case .lbfgs: LBFGS(count: count, historySize: settings.historySize, learningRate: settings.learningRate,
                           lineSearch: settings.lineSearch)
        case .adam: Adam(count: count, learningRate: settings.learningRate)
        }
    }

    static func initialImage(_ initialization: Initialization, seed: UInt64, content: RGBImage, style: RGBImage,
                             width: Int, height: Int) throws -> RGBImage {
        switch initialization {
        case .content: content.resized(width: width, height: height)
        case .style: style.resized(width: width, height: height)
        case .noise: RGBImage(width: width, height: height,
                              pixels: NoiseGenerator.noiseImage(width: width, height: height, seed: seed))
        case .file(let path): try ImageFile.read(URL(fileURLWithPath: path)).resized(width: width, height: height)
        }
    }

    /// Makes `picture` the current x (its luminance, in grey, in `luminance` colour mode).
    private func load(_ picture: RGBImage) {
        let values = chromaSource == nil ? ImagePreprocessing.engineImage(fromRGB: picture.pixels)
            : EngineImage(rgb: LuminanceTransfer.grey(LuminanceTransfer.luminance(picture.pixels.map(Float.init))),
                          width: picture.width, height: picture.height).pixels
        values.withUnsafeBufferPointer { image.pointer.update(from: $0.baseAddress!, count: values.count) }
        forgetEvaluations()
    }

    /// After x or the objective changed: nothing is known about x, and the best image starts over from it.
    private func forgetEvaluations() {
        currentLosses = nil
        bestImageBuffer.copy(from: image)
        bestLosses = nil
    }

    /// The current x as an 8-bit RGB image at working size (in `luminance` colour mode: x's luminance with
    /// the photo's chroma).
    public var currentImage: RGBImage {
        guard let chromaSource else {
            return RGBImage(width: width, height: height,
                            pixels: ImagePreprocessing.rgb(fromEngineImage: image.pointer, count: image.count))
        }
        let mean = ImagePreprocessing.meanBGR
        var rgb = [Float](repeating: 0, count: image.count)
        for pixel in 0..<(image.count / 3) {
            rgb[3 * pixel] = image[3 * pixel + 2] + mean.2
            rgb[3 * pixel + 1] = image[3 * pixel + 1] + mean.1
            rgb[3 * pixel + 2] = image[3 * pixel] + mean.0
        }
        return RGBImage(width: width, height: height,
                        pixels: LuminanceTransfer.recombine(luminanceOf: rgb, chromaOf: chromaSource))
    }

    /// The evaluated image with the lowest loss since the last settings change or restart (the current
    /// image before any evaluation), 8-bit RGB at working size. This is what a run delivers: with Adam,
    /// or L-BFGS without line search, the current image can be worse.
    public var bestImage: RGBImage {
        RGBImage(width: width, height: height,
                 pixels: ImagePreprocessing.rgb(fromEngineImage: bestImageBuffer.pointer, count: bestImageBuffer.count))
    }

    /// Moves x back to `bestImage` (e.g. when the studio stops); the optimizer's history is cleared.
    public func returnToBestImage() {
        guard let best = bestLosses, let current = currentLosses, !(current.total <= best.total) else { return }
        image.copy(from: bestImageBuffer)
        currentLosses = nil
        optimizer.reset()
    }

    /// Evaluates the objective at the current image without moving it.
    public func evaluate() -> LossTerms {
        if let currentLosses { return currentLosses }
        _ = recorder.evaluate(at: image.pointer, gradient: gradient.pointer)
        noteEvaluated()
        return recorder.latest!
    }

    /// Evaluations of the objective so far, every step's and every `evaluate()`'s.
    public var objectiveEvaluations: Int { recorder.evaluations }

    /// The recorder's latest evaluation was at x (gradient in `gradient`): x becomes the best image if it is.
    private func noteEvaluated() {
        guard let losses = recorder.latest else { return }
        currentLosses = losses
        currentIsUsable = recorder.latestIsUsable
        guard currentIsUsable, losses.total < bestLosses?.total ?? .infinity else { return }
        bestLosses = losses
        bestImageBuffer.copy(from: image)
    }

    /// One iteration, recorded as the loss of the point it reached: a record says where x is now and what
    /// getting there cost (its seconds and evaluations), as PyTorch's log does (one row per point, each
    /// evaluated once). The first call of a run only evaluates the start image and records it as iteration
    /// 0 (one evaluation: the first line comes as early as possible); each later call is one optimizer step,
    /// numbered by the steps taken so far, which evaluates as often as its rule needs and ends with the new
    /// x evaluated (a line search's trials included in the record). So `n` steps take `n + 1` calls and the
    /// last record is the loss of the image a run delivers. A non-finite loss or gradient, or a loss
    /// `explosionFactor` times the best, steps back to the best image (the record then reports the best
    /// image's losses) and makes the optimizer's steps shorter, so the failed step is not taken again; three
    /// in a row throw `diverged`. After a settings change the step first evaluates x under the new settings.
    @discardableResult
    public func step() throws -> IterationRecord {
        let started = DispatchTime.now().uptimeNanoseconds
        let evaluationsBefore = recorder.evaluations
        func record(_ losses: LossTerms) -> IterationRecord {
            IterationRecord(iteration: iteration, losses: losses,
                            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
                            evaluations: recorder.evaluations - evaluationsBefore)
        }
        if iteration == 0 && currentLosses == nil { return record(evaluate()) }
        let losses = evaluate()
        iteration += 1
        if currentIsUsable && losses.total <= Self.explosionFactor * (bestLosses?.total ?? .infinity) {
            consecutiveFailures = 0
            var value = losses.total
            let result = optimizer.step(x: image.pointer, value: &value, gradient: gradient.pointer, objective: recorder)
            if result.moved { noteEvaluated() }
            return record(currentLosses ?? losses)
        }
        consecutiveFailures += 1
        image.copy(from: bestImageBuffer)
        currentLosses = nil
        optimizer.backOff()
        if consecutiveFailures >= 3 { throw StyleTransferError.diverged(iteration: iteration) }
        return record(bestLosses ?? losses)
    }

    /// Applies new settings from the next iteration on. Keeps the current image (resized when the size
    /// changes) and clears the optimizer's history. Targets are recomputed only when layers, pooling, size or
    /// colour mode change (painting weights and the style loss only re-blend them).
    public func apply(_ newSettings: StyleSettings) throws {
        let old = settings
        guard newSettings != old else { return }
        if newSettings.size != old.size || newSettings.color != old.color
            || !objective.canReweight(to: newSettings.objective) {
            let (oldWidth, oldHeight) = (width, height)
            let kept = currentImage
            let (objective, chromaSource, plan, _) = try Self.makeObjective(
                weights: weights, content: content, styles: styles, settings: newSettings, styleScale: styleScale,
                statisticsStore: statisticsStore)
            self.objective = objective
            self.chromaSource = chromaSource
            memoryPlan = plan
            if objective.width == oldWidth && objective.height == oldHeight && newSettings.color == old.color {
                // Same size (layers or pooling changed): x stays exactly as it was, not rounded to 8 bits.
                forgetEvaluations()
            } else {
                image = FloatBuffer(count: objective.imageCount)
                gradient = FloatBuffer(count: objective.imageCount)
                bestImageBuffer = FloatBuffer(count: objective.imageCount)
                load(kept.resized(width: objective.width, height: objective.height))
            }
            optimizer = Self.makeOptimizer(newSettings.optimizer, count: objective.imageCount)
            AllocatorPolicy.releaseFreedMemory()  // the old plan is gone: give its pages back
        } else {
            forgetEvaluations()
            objective.reweight(to: newSettings.objective)
            if newSettings.optimizer != old.optimizer {
                optimizer = Self.makeOptimizer(newSettings.optimizer, count: objective.imageCount)
            } else {
                optimizer.reset()
            }
        }
        settings = newSettings
        consecutiveFailures = 0
    }

    /// Starts over from the settings' init image, with a fresh optimizer.
    public func restart() throws {
        load(try Self.initialImage(settings.initialization, seed: settings.seed, content: content, style: style,
                                   width: width, height: height))
        optimizer.reset()
        iteration = 0
        consecutiveFailures = 0
    }

    /// Bytes of the planned buffers: network, prepared kernels, image vectors and optimizer history.
    public var plannedBytes: Int {
        var bytes = objective.network.plannedBytes + objective.network.preparedWeightBytes + 3 * image.bytes
        if let lbfgs = optimizer as? LBFGS { bytes += lbfgs.plannedBytes }
        return bytes
    }

    /// Floating-point operations of one iteration (see `TransferMemoryPlan.effectiveFlopsPerIteration`).
    public var effectiveFlopsPerIteration: Double { memoryPlan.effectiveFlopsPerIteration }
}
