import Foundation
import ImageIO
import StyleEngine

/// The studio's optimization, as an actor: it owns the weights, the planned run and the optimizer, and
/// works in the background. The UI sends it images, settings and commands, and observes it through
/// `snapshots`, which keeps only the newest snapshot, so a slow reader skips instead of falling behind.
///
/// Settings sent while it runs take effect at the next iteration: the current image is kept (resized if
/// the size changed) and the optimizer's history is cleared. Rapid changes collapse: only the newest
/// pending settings are applied.
public actor StyleSession {
    public nonisolated let snapshots: AsyncStream<SessionSnapshot>
    private let continuation: AsyncStream<SessionSnapshot>.Continuation

    /// The weights every run of this session uses (a final render shares them).
    let weights: VGG19Weights
    private let log: IterationLog?
    private(set) var content: RGBImage?
    private(set) var styles: [RGBImage] = []
    private var settings: StyleSettings
    private var pendingSettings: StyleSettings?
    private var settingsGeneration = 0
    private var rejectionCount = 0
    private var rejection: String?
    private var isShutDown = false
    private var transfer: StyleTransfer?
    private var state: SessionState = .idle
    private var iterationLimit: Int?
    private var latest: IterationRecord?
    private var worker: Task<Void, Never>?

    public init(weights: VGG19Weights, settings: StyleSettings = StyleSettings(), log: URL? = nil) throws {
        self.weights = weights
        self.settings = settings
        self.log = try log.map { try IterationLog(url: $0) }
        (snapshots, continuation) = AsyncStream.makeStream(of: SessionSnapshot.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Sets the content photo and style painting (original resolution). Plans a new run; if one was
    /// running it continues from the new images' init.
    public func load(content: RGBImage, style: RGBImage) {
        load(content: content, styles: [style])
    }

    /// Sets the content photo and one or more style paintings (blended by `settings.objective.styleBlend`).
    public func load(content: RGBImage, styles: [RGBImage]) {
        guard !isShutDown, !styles.isEmpty else { return }
        self.content = content
        self.styles = styles
        let wasRunning = state == .running
        transfer = nil
        AllocatorPolicy.releaseFreedMemory()
        if wasRunning {
            start()
        } else {
            state = .idle
            publish()
        }
    }

    /// Takes effect at the next iteration (immediately when nothing runs).
    public func apply(_ newSettings: StyleSettings) {
        guard !isShutDown else { return }
        pendingSettings = newSettings
        if state != .running { applyPendingSettings() }
    }

    /// (Re)starts from the init image and runs until paused, stopped, or the iteration limit.
    public func start() {
        guard !isShutDown else { return }
        applyPendingSettings()
        guard prepareTransfer() else { return }
        do {
            try transfer?.restart()
        } catch {
            fail(error)
            return
        }
        latest = nil
        state = .running
        publish()
        startWorker()
    }

    public func pause() {
        guard state == .running else { return }
        state = .paused
        publish()
    }

    public func resume() {
        guard !isShutDown, state == .paused || state == .finished, let transfer else { return }
        // Continuing past the iteration limit is what the user asked for: the limit is lifted.
        if let limit = iterationLimit, transfer.iteration >= limit { iterationLimit = nil }
        state = .running
        publish()
        startWorker()
    }

    /// Stops iterating; the image becomes the best one evaluated since the last change (what `w` saves).
    public func stop() {
        guard state == .running || state == .paused else { return }
        transfer?.returnToBestImage()
        state = .finished
        publish()
    }

    /// Stops after `limit` iterations in all (nil: runs until paused or stopped).
    public func setIterationLimit(_ limit: Int?) {
        iterationLimit = limit
    }

    /// The current image at working size, if a run exists.
    public func currentImage() -> RGBImage? { transfer?.currentImage }

    /// The settings of the current run (pending ones included).
    public func currentSettings() -> StyleSettings { pendingSettings ?? settings }

    /// Stops the worker and waits for it. Call before the process exits: returning from `main` while
    /// a BLAS call runs on another thread deadlocks in OpenBLAS's exit handler.
    public func shutdown() async {
        isShutDown = true
        if state == .running || state == .paused { state = .finished }
        worker?.cancel()
        await worker?.value
        worker = nil
        continuation.finish()
    }

    // MARK: - Work

    private func startWorker() {
        guard worker == nil else { return }
        worker = Task { await self.work() }
    }

    private func work() async {
        defer { worker = nil }
        while !Task.isCancelled, state == .running {
            applyPendingSettings()
            guard state == .running, let transfer else { break }
            if let limit = iterationLimit, transfer.iteration >= limit {
                state = .finished
                publish()
                break
            }
            do {
                let record = try transfer.step()
                latest = record
                try log?.append(record)
                publish()
            } catch {
                fail(error)
                break
            }
            await Task.yield()
        }
    }

    private func applyPendingSettings() {
        guard let newSettings = pendingSettings else { return }
        pendingSettings = nil
        guard newSettings != settings else { return }
        let previousState = state
        if let transfer {
            state = .preparing("applying settings")
            publish()
            do {
                try transfer.apply(newSettings)
            } catch {
                // Refused: the run goes on as it was, with the settings it had; say why.
                state = previousState
                rejectionCount += 1
                rejection = "\(error)"
                publish()
                return
            }
            state = previousState
        }
        settings = newSettings
        settingsGeneration += 1
        publish()
    }

    /// Creates the run for the loaded images if there is none; false (and a failed state) if impossible.
    private func prepareTransfer() -> Bool {
        if transfer != nil { return true }
        guard let content, !styles.isEmpty else {
            state = .failed("load a content photo and a style painting first")
            publish()
            return false
        }
        state = .preparing("computing the content features and style Gram matrices")
        publish()
        do {
            transfer = try StyleTransfer(weights: weights, content: content, styles: styles, settings: settings)
            return true
        } catch {
            fail(error)
            return false
        }
    }

    private func fail(_ error: Error) {
        transfer?.returnToBestImage()
        state = .failed("\(error)")
        publish()
    }

    private func publish() {
        continuation.yield(SessionSnapshot(
            iteration: transfer?.iteration ?? 0, losses: latest?.losses, secondsPerIteration: latest?.seconds ?? 0,
            image: transfer?.currentImage, state: state, settings: settings, settingsGeneration: settingsGeneration,
            rejectionCount: rejectionCount, rejection: rejection))
    }
}
