import Foundation
import ImageIO
import StudioCore
import Synchronization

/// A final render on its own thread (it runs for minutes; the UI thread and the session's actor never wait
/// on it). Reports progress, with a scaled-down preview at most twice a second, and the outcome through
/// `report`; `cancel()` stops it before its next iteration, and nothing is written then.
final class FinalRenderJob: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// Long side of the previews sent to the studio.
    static let previewSide = 512

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    static func start(_ request: FinalRenderRequest, session: StyleSession,
                      report: @escaping @Sendable (FinalRenderEvent) -> Void) -> FinalRenderJob {
        let job = FinalRenderJob()
        let thread = Thread {
            report(job.run(request, session: session, report: report))
        }
        thread.stackSize = 16 << 20
        thread.start()
        return job
    }

    private func run(_ request: FinalRenderRequest, session: StyleSession,
                     report: @escaping @Sendable (FinalRenderEvent) -> Void) -> FinalRenderEvent {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let render = try session.finalRender(content: request.content, styles: request.styles, settings: request.settings,
                                                 schedule: request.schedule, initialImage: request.liveImage)
            var lastPreview = 0.0
            let image = try render.run(progress: { progress, transfer in
                var preview: RGBImage?
                let last = progress.record.iteration == progress.iterations  // a stage's last record: its last step
                if progress.elapsed - lastPreview >= 0.5 || last {
                    lastPreview = progress.elapsed
                    let current = transfer.currentImage
                    preview = max(current.width, current.height) > Self.previewSide
                        ? current.resized(longSide: Self.previewSide) : current
                }
                report(.progress(FinalRenderProgress(stage: progress.stage, stageCount: progress.stageCount,
                                                     width: progress.width, height: progress.height,
                                                     iteration: progress.record.iteration, iterations: progress.iterations,
                                                     remaining: progress.remaining, preview: preview)))
            }, shouldStop: { self.cancelled.load(ordering: .relaxed) })
            try RenderOutput.write(image, to: URL(fileURLWithPath: request.path))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return .finished(path: request.path, width: image.width, height: image.height, seconds: seconds)
        } catch is CancellationError {
            return .cancelled
        } catch {
            return .failed(message: "\(error)")
        }
    }
}
