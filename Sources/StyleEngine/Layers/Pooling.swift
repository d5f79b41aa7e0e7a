/// 2×2, stride-2 pooling (max or average) between VGG19 blocks, on padded maps, sixteen channels at a
/// time (VGG19's channel counts are multiples of `Vector.width`). Odd sizes drop the last row/column,
/// as PyTorch and Keras do.
struct Pooling2x2 {
    let kind: Pooling
    let inputShape: FeatureShape
    var outputShape: FeatureShape { inputShape.pooled }

    /// output = pool(input), border zero. With `winners` (max pooling only), also records the mask the
    /// backward pass needs for the input (post-ReLU) map: each window's first maximum, where it is > 0, so
    /// that `backward(winners:…)` is this pooling's backward and the input's ReLU in one.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, winners: ActivationMask? = nil) {
        let out = outputShape, inShape = inputShape, c = out.channels, kind = self.kind
        precondition(c % Vector.width == 0)
        precondition(winners == nil || (kind == .max && winners!.count == inShape.paddedCount))
        out.clearBorder(output)
        winners?.clear()
        let words = winners?.words
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
                        let takesB = b .> best
                        best.replace(with: b, where: takesB)
                        let takesD = d .> best
                        best.replace(with: d, where: takesD)
                        let takesE = e .> best
                        best.replace(with: e, where: takesE)
                        Vector.store(best, destination + k)
                        if let words {
                            let first = (topLeft - input + k) / Vector.width, second = (bottomLeft - input + k) / Vector.width
                            let wins = Self.firstMaximum(takesB: takesB, takesD: takesD, takesE: takesE)
                            let zero = Vector.Value(repeating: 0)
                            words[first] = ActivationMask.bits(wins.a .& (a .> zero))
                            words[first + c / Vector.width] = ActivationMask.bits(wins.b .& (b .> zero))
                            words[second] = ActivationMask.bits(wins.d .& (d .> zero))
                            words[second + c / Vector.width] = ActivationMask.bits(wins.e .& (e .> zero))
                        }
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
                        let wins = Self.firstMaximum(takesB: takesB, takesD: takesD, takesE: e .> best)
                        let zero = Vector.Value(repeating: 0)
                        Vector.store(zero.replacing(with: gradient, where: wins.a), inputGradient + topLeft + k)
                        Vector.store(zero.replacing(with: gradient, where: wins.b), inputGradient + topRight + k)
                        Vector.store(zero.replacing(with: gradient, where: wins.d), inputGradient + bottomLeft + k)
                        Vector.store(zero.replacing(with: gradient, where: wins.e), inputGradient + bottomRight + k)
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

    /// inputGradient = poolᵀ(outputGradient) masked by the input's ReLU, from the mask `forward(…winners:)`
    /// recorded: the same floats as `backward(input:…)` followed by `ReLU.backward(activation:…)` on the input,
    /// without reading the input. Max pooling only; writes every float of inputGradient.
    func backward(winners: ActivationMask, outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>) {
        let out = outputShape, inShape = inputShape, c = out.channels
        precondition(kind == .max && c % Vector.width == 0 && winners.count == inShape.paddedCount)
        inputGradient.update(repeating: 0, count: inShape.paddedCount)
        let words = winners.words, step = c / Vector.width
        ParallelLoop.run(count: out.height) { y in
            for x in 0..<out.width {
                let source = outputGradient + out.index(y: y, x: x, channel: 0)
                let topLeft = inShape.index(y: 2 * y, x: 2 * x, channel: 0), bottomLeft = inShape.index(y: 2 * y + 1, x: 2 * x, channel: 0)
                for k in stride(from: 0, to: c, by: Vector.width) {
                    let gradient = Vector.load(source + k)
                    let first = (topLeft + k) / Vector.width, second = (bottomLeft + k) / Vector.width
                    Vector.store(ActivationMask.keep(gradient, where: words[first]), inputGradient + topLeft + k)
                    Vector.store(ActivationMask.keep(gradient, where: words[first + step]), inputGradient + topLeft + c + k)
                    Vector.store(ActivationMask.keep(gradient, where: words[second]), inputGradient + bottomLeft + k)
                    Vector.store(ActivationMask.keep(gradient, where: words[second + step]), inputGradient + bottomLeft + c + k)
                }
            }
        }
    }

    /// Which of a window's four values (a b / d e, row-major) is its first maximum, from the comparisons that
    /// found it: b, d, e each replace the best so far only when strictly greater, so the first maximum is
    /// kept, as PyTorch does.
    @inline(__always)
    private static func firstMaximum(takesB: SIMDMask<SIMD16<Int32>>, takesD: SIMDMask<SIMD16<Int32>>,
                                     takesE: SIMDMask<SIMD16<Int32>>)
        -> (a: SIMDMask<SIMD16<Int32>>, b: SIMDMask<SIMD16<Int32>>, d: SIMDMask<SIMD16<Int32>>, e: SIMDMask<SIMD16<Int32>>) {
        (a: .!(takesB .| takesD .| takesE), b: takesB .& .!takesD .& .!takesE, d: takesD .& .!takesE, e: takesE)
    }
}
