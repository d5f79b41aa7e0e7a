/// How the style term compares the image's features with the painting's at each style layer.
public enum StyleLossKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Gatys et al. 2015: mean((G(x) − G(style))²), G = Fᵀ F / (C·H·W).
    case gram
    /// The squared Wasserstein-2 distance between Gaussians fitted to the features (channel mean and
    /// covariance), per channel, as crowsonkb/style-transfer-pytorch's `StyleLossW2` (see `WassersteinStyleLoss`).
    case wasserstein

    /// One line for help texts and the studio.
    public var summary: String {
        switch self {
        case .gram: "Gram matrices (Gatys et al. 2015): matches which features occur together"
        case .wasserstein: "Wasserstein-2 between Gaussians: matches feature means and covariances, truer colours and contrast"
        }
    }
}
