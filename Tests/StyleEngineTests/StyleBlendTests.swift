import Testing
@testable import StyleEngine

/// Several paintings: blended statistics, and one painting staying exactly today's computation.
@Suite("Style blends", .serialized)
struct StyleBlendTests {
    static func objective(_ weights: VGG19Weights, settings: ObjectiveSettings, styles: [String]) throws -> StyleObjective {
        let content = try ReferenceTests.engineImage("content.png")
        let images = try styles.map { name -> EngineImage in
            let image = try ReferenceTests.engineImage(name)
            return EngineImage(pixels: image.pixels, width: image.width, height: image.height)
        }
        let targets = StyleTargets(weights: weights, settings: settings,
                                   content: EngineImage(pixels: content.pixels, width: content.width, height: content.height),
                                   styles: images)
        return StyleObjective(weights: weights, settings: settings, targets: targets, height: 96, width: 128)
    }

    static func evaluate(_ objective: StyleObjective, at image: [Float]) -> (ObjectiveValue, [Float]) {
        let gradient = FloatBuffer(count: image.count)
        let value = image.withUnsafeBufferPointer { objective.evaluate(image: $0.baseAddress!, gradient: gradient.pointer) }
        return (value, gradient.array)
    }

    @Test func onePaintingIsTodaysComputation() throws {
        let weights = try ReferenceTests.loadWeights()
        var random = TestRandom(seed: 12)
        let image = random.floats(96 * 128 * 3, scale: 100)
        let settings = ObjectiveSettings()
        // Today's construction (one style image, the original initializer) …
        let content = try ReferenceTests.engineImage("content.png"), style = try ReferenceTests.engineImage("style.png")
        let todays = StyleTargets(weights: weights, settings: settings, content: content.pixels, contentWidth: content.width,
                                  contentHeight: content.height, style: style.pixels, styleWidth: style.width,
                                  styleHeight: style.height)
        // … its Gram matrices are the plain Gram matrices of the painting's features …
        let network = VGG19Network(weights: weights, height: style.height, width: style.width,
                                   deepestLayer: settings.deepestLayer!, pooling: .max)
        style.pixels.withUnsafeBufferPointer {
            network.forward(image: $0.baseAddress!) { layer, activation in
                guard let target = todays.styleGrams[layer] else { return }
                let shape = network.shape(of: layer)
                let gram = FloatBuffer(count: shape.channels * shape.channels)
                GramMatrix.compute(features: activation, shape: shape, into: gram.pointer,
                                   partials: GramMatrix.makePartials(channels: shape.channels))
                #expect(gram.array == target.array, "\(layer.name)")
            }
        }
        // … and a second painting with weight 0 changes nothing, bit for bit.
        let single = StyleObjective(weights: weights, settings: settings, targets: todays, height: 96, width: 128)
        var blended = settings
        blended.styleBlend = [1, 0]
        let withZero = try Self.objective(weights, settings: blended, styles: ["style.png", "init.png"])
        let (value, gradient) = Self.evaluate(single, at: image)
        let (otherValue, otherGradient) = Self.evaluate(withZero, at: image)
        #expect(value == otherValue)
        #expect(gradient == otherGradient)
    }

    @Test(arguments: [StyleLossKind.gram, .wasserstein])
    func blendIsBetweenThePaintings(loss: StyleLossKind) throws {
        let weights = try ReferenceTests.loadWeights()
        // Shallow layers keep the test quick; the blend is the same at every layer.
        var settings = ObjectiveSettings(contentLayers: [WeightedLayer(VGGLayer(name: "block2_conv2")!)],
                                         styleLayers: (1...3).map { WeightedLayer(VGGLayer(name: "block\($0)_conv1")!) })
        settings.styleLoss = loss
        settings.styleBlend = [3, 1]
        let objective = try Self.objective(weights, settings: settings, styles: ["style.png", "init.png"])
        let targets = objective.targets
        let first = try Self.objective(weights, settings: { var s = settings; s.styleBlend = [1, 0]; return s }(),
                                       styles: ["style.png", "init.png"]).targets
        let second = try Self.objective(weights, settings: { var s = settings; s.styleBlend = [0, 1]; return s }(),
                                        styles: ["style.png", "init.png"]).targets
        for layer in settings.styleLayers.map(\.layer) {
            let (g, a, b) = (targets.styleGrams[layer]!.array, first.styleGrams[layer]!.array, second.styleGrams[layer]!.array)
            let expected = zip(a, b).map { 0.75 * Double($0) + 0.25 * Double($1) }
            #expect(maxAbsoluteDifference(g.map(Double.init), expected) <= 1e-6 * (expected.map(abs).max() ?? 1))
            if loss == .wasserstein {
                let (m, ma, mb) = (targets.wassersteinTargets[layer]!.mean.array, first.wassersteinTargets[layer]!.mean.array,
                                   second.wassersteinTargets[layer]!.mean.array)
                #expect(maxAbsoluteDifference(m.map(Double.init), zip(ma, mb).map { 0.75 * Double($0) + 0.25 * Double($1) })
                        <= 1e-5 * Double(ma.map(abs).max()!))
            }
        }
        // Re-blending live changes the targets without new images.
        var reweighted = settings
        reweighted.styleBlend = [0, 1]
        #expect(objective.canReweight(to: reweighted))
        objective.reweight(to: reweighted)
        for layer in settings.styleLayers.map(\.layer) {
            #expect(objective.targets.styleGrams[layer]!.array == second.styleGrams[layer]!.array)
        }
    }
}
