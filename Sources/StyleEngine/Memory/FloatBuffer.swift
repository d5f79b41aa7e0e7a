import Foundation

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
        if bytes >= Self.mappingThreshold, let recycled = MappingPool.current?.take(bytes: bytes) {
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
            if let pool = MappingPool.current {
                pool.keep(UnsafeMutableRawPointer(pointer), bytes: mappedBytes)
            } else {
                munmap(pointer, mappedBytes)
            }
        } else {
            free(pointer)
        }
    }

    // MARK: - Recycling while a run is planned

    /// Runs `body`, in which large buffers freed are kept and handed to buffers allocated afterwards (zeroed
    /// again, grown if need be: `MappingPool`) instead of being unmapped; whatever is left is unmapped at the end.
    /// Planning a run frees the style images' networks just before the objective's network of a similar shape is
    /// allocated: a fresh page costs a page fault (3–8 µs each on the machines measured; recycling saved about
    /// 23,000 of them for a 256 px plan when every layer still had a map of its own) where zeroing a page that is
    /// already there costs a fraction of that. Only buffers freed and made on the caller's task (or thread) take
    /// part; a scope inside another uses the outer one's pool.
    public static func recycling<Result>(_ body: () throws -> Result) rethrows -> Result {
        if MappingPool.current != nil { return try body() }
        let pool = MappingPool()
        defer { pool.unmapAll() }
        return try MappingPool.$current.withValue(pool, operation: body)
    }

    /// Whether the mapping at `address` is kept for recycling in the current scope (tests).
    static func isKeptForRecycling(_ address: UnsafeMutableRawPointer) -> Bool {
        MappingPool.current?.contains(address) ?? false
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
