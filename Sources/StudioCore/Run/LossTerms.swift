/// The weighted loss terms of one evaluation: `total = content + style + totalVariation`.
public struct LossTerms: Hashable, Sendable, Codable {
    public var content: Double
    public var style: Double
    public var totalVariation: Double

    public init(content: Double, style: Double, totalVariation: Double) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
    }

    public var total: Double { content + style + totalVariation }
    public var isFinite: Bool { content.isFinite && style.isFinite && totalVariation.isFinite }
}
