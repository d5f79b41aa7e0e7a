import ImageIO

/// What the session is doing.
public enum SessionState: Hashable, Sendable {
    /// No images loaded yet, or not started.
    case idle
    /// Computing targets (content features, style Grams) or planning buffers; the text says what.
    case preparing(String)
    case running
    case paused
    /// Reached the iteration limit, or stopped by the user.
    case finished
    /// Something went wrong (unreadable image, the optimizer diverged); the text is one line for the user.
    case failed(String)
}

/// One observation of the session, sent after every iteration and on every state change.
/// The stream keeps only the newest, so a slow reader skips snapshots instead of falling behind.
public struct SessionSnapshot: Sendable {
    /// Iterations completed since the last start or restart (0 before the first step).
    public var iteration: Int
    /// Weighted loss terms of the current image, as the latest iteration reached it (nil before the first evaluation).
    public var losses: LossTerms?
    /// Wall-clock seconds of the latest iteration.
    public var secondsPerIteration: Double
    /// The current image, at working size (nil before images are loaded).
    public var image: RGBImage?
    public var state: SessionState
    /// The settings the latest iteration ran with.
    public var settings: StyleSettings
    /// Increases every time settings are applied, so observers can match losses to settings.
    public var settingsGeneration: Int
    /// Increases every time a settings change is refused (e.g. a size that makes the image too small);
    /// `settings` then still holds the settings in effect, and `rejection` says why, in one line.
    public var rejectionCount: Int
    public var rejection: String?

    public init(iteration: Int = 0, losses: LossTerms? = nil, secondsPerIteration: Double = 0, image: RGBImage? = nil,
                state: SessionState = .idle, settings: StyleSettings = StyleSettings(), settingsGeneration: Int = 0,
                rejectionCount: Int = 0, rejection: String? = nil) {
        self.iteration = iteration
        self.losses = losses
        self.secondsPerIteration = secondsPerIteration
        self.image = image
        self.state = state
        self.settings = settings
        self.settingsGeneration = settingsGeneration
        self.rejectionCount = rejectionCount
        self.rejection = rejection
    }
}
