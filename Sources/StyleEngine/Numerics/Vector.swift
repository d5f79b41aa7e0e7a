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
