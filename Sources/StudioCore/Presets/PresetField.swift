/// The fields of a preset file, in the order `PresetCodec` writes them.
enum PresetField: String, CaseIterable, Sendable {
    case format
    case name
    case description
    case contentImage = "content_image"
    case styleImage = "style_image"
    case styleImages = "style_images"
    case contentWeight = "content_weight"
    case styleWeight = "style_weight"
    case totalVariationWeight = "tv_weight"
    case contentLayers = "content_layers"
    case styleLayers = "style_layers"
    case pooling
    case styleLoss = "style_loss"
    case styleBlend = "style_blend"
    case color
    case size
    case initialization = "init"
    case seed
    case optimizer
    case historySize = "history_size"
    case learningRate = "learning_rate"

    /// The key in the file.
    var key: String { rawValue }
}
