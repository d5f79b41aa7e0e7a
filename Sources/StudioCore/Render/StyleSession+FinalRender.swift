import ImageIO

extension StyleSession {
    /// A coarse-to-fine render with this session's weights, to run outside the actor (it takes minutes and
    /// shares nothing mutable with the session). The studio pauses the live run while it runs.
    public nonisolated func finalRender(content: RGBImage, style: RGBImage, settings: StyleSettings,
                                        schedule: RenderSchedule, styleScale: Double = 1,
                                        initialImage: RGBImage?) throws -> CoarseToFineRender {
        try finalRender(content: content, styles: [style], settings: settings, schedule: schedule, styleScale: styleScale,
                        initialImage: initialImage)
    }

    /// The same with one or more paintings, blended by `settings.objective.styleBlend`.
    public nonisolated func finalRender(content: RGBImage, styles: [RGBImage], settings: StyleSettings,
                                        schedule: RenderSchedule, styleScale: Double = 1,
                                        initialImage: RGBImage?) throws -> CoarseToFineRender {
        try CoarseToFineRender(weights: weights, content: content, styles: styles, settings: settings, schedule: schedule,
                               styleScale: styleScale, initialImage: initialImage)
    }

    /// Times a few iterations of a throwaway run at 64 px with this session's photo, paintings and settings
    /// (`IterationCost.calibrate`), between two of the live run's iterations (so neither slows the other). With
    /// the live run's own seconds per iteration it separates an iteration's fixed part from its rate, for the
    /// final render's estimate. Nil before images are loaded or when 64 px is too small for them.
    public func calibrateIterationCost() -> IterationCost.Sample? {
        guard let content, !styles.isEmpty else { return nil }
        return IterationCost.calibrate(weights: weights, content: content, styles: styles, settings: currentSettings(),
                                       styleScale: 1, size: .max)
    }
}
