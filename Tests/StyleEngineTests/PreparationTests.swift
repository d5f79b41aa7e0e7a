import Testing
@testable import StyleEngine

/// The plan's start-up work: each layer's kernel is prepared (rearranged, Winograd-transformed) once per
/// weights and process, on first use, and shared by every network of every size planned afterwards.
@Suite("Kernel preparation done once per process")
struct PreparationTests {
    /// Weights of the real shapes with constant values (cheap to make; the values do not matter here).
    static func makeWeights() -> VGG19Weights {
        VGG19Weights(convolutions: VGGLayer.all.map { layer in
            ConvolutionWeights(layer: layer,
                               kernel: [Float](repeating: 0.01, count: layer.outputChannels * layer.inputChannels * 9),
                               bias: [Float](repeating: 0, count: layer.outputChannels))
        })
    }

    @Test func secondPlansOfAnySizeReuseThePreparedKernels() {
        let weights = Self.makeWeights()
        let cache = weights.preparedConvolutions
        #expect(cache.preparationCount == 0)
        let conv31 = VGGLayer(index: 4), conv41 = VGGLayer(index: 8)
        let first = VGG19Network(weights: weights, height: 18, width: 20, deepestLayer: conv31, pooling: .max)
        #expect(cache.preparationCount == 5)
        let sameSize = VGG19Network(weights: weights, height: 18, width: 20, deepestLayer: conv31, pooling: .average)
        let otherSize = VGG19Network(weights: weights, height: 33, width: 17, deepestLayer: conv31, pooling: .max)
        #expect(cache.preparationCount == 5, "planning again, at the same or another size, prepared kernels again")
        for index in 0...conv31.index {
            #expect(first.convolutions[index].weights === sameSize.convolutions[index].weights)
            #expect(first.convolutions[index].weights === otherSize.convolutions[index].weights)
        }
        // A deeper cut prepares only the layers not prepared yet.
        _ = VGG19Network(weights: weights, height: 20, width: 18, deepestLayer: conv41, pooling: .max)
        #expect(cache.preparationCount == conv41.index + 1)
    }
}
