import ArgumentParser
import Foundation
import ImageIO
import SafeIO
import StudioCore
import StyleEngine

/// `stylestudio render`: a headless run for scripts. Progress on stderr, one line per iteration.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Paint one image without the studio.")

    @Option(help: "The content photo (PNG or JPEG).")
    var content: String

    @Option(help: ArgumentHelp("A style painting (PNG or JPEG), FILE or FILE:WEIGHT; repeat to blend several by weight.",
                               valueName: "file[:weight]"))
    var style: [String] = []

    @Option(help: "Where to write the result (PNG).")
    var output: String

    @Option(parsing: .unconditional, help: "Iterations to run (default 100; 0 evaluates the objective once at the init image).")
    var iterations: Int = 100

    @OptionGroup var runOptions: RunOptions

    @Option(parsing: .unconditional, help: "Also write the result every N iterations.")
    var saveEvery: Int?

    @Option(help: "Save the settings of this render as a user preset named NAME.")
    var savePreset: String?

    func run() throws {
        guard iterations >= 0 else { throw CommandFailure("--iterations must be 0 or more (got \(iterations))") }
        if let saveEvery, saveEvery < 1 { throw CommandFailure("--save-every must be 1 or more (got \(saveEvery))") }
        let store = PresetStore.standard()
        var (settings, preset) = try runOptions.settings(from: store)
        // The paintings named here (their weights replace the preset's blend), else the preset's.
        var styleChoices = style.map(StyleImageChoice.init(argument:))
        if styleChoices.isEmpty, let paths = preset?.preset.stylePaths, !paths.isEmpty {
            styleChoices = paths.map { StyleImageChoice(path: $0) }
        } else if styleChoices.isEmpty {
            throw CommandFailure("missing --style FILE (the style painting)")
        } else {
            settings.objective.styleBlend = StyleImageChoice.blend(of: styleChoices)
            try SettingsValidation.validate(settings)
        }
        for warning in preset?.warnings ?? [] { printError("stylestudio: \(warning)") }
        let weights = try runOptions.weightsOption.load()
        let contentImage = try ImageFile.read(URL(fileURLWithPath: content))
        let styleImages = try styleChoices.map { try ImageFile.read(URL(fileURLWithPath: $0.path)) }
        let outputURL = URL(fileURLWithPath: output)
        if let savePreset { try store.checkCanSave(name: savePreset, overwrite: false) }
        try checkOutputs(settings: settings, preset: preset, store: store)
        // Everything that can be checked was; only now is an old log truncated.
        let log = try runOptions.log.map { try IterationLog(url: URL(fileURLWithPath: $0)) }

        let transfer = try StyleTransfer(weights: weights, content: contentImage, styles: styleImages, settings: settings)
        printError("stylestudio: \(transfer.width)×\(transfer.height) px, \(settings.optimizer.kind.rawValue), " +
                   "OpenBLAS \(BLAS.coreName) kernels on \(BLAS.workerCount) cores")
        if iterations == 0 {
            let record = IterationRecord(iteration: 0, losses: transfer.evaluate(), seconds: 0)
            try log?.append(record)
            printError(ProgressLine.text(for: record, of: 0, elapsed: 0))
        }
        var elapsed = 0.0
        for index in 0..<iterations {
            let record = try transfer.step()
            elapsed += record.seconds
            try log?.append(record)
            printError(ProgressLine.text(for: record, of: iterations, elapsed: elapsed))
            if let saveEvery, (index + 1) % saveEvery == 0, index + 1 < iterations {
                try ImageFile.writePNG(transfer.bestImage, to: outputURL)
            }
        }
        // The best image evaluated, not merely the last: with Adam (or L-BFGS without line search) the last
        // step can land somewhere worse.
        try ImageFile.writePNG(transfer.bestImage, to: outputURL)
        printError("stylestudio: wrote \(output)")
        if let savePreset {
            // Absolute image paths, so the preset works from any folder.
            let contentPath = URL(fileURLWithPath: content).standardizedFileURL.path
            let stylePaths = styleChoices.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path }
            let paintings = styleChoices.map(\.path).joined(separator: " + ")
            let url = try store.save(Preset(name: savePreset, description: "Saved from a render of \(content) with \(paintings)",
                                            settings: settings, contentPath: contentPath, stylePaths: stylePaths),
                                     overwrite: false)
            printError("stylestudio: saved preset '\(savePreset)' to \(url.path)")
        }
    }

    /// Fails before any work when an output cannot be written or would overwrite an input (see `OutputGuard`).
    private func checkOutputs(settings: StyleSettings, preset: LoadedPreset?, store: PresetStore) throws {
        var outputs = OutputGuard()
        outputs.addInput(content, role: "content image")
        outputs.addInput(style, role: "style image")
        if case .file(let path) = settings.initialization { outputs.addInput(path, role: "init image") }
        outputs.addInput(runOptions.weightsOption.weights ?? VGG19Weights.defaultLocation.path, role: "weights file")
        if let preset { outputs.addInput(preset.url.path, role: "preset") }
        try outputs.checkOutput(output, role: "output image")
        if let log = runOptions.log { try outputs.checkOutput(log, role: "log", kind: .stream) }
        if let savePreset {
            let path = store.userDirectory.appendingPathComponent(savePreset.lowercased() + ".json").path
            try outputs.checkOutput(path, role: "saved preset", createsFolders: true)
        }
    }
}

/// One progress line: iteration, losses, speed and time left.
enum ProgressLine {
    static func text(for record: IterationRecord, of total: Int, elapsed: Double) -> String {
        let done = record.iteration + 1
        let average = done > 0 ? elapsed / Double(done) : 0
        let remaining = max(0, Double(total - done) * average)
        func scientific(_ value: Double) -> String { String(format: "%.4e", value) }
        return "iter \(record.iteration)/\(total)  total \(scientific(record.losses.total))  " +
            "content \(scientific(record.losses.content))  style \(scientific(record.losses.style))  " +
            "tv \(scientific(record.losses.totalVariation))  " + String(format: "%.3f s/it  %d eval  ETA %@", record.seconds,
                                                                          record.evaluations, duration(remaining))
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}

/// A failure to report as one line, `stylestudio: <message>`, with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Best effort: a closed or full stderr, or a reader that went away, never stops a run (see `StandardError`).
func printError(_ line: String) {
    StandardError.writeLine(line)
}
