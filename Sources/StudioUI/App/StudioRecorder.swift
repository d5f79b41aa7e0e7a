import Foundation
import ImageIO
import StudioCore

/// Whether the studio is recording a time-lapse (`t` starts and stops it).
public enum RecordingState: Hashable, Sendable {
    case starting
    case recording(path: String)
}

/// The studio's time-lapse: watches every session snapshot (on the main actor, cheaply) and hands the frames
/// that are due to one background task that owns the `Timelapse` and encodes them, so the UI never waits for
/// an encoder. A frame is due every `Timelapse.defaultEvery` iterations and at the first iteration after every
/// settings change, so the animation shows the person steering; a restart is followed too.
@MainActor
final class StudioRecorder {
    let path: String
    private let frames: AsyncStream<RGBImage>.Continuation
    private let encoder: Task<Result<Int, Error>, Never>
    private var lastIteration: Int?
    private var lastGeneration: Int?
    private let every: Int

    /// Checks the path now; the file appears (atomically) when the recording stops.
    init(path: String, every: Int = Timelapse.defaultEvery) throws {
        let timelapse = try Timelapse(path: path, every: every)
        self.path = path
        self.every = every
        // Bounded: if the encoder ever falls behind, the oldest waiting frames are dropped, not memory.
        let (stream, continuation) = AsyncStream.makeStream(of: RGBImage.self, bufferingPolicy: .bufferingNewest(16))
        frames = continuation
        encoder = Task.detached {
            var count = 0
            do {
                for await frame in stream {
                    try timelapse.capture(frame, iteration: count)
                    count += 1
                }
                return .success(try timelapse.finish(final: nil, iteration: nil))
            } catch {
                timelapse.discard()
                for await _ in stream {}  // drain, so the UI's frames are dropped, not queued
                return .failure(error)
            }
        }
    }

    /// Takes the snapshot's image when a frame is due.
    func observe(_ snapshot: SessionSnapshot) {
        guard let image = snapshot.image else { return }
        let iteration = snapshot.iteration, generation = snapshot.settingsGeneration
        if let lastIteration, let lastGeneration {
            let steered = generation != lastGeneration && iteration != lastIteration
            let restarted = iteration < lastIteration
            guard steered || restarted || iteration - lastIteration >= every else { return }
        }
        lastIteration = iteration
        lastGeneration = generation
        frames.yield(image)
    }

    /// Stops recording and writes the file; returns the frames the file holds, or throws the encoder's error.
    func finish() async throws -> Int {
        frames.finish()
        return try await encoder.value.get()
    }

    /// `stylestudio-timelapse-YYYYMMDD-HHMMSS.webp` in `folder`.
    static func defaultPath(in folder: String, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return (folder as NSString).appendingPathComponent("stylestudio-timelapse-\(formatter.string(from: now)).webp")
    }
}
