import Foundation
import ImageIO
import StyleEngine
import Testing
@testable import StudioCore

/// Issue 9 (no stalls at any weight) and issue 14 item 2 (a diverged image is never delivered), on the
/// real weights and images at small sizes: runs go down within 5 iterations whatever the weights and
/// after settings changes, never jump above 10× their best, and deliver their best evaluated image.
@Suite("Step control: no stalls, no explosions, the best image delivered", .serialized)
struct StepControlTests {
    static func transfer(_ settings: StyleSettings, content: String = "content/chelsea_cat.png",
                         style: String = "style/starry_night.png") throws -> StyleTransfer {
        let assets = StyleSessionTests.repositoryRoot.appendingPathComponent("Assets")
        return try StyleTransfer(weights: StyleSessionTests.weights(),
                                 content: ImageFile.read(assets.appendingPathComponent(content)),
                                 style: ImageFile.read(assets.appendingPathComponent(style)), settings: settings)
    }

    /// The totals of the records of `count` iterations: the start image's, then the loss after each step.
    static func totals(_ transfer: StyleTransfer, iterations count: Int) throws -> [Double] {
        try (0...count).map { _ in try transfer.step().losses.total }
    }

    /// The two conditions of issue 9: after 5 iterations below the start, and never above 10× the best so far.
    static func checkNoStall(_ totals: [Double], _ label: String) {
        #expect(totals.count >= 6)
        #expect(totals[5] < totals[0], "\(label): after 5 iterations \(totals[5]), at the start \(totals[0]); \(totals)")
        var best = Double.infinity
        for (index, total) in totals.enumerated() {
            #expect(total.isFinite && total <= 10 * best, "\(label): iteration \(index) at \(total), best so far \(best); \(totals)")
            best = min(best, total)
        }
    }

    enum Weight: String, CaseIterable { case content, style, tv }

    /// Every weight from 1/1000 to 1000 times its default (the others at theirs), 64 px, default optimizer.
    @Test(arguments: Weight.allCases, [1e-3, 1e-1, 1e1, 1e3])
    func noStallAtAnyWeight(weight: Weight, factor: Double) throws {
        var settings = StyleSettings()
        settings.size = 64
        switch weight {
        case .content: settings.objective.contentWeight *= factor
        case .style: settings.objective.styleWeight *= factor
        case .tv: settings.objective.totalVariationWeight *= factor
        }
        Self.checkNoStall(try Self.totals(Self.transfer(settings), iterations: 5), "\(weight) ×\(factor)")
    }

    /// After 5 iterations, a change of weights (style ×1000 or ÷1000, the stall of issue 9), of layers, or of
    /// size, and then 5 more iterations still go down from the loss right after the change.
    @Test(arguments: ["style ×1000", "style ÷1000", "content ×1000", "layers", "size"])
    func noStallAfterASettingsChange(change: String) throws {
        var settings = StyleSettings()
        settings.size = 64
        let transfer = try Self.transfer(settings)
        _ = try Self.totals(transfer, iterations: 5)
        switch change {
        case "style ×1000": settings.objective.styleWeight *= 1000
        case "style ÷1000": settings.objective.styleWeight /= 1000
        case "content ×1000": settings.objective.contentWeight *= 1000
        case "layers": settings.objective.styleLayers = [WeightedLayer(VGGLayer(name: "conv3_1")!)]
        default: settings.size = 80
        }
        try transfer.apply(settings)
        Self.checkNoStall(try Self.totals(transfer, iterations: 5), change)
    }

    /// The loss of an 8-bit image under `settings` (as a fresh run starting from it would report).
    static func loss(of image: RGBImage, _ settings: StyleSettings, content: String) throws -> Double {
        let assets = StyleSessionTests.repositoryRoot.appendingPathComponent("Assets")
        return try StyleTransfer(weights: StyleSessionTests.weights(),
                                 content: ImageFile.read(assets.appendingPathComponent(content)),
                                 style: ImageFile.read(assets.appendingPathComponent("style/starry_night.png")),
                                 settings: settings, initialImage: image).evaluate().total
    }

    /// Issue 14 item 2: Adam at learning rate 10000 (tubingen + starry_night, 64 px) used to alternate
    /// 3.5e8 / 1.5e18 and deliver an unevaluated last step scoring 100× the start. The best image is the
    /// lowest evaluated one, and it scores (in 8 bits) about what its record says.
    @Test(arguments: ["adam", "lbfgs", "lbfgs without line search"])
    func theBestEvaluatedImageIsDelivered(optimizer: String) throws {
        var settings = StyleSettings()
        settings.size = 64
        let iterations: Int
        if optimizer == "adam" {
            settings.optimizer = OptimizerSettings(kind: .adam, learningRate: 10000)
            iterations = 9
        } else {
            settings.objective.styleWeight = 1e12
            settings.optimizer.learningRate = 10000
            if optimizer != "lbfgs" { settings.optimizer.lineSearch = .none }
            iterations = 14
        }
        let content = "content/tubingen.png"
        let transfer = try Self.transfer(settings, content: content)
        var totals: [Double] = []
        for _ in 0..<iterations {
            do { totals.append(try transfer.step().losses.total) } catch StyleTransferError.diverged { break }
        }
        let best = try #require(transfer.bestLosses).total
        #expect(best <= totals.min()!, "\(best) vs \(totals)")
        #expect(best <= totals[0])
        let delivered = try Self.loss(of: transfer.bestImage, settings, content: content)
        // 8-bit rounding and clipping to 0…255 cost a little (26% at style weight 1e12, where x leaves the range).
        // Adam at this rate never improves on the start: the start is what it must deliver.
        #expect(delivered <= 1.5 * best && delivered <= totals[0],
                "the delivered image scores \(delivered); its record says \(best); the start \(totals[0])")
        // What the old code delivered: the image x ended at, whatever its loss.
        let last = try Self.loss(of: transfer.currentImage, settings, content: content)
        print("\(optimizer): start \(totals[0]), best \(best) (delivered: \(delivered)), last image \(last); \(totals)")
    }

    /// The studio's stop keeps the best image: `returnToBestImage` moves x back to it.
    @Test func returnToBestImageMovesXBack() throws {
        var settings = StyleSettings()
        settings.size = 64
        settings.optimizer = OptimizerSettings(kind: .adam, learningRate: 10000)
        let transfer = try Self.transfer(settings, content: "content/tubingen.png")
        for _ in 0..<6 { try transfer.step() }
        let best = try #require(transfer.bestLosses)
        transfer.returnToBestImage()
        #expect(transfer.currentImage == transfer.bestImage)
        #expect(transfer.evaluate() == best)
    }
}
