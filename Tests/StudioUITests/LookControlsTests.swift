import StudioCore
import StyleEngine
import Testing
@testable import StudioUI

@Suite("Look controls: colour and style loss rows")
struct LookControlsTests {
    static func focus(_ item: ControlItem, in model: inout StudioModel, reducer: StudioReducer) {
        while model.focusedItem != item { _ = reducer.reduce(&model, .key(.down)) }
    }

    @Test("Enter and the arrows cycle the colour mode and apply it, with a description")
    func colourRow() {
        let reducer = makeReducer()
        var model = makeModel()
        Self.focus(.color, in: &model, reducer: reducer)
        #expect(model.controls.valueText(of: .color) == "original")
        let effects = reducer.reduce(&model, .key(.enter))
        #expect(model.settings.color == .luminance)
        #expect(effects == [.apply(model.settings)])
        #expect(model.message?.text.contains("photo's colours") == true)
        _ = reducer.reduce(&model, .key(.right))
        #expect(model.settings.color == .match)
        _ = reducer.reduce(&model, .key(.right))
        #expect(model.settings.color == .original)
        _ = reducer.reduce(&model, .key(.left))
        #expect(model.settings.color == .match)
    }

    @Test("the loss row switches between Gram and Wasserstein")
    func lossRow() {
        let reducer = makeReducer()
        var model = makeModel()
        Self.focus(.styleLoss, in: &model, reducer: reducer)
        #expect(reducer.reduce(&model, .key(.enter)) == [.apply(model.settings)])
        #expect(model.settings.objective.styleLoss == .wasserstein)
        #expect(model.controls.valueText(of: .styleLoss) == "wasserstein")
        #expect(ControlItem.styleLoss.note(model.settings) == "mean+covariance")
        _ = reducer.reduce(&model, .key(.enter))
        #expect(model.settings.objective.styleLoss == .gram)
    }
}
