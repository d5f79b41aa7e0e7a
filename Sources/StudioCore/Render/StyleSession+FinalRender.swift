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
}
