/// What a network is planned for.
public enum NetworkUse: Hashable, Sendable {
    /// Forward passes only: features for targets and references, read as each layer finishes.
    case forwardOnly
    /// Forward and backward passes for a loss on `lossLayers`, whose outputs stay readable until the backward
    /// pass has used them.
    case imageGradient(lossLayers: Set<VGGLayer>)
}
