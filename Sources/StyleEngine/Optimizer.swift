/// Changes x to lower f(x), one gradient evaluation per step.
///
/// The caller evaluates f and ∇f at the current x, then calls `step`, which moves x in place.
/// Buffers are sized on creation; `step` allocates nothing.
public protocol ImageOptimizer: AnyObject {
    /// Number of floats in x.
    var count: Int { get }
    /// Moves `x` given f(x) and ∇f(x) (`gradient`, unchanged by the call).
    func step(x: UnsafeMutablePointer<Float>, value: Double, gradient: UnsafePointer<Float>)
    /// Forgets all history (curvature pairs, moments), as after a change of the objective.
    func reset()
}
