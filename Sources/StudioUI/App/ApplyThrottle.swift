import StudioCore

/// Collapses rapid settings changes (key repeat, mouse drags): the first change goes out at once, later ones
/// at most once per `interval`, and the newest pending change always goes out in the end.
public struct ApplyThrottle: Sendable {
    public let interval: Double
    private var lastSent: Double?
    public private(set) var pending: StyleSettings?

    public init(interval: Double = 0.1) {
        self.interval = interval
    }

    /// A change at time `now` (seconds): returns the settings to send now, or nil if they wait.
    public mutating func submit(_ settings: StyleSettings, now: Double) -> StyleSettings? {
        if let lastSent, now - lastSent < interval {
            pending = settings
            return nil
        }
        pending = nil
        lastSent = now
        return settings
    }

    /// Pending settings whose time has come (call every loop turn).
    public mutating func due(now: Double) -> StyleSettings? {
        guard let pending, let lastSent, now - lastSent >= interval else { return nil }
        self.pending = nil
        self.lastSent = now
        return pending
    }

    /// Pending settings regardless of time (before another session command, so the order stays right).
    public mutating func flush(now: Double) -> StyleSettings? {
        guard let pending else { return nil }
        self.pending = nil
        lastSent = now
        return pending
    }
}
