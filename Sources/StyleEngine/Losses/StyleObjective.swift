/// One evaluation of the objective: the unweighted terms and their weights.
public struct ObjectiveValue: Hashable, Sendable {
    /// Σ_l w_l · mean((F_l(x) − F_l(content))²), before the content weight.
    public var content: Double
    /// Σ_l w_l · mean((G_l(x) − G_l(style))²), before the style weight.
    public var style: Double
    /// ½ Σ squared neighbour differences, before the TV weight.
    public var totalVariation: Double
    public var contentWeight: Double
    public var styleWeight: Double
    public var totalVariationWeight: Double

    public var weightedContent: Double { contentWeight * content }
    public var weightedStyle: Double { styleWeight * style }
    public var weightedTotalVariation: Double { totalVariationWeight * totalVariation }
    public var total: Double { weightedContent + weightedStyle + weightedTotalVariation }
}

/// `contentWeight·content + styleWeight·style + totalVariationWeight·tv` and its gradient with respect
/// to the image, on a network planned once for the image size.
public final class StyleObjective: @unchecked Sendable {
    public private(set) var settings: ObjectiveSettings
    public let network: VGG19Network
    let targets: StyleTargets
    /// C × C scratch for the style loss (the largest style layer's size).
    let gramScratch: FloatBuffer
    let differenceScratch: FloatBuffer
    let gramPartials: [FloatBuffer]
    /// Working memory of the Wasserstein loss, planned when that loss is first used.
    private var wassersteinScratch: WassersteinScratch?

    public var width: Int { network.imageShape.width }
    public var height: Int { network.imageShape.height }
    /// Floats in the image (H·W·3).
    public var imageCount: Int { network.imageShape.elementCount }

    public init(weights: VGG19Weights, settings: ObjectiveSettings, targets: StyleTargets, height: Int, width: Int) {
        precondition(settings.deepestLayer != nil, "the objective needs at least one content or style layer")
        precondition(targets.serves(settings), "targets were computed for other layers")
        self.settings = settings
        self.targets = targets
        network = VGG19Network(weights: weights, height: height, width: width,
                               deepestLayer: settings.deepestLayer!, pooling: settings.pooling,
                               use: settings.networkUse)
        let largestStyle = settings.styleLayers.map { $0.layer.outputChannels }.max() ?? 1
        gramScratch = FloatBuffer(count: largestStyle * largestStyle)
        differenceScratch = FloatBuffer(count: largestStyle * largestStyle)
        gramPartials = GramMatrix.makePartials(channels: largestStyle)
        targets.planContentFeatures(on: network)
        planStyleLoss()
    }

    /// Blends the targets for the settings' paintings and plans the Wasserstein loss's buffers if it is used.
    private func planStyleLoss() {
        targets.prepare(for: settings)
        guard settings.styleLoss == .wasserstein, wassersteinScratch == nil, !settings.styleLayers.isEmpty else { return }
        let layers = settings.styleLayers.map(\.layer)
        wassersteinScratch = WassersteinScratch(
            maximumChannels: layers.map(\.outputChannels).max()!,
            maximumPaddedPixels: layers.map { network.shape(of: $0).paddedPixelCount }.max()!)
    }

    /// Whether `newSettings` can be applied without new targets or a new network (only weights differ).
    public func canReweight(to newSettings: ObjectiveSettings) -> Bool {
        newSettings.deepestLayer == settings.deepestLayer && targets.serves(newSettings)
    }

    /// Changes the term, layer and painting weights or the style loss; the layers themselves must stay
    /// (see `canReweight`).
    public func reweight(to newSettings: ObjectiveSettings) {
        precondition(canReweight(to: newSettings))
        settings = newSettings
        planStyleLoss()
    }

    /// Evaluates the objective at `image` and writes d(total)/d(image) to `gradient`
    /// (both H × W × 3, BGR, mean subtracted).
    public func evaluate(image: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>) -> ObjectiveValue {
        let settings = self.settings
        // The content features come from this network (see StyleTargets' `contentFromObjective`): at the content
        // image itself this evaluation's forward pass gives them; elsewhere one more pass does, once.
        if let pending = targets.pendingContent {
            let record = targets.recordContentFeatures(of:activation:)
            if pending.pixels.elementsEqual(UnsafeBufferPointer(start: image, count: imageCount)) {
                network.forward(image: image, visit: record)
            } else {
                pending.pixels.withUnsafeBufferPointer { network.forward(image: $0.baseAddress!, visit: record) }
                network.forward(image: image)
            }
            targets.finishRecordingContentFeatures()
        } else {
            network.forward(image: image)
        }
        var content: Double = 0, style: Double = 0
        network.backward(addLossGradient: { layer, layerGradient in
            for term in settings.contentLayers where term.layer == layer {
                guard let target = targets.contentFeatures[layer] else { continue }
                content += term.weight * ContentLoss.evaluate(
                    features: network.activation(of: layer), target: target.pointer, shape: network.shape(of: layer),
                    gradient: layerGradient, scale: Float(settings.contentWeight * term.weight))
            }
            for term in settings.styleLayers where term.layer == layer && settings.styleLoss == .wasserstein {
                guard let target = targets.wassersteinTargets[layer], let scratch = wassersteinScratch else { continue }
                style += term.weight * WassersteinStyleLoss.evaluate(
                    features: network.activation(of: layer), shape: network.shape(of: layer), target: target,
                    scratch: scratch, gradient: layerGradient, scale: Float(settings.styleWeight * term.weight))
            }
            for term in settings.styleLayers where term.layer == layer && settings.styleLoss == .gram {
                guard let targetGram = targets.styleGrams[layer] else { continue }
                style += term.weight * StyleLoss.evaluate(
                    features: network.activation(of: layer), targetGram: targetGram.pointer,
                    shape: network.shape(of: layer), gram: gramScratch.pointer,
                    difference: differenceScratch.pointer, partials: gramPartials, gradient: layerGradient,
                    scale: Float(settings.styleWeight * term.weight))
            }
        }, into: gradient)
        let totalVariation = TotalVariationLoss.evaluate(
            image: image, height: height, width: width, channels: 3, gradient: gradient,
            scale: Float(settings.totalVariationWeight))
        return ObjectiveValue(content: content, style: style, totalVariation: totalVariation,
                              contentWeight: settings.contentWeight, styleWeight: settings.styleWeight,
                              totalVariationWeight: settings.totalVariationWeight)
    }
}
