import Testing
@testable import StyleEngine

/// The whole planned network (Winograd, im2col, pooling, the buffer-reuse plan, block1_conv1's
/// recomputation) against a naive double-precision forward pass, for every place the network can be
/// cut and both pooling kinds; and its backward pass against finite differences of that naive twin.
@Suite("VGG19 network against a naive twin")
struct NetworkTests {
    static let height = 18, width = 20   // odd sizes after pooling: 9×10, 4×5, 2×2, 1×1

    /// Random weights with He scaling, so activations stay of order 1 through all sixteen layers.
    static let weights: VGG19Weights = {
        var random = TestRandom(seed: 2024)
        return VGG19Weights(convolutions: VGGLayer.all.map { layer in
            let scale = (2.0 / Double(9 * layer.inputChannels)).squareRoot() * 1.7
            return ConvolutionWeights(layer: layer, kernel: random.floats(layer.outputChannels * layer.inputChannels * 9, scale: scale),
                                      bias: random.floats(layer.outputChannels, scale: 0.05))
        })
    }()

    /// Naive activations (CHW, double) of every layer up to `deepest`. With `masks` (one per layer, true where
    /// the ReLU passes), each ReLU keeps exactly those elements instead of testing the sign itself.
    static func naiveActivations(_ image: [Double], deepest: VGGLayer, pooling: Pooling,
                                 masks: [[Bool]]? = nil) -> [[Double]] {
        var current = image, channels = 3, h = height, w = width
        var result: [[Double]] = []
        for planned in VGG19MemoryPlan(height: height, width: width, deepestLayer: deepest).layers {
            let layer = planned.layer
            if planned.isPooled {
                current = Naive.pooling(current, channels: channels, height: h, width: w, kind: pooling)
                h /= 2
                w /= 2
            }
            let convolution = weights[layer]
            let preActivation = Naive.preActivation(current, channels: channels, height: h, width: w,
                                                    kernel: convolution.kernel, bias: convolution.bias,
                                                    outputs: layer.outputChannels)
            if let mask = masks?[layer.index] {
                current = zip(preActivation, mask).map { $1 ? $0 : 0 }
            } else {
                current = preActivation.map { max(0, $0) }
            }
            channels = layer.outputChannels
            result.append(current)
        }
        return result
    }

    /// HWC image (the engine's layout) to CHW.
    static func chw(_ hwc: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: hwc.count)
        for c in 0..<3 { for p in 0..<(height * width) { result[c * height * width + p] = hwc[p * 3 + c] } }
        return result
    }

    struct Case: CustomStringConvertible, Sendable {
        let deepest: Int
        let pooling: Pooling
        /// A loss layer besides block1_conv1 and the deepest (one before a pooling keeps its own activation,
        /// which that pooling's backward then reads, instead of a mask of its winners).
        var extraLossLayer: Int? = nil
        var description: String {
            "\(VGGLayer(index: deepest).name), \(pooling.rawValue) pooling" + (extraLossLayer.map { ", loss at \(VGGLayer(index: $0).name)" } ?? "")
        }
    }

    static let cases = [0, 1, 2, 3, 4, 7, 8, 11, 12, 15].flatMap { [Case(deepest: $0, pooling: .max), Case(deepest: $0, pooling: .average)] }
        + [Case(deepest: 8, pooling: .max, extraLossLayer: 3), Case(deepest: 12, pooling: .average, extraLossLayer: 7),
           Case(deepest: 12, pooling: .max, extraLossLayer: 9)]

    /// The working maps and the workers' own scratch are not zeroed when they take a recycled mapping
    /// (`FloatBuffer(count:zeroed:)`): every float of them must be written before it is read. A network whose
    /// maps and scratch hold NaN everywhere gives the same activations and image gradient, bit for bit, as a
    /// fresh one.
    @Test func garbageInTheWorkingMapsAndScratchChangesNothing() {
        let (height, width) = (98, 134)  // not multiples of the tiles: the edge tiles read past the maps
        let deepest = VGGLayer(name: "block5_conv1")!
        let lossLayers: Set<VGGLayer> = [VGGLayer(index: 0), VGGLayer(index: 4), deepest]
        func run(poisoned: Bool) -> (activations: [[Float]], gradient: [Float]) {
            let network = VGG19Network(weights: Self.weights, height: height, width: width, deepestLayer: deepest,
                                       pooling: .max, use: .imageGradient(lossLayers: lossLayers))
            #expect(network.workspace.workers.allSatisfy { $0.count > 0 }, "no own scratch at this size")
            if poisoned {
                for buffer in network.workspace.workers + network.workingMaps {
                    buffer.pointer.update(repeating: .nan, count: buffer.count)
                }
            }
            var random = TestRandom(seed: 5)
            let image = FloatBuffer(random.floats(height * width * 3, scale: 60))
            let gradient = FloatBuffer(count: image.count)
            var activations: [[Float]] = []
            network.forward(image: image.pointer) { layer, activation in
                activations.append(Array(UnsafeBufferPointer(start: activation, count: network.shape(of: layer).paddedCount)))
            }
            network.backward(addLossGradient: { layer, layerGradient in
                let count = network.shape(of: layer).paddedCount
                for index in 0..<count { layerGradient[index] += Float(index % 7) * 0.01 }
            }, into: gradient.pointer)
            return (activations, gradient.array)
        }
        let fresh = run(poisoned: false), poisoned = run(poisoned: true)
        #expect(fresh.gradient.allSatisfy { $0.isFinite })
        let differingLayers = fresh.activations.indices.filter {
            poisoned.activations[$0].map(\.bitPattern) != fresh.activations[$0].map(\.bitPattern)
        }
        #expect(differingLayers.isEmpty, "activations differ at layers \(differingLayers)")
        let differingGradient = poisoned.gradient.indices.filter { poisoned.gradient[$0].bitPattern != fresh.gradient[$0].bitPattern }
        #expect(differingGradient.isEmpty, "\(differingGradient.count) gradient elements differ")
    }

    @Test(arguments: cases)
    func forwardAndBackwardMatchTheNaiveTwin(_ testCase: Case) {
        let deepest = VGGLayer(index: testCase.deepest)
        // f = Σ r·F at the loss layers: block1_conv1, the deepest and maybe one more (as style losses are).
        // An array, not a Set: the order in which the layers draw their random weights must not change from one
        // process to the next (a Set's order does, which once made this test fail only now and then).
        let lossLayers = (testCase.deepest == 0 ? [deepest] : [VGGLayer(index: 0), deepest])
            + (testCase.extraLossLayer.map { [VGGLayer(index: $0)] } ?? [])
        let network = VGG19Network(weights: Self.weights, height: Self.height, width: Self.width,
                                   deepestLayer: deepest, pooling: testCase.pooling,
                                   use: .imageGradient(lossLayers: Set(lossLayers)))
        let forwardOnly = VGG19Network(weights: Self.weights, height: Self.height, width: Self.width,
                                       deepestLayer: deepest, pooling: testCase.pooling)
        var random = TestRandom(seed: UInt64(testCase.deepest) + 7)
        let image = random.array(Self.height * Self.width * 3, scale: 50)
        let naive = Self.naiveActivations(Self.chw(image), deepest: deepest, pooling: testCase.pooling)

        // Forward: every layer's activation, as the visitor sees it.
        let floats = FloatBuffer(image.map { Float($0) })
        var worst = 0.0
        var engineMasks = [[Bool]](repeating: [], count: testCase.deepest + 1)
        var engineActivations = [[Double]](repeating: [], count: testCase.deepest + 1)
        withExtendedLifetime(floats) {
            network.forward(image: floats.pointer) { layer, activation in
                let actual = Layouts.chw(activation, shape: network.shape(of: layer))
                engineMasks[layer.index] = actual.map { $0 > 0 }
                engineActivations[layer.index] = actual
                let expected = naive[layer.index]
                let scale = max(1, expected.map(abs).max() ?? 1)
                worst = max(worst, maxAbsoluteDifference(actual, expected) / scale)
            }
        }
        #expect(worst < 1e-4, "largest relative difference \(worst)")
        // A network planned for forward passes only (two working maps, no masks) computes the same floats.
        var differingLayers: [String] = []
        withExtendedLifetime(floats) {
            forwardOnly.forward(image: floats.pointer) { layer, activation in
                if Layouts.chw(activation, shape: forwardOnly.shape(of: layer)) != engineActivations[layer.index] {
                    differingLayers.append(layer.name)
                }
            }
        }
        #expect(differingLayers.isEmpty)
        #expect(forwardOnly.plannedBytes < network.plannedBytes || testCase.deepest == 0)

        // Backward: f on the loss layers.
        var weightsOfOutputs: [VGGLayer: [Double]] = [:]
        for layer in lossLayers { weightsOfOutputs[layer] = random.array(naive[layer.index].count) }
        // f is differentiated on the branch the engine's forward pass took: its ReLUs keep the elements the
        // engine's did. Random images put a few pre-activations within fp32 rounding (about 1e-5 of the layer's
        // largest with F(4×4)) of zero, where the double twin's own sign test can fall on the other side of the
        // kink than the engine's float one; the finite difference then measures a different branch's derivative
        // and disagrees by that element's whole contribution, which is not a backward error.
        func f(_ hwc: [Double]) -> Double {
            let activations = Self.naiveActivations(Self.chw(hwc), deepest: deepest, pooling: testCase.pooling,
                                                    masks: engineMasks)
            return lossLayers.reduce(0) { sum, layer in
                sum + zip(activations[layer.index], weightsOfOutputs[layer]!).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        func engineGradient() -> FloatBuffer {
            let gradient = FloatBuffer(count: image.count)
            withExtendedLifetime(floats) {
                network.forward(image: floats.pointer)
                network.backward(addLossGradient: { layer, layerGradient in
                    guard let r = weightsOfOutputs[layer] else { return }
                    let padded = Layouts.padded(r, shape: network.shape(of: layer))
                    withExtendedLifetime(padded) {
                        for index in 0..<padded.count { layerGradient[index] += padded[index] }
                    }
                }, into: gradient.pointer)
            }
            return gradient
        }
        let gradient = engineGradient()
        let analytic = gradient.array.map(Double.init)
        for direction in 0..<2 {
            var directionRandom = TestRandom(seed: 500 + UInt64(direction))
            let v = directionRandom.array(image.count)
            let epsilon = 1e-5
            let numeric = (f(zip(image, v).map { $0 + epsilon * $1 }) - f(zip(image, v).map { $0 - epsilon * $1 })) / (2 * epsilon)
            let projected = zip(analytic, v).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(relativeError(numeric, projected) < 1e-3, "direction \(direction): \(numeric) vs \(projected)")
        }

        // A second evaluation on the same network gives the same result (no buffer left dirty).
        let again = engineGradient()
        #expect(again.array == gradient.array)
    }
}
