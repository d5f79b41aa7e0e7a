import ImageIO
import StyleEngine

/// What one `StyleTransfer` at one size allocates, computed without allocating: the working and style
/// sizes, the two networks it plans (the style targets', freed before the objective's is built; the
/// objective's network records the content features itself, see `StyleTargets`) and the image-sized
/// vectors of the run. `StyleTransfer` takes
/// its sizes from here and checks its memory against it; `render --dry-run`, the first lines of a render
/// and the studio's final-render dialog print it. The networks' own buffers come from `VGG19MemoryPlan`.
public struct TransferMemoryPlan: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public let styleWidth: Int
    public let styleHeight: Int
    /// The objective's network, alive for the whole run.
    public let objectiveNetwork: VGG19MemoryPlan
    /// The objective's forward pass to the deepest content layer that records the content features (work
    /// only: it runs on the objective's network), nil when there is no content layer.
    public let contentPass: VGG19MemoryPlan?
    /// The network that computes the style targets while the run is planned (nil when no style layer).
    public let styleNetwork: VGG19MemoryPlan?
    let settings: StyleSettings

    /// `styleScale`: the style image's long side relative to the working image's (1: the same).
    public init(settings: StyleSettings, contentWidth: Int, contentHeight: Int, styleWidth: Int, styleHeight: Int,
                styleScale: Double = 1) {
        self.settings = settings
        (width, height) = StyleTransfer.workingSize(width: contentWidth, height: contentHeight, longSide: settings.size)
        let styleLongSide = Self.styleLongSide(size: settings.size, styleScale: styleScale)
        (self.styleWidth, self.styleHeight) = StyleTransfer.workingSize(width: styleWidth, height: styleHeight,
                                                                       longSide: styleLongSide)
        let objective = settings.objective
        let (height, width, styleHeight, styleWidth) = (self.height, self.width, self.styleHeight, self.styleWidth)
        objectiveNetwork = VGG19MemoryPlan(height: height, width: width,
                                           deepestLayer: objective.deepestLayer ?? VGGLayer.all[0], use: objective.networkUse)
        contentPass = objective.contentLayers.map(\.layer).max().map {
            VGG19MemoryPlan(height: height, width: width, deepestLayer: $0)
        }
        styleNetwork = objective.styleLayers.map(\.layer).max().map {
            VGG19MemoryPlan(height: styleHeight, width: styleWidth, deepestLayer: $0)
        }
    }

    /// The plan for a photo and one or more paintings: the style network is sized for the painting that is
    /// largest at the style scale (the targets of the others are computed in turn, in less of it).
    public init(settings: StyleSettings, content: RGBImage, styles: [RGBImage], styleScale: Double = 1) {
        let longSide = Self.styleLongSide(size: settings.size, styleScale: styleScale)
        let largest = styles.max { first, second in
            let a = StyleTransfer.workingSize(width: first.width, height: first.height, longSide: longSide)
            let b = StyleTransfer.workingSize(width: second.width, height: second.height, longSide: longSide)
            return a.width * a.height < b.width * b.height
        } ?? content
        self.init(settings: settings, contentWidth: content.width, contentHeight: content.height,
                  styleWidth: largest.width, styleHeight: largest.height, styleScale: styleScale)
    }

    /// The style images' long side for a working size and a style scale.
    public static func styleLongSide(size: Int, styleScale: Double) -> Int {
        max(1, Int((Double(size) * styleScale).rounded()))
    }

    static let floatBytes = MemoryLayout<Float>.stride

    /// Floats in the working image (H·W·3).
    public var imageCount: Int { width * height * 3 }

    /// The targets kept for the run: padded content features and C × C style Grams.
    public var targetBytes: Int {
        let content = settings.objective.contentLayers.reduce(0) { $0 + objectiveNetwork.shape(of: $1.layer).paddedCount }
        let style = settings.objective.styleLayers.reduce(0) { $0 + $1.layer.outputChannels * $1.layer.outputChannels }
        return (content + style) * Self.floatBytes
    }

    /// Image-sized vectors held by the run after `iterations` steps (nil: all of them): x, its gradient,
    /// the best x, and the optimizer's (L-BFGS: direction, previous gradient, the line search's start point,
    /// and one (s, y) pair per accepted step, whose pages are committed only when first written).
    public func vectorBytes(afterIterations iterations: Int? = nil) -> Int {
        var vectors = 3
        switch settings.optimizer.kind {
        case .lbfgs:
            let pairs = iterations.map { min(max($0 - 1, 0), settings.optimizer.historySize) } ?? settings.optimizer.historySize
            vectors += 2 + 2 * pairs + (settings.optimizer.lineSearch == .strongWolfe ? 1 : 0)
        case .adam:
            vectors += 2
        }
        return vectors * imageCount * Self.floatBytes
    }

    /// The objective's Gram scratch (two C × C maps and one partial sum per worker).
    var objectiveScratchBytes: Int {
        let channels = settings.objective.styleLayers.map(\.layer.outputChannels).max() ?? 1
        return (2 + objectiveNetwork.workerCount) * channels * channels * Self.floatBytes
    }

    /// The content and style images while the targets are computed: 8-bit resized copies and float engine images.
    var planningImageBytes: Int {
        let pixels = width * height + styleWidth * styleHeight
        return pixels * 3 * (1 + Self.floatBytes)
    }

    /// Bytes the run holds at its peak (the planning of targets or the run itself, whichever is larger),
    /// not counting the weights and their prepared kernels, which all runs of one process share.
    public func peakBytes(afterIterations iterations: Int? = nil) -> Int {
        let stylePhase = planningImageBytes + targetBytes + (styleNetwork?.bytes ?? 0)
        let runPhase = objectiveNetwork.bytes + targetBytes + objectiveScratchBytes + vectorBytes(afterIterations: iterations)
        return max(stylePhase, runPhase)
    }

    /// Bytes of the prepared kernels the run uses (made once per process, shared by every size).
    public var preparedWeightBytes: Int { objectiveNetwork.preparedWeightBytes }

    /// Floating-point operations of one iteration, counted as the PyTorch peer's `vgg_flops.py` does:
    /// convolutions forward and backward (2 per multiply-add), Gram matrices 2·C²·HW forward and
    /// 4·C²·HW backward per style layer. Elementwise work is not counted.
    public var effectiveFlopsPerIteration: Double {
        var flops = 2.0 * 2.0 * Double(objectiveNetwork.forwardMultiplyAdds)
        for term in settings.objective.styleLayers {
            let shape = objectiveNetwork.shape(of: term.layer)
            flops += 6.0 * Double(shape.channels * shape.channels) * Double(shape.height * shape.width)
        }
        return flops
    }

    /// Floating-point operations of planning the run: one forward pass for the style targets (with their
    /// Grams) and one to the content layer for the content features, counted the same way (that one is
    /// free when the run starts at the photo itself, as a first stage does: a small overestimate there).
    public var planningFlops: Double {
        var flops = 2.0 * Double((contentPass?.forwardMultiplyAdds ?? 0) + (styleNetwork?.forwardMultiplyAdds ?? 0))
        if let styleNetwork {
            for term in settings.objective.styleLayers {
                let shape = styleNetwork.shape(of: term.layer)
                flops += 2.0 * Double(shape.channels * shape.channels) * Double(shape.height * shape.width)
            }
        }
        return flops
    }
}
