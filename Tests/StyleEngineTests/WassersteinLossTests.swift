import Foundation
import Testing
@testable import StyleEngine

/// The Wasserstein-2 style loss against a naive double-precision twin (exact eigendecomposition roots), the
/// twin's gradient against finite differences, and the matrix roots against each other.
struct WassersteinLossTests {
    /// The twin: μ, Σ = FᵀF/N − μμᵀ + εI and W₂²/C in double precision, features C × N (CHW).
    enum Twin {
        static let epsilon = Double(WassersteinStyleLoss.regularization)

        static func statistics(_ f: [Double], channels c: Int, pixels n: Int) -> (mean: [Double], covariance: [Double]) {
            let mean = (0..<c).map { i in (0..<n).reduce(0) { $0 + f[i * n + $1] } / Double(n) }
            var covariance = [Double](repeating: 0, count: c * c)
            for i in 0..<c {
                for j in 0..<c {
                    let moment = (0..<n).reduce(0) { $0 + f[i * n + $1] * f[j * n + $1] } / Double(n)
                    covariance[i * c + j] = moment - mean[i] * mean[j] + (i == j ? epsilon : 0)
                }
            }
            return (mean, covariance)
        }

        static func multiply(_ a: [Double], _ b: [Double], _ c: Int) -> [Double] {
            var result = [Double](repeating: 0, count: c * c)
            for i in 0..<c { for j in 0..<c { for k in 0..<c { result[i * c + j] += a[i * c + k] * b[k * c + j] } } }
            return result
        }

        static func loss(_ f: [Double], target: (mean: [Double], covariance: [Double]), channels c: Int, pixels n: Int) -> Double {
            let (mean, covariance) = statistics(f, channels: c, pixels: n)
            let s = SymmetricEigen(target.covariance, order: c).applying { $0.squareRoot() }
            let rootM = SymmetricEigen(multiply(multiply(s, covariance, c), s, c), order: c).applying { $0.squareRoot() }
            var value = 0.0
            for i in 0..<c {
                value += (mean[i] - target.mean[i]) * (mean[i] - target.mean[i])
                value += covariance[i * c + i] + target.covariance[i * c + i] - 2 * rootM[i * c + i]
            }
            return value / Double(c)
        }

        /// d loss / dF, C × N.
        static func gradient(_ f: [Double], target: (mean: [Double], covariance: [Double]), channels c: Int, pixels n: Int) -> [Double] {
            let (mean, covariance) = statistics(f, channels: c, pixels: n)
            let s = SymmetricEigen(target.covariance, order: c).applying { $0.squareRoot() }
            let inverseRootM = SymmetricEigen(multiply(multiply(s, covariance, c), s, c), order: c).applying { 1 / $0.squareRoot() }
            var g = multiply(multiply(s, inverseRootM, c), s, c).map { -$0 / Double(c) }
            for i in 0..<c { g[i * c + i] += 1 / Double(c) }
            var result = [Double](repeating: 0, count: c * n)
            for k in 0..<c {
                for p in 0..<n {
                    var sum = 0.0
                    for j in 0..<c { sum += (f[j * n + p] - mean[j]) * g[j * c + k] }
                    result[k * n + p] = 2 * sum / Double(n) + 2 * (mean[k] - target.mean[k]) / Double(c) / Double(n)
                }
            }
            return result
        }
    }

    /// ReLU-like features: non-negative, uneven channel scales.
    static func features(_ random: inout TestRandom, channels c: Int, pixels n: Int, offset: Double) -> [Double] {
        (0..<(c * n)).map { index in max(0, offset + Double(1 + index / n % 3) * 4 * random.symmetric()) }
    }

    @Test func twinGradientMatchesFiniteDifferences() {
        let (c, n) = (5, 24)
        var random = TestRandom(seed: 31)
        let f = Self.features(&random, channels: c, pixels: n, offset: 3)
        let target = Twin.statistics(Self.features(&random, channels: c, pixels: n, offset: 5), channels: c, pixels: n)
        let analytic = Twin.gradient(f, target: target, channels: c, pixels: n)
        for index in f.indices {
            var plus = f, minus = f
            plus[index] += 1e-5
            minus[index] -= 1e-5
            let numeric = (Twin.loss(plus, target: target, channels: c, pixels: n)
                           - Twin.loss(minus, target: target, channels: c, pixels: n)) / 2e-5
            #expect(abs(numeric - analytic[index]) < 1e-6 * max(1, abs(numeric)), "element \(index)")
        }
    }

    @Test(arguments: [(8, 10, 12), (16, 9, 14)])
    func lossAndGradientMatchTheTwin(channels c: Int, height: Int, width: Int) {
        let shape = FeatureShape(height: height, width: width, channels: c)
        let n = height * width
        var random = TestRandom(seed: UInt64(c))
        let f = Self.features(&random, channels: c, pixels: n, offset: 3)
        let targetFeatures = Self.features(&random, channels: c, pixels: n, offset: 6)
        let paddedTarget = Layouts.padded(targetFeatures, shape: shape)
        let statistics = StyleStatistics(features: paddedTarget.pointer, shape: shape)
        let target = WassersteinTarget(gram: statistics.gram.pointer, mean: statistics.mean.pointer, channels: c,
                                       squareRoot: MatrixSquareRoot(maximumOrder: c))
        let twinTarget = Twin.statistics(targetFeatures, channels: c, pixels: n)
        #expect(maxAbsoluteDifference(target.covariance.array.map(Double.init), twinTarget.covariance) < 1e-4)

        let padded = Layouts.padded(f, shape: shape)
        let gradient = FloatBuffer(count: shape.paddedCount)
        let scratch = WassersteinScratch(maximumChannels: c + 3, maximumPaddedPixels: shape.paddedPixelCount + 5)
        let scale: Float = 3
        let value = withExtendedLifetime((padded, paddedTarget)) {
            WassersteinStyleLoss.evaluate(features: padded.pointer, shape: shape, target: target, scratch: scratch,
                                          gradient: gradient.pointer, scale: scale)
        }
        let expected = Twin.loss(f, target: twinTarget, channels: c, pixels: n)
        #expect(expected > 1, "the two distributions differ")
        #expect(relativeError(value, expected) < 1e-4, "loss \(value) vs twin \(expected)")
        let analytic = Layouts.chw(gradient.pointer, shape: shape)
        let twinGradient = Twin.gradient(f, target: twinTarget, channels: c, pixels: n).map { $0 * Double(scale) }
        let largest = twinGradient.map(abs).max()!
        #expect(maxAbsoluteDifference(analytic, twinGradient) < 1e-3 * largest)
        #expect(Layouts.borderIsZero(gradient.pointer, shape: shape), "nothing lands on the padding")
    }

    @Test func newtonSchulzRootsMatchTheEigendecomposition() {
        let c = 12
        var random = TestRandom(seed: 5)
        let b = random.array(c * c)
        var a = Twin.multiply(b, (0..<(c * c)).map { b[$0 % c * c + $0 / c] }, c)   // B Bᵀ
        for i in 0..<c { a[i * c + i] += 0.5 }
        let root = FloatBuffer(count: c * c), inverseRoot = FloatBuffer(count: c * c)
        let input = FloatBuffer(a.map(Float.init))
        MatrixSquareRoot(maximumOrder: c).compute(input.pointer, order: c, root: root.pointer,
                                                  inverseRoot: inverseRoot.pointer, iterations: 20)
        let eigen = SymmetricEigen(a, order: c)
        #expect(maxAbsoluteDifference(root.array.map(Double.init), eigen.applying { $0.squareRoot() }) < 1e-4)
        #expect(maxAbsoluteDifference(inverseRoot.array.map(Double.init), eigen.applying { 1 / $0.squareRoot() }) < 1e-3)
        // The eigendecomposition itself: V Λ Vᵀ gives back A.
        #expect(maxAbsoluteDifference(eigen.applying { $0 }, a) < 1e-10)
    }
}
