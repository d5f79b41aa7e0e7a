import StyleEngine

/// The command line's layer lists: `block4_conv2`, `conv4_2:0.5,relu5_1:2` (layer[:weight], comma-separated).
public enum LayerList {
    public static func parse(_ text: String) throws -> [WeightedLayer] {
        var layers: [WeightedLayer] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map(String.init)
            guard let name = parts.first, let layer = VGGLayer(name: name) else {
                throw StyleTransferError.invalidSetting(
                    "unknown VGG19 layer '\(item)': use block1_conv1 … block5_conv4 (or conv4_2, relu4_2)")
            }
            var weight = 1.0
            if parts.count == 2 {
                guard let value = Double(parts[1]), value.isFinite, value >= 0 else {
                    throw StyleTransferError.invalidSetting(
                        "layer weight '\(parts[1])' of \(layer.name) must be a number ≥ 0")
                }
                weight = value
            }
            guard !layers.contains(where: { $0.layer == layer }) else {
                throw StyleTransferError.invalidSetting("layer \(layer.name) is listed twice")
            }
            layers.append(WeightedLayer(layer, weight: weight))
        }
        return layers
    }

    public static func format(_ layers: [WeightedLayer]) -> String {
        layers.map(\.description).joined(separator: ",")
    }
}

import Foundation
