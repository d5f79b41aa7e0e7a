import Testing
@testable import StyleEngine

/// Content features recorded by the objective's own network (`contentFromObjective`, what a run uses to
/// start faster) against content features computed by a network of their own (the reference path).
@Suite("Content features from the objective's forward pass", .serialized)
struct ContentFromObjectiveTests {
    static func objective(_ weights: VGG19Weights, settings: ObjectiveSettings,
                          fromObjective: Bool) throws -> StyleObjective {
        let content = try ReferenceTests.engineImage("content.png"), style = try ReferenceTests.engineImage("style.png")
        let targets = StyleTargets(weights: weights, settings: settings,
                                   content: EngineImage(pixels: content.pixels, width: content.width, height: content.height),
                                   styles: [EngineImage(pixels: style.pixels, width: style.width, height: style.height)],
                                   contentFromObjective: fromObjective)
        return StyleObjective(weights: weights, settings: settings, targets: targets,
                              height: content.height, width: content.width)
    }

    /// block4_conv2 (the default) and block1_conv1, whose activation the network recomputes in its
    /// backward pass instead of keeping it: both are recorded while the forward pass runs.
    @Test(arguments: ["block4_conv2", "block1_conv1"])
    func sameValuesAndGradientsAsTheirOwnNetwork(contentLayer: String) throws {
        let weights = try ReferenceTests.loadWeights()
        var settings = ObjectiveSettings()
        settings.contentLayers = [WeightedLayer(VGGLayer(name: contentLayer)!)]
        let content = try ReferenceTests.engineImage("content.png").pixels
        var random = TestRandom(seed: 41)
        let elsewhere = zip(content, random.floats(content.count, scale: 20)).map { $0 + $1 }
        // Starting at the content image (one forward pass gives the features) or elsewhere (one more pass).
        for (start, passes) in [(content, 1), (elsewhere, 2)] {
            let own = try Self.objective(weights, settings: settings, fromObjective: false)
            let recorded = try Self.objective(weights, settings: settings, fromObjective: true)
            for image in [start, start == content ? elsewhere : content] {
                let (value, gradient) = StyleBlendTests.evaluate(own, at: image)
                let (recordedValue, recordedGradient) = StyleBlendTests.evaluate(recorded, at: image)
                #expect(recordedValue == value)
                #expect(recordedGradient == gradient)
                if image == content { #expect(value.content == 0) }
            }
            #expect(recorded.network.forwardPasses == passes + 1, "start at \(start == content ? "content" : "elsewhere")")
        }
    }
}
