import Foundation

/// Times every layer's forward and backward pass under each algorithm that can compute it, at one
/// image size (`stylestudio bench --layers`): the measurement behind `ConvolutionAlgorithm.chosen`.
public enum LayerTiming {
    public struct Row: Sendable {
        public let layer: VGGLayer
        public let shape: FeatureShape
        public let algorithm: String
        /// Whether the engine uses this algorithm for this layer.
        public let isChosen: Bool
        /// Median CPU seconds (all cores together) of one forward (conv + bias + ReLU) and one
        /// image-gradient pass: CPU time rather than wall time, so that other processes sharing the
        /// machine distort the comparison little.
        public let forwardSeconds: Double
        public let backwardSeconds: Double
        /// Bytes of the prepared kernel.
        public let kernelBytes: Int
    }

    public static func measure(weights: VGG19Weights, height: Int, width: Int, through deepest: VGGLayer,
                               repetitions: Int = 5) -> [Row] {
        BLAS.useCallerThreadsOnly
        var rows: [Row] = []
        for planned in VGG19MemoryPlan(height: height, width: width, deepestLayer: deepest).layers {
            let layer = planned.layer, shape = planned.inputShape
            let candidates: [ConvolutionAlgorithm] = layer.inputChannels < ConvolutionAlgorithm.im2colChannelLimit
                ? [.im2col] : WinogradTile.allCases.map { .winograd($0) }
            let layerWeights = weights[layer]
            for algorithm in candidates {
                let convolution = Convolution(layer: layer, weights: layerWeights, height: shape.height, width: shape.width,
                                              algorithm: algorithm)
                let workspace = ConvolutionWorkspace(for: [convolution])
                let source = FloatBuffer(count: convolution.inputShape.paddedCount)
                let output = FloatBuffer(count: convolution.outputShape.paddedCount)
                var random = SplitMix64(seed: 1)
                for y in 0..<shape.height {
                    for x in 0..<shape.width {
                        for c in 0..<convolution.inputShape.channels {
                            source[convolution.inputShape.index(y: y, x: x, channel: c)] = Float(random.nextUnit())
                        }
                    }
                }
                func median(_ body: () -> Void) -> Double {
                    body()
                    var times: [Double] = []
                    for _ in 0..<max(1, repetitions) {
                        let start = processSeconds()
                        body()
                        times.append(processSeconds() - start)
                    }
                    return times.sorted()[times.count / 2]
                }
                let forward = median {
                    convolution.forward(input: source.pointer, output: output.pointer, workspace: workspace)
                }
                convolution.outputShape.clearBorder(output.pointer)
                let backward = median {
                    convolution.backward(outputGradient: output.pointer, inputGradient: source.pointer, workspace: workspace)
                    convolution.inputShape.clearBorder(source.pointer)
                }
                rows.append(Row(layer: layer, shape: shape, algorithm: algorithm.description,
                                isChosen: algorithm == .chosen(for: layer, height: shape.height, width: shape.width),
                                forwardSeconds: forward,
                                backwardSeconds: backward, kernelBytes: convolution.weights.bytes))
            }
        }
        return rows
    }

    /// CPU seconds this process has used, all threads.
    public static func processSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
