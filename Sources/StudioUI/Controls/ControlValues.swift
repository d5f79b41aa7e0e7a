import StudioCore
import StyleEngine

/// Which loss term a layer toggle belongs to.
public enum LayerTerm: String, Hashable, Sendable, CaseIterable {
    case content
    case style
}

/// One row of the controls panel.
public enum ControlItem: Hashable, Sendable {
    case contentWeight
    case styleWeight
    case totalVariationWeight
    case size
    case optimizer
    case initialization
    case seed
    /// Gram or Wasserstein-2 style loss.
    case styleLoss
    /// The painting's colours, the photo's, or the painting recoloured.
    case color
    /// VGG19 conv layer by index (0 = block1_conv1 … 15 = block5_conv4); the focus column says which term.
    case layer(Int)
    /// A style painting by index: its blend weight (`settings.objective.styleBlend`).
    case painting(Int)

    /// Panel order: the three weights (a row per painting after the style weight), the run settings, the look
    /// (colour, style loss), then the sixteen layers. `all` is the panel with one painting.
    public static let all: [ControlItem] = items(paintings: 1)
    /// The rows above the layer table (one painting).
    public static let settingItems: [ControlItem] = settingItems(paintings: 1)

    /// The panel's rows with `paintings` painting rows (at least one).
    public static func items(paintings: Int) -> [ControlItem] {
        settingItems(paintings: paintings) + VGGLayer.all.map { .layer($0.index) }
    }

    /// The rows above the layer table with `paintings` painting rows (at least one).
    public static func settingItems(paintings: Int) -> [ControlItem] {
        [.contentWeight, .styleWeight] + (0..<max(paintings, 1)).map { .painting($0) }
            + [.totalVariationWeight, .size, .optimizer, .initialization, .seed, .color, .styleLoss]
    }

    /// The slider behind a weight row (nil for rows that are not sliders).
    public var slider: LogSlider? {
        switch self {
        case .contentWeight: ControlValues.contentWeightSlider
        case .styleWeight: ControlValues.styleWeightSlider
        case .totalVariationWeight: ControlValues.totalVariationWeightSlider
        case .layer: ControlValues.layerWeightSlider
        case .painting: ControlValues.paintingWeightSlider
        default: nil
        }
    }

    public var label: String {
        switch self {
        case .contentWeight: "content"
        case .styleWeight: "style"
        case .totalVariationWeight: "TV"
        case .size: "size"
        case .optimizer: "optimizer"
        case .initialization: "init"
        case .seed: "seed"
        case .styleLoss: "loss"
        case .color: "colour"
        case .layer(let index): VGGLayer(index: index).name
        case .painting(let index): "painting \(index + 1)"
        }
    }
}

/// A layer's toggle and weight for one term; the weight is remembered while the layer is off.
public struct LayerChoice: Hashable, Sendable {
    public var isEnabled: Bool
    public var weight: Double

    public init(isEnabled: Bool, weight: Double = 1) {
        self.isEnabled = isEnabled
        self.weight = weight
    }
}

/// The studio's editable copy of the settings. Changes go through here so that values stay in range
/// and a layer switched off keeps its weight for when it is switched on again.
public struct ControlValues: Hashable, Sendable {
    public static let contentWeightSlider = LogSlider(SettingTable.contentWeight.slider!)
    public static let styleWeightSlider = LogSlider(SettingTable.styleWeight.slider!)
    public static let totalVariationWeightSlider = LogSlider(SettingTable.totalVariationWeight.slider!)
    public static let layerWeightSlider = LogSlider(SettingTable.layerWeight.slider!)
    /// A painting's blend weight (normalised over the paintings, so only the ratios matter).
    public static let paintingWeightSlider = LogSlider(SettingTable.styleBlendWeight.slider!)
    /// Image sizes offered by the size control (long side, pixels).
    public static let sizes = [64, 96, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 2048]

    public private(set) var settings: StyleSettings
    public private(set) var contentLayers: [LayerChoice]
    public private(set) var styleLayers: [LayerChoice]

    public init(settings: StyleSettings) {
        self.settings = settings
        contentLayers = Self.choices(from: settings.objective.contentLayers)
        styleLayers = Self.choices(from: settings.objective.styleLayers)
    }

    private static func choices(from layers: [WeightedLayer]) -> [LayerChoice] {
        var choices = VGGLayer.all.map { _ in LayerChoice(isEnabled: false) }
        for weighted in layers { choices[weighted.layer.index] = LayerChoice(isEnabled: true, weight: weighted.weight) }
        return choices
    }

    /// Replaces everything (a preset was loaded); remembered weights of layers that are off are kept.
    public mutating func replace(with settings: StyleSettings) {
        let remembered = (contentLayers, styleLayers)
        self = ControlValues(settings: settings)
        for index in 0..<VGGLayer.all.count {
            if !contentLayers[index].isEnabled { contentLayers[index].weight = remembered.0[index].weight }
            if !styleLayers[index].isEnabled { styleLayers[index].weight = remembered.1[index].weight }
        }
    }

    public func choice(layer index: Int, term: LayerTerm) -> LayerChoice {
        term == .content ? contentLayers[index] : styleLayers[index]
    }

    /// The number shown (and slid) for a weight row.
    public func weight(of item: ControlItem, term: LayerTerm = .content) -> Double? {
        switch item {
        case .contentWeight: settings.objective.contentWeight
        case .styleWeight: settings.objective.styleWeight
        case .totalVariationWeight: settings.objective.totalVariationWeight
        case .layer(let index): choice(layer: index, term: term).weight
        case .painting(let index): paintingWeight(index)
        default: nil
        }
    }

    /// Sets a weight row to `value` (clamped to its slider); returns whether anything changed.
    @discardableResult
    public mutating func setWeight(_ value: Double, of item: ControlItem, term: LayerTerm = .content) -> Bool {
        guard let slider = item.slider else { return false }
        let value = slider.clamped(value)
        let before = self
        switch item {
        case .contentWeight: settings.objective.contentWeight = value
        case .styleWeight: settings.objective.styleWeight = value
        case .totalVariationWeight: settings.objective.totalVariationWeight = value
        case .layer(let index):
            if term == .content { contentLayers[index].weight = value } else { styleLayers[index].weight = value }
            syncLayers()
        case .painting(let index):
            // One painting is the whole style target: its weight means nothing (and stays out of the settings).
            guard settings.objective.styleBlend.count > 1, index < settings.objective.styleBlend.count else { return false }
            settings.objective.styleBlend[index] = value
        default: break
        }
        return self != before
    }

    /// Moves a row by `steps` (sliders: stops of ten per decade; size: the next offered size; optimizer and
    /// init: the next choice; seed: ±steps). Returns whether anything changed.
    @discardableResult
    public mutating func adjust(_ item: ControlItem, term: LayerTerm = .content, by steps: Int) -> Bool {
        let before = self
        switch item {
        case .contentWeight, .styleWeight, .totalVariationWeight, .layer, .painting:
            guard let slider = item.slider, let current = weight(of: item, term: term) else { return false }
            setWeight(slider.stepped(current, by: steps), of: item, term: term)
        case .size:
            settings.size = Self.size(after: settings.size, steps: steps)
        case .optimizer:
            let kinds = OptimizerSettings.Kind.allCases
            let index = kinds.firstIndex(of: settings.optimizer.kind) ?? 0
            let kind = kinds[((index + steps) % kinds.count + kinds.count) % kinds.count]
            if kind != settings.optimizer.kind {
                settings.optimizer = OptimizerSettings(kind: kind, historySize: settings.optimizer.historySize)
            }
        case .initialization:
            let choices: [Initialization] = [.content, .style, .noise]
            let index = choices.firstIndex(of: settings.initialization) ?? -1
            let next = ((index + steps) % choices.count + choices.count) % choices.count
            settings.initialization = choices[index < 0 && steps < 0 ? choices.count - 1 : next]
        case .styleLoss:
            settings.objective.styleLoss = Self.cycle(StyleLossKind.allCases, from: settings.objective.styleLoss, by: steps)
        case .color:
            settings.color = Self.cycle(ColorMode.allCases, from: settings.color, by: steps)
        case .seed:
            if steps < 0 {
                settings.seed = settings.seed >= UInt64(-steps) ? settings.seed - UInt64(-steps) : 0
            } else {
                settings.seed = settings.seed &+ UInt64(steps)
            }
        }
        return self != before
    }

    /// The choice `steps` after `current`, wrapping around.
    static func cycle<Choice: Equatable>(_ choices: [Choice], from current: Choice, by steps: Int) -> Choice {
        let index = choices.firstIndex(of: current) ?? 0
        return choices[((index + steps) % choices.count + choices.count) % choices.count]
    }

    /// The offered size `steps` away from `size` (a size not on the list moves to its neighbour first).
    public static func size(after size: Int, steps: Int) -> Int {
        guard steps != 0 else { return size }
        if steps > 0 {
            guard let index = sizes.firstIndex(where: { $0 > size }) else { return max(size, sizes.last!) }
            return sizes[min(index + steps - 1, sizes.count - 1)]
        }
        guard let index = sizes.lastIndex(where: { $0 < size }) else { return min(size, sizes.first!) }
        return sizes[max(index + steps + 1, 0)]
    }

    /// Why a toggle was refused.
    public enum ToggleRefusal: Error, Hashable, Sendable, CustomStringConvertible {
        case lastLayer
        public var description: String { "at least one content or style layer must stay on" }
    }

    /// Switches a layer on or off for one term. Refuses to switch off the last layer of both terms.
    public mutating func toggle(layer index: Int, term: LayerTerm) -> Result<Void, ToggleRefusal> {
        let enabled = contentLayers.filter(\.isEnabled).count + styleLayers.filter(\.isEnabled).count
        let current = choice(layer: index, term: term)
        if current.isEnabled && enabled <= 1 { return .failure(.lastLayer) }
        if term == .content { contentLayers[index].isEnabled.toggle() } else { styleLayers[index].isEnabled.toggle() }
        syncLayers()
        return .success(())
    }

    private mutating func syncLayers() {
        settings.objective.contentLayers = VGGLayer.all.compactMap { layer in
            contentLayers[layer.index].isEnabled ? WeightedLayer(layer, weight: contentLayers[layer.index].weight) : nil
        }
        settings.objective.styleLayers = VGGLayer.all.compactMap { layer in
            styleLayers[layer.index].isEnabled ? WeightedLayer(layer, weight: styleLayers[layer.index].weight) : nil
        }
    }

    /// The text shown for a non-slider row.
    public func valueText(of item: ControlItem) -> String {
        switch item {
        case .size: "\(settings.size) px"
        case .optimizer: settings.optimizer.kind.rawValue
        case .initialization:
            if case .file(let path) = settings.initialization { path.lastComponent } else { settings.initialization.description }
        case .seed: "\(settings.seed)"
        case .styleLoss: settings.objective.styleLoss.rawValue
        case .color: settings.color.rawValue
        default: weight(of: item).map(formatWeight) ?? ""
        }
    }
}

extension String {
    /// The last path component (`/a/b.png` -> `b.png`).
    var lastComponent: String {
        let trimmed = hasSuffix("/") && count > 1 ? String(dropLast()) : self
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? trimmed
    }
}

extension ControlValues {
    /// A painting's blend weight (1 when the blend does not name it: one painting, or equal weights).
    public func paintingWeight(_ index: Int) -> Double {
        let blend = settings.objective.styleBlend
        return index < blend.count ? blend[index] : 1
    }

    /// Makes the blend hold one weight per painting: none for a single painting (exactly the single-style
    /// computation), else the weights it has, padded with 1 or cut to `count`.
    public mutating func fitPaintings(_ count: Int) {
        if count <= 1 {
            settings.objective.styleBlend = []
        } else {
            settings.objective.styleBlend = (0..<count).map(paintingWeight)
        }
    }

    /// A painting added after `count` others, with `weight`.
    public mutating func addPainting(after count: Int, weight: Double = 1) {
        fitPaintings(count)
        if count == 0 { return }
        settings.objective.styleBlend = (0..<count).map(paintingWeight) + [Self.paintingWeightSlider.clamped(weight)]
    }

    /// The painting at `index` of `count` removed (with its weight).
    public mutating func removePainting(at index: Int, of count: Int) {
        fitPaintings(count)
        guard count > 1, index < count else { return }
        settings.objective.styleBlend.remove(at: index)
        fitPaintings(count - 1)
    }

    /// The painting's share of the style target (the weights normalised to sum 1), for the panel.
    public func paintingShare(_ index: Int, of count: Int) -> Double {
        guard count > 1 else { return 1 }
        let total = (0..<count).map(paintingWeight).reduce(0, +)
        return total > 0 ? paintingWeight(index) / total : 1 / Double(count)
    }
}
