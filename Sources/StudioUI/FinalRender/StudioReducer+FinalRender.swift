import Foundation
import ImageIO
import StudioCore
import StyleEngine

/// Why the dialog's fields do not make a render, as one line.
public struct FinalRenderProblem: Error, Hashable, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}

/// What the background final render reports.
public enum FinalRenderEvent: Hashable, Sendable {
    case progress(FinalRenderProgress)
    case finished(path: String, width: Int, height: Int, seconds: Double)
    case failed(message: String)
    case cancelled
}

/// The "render final" action: `f` opens the dialog (or, while a render runs, cancels it); Enter starts a
/// coarse-to-fine render from the live image in the background; the live run pauses meanwhile.
extension StudioReducer {
    /// Long sides offered: 1024, 2048 and the photo's own (when different).
    static let finalRenderSizes = [1024, 2048]

    func finalRenderKey(in model: inout StudioModel) -> [StudioEffect] {
        if model.finalRender != nil {
            model.message = StatusMessage("cancelling the final render…")
            return [.cancelFinalRender]
        }
        guard model.image != nil, let content = model.content, model.style != nil else {
            model.message = StatusMessage("no live result to render from yet", isError: true)
            return []
        }
        let own = max(content.image.width, content.image.height)
        var choices = Self.finalRenderSizes
        if !choices.contains(own) { choices.append(own) }
        var dialog = FinalRenderDialog(sizeChoices: choices, name: defaultFinalName(model))
        refreshEstimate(&dialog, model: model)
        model.overlays.append(.finalRender(dialog))
        guard !model.iterationCalibrationRequested else { return [] }
        model.iterationCalibrationRequested = true
        return [.calibrateIterationCost]
    }

    /// The dialog's estimate again, when it is on top (the calibration came in).
    func refreshOpenFinalRenderDialog(_ model: inout StudioModel) {
        guard case .finalRender(var dialog) = model.overlays.last else { return }
        refreshEstimate(&dialog, model: model)
        model.overlays[model.overlays.count - 1] = .finalRender(dialog)
    }

    /// `final-0001.png` …: the first name that does not exist in the current directory.
    func defaultFinalName(_ model: StudioModel) -> String {
        for number in 1...99_999 {
            let name = "final-" + String(repeating: "0", count: max(0, 4 - String(number).count)) + "\(number).png"
            if !environment.fileExists(FileListing.resolve(name, against: environment.currentDirectory,
                                                           home: environment.homeDirectory)) {
                return name
            }
        }
        return "final.png"
    }

    func handleFinalRenderKey(_ key: Key, dialog: FinalRenderDialog, in model: inout StudioModel) -> [StudioEffect] {
        var dialog = dialog
        let fields = FinalRenderDialog.Field.allCases
        switch key {
        case .escape:
            model.overlays.removeLast()
            return []
        case .enter:
            return submitFinalRender(dialog, in: &model)
        case .tab, .down:
            dialog.field = fields[(dialog.field.rawValue + 1) % fields.count]
        case .backTab, .up:
            dialog.field = fields[(dialog.field.rawValue + fields.count - 1) % fields.count]
        case .left where dialog.field == .size, .right where dialog.field == .size:
            let current = dialog.sizeChoices.firstIndex(of: Int(dialog.sizeText) ?? -1) ?? -1
            let step = key == .left ? -1 : 1
            let next = ((current + step) % dialog.sizeChoices.count + dialog.sizeChoices.count) % dialog.sizeChoices.count
            dialog.sizeText = String(dialog.sizeChoices[next])
        case .backspace, .delete:
            if !dialog.focusedText.isEmpty { dialog.focusedText.removeLast() }
        case .control("u"):
            dialog.focusedText = ""
        case .character(let character) where !character.isNewline:
            dialog.focusedText.append(character)
        default:
            return []
        }
        refreshEstimate(&dialog, model: model)
        model.overlays[model.overlays.count - 1] = .finalRender(dialog)
        return []
    }

    func refreshEstimate(_ dialog: inout FinalRenderDialog, model: StudioModel) {
        switch Self.finalRenderRequest(dialog, model: model, environment: environment) {
        case .failure(let problem):
            dialog.estimateLines = [problem.message]
        case .success(let request):
            let estimate = Self.finalRenderEstimate(request, model: model)
            let live = model.image.map { "from the live \($0.width)×\($0.height) image" } ?? ""
            let timed = estimate.flopsPerSecond > 1
            var lines = [live]
            for (index, stage) in estimate.stages.enumerated() {
                let time = timed ? "~" + RenderEstimate.duration(stage.seconds) : "time after a few live iterations"
                let memory = RenderEstimate.megabytes(stage.peakBytes)
                lines.append("stage \(index + 1): \(stage.width)×\(stage.height), \(stage.iterations) it, \(memory), \(time)")
            }
            let total = RenderEstimate.duration(estimate.totalSeconds)
            lines.append("total: about \(total) at the live run's speed; memory beyond the studio's")
            dialog.estimateLines = lines
        }
    }

    /// The request the dialog describes, or one line saying what is wrong with it.
    static func finalRenderRequest(_ dialog: FinalRenderDialog, model: StudioModel,
                                   environment: StudioEnvironment) -> Result<FinalRenderRequest, FinalRenderProblem> {
        guard let live = model.image, let content = model.content, !model.styles.isEmpty else {
            return .failure(FinalRenderProblem("no live result to render from yet"))
        }
        guard let size = Int(dialog.sizeText.trimmingCharacters(in: .whitespaces)),
              SettingTable.size.allowed.contains(size) else {
            return .failure(FinalRenderProblem("the size must be a whole number of pixels from \(SettingTable.size.allowed.lowerBound) " +
                                          "to \(SettingTable.size.allowed.upperBound)"))
        }
        var iterations: [Int]?
        let listText = dialog.iterationsText.trimmingCharacters(in: .whitespaces)
        if !listText.isEmpty {
            let values = listText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil }) else {
                return .failure(FinalRenderProblem("iterations: whole numbers separated by commas, one per stage"))
            }
            iterations = values.map { $0! }
        }
        var name = dialog.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return .failure(FinalRenderProblem("type a file name")) }
        if !ImageFileKind.isJPEG(name) && !name.lowercased().hasSuffix(".png") { name += ".png" }
        let path = FileListing.resolve(name, against: environment.currentDirectory, home: environment.homeDirectory)
        let start = max(live.width, live.height)
        do {
            var schedule = try RenderSchedule.coarseToFine(target: size, start: start, startIsDone: true)
            if let iterations {
                schedule = try RenderSchedule.scales(schedule.stages.map(\.longSide), iterations: iterations)
            }
            return .success(FinalRenderRequest(content: content.image, styles: model.styles.map(\.image), settings: model.settings,
                                               liveImage: live, schedule: schedule, path: path))
        } catch {
            return .failure(FinalRenderProblem("\(error)"))
        }
    }

    /// Predicted peak memory (of the render itself, beyond what the studio holds) and time of each stage;
    /// the time from the live run's seconds per iteration and, once timed, iterations at 64 px (the fixed part
    /// of an iteration, `IterationCost`).
    static func finalRenderEstimate(_ request: FinalRenderRequest, model: StudioModel) -> RenderEstimate {
        let plans = request.schedule.stages.map { stage in
            var settings = request.settings
            settings.size = stage.longSide
            return TransferMemoryPlan(settings: settings, contentWidth: request.content.width,
                                      contentHeight: request.content.height, styleWidth: request.style.width,
                                      styleHeight: request.style.height)
        }
        let live = TransferMemoryPlan(settings: request.settings, contentWidth: request.content.width,
                                      contentHeight: request.content.height, styleWidth: request.style.width,
                                      styleHeight: request.style.height)
        let seconds = model.run.secondsPerIteration
        let cost = seconds > 0
            ? IterationCost.fitted(small: model.iterationCalibration,
                                   large: .init(flops: live.effectiveFlopsPerIteration, seconds: seconds))
            : IterationCost(flopsPerSecond: 1)
        return RenderEstimate(plans: plans, schedule: request.schedule, cost: cost, baseBytes: 0)
    }

    func submitFinalRender(_ dialog: FinalRenderDialog, in model: inout StudioModel) -> [StudioEffect] {
        switch Self.finalRenderRequest(dialog, model: model, environment: environment) {
        case .failure(let problem):
            model.message = StatusMessage(problem.message, isError: true)
            return []
        case .success(let request):
            if environment.fileExists(request.path) {
                model.message = StatusMessage("\(request.path.lastComponent) exists: choose another name", isError: true)
                return []
            }
            model.overlays.removeLast()
            var running = model.run.state == .running
            if case .preparing = model.run.state, model.run.settledState == .running { running = true }
            model.finalRender = FinalRenderStatus(path: request.path, stageCount: request.schedule.stages.count,
                                                  resumeLive: running)
            model.message = nil
            return (running ? [.pause] : []) + [.startFinalRender(request)]
        }
    }

    func absorb(_ event: FinalRenderEvent, into model: inout StudioModel) -> [StudioEffect] {
        guard var status = model.finalRender else { return [] }
        switch event {
        case .progress(let progress):
            status.stage = progress.stage
            status.stageCount = progress.stageCount
            status.width = progress.width
            status.height = progress.height
            status.iteration = progress.iteration  // steps taken in the stage
            status.iterations = progress.iterations
            status.remaining = progress.remaining
            if let preview = progress.preview { status.preview = preview }
            model.finalRender = status
            return []
        case .finished(let path, let width, let height, let seconds):
            model.message = StatusMessage("final render saved \(path) (\(width)×\(height), \(RenderEstimate.duration(seconds)))")
        case .failed(let message):
            model.message = StatusMessage("final render failed: \(message)", isError: true)
        case .cancelled:
            model.message = StatusMessage("final render cancelled; nothing was written")
        }
        model.finalRender = nil
        return status.resumeLive ? [.resume] : []
    }
}
