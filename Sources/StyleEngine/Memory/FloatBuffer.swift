import Foundation

/// A zero-initialised, 64-byte aligned float buffer that the engine plans once per image size and reuses
/// every iteration. Owned by one isolation domain at a time (the session's), hence `@unchecked Sendable`.
///
/// Large buffers are mapped straight from the kernel (zeroed pages, committed on first touch, returned
/// in full when freed), so that planning and re-planning for other sizes never leaves the process
/// holding freed memory the allocator keeps for later.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    private let mappedBytes: Int

    /// From this size on, buffers are mapped rather than allocated.
    static let mappingThreshold = 1 << 20

    public init(count: Int) {
        precondition(count >= 0)
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
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
        memset(raw, 0, bytes)
        mappedBytes = 0
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if mappedBytes > 0 {
            munmap(pointer, mappedBytes)
        } else {
            free(pointer)
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
