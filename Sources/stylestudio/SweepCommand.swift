import ArgumentParser
import Foundation
import ImageIO
import StudioCore

/// `stylestudio sweep`: every combination of alternative settings, each rendered by a child `render` into
/// --output DIR with its manifest, then a contact sheet labelled by what differs. Cells whose manifest already
/// matches are skipped (an interrupted sweep resumes); `--list` prints the remaining cells as `stylestudio
/// render …` lines for GNU parallel or a SLURM job array.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Render every combination of alternative settings, with a labelled contact sheet.",
        discussion: """
            Numbers take comma lists (--style-weight 10,100,1000); images, presets, layer lists, optimizers, \
            inits and poolings take repeated flags (--content-layers block4_conv2 --content-layers block2_conv2).
            """)

    @Option(help: "Content photo(s); repeat for alternatives.")
    var content: [String]

    @Option(help: "Style painting(s); repeat for alternatives.")
    var style: [String]

    @Option(help: "The folder for the results, manifests and contact sheet (created if missing).")
    var output: String

    @Flag(help: "Print one 'stylestudio render …' command per cell still to do, instead of running them.")
    var list = false

    @Option(help: "Preset(s) to start from; repeat for alternatives.")
    var preset: [String] = []

    @Option(help: "Iterations, a comma list (default \(ScaleOptions.defaultIterations)).") var iterations: String?
    @Option(help: "Long side(s) in pixels, a comma list.") var size: String?
    @Option(help: "Content weight(s), a comma list.") var contentWeight: String?
    @Option(help: "Style weight(s), a comma list.") var styleWeight: String?
    @Option(name: .customLong("tv-weight"), help: "Total-variation weight(s), a comma list.") var totalVariationWeight: String?
    @Option(help: "L-BFGS history size(s), a comma list.") var historySize: String?
    @Option(help: "Learning rate(s), a comma list.") var learningRate: String?
    @Option(help: "Noise seed(s), a comma list.") var seed: String?
    @Option(help: "Content layer list(s) L[:W],…; repeat for alternatives.") var contentLayers: [String] = []
    @Option(help: "Style layer list(s) L[:W],…; repeat for alternatives.") var styleLayers: [String] = []
    @Option(help: "lbfgs and/or adam; repeat for alternatives.") var optimizer: [String] = []
    @Option(name: .customLong("init"), help: "Start image(s): content, style, noise or a FILE; repeat.") var initialization: [String] = []
    @Option(help: "max and/or avg; repeat for alternatives.") var pooling: [String] = []
    @Option(help: "VGG19 weights (safetensors); default: the installed file.") var weights: String?

    /// The axes, in a fixed order: images first (the sheet's rows when they vary), then the numbers.
    var axes: [SweepPlan.Axis] {
        func commaList(_ text: String?) -> [String] {
            text.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        }
        return [
            SweepPlan.Axis(flag: "--content", values: content, isPath: true),
            SweepPlan.Axis(flag: "--style", values: style, isPath: true),
            SweepPlan.Axis(flag: "--preset", values: preset, isPath: true),
            SweepPlan.Axis(flag: "--init", values: initialization, isPath: true),
            SweepPlan.Axis(flag: "--content-layers", values: contentLayers),
            SweepPlan.Axis(flag: "--style-layers", values: styleLayers),
            SweepPlan.Axis(flag: "--optimizer", values: optimizer),
            SweepPlan.Axis(flag: "--pooling", values: pooling),
            SweepPlan.Axis(flag: "--size", values: commaList(size)),
            SweepPlan.Axis(flag: "--iterations", values: commaList(iterations)),
            SweepPlan.Axis(flag: "--content-weight", values: commaList(contentWeight)),
            SweepPlan.Axis(flag: "--style-weight", values: commaList(styleWeight)),
            SweepPlan.Axis(flag: "--tv-weight", values: commaList(totalVariationWeight)),
            SweepPlan.Axis(flag: "--history-size", values: commaList(historySize)),
            SweepPlan.Axis(flag: "--learning-rate", values: commaList(learningRate)),
            SweepPlan.Axis(flag: "--seed", values: commaList(seed)),
            SweepPlan.Axis(flag: "--weights", values: weights.map { [$0] } ?? [], isPath: true),
        ]
    }

    /// More cells than this is almost certainly a typo in a list.
    static let maximumCells = 10_000

    func run() throws {
        let plan = SweepPlan(axes: axes, folder: output)
        guard plan.cells.count <= Self.maximumCells else {
            throw CommandFailure("the sweep has \(plan.cells.count) cells (the limit is \(Self.maximumCells))")
        }
        for axis in plan.axes where axis.values.contains("") {
            throw CommandFailure("\(axis.flag) has an empty value in its list")
        }
        for path in content + style where !FileManager.default.isReadableFile(atPath: path) {
            throw CommandFailure("cannot read '\(path)': no such file, or not readable")
        }
        // Every cell's flags are checked before anything runs: a bad value is one line, not a failed cell.
        let store = PresetStore.standard()
        var requests: [RunManifest.Request] = []
        for cell in plan.cells {
            let render: RenderCommand
            do {
                render = try RenderCommand.parse(cell.arguments)
            } catch {
                let text = RenderCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                throw CommandFailure("cell \(cell.name): \(text)")
            }
            requests.append(try render.manifestRequest(store: store))
        }
        let done = plan.cells.indices.map { index in
            FileManager.default.fileExists(atPath: plan.cells[index].outputPath)
                && RunManifest.read(from: plan.cells[index].manifestPath)?.request.matches(requests[index]) == true
        }

        if list {
            for (cell, isDone) in zip(plan.cells, done) where !isDone {
                print(ChildRender.shellLine(["stylestudio", "render"] + cell.arguments))
            }
            printError("stylestudio: \(done.filter { !$0 }.count) of \(plan.cells.count) cells to do")
            return
        }

        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
            } catch {
                throw CommandFailure("cannot create the output folder '\(output)': \((error as NSError).localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw CommandFailure("--output must be a folder ('\(output)' is a file)")
        }

        printError("stylestudio: sweep of \(plan.cells.count) cells into \(output), \(done.filter { $0 }.count) already done")
        var progress = BatchProgress(total: plan.cells.count)
        var failed = 0
        for (cell, isDone) in zip(plan.cells, done) {
            if isDone {
                progress.report(cell.name, "skipped (its manifest matches)", ranFor: nil)
                continue
            }
            let outcome = ChildRender(arguments: cell.arguments, logPath: cell.logPath).run()
            if outcome.succeeded {
                let losses = RunManifest.read(from: cell.manifestPath).map { String(format: "loss %.4e, ", $0.losses.total) } ?? ""
                progress.report(cell.name, "done (\(losses)" + String(format: "%.1f s)", outcome.seconds), ranFor: outcome.seconds)
            } else {
                failed += 1
                progress.report(cell.name, "FAILED: \(outcome.lastMessage ?? "unknown error") (log: \(cell.logPath))",
                                ranFor: outcome.seconds)
            }
        }

        let sheetPath = (output as NSString).appendingPathComponent(SweepPlan.contactSheetName)
        try writeContactSheet(plan, to: sheetPath)
        printError("stylestudio: wrote \(sheetPath)" + (failed > 0 ? "; \(failed) of \(plan.cells.count) cells failed" : ""))
        if failed > 0 { throw ExitCode(Int32(min(failed, 100))) }
    }

    private func writeContactSheet(_ plan: SweepPlan, to path: String) throws {
        let images = plan.cells.map { try? ImageFile.read(path: $0.outputPath) }
        let largest = images.compactMap { $0.map { max($0.width, $0.height) } }.max() ?? 160
        let sheet = ContactSheet(cells: zip(images, plan.cells).map { ContactSheet.Cell(image: $0, labels: $1.labels) },
                                 columns: plan.columns, cellSide: min(256, max(160, largest)))
        try ImageFile.writePNG(sheet.render(), to: URL(fileURLWithPath: path))
    }
}
