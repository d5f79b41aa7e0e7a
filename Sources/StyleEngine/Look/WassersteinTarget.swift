/// The painting's side of the Wasserstein-2 style loss at one layer: the Gaussian fitted to its features,
/// mean μ_t and covariance Σ_t (+ ε·I), with √Σ_t computed once.
final class WassersteinTarget: @unchecked Sendable {
    let channels: Int
    let mean: FloatBuffer
    let covariance: FloatBuffer
    let covarianceRoot: FloatBuffer
    /// tr(Σ_t), in double precision.
    let covarianceTrace: Double

    /// From a (blended) Gram matrix G = Fᵀ F / (C·N) and mean μ = Fᵀ 1 / N of the style features: the second
    /// moment is C·G, so Σ_t = C·G − μ μᵀ + ε·I (crowsonkb blends mean and second moment the same way).
    init(gram: UnsafePointer<Float>, mean: UnsafePointer<Float>, channels c: Int, squareRoot: MatrixSquareRoot) {
        channels = c
        self.mean = FloatBuffer(count: c)
        self.mean.pointer.update(from: mean, count: c)
        covariance = FloatBuffer(count: c * c)
        WassersteinStyleLoss.covariance(secondMomentOverChannels: gram, mean: mean, channels: c, into: covariance.pointer)
        covarianceRoot = FloatBuffer(count: c * c)
        squareRoot.compute(covariance.pointer, order: c, root: covarianceRoot.pointer, inverseRoot: nil)
        let diagonal = covariance
        covarianceTrace = (0..<c).reduce(0) { $0 + Double(diagonal[$1 * c + $1]) }
    }
}
