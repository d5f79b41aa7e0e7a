import ImageIO
import StyleEngine

/// The photo and paintings as the targets see them, at working size, after the colour mode: unchanged
/// (`original`), grey luminance with the paintings' luminance matched to the photo's (`luminance`), or the
/// paintings recoloured to the photo's colour mean and covariance (`match`). `StyleTransfer` sizes the images
/// and calls this once per plan.
public enum StyleImagePreparation {
    public static func prepare(content: RGBImage, styles: [RGBImage], color: ColorMode)
        -> (content: EngineImage, styles: [EngineImage]) {
        switch color {
        case .original:
            return (engineImage(content), styles.map(engineImage))
        case .luminance:
            let contentLuminance = LuminanceTransfer.luminance(content.pixels.map(Float.init))
            let styles = styles.map { style in
                let matched = LuminanceTransfer.matched(LuminanceTransfer.luminance(style.pixels.map(Float.init)),
                                                        to: contentLuminance)
                return EngineImage(rgb: LuminanceTransfer.grey(matched), width: style.width, height: style.height)
            }
            return (EngineImage(rgb: LuminanceTransfer.grey(contentLuminance), width: content.width, height: content.height),
                    styles)
        case .match:
            let contentValues = content.pixels.map(Float.init)
            let styles = styles.map { style in
                EngineImage(rgb: ColorTransfer.matchColors(of: style.pixels.map(Float.init), to: contentValues),
                            width: style.width, height: style.height)
            }
            return (engineImage(content), styles)
        }
    }

    private static func engineImage(_ image: RGBImage) -> EngineImage {
        EngineImage(pixels: ImagePreprocessing.engineImage(fromRGB: image.pixels), width: image.width, height: image.height)
    }
}
