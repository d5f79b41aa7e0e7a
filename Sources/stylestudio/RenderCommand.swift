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

    @Option(name: .customLong("content"),
            help: "The content photo (PNG or JPEG); repeat it, or name a folder, for a batch into --output DIR.")
    var contents: [String]
    var content: String { contents.first ?? "" }

    @Option(help: "The style painting (PNG or JPEG).")
    var style: String

    @Option(help: "Where to write the result (PNG); a folder for a batch.")
    var output: String

    @Option(parsing: .unconditional, help: "Iterations to run (default 100; 0 evaluates the objective once at the init image).")
    var iterations: Int = 100

    @OptionGroup var runOptions: RunOptions

    @Option(parsing: .unconditional, help: "Also write the result every N iterations.")
    var saveEvery: Int?

    @Option(help: "Save the settings of this render as a user preset named NAME.")
    var savePreset: String?

    @OptionGroup var extraOutputs: ExtraOutputsOptions

    func run() throws {
        if let batch = try BatchRender(contents: contents, output: output) { return try batch.run() }
        let started = Date()
        guard iterations >= 0 else { throw CommandFailure("--iterations must be 0 or more (got \(iterations))") }
        if let saveEvery, saveEvery < 1 { throw CommandFailure("--save-every must be 1 or more (got \(saveEvery))") }
        let store = PresetStore.standard()
        let (settings, preset) = try runOptions.settings(from: store)
        for warning in preset?.warnings ?? [] { printError("stylestudio: \(warning)") }
        let weights = try runOptions.weightsOption.load()
        let contentImage = try ImageFile.read(URL(fileURLWithPath: content))
        let styleImage = try ImageFile.read(URL(fileURLWithPath: style))
        let outputURL = URL(fileURLWithPath: output)
        if let savePreset { try store.checkCanSave(name: savePreset, overwrite: false) }
        try checkOutputs(settings: settings, preset: preset, store: store)
        let timelapse = try extraOutputs.plannedTimelapse()
        // Everything that can be checked was; only now is an old log truncated.
        let log = try runOptions.log.map { try IterationLog(url: URL(fileURLWithPath: $0)) }

        let transfer = try StyleTransfer(weights: weights, content: contentImage, style: styleImage, settings: settings)
        printError("stylestudio: \(transfer.width)×\(transfer.height) px, \(settings.optimizer.kind.rawValue), " +
                   "OpenBLAS \(BLAS.coreName) kernels on \(BLAS.workerCount) cores")
        try timelapse?.capture(transfer.currentImage, iteration: 0)
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
            try timelapse?.offer(iteration: index + 1) { transfer.currentImage }
            if let saveEvery, (index + 1) % saveEvery == 0, index + 1 < iterations {
                try ImageFile.writePNG(transfer.bestImage, to: outputURL)
            }
        }
        // The best image evaluated, not merely the last: with Adam (or L-BFGS without line search) the last
        // step can land somewhere worse.
        try ImageFile.writePNG(transfer.bestImage, to: outputURL)
        printError("stylestudio: wrote \(output)")
        if let timelapse {
            try timelapse.finish(final: transfer.bestImage, iteration: iterations)
            printError("stylestudio: wrote \(timelapse.path) (\(timelapse.frameCount) frames)")
        }
        try extraOutputs.writeManifest(output: output, contentPath: content, stylePath: style, weights: runOptions.weightsOption,
                                       settings: settings, iterations: iterations, transfer: transfer,
                                       seconds: Date().timeIntervalSince(started))
        if let savePreset {
            // Absolute image paths, so the preset works from any folder.
            let contentPath = URL(fileURLWithPath: content).standardizedFileURL.path
            let stylePath = URL(fileURLWithPath: style).standardizedFileURL.path
            let url = try store.save(Preset(name: savePreset, description: "Saved from a render of \(content) with \(style)",
                                            settings: settings, contentPath: contentPath, stylePath: stylePath),
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
        if let timelapse = extraOutputs.timelapse { try outputs.checkOutput(timelapse, role: "time-lapse") }
        if let manifest = extraOutputs.manifest { try outputs.checkOutput(manifest, role: "manifest") }
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
