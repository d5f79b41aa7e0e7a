import Foundation
import Synchronization

/// The large mappings freed inside one `FloatBuffer.recycling` scope, kept for the buffers that scope allocates
/// next instead of being unmapped. Each scope has its own pool, found through a task-local value: buffers freed or
/// made by other threads or tasks (another session's planning, tests running side by side) never mix with it.
final class MappingPool: Sendable {
    /// The pool of the `recycling` scope the current task (or thread, outside tasks) is in; nil outside any.
    @TaskLocal static var current: MappingPool?

    /// Addresses as integers: what a mutex holds must be sendable, and these are only handed back to mmap's owner.
    private let mappings = Mutex<[(address: UInt, bytes: Int)]>([])

    /// A kept mapping is used as it is for a buffer of at least this share of its size (so a small buffer does not
    /// hold a large mapping for the rest of the run).
    static let closeFit = 0.75

    func keep(_ address: UnsafeMutableRawPointer, bytes: Int) {
        mappings.withLock { $0.append((UInt(bitPattern: address), bytes)) }
    }

    func contains(_ address: UnsafeMutableRawPointer) -> Bool {
        mappings.withLock { $0.contains { $0.address == UInt(bitPattern: address) } }
    }

    /// A kept mapping for a buffer of `bytes`, taken out of the pool: the smallest that holds `bytes` and fits it
    /// closely enough; when none does, the largest smaller one, grown to `bytes` (its pages keep what they hold,
    /// the added ones are fresh zero pages: `usedBytes` says how much of it a last owner may have written). A
    /// photo a little larger than the painting (chelsea_cat at 256×170 after starry_night at 256×160) thus
    /// reuses every map of the painting's network: unmapping them instead cost 12,000 page faults, 18 ms of CPU,
    /// of a cold 256 px start (`perf stat`). Either way the pool never adds to the peak.
    func take(bytes: Int) -> (address: UnsafeMutableRawPointer, bytes: Int, usedBytes: Int)? {
        let taken = mappings.withLock { mappings -> (address: UInt, bytes: Int)? in
            let sizes = mappings.map(\.bytes)
            let closeFit = sizes.indices.filter { sizes[$0] >= bytes && Double(bytes) >= Self.closeFit * Double(sizes[$0]) }
                .min { sizes[$0] < sizes[$1] }
            guard let index = closeFit ?? sizes.indices.filter({ sizes[$0] < bytes }).max(by: { sizes[$0] < sizes[$1] })
            else { return nil }
            return mappings.remove(at: index)
        }
        guard let taken, let address = UnsafeMutableRawPointer(bitPattern: taken.address) else { return nil }
        if taken.bytes >= bytes { return (address, taken.bytes, taken.bytes) }
        guard let grown = SystemMemory.growMapping(address, from: taken.bytes, to: bytes) else {
            munmap(address, taken.bytes)
            return nil
        }
        return (grown, bytes, taken.bytes)
    }

    /// Unmaps what is left (the scope ends).
    func unmapAll() {
        let left = mappings.withLock { mappings in
            defer { mappings = [] }
            return mappings
        }
        for mapping in left { munmap(UnsafeMutableRawPointer(bitPattern: mapping.address), mapping.bytes) }
    }
}
