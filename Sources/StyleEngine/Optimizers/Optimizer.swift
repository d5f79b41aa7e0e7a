/// A function of the image to minimise: f(x) and ∇f(x).
///
/// Optimizers call it as often as they need within one iteration (a line search tries several steps).
/// Implementations write the gradient into the caller's buffer and allocate nothing.
public protocol ImageObjective: AnyObject {
    /// Returns f(x) and writes ∇f(x) to `gradient` (both `count` floats). A non-finite value means x is unusable.
    func evaluate(at x: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>) -> Double
}

/// What one optimizer iteration did.
public struct OptimizerStep: Hashable, Sendable {
    /// Objective evaluations the iteration made (line-search trials included).
    public var evaluations: Int
    /// False when x was left where it was (no descent direction, or no step lowered f): `value` and
    /// `gradient` are then unchanged too.
    public var moved: Bool

    public init(evaluations: Int, moved: Bool) {
        self.evaluations = evaluations
        self.moved = moved
    }
}

/// Changes x to lower f(x), one iteration per `step`.
///
/// The caller holds x together with f(x) and ∇f(x); `step` moves x, calling `objective` as often as its
/// rule needs, and leaves `value` and `gradient` describing the new x. When it moved, its last call to
/// `objective` was at the new x (so whatever the objective recorded there describes it). Buffers are
/// sized on creation; `step` allocates nothing.
public protocol ImageOptimizer: AnyObject {
    /// Number of floats in x.
    var count: Int { get }
    /// One iteration from x, with `value` = f(x) and `gradient` = ∇f(x) on entry, and at the new x on return.
    func step(x: UnsafeMutablePointer<Float>, value: inout Double, gradient: UnsafeMutablePointer<Float>,
              objective: ImageObjective) -> OptimizerStep
    /// Forgets all history (curvature pairs, moments), as after a change of the objective; the step size
    /// returns to the configured one.
    func reset()
    /// After a step that led somewhere unusable (non-finite, or exploded): forgets the history and makes
    /// every later step `backOffFactor` times shorter, so the failed step is never taken again.
    func backOff()
}

public enum StepControl {
    /// How much shorter steps get after each failure (`ImageOptimizer.backOff`).
    public static let backOffFactor = 0.1
}
