/// One bit per float of a padded map, sixteen to a word (one `Vector`, bit i = lane i): where the gradient
/// passes a layer's ReLU on its way down, and for a layer followed by a max pooling, also that pooling (the
/// bit is set only on its window's first maximum). 1/32 of the map it stands for: a network keeps these for
/// the layers that carry no loss instead of their activations (see `VGG19MemoryPlan`). Border, slack and the
/// odd row or column a pooling drops have their bits clear, so applying a mask also clears those floats.
final class ActivationMask: @unchecked Sendable {
    /// Floats of the map the mask covers (a multiple of `Vector.width`).
    let count: Int
    let words: UnsafeMutablePointer<UInt16>
    /// The memory, planned like every other buffer of the network (mapped, recycled at planning).
    private let storage: FloatBuffer

    init(covering count: Int) {
        precondition(count % Vector.width == 0, "masks cover whole vectors")
        self.count = count
        storage = FloatBuffer(count: Self.storageFloats(covering: count))
        words = UnsafeMutableRawPointer(storage.pointer).bindMemory(to: UInt16.self, capacity: count / Vector.width)
    }

    var wordCount: Int { count / Vector.width }
    var bytes: Int { storage.bytes }

    /// Floats of storage a mask of a `count`-float map takes (the memory plan's figure).
    static func storageFloats(covering count: Int) -> Int { (count / Vector.width + 1) / 2 }

    /// Clears every bit.
    func clear() { words.update(repeating: 0, count: wordCount) }

    /// Sets the mask to `map > 0` (the ReLU's own mask; NaN counts as not passing, as in `ReLU.backward`).
    func record(positiveOf map: UnsafePointer<Float>) {
        ParallelLoop.runRanges(count: wordCount) { _, range in
            for word in range { words[word] = Self.bits(Vector.load(map + word * Vector.width) .> 0) }
        }
    }

    /// Bit i of a word is lane i.
    private static let laneShifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    // Written for the code the compiler makes: a select keyed by a mask from a float comparison becomes one
    // vector blend, but a mask from an integer comparison was selected lane by lane (measured: the masked
    // pooling backward took 5.5% of an iteration instead of under 1%). So the lanes go to bits through a
    // float select and integer shifts, and come back as an integer AND, with no mask in between.

    /// The sixteen lanes of a comparison of floats as one word.
    @inline(__always)
    static func bits(_ lanes: SIMDMask<SIMD16<Int32>>) -> UInt16 {
        let ones = Vector.Value(repeating: 0).replacing(with: 1, where: lanes)   // 1.0 is 0x3F800000
        let flags = (unsafeBitCast(ones, to: SIMD16<UInt32>.self) &>> 23) & 1
        return UInt16(truncatingIfNeeded: (flags &<< laneShifts).wrappedSum())
    }

    /// `value` where the word's bit is set, +0 elsewhere (NaN included: the same as a select).
    @inline(__always)
    static func keep(_ value: Vector.Value, where word: UInt16) -> Vector.Value {
        let flags = (SIMD16<UInt32>(repeating: UInt32(word)) &>> laneShifts) & 1
        return unsafeBitCast(unsafeBitCast(value, to: SIMD16<UInt32>.self) & (0 &- flags), to: Vector.Value.self)
    }
}
