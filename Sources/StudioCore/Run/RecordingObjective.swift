import StyleEngine

/// The style objective as the optimizers see it (f and ∇f at x), remembering the loss terms of its
/// latest evaluation and counting evaluations, so a run can report what each iteration cost.
final class RecordingObjective: ImageObjective {
    var objective: StyleObjective
    /// The terms at the latest evaluated x.
    private(set) var latest: LossTerms?
    /// Whether the latest evaluation's terms and gradient were all finite.
    private(set) var latestIsUsable = false
    /// Evaluations since creation.
    private(set) var evaluations = 0

    init(_ objective: StyleObjective) {
        self.objective = objective
    }

    func evaluate(at x: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>) -> Double {
        let value = objective.evaluate(image: x, gradient: gradient)
        evaluations += 1
        let terms = LossTerms(content: value.weightedContent, style: value.weightedStyle,
                              totalVariation: value.weightedTotalVariation)
        latest = terms
        // A non-finite gradient makes x as unusable as a non-finite loss.
        latestIsUsable = terms.isFinite && Self.isFinite(gradient, count: objective.imageCount)
        return latestIsUsable ? terms.total : .nan
    }

    private static func isFinite(_ values: UnsafePointer<Float>, count: Int) -> Bool {
        var sum: Float = 0
        for index in 0..<count { sum += values[index] * 0 }
        return sum == 0
    }
}
