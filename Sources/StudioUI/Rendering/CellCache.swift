import Foundation
import ImageIO

/// Converted images, and conversions running in the background: the UI loop asks for cells and gets them
/// at once when cached; otherwise a conversion starts off the main actor (one at a time, newest request per
/// slot wins) and the caller draws the slot's previous cells meanwhile.
@MainActor
final class CellCache {
    private let chafa: Chafa
    private var cache: [PreviewKey: PreviewCells] = [:]
    private var insertionOrder: [PreviewKey] = []
    /// The last cells delivered for each slot (`result`, `content`, `style`, `picker`), shown while a newer one converts.
    private var latestBySlot: [String: PreviewCells] = [:]
    private var queue: [(slot: String, key: PreviewKey, image: RGBImage)] = []
    private var running = false
    /// Bumped on every delivery, so the renderer knows to draw again.
    private(set) var version = 0
    /// Conversions delivered since the last `takeStatistics()`, and their total time.
    private var deliveredCount = 0
    private var deliveredSeconds = 0.0
    static let capacity = 12

    init(chafa: Chafa) {
        self.chafa = chafa
    }

    /// Cells for `key` if converted; otherwise schedules the conversion and returns the slot's latest cells (or nil).
    func cells(slot: String, key: PreviewKey, image: RGBImage) -> PreviewCells? {
        if let cells = cache[key] { return cells }
        if let index = queue.firstIndex(where: { $0.slot == slot }) {
            queue[index] = (slot, key, image)
        } else {
            queue.append((slot, key, image))
        }
        startNext()
        return latestBySlot[slot]
    }

    /// Conversions finished since the last call: how many, and seconds spent (off the main actor).
    func takeStatistics() -> (count: Int, seconds: Double) {
        defer { deliveredCount = 0; deliveredSeconds = 0 }
        return (deliveredCount, deliveredSeconds)
    }

    private func startNext() {
        guard !running, !queue.isEmpty else { return }
        let job = queue.removeFirst()
        if cache[job.key] != nil {
            startNext()
            return
        }
        running = true
        let chafa = self.chafa
        Task.detached(priority: .userInitiated) {
            let start = ContinuousClock.now
            let cells = chafa.cells(for: job.image, columns: job.key.columns, rows: job.key.rows)
            let seconds = (ContinuousClock.now - start).seconds
            await self.deliver(slot: job.slot, key: job.key, cells: cells, seconds: seconds)
        }
    }

    private func deliver(slot: String, key: PreviewKey, cells: PreviewCells, seconds: Double) {
        running = false
        cache[key] = cells
        insertionOrder.append(key)
        if insertionOrder.count > Self.capacity { cache[insertionOrder.removeFirst()] = nil }
        latestBySlot[slot] = cells
        deliveredCount += 1
        deliveredSeconds += seconds
        version += 1
        startNext()
    }
}
