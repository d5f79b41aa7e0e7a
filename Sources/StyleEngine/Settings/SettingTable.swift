/// The one home of every number a person can set: default, allowed values, slider span and help line.
/// The engine's defaults, the command line's `--help` and checks, the preset reader and writer's checks and the
/// studio's sliders all read these entries.
public enum SettingTable {
    /// Every weight (terms, layers, paintings) accepts 0 … 1e12.
    public static let allowedWeights = 0.0...1e12
    /// Working and output sizes (long side) accepted anywhere.
    public static let allowedSizes = 16...4096
    /// Learning rates of both optimizers.
    public static let allowedLearningRates = 1e-6...1e4

    public static let contentWeight = SettingRange(
        "content weight", default: 5.0, allowed: allowedWeights, summary: "Weight of the content term",
        slider: SliderSpan(minimum: 1e-3, maximum: 1e5, allowsZero: true))
    public static let styleWeight = SettingRange(
        "style weight", default: 100.0, allowed: allowedWeights, summary: "Weight of the style term",
        slider: SliderSpan(minimum: 1e-2, maximum: 1e8, allowsZero: true))
    public static let totalVariationWeight = SettingRange(
        "TV weight", default: 0.001, allowed: allowedWeights, summary: "Weight of the total-variation term",
        slider: SliderSpan(minimum: 1e-6, maximum: 1e2, allowsZero: true))
    /// A layer's weight inside its term (`block4_conv2:0.5`).
    public static let layerWeight = SettingRange(
        "layer weight", default: 1.0, allowed: allowedWeights, summary: "Weight of a layer inside its term",
        slider: SliderSpan(minimum: 1e-2, maximum: 1e2))
    /// A painting's share of the style when several are blended (`--style FILE:WEIGHT`, `style_blend`).
    public static let styleBlendWeight = SettingRange(
        "style image weight", default: 1.0, allowed: allowedWeights, summary: "Blend weight of a style painting",
        slider: SliderSpan(minimum: 1e-2, maximum: 1e2))

    public static let size = SettingRange(
        "size", default: 384, allowed: allowedSizes, unit: " pixels", summary: "Long side of the working image, in pixels")
    public static let seed = SettingRange(
        "seed", default: UInt64(0), allowed: 0...UInt64.max, summary: "Seed for the noise init")

    /// History kept by default: 2·50 image-sized vectors (236 MB at 512×384 once 50 iterations have run; the
    /// pages of pairs not yet stored are never touched). On the reference run (100 iterations, 256×192, strong
    /// Wolfe) the loss against torch's history of 100 without line search, with OpenBLAS's AVX-512 (Cooperlake)
    /// and SSE3 (Prescott) kernels: history 20 ended 0.02% and 0.25% above it (rounding alone decides which
    /// side), 30 0.35% and 0.30% below, 50 0.62% and 0.55% below (0.69% with the AVX2 kernels), 100 no lower.
    public static let historySize = SettingRange(
        "history size", default: 50, allowed: 1...1000, summary: "L-BFGS history size")
    /// L-BFGS's step scale: 1 is the classic unscaled step.
    public static let lbfgsLearningRate = SettingRange(
        "learning rate", default: 1.0, allowed: allowedLearningRates, summary: "L-BFGS step scale")
    /// Adam's step size in pixel units (0…255 scale).
    public static let adamLearningRate = SettingRange(
        "learning rate", default: 10.0, allowed: allowedLearningRates, summary: "Adam step size, in pixel units")

    /// The style image's long side relative to the output's, at every stage of a render.
    public static let styleScale = SettingRange(
        "style scale", default: 1.0, allowed: 0.1...4.0,
        summary: "Long side of the style image relative to the output's, at every stage")
}
