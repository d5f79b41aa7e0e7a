import Testing
@testable import StyleEngine

@Suite("Optimizers: L-BFGS and Adam on known functions")
struct OptimizerTests {
    /// f(x) = Σ_i 100 (x_{2i+1} − x_{2i}²)² + (1 − x_{2i})²: minimum 0 at all ones.
    static func rosenbrock(_ x: UnsafePointer<Float>, _ gradient: UnsafeMutablePointer<Float>, count: Int) -> Double {
        var value = 0.0
        for pair in stride(from: 0, to: count, by: 2) {
            let a = Double(x[pair]), b = Double(x[pair + 1])
            value += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)
            gradient[pair] = Float(-400 * a * (b - a * a) - 2 * (1 - a))
            gradient[pair + 1] = Float(200 * (b - a * a))
        }
        return value
    }

    static func minimize(_ optimizer: ImageOptimizer, from start: [Float], iterations: Int) -> (x: [Float], value: Double) {
        let x = FloatBuffer(start), gradient = FloatBuffer(count: start.count)
        var value = 0.0
        for _ in 0..<iterations {
            value = rosenbrock(x.pointer, gradient.pointer, count: start.count)
            optimizer.step(x: x.pointer, value: value, gradient: gradient.pointer)
        }
        value = rosenbrock(x.pointer, gradient.pointer, count: start.count)
        return (x.array, value)
    }

    /// The classic start (−1.2, 1), repeated in 5 independent pairs. Without a line search the fixed
    /// step is scaled down (learning rate 0.05, as one would for this ill-conditioned valley).
    @Test(arguments: [5, 20])
    func lbfgsSolvesRosenbrock(historySize: Int) {
        let start = [Float](repeating: 0, count: 10).enumerated().map { $0.offset % 2 == 0 ? Float(-1.2) : 1 }
        let optimizer = LBFGS(count: start.count, historySize: historySize, learningRate: 0.05)
        let (x, value) = Self.minimize(optimizer, from: start, iterations: 3000)
        #expect(value < 1e-6, "f = \(value) at \(x)")
        #expect(x.allSatisfy { abs($0 - 1) < 1e-2 }, "\(x)")
    }

    @Test func adamApproachesTheRosenbrockMinimum() {
        let optimizer = Adam(count: 2, learningRate: 0.02)
        let (x, value) = Self.minimize(optimizer, from: [-1.2, 1], iterations: 8000)
        #expect(value < 1e-3, "f = \(value) at \(x)")
    }

    /// A pair with sᵀy ≤ 0 is rejected without touching the stored ones (history 1: the only pair).
    @Test func rejectedCurvaturePairLeavesTheHistoryAlone() {
        let optimizer = LBFGS(count: 2, historySize: 1)
        let x = FloatBuffer([0, 0])
        func step(value: Double, gradient: [Float]) {
            let buffer = FloatBuffer(gradient)
            withExtendedLifetime(buffer) { optimizer.step(x: x.pointer, value: value, gradient: buffer.pointer) }
        }
        step(value: 1, gradient: [1, 0])              // d = −g, t = 1
        #expect(x.array == [-1, 0])
        step(value: 0.5, gradient: [0.5, 0])          // y = −0.5, s = −1: sᵀy > 0, kept
        #expect(optimizer.pairCount == 1)
        let keptStep = optimizer.steps[0].array, keptChange = optimizer.gradientChanges[0].array
        #expect(keptStep == [-1, 0] && keptChange == [-0.5, 0])
        step(value: 0.7, gradient: [0.7, 0])          // the gradient grew along the step: sᵀy < 0, rejected
        #expect(optimizer.pairCount == 1)
        #expect(optimizer.steps[0].array == keptStep && optimizer.gradientChanges[0].array == keptChange)
    }
}
