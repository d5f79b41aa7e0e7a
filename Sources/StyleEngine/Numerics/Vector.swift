/// Sixteen floats at a time (one AVX-512 register; two AVX2 ones): the width of the engine's
/// hand-vectorised loops. Channel counts of the Winograd layers are multiples of it.
enum Vector {
    typealias Value = SIMD16<Float>
    static let width = 16

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Value {
        UnsafeRawPointer(pointer).loadUnaligned(as: Value.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Value { load(UnsafePointer(pointer)) }

    /// Eight floats, for sums in double precision (eight doubles fill a register).
    @inline(__always)
    static func loadEight(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func loadEight(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> { loadEight(UnsafePointer(pointer)) }

    @inline(__always)
    static func storeEight(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// max(value, 0) lane by lane (a select, so it vectorises; NaN lanes stay NaN).
    @inline(__always)
    static func rectified(_ value: Value) -> Value {
        value.replacing(with: 0, where: value .< 0)
    }

    @inline(__always)
    static func store(_ value: Value, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Value.self)
    }
}
