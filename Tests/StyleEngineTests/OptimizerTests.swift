import Foundation
import Testing
@testable import StyleEngine

/// A test function as an `ImageObjective`, counting its evaluations and remembering every value.
final class TestObjective: ImageObjective {
    let function: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double
    private(set) var evaluations = 0
    init(_ function: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double) { self.function = function }
    func evaluate(at x: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>) -> Double {
        evaluations += 1
        return function(x, gradient)
    }
}

@Suite("Optimizers: L-BFGS, its line search and Adam on known functions")
struct OptimizerTests {
    /// f(x) = Σ_i 100 (x_{2i+1} − x_{2i}²)² + (1 − x_{2i})²: minimum 0 at all ones.
    static func rosenbrock(count: Int) -> TestObjective {
        TestObjective { x, gradient in
            var value = 0.0
            for pair in stride(from: 0, to: count, by: 2) {
                let a = Double(x[pair]), b = Double(x[pair + 1])
                value += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)
                gradient[pair] = Float(-400 * a * (b - a * a) - 2 * (1 - a))
                gradient[pair + 1] = Float(200 * (b - a * a))
            }
            return value
        }
    }

    /// f(x) = scale · ½ Σ λ_i x_i², λ_i spread evenly in log from 1e-3 to 1e3 (condition number 1e6),
    /// minimum 0 at the origin. `scale` makes the first gradient step absurdly long or short.
    static func badlyScaledQuadratic(count: Int, scale: Double) -> TestObjective {
        let curvatures = (0..<count).map { scale * pow(10, -3 + 6 * Double($0) / Double(count - 1)) }
        return TestObjective { x, gradient in
            var value = 0.0
            for index in 0..<count {
                value += 0.5 * curvatures[index] * Double(x[index]) * Double(x[index])
                gradient[index] = Float(curvatures[index] * Double(x[index]))
            }
            return value
        }
    }

    struct Run {
        var x: [Float]
        var values: [Double]     // f at the start and after every iteration
        var evaluations: Int
    }

    /// `iterations` optimizer steps from `start`; the objective is evaluated once at the start.
    static func minimize(_ optimizer: ImageOptimizer, _ objective: TestObjective, from start: [Float],
                         iterations: Int) -> Run {
        let x = FloatBuffer(start), gradient = FloatBuffer(count: start.count)
        var value = objective.evaluate(at: x.pointer, gradient: gradient.pointer)
        var values = [value]
        for _ in 0..<iterations {
            let step = optimizer.step(x: x.pointer, value: &value, gradient: gradient.pointer, objective: objective)
            values.append(value)
            if !step.moved { break }   // converged (or nothing lowers f any more)
        }
        return Run(x: x.array, values: values, evaluations: objective.evaluations)
    }

    static let rosenbrockStart = [Float](repeating: 0, count: 10).enumerated().map { $0.offset % 2 == 0 ? Float(-1.2) : 1 }

    /// The classic start (−1.2, 1), repeated in 5 independent pairs. Without a line search the fixed
    /// step is scaled down (learning rate 0.05, as one would for this ill-conditioned valley).
    @Test(arguments: [5, 20])
    func lbfgsWithoutLineSearchSolvesRosenbrock(historySize: Int) {
        let optimizer = LBFGS(count: 10, historySize: historySize, learningRate: 0.05, lineSearch: .none)
        let run = Self.minimize(optimizer, Self.rosenbrock(count: 10), from: Self.rosenbrockStart, iterations: 3000)
        #expect(run.values.last! < 1e-6, "f = \(run.values.last!) at \(run.x)")
        #expect(run.x.allSatisfy { abs($0 - 1) < 1e-2 }, "\(run.x)")
        #expect(run.evaluations <= run.values.count, "one evaluation per iteration")
    }

    /// The curvature pair kept after a step (both passes split over the cores, at an odd length): y is the change of
    /// the gradient, bit for bit; s is the step taken; ρ = 1/(yᵀs) and the Hessian scale yᵀs/yᵀy are the sums over
    /// every element, in double precision.
    @Test func theCurvaturePairIsTheStepAndTheGradientChange() {
        let count = 4_099
        let objective = Self.badlyScaledQuadratic(count: count, scale: 1)
        let optimizer = LBFGS(count: count, historySize: 3)
        let x = FloatBuffer((0..<count).map { Float(1 + $0 % 7) }), gradient = FloatBuffer(count: count)
        var value = objective.evaluate(at: x.pointer, gradient: gradient.pointer)
        let x0 = x.array, g0 = gradient.array
        let step = optimizer.step(x: x.pointer, value: &value, gradient: gradient.pointer, objective: objective)
        #expect(step.moved && optimizer.pairCount == 1)
        let s = optimizer.steps[optimizer.newest].array, y = optimizer.gradientChanges[optimizer.newest].array
        #expect(y == zip(gradient.array, g0).map { $0 - $1 })
        let taken = zip(x.array, x0).map { Double($0 - $1) }
        #expect(zip(s, taken).allSatisfy { abs(Double($0) - $1) <= 1e-6 * max(1, abs($1)) })
        let ys = zip(y, s).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, yy = y.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(optimizer.inverseCurvatures[optimizer.newest] * ys - 1) < 1e-12)
        #expect(abs(optimizer.hessianScale / (ys / yy) - 1) < 1e-12)
    }

    /// With the strong Wolfe line search the unscaled step (learning rate 1) solves it, every iteration
    /// lowers f, and it takes far fewer evaluations than the fixed step above (Nocedal & Wright report
    /// about 35 iterations for this start).
    @Test(arguments: [5, 20])
    func lbfgsWithLineSearchSolvesRosenbrockMonotonically(historySize: Int) {
        let optimizer = LBFGS(count: 10, historySize: historySize)
        let run = Self.minimize(optimizer, Self.rosenbrock(count: 10), from: Self.rosenbrockStart, iterations: 200)
        #expect(run.values.last! < 1e-8, "f = \(run.values.last!) at \(run.x)")
        #expect(run.x.allSatisfy { abs($0 - 1) < 1e-3 }, "\(run.x)")
        #expect(zip(run.values, run.values.dropFirst()).allSatisfy { $1 <= $0 }, "f went up: \(run.values)")
        #expect(run.evaluations < 150, "\(run.evaluations) evaluations")
    }

    /// One search along −∇f from (−1.2, 1), with a first step 10⁴ times too long and one 10⁶ times too
    /// short: both end on a step that satisfies the strong Wolfe conditions, with x, f and ∇f at that step.
    @Test(arguments: [1e2, 1e-8])
    func lineSearchFindsAStrongWolfeStep(initialStep: Double) {
        let objective = Self.rosenbrock(count: 2)
        let x = FloatBuffer([-1.2, 1]), gradient = FloatBuffer(count: 2)
        var value = objective.evaluate(at: x.pointer, gradient: gradient.pointer)
        let f0 = value, g0 = gradient.array
        let direction = FloatBuffer(g0.map { -$0 }), startGradient = FloatBuffer(g0)
        let slope = Double(g0[0] * -g0[0] + g0[1] * -g0[1])
        let search = StrongWolfeLineSearch(count: 2)
        let result = search.search(x: x.pointer, value: &value, gradient: gradient.pointer,
                                   startGradient: startGradient.pointer, direction: direction.pointer,
                                   initialStep: initialStep, slope: slope, objective: objective)
        let t = result.step
        #expect(t > 0)
        #expect(abs(Double(x[0]) - (-1.2 - t * Double(g0[0]))) < 1e-5 && abs(Double(x[1]) - (1 - t * Double(g0[1]))) < 1e-5)
        let check = FloatBuffer(count: 2)
        let expectedValue = Self.rosenbrock(count: 2).evaluate(at: x.pointer, gradient: check.pointer)
        #expect(value == expectedValue && gradient.array == check.array, "value and gradient are those at the returned x")
        #expect(value <= f0 + StrongWolfeLineSearch.sufficientDecrease * t * slope, "sufficient decrease")
        let newSlope = Double(gradient[0] * direction[0] + gradient[1] * direction[1])
        #expect(abs(newSlope) <= StrongWolfeLineSearch.curvatureCondition * abs(slope), "curvature")
        #expect(result.evaluations == objective.evaluations - 1 && result.evaluations <= 1 + StrongWolfeLineSearch.maximumTrials)
    }

    /// A non-finite value along the way is a step too long: bisected away, never taken.
    @Test func lineSearchBacksOffFromNonFiniteValues() {
        // f = ½‖x‖² inside the disc of radius 4 around the start (3, 0), NaN outside.
        let objective = TestObjective { x, gradient in
            let a = Double(x[0]), b = Double(x[1])
            gradient[0] = Float(a); gradient[1] = Float(b)
            return (a - 3) * (a - 3) + b * b > 16 ? .nan : 0.5 * (a * a + b * b)
        }
        let optimizer = LBFGS(count: 2, historySize: 5, learningRate: 1e6)
        let run = Self.minimize(optimizer, objective, from: [3, 0], iterations: 20)
        #expect(run.values.allSatisfy { $0.isFinite }, "\(run.values)")
        #expect(zip(run.values, run.values.dropFirst()).allSatisfy { $1 <= $0 }, "\(run.values)")
        #expect(run.values.last! < 1e-3 * run.values[0], "\(run.values)")
    }

    /// A quadratic with condition number 10⁶, scaled by 10⁻², 1 and 10⁶ (as a loss weight would): the
    /// line search keeps every iteration downhill whatever the scale, converges to float precision, and
    /// mostly accepts its first trial step.
    @Test(arguments: [1e-2, 1.0, 1e6])
    func lbfgsWithLineSearchOnABadlyScaledQuadratic(scale: Double) {
        let start = [Float](repeating: 1, count: 50)
        let run = Self.minimize(LBFGS(count: 50, historySize: 10),
                                Self.badlyScaledQuadratic(count: 50, scale: scale), from: start, iterations: 300)
        #expect(zip(run.values, run.values.dropFirst()).allSatisfy { $1 <= $0 }, "f went up: \(run.values)")
        #expect(run.values.last! < 1e-4 * run.values[0], "\(run.values.last!) from \(run.values[0])")
        #expect(run.evaluations < 2 * run.values.count, "\(run.evaluations) evaluations in \(run.values.count - 1) iterations")
    }

    @Test func adamApproachesTheRosenbrockMinimum() {
        let optimizer = Adam(count: 2, learningRate: 0.02)
        let run = Self.minimize(optimizer, Self.rosenbrock(count: 2), from: [-1.2, 1], iterations: 8000)
        #expect(run.values.last! < 1e-3, "f = \(run.values.last!) at \(run.x)")
        #expect(run.evaluations == 8001)
    }

    /// After `backOff` the steps are ten times shorter: the failed step is not taken again.
    @Test func backOffShortensTheNextStep() {
        for optimizer: ImageOptimizer in [LBFGS(count: 2, historySize: 5, lineSearch: .none), Adam(count: 2, learningRate: 1)] {
            func firstStepLength() -> Float {
                let x = FloatBuffer([-1.2, 1]), gradient = FloatBuffer(count: 2), objective = Self.rosenbrock(count: 2)
                var value = objective.evaluate(at: x.pointer, gradient: gradient.pointer)
                _ = optimizer.step(x: x.pointer, value: &value, gradient: gradient.pointer, objective: objective)
                return ((x[0] + 1.2) * (x[0] + 1.2) + (x[1] - 1) * (x[1] - 1)).squareRoot()
            }
            optimizer.reset()
            let normal = firstStepLength()
            optimizer.backOff()
            let shorter = firstStepLength()
            #expect(abs(shorter / normal - Float(StepControl.backOffFactor)) < 1e-3, "\(type(of: optimizer)): \(normal) then \(shorter)")
            optimizer.reset()
            #expect(abs(firstStepLength() / normal - 1) < 1e-5)
        }
    }

    /// A pair with sᵀy ≤ 0 is rejected without touching the stored ones (history 1: the only pair).
    @Test func rejectedCurvaturePairLeavesTheHistoryAlone() {
        let optimizer = LBFGS(count: 2, historySize: 1, lineSearch: .none)
        let x = FloatBuffer([0, 0])
        // The objective returns these gradients in turn, at whatever x.
        var gradients: [[Float]] = [[0.5, 0], [0.7, 0]]
        let objective = TestObjective { _, gradient in
            let next = gradients.removeFirst()
            gradient[0] = next[0]; gradient[1] = next[1]
            return 1
        }
        let gradient = FloatBuffer([1, 0])
        var value = 1.0
        _ = optimizer.step(x: x.pointer, value: &value, gradient: gradient.pointer, objective: objective)  // d = −g, t = 1
        #expect(x.array == [-1, 0])
        #expect(optimizer.pairCount == 1)                 // y = −0.5, s = −1: sᵀy > 0, kept
        let keptStep = optimizer.steps[0].array, keptChange = optimizer.gradientChanges[0].array
        #expect(keptStep == [-1, 0] && keptChange == [-0.5, 0])
        _ = optimizer.step(x: x.pointer, value: &value, gradient: gradient.pointer, objective: objective)
        #expect(optimizer.pairCount == 1)                 // the gradient grew along the step: sᵀy < 0, rejected
        #expect(optimizer.steps[0].array == keptStep && optimizer.gradientChanges[0].array == keptChange)
    }

    /// The two-loop recursion, run in fused passes split over the cores, against its naive twin in double precision
    /// on the pairs the optimizer kept: a vector of several 4,096-float blocks and a tail, and a history that has
    /// wrapped around its ring (9 steps, 4 slots).
    @Test func directionMatchesTheNaiveTwoLoopRecursion() {
        let n = 2 * LBFGS.dotBlock + 37
        let optimizer = LBFGS(count: n, historySize: 4, lineSearch: .none)
        var random = TestRandom(seed: 11)
        let objective = Self.badlyScaledQuadratic(count: n, scale: 1)
        _ = Self.minimize(optimizer, objective, from: random.floats(n), iterations: 9)
        #expect(optimizer.pairCount == 4)
        let gradient = random.floats(n)
        gradient.withUnsafeBufferPointer { optimizer.computeDirection(gradient: $0.baseAddress!) }

        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let slots = (0..<optimizer.pairCount).map { (optimizer.newest - $0 + 4) % 4 }  // newest first
        let s = slots.map { optimizer.steps[$0].array.map(Double.init) }
        let y = slots.map { optimizer.gradientChanges[$0].array.map(Double.init) }
        let rho = slots.indices.map { 1 / dot(s[$0], y[$0]) }
        var q = gradient.map { -Double($0) }, alpha = [Double](repeating: 0, count: slots.count)
        for i in slots.indices {
            alpha[i] = rho[i] * dot(s[i], q)
            q = zip(q, y[i]).map { $0 - alpha[i] * $1 }
        }
        let gamma = dot(s[0], y[0]) / dot(y[0], y[0])
        q = q.map { gamma * $0 }
        for i in slots.indices.reversed() {
            let beta = rho[i] * dot(y[i], q)
            q = zip(q, s[i]).map { $0 + (alpha[i] - beta) * $1 }
        }
        let magnitude = q.map(abs).max()!
        let worst = zip(optimizer.direction.array, q).map { abs(Double($0) - $1) }.max()!
        #expect(worst / magnitude < 1e-5, "worst difference \(worst) of \(magnitude)")
    }

    /// The history is one mapping whose pages are touched only as pairs are stored: a short run on a large image
    /// holds the pairs it made, not the whole history (mincore counts the resident pages).
    @Test func historyPagesAreTouchedOnlyAsPairsAreStored() {
        let count = 1 << 18  // 1 MB a vector
        let optimizer = LBFGS(count: count, historySize: 40)
        let history = optimizer.history
        func residentMegabytes() -> Double {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let bytes = history.count * MemoryLayout<Float>.stride
            var resident = [UInt8](repeating: 0, count: (bytes + page - 1) / page)
            #expect(mincore(UnsafeMutableRawPointer(history.pointer), bytes, &resident) == 0)
            return Double(resident.filter { $0 & 1 != 0 }.count * page) / Double(1 << 20)
        }
        #expect(residentMegabytes() < 1, "nothing stored yet")
        let run = Self.minimize(optimizer, Self.badlyScaledQuadratic(count: count, scale: 1),
                                from: [Float](repeating: 1, count: count), iterations: 3)
        #expect(run.values.count == 4 && optimizer.pairCount == 3)
        let resident = residentMegabytes()
        // 6 MB; up to 8 where transparent huge pages are "always" (the 6 MB fall in at most four 2 MB pages).
        #expect(resident >= 6 && resident <= 8, "3 pairs of 1 MB vectors stored: \(resident) MB resident of 80")
    }
}
