/// Colour matching (Hertzmann 1998; Gatys et al. 2017, §5.1): an affine map x ↦ A (x − μ_s) + μ_c of the
/// painting's RGB values with A = Σ_c^½ Σ_s^-½, so that the recoloured painting's mean and covariance are
/// the photo's (A Σ_s Aᵀ = Σ_c for the symmetric roots). Values are left unclamped (the engine takes floats).
public enum ColorTransfer {
    /// Added to the painting's covariance diagonal so a grey or flat painting still has an inverse root.
    static let regularization = 1e-3

    /// `style` and `content`: interleaved RGB values, 0…255, of any sizes.
    public static func matchColors(of style: [Float], to content: [Float]) -> [Float] {
        let (styleMean, styleCovariance) = statistics(style)
        let (contentMean, contentCovariance) = statistics(content)
        var regularized = styleCovariance
        for i in 0..<3 { regularized[i * 3 + i] += regularization }
        let inverseRoot = SymmetricEigen(regularized, order: 3).applying { 1 / max($0, regularization).squareRoot() }
        let root = SymmetricEigen(contentCovariance, order: 3).applying { max($0, 0).squareRoot() }
        var a = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 { a[i * 3 + j] = (0..<3).reduce(0) { $0 + root[i * 3 + $1] * inverseRoot[$1 * 3 + j] } }
        }
        var result = [Float](repeating: 0, count: style.count)
        for pixel in 0..<(style.count / 3) {
            let d = (0..<3).map { Double(style[3 * pixel + $0]) - styleMean[$0] }
            for i in 0..<3 {
                result[3 * pixel + i] = Float(a[i * 3] * d[0] + a[i * 3 + 1] * d[1] + a[i * 3 + 2] * d[2] + contentMean[i])
            }
        }
        return result
    }

    /// Mean (3) and covariance (3 × 3, divided by the pixel count) of interleaved RGB values, in double precision.
    public static func statistics(_ rgb: [Float]) -> (mean: [Double], covariance: [Double]) {
        let pixels = rgb.count / 3
        var mean = [Double](repeating: 0, count: 3)
        for pixel in 0..<pixels { for i in 0..<3 { mean[i] += Double(rgb[3 * pixel + i]) } }
        mean = mean.map { $0 / Double(max(pixels, 1)) }
        var covariance = [Double](repeating: 0, count: 9)
        for pixel in 0..<pixels {
            let d = (0..<3).map { Double(rgb[3 * pixel + $0]) - mean[$0] }
            for i in 0..<3 { for j in 0..<3 { covariance[i * 3 + j] += d[i] * d[j] } }
        }
        return (mean, covariance.map { $0 / Double(max(pixels, 1)) })
    }
}
