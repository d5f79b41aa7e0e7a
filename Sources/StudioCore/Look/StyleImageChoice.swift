/// A style painting named on the command line, `FILE` or `FILE:WEIGHT`, with its blend weight.
public struct StyleImageChoice: Hashable, Sendable {
    public var path: String
    public var weight: Double

    public init(path: String, weight: Double = 1) {
        self.path = path
        self.weight = weight
    }

    /// `FILE` or `FILE:WEIGHT`; a suffix after the last `:` that is not a number belongs to the file name.
    public init(argument: String) {
        if let colon = argument.lastIndex(of: ":"), colon != argument.startIndex,
           let weight = Double(argument[argument.index(after: colon)...]) {
            self.init(path: String(argument[..<colon]), weight: weight)
        } else {
            self.init(path: argument)
        }
    }

    /// The blend weights for `settings.objective.styleBlend`: empty (equal) for one painting of weight 1.
    public static func blend(of choices: [StyleImageChoice]) -> [Double] {
        choices.count == 1 && choices[0].weight == 1 ? [] : choices.map(\.weight)
    }
}
