import Foundation

/// The header's progress note: time left to the `--iterations` limit, else how fast the loss still falls
/// (the relative drop of the total loss per iteration over the last ten), and `converged` when it barely moves.
enum RunProgress {
    /// Below this relative drop per iteration the run counts as converged.
    static let convergedRate = 0.0005

    static func text(_ model: StudioModel) -> String? {
        guard model.run.state == .running else { return nil }
        if let limit = model.iterationLimit, model.run.secondsPerIteration > 0, model.run.iteration < limit {
            return "ETA " + duration(Double(limit - model.run.iteration) * model.run.secondsPerIteration)
        }
        guard let rate = dropPerIteration(model.history) else { return nil }
        if rate < convergedRate { return "converged" }
        return String(format: "-%.1f%%/it", rate * 100)
    }

    /// Mean relative drop of the total loss per iteration over the last ten points (nil with fewer, or
    /// across a settings change, which moves the loss by itself).
    static func dropPerIteration(_ history: LossHistory, window: Int = 10) -> Double? {
        let points = history.points.suffix(window + 1)
        guard points.count == window + 1, let first = points.first, let last = points.last,
              !history.changes.contains(where: { $0 > first.iteration }),
              first.losses.total > 0, last.losses.total > 0, last.iteration > first.iteration else { return nil }
        let ratio = last.losses.total / first.losses.total
        return max(0, 1 - pow(ratio, 1 / Double(last.iteration - first.iteration)))
    }

    /// `45 s`, `3 min 20 s`, `1 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }
}
