/// What happens to colour (Gatys, Ecker, Bethge, Hertzmann & Shechtman, "Controlling Perceptual Factors in
/// Neural Style Transfer", 2017, §5).
public enum ColorMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The painting's colours, as in the 2015 method.
    case original
    /// Luminance-only transfer: optimise on the luminance (Y of YIQ) of photo and painting, the painting's
    /// luminance matched to the photo's mean and variance; the result takes the photo's chroma (I, Q).
    case luminance
    /// Colour matching: the painting is recoloured so its RGB mean and covariance equal the photo's
    /// (`ColorTransfer`) before its statistics are taken.
    case match

    /// One line for help texts and the studio.
    public var summary: String {
        switch self {
        case .original: "the painting's colours"
        case .luminance: "keep the photo's colours: paint the luminance only, keep the photo's chroma"
        case .match: "recolour the painting to the photo's colour mean and covariance first"
        }
    }
}
