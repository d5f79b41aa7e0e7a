import ArgumentParser
import Foundation
import StudioCore
import StyleEngine

/// `render`'s coarse-to-fine flags: which stages, how many iterations each, the style's scale, and
/// whether to stop after the prediction.
struct ScaleOptions: ParsableArguments {
    @Flag(help: "Render at the final size only, as before coarse-to-fine (the default for sizes up to \(RenderSchedule.coarseToFineAbove) px).")
    var singleScale = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Long side of the first stage of a coarse-to-fine render (default \(RenderSchedule.defaultStartSize)).",
        discussion: "Sizes above \(RenderSchedule.coarseToFineAbove) px are rendered coarse to fine by default: " +
            "stages from the start size to --size, about ×\(Int(RenderSchedule.stageRatio)) apart, each starting from the " +
            "previous stage's image upsampled, with \(RenderSchedule.firstStageIterations) iterations at " +
            "\(RenderSchedule.defaultStartSize) px and half as many for each doubling of the size (at least " +
            "\(RenderSchedule.minimumIterations)).",
        valueName: "px"))
    var startSize: Int?

    @Option(help: ArgumentHelp("The stages' long sides, coarse first, e.g. 256,512,1024 (the last is the output size; replaces --size).",
                               valueName: "list"))
    var scales: String?

    @Option(help: ArgumentHelp("Iterations of each stage, e.g. 100,50,25 (one per stage; default: the schedule above).",
                               valueName: "list"))
    var iterationsPerScale: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "\(SettingTable.styleScale.summary) (default \(SettingTable.styleScale.defaultText)): the strokes keep their size " +
            "relative to the picture whatever the output size.", valueName: "x"))
    var styleScale: Double = SettingTable.styleScale.defaultValue

    @Flag(help: "Time the first iterations, print the stages with their predicted peak memory and time, then stop (nothing is written).")
    var dryRun = false

    /// The stages for an output of `size` px; `iterations` is --iterations when given.
    func schedule(size: Int, iterations: Int?) throws -> RenderSchedule {
        let sizes = try scales.map { try Self.parseList($0, flag: "--scales") }
        let budgets = try iterationsPerScale.map { try Self.parseList($0, flag: "--iterations-per-scale") }
        if singleScale {
            if scales != nil || startSize != nil || iterationsPerScale != nil {
                throw CommandFailure("--single-scale cannot be combined with --scales, --start-size or --iterations-per-scale")
            }
            return .singleScale(size: size, iterations: iterations ?? Self.defaultIterations)
        }
        if iterations != nil, budgets != nil {
            throw CommandFailure("give either --iterations or --iterations-per-scale, not both")
        }
        if startSize != nil, sizes != nil { throw CommandFailure("give either --scales or --start-size, not both") }
        if let startSize, let problem = SettingTable.size.problem(with: startSize) {
            throw CommandFailure("--start-size \(problem)")
        }
        if iterations == 0 { return .singleScale(size: sizes?.last ?? size, iterations: 0) }
        let stageSizes: [Int]
        if let sizes {
            stageSizes = sizes
        } else if startSize != nil || size > RenderSchedule.coarseToFineAbove {
            stageSizes = RenderSchedule.sizes(target: size, start: startSize ?? RenderSchedule.defaultStartSize)
        } else {
            stageSizes = [size]
        }
        if stageSizes.count == 1, budgets == nil, sizes == nil {
            return .singleScale(size: size, iterations: iterations ?? Self.defaultIterations)
        }
        do {
            return try .scales(stageSizes, iterations: budgets ?? Self.budgets(for: stageSizes, total: iterations))
        } catch let error as RenderScheduleError {
            throw CommandFailure(error.description)
        }
    }

    static let defaultIterations = 100

    /// The default budgets, or those scaled to add up to `total` (each stage at least 1).
    static func budgets(for sizes: [Int], total: Int?) -> [Int] {
        let defaults = sizes.map { RenderSchedule.defaultIterations(size: $0) }
        guard let total else { return defaults }
        let sum = Double(defaults.reduce(0, +))
        return defaults.map { max(1, Int((Double($0) * Double(total) / sum).rounded())) }
    }

    static func parseList(_ text: String, flag: String) throws -> [Int] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = items.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw CommandFailure("\(flag) takes whole numbers separated by commas (got '\(text)')")
        }
        return values.map { $0! }
    }
}
