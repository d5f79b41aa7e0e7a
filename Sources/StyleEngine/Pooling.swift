/// 2×2, stride-2 pooling (max or average) between VGG19 blocks, on padded maps.
/// Odd sizes drop the last row/column, as PyTorch and Keras do.
struct Pooling2x2 {
    let kind: Pooling
    let inputShape: FeatureShape
    var outputShape: FeatureShape { inputShape.pooled }

    /// output = pool(input), border zero.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let out = outputShape, inShape = inputShape, c = out.channels, kind = self.kind
        out.clearBorder(output)
        ParallelLoop.run(count: out.height) { y in
            for x in 0..<out.width {
                let a = input + inShape.index(y: 2 * y, x: 2 * x, channel: 0)
                let b = a + c
                let rowBelow = input + inShape.index(y: 2 * y + 1, x: 2 * x, channel: 0)
                let d = rowBelow + c
                let destination = output + out.index(y: y, x: x, channel: 0)
                switch kind {
                case .max:
                    for channel in 0..<c {
                        destination[channel] = max(max(a[channel], b[channel]), max(rowBelow[channel], d[channel]))
                    }
                case .average:
                    for channel in 0..<c {
                        destination[channel] = 0.25 * ((a[channel] + b[channel]) + (rowBelow[channel] + d[channel]))
                    }
                }
            }
        }
    }

    /// inputGradient = poolᵀ(outputGradient). Max: the gradient goes to the first maximum of each window
    /// (row-major order, as PyTorch); average: a quarter to each. Writes every float of inputGradient
    /// (border and uncovered odd rows/columns get zero).
    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>) {
        let out = outputShape, inShape = inputShape, c = out.channels, kind = self.kind
        inputGradient.update(repeating: 0, count: inShape.paddedCount)
        ParallelLoop.run(count: out.height) { y in
            for x in 0..<out.width {
                let source = outputGradient + out.index(y: y, x: x, channel: 0)
                let topLeft = inShape.index(y: 2 * y, x: 2 * x, channel: 0), topRight = topLeft + c
                let bottomLeft = inShape.index(y: 2 * y + 1, x: 2 * x, channel: 0), bottomRight = bottomLeft + c
                switch kind {
                case .max:
                    for channel in 0..<c {
                        var best = input[topLeft + channel], winner = topLeft
                        if input[topRight + channel] > best { best = input[topRight + channel]; winner = topRight }
                        if input[bottomLeft + channel] > best { best = input[bottomLeft + channel]; winner = bottomLeft }
                        if input[bottomRight + channel] > best { winner = bottomRight }
                        inputGradient[winner + channel] = source[channel]
                    }
                case .average:
                    for channel in 0..<c {
                        let share = 0.25 * source[channel]
                        inputGradient[topLeft + channel] = share
                        inputGradient[topRight + channel] = share
                        inputGradient[bottomLeft + channel] = share
                        inputGradient[bottomRight + channel] = share
                    }
                }
            }
        }
    }
}
