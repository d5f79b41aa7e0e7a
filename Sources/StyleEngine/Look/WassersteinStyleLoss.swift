/// style_l = W₂²(N(μ, Σ), N(μ_t, Σ_t)) / C
///         = [ ‖μ − μ_t‖² + tr(Σ) + tr(Σ_t) − 2 tr((√Σ_t Σ √Σ_t)^½) ] / C,
/// with μ = Fᵀ1/N and Σ = FᵀF/N − μμᵀ + ε·I over the N = H·W pixels of the C-channel features F
/// (crowsonkb/style-transfer-pytorch's `StyleLossW2`: its mean over channels of the squared mean difference plus
/// the mean of the diagonal). The matrix roots come from the Newton–Schulz iteration (`MatrixSquareRoot`).
///
/// Backward, with M = √Σ_t Σ √Σ_t and d tr(M^½) = ½ tr(M^-½ dM) (M^-½ is the iteration's other output):
///   ∂/∂Σ = (I − √Σ_t M^-½ √Σ_t) / C = G_Σ,   ∂/∂μ = 2(μ − μ_t)/C = g_μ,
///   ∂/∂F = (2/N) F G_Σ + (1/N) 1 (g_μ − 2 G_Σ μ)ᵀ   (the second part only on the N real pixels).
enum WassersteinStyleLoss {
    /// crowsonkb's ε = 1e-4 is for features of [0, 1] images scaled by ImageNet's σ ≈ 0.226; this engine's
    /// images are 0…255 (about 58× larger), so its covariances are about 58² times larger.
    static let regularization: Float = 0.34

    /// Σ = C·G − μ μᵀ + ε·I from a Gram matrix G = FᵀF/(C·N) and the mean μ.
    static func covariance(secondMomentOverChannels gram: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                           channels c: Int, into covariance: UnsafeMutablePointer<Float>) {
        let channelCount = Float(c)
        for row in 0..<c {
            for column in 0..<c {
                covariance[row * c + column] = channelCount * gram[row * c + column] - mean[row] * mean[column]
            }
            covariance[row * c + row] += regularization
        }
    }

    /// Returns the unweighted loss; adds `scale` · d(loss)/dF to `gradient` (padded, like `features`).
    static func evaluate(features: UnsafePointer<Float>, shape: FeatureShape, target: WassersteinTarget,
                         scratch: WassersteinScratch, gradient: UnsafeMutablePointer<Float>, scale: Float) -> Double {
        let c = shape.channels, pixels = shape.height * shape.width
        precondition(target.channels == c)
        let mean = scratch.mean.pointer, covariance = scratch.covariance.pointer
        let product = scratch.product.pointer, temporary = scratch.temporary.pointer
        let root = scratch.root.pointer, inverseRoot = scratch.inverseRoot.pointer
        let targetRoot = target.covarianceRoot.pointer

        // μ = Fᵀ 1 / N (the zero border adds nothing), Σ = FᵀF/N − μμᵀ + εI.
        BLAS.multiply(rows: 1, columns: c, depth: shape.paddedPixelCount, scratch.ones.pointer, leadingA: shape.paddedPixelCount,
                      features, leadingB: c, into: mean, leadingC: c, alpha: 1 / Float(pixels))
        GramMatrix.compute(features: features, shape: shape, into: temporary, partials: scratch.partials)
        Self.covariance(secondMomentOverChannels: temporary, mean: mean, channels: c, into: covariance)

        // M = √Σ_t Σ √Σ_t, then √M and M^-½.
        BLAS.parallelMultiply(rows: c, columns: c, depth: c, targetRoot, leadingA: c, covariance, leadingB: c,
                              into: temporary, leadingC: c)
        BLAS.parallelMultiply(rows: c, columns: c, depth: c, temporary, leadingA: c, targetRoot, leadingB: c,
                              into: product, leadingC: c)
        scratch.squareRoot.compute(product, order: c, root: root, inverseRoot: inverseRoot)

        var meanTerm: Double = 0, trace: Double = 0, rootTrace: Double = 0
        for channel in 0..<c {
            let difference = Double(mean[channel]) - Double(target.mean[channel])
            meanTerm += difference * difference
            trace += Double(covariance[channel * c + channel])
            rootTrace += Double(root[channel * c + channel])
        }
        let loss = (meanTerm + trace + target.covarianceTrace - 2 * rootTrace) / Double(c)

        // G_Σ = (I − √Σ_t M^-½ √Σ_t) / C, into `product`.
        BLAS.parallelMultiply(rows: c, columns: c, depth: c, targetRoot, leadingA: c, inverseRoot, leadingB: c,
                              into: temporary, leadingC: c)
        BLAS.parallelMultiply(rows: c, columns: c, depth: c, temporary, leadingA: c, targetRoot, leadingB: c,
                              into: product, leadingC: c, alpha: -1 / Float(c))
        for channel in 0..<c { product[channel * c + channel] += 1 / Float(c) }

        // gradient += scale·(2/N)·F G_Σ, over every padded pixel (the border of F is zero, so it adds zero there).
        BLAS.parallelMultiply(rows: shape.paddedPixelCount, columns: c, depth: c, features, leadingA: c,
                              product, leadingB: c, into: gradient, leadingC: c, alpha: scale * 2 / Float(pixels), beta: 1)
        // … + scale·(1/N)·(g_μ − 2 G_Σ μ) on each real pixel.
        let perPixel = scratch.meanGradient.pointer
        for row in 0..<c {
            var sum: Float = 0
            for column in 0..<c { sum += product[row * c + column] * mean[column] }
            let meanGradient = 2 * (mean[row] - target.mean[row]) / Float(c)
            perPixel[row] = scale * (meanGradient - 2 * sum) / Float(pixels)
        }
        ParallelLoop.run(count: shape.height) { y in
            var offset = shape.index(y: y, x: 0, channel: 0)
            for _ in 0..<shape.width {
                for channel in 0..<c { gradient[offset + channel] += perPixel[channel] }
                offset += c
            }
        }
        return loss
    }
}

/// The Wasserstein loss's working memory, planned once for the largest style layer.
final class WassersteinScratch: @unchecked Sendable {
    let mean: FloatBuffer, meanGradient: FloatBuffer
    let covariance: FloatBuffer, product: FloatBuffer, temporary: FloatBuffer, root: FloatBuffer, inverseRoot: FloatBuffer
    /// N ones, for μ = Fᵀ 1 as one GEMM.
    let ones: FloatBuffer
    let partials: [FloatBuffer]
    let squareRoot: MatrixSquareRoot

    init(maximumChannels c: Int, maximumPaddedPixels: Int) {
        mean = FloatBuffer(count: c)
        meanGradient = FloatBuffer(count: c)
        (covariance, product, temporary, root, inverseRoot) = (FloatBuffer(count: c * c), FloatBuffer(count: c * c),
                                                              FloatBuffer(count: c * c), FloatBuffer(count: c * c),
                                                              FloatBuffer(count: c * c))
        ones = FloatBuffer(count: maximumPaddedPixels)
        ones.pointer.update(repeating: 1, count: maximumPaddedPixels)
        partials = GramMatrix.makePartials(channels: c)
        squareRoot = MatrixSquareRoot(maximumOrder: c)
    }
}
