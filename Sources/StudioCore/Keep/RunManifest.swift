import Foundation

/// What produced one result, written next to it as JSON: every setting, the inputs' and weights' sha256, the
/// program's version, the final losses and the seconds it took. `request` is what a sweep compares to decide
/// that a result is already there (same inputs, same settings, same iterations: skip it).
public struct RunManifest: Codable, Equatable, Sendable {
    /// A file the run read, by the path given and by content.
    public struct Input: Codable, Equatable, Sendable {
        public var path: String
        public var sha256: String

        public init(path: String) throws {
            self.path = path
            sha256 = try FileDigest.sha256(path: path)
        }
    }

    /// A style painting of the blend: the file, by path and content, and its blend weight as given (1 when the
    /// settings' `styleBlend` names none: one painting, or equal weights).
    public struct Painting: Codable, Equatable, Sendable {
        public var path: String
        public var sha256: String
        public var weight: Double
    }

    /// Everything that determines the result.
    public struct Request: Codable, Equatable, Sendable {
        public var content: Input
        /// The first painting.
        public var style: Input
        /// Every painting with its weight (nil in manifests written before they were all recorded).
        public var styles: [Painting]?
        /// The init image, when the settings start from a file.
        public var initImage: Input?
        public var weights: Input
        public var settings: StyleSettings
        public var iterations: Int

        public init(contentPath: String, stylePath: String, weightsPath: String, settings: StyleSettings,
                    iterations: Int) throws {
            try self.init(contentPath: contentPath, stylePaths: [stylePath], weightsPath: weightsPath, settings: settings,
                          iterations: iterations)
        }

        /// `stylePaths`: one or more paintings, weighted by `settings.objective.styleBlend`.
        public init(contentPath: String, stylePaths: [String], weightsPath: String, settings: StyleSettings,
                    iterations: Int) throws {
            precondition(!stylePaths.isEmpty, "at least one painting")
            content = try Input(path: contentPath)
            let inputs = try stylePaths.map { try Input(path: $0) }
            style = inputs[0]
            let blend = settings.objective.styleBlend
            styles = inputs.enumerated().map { index, input in
                Painting(path: input.path, sha256: input.sha256, weight: index < blend.count ? blend[index] : 1)
            }
            if case .file(let path) = settings.initialization { initImage = try Input(path: path) }
            weights = try Input(path: weightsPath)
            self.settings = settings
            self.iterations = iterations
        }

        /// The paintings by content and weight (an older manifest's one painting, of weight 1).
        var paintingKeys: [String] {
            (styles ?? [Painting(path: style.path, sha256: style.sha256, weight: 1)]).map { "\($0.sha256):\($0.weight)" }
        }

        /// Same files (by content) and same settings; paths may differ.
        public func matches(_ other: Request) -> Bool {
            content.sha256 == other.content.sha256 && style.sha256 == other.style.sha256
                && paintingKeys == other.paintingKeys
                && initImage?.sha256 == other.initImage?.sha256 && weights.sha256 == other.weights.sha256
                && settings == other.settings && iterations == other.iterations
        }
    }

    public struct FinalLosses: Codable, Equatable, Sendable {
        public var total: Double
        public var content: Double
        public var style: Double
        public var tv: Double

        public init(_ terms: LossTerms) {
            total = terms.total
            content = terms.content
            style = terms.style
            tv = terms.totalVariation
        }
    }

    public var program: String
    public var version: String
    public var output: String
    public var request: Request
    /// Weighted losses of the final image.
    public var losses: FinalLosses
    /// Wall-clock seconds of the whole render (planning, iterations and writing).
    public var seconds: Double
    public var width: Int
    public var height: Int

    public init(output: String, request: Request, losses: LossTerms, seconds: Double, width: Int, height: Int) {
        program = "stylestudio"
        version = ProgramVersion.current
        self.output = output
        self.request = request
        self.losses = FinalLosses(losses)
        self.seconds = seconds
        self.width = width
        self.height = height
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Written atomically (temporary file in the same folder, then rename).
    public func write(to path: String) throws {
        try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The manifest at `path`, or nil when there is none or it cannot be understood (then the cell runs again).
    public static func read(from path: String) -> RunManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(RunManifest.self, from: data)
    }
}
