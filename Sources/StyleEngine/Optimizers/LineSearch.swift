/// Which step-length rule L-BFGS uses.
public enum LineSearchKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Strong Wolfe conditions (sufficient decrease and curvature), bracketing and cubic zoom:
    /// the rule of `torch.optim.LBFGS(line_search_fn="strong_wolfe")`. Never takes a step that raises f.
    case strongWolfe = "strong-wolfe"
    /// The fixed step of `torch.optim.LBFGS(line_search_fn=None)`: one evaluation per iteration, but a step
    /// can overshoot by orders of magnitude (it is what the PyTorch reference trajectory uses).
    case none
}

/// Finds a step t along a descent direction d from x₀ that satisfies the strong Wolfe conditions
///   f(x₀ + t·d) ≤ f(x₀) + c₁·t·∇f(x₀)ᵀd   and   |∇f(x₀ + t·d)ᵀd| ≤ c₂·|∇f(x₀)ᵀd|,
/// first bracketing (extrapolating up to 10× per trial while the slope is still steep), then zooming in
/// with safeguarded cubic interpolation. It follows `torch.optim.lbfgs._strong_wolfe` (itself Nocedal &
/// Wright, Algorithms 3.5 and 3.6), with two changes: a non-finite trial counts as too long (it is
/// bisected away, never taken), and when the point returned is not the last one tried it is evaluated
/// again, so the objective's last evaluation is always at the returned x (no stored gradients needed).
/// Plans one image-sized buffer (x₀).
public final class StrongWolfeLineSearch {
    public static let sufficientDecrease = 1e-4   // c₁
    public static let curvatureCondition = 0.9    // c₂
    /// Trials after the first (torch's max_ls).
    public static let maximumTrials = 25
    /// A bracket narrower than this (in the largest pixel change) ends the search (torch's tolerance_change).
    public static let bracketTolerance = 1e-9

    public let count: Int
    let start: FloatBuffer

    public init(count: Int) {
        self.count = count
        start = FloatBuffer(count: count)
    }

    public struct Result: Hashable, Sendable {
        /// The step taken (0: none found that lowers f; x, value and gradient are then as on entry).
        public var step: Double
        public var evaluations: Int
    }

    private struct Trial {
        var step: Double
        var value: Double
        var slope: Double   // ∇f(x₀ + t·d)ᵀd
    }

    /// Searches along `direction` from `x` (value f(x), gradient ∇f(x), slope ∇f(x)ᵀd < 0), starting with
    /// `initialStep`. On return x = x₀ + t·d with its value and gradient. `startGradient` is a copy of
    /// ∇f(x₀), used when no step is taken.
    public func search(x: UnsafeMutablePointer<Float>, value: inout Double, gradient: UnsafeMutablePointer<Float>,
                       startGradient: UnsafePointer<Float>, direction: UnsafePointer<Float>, initialStep: Double,
                       slope: Double, objective: ImageObjective) -> Result {
        let n = count
        start.pointer.update(from: x, count: n)
        var largestChange: Float = 0
        for index in 0..<n { largestChange = max(largestChange, abs(direction[index])) }
        let f0 = value, c1 = Self.sufficientDecrease, c2 = Self.curvatureCondition
        var evaluations = 0
        var lastEvaluated = Double.nan

        func evaluate(_ t: Double) -> Trial {
            let step = Float(t), x0 = start.pointer
            for index in 0..<n { x[index] = x0[index] + step * direction[index] }
            let f = objective.evaluate(at: x, gradient: gradient)
            evaluations += 1
            lastEvaluated = t
            let g = BLAS.dot(gradient, direction, count: n)
            guard f.isFinite, g.isFinite else { return Trial(step: t, value: .infinity, slope: .nan) }
            return Trial(step: t, value: f, slope: g)
        }
        func sufficientlyLower(_ trial: Trial) -> Bool { trial.value <= f0 + c1 * trial.step * slope }

        // Bracketing.
        var previous = Trial(step: 0, value: f0, slope: slope)
        var current = evaluate(initialStep)
        var trials = 0
        var bracket: (Trial, Trial)? = nil
        var accepted: Trial? = nil
        while trials < Self.maximumTrials {
            if !sufficientlyLower(current) || (trials > 1 && current.value >= previous.value) {
                bracket = (previous, current)
                break
            }
            if abs(current.slope) <= -c2 * slope {
                accepted = current
                break
            }
            if current.slope >= 0 {
                bracket = (previous, current)
                break
            }
            let next = Self.cubicMinimum(previous, current,
                                         bounds: (current.step + 0.01 * (current.step - previous.step), current.step * 10))
            previous = current
            current = evaluate(next)
            trials += 1
        }
        if accepted == nil, bracket == nil {
            // Out of trials while still extrapolating: the better of x₀ and the last trial.
            bracket = (Trial(step: 0, value: f0, slope: slope), current)
        }

        // Zoom.
        if var (low, high) = bracket {
            if high.value < low.value { swap(&low, &high) }
            var insufficientProgress = false
            while accepted == nil && trials < Self.maximumTrials {
                let width = abs(high.step - low.step)
                if width * Double(largestChange) < Self.bracketTolerance { break }
                var t = Self.cubicMinimum(low, high, bounds: nil)
                let lower = min(low.step, high.step), upper = max(low.step, high.step)
                let margin = 0.1 * (upper - lower)
                if min(upper - t, t - lower) < margin {
                    if insufficientProgress || t >= upper || t <= lower {
                        t = abs(t - upper) < abs(t - lower) ? upper - margin : lower + margin
                        insufficientProgress = false
                    } else {
                        insufficientProgress = true
                    }
                } else {
                    insufficientProgress = false
                }
                let trial = evaluate(t)
                trials += 1
                if !sufficientlyLower(trial) || trial.value >= low.value {
                    high = trial
                    if high.value < low.value { swap(&low, &high) }
                } else {
                    if abs(trial.slope) <= -c2 * slope {
                        accepted = trial
                        break
                    }
                    if trial.slope * (high.step - low.step) >= 0 { high = low }
                    low = trial
                }
            }
            if accepted == nil { accepted = low }
        }

        let result = accepted!
        if result.step == 0 || !result.value.isFinite {
            x.update(from: start.pointer, count: n)
            gradient.update(from: startGradient, count: n)
            value = f0
            return Result(step: 0, evaluations: evaluations)
        }
        if result.step != lastEvaluated {
            value = evaluate(result.step).value
        } else {
            value = result.value
        }
        return Result(step: result.step, evaluations: evaluations)
    }

    /// The minimiser of the cubic through two points with their values and slopes, clamped to `bounds`
    /// (default: between the two steps); the bounds' midpoint when the cubic has none or a value is not finite.
    private static func cubicMinimum(_ a: Trial, _ b: Trial, bounds: (Double, Double)?) -> Double {
        let (lower, upper) = bounds ?? (min(a.step, b.step), max(a.step, b.step))
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
        let d2Square = d1 * d1 - a.slope * b.slope
        guard d2Square >= 0 else { return (lower + upper) / 2 }
        let d2 = d2Square.squareRoot()
        let minimum = a.step <= b.step
            ? b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2))
            : a.step - (a.step - b.step) * ((a.slope + d2 - d1) / (a.slope - b.slope + 2 * d2))
        guard minimum.isFinite else { return (lower + upper) / 2 }
        return min(max(minimum, lower), upper)
    }
}
