import StudioCore
import StyleEngine
import Testing
@testable import StudioUI

func succeeded(_ result: Result<Void, ControlValues.ToggleRefusal>) -> Bool {
    if case .success = result { return true }
    return false
}

@Suite("Control values")
struct ControlValuesTests {
    @Test("layer toggles change the settings and remember weights")
    func toggles() throws {
        var values = ControlValues(settings: StyleSettings())
        #expect(values.settings.objective.styleLayers.map(\.layer.name)
                == ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"])
        // block1_conv2 (index 1) on for style, with a weight.
        let rememberedWhileOff = values.adjust(.layer(1), term: .style, by: 10)
        #expect(rememberedWhileOff)        // 1 -> 10 while off: remembered
        #expect(values.settings.objective.styleLayers.count == 5)
        #expect(succeeded(values.toggle(layer: 1, term: .style)))
        #expect(values.settings.objective.styleLayers.map(\.layer.index) == [0, 1, 2, 4, 8, 12])
        let conv12 = try #require(values.settings.objective.styleLayers.first { $0.layer.index == 1 })
        #expect(abs(conv12.weight - 10) < 1e-9)
        // Off and on again keeps 10.
        _ = values.toggle(layer: 1, term: .style)
        #expect(!values.settings.objective.styleLayers.contains { $0.layer.index == 1 })
        _ = values.toggle(layer: 1, term: .style)
        #expect(abs((values.settings.objective.styleLayers.first { $0.layer.index == 1 }?.weight ?? 0) - 10) < 1e-9)
        // Layers stay in network order.
        #expect(values.settings.objective.styleLayers.map(\.layer.index) == values.settings.objective.styleLayers.map(\.layer.index).sorted())
    }

    @Test("the last enabled layer cannot be switched off")
    func lastLayer() {
        var settings = StyleSettings()
        settings.objective.contentLayers = []
        settings.objective.styleLayers = [WeightedLayer(VGGLayer(index: 3))]
        var values = ControlValues(settings: settings)
        #expect(!succeeded(values.toggle(layer: 3, term: .style)))
        #expect(values.settings.objective.styleLayers.count == 1)
        #expect(succeeded(values.toggle(layer: 0, term: .content)))
        #expect(values.settings.objective.contentLayers.map(\.layer.index) == [0])
        // Now another layer is on, so the style one may go.
        #expect(succeeded(values.toggle(layer: 3, term: .style)))
        #expect(values.settings.objective.styleLayers.isEmpty)
    }

    @Test("weights are adjusted on their sliders and clamped")
    func weights() {
        var values = ControlValues(settings: StyleSettings())
        let styleChanged = values.adjust(.styleWeight, by: 1)
        #expect(styleChanged)
        #expect(values.settings.objective.styleWeight == 125)
        let totalVariationChanged = values.adjust(.totalVariationWeight, by: -30)
        #expect(totalVariationChanged)
        #expect(values.settings.objective.totalVariationWeight == 1e-6)
        values.setWeight(1e9, of: .contentWeight)
        #expect(values.settings.objective.contentWeight == 1e5)
        let contentChanged = values.adjust(.contentWeight, by: 1)
        #expect(!contentChanged)                 // already at the top: nothing changes
        values.setWeight(0, of: .contentWeight)
        #expect(values.settings.objective.contentWeight == 0)
        #expect(values.valueText(of: .contentWeight) == "off")
    }

    @Test("size, optimizer, init and seed step through their choices")
    func choices() {
        var values = ControlValues(settings: StyleSettings(size: 384))
        values.adjust(.size, by: 1)
        #expect(values.settings.size == 448)
        values.adjust(.size, by: -2)
        #expect(values.settings.size == 320)
        #expect(ControlValues.size(after: 300, steps: 1) == 320)
        #expect(ControlValues.size(after: 300, steps: -1) == 256)
        #expect(ControlValues.size(after: 2048, steps: 1) == 2048)
        #expect(ControlValues.size(after: 64, steps: -1) == 64)

        values.adjust(.optimizer, by: 1)
        #expect(values.settings.optimizer.kind == .adam)
        #expect(values.settings.optimizer.learningRate == OptimizerSettings.defaultLearningRate(for: .adam))
        values.adjust(.optimizer, by: 1)
        #expect(values.settings.optimizer.kind == .lbfgs)

        values.adjust(.initialization, by: 1)
        #expect(values.settings.initialization == .style)
        values.adjust(.initialization, by: 1)
        #expect(values.settings.initialization == .noise)
        values.adjust(.initialization, by: 1)
        #expect(values.settings.initialization == .content)

        values.adjust(.seed, by: -1)
        #expect(values.settings.seed == 0)
        values.adjust(.seed, by: 3)
        #expect(values.settings.seed == 3)
    }

    @Test("a new preset replaces the settings but keeps remembered weights of layers left off")
    func replace() {
        var values = ControlValues(settings: StyleSettings())
        values.adjust(.layer(7), term: .content, by: 5)               // block3_conv4 content weight 3, off
        var preset = StyleSettings(size: 256)
        preset.objective.styleWeight = 1000
        values.replace(with: preset)
        #expect(values.settings == preset)
        #expect(values.choice(layer: 7, term: .content).weight == 3)
        #expect(!values.choice(layer: 7, term: .content).isEnabled)
    }
}
