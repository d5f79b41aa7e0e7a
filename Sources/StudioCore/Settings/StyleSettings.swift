import StyleEngine

/// Which optimizer changes the image, and its parameters.
public struct OptimizerSettings: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case lbfgs
        case adam
    }

    public var kind: Kind
    /// L-BFGS: how many (s, y) pairs are kept; memory is 2·historySize image-sized vectors.
    public var historySize: Int
    /// L-BFGS: step scale (1 = the classic unscaled step). Adam: step size in pixel units (0…255 scale).
    public var learningRate: Double
    /// L-BFGS: the step-length rule (strong Wolfe by default; `.none` is the fixed step of the reference).
    public var lineSearch: LineSearchKind

    public init(kind: Kind = .lbfgs, historySize: Int = SettingTable.historySize.defaultValue, learningRate: Double? = nil,
                lineSearch: LineSearchKind = .strongWolfe) {
        self.kind = kind
        self.historySize = historySize
        self.learningRate = learningRate ?? Self.defaultLearningRate(for: kind)
        self.lineSearch = lineSearch
    }

    public static func defaultLearningRate(for kind: Kind) -> Double {
        learningRateSetting(for: kind).defaultValue
    }

    /// The table's learning-rate entry of an optimizer.
    public static func learningRateSetting(for kind: Kind) -> SettingRange<Double> {
        switch kind {
        case .lbfgs: SettingTable.lbfgsLearningRate
        case .adam: SettingTable.adamLearningRate
        }
    }
}

/// The image the optimization starts from.
public enum Initialization: Hashable, Sendable, CustomStringConvertible {
    case content
    case style
    case noise
    case file(String)

    /// Parses `content`, `style`, `noise`, or anything else as a file path.
    public init(argument: String) {
        switch argument {
        case "content": self = .content
        case "style": self = .style
        case "noise": self = .noise
        default: self = .file(argument)
        }
    }

    public var description: String {
        switch self {
        case .content: "content"
        case .style: "style"
        case .noise: "noise"
        case .file(let path): path
        }
    }
}

extension Initialization: Codable {
    public init(from decoder: Decoder) throws {
        self.init(argument: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Every setting that shapes a result. Value type: the studio and the command line pass copies around.
public struct StyleSettings: Hashable, Sendable, Codable {
    public var objective: ObjectiveSettings
    public var optimizer: OptimizerSettings
    public var initialization: Initialization
    public var seed: UInt64
    /// Long side of the working image, in pixels.
    public var size: Int
    /// The painting's colours, the photo's (luminance-only transfer), or the painting recoloured to the photo's.
    public var color: ColorMode = .original

    public init(objective: ObjectiveSettings = ObjectiveSettings(), optimizer: OptimizerSettings = OptimizerSettings(),
                initialization: Initialization = .content, seed: UInt64 = SettingTable.seed.defaultValue,
                size: Int = SettingTable.size.defaultValue) {
        self.objective = objective
        self.optimizer = optimizer
        self.initialization = initialization
        self.seed = seed
        self.size = size
    }
}
