/// Limited-memory BFGS, the rules of `torch.optim.LBFGS(lr, history_size, line_search_fn)`: the direction
/// is −H·g from the two-loop recursion with the initial Hessian guess (sᵀy)/(yᵀy); pairs with
/// sᵀy ≤ 1e-10 are skipped; when full, the oldest pair is dropped. The first step after a reset is scaled
/// by min(1, 1/‖g‖₁)·lr without line search (torch's rule), and starts at lr·f/|gᵀd| with it; later ones
/// start at lr. With the strong Wolfe line search (the default) every
/// step lowers f and an iteration costs one evaluation most of the time, a few when the step had to be
/// searched for; without it (`.none`) every iteration costs exactly one evaluation and the step is taken
/// whatever f does there.
public final class LBFGS: ImageOptimizer {
    public let count: Int
    public let historySize: Int
    public var learningRate: Double
    public let lineSearch: LineSearchKind

    /// Steps along which the directional derivative is above −this are not taken (torch's tolerance_change).
    public static let directionTolerance = 1e-9
    /// A curvature pair is kept only when sᵀy exceeds this.
    public static let curvatureTolerance = 1e-10

    /// The pairs' memory, one block: large enough to be mapped (`FloatBuffer`), so a pair's pages are touched only
    /// when it is first stored and a short run never holds the whole history.
    let history: FloatBuffer
    let steps: [FloatBuffer]        // s_i, ring buffer (views of `history`)
    let gradientChanges: [FloatBuffer]  // y_i
    var inverseCurvatures: [Double]     // ρ_i = 1/(y_iᵀ s_i)
    var alphas: [Double]
    var newest = -1
    var pairCount = 0
    let direction: FloatBuffer
    let previousGradient: FloatBuffer
    /// Each worker's part of a dot product in `updateDirection` (made once: nothing is allocated per iteration).
    private let partialDots: UnsafeMutablePointer<Double>
    let search: StrongWolfeLineSearch?
    var iterations = 0
    var hessianScale: Double = 1
    /// Shrinks every step after a failure (`backOff`); 1 after `reset`.
    var stepScale: Double = 1

    public init(count: Int, historySize: Int = SettingTable.historySize.defaultValue,
                learningRate: Double = SettingTable.lbfgsLearningRate.defaultValue, lineSearch: LineSearchKind = .strongWolfe) {
        precondition(historySize >= 1)
        self.count = count
        self.historySize = historySize
        self.learningRate = learningRate
        self.lineSearch = lineSearch
        let stride = (count + 15) / 16 * 16  // keeps every vector 64-byte aligned
        let history = FloatBuffer(count: 2 * historySize * stride)
        self.history = history
        steps = (0..<historySize).map { FloatBuffer(viewing: history.pointer + 2 * $0 * stride, count: count, owner: history) }
        gradientChanges = (0..<historySize).map {
            FloatBuffer(viewing: history.pointer + (2 * $0 + 1) * stride, count: count, owner: history)
        }
        inverseCurvatures = [Double](repeating: 0, count: historySize)
        alphas = [Double](repeating: 0, count: historySize)
        direction = FloatBuffer(count: count)
        previousGradient = FloatBuffer(count: count)
        partialDots = .allocate(capacity: 2 * ParallelLoop.coreCount)  // two sums a worker in storeCurvaturePair
        partialDots.initialize(repeating: 0, count: 2 * ParallelLoop.coreCount)
        search = lineSearch == .strongWolfe ? StrongWolfeLineSearch(count: count) : nil
    }

    deinit { partialDots.deallocate() }

    /// Bytes held by the history and work vectors (and the line search's start point).
    public var plannedBytes: Int {
        (2 * historySize + 2 + (search == nil ? 0 : 1)) * count * MemoryLayout<Float>.stride
    }

    public func reset() {
        forgetHistory()
        stepScale = 1
    }

    public func backOff() {
        forgetHistory()
        stepScale *= StepControl.backOffFactor
    }

    private func forgetHistory() {
        iterations = 0
        pairCount = 0
        newest = -1
        hessianScale = 1
    }

    public func step(x: UnsafeMutablePointer<Float>, value: inout Double, gradient: UnsafeMutablePointer<Float>,
                     objective: ImageObjective) -> OptimizerStep {
        let n = count, d = direction.pointer
        iterations += 1
        var initialStep = learningRate * stepScale
        if iterations == 1 {
            for index in 0..<n { d[index] = -gradient[index] }
            hessianScale = 1
            var absoluteSum: Double = 0
            for index in 0..<n { absoluteSum += Double(abs(gradient[index])) }
            initialStep *= min(1, 1 / absoluteSum)
        } else {
            computeDirection(gradient: gradient)
        }
        let slope = BLAS.dot(gradient, d, count: n)
        if iterations == 1, search != nil, value > 0, value.isFinite, slope < 0 {
            // With a line search the first step need not be timid: the step at which the linear model
            // reaches f = 0 (f is a loss, never negative). It is about twice the best step along −g for a
            // quadratic with minimum 0 and longer when the minimum is higher, so it is usually accepted or
            // zoomed into at once, where torch's min(1, 1/‖g‖₁) is often 10⁴–10⁷ times too short and costs
            // one extrapolation trial per factor of 10 (measured: 8 evaluations on the reference's first
            // iteration, 3 with this).
            initialStep = learningRate * stepScale * (-value / slope)
        }
        if !slope.isFinite && iterations > 1 {
            // The curvature pairs broke down (overflow): forget them and take a scaled gradient step.
            forgetHistory()
            return step(x: x, value: &value, gradient: gradient, objective: objective)
        }
        guard slope <= -Self.directionTolerance else { return OptimizerStep(evaluations: 0, moved: false) }
        previousGradient.pointer.update(from: gradient, count: n)

        let stepLength: Double, evaluations: Int
        if let search {
            let result = search.search(x: x, value: &value, gradient: gradient, startGradient: previousGradient.pointer,
                                       direction: d, initialStep: initialStep, slope: slope, objective: objective)
            (stepLength, evaluations) = (result.step, result.evaluations)
            if stepLength == 0 {
                // Nothing along this direction lowers f: start again from the gradient next time.
                forgetHistory()
                return OptimizerStep(evaluations: evaluations, moved: false)
            }
        } else {
            BLAS.add(Float(initialStep), times: d, to: x, count: n)
            value = objective.evaluate(at: x, gradient: gradient)
            (stepLength, evaluations) = (initialStep, 1)
        }
        storeCurvaturePair(stepLength: stepLength, gradient: gradient)
        return OptimizerStep(evaluations: evaluations, moved: true)
    }

    /// s = t·d, y = g − g_prev. The pair is measured first and stored only if accepted: a rejected pair
    /// must not overwrite the oldest live one.
    /// Both passes split over the cores (on one core, with the other idle, they were the largest serial part of an
    /// iteration at 256 px: 0.9 ms, `perf script` of `bench`). The sums are each worker's, added in worker order.
    private func storeCurvaturePair(stepLength: Double, gradient: UnsafePointer<Float>) {
        let t = Float(stepLength), workers = ParallelLoop.coreCount
        let d = UncheckedSendable(UnsafePointer(direction.pointer)), g = UncheckedSendable(gradient)
        let previous = UncheckedSendable(UnsafePointer(previousGradient.pointer)), partials = UncheckedSendable(partialDots)
        partialDots.update(repeating: 0, count: 2 * workers)
        ParallelLoop.runRanges(count: count) { worker, range in
            var ys: Double = 0, yy: Double = 0
            for index in range {
                let y = Double(g.value[index] - previous.value[index])
                ys += y * Double(t * d.value[index])
                yy += y * y
            }
            (partials.value[2 * worker], partials.value[2 * worker + 1]) = (ys, yy)
        }
        let ys = (0..<workers).reduce(0) { $0 + partialDots[2 * $1] }
        let yy = (0..<workers).reduce(0) { $0 + partialDots[2 * $1 + 1] }
        guard ys > Self.curvatureTolerance else { return }
        let slot = (newest + 1) % historySize
        let y = UncheckedSendable(gradientChanges[slot].pointer), s = UncheckedSendable(steps[slot].pointer)
        ParallelLoop.runRanges(count: count) { _, range in
            for index in range {
                y.value[index] = g.value[index] - previous.value[index]
                s.value[index] = t * d.value[index]
            }
        }
        newest = slot
        pairCount = min(pairCount + 1, historySize)
        inverseCurvatures[slot] = 1 / ys
        hessianScale = ys / yy
    }

    /// The two-loop recursion: d = −H·g. Each pass over the vectors is one `updateDirection` (the update of d with
    /// one pair's vector fused with the dot product the next step needs), split over the cores: with 50 pairs at
    /// 256 px the recursion reads about 120 MB an iteration, and as OpenBLAS dot/axpy calls on one core, with the
    /// other idle, it took 3.3% of a render's CPU samples (`perf record`); fused and split, 2.5% on both cores.
    func computeDirection(gradient: UnsafePointer<Float>) {
        guard pairCount > 0 else {
            _ = updateDirection(keeping: nil, adding: Float(-hessianScale), times: gradient, thenDotWith: nil)
            return
        }
        func older(_ slot: Int) -> Int { (slot - 1 + historySize) % historySize }
        let oldest = (newest - pairCount + 1 + historySize) % historySize
        // d = −g; then from the newest pair to the oldest: αᵢ = ρᵢ sᵢᵀd, d −= αᵢ yᵢ.
        var slot = newest
        var dot = updateDirection(keeping: nil, adding: -1, times: gradient, thenDotWith: steps[slot].pointer)
        for index in 0..<pairCount {
            let alpha = dot * inverseCurvatures[slot]
            alphas[slot] = alpha
            let last = index == pairCount - 1
            dot = updateDirection(keeping: 1, adding: Float(-alpha), times: gradientChanges[slot].pointer,
                                  thenDotWith: last ? gradientChanges[oldest].pointer : steps[older(slot)].pointer)
            slot = older(slot)
        }
        // d = γ·d (γ = sᵀy / yᵀy of the newest pair), then from the oldest pair to the newest: βᵢ = ρᵢ yᵢᵀd,
        // d += (αᵢ − βᵢ) sᵢ. `dot` is y_oldestᵀd before the scaling, hence the γ in the first β.
        var scale: Float? = Float(hessianScale)
        dot *= hessianScale
        slot = oldest
        for index in 0..<pairCount {
            let beta = dot * inverseCurvatures[slot]
            let next = (slot + 1) % historySize
            dot = updateDirection(keeping: scale, adding: Float(alphas[slot] - beta), times: steps[slot].pointer,
                                  thenDotWith: index == pairCount - 1 ? nil : gradientChanges[next].pointer)
            scale = 1
            slot = next
        }
    }

    /// d ← c·d + a·x (d ← a·x when `c` is nil, so that whatever d held is not read), then nextᵀd (0 without `next`),
    /// in one pass split over the cores. The dot sums each worker's 4,096-float blocks in single precision and the
    /// blocks in double.
    private func updateDirection(keeping c: Float?, adding a: Float, times x: UnsafePointer<Float>,
                                 thenDotWith next: UnsafePointer<Float>?) -> Double {
        let d = UncheckedSendable(direction.pointer), partials = UncheckedSendable(partialDots)
        let x = UncheckedSendable(x), next = UncheckedSendable(next)
        let width = Vector.width, blocks = (count + Self.dotBlock - 1) / Self.dotBlock
        partialDots.update(repeating: 0, count: ParallelLoop.coreCount)  // fewer blocks than cores leave some idle
        ParallelLoop.runRanges(count: blocks) { worker, blockRange in
            var total: Double = 0
            for block in blockRange {
                let start = block * Self.dotBlock, end = min(start + Self.dotBlock, count)
                var sum = Vector.Value(), index = start
                while index + width <= end {
                    let current = c.map { Vector.Value(repeating: $0) * Vector.load(d.value + index) } ?? Vector.Value()
                    let updated = current + Vector.Value(repeating: a) * Vector.load(x.value + index)
                    Vector.store(updated, d.value + index)
                    if let next = next.value { sum += updated * Vector.load(next + index) }
                    index += width
                }
                var tail: Float = 0
                while index < end {
                    let updated = (c.map { $0 * d.value[index] } ?? 0) + a * x.value[index]
                    d.value[index] = updated
                    if let next = next.value { tail += updated * next[index] }
                    index += 1
                }
                total += Double(sum.sum()) + Double(tail)
            }
            partials.value[worker] = total
        }
        return (0..<ParallelLoop.coreCount).reduce(0) { $0 + partials.value[$1] }
    }

    /// Floats a block of `updateDirection`'s dot product sums in single precision.
    static let dotBlock = 4096
}
