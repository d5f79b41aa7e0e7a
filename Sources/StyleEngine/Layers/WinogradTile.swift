/// The two Winograd algorithms for a 3×3 kernel, by output tile: F(2×2, 3×3) and F(4×4, 3×3).
///
/// An m×m output tile comes from an n×n input tile, n = m + 2, with n² multiplies per (input, output)
/// channel pair instead of 9m²: 2.25× fewer than a direct convolution for F(2×2), 4× for F(4×4).
///
///   U = G g Gᵀ (kernel, once per weights)   V = Bᵀ d B (input tile)   Y = Aᵀ (U ⊙ V) A (output tile)
///
/// F(2×2) interpolates at 0, 1, −1, ∞. F(4×4) interpolates at 0, 1, −1, 2, ½, ∞ (Lavin & Gray 2015 use
/// 0, ±1, ±2, ∞): a set closed under t → 1/t, with G's rows scaled so that reversing a kernel row maps
/// row j of G onto row σ(j) exactly. The flipped kernel that the image gradient needs therefore has the
/// same transformed matrices, permuted and transposed (`gradientMatrixIndex`), so one copy serves both
/// directions, as for F(2×2). Derived from the Toom-Cook construction (transposed, for correlation):
///
///          [ 1  1  1  1  8  0 ]         [ 2  −5   0   5  −2  0 ]        [ 9   0   0 ]
///     Aᵀ = [ 0  1 −1  2  4  0 ]    Bᵀ = [ 0  −2   3   3  −2  0 ]    G = [ 9   9   9 ] / 18
///          [ 0  1  1  4  2  0 ]         [ 0  −2   7  −7   2  0 ]        [ 1  −1   1 ]
///          [ 0  1 −1  8  1  1 ]         [ 0   1  −2  −1   2  0 ]        [ 1   2   4 ]
///                                       [ 0   2  −1  −2   1  0 ]        [ 4   2   1 ]
///                                       [ 0  −2   5   0  −5  2 ]        [ 0   0   9 ]
///
/// fp32 error of F(4×4) is about twice F(2×2)'s (≈5e-6 relative per layer on VGG-like data); the
/// tests bound it against the naive twin and the PyTorch reference.
enum WinogradTile: Int, Sendable, CaseIterable, CustomStringConvertible {
    case f2x2 = 2
    case f4x4 = 4

    /// Output pixels per tile side (m).
    var outputSide: Int { rawValue }
    /// Input pixels per tile side (n = m + 2).
    var inputSide: Int { rawValue + 2 }
    /// Transformed matrices per kernel, GEMMs per chunk of tiles (n²).
    var matrixCount: Int { inputSide * inputSide }

    var description: String { "F(\(rawValue)×\(rawValue), 3×3)" }

    /// G, n × 3, row-major: the kernel transform.
    var kernelTransform: [Float] {
        switch self {
        case .f2x2:
            [1, 0, 0,
             0.5, 0.5, 0.5,
             0.5, -0.5, 0.5,
             0, 0, 1]
        case .f4x4:
            [9, 0, 0,
             9, 9, 9,
             1, -1, 1,
             1, 2, 4,
             4, 2, 1,
             0, 0, 9].map { $0 / 18 }
        }
    }

    /// σ: reversing a kernel row turns row j of G into row σ(j).
    private var flip: [Int] {
        switch self {
        case .f2x2: [3, 1, 2, 0]
        case .f4x4: [5, 1, 2, 4, 3, 0]
        }
    }

    /// Which matrix, read transposed, is matrix ξ of the flipped, transposed kernel.
    func gradientMatrixIndex(_ xi: Int) -> Int {
        let n = inputSide, flip = self.flip
        return n * flip[xi / n] + flip[xi % n]
    }

    /// The transforms work one register of channels at a time: the 6×6 F(4×4) transforms keep a dozen values
    /// live, which wider vectors than the registers would spill to the stack (measured: 21% of an iteration's
    /// CPU time in the transforms with SIMD16 on SSE code). Sixteen lanes where Package.swift builds for AVX-512
    /// (`AVX512_VECTORS`: 32 registers of 16), eight for AVX2 (`WIDE_VECTORS`), four on plain x86-64 (SSE) and
    /// elsewhere.
    #if AVX512_VECTORS
    typealias V = SIMD16<Float>
    static let laneCount = 16
    #elseif WIDE_VECTORS
    typealias V = SIMD8<Float>
    static let laneCount = 8
    #else
    typealias V = SIMD4<Float>
    static let laneCount = 4
    #endif

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> V { UnsafeRawPointer(pointer).loadUnaligned(as: V.self) }

    /// max(value, 0) lane by lane (NaN lanes stay NaN, as `Vector.rectified`).
    @inline(__always)
    static func rectified(_ value: V) -> V { value.replacing(with: 0, where: value .< 0) }

    @inline(__always)
    static func store(_ value: V, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: V.self)
    }

    /// One column (or row) of Bᵀ d for F(4×4).
    @inline(__always)
    static func inputTransform4x4(_ d0: V, _ d1: V, _ d2: V, _ d3: V, _ d4: V, _ d5: V) -> (V, V, V, V, V, V) {
        let two: V = V(repeating: 2), three = V(repeating: 3), five = V(repeating: 5), seven = V(repeating: 7)
        let d1m3 = d1 - d3, d4m2 = d4 - d2
        return (two * (d0 - d4) + five * (d3 - d1),
                three * (d2 + d3) - two * (d1 + d4),
                seven * (d2 - d3) + two * (d4 - d1),
                d1m3 + two * d4m2,
                two * d1m3 + d4m2,
                two * (d5 - d1) + five * (d2 - d4))
    }

    /// One column (or row) of Aᵀ m for F(4×4).
    @inline(__always)
    static func outputTransform4x4(_ m0: V, _ m1: V, _ m2: V, _ m3: V, _ m4: V, _ m5: V) -> (V, V, V, V) {
        let two: V = V(repeating: 2), four = V(repeating: 4), eight = V(repeating: 8)
        let sum = m1 + m2, difference = m1 - m2
        return (m0 + sum + m3 + eight * m4,
                difference + two * m3 + four * m4,
                sum + four * m3 + two * m4,
                difference + eight * m3 + m4 + m5)
    }
}
