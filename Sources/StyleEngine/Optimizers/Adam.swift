import Foundation

/// Adam (Kingma & Ba 2015) with bias correction; the learning rate is in pixel units (0…255 scale).
/// One evaluation per iteration: the step, then f and ∇f at the new x.
public final class Adam: ImageOptimizer {
    public let count: Int
    public var learningRate: Double
    public let firstMomentDecay: Double
    public let secondMomentDecay: Double
    public let epsilon: Double

    let firstMoment: FloatBuffer
    let secondMoment: FloatBuffer
    var iterations = 0
    /// Shrinks the learning rate after a failure (`backOff`); 1 after `reset`.
    var stepScale: Double = 1

    public init(count: Int, learningRate: Double = SettingTable.adamLearningRate.defaultValue, firstMomentDecay: Double = 0.9,
                secondMomentDecay: Double = 0.999, epsilon: Double = 1e-8) {
        self.count = count
        self.learningRate = learningRate
        self.firstMomentDecay = firstMomentDecay
        self.secondMomentDecay = secondMomentDecay
        self.epsilon = epsilon
        firstMoment = FloatBuffer(count: count)
        secondMoment = FloatBuffer(count: count)
    }

    public func reset() {
        forgetMoments()
        stepScale = 1
    }

    public func backOff() {
        forgetMoments()
        stepScale *= StepControl.backOffFactor
    }

    private func forgetMoments() {
        iterations = 0
        firstMoment.zero()
        secondMoment.zero()
    }

    public func step(x: UnsafeMutablePointer<Float>, value: inout Double, gradient: UnsafeMutablePointer<Float>,
                     objective: ImageObjective) -> OptimizerStep {
        iterations += 1
        let beta1 = Float(firstMomentDecay), beta2 = Float(secondMomentDecay)
        let correction1 = Float(1 - pow(firstMomentDecay, Double(iterations)))
        let correction2 = Float(1 - pow(secondMomentDecay, Double(iterations)))
        let stepSize = Float(learningRate * stepScale) / correction1
        let epsilon = Float(self.epsilon)
        let m = firstMoment.pointer, v = secondMoment.pointer
        for index in 0..<count {
            let g = gradient[index]
            m[index] = beta1 * m[index] + (1 - beta1) * g
            v[index] = beta2 * v[index] + (1 - beta2) * g * g
            x[index] -= stepSize * m[index] / ((v[index] / correction2).squareRoot() + epsilon)
        }
        value = objective.evaluate(at: x, gradient: gradient)
        return OptimizerStep(evaluations: 1, moved: true)
    }
}
