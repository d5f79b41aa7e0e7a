import Foundation
import ImageIO
import Testing
@testable import StyleEngine

/// The engine against numbers computed independently with PyTorch (float64) on the same weights and
/// images: Tests/Fixtures/reference/README.md defines them.
@Suite("Engine against the PyTorch reference", .serialized)
struct ReferenceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let referenceDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/reference")

    static func loadWeights() throws -> VGG19Weights {
        let path = ProcessInfo.processInfo.environment["STYLESTUDIO_WEIGHTS"]
        return try VGG19Weights(contentsOf: path.map { URL(fileURLWithPath: $0) } ?? VGG19Weights.defaultLocation)
    }

    static func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("reference.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func engineImage(_ name: String) throws -> (pixels: [Float], width: Int, height: Int) {
        let image = try ImageFile.read(referenceDirectory.appendingPathComponent(name))
        return (ImagePreprocessing.engineImage(fromRGB: image.pixels), image.width, image.height)
    }

    static func double(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }

    /// The default objective with content.png and style.png as targets, planned for a height × width image.
    static func referenceObjective(weights: VGG19Weights, height: Int, width: Int) throws -> StyleObjective {
        let content = try engineImage("content.png"), style = try engineImage("style.png")
        let settings = ObjectiveSettings()
        let targets = StyleTargets(weights: weights, settings: settings,
                                   content: content.pixels, contentWidth: content.width, contentHeight: content.height,
                                   style: style.pixels, styleWidth: style.width, styleHeight: style.height)
        return StyleObjective(weights: weights, settings: settings, targets: targets, height: height, width: width)
    }

    @Test func activationsOfContentImage() throws {
        let weights = try Self.loadWeights()
        let reference = try Self.reference()["activations_of_content_png"] as! [String: [String: Any]]
        let content = try Self.engineImage("content.png")
        let network = VGG19Network(weights: weights, height: content.height, width: content.width,
                                   deepestLayer: VGGLayer.all.last!, pooling: .max)
        var activations: [VGGLayer: [Double]] = [:]
        content.pixels.withUnsafeBufferPointer {
            network.forward(image: $0.baseAddress!) { layer, activation in
                activations[layer] = Layouts.chw(activation, shape: network.shape(of: layer))
            }
        }
        for layer in VGGLayer.all {
            let expected = try #require(reference[layer.name])
            let shape = network.shape(of: layer)
            #expect((expected["shape"] as! [Int]) == [shape.channels, shape.height, shape.width])
            let values = try #require(activations[layer])
            let sum = values.reduce(0, +)
            let l2 = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
            #expect(relativeError(sum, Self.double(expected["sum"])) < 1e-4, "\(layer) sum")
            #expect(relativeError(sum / Double(values.count), Self.double(expected["mean"])) < 1e-4, "\(layer) mean")
            #expect(relativeError(l2, Self.double(expected["l2"])) < 1e-4, "\(layer) l2")
            #expect(relativeError(values.max()!, Self.double(expected["max"])) < 1e-4, "\(layer) max")
            #expect(abs(zeros - Self.double(expected["fraction_zero"])) < 1e-3, "\(layer) fraction of zeros")
            let scale = Self.double(expected["max"])
            var worst = [relativeError(sum, Self.double(expected["sum"])), relativeError(l2, Self.double(expected["l2"])),
                         relativeError(values.max()!, scale)].max()!
            for probe in expected["probes"] as! [[String: Any]] {
                let c = probe["c"] as! Int, y = probe["y"] as! Int, x = probe["x"] as! Int
                let actual = values[(c * shape.height + y) * shape.width + x]
                #expect(abs(actual - Self.double(probe["value"])) < 1e-4 * scale, "\(layer) probe \(c),\(y),\(x)")
                worst = max(worst, abs(actual - Self.double(probe["value"])) / scale)
            }
            print("reference: \(layer) (\(network.convolutions[layer.index].algorithm)) worst relative difference \(worst)")
        }
    }

    @Test func gramMatricesOfStyleImage() throws {
        let weights = try Self.loadWeights()
        let reference = try Self.reference()["gram_of_style_png"] as! [String: [String: Any]]
        let style = try Self.engineImage("style.png")
        let network = VGG19Network(weights: weights, height: style.height, width: style.width,
                                   deepestLayer: VGGLayer(name: "block5_conv1")!, pooling: .max)
        var grams: [VGGLayer: [Double]] = [:]
        style.pixels.withUnsafeBufferPointer {
            network.forward(image: $0.baseAddress!) { layer, activation in
                let shape = network.shape(of: layer)
                let gram = FloatBuffer(count: shape.channels * shape.channels)
                GramMatrix.compute(features: activation, shape: shape, into: gram.pointer,
                                   partials: GramMatrix.makePartials(channels: shape.channels))
                grams[layer] = gram.array.map(Double.init)
            }
        }
        for (name, expected) in reference {
            let layer = try #require(VGGLayer(name: name))
            let shape = network.shape(of: layer)
            let values = try #require(grams[layer])
            let trace = (0..<shape.channels).reduce(0) { $0 + values[$1 * shape.channels + $1] }
            #expect(relativeError(values.reduce(0, +), Self.double(expected["sum"])) < 1e-4, "\(name) sum")
            #expect(relativeError(trace, Self.double(expected["trace"])) < 1e-4, "\(name) trace")
            #expect(relativeError(values.reduce(0) { $0 + $1 * $1 }.squareRoot(), Self.double(expected["l2"])) < 1e-4,
                    "\(name) l2")
            #expect(relativeError(values[0], Self.double(expected["first"])) < 1e-3, "\(name) [0,0]")
            let worst = [relativeError(values.reduce(0, +), Self.double(expected["sum"])),
                         relativeError(trace, Self.double(expected["trace"])),
                         relativeError(values.reduce(0) { $0 + $1 * $1 }.squareRoot(), Self.double(expected["l2"]))].max()!
            print("reference: Gram of \(name) worst relative difference \(worst) (sum, trace, l2)")
        }
    }

    /// Objective terms and gradients at init.png (content target content.png, style target style.png).
    @Test func lossesAndGradientsAtInitImage() throws {
        let weights = try Self.loadWeights()
        let reference = try Self.reference()["at_init_png"] as! [String: Any]
        let unweighted = reference["unweighted"] as! [String: Any]
        let gradientNorms = reference["gradient_l2"] as! [String: Any]
        let initImage = try Self.engineImage("init.png")
        let defaults = ObjectiveSettings()
        let objective = try Self.referenceObjective(weights: weights, height: initImage.height, width: initImage.width)
        var gradient = [Float](repeating: 0, count: initImage.pixels.count)
        func evaluate(_ settings: ObjectiveSettings) -> ObjectiveValue {
            objective.reweight(to: settings)
            return initImage.pixels.withUnsafeBufferPointer { image in
                gradient.withUnsafeMutableBufferPointer { objective.evaluate(image: image.baseAddress!, gradient: $0.baseAddress!) }
            }
        }
        func norm() -> Double { gradient.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }

        let total = evaluate(defaults)
        #expect(relativeError(total.content, Self.double(unweighted["content"])) < 1e-4)
        #expect(relativeError(total.style, Self.double(unweighted["style"])) < 1e-4)
        #expect(relativeError(total.totalVariation, Self.double(unweighted["tv"])) < 1e-5)
        #expect(relativeError(total.total, Self.double(reference["total_weighted"])) < 1e-4)
        #expect(relativeError(norm(), Self.double(gradientNorms["total_weighted"])) < 1e-4)
        print("reference: losses relative difference content \(relativeError(total.content, Self.double(unweighted["content"]))), "
              + "style \(relativeError(total.style, Self.double(unweighted["style"]))), "
              + "total \(relativeError(total.total, Self.double(reference["total_weighted"]))), "
              + "gradient norm \(relativeError(norm(), Self.double(gradientNorms["total_weighted"])))")
        for probe in reference["gradient_probes_total_weighted"] as! [[String: Any]] {
            let index = ((probe["y"] as! Int) * initImage.width + (probe["x"] as! Int)) * 3 + (probe["channel_bgr"] as! Int)
            let expected = Self.double(probe["value"])
            #expect(abs(Double(gradient[index]) - expected) < 1e-3 * max(1, abs(expected)), "gradient probe \(probe)")
        }
        let terms: [(String, ObjectiveSettings)] = [
            ("content", ObjectiveSettings(contentWeight: 1, styleWeight: 0, totalVariationWeight: 0)),
            ("style", ObjectiveSettings(contentWeight: 0, styleWeight: 1, totalVariationWeight: 0)),
            ("tv", ObjectiveSettings(contentWeight: 0, styleWeight: 0, totalVariationWeight: 1)),
        ]
        for (name, settings) in terms {
            _ = evaluate(settings)
            #expect(relativeError(norm(), Self.double(gradientNorms[name])) < 1e-4, "gradient norm of \(name)")
        }
    }

    /// The reference objective as an `ImageObjective`.
    final class ReferenceObjective: ImageObjective {
        let objective: StyleObjective
        private(set) var evaluations = 0
        init(_ objective: StyleObjective) { self.objective = objective }
        func evaluate(at x: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>) -> Double {
            evaluations += 1
            return objective.evaluate(image: x, gradient: gradient).total
        }
    }

    /// 100 L-BFGS iterations from content.png, history 50 (the default): the loss at the start and after every
    /// iteration, and the evaluations used up to each.
    static func lbfgsRun(lineSearch: LineSearchKind) throws -> (losses: [Double], evaluations: [Int]) {
        let weights = try loadWeights()
        let content = try engineImage("content.png")
        let objective = ReferenceObjective(try referenceObjective(weights: weights, height: content.height, width: content.width))
        let optimizer = LBFGS(count: objective.objective.imageCount, historySize: SettingTable.historySize.defaultValue, lineSearch: lineSearch)
        let image = FloatBuffer(content.pixels), gradient = FloatBuffer(count: content.pixels.count)
        var value = objective.evaluate(at: image.pointer, gradient: gradient.pointer)
        var losses = [value], evaluations = [objective.evaluations]
        for _ in 0..<100 {
            _ = optimizer.step(x: image.pointer, value: &value, gradient: gradient.pointer, objective: objective)
            losses.append(value)
            evaluations.append(objective.evaluations)
        }
        return (losses, evaluations)
    }

    static func referenceTrajectory() throws -> (start: Double, final: Double, losses: [Double]) {
        let trajectory = try reference()["lbfgs_from_content"] as! [String: Any]
        let losses = (trajectory["losses_weighted_at_start_of_iteration"] as! [[String: Any]]).map { double($0["total"]) }
        return (losses[0], double((trajectory["after_last"] as! [String: Any])["total"]), losses)
    }

    /// Without line search the optimizer follows torch's rules (one evaluation per iteration): 100
    /// iterations from content.png reach a total loss no higher than 1.05× the reference trajectory's
    /// (history 50 against torch's 100).
    @Test func hundredFixedStepIterationsReachTheReferenceLoss() throws {
        let reference = try Self.referenceTrajectory()
        let run = try Self.lbfgsRun(lineSearch: .none)
        #expect(relativeError(run.losses[0], reference.start) < 1e-4)
        #expect(run.evaluations.last! == 101)
        print("no line search: after 100 iterations \(run.losses.last!), reference \(reference.final), ratio \(run.losses.last! / reference.final)")
        #expect(run.losses.last! <= 1.05 * reference.final, "after 100 iterations: \(run.losses.last!), reference \(reference.final)")
    }

    /// With the default strong Wolfe line search, 100 iterations reach at most the reference trajectory's
    /// final loss, every iteration lowers the loss, and the evaluations it costs are reported: the loss
    /// after as many evaluations as the reference made iterations is compared too.
    @Test func hundredLineSearchIterationsReachTheReferenceLoss() throws {
        let reference = try Self.referenceTrajectory()
        let run = try Self.lbfgsRun(lineSearch: .strongWolfe)
        #expect(relativeError(run.losses[0], reference.start) < 1e-4)
        #expect(zip(run.losses, run.losses.dropFirst()).allSatisfy { $1 <= $0 })
        print("strong Wolfe: after 100 iterations \(run.losses.last!) in \(run.evaluations.last!) evaluations, " +
              "reference \(reference.final), ratio \(run.losses.last! / reference.final)")
        let marks = [10, 20, 30, 50, 75, 101]
        for mark in marks {
            // The loss after at most `mark` evaluations, against the reference after `mark - 1` iterations.
            guard let index = run.evaluations.lastIndex(where: { $0 <= mark }) else { continue }
            let referenceLoss = mark - 1 < reference.losses.count ? reference.losses[mark - 1] : reference.final
            print("  after \(mark) evaluations: \(run.losses[index]) (iteration \(index)); reference \(referenceLoss)")
        }
        #expect(run.losses.last! <= 1.0 * reference.final, "after 100 iterations: \(run.losses.last!), reference \(reference.final)")
    }
}
