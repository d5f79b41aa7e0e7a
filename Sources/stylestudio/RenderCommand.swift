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

    /// Iterations of the first stage timed before the prediction is printed (the first also evaluates the
    /// start image; the median of the others counts).
    static let timedIterations = 6

    @Option(name: .customLong("content"),
            help: "The content photo (PNG or JPEG); repeat it, or name a folder, for a batch into --output DIR.")
    var contents: [String]
    var content: String { contents.first ?? "" }

    @Option(help: ArgumentHelp("A style painting (PNG or JPEG), FILE or FILE:WEIGHT; repeat to blend several by weight.",
                               valueName: "file[:weight]"))
    var style: [String] = []

    @Option(help: "Where to write the result (PNG; JPEG when the name ends in .jpg or .jpeg); a folder for a batch.")
    var output: String

    @Option(parsing: .unconditional, help: "Iterations to run (default \(ScaleOptions.defaultIterations); 0 evaluates the objective once at the init image, at the output size; coarse to fine: the total, spread over the stages).")
    var iterations: Int?

    @OptionGroup var runOptions: RunOptions

    @OptionGroup(title: "Coarse to fine") var scaleOptions: ScaleOptions

    @Option(parsing: .unconditional, help: "Also write the result every N iterations.")
    var saveEvery: Int?

    @Option(help: "Save the settings of this render as a user preset named NAME.")
    var savePreset: String?

    @OptionGroup var extraOutputs: ExtraOutputsOptions

    func run() throws {
        if let batch = try BatchRender(contents: contents, output: output) { return try batch.run() }
        let started = Date()
        if let iterations, iterations < 0 { throw CommandFailure("--iterations must be 0 or more (got \(iterations))") }
        if let saveEvery, saveEvery < 1 { throw CommandFailure("--save-every must be 1 or more (got \(saveEvery))") }
        let store = PresetStore.standard()
        let (settings, preset, styleChoices, schedule) = try resolvedRun(store: store)
        for warning in preset?.warnings ?? [] { printError("stylestudio: \(warning)") }
        let weights = try runOptions.weightsOption.load()
        let images = try ImageFile.read(([content] + styleChoices.map(\.path)).map { URL(fileURLWithPath: $0) })
        let (contentImage, styleImages) = (images[0], Array(images.dropFirst()))
        let outputURL = URL(fileURLWithPath: output)
        if let savePreset { try store.checkCanSave(name: savePreset, overwrite: false) }
        try checkOutputs(settings: settings, styles: styleChoices, preset: preset, store: store)
        let timelapse = try extraOutputs.plannedTimelapse()
        let render = try CoarseToFineRender(weights: weights, content: contentImage, styles: styleImages, settings: settings,
                                            schedule: schedule, styleScale: scaleOptions.styleScale)
        // What the process holds before any network: code, weights; the prepared kernels come next.
        let baseBytes = MemoryUsage.residentBytes() + (render.plans.map(\.preparedWeightBytes).max() ?? 0)
        let peakSoFar = MemoryUsage.peakResidentBytes()
        printError("stylestudio: \(render.plans.last!.width)×\(render.plans.last!.height) px in \(schedule.stages.count) " +
                   "stage\(schedule.stages.count == 1 ? "" : "s"), \(settings.optimizer.kind.rawValue), " +
                   "OpenBLAS \(BLAS.coreName) kernels on \(BLAS.workerCount) cores")
        // Everything that can be checked was; only now is an old log truncated.
        let log = scaleOptions.dryRun ? nil : try runOptions.log.map { try IterationLog(url: URL(fileURLWithPath: $0)) }
        var estimate: RenderEstimate?
        // The prediction is made from the first stage's first iterations (timed as they run: iterations, not
        // bare evaluations, are what the stages will take) and, with several stages, iterations at 64 px for the
        // fixed part of an iteration (IterationCost). `--dry-run` stops once it is printed.
        var firstStageSeconds: [Double] = []
        var stageStarted = 0.0
        var lastTransfer: StyleTransfer?
        var iterationsDone = 0  // across stages, for the time-lapse
        func predict(after progress: CoarseToFineRender.Progress, transfer: StyleTransfer) {
            // Timed now rather than before the first iteration, so that nothing delays it.
            let calibration = schedule.stages.count == 1 ? nil
                : IterationCost.calibrate(weights: weights, content: contentImage, styles: styleImages, settings: settings,
                                          styleScale: scaleOptions.styleScale, size: schedule.stages.last!.longSide)
            let measured = IterationCost.Sample(flops: transfer.effectiveFlopsPerIteration,
                                                seconds: IterationCost.typicalSeconds(firstStageSeconds))
            let cost = IterationCost.fitted(small: calibration, large: measured)
            render.iterationOverheadFlops = cost.overheadFlops
            estimate = RenderEstimate(plans: render.plans, schedule: schedule, cost: cost, baseBytes: baseBytes,
                                      peakSoFar: peakSoFar,
                                      firstStageSoFar: (firstStageSeconds.count, progress.elapsed))
            for line in estimate!.lines { printError("stylestudio: predicted \(line)") }
        }
        let result: RGBImage
        do {
            result = try render.run(started: { transfer, index in
                lastTransfer = transfer
                guard index == 0 else { return }
                if !scaleOptions.dryRun { try timelapse?.capture(transfer.currentImage, iteration: 0) }
                if scaleOptions.dryRun {
                    printError("stylestudio: timing the first \(min(Self.timedIterations, max(schedule.stages[0].iterations, 1))) " +
                               "iterations (nothing is written)...")
                }
            }, progress: { progress, transfer in
                try log?.append(line: progress.jsonLine)
                if !scaleOptions.dryRun { printError(ProgressLine.text(for: progress)) }
                if estimate == nil {
                    firstStageSeconds.append(progress.record.seconds)
                    if firstStageSeconds.count >= min(Self.timedIterations, max(progress.iterations, 1)) {
                        predict(after: progress, transfer: transfer)
                        if scaleOptions.dryRun { throw DryRunFinished() }
                    }
                }
                guard !scaleOptions.dryRun else { return }
                if progress.record.iteration > 0 {  // a step (iteration 0 is the start image, captured above)
                    iterationsDone += 1
                    try timelapse?.offer(iteration: iterationsDone) { transfer.currentImage }
                }
                let done = progress.record.iteration  // steps taken
                if let saveEvery, done > 0, done % saveEvery == 0, done < progress.iterations || progress.stage < progress.stageCount {
                    try RenderOutput.write(transfer.bestImage, to: outputURL)
                }
            }, finished: { index, elapsed in
                // Measured against predicted, for each stage (planning included; memory: the peak so far).
                guard let estimate else { return }
                printError(String(format: "stylestudio: stage %d took %@ (predicted %@); peak memory so far %@ (predicted %@)",
                                  index + 1, RenderEstimate.duration(elapsed - stageStarted),
                                  RenderEstimate.duration(estimate.stages[index].seconds),
                                  RenderEstimate.megabytes(MemoryUsage.peakResidentBytes()),
                                  RenderEstimate.megabytes(estimate.stages[...index].map(\.peakBytes).max()!)))
                stageStarted = elapsed
            })
            try RenderOutput.write(result, to: outputURL)
        } catch is DryRunFinished {
            return
        }
        printError("stylestudio: wrote \(output)")
        if let timelapse {
            let frames = try timelapse.finish(final: result, iteration: iterationsDone)
            printError("stylestudio: wrote \(timelapse.path) (\(frames) frames)")
        }
        if let lastTransfer {
            try extraOutputs.writeManifest(request: { try manifestRequest(store: store) }, output: output,
                                           transfer: lastTransfer, seconds: Date().timeIntervalSince(started))
        }
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

    /// The settings this render runs with (the preset's or the defaults, the flags, the paintings' blend and the
    /// output size), the preset, the paintings and the stages.
    func resolvedRun(store: PresetStore) throws
        -> (settings: StyleSettings, preset: LoadedPreset?, styles: [StyleImageChoice], schedule: RenderSchedule) {
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
        let schedule = try scaleOptions.schedule(size: settings.size, iterations: iterations)
        settings.size = schedule.target
        return (settings, preset, styleChoices, schedule)
    }

    /// What this render is, as its manifest records it (a sweep compares it with a cell's manifest): every
    /// painting with its weight.
    func manifestRequest(store: PresetStore) throws -> RunManifest.Request {
        let run = try resolvedRun(store: store)
        return try RunManifest.Request(contentPath: content, stylePaths: run.styles.map(\.path),
                                       weightsPath: runOptions.weightsOption.path, settings: run.settings,
                                       iterations: run.schedule.totalIterations)
    }

    /// Fails before any work when an output cannot be written or would overwrite an input (see `OutputGuard`).
    private func checkOutputs(settings: StyleSettings, styles: [StyleImageChoice], preset: LoadedPreset?,
                              store: PresetStore) throws {
        var outputs = OutputGuard()
        outputs.addInput(content, role: "content image")
        for choice in styles { outputs.addInput(choice.path, role: "style image") }
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

/// Ends a `--dry-run` once the prediction is printed.
struct DryRunFinished: Error {}

/// One progress line: iteration, losses, speed and time left.
enum ProgressLine {
    /// `stage 2/3 768×576  ` before the iteration's line when the render has several stages; the ETA covers them all.
    static func text(for progress: CoarseToFineRender.Progress) -> String {
        let record = progress.record
        func scientific(_ value: Double) -> String { String(format: "%.4e", value) }
        let line = "iter \(record.iteration)/\(progress.iterations)  total \(scientific(record.losses.total))  " +
            "content \(scientific(record.losses.content))  style \(scientific(record.losses.style))  " +
            "tv \(scientific(record.losses.totalVariation))  " + String(format: "%.3f s/it  %d eval  ETA %@", record.seconds,
                                                                          record.evaluations, RenderEstimate.duration(progress.remaining))
        return progress.stageCount == 1 ? line
            : "stage \(progress.stage)/\(progress.stageCount) \(progress.width)×\(progress.height)  " + line
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
