/// 2×2, stride-2 pooling (max or average) between VGG19 blocks, on padded maps, sixteen channels at a
/// time (VGG19's channel counts are multiples of `Vector.width`). Odd sizes drop the last row/column,
/// as PyTorch and Keras do.
struct Pooling2x2 {
    let kind: Pooling
    let inputShape: FeatureShape
    var outputShape: FeatureShape { inputShape.pooled }

    /// output = pool(input), border zero.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let out = outputShape, inShape = inputShape, c = out.channels, kind = self.kind
        precondition(c % Vector.width == 0)
        out.clearBorder(output)
        ParallelLoop.run(count: out.height) { y in
            for x in 0..<out.width {
                let topLeft = input + inShape.index(y: 2 * y, x: 2 * x, channel: 0), topRight = topLeft + c
                let bottomLeft = input + inShape.index(y: 2 * y + 1, x: 2 * x, channel: 0), bottomRight = bottomLeft + c
                let destination = output + out.index(y: y, x: x, channel: 0)
                for k in stride(from: 0, to: c, by: Vector.width) {
                    let a = Vector.load(topLeft + k), b = Vector.load(topRight + k)
                    let d = Vector.load(bottomLeft + k), e = Vector.load(bottomRight + k)
                    switch kind {
                    case .max:
                        var best = a
                        best.replace(with: b, where: b .> best)
                        best.replace(with: d, where: d .> best)
                        best.replace(with: e, where: e .> best)
                        Vector.store(best, destination + k)
                    case .average:
                        Vector.store(0.25 * ((a + b) + (d + e)), destination + k)
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
        precondition(c % Vector.width == 0)
        inputGradient.update(repeating: 0, count: inShape.paddedCount)
        ParallelLoop.run(count: out.height) { y in
            for x in 0..<out.width {
                let source = outputGradient + out.index(y: y, x: x, channel: 0)
                let topLeft = inShape.index(y: 2 * y, x: 2 * x, channel: 0), topRight = topLeft + c
                let bottomLeft = inShape.index(y: 2 * y + 1, x: 2 * x, channel: 0), bottomRight = bottomLeft + c
                for k in stride(from: 0, to: c, by: Vector.width) {
                    let gradient = Vector.load(source + k)
                    switch kind {
                    case .max:
                        let a = Vector.load(input + topLeft + k), b = Vector.load(input + topRight + k)
                        let d = Vector.load(input + bottomLeft + k), e = Vector.load(input + bottomRight + k)
                        // Strictly greater keeps the first maximum, as PyTorch does.
                        var best = a
                        let takesB = b .> best
                        best.replace(with: b, where: takesB)
                        let takesD = d .> best
                        best.replace(with: d, where: takesD)
                        let takesE = e .> best
                        let winsE = takesE, winsD = takesD .& .!takesE
                        let winsB = takesB .& .!takesD .& .!takesE
                        let winsA = .!(takesB .| takesD .| takesE)
                        let zero = Vector.Value(repeating: 0)
                        Vector.store(zero.replacing(with: gradient, where: winsA), inputGradient + topLeft + k)
                        Vector.store(zero.replacing(with: gradient, where: winsB), inputGradient + topRight + k)
                        Vector.store(zero.replacing(with: gradient, where: winsD), inputGradient + bottomLeft + k)
                        Vector.store(zero.replacing(with: gradient, where: winsE), inputGradient + bottomRight + k)
                    case .average:
                        let share = 0.25 * gradient
                        Vector.store(share, inputGradient + topLeft + k)
                        Vector.store(share, inputGradient + topRight + k)
                        Vector.store(share, inputGradient + bottomLeft + k)
                        Vector.store(share, inputGradient + bottomRight + k)
                    }
                }
            }
        }
    }
}
