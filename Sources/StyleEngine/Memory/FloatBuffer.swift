import Foundation
import Synchronization

/// A zero-initialised, 64-byte aligned float buffer that the engine plans once per image size and reuses
/// every iteration. Owned by one isolation domain at a time (the session's), hence `@unchecked Sendable`.
///
/// Large buffers are mapped straight from the kernel (zeroed pages, committed on first touch, returned
/// in full when freed), so that planning and re-planning for other sizes never leaves the process
/// holding freed memory the allocator keeps for later; only inside `recycling` (while a run is planned) is
/// a freed mapping kept, for the next buffer, and whatever is left is returned when it ends.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    private let mappedBytes: Int
    /// What holds the memory of a buffer that views someone else's (nil: the buffer owns its memory).
    private let owner: AnyObject?

    /// From this size on, buffers are mapped rather than allocated.
    static let mappingThreshold = 1 << 20

    /// `zeroed: false` is for buffers whose floats are always written before they are read (a network's
    /// working maps and scratch): a recycled mapping is then handed over as its last owner left it. Zeroing it
    /// would touch every page, committing (a page fault each) the pages the last owner never used, which the new
    /// one may not use either: the workers' scratch is sized for the largest layer of either pass, which a
    /// painting's forward-only network does not fill (zeroing it cost 6,000 faults, 13 ms of a 256 px start).
    public init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0)
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        owner = nil
        if bytes >= Self.mappingThreshold, let recycled = Self.recycledMapping(bytes: bytes) {
            if zeroed { memset(recycled.address, 0, min(bytes, recycled.usedBytes)) }
            mappedBytes = recycled.bytes
            pointer = recycled.address.bindMemory(to: Float.self, capacity: max(count, 1))
            return
        }
        if bytes >= Self.mappingThreshold,
           let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           address != MAP_FAILED {
            mappedBytes = bytes
            pointer = address.bindMemory(to: Float.self, capacity: max(count, 1))
            return
        }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        if zeroed { memset(raw, 0, bytes) }
        mappedBytes = 0
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// A buffer over memory `owner` keeps alive (e.g. part of a mapped file), which must be 64-byte aligned.
    init(viewing pointer: UnsafeMutablePointer<Float>, count: Int, owner: AnyObject) {
        precondition(Int(bitPattern: pointer) % 64 == 0)
        self.count = count
        self.pointer = pointer
        self.owner = owner
        mappedBytes = 0
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if owner != nil { return }
        if mappedBytes > 0 {
            if !Self.keepForRecycling(UnsafeMutableRawPointer(pointer), bytes: mappedBytes) { munmap(pointer, mappedBytes) }
        } else {
            free(pointer)
        }
    }

    // MARK: - Recycling while a run is planned

    /// Mappings freed inside `recycling`, kept for the buffers allocated next; and how many `recycling` calls
    /// are open.
    private struct RecycledMappings: ~Copyable {
        /// Addresses as integers: what a mutex holds must be sendable, and these are only handed back to mmap's owner.
        var mappings: [(address: UInt, bytes: Int)] = []
        var depth = 0
    }
    private static let recycled = Mutex(RecycledMappings())

    /// A recycled mapping is used for a buffer of at least this share of its size (so a small buffer does not
    /// hold a large mapping for the rest of the run).
    static let recyclingFit = 0.75

    /// Runs `body`, in which large buffers freed are kept and handed to buffers allocated afterwards (zeroed
    /// again, grown if need be) instead of being unmapped; whatever is left is unmapped at the end. Planning a run
    /// frees the style images' networks just before the objective's network of a similar shape is allocated: a fresh
    /// page costs a page fault (3–8 µs each on the machines measured; recycling saved about 23,000 of them for a
    /// 256 px plan when every layer still had a map of its own) where zeroing a page that is already there costs a
    /// fraction of that.
    public static func recycling<Result>(_ body: () throws -> Result) rethrows -> Result {
        recycled.withLock { $0.depth += 1 }
        defer {
            let leftovers = recycled.withLock { state -> [(address: UInt, bytes: Int)] in
                state.depth -= 1
                guard state.depth == 0 else { return [] }
                defer { state.mappings = [] }
                return state.mappings
            }
            for mapping in leftovers { munmap(UnsafeMutableRawPointer(bitPattern: mapping.address), mapping.bytes) }
        }
        return try body()
    }

    /// A kept mapping for a buffer of `bytes`, taken out of the pool: the smallest that holds `bytes` and fits it
    /// closely enough; when none does, the largest smaller one, grown to `bytes` (its pages keep what they hold,
    /// the added ones are fresh zero pages: `usedBytes` says how much of it a last owner may have written). A
    /// photo a little larger than the painting (chelsea_cat at 256×170 after starry_night at 256×160) thus
    /// reuses every map of the painting's network: unmapping them instead cost 12,000 page faults, 18 ms of CPU,
    /// of a cold 256 px start (`perf stat`). Either way the pool never adds to the peak.
    private static func recycledMapping(bytes: Int) -> (address: UnsafeMutableRawPointer, bytes: Int, usedBytes: Int)? {
        let taken = recycled.withLock { state -> (address: UInt, bytes: Int)? in
            guard state.depth > 0 else { return nil }
            let sizes = state.mappings.map(\.bytes)
            let closeFit = sizes.indices.filter { sizes[$0] >= bytes && Double(bytes) >= recyclingFit * Double(sizes[$0]) }
                .min { sizes[$0] < sizes[$1] }
            guard let index = closeFit ?? sizes.indices.filter({ sizes[$0] < bytes }).max(by: { sizes[$0] < sizes[$1] })
            else { return nil }
            return state.mappings.remove(at: index)
        }
        guard let taken, let address = UnsafeMutableRawPointer(bitPattern: taken.address) else { return nil }
        if taken.bytes >= bytes { return (address, taken.bytes, taken.bytes) }
        guard let grown = SystemMemory.growMapping(address, from: taken.bytes, to: bytes) else {
            munmap(address, taken.bytes)
            return nil
        }
        return (grown, bytes, taken.bytes)
    }

    /// Whether the mapping at `address` is kept for recycling (tests).
    static func isKeptForRecycling(_ address: UnsafeMutableRawPointer) -> Bool {
        recycled.withLock { state in state.mappings.contains { $0.address == UInt(bitPattern: address) } }
    }

    /// Keeps a freed mapping for recycling when a `recycling` call is open.
    private static func keepForRecycling(_ address: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        recycled.withLock { state in
            guard state.depth > 0 else { return false }
            state.mappings.append((UInt(bitPattern: address), bytes))
            return true
        }
    }

    public var bytes: Int { count * MemoryLayout<Float>.stride }

    public func zero() { memset(pointer, 0, bytes) }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count)
        pointer.update(from: other.pointer, count: count)
    }

    public subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
