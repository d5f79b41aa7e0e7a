import Foundation
import ImageIO
import SafeIO
import StudioCore

/// Where the studio starts: settings, images already loaded, the active preset.
public struct StudioLaunch: Sendable {
    public var settings: StyleSettings
    public var content: LoadedImage?
    /// The style paintings (`--style FILE[:WEIGHT]`, repeatable; their weights are in `settings`).
    public var styles: [LoadedImage]
    public var preset: ActivePreset?
    /// One line shown in the footer at start (preset warnings and the like).
    public var message: StatusMessage?
    /// `--iterations N` (the session is told separately); the studio says when the run stops there.
    public var iterationLimit: Int?
    /// `--colors` and `--graphics`.
    public var terminal = TerminalRequest()

    public init(settings: StyleSettings, content: LoadedImage? = nil, style: LoadedImage? = nil,
                styles: [LoadedImage] = [], preset: ActivePreset? = nil, message: StatusMessage? = nil) {
        self.settings = settings
        self.content = content
        self.styles = style.map { [$0] } ?? styles
        self.preset = preset
        self.message = message
    }
}

/// The studio's main loop. One thread owns curses (the main actor): it polls input with a 30 ms timeout,
/// folds input, the newest session snapshot and finished background work into the model through
/// `StudioReducer`, carries out the effects, draws what changed, and yields. Session calls go through an
/// ordered queue on their own task, so the loop never waits for an iteration to finish.
@MainActor
public final class StudioApp {
    private let session: StyleSession
    private let presetStore: PresetStore
    private let reducer: StudioReducer
    private var model: StudioModel
    private var latestSnapshot: SessionSnapshot?
    private var pendingEvents: [StudioEvent] = []
    private var throttle = ApplyThrottle(interval: 0.1)
    private let commands: AsyncStream<SessionCommand>
    private let commandSink: AsyncStream<SessionCommand>.Continuation
    private var shouldQuit = false
    private let started = ContinuousClock.now
    private let trace: LatencyTrace?
    private let logPath: String?
    private let terminalRequest: TerminalRequest
    private var finalRenderJob: FinalRenderJob?
    private var recorder: StudioRecorder?

    enum SessionCommand: Sendable {
        case apply(StyleSettings)
        case start, pause, resume, stop
        case load(content: RGBImage, styles: [RGBImage])
    }

    /// Input poll timeout: the longest the loop waits for a key before looking at snapshots again.
    public static let pollMilliseconds: Int32 = 30

    public init(session: StyleSession, launch: StudioLaunch, presetStore: PresetStore,
                environment: StudioEnvironment = .live(), logPath: String? = StudioApp.defaultLogPath(),
                tracePath: String? = ProcessInfo.processInfo.environment["STYLESTUDIO_TRACE"]) {
        self.session = session
        self.presetStore = presetStore
        self.logPath = logPath
        reducer = StudioReducer(environment: environment)
        model = StudioModel(settings: launch.settings)
        model.content = launch.content
        model.styles = launch.styles
        model.controls.fitPaintings(launch.styles.count)
        model.activePreset = launch.preset
        model.message = launch.message
        model.iterationLimit = launch.iterationLimit
        terminalRequest = launch.terminal
        (commands, commandSink) = AsyncStream.makeStream(of: SessionCommand.self)
        trace = LatencyTrace(path: tracePath)
    }

    /// `$XDG_STATE_HOME/stylestudio/studio.log` (default `~/.local/state/stylestudio/studio.log`): stderr while curses runs.
    public nonisolated static func defaultLogPath() -> String {
        UserDirectories.folder(.state).appending("studio.log").string
    }

    private var now: Double { (ContinuousClock.now - started).seconds }

    /// Runs the studio until the user quits; restores the terminal and shuts the session down before returning.
    /// Throws `TerminalError` when the terminal cannot be used (nothing was drawn then).
    public func run() async throws -> Int32 {
        let profile = TerminalProfile.detect(request: terminalRequest)
        model.graphicsProtocol = profile.graphics
        let terminal = try Terminal.start(logPath: logPath, profile: profile)
        let renderer = StudioRenderer(terminal: terminal)
        let snapshotReader = Task { @MainActor [session] in
            for await snapshot in session.snapshots {
                self.latestSnapshot = snapshot
                self.recorder?.observe(snapshot)
            }
        }
        let commandRunner = Task { @MainActor [session, commands] in
            for await command in commands {
                switch command {
                case .apply(let settings): await session.apply(settings)
                case .start: await session.start()
                case .pause: await session.pause()
                case .resume: await session.resume()
                case .stop: await session.stop()
                case .load(let content, let styles): await session.load(content: content, styles: styles)
                }
            }
        }
        let size = terminal.curses.size
        model.columns = size.columns
        model.rows = size.rows
        startSession()

        while !shouldQuit {
            var events: [StudioEvent] = []
            var keysRead = false
            var wait = Self.pollMilliseconds
            while events.count < 64, let input = terminal.curses.readInput(waitingUpTo: wait) {
                wait = 0
                switch input {
                case .key(let key):
                    events.append(.key(key))
                    keysRead = true
                    trace?.keyRead("\(key)")
                case .mouse(let mouse):
                    events.append(.mouse(mouse))
                    keysRead = true
                    trace?.keyRead("\(mouse)")
                case .resize:
                    let size = terminal.curses.size
                    events.append(.resized(columns: size.columns, rows: size.rows))
                    renderer.invalidate()
                }
            }
            if terminal.consumeResumption() {
                // Back from Ctrl-Z: the shell drew over the screen; draw all of it again.
                renderer.invalidate()
                pendingEvents.append(.resized(columns: terminal.curses.size.columns, rows: terminal.curses.size.rows))
            }
            if let snapshot = latestSnapshot {
                latestSnapshot = nil
                events.append(.snapshot(snapshot))
            }
            events += pendingEvents
            pendingEvents.removeAll()
            for event in events {
                perform(reducer.reduce(&model, event))
            }
            if let settings = throttle.due(now: now) { commandSink.yield(.apply(settings)) }
            if shouldQuit { break }
            let renderStart = ContinuousClock.now
            let frame = renderer.render(model)
            if let raw = frame.rawGraphics { terminal.writeRaw(raw) }
            if let trace, keysRead || !frame.regions.isEmpty {
                let parts = frame.regions.map { region in
                    "\(region):" + String(format: "%.1f", (frame.regionSeconds[region] ?? 0) * 1000)
                } + [String(format: "refresh:%.1f", frame.refreshSeconds * 1000)]
                trace.frameDrawn(regions: parts, conversions: frame.conversions,
                                 conversionSeconds: frame.conversionSeconds,
                                 drawSeconds: (ContinuousClock.now - renderStart).seconds)
            }
            await Task.yield()
        }

        terminal.restore()
        snapshotReader.cancel()
        await stopRecording()
        commandSink.finish()
        commandRunner.cancel()
        let notice = Task.detached {
            try await Task.sleep(for: .milliseconds(400))
            StandardError.write("stylestudio: finishing the current iteration...\n")
        }
        await session.shutdown()
        notice.cancel()
        return 0
    }

    /// First effects: hand the launch images and settings to the session and start, or open the picker.
    private func startSession() {
        if let content = model.content, !model.styles.isEmpty {
            perform([.loadSession(content: content.image, styles: model.styles.map(\.image)), .apply(model.settings), .start])
        } else {
            perform([.apply(model.settings)])
            perform(reducer.openPicker(model.content == nil ? .content : .style, in: &model))
        }
    }

    // MARK: - Effects

    private func perform(_ effects: [StudioEffect]) {
        for effect in effects { perform(effect) }
    }

    private func sendToSession(_ command: SessionCommand) {
        // A throttled change must reach the session before any command that follows it.
        if let settings = throttle.flush(now: now) { commandSink.yield(.apply(settings)) }
        commandSink.yield(command)
    }

    private func perform(_ effect: StudioEffect) {
        switch effect {
        case .apply(let settings):
            if let settings = throttle.submit(settings, now: now) { commandSink.yield(.apply(settings)) }
        case .start: sendToSession(.start)
        case .pause: sendToSession(.pause)
        case .resume: sendToSession(.resume)
        case .stop: sendToSession(.stop)
        case .loadSession(let content, let styles): sendToSession(.load(content: content, styles: styles))
        case .loadPaintings(let paths):
            inBackground {
                do {
                    return .paintingsLoaded(try paths.map { try LoadedImage.read(path: $0) })
                } catch {
                    return .imageLoadFailed(.style, message: "\(error)")
                }
            }
        case .loadImage(let role, let path):
            inBackground {
                do {
                    return .imageLoaded(role, try LoadedImage.read(path: path))
                } catch {
                    return .imageLoadFailed(role, message: "\(error)")
                }
            }
        case .previewFile(let path):
            inBackground {
                do {
                    let image = try ImageFile.read(path: path)
                    return .filePreviewLoaded(path: path, image: image.shrunk(toLongSide: LoadedImage.thumbnailSide),
                                              originalSize: ImageSize(width: image.width, height: image.height))
                } catch {
                    return .filePreviewFailed(path: path, message: "\(error)")
                }
            }
        case .saveResult(let image, let path, let version, let thenQuit):
            var outputs = OutputGuard()  // never over the content or style image, a device or a FIFO
            if let content = model.content { outputs.addInput(content.path, role: "content image") }
            for style in model.styles { outputs.addInput(style.path, role: "style image") }
            inBackground { [outputs] in
                do {
                    var outputs = outputs
                    try outputs.checkOutput(path, role: "saved image")
                    try RenderOutput.write(image, to: URL(fileURLWithPath: path))
                    return .resultSaved(path: path, imageVersion: version, thenQuit: thenQuit)
                } catch {
                    return .resultSaveFailed(message: "\(error)")
                }
            }
        case .listPresets:
            do {
                let listings = try presetStore.list().map { entry in
                    PresetListing(name: entry.name, description: entry.description, isShipped: entry.origin == .shipped,
                                  problem: entry.problem.map { "\($0)" })
                }
                pendingEvents.append(.presetsListed(listings))
            } catch {
                pendingEvents.append(.presetFailed(message: "\(error)"))
            }
        case .loadPreset(let name):
            do {
                let loaded = try presetStore.load(nameOrPath: name)
                pendingEvents.append(.presetLoaded(loaded.preset, warnings: loaded.warnings.map(\.message)))
            } catch {
                pendingEvents.append(.presetFailed(message: "\(error)"))
            }
        case .savePreset(let preset, let overwrite):
            do {
                try presetStore.save(preset, overwrite: overwrite)
                pendingEvents.append(.presetSaved(preset))
            } catch {
                pendingEvents.append(.presetFailed(message: "\(error)"))
            }
        case .deletePreset(let name):
            do {
                try presetStore.delete(name: name)
                pendingEvents.append(.presetDeleted(name: name))
            } catch {
                pendingEvents.append(.presetFailed(message: "\(error)"))
            }
        case .startFinalRender(let request):
            finalRenderJob = FinalRenderJob.start(request, session: session) { event in
                Task { @MainActor in self.finalRenderReported(event) }
            }
        case .cancelFinalRender:
            finalRenderJob?.cancel()
        case .calibrateIterationCost:
            Task { @MainActor [session] in
                let sample = await session.calibrateIterationCost()
                self.pendingEvents.append(.iterationCostCalibrated(sample))
            }
        case .startRecording:
            do {
                let recorder = try StudioRecorder(path: StudioRecorder.defaultPath(in: FileManager.default.currentDirectoryPath))
                self.recorder = recorder
                if let image = model.image { recorder.observe(SessionSnapshot(iteration: model.run.iteration, image: image,
                                                                              settingsGeneration: model.run.settingsGeneration)) }
                pendingEvents.append(.recordingStarted(path: recorder.path))
            } catch {
                pendingEvents.append(.recordingFailed(message: "\(error)"))
            }
        case .stopRecording:
            Task { @MainActor in await self.stopRecording() }
        case .quit:
            finalRenderJob?.cancel()
            shouldQuit = true
        }
    }

    private func finalRenderReported(_ event: FinalRenderEvent) {
        if case .progress = event {} else { finalRenderJob = nil }
        pendingEvents.append(.finalRender(event))
    }

    /// Finishes the time-lapse (if one is recording) and reports the file written.
    private func stopRecording() async {
        guard let recorder else { return }
        self.recorder = nil
        do {
            let frames = try await recorder.finish()
            pendingEvents.append(.recordingFinished(path: recorder.path, frames: frames))
            if shouldQuit { StandardError.writeLine("stylestudio: wrote \(recorder.path) (\(frames) frames)") }
        } catch {
            pendingEvents.append(.recordingFailed(message: "\(error)"))
            if shouldQuit { StandardError.writeLine("stylestudio: time-lapse not written: \(error)") }
        }
    }

    /// Runs slow file work off the main actor and feeds its outcome back as an event.
    private func inBackground(_ work: @escaping @Sendable () -> StudioEvent) {
        Task { @MainActor in
            let event = await Task.detached(operation: work).value
            self.pendingEvents.append(event)
        }
    }
}

extension StudioEnvironment {
    /// The real file system and working directory.
    public static func live() -> StudioEnvironment {
        StudioEnvironment(currentDirectory: FileManager.default.currentDirectoryPath,
                          homeDirectory: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory(),
                          fileExists: { FileManager.default.fileExists(atPath: $0) })
    }
}
