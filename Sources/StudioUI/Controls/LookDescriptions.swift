import StudioCore
import StyleEngine

/// The short notes drawn after a choice row's value, and the one-line descriptions of the look controls.
extension ControlItem {
    /// A muted note after the value: what the choice does, or that it applies on restart.
    func note(_ settings: StyleSettings) -> String? {
        switch self {
        case .initialization, .seed: "(on r)"
        case .color: settings.color.shortSummary
        case .styleLoss: settings.objective.styleLoss.shortSummary
        default: nil
        }
    }
}

extension ColorMode {
    /// A few words for the controls panel (`summary` has the sentence).
    var shortSummary: String {
        switch self {
        case .original: "painting's colours"
        case .luminance: "photo's colours"
        case .match: "painting recoloured"
        }
    }
}

extension StyleLossKind {
    /// A few words for the controls panel (`summary` has the sentence).
    var shortSummary: String {
        switch self {
        case .gram: "Gatys Gram"
        case .wasserstein: "mean+covariance"
        }
    }
}

extension ControlItem {
    /// The sentence shown in the footer when the choice changes.
    func summary(_ settings: StyleSettings) -> String? {
        switch self {
        case .color: "colour \(settings.color.rawValue): \(settings.color.summary)"
        case .styleLoss: "style loss \(settings.objective.styleLoss.rawValue): \(settings.objective.styleLoss.summary)"
        default: nil
        }
    }
}
