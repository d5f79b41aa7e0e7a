import Testing
@testable import StyleEngine

@Suite("3×3 convolution: fast path against the naive twin, backward against finite differences")
struct ConvolutionTests {
    struct Case: CustomStringConvertible, Sendable {
        let layerIndex: Int, height: Int, width: Int
        var algorithm: ConvolutionAlgorithm = .im2col
        var storage: WinogradKernel.Storage = .transformed
        var description: String {
            "\(VGGLayer(index: layerIndex).name) at \(height)×\(width), \(algorithm)\(storage == .tapMajor ? ", tap-major" : "")"
        }
    }

    /// Each Winograd tile at sizes that are and are not multiples of its tile (partial tiles on the
    /// right and bottom), with Cin = Cout and Cin ≠ Cout.
    static let winogradCases = WinogradTile.allCases.flatMap { tile in
        [Case(layerIndex: 1, height: 4, width: 9, algorithm: .winograd(tile)),    // even rows, odd columns
         Case(layerIndex: 2, height: 5, width: 3, algorithm: .winograd(tile)),    // odd both, Cin ≠ Cout
         Case(layerIndex: 4, height: 6, width: 8, algorithm: .winograd(tile)),    // 128 → 256
         Case(layerIndex: 3, height: 9, width: 13, algorithm: .winograd(tile)),   // several tiles, partial ones
         Case(layerIndex: 1, height: 8, width: 12, algorithm: .winograd(tile))]   // whole tiles only
    } + tapMajorCases

    /// Kernels kept tap-major (`WinogradKernel.Storage`), whose products build U_ξ slice by slice, both tiles: a
    /// kernel of 64 × 64 channels fits one panel, 128 → 256 needs several panels and slices, 256 → 256 depth
    /// slices of 128 both ways. Only where the build has those products.
    static let tapMajorCases = !UnpackedGEMM.isAvailable ? [] : WinogradTile.allCases.flatMap { tile in
        [Case(layerIndex: 1, height: 5, width: 9, algorithm: .winograd(tile), storage: .tapMajor),
         Case(layerIndex: 4, height: 6, width: 8, algorithm: .winograd(tile), storage: .tapMajor),
         Case(layerIndex: 5, height: 9, width: 7, algorithm: .winograd(tile), storage: .tapMajor)]
    }

    static let cases = [Case(layerIndex: 0, height: 7, width: 5)]   // im2col path (3 input channels)
        + winogradCases
        + [Case(layerIndex: 0, height: 1, width: 1),
           Case(layerIndex: 1, height: 1, width: 2, algorithm: .winograd(.f2x2)),
           Case(layerIndex: 1, height: 1, width: 2, algorithm: .winograd(.f4x4))]

    static func makeConvolution(_ testCase: Case, seed: UInt64) -> (Convolution, [Float], [Float]) {
        let layer = VGGLayer(index: testCase.layerIndex)
        var random = TestRandom(seed: seed)
        let kernel = random.floats(layer.outputChannels * layer.inputChannels * 9, scale: 0.2)
        let bias = random.floats(layer.outputChannels, scale: 0.1)
        let convolution = Convolution(layer: layer, weights: ConvolutionWeights(layer: layer, kernel: kernel, bias: bias),
                                      height: testCase.height, width: testCase.width, algorithm: testCase.algorithm,
                                      storage: testCase.storage)
        return (convolution, kernel, bias)
    }

    @Test func layersUseTheChosenAlgorithm() {
        #expect(ConvolutionAlgorithm.chosen(for: VGGLayer(index: 0)) == .im2col)
        let tapMajorBlock4 = UnpackedGEMM.isAvailable
        for layer in VGGLayer.all.dropFirst() {
            let expected: WinogradTile = layer.block <= 3 || (layer.block == 4 && tapMajorBlock4) ? .f4x4 : .f2x2
            #expect(ConvolutionAlgorithm.chosen(for: layer) == .winograd(expected), "\(layer)")
            #expect(WinogradKernel.storage(for: layer) == (layer.block == 4 && tapMajorBlock4 ? .tapMajor : .transformed))
            // A tap-major kernel reads as F(2×2) on a map with too few F(4×4) tiles (block 4 at 128 px: 4 × 3).
            let small = ConvolutionAlgorithm.chosen(for: layer, height: 12, width: 16)
            #expect(small == (layer.block == 4 && tapMajorBlock4 ? .winograd(.f2x2) : .winograd(expected)), "\(layer)")
            #expect(ConvolutionAlgorithm.chosen(for: layer, height: 24, width: 32) == .winograd(expected), "\(layer)")
        }
    }

    @Test(arguments: cases)
    func forwardMatchesNaive(_ testCase: Case) {
        let (convolution, kernel, bias) = Self.makeConvolution(testCase, seed: 1)
        var random = TestRandom(seed: 2)
        let input = random.array(convolution.inputShape.elementCount)
        let padded = Layouts.padded(input, shape: convolution.inputShape)
        let output = FloatBuffer(count: convolution.outputShape.paddedCount)
        // Garbage in the output must not survive: the layer overwrites the interior and clears the border.
        for index in 0..<output.count { output[index] = 777 }
        for index in 0..<output.count where !isInterior(index, convolution.outputShape) { output[index] = 0 }
        let workspace = ConvolutionWorkspace(for: [convolution])
        withExtendedLifetime(padded) {
            convolution.forward(input: padded.pointer, output: output.pointer, workspace: workspace)
        }
        let expected = Naive.convolution(input, channels: convolution.inputShape.channels, height: testCase.height,
                                         width: testCase.width, kernel: kernel, bias: bias,
                                         outputs: convolution.outputShape.channels)
        let actual = Layouts.chw(output.pointer, shape: convolution.outputShape)
        #expect(maxAbsoluteDifference(actual, expected) < 1e-4)
        #expect(Layouts.borderIsZero(output.pointer, shape: convolution.outputShape))
    }

    /// A map that fits the scratch whole is done in three steps (transform by tiles, GEMMs by matrix, transform
    /// by tiles) instead of one chunk per worker; both ways give the naive twin's forward and the same gradient.
    @Test(arguments: winogradCases)
    func wholeMapAndChunksAgree(_ testCase: Case) {
        let (convolution, kernel, bias) = Self.makeConvolution(testCase, seed: 5)
        guard case .winograd(let tile) = testCase.algorithm else { return }
        var random = TestRandom(seed: 6)
        let inputShape = convolution.inputShape, outputShape = convolution.outputShape
        let input = Layouts.padded(random.array(inputShape.elementCount), shape: inputShape)
        let outputGradient = Layouts.padded(random.array(outputShape.elementCount), shape: outputShape)
        var results: [[Double]] = []
        for factor in [1, 2] {
            let workspace = ConvolutionWorkspace(for: [convolution], scratchFactor: factor)
            let winograd = WinogradConvolution(shape: inputShape, outputChannels: outputShape.channels, tile: tile)
            let tiles = winograd.tileCount
            // The workspace of this layer alone holds one chunk per worker; twice that holds the whole map.
            #expect(winograd.wholeMapFits(workspace.workers) == (ParallelLoop.coreCount > 1 && (factor == 2 || tiles == 1)))
            let output = FloatBuffer(count: outputShape.paddedCount)
            let inputGradient = FloatBuffer(count: inputShape.paddedCount)
            withExtendedLifetime((input, outputGradient)) {
                convolution.forward(input: input.pointer, output: output.pointer, workspace: workspace)
                convolution.backward(outputGradient: outputGradient.pointer, inputGradient: inputGradient.pointer,
                                     workspace: workspace)
            }
            let expected = Naive.convolution(Layouts.chw(input.pointer, shape: inputShape), channels: inputShape.channels,
                                             height: testCase.height, width: testCase.width, kernel: kernel, bias: bias,
                                             outputs: outputShape.channels)
            // Relative to the largest value: F(4×4)'s fp32 error grows with it (1e-4 absolute at values of ~7).
            let scale = max(1, expected.map(abs).max() ?? 0)
            #expect(maxAbsoluteDifference(Layouts.chw(output.pointer, shape: outputShape), expected) / scale < 5e-5)
            results.append(Layouts.chw(inputGradient.pointer, shape: inputShape))
        }
        // The GEMMs see different row counts (OpenBLAS may sum in another order): agreement to F(4×4)'s fp32 error
        // (an indexing mistake would be off by the values themselves).
        let scale = max(1, results[0].map(abs).max() ?? 0)
        #expect(maxAbsoluteDifference(results[0], results[1]) / scale < 5e-5, "largest gradient \(scale)")
    }

    private func isInterior(_ index: Int, _ shape: FeatureShape) -> Bool {
        let pixel = index / shape.channels, row = pixel / shape.paddedWidth, column = pixel % shape.paddedWidth
        return row >= 1 && row <= shape.height && column >= 1 && column <= shape.width
    }

    /// f(x) = Σ r ⊙ ReLU(conv(x)); its gradient by the layer's backward must match central differences
    /// along random directions (f evaluated in double precision by the naive twin, so ε can be tiny and
    /// no ReLU kink falls inside the difference).
    @Test(arguments: cases.prefix(1 + winogradCases.count))
    func backwardMatchesFiniteDifferences(_ testCase: Case) {
        let (convolution, kernel, bias) = Self.makeConvolution(testCase, seed: 3)
        var random = TestRandom(seed: 4)
        let inputShape = convolution.inputShape, outputShape = convolution.outputShape
        let input = random.array(inputShape.elementCount)
        let weightsOfOutput = random.array(outputShape.elementCount)
        let workspace = ConvolutionWorkspace(for: [convolution])
        let output = FloatBuffer(count: outputShape.paddedCount)

        func f(_ x: [Double]) -> Double {
            let values = Naive.convolution(x, channels: inputShape.channels, height: inputShape.height,
                                           width: inputShape.width, kernel: kernel, bias: bias,
                                           outputs: outputShape.channels)
            return zip(values, weightsOfOutput).reduce(0) { $0 + $1.0 * $1.1 }
        }

        let paddedInput = Layouts.padded(input, shape: inputShape)
        withExtendedLifetime(paddedInput) {
            convolution.forward(input: paddedInput.pointer, output: output.pointer, workspace: workspace)
        }
        let outputGradient = Layouts.padded(weightsOfOutput, shape: outputShape)
        ReLU.backward(activation: output.pointer, gradient: outputGradient.pointer, count: outputShape.paddedCount)
        let inputGradient = FloatBuffer(count: inputShape.paddedCount)
        withExtendedLifetime(outputGradient) {
            convolution.backward(outputGradient: outputGradient.pointer, inputGradient: inputGradient.pointer,
                                 workspace: workspace)
        }
        let gradient = Layouts.chw(inputGradient.pointer, shape: inputShape)

        for direction in 0..<4 {
            var directionRandom = TestRandom(seed: 100 + UInt64(direction))
            let v = directionRandom.array(input.count)
            let epsilon = 1e-6
            let plus = f(zip(input, v).map { $0 + epsilon * $1 })
            let minus = f(zip(input, v).map { $0 - epsilon * $1 })
            let numeric = (plus - minus) / (2 * epsilon)
            let analytic = zip(gradient, v).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(relativeError(numeric, analytic) < 1e-4, "direction \(direction): \(numeric) vs \(analytic)")
        }
    }
}
