/// G = Fᵀ F / (C·H·W) for a padded map F seen as a (pixels × C) matrix: the zero border adds nothing.
enum GramMatrix {
    /// Writes the full symmetric C × C matrix into `gram`.
    static func compute(features: UnsafePointer<Float>, shape: FeatureShape, into gram: UnsafeMutablePointer<Float>) {
        let c = shape.channels
        BLAS.symmetricRankUpdate(order: c, depth: shape.paddedPixelCount, features, leadingA: c,
                                 into: gram, leadingC: c, alpha: 1 / Float(shape.elementCount))
        for row in 0..<c {
            for column in 0..<row { gram[row * c + column] = gram[column * c + row] }
        }
    }
}
