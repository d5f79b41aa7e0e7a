import Foundation
import StudioCore
import Testing
@testable import StudioUI

@Suite("Reducer: what a newcomer runs into")
struct NewcomerReducerTests {
    func save(_ name: String) -> [StudioEffect] {
        let reducer = makeReducer()
        var model = runningModel()
        _ = reducer.reduce(&model, .key(.character("w")))
        _ = reducer.reduce(&model, .key(.control("u")))
        for character in name { _ = reducer.reduce(&model, .key(.character(character))) }
        return reducer.reduce(&model, .key(.enter))
    }

    @Test("w writes JPEG for a .jpg or .jpeg name, PNG otherwise (no name.jpg.png)")
    func saveFormats() {
        #expect(save("cat.jpg") == [.saveResult(tinyImage, path: "/work/cat.jpg", imageVersion: 1, thenQuit: false)])
        #expect(save("cat.JPEG") == [.saveResult(tinyImage, path: "/work/cat.JPEG", imageVersion: 1, thenQuit: false)])
        #expect(save("cat") == [.saveResult(tinyImage, path: "/work/cat.png", imageVersion: 1, thenQuit: false)])
        #expect(ImageFileKind.isJPEG("a.Jpg") && !ImageFileKind.isJPEG("a.png"))
    }

    @Test("switching off the only content layer is allowed but says what it means")
    func onlyContentLayerOff() {
        let reducer = makeReducer()
        var model = makeModel()
        let contentLayer = model.settings.objective.contentLayers.map(\.layer)
        #expect(contentLayer.count == 1)
        guard let layer = contentLayer.first, let index = ControlItem.all.firstIndex(of: .layer(layer.index)) else { return }
        model.focus = index
        model.focusTerm = .content
        let effects = reducer.reduce(&model, .key(.enter))
        #expect(model.settings.objective.contentLayers.isEmpty)
        #expect(effects == [.apply(model.settings)])
        #expect(model.message?.text.contains("no content layer left") == true)
    }

    @Test("the header's progress: time left to --iterations, else the loss's fall per iteration, then converged")
    func progress() {
        var model = makeModel()
        model.run.state = .running
        model.run.iteration = 40
        model.run.secondsPerIteration = 0.5
        model.iterationLimit = 100
        #expect(RunProgress.text(model) == "ETA 30 s")
        model.iterationLimit = nil
        #expect(RunProgress.text(model) == nil, "no history yet")
        for iteration in 1...11 {
            model.history.record(iteration: iteration, losses: LossTerms(content: 100 * pow(0.9, Double(iteration)), style: 0,
                                                                         totalVariation: 0), generation: 0)
        }
        #expect(RunProgress.text(model) == "-10.0%/it")
        for iteration in 12...30 {
            model.history.record(iteration: iteration, losses: LossTerms(content: 1, style: 0, totalVariation: 0), generation: 0)
        }
        #expect(RunProgress.text(model) == "converged")
        model.history.record(iteration: 31, losses: LossTerms(content: 1, style: 0, totalVariation: 0), generation: 1)
        #expect(RunProgress.text(model) == nil, "a settings change inside the window")
        #expect(RunProgress.duration(200) == "3 min 20 s")
    }
}
