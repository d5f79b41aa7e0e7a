import StudioCore

/// The four curves of the convergence chart.
public enum LossSeries: Int, Hashable, Sendable, CaseIterable {
    case total
    case content
    case style
    case totalVariation

    public func value(in losses: LossTerms) -> Double {
        switch self {
        case .total: losses.total
        case .content: losses.content
        case .style: losses.style
        case .totalVariation: losses.totalVariation
        }
    }

    public var name: String {
        switch self {
        case .total: "total"
        case .content: "content"
        case .style: "style"
        case .totalVariation: "tv"
        }
    }
}

/// One observed iteration.
public struct LossPoint: Hashable, Sendable {
    public var iteration: Int
    public var losses: LossTerms

    public init(iteration: Int, losses: LossTerms) {
        self.iteration = iteration
        self.losses = losses
    }
}

/// Losses since the run (re)started: the chart's data. A settings change keeps the curve and marks the
/// iteration where it happened (`changes`), so the effect of the change shows against what came before.
public struct LossHistory: Hashable, Sendable {
    /// Beyond this many points, every second point is dropped (the chart cannot show more anyway).
    public static let capacity = 2048

    public private(set) var points: [LossPoint] = []
    /// The settings generation the points belong to.
    public private(set) var generation: Int?
    /// Bumped on every reset, so a view can tell a new series from a longer one.
    public private(set) var resets = 0
    /// Iterations recorded first after a settings change (the chart marks them).
    public private(set) var changes: [Int] = []

    public init() {}

    /// Adds an observation. Starts a new series when the settings generation changed or the iteration
    /// number went back (restart); skips repeats of the same iteration. Returns whether the series was reset.
    @discardableResult
    public mutating func record(iteration: Int, losses: LossTerms, generation: Int) -> Bool {
        var didReset = false
        if points.last.map({ iteration < $0.iteration }) ?? false {
            reset(generation: generation)
            didReset = true
        } else if generation != self.generation {
            if !points.isEmpty, changes.last != iteration { changes.append(iteration) }
            self.generation = generation
        }
        if let last = points.last, last.iteration == iteration {
            points[points.count - 1].losses = losses
            return didReset
        }
        points.append(LossPoint(iteration: iteration, losses: losses))
        if points.count > Self.capacity {
            points = points.enumerated().compactMap { $0.offset % 2 == 0 || $0.offset == points.count - 1 ? $0.element : nil }
        }
        return didReset
    }

    public mutating func reset(generation: Int? = nil) {
        points.removeAll(keepingCapacity: true)
        changes.removeAll()
        self.generation = generation
        resets += 1
    }
}
