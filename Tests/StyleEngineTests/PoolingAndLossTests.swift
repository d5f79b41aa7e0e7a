import Testing
@testable import StyleEngine

@Suite("Pooling, Gram matrix and loss terms against naive twins and finite differences")
struct PoolingAndLossTests {
    @Test(arguments: [Pooling.max, .average], [(5, 6), (4, 4), (1, 3)])
    func poolingForwardMatchesNaive(kind: Pooling, size: (Int, Int)) {
        let shape = FeatureShape(height: size.0, width: size.1, channels: 16)
        var random = TestRandom(seed: 7)
        let input = random.array(shape.elementCount)
        let pooling = Pooling2x2(kind: kind, inputShape: shape)
        let output = FloatBuffer(count: pooling.outputShape.paddedCount)
        let padded = Layouts.padded(input, shape: shape)
        withExtendedLifetime(padded) { pooling.forward(input: padded.pointer, output: output.pointer) }
        let expected = Naive.pooling(input, channels: 16, height: size.0, width: size.1, kind: kind)
        #expect(maxAbsoluteDifference(Layouts.chw(output.pointer, shape: pooling.outputShape), expected) < 1e-6)
        #expect(Layouts.borderIsZero(output.pointer, shape: pooling.outputShape))
    }

    @Test(arguments: [Pooling.max, .average])
    func poolingBackwardMatchesFiniteDifferences(kind: Pooling) {
        let shape = FeatureShape(height: 6, width: 5, channels: 32)
        var random = TestRandom(seed: 8)
        let input = random.array(shape.elementCount)
        let pooling = Pooling2x2(kind: kind, inputShape: shape)
        let r = random.array(pooling.outputShape.elementCount)
        func f(_ x: [Double]) -> Double {
            zip(Naive.pooling(x, channels: 32, height: 6, width: 5, kind: kind), r).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let gradient = FloatBuffer(count: shape.paddedCount)
        let paddedInput = Layouts.padded(input, shape: shape), paddedR = Layouts.padded(r, shape: pooling.outputShape)
        withExtendedLifetime((paddedInput, paddedR)) {
            pooling.backward(input: paddedInput.pointer, outputGradient: paddedR.pointer, inputGradient: gradient.pointer)
        }
        let analytic = Layouts.chw(gradient.pointer, shape: shape)
        for index in stride(from: 0, to: input.count, by: 7) {
            var plus = input, minus = input
            plus[index] += 1e-6
            minus[index] -= 1e-6
            let numeric = (f(plus) - f(minus)) / 2e-6
            #expect(abs(numeric - analytic[index]) < 1e-4, "element \(index)")
        }
        #expect(Layouts.borderIsZero(gradient.pointer, shape: shape))
    }

    /// ReLU makes ties (zeros) common: the gradient goes to the first maximum of the window, as in PyTorch.
    @Test func maxPoolingTiesGoToTheFirstMaximum() {
        let shape = FeatureShape(height: 2, width: 2, channels: 16)
        var values = [Double](repeating: 0, count: shape.elementCount)     // channel 0: all four tie at 0
        for c in 1..<16 { values[(c * 2 + 1) * 2 + 0] = 1; values[(c * 2 + 1) * 2 + 1] = 1 }  // bottom row ties at 1
        let pooling = Pooling2x2(kind: .max, inputShape: shape)
        let padded = Layouts.padded(values, shape: shape)
        let upstream = Layouts.padded([Double](repeating: 2, count: 16), shape: pooling.outputShape)
        let gradient = FloatBuffer(count: shape.paddedCount)
        withExtendedLifetime((padded, upstream)) {
            pooling.backward(input: padded.pointer, outputGradient: upstream.pointer, inputGradient: gradient.pointer)
        }
        let result = Layouts.chw(gradient.pointer, shape: shape)
        #expect(Array(result[0..<4]) == [2, 0, 0, 0])
        for c in 1..<16 { #expect(Array(result[(c * 4)..<(c * 4 + 4)]) == [0, 0, 2, 0], "channel \(c)") }
    }

    /// A post-ReLU map: a third of it zero (so windows tie at 0, as they do in VGG19), a few ties at 1 and
    /// the rest random, written as padded floats, with the border left zero.
    static func postReLUMap(_ shape: FeatureShape, seed: UInt64) -> FloatBuffer {
        var random = TestRandom(seed: seed)
        let values = random.array(shape.elementCount).enumerated().map { index, value in
            index % 3 == 0 ? 0 : (index % 11 == 0 ? 1 : max(0, value))
        }
        return Layouts.padded(values, shape: shape)
    }

    /// The mask twins: a max pooling's backward from the winners its forward recorded is, float for float,
    /// its backward from the input followed by the input's ReLU backward; the forward's output is the same
    /// with and without recording.
    @Test(arguments: [(6, 5), (4, 4), (7, 9), (2, 3)])
    func maxPoolingWinnersMatchThePoolingAndReLUBackward(size: (Int, Int)) {
        let shape = FeatureShape(height: size.0, width: size.1, channels: 32)
        let pooling = Pooling2x2(kind: .max, inputShape: shape)
        let input = Self.postReLUMap(shape, seed: 31)
        var random = TestRandom(seed: 32)
        let upstream = Layouts.padded(random.array(pooling.outputShape.elementCount), shape: pooling.outputShape)
        let plain = FloatBuffer(count: pooling.outputShape.paddedCount), recording = FloatBuffer(count: plain.count)
        let winners = ActivationMask(covering: shape.paddedCount)
        winners.words.update(repeating: 0xFFFF, count: winners.wordCount)   // stale bits from an earlier pass
        let expected = FloatBuffer(count: shape.paddedCount), actual = FloatBuffer(count: shape.paddedCount)
        actual.pointer.update(repeating: .nan, count: actual.count)          // every float must be written
        withExtendedLifetime((input, upstream)) {
            pooling.forward(input: input.pointer, output: plain.pointer)
            pooling.forward(input: input.pointer, output: recording.pointer, winners: winners)
            pooling.backward(input: input.pointer, outputGradient: upstream.pointer, inputGradient: expected.pointer)
            ReLU.backward(activation: input.pointer, gradient: expected.pointer, count: shape.paddedCount)
            pooling.backward(winners: winners, outputGradient: upstream.pointer, inputGradient: actual.pointer)
        }
        #expect(recording.array == plain.array)
        #expect(actual.array == expected.array)
        #expect(expected.array.contains { $0 != 0 })
    }

    /// The ReLU backward from recorded bits against the one from the activation, with NaN, −0 and tiny values.
    @Test func reluBackwardFromBitsMatchesTheOneFromTheActivation() {
        let shape = FeatureShape(height: 5, width: 7, channels: 48)
        let activation = Self.postReLUMap(shape, seed: 33)
        let specials: [Float] = [.nan, -0.0, .leastNonzeroMagnitude, -1, .infinity]
        for (offset, value) in specials.enumerated() { activation[shape.index(y: 2, x: 3, channel: offset)] = value }
        var random = TestRandom(seed: 34)
        let gradient = random.array(shape.paddedCount).map { Float($0) }
        let expected = FloatBuffer(gradient), actual = FloatBuffer(gradient)
        let mask = ActivationMask(covering: shape.paddedCount)
        mask.record(positiveOf: activation.pointer)
        ReLU.backward(activation: activation.pointer, gradient: expected.pointer, count: shape.paddedCount)
        ReLU.backward(mask: mask, gradient: actual.pointer)
        #expect(actual.array == expected.array)
        #expect(actual[shape.index(y: 2, x: 3, channel: 2)] != 0 && actual[shape.index(y: 2, x: 3, channel: 0)] == 0)
    }

    /// Against the naive twin, every element (so both triangles): few channels (the workers' sums added on one
    /// thread) and enough for the rows to be split over the cores, an even and an odd count (a middle row alone).
    @Test(arguments: [6, 7, 64, 77])
    func gramMatchesNaive(channels: Int) {
        let shape = FeatureShape(height: 5, width: 7, channels: channels)
        var random = TestRandom(seed: 9)
        let features = random.array(shape.elementCount)
        let gram = FloatBuffer(count: channels * channels)
        let padded = Layouts.padded(features, shape: shape)
        withExtendedLifetime(padded) { GramMatrix.compute(features: padded.pointer, shape: shape, into: gram.pointer,
                                                                partials: GramMatrix.makePartials(channels: channels)) }
        let expected = Naive.gram(features, channels: channels, pixels: 35)
        #expect(maxAbsoluteDifference(gram.array.map(Double.init), expected) < 1e-6)
    }

    /// The painting's channel sums, 32 channels a pass and split over the cores, against one channel at a time in the
    /// same order: equal bit for bit (channel counts with and without whole passes of 32 and with channels left
    /// over; 128 channels give each core passes of its own).
    @Test(arguments: [(8, 1), (13, 37), (64, 500), (128, 211), (77, 19)])
    func channelSumsEqualTheScalarSums(channels: Int, pixels: Int) {
        var random = TestRandom(seed: UInt64(channels * 1_000 + pixels))
        let features = random.floats(channels * pixels).map { $0 * 1_000 }
        var expected = [Double](repeating: 0, count: channels)
        for pixel in 0..<pixels {
            for channel in 0..<channels { expected[channel] += Double(features[pixel * channels + channel]) }
        }
        let sums = features.withUnsafeBufferPointer {
            StyleStatistics.channelSums($0.baseAddress!, channels: channels, pixels: pixels)
        }
        #expect(sums == expected)
    }

    /// At a small and a Winograd-like channel count; the gradient is added to what the map held.
    @Test(arguments: [6, 32])
    func styleLossValueAndGradient(channels: Int) {
        let shape = FeatureShape(height: 4, width: 5, channels: channels)
        var random = TestRandom(seed: 10)
        let features = random.array(shape.elementCount)
        let targetFeatures = random.array(shape.elementCount)
        let target = Naive.gram(targetFeatures, channels: channels, pixels: 20)
        func f(_ x: [Double]) -> Double {
            let g = Naive.gram(x, channels: channels, pixels: 20)
            return zip(g, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(channels * channels)
        }
        let held: Float = 0.5
        let gradient = FloatBuffer([Float](repeating: held, count: shape.paddedCount))
        let gram = FloatBuffer(count: channels * channels), difference = FloatBuffer(count: channels * channels)
        let targetBuffer = FloatBuffer(target.map { Float($0) })
        let scale: Float = 3
        let padded = Layouts.padded(features, shape: shape)
        let value = withExtendedLifetime((padded, targetBuffer)) {
            StyleLoss.evaluate(features: padded.pointer, targetGram: targetBuffer.pointer, shape: shape, gram: gram.pointer,
                               difference: difference.pointer, partials: GramMatrix.makePartials(channels: channels),
                               gradient: gradient.pointer, scale: scale)
        }
        #expect(relativeError(value, f(features)) < 1e-5)
        let analytic = Layouts.chw(gradient.pointer, shape: shape).map { $0 - Double(held) }
        for index in stride(from: 0, to: features.count, by: 5) {
            var plus = features, minus = features
            plus[index] += 1e-5
            minus[index] -= 1e-5
            let numeric = Double(scale) * (f(plus) - f(minus)) / 2e-5
            #expect(abs(numeric - analytic[index]) < 1e-4 * max(1, abs(numeric)), "element \(index)")
        }
    }

    @Test func contentLossValueAndGradient() {
        let shape = FeatureShape(height: 3, width: 4, channels: 5)
        var random = TestRandom(seed: 11)
        let features = random.array(shape.elementCount), target = random.array(shape.elementCount)
        let gradient = FloatBuffer(count: shape.paddedCount)
        let paddedFeatures = Layouts.padded(features, shape: shape), paddedTarget = Layouts.padded(target, shape: shape)
        let value = withExtendedLifetime((paddedFeatures, paddedTarget)) {
            ContentLoss.evaluate(features: paddedFeatures.pointer, target: paddedTarget.pointer, shape: shape,
                                 gradient: gradient.pointer, scale: 2)
        }
        let expected = zip(features, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(features.count)
        #expect(relativeError(value, expected) < 1e-6)
        let analytic = Layouts.chw(gradient.pointer, shape: shape)
        for index in features.indices {
            let exact = 2 * 2 * (features[index] - target[index]) / Double(features.count)
            #expect(abs(analytic[index] - exact) < 1e-6)
        }
    }

    @Test func totalVariationValueAndGradient() {
        let height = 4, width = 6
        var random = TestRandom(seed: 12)
        let image = random.array(height * width * 3, scale: 50)
        let gradient = FloatBuffer(count: image.count)
        let floats = FloatBuffer(image.map { Float($0) })
        let value = withExtendedLifetime(floats) {
            TotalVariationLoss.evaluate(image: floats.pointer, height: height, width: width, channels: 3,
                                        gradient: gradient.pointer, scale: 1)
        }
        let imageAsFloat = image.map { Double(Float($0)) }
        #expect(relativeError(value, Naive.totalVariation(imageAsFloat, height: height, width: width, channels: 3)) < 1e-5)
        for index in image.indices {
            var plus = imageAsFloat, minus = imageAsFloat
            plus[index] += 1e-3
            minus[index] -= 1e-3
            let numeric = (Naive.totalVariation(plus, height: height, width: width, channels: 3)
                - Naive.totalVariation(minus, height: height, width: width, channels: 3)) / 2e-3
            #expect(abs(numeric - Double(gradient[index])) < 1e-2, "element \(index)")
        }
    }
}
