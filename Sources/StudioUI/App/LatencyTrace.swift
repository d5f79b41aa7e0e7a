import Foundation

/// `STYLESTUDIO_TRACE=FILE`: one line per key read and per frame drawn, with milliseconds since start,
/// so key-to-screen latency and chafa conversion times can be measured in a running studio.
final class LatencyTrace {
    private let handle: FileHandle
    private let start = ContinuousClock.now
    /// Time of the oldest key not yet shown on screen.
    private var pendingKey: ContinuousClock.Instant?

    init?(path: String?) {
        guard let path, !path.isEmpty, FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else { return nil }
        self.handle = handle
    }

    private func milliseconds(_ instant: ContinuousClock.Instant) -> Double {
        (instant - start).seconds * 1000
    }

    private func write(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }

    func keyRead(_ description: String) {
        let now = ContinuousClock.now
        if pendingKey == nil { pendingKey = now }
        write(String(format: "%.3f key %@", milliseconds(now), description))
    }

    /// A frame: regions drawn, chafa conversions delivered (they ran off the main actor) and the time the
    /// drawing and refresh took on the UI thread.
    func frameDrawn(regions: [String], conversions: Int, conversionSeconds: Double, drawSeconds: Double) {
        let now = ContinuousClock.now
        var line = String(format: "%.3f frame %@ draw_ms=%.3f conversions=%d chafa_ms=%.3f", milliseconds(now),
                          regions.joined(separator: ","), drawSeconds * 1000, conversions, conversionSeconds * 1000)
        if let pendingKey {
            line += String(format: " key_to_screen_ms=%.3f", (now - pendingKey).seconds * 1000)
            self.pendingKey = nil
        }
        write(line)
    }
}
