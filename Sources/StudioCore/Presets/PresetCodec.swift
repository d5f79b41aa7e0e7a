import StyleEngine

/// Turns presets into their JSON text and back. The text is written for people: one field per line in a fixed order,
/// every setting explicit (so a later change of defaults does not change an old preset), layers as
/// `"block4_conv2"` or `"block4_conv2:0.5"`.
public enum PresetCodec {
    /// The preset's file text, ending with a newline.
    public static func encode(_ preset: Preset) -> String {
        let settings = preset.settings
        let objective = settings.objective
        var fields: [(PresetField, String)] = [
            (.format, "\(Preset.formatVersion)"),
            (.name, quoted(preset.name)),
            (.description, quoted(preset.description)),
        ]
        if let path = preset.contentPath { fields.append((.contentImage, quoted(path))) }
        if preset.stylePaths.count == 1 { fields.append((.styleImage, quoted(preset.stylePaths[0]))) }
        if preset.stylePaths.count > 1 {
            fields.append((.styleImages, "[\n" + preset.stylePaths.map { "    " + quoted($0) }.joined(separator: ",\n") + "\n  ]"))
        }
        fields += [
            (.contentWeight, numberText(objective.contentWeight)),
            (.styleWeight, numberText(objective.styleWeight)),
            (.totalVariationWeight, numberText(objective.totalVariationWeight)),
            (.contentLayers, layerList(objective.contentLayers)),
            (.styleLayers, layerList(objective.styleLayers)),
            (.pooling, quoted(objective.pooling.rawValue)),
            (.styleLoss, quoted(objective.styleLoss.rawValue)),
            (.styleBlend, "[" + objective.styleBlend.map(numberText).joined(separator: ", ") + "]"),
            (.color, quoted(settings.color.rawValue)),
            (.size, "\(settings.size)"),
            (.initialization, quoted(settings.initialization.description)),
            (.seed, "\(settings.seed)"),
            (.optimizer, quoted(settings.optimizer.kind.rawValue)),
            (.historySize, "\(settings.optimizer.historySize)"),
            (.learningRate, numberText(settings.optimizer.learningRate)),
        ]
        let body = fields.map { "  \(quoted($0.0.key)): \($0.1)" }.joined(separator: ",\n")
        return "{\n\(body)\n}\n"
    }

    /// Reads a preset file's bytes. `path` is only for messages; `fileName` (without `.json`) names the preset when it
    /// is a valid name, otherwise the file's `"name"` field does. Throws `PresetError`.
    public static func decode(_ bytes: [UInt8], path: String?, fileName: String?) throws
        -> (preset: Preset, warnings: [PresetWarning]) {
        var reader = PresetReader(bytes: bytes, path: path)
        let preset = try reader.read(fileName: fileName)
        return (preset, reader.warnings)
    }

    /// `block4_conv2`, or `block4_conv2:0.5` when the weight is not 1.
    public static func layerText(_ layer: WeightedLayer) -> String {
        layer.weight == 1 ? layer.layer.name : "\(layer.layer.name):\(numberText(layer.weight))"
    }

    /// The shortest text that reads back as exactly `value`; whole numbers without ".0" (`5`, `0.001`, `1e-06`).
    static func numberText(_ value: Double) -> String {
        value.shortestText
    }

    private static func layerList(_ layers: [WeightedLayer]) -> String {
        guard !layers.isEmpty else { return "[]" }
        return "[\n" + layers.map { "    " + quoted(layerText($0)) }.joined(separator: ",\n") + "\n  ]"
    }

    /// A JSON string literal; non-ASCII characters are kept as they are (the file is UTF-8).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
