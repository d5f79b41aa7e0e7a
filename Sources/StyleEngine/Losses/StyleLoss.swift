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
        var sum: Double = 0
        for index in 0..<(c * c) {
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
