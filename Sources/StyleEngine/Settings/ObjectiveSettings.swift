/// A layer that carries a loss term, with its own weight inside that term.
public struct WeightedLayer: Hashable, Sendable, Codable, CustomStringConvertible {
    public var layer: VGGLayer
    public var weight: Double

    public init(_ layer: VGGLayer, weight: Double = 1) {
        self.layer = layer
        self.weight = weight
    }

    /// `block4_conv2` or `block4_conv2:0.5`.
    public var description: String { weight == 1 ? layer.name : "\(layer.name):\(weight)" }
}

/// How the feature maps are downsampled between blocks.
public enum Pooling: String, Sendable, Hashable, Codable, CaseIterable {
    case max
    case average = "avg"
}

/// Everything that defines the function being minimised:
/// `contentWeight·content + styleWeight·style + totalVariationWeight·tv`.
///
/// content = Σ_l w_l · mean((F_l(x) − F_l(content))²)
/// style   = Σ_l w_l · mean((G_l(x) − G_l(style))²),  G_l = F_l F_lᵀ / (C_l·H_l·W_l)
/// tv      = ½ · Σ (x[c,i+1,j] − x[c,i,j])² + ½ · Σ (x[c,i,j+1] − x[c,i,j])²
///
/// `styleLoss` swaps the Gram term for the Wasserstein-2 one (`WassersteinStyleLoss`); with several paintings
/// their statistics are blended by `styleBlend` (`StyleTargets`).
public struct ObjectiveSettings: Hashable, Sendable, Codable {
    public var contentWeight: Double
    public var styleWeight: Double
    public var totalVariationWeight: Double
    public var contentLayers: [WeightedLayer]
    public var styleLayers: [WeightedLayer]
    public var pooling: Pooling
    public var styleLoss: StyleLossKind = .gram
    /// Blend weight of each style painting, in order (1 where missing; normalised to sum 1). Empty: equal.
    public var styleBlend: [Double] = []

    public init(contentWeight: Double = SettingTable.contentWeight.defaultValue,
                styleWeight: Double = SettingTable.styleWeight.defaultValue,
                totalVariationWeight: Double = SettingTable.totalVariationWeight.defaultValue,
                contentLayers: [WeightedLayer] = ObjectiveSettings.defaultContentLayers,
                styleLayers: [WeightedLayer] = ObjectiveSettings.defaultStyleLayers,
                pooling: Pooling = .max) {
        self.contentWeight = contentWeight
        self.styleWeight = styleWeight
        self.totalVariationWeight = totalVariationWeight
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.pooling = pooling
    }

    /// Gatys et al.: content at `block4_conv2` (relu4_2).
    public static let defaultContentLayers = [WeightedLayer(VGGLayer(name: "block4_conv2")!)]
    /// Gatys et al.: style at `block1_conv1` … `block5_conv1`, equal weights.
    public static let defaultStyleLayers = (1...5).map { WeightedLayer(VGGLayer(name: "block\($0)_conv1")!) }

    /// The deepest layer any term uses: the network is cut after it.
    public var deepestLayer: VGGLayer? {
        (contentLayers.map(\.layer) + styleLayers.map(\.layer)).max()
    }

    /// What the objective's network is planned for: the image gradient of losses on these layers.
    public var networkUse: NetworkUse {
        .imageGradient(lossLayers: Set(contentLayers.map(\.layer) + styleLayers.map(\.layer)))
    }
}
