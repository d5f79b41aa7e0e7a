/// style_l = mean over C² of (G_l(x) − G_l(style))², G = Fᵀ F / (C·H·W).
///
/// d style_l / dF = F · 4(G − T) / (C²·C·H·W), one GEMM (pixels × C)·(C × C).
enum StyleLoss {
    /// Returns the unweighted loss; adds `scale` · d(loss)/dF to `gradient`.
    /// `gram` and `difference` are C × C scratch matrices, `partials` one C × C matrix per worker.
    static func evaluate(features: UnsafePointer<Float>, targetGram: UnsafePointer<Float>, shape: FeatureShape,
                         gram: UnsafeMutablePointer<Float>, difference: UnsafeMutablePointer<Float>,
                         partials: [FloatBuffer], gradient: UnsafeMutablePointer<Float>, scale: Float) -> Double {
        let c = shape.channels
        GramMatrix.compute(features: features, shape: shape, into: gram, partials: partials)
        // Eight running sums in vector registers: one running sum was one chain of dependent additions (262,144 for
        // a 512-channel layer), serial, while the other core waits.
        var sums = SIMD8<Double>()
        let count = c * c, whole = count - count % 8
        for index in stride(from: 0, to: whole, by: 8) {
            let delta = Vector.loadEight(gram + index) - Vector.loadEight(targetGram + index)
            Vector.storeEight(delta, difference + index)
            let wide = SIMD8<Double>(delta)
            sums.addProduct(wide, wide)
        }
        var sum = sums.sum()
        for index in whole..<count {
            let delta = gram[index] - targetGram[index]
            difference[index] = delta
            sum += Double(delta) * Double(delta)
        }
        let alpha = scale * 4 / (Float(c * c) * Float(shape.elementCount))
        BLAS.parallelMultiply(rows: shape.paddedPixelCount, columns: c, depth: c, features, leadingA: c,
                              difference, leadingB: c, into: gradient, leadingC: c, alpha: alpha, beta: 1)
        return sum / Double(c * c)
    }
}
