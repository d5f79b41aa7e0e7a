/// Square root and inverse square root of a symmetric positive-definite C × C matrix by the coupled
/// Newton–Schulz iteration (Higham 2008, §6.7; the form crowsonkb/style-transfer-pytorch's `sqrtm_ns` uses):
///
///     Y₀ = A / ‖A‖_F,  Z₀ = I,  T = (3I − Z Y) / 2,  Y ← Y T,  Z ← T Z
///
/// Y → (A/‖A‖)^½ and Z → (A/‖A‖)^-½; scaled back, √A = Y·√‖A‖ and A^-½ = Z / √‖A‖. Only matrix
/// products (three GEMMs an iteration, split over the cores), so it suits BLAS where an eigendecomposition
/// would not. Eigenvalues far below ‖A‖ converge last (each iteration multiplies their root by about 1.5),
/// so the caller regularises A with a small multiple of I. Buffers are planned once for the largest C.
final class MatrixSquareRoot: @unchecked Sendable {
    /// crowsonkb uses 12 iterations; enough for eigenvalues down to about 1e-6·‖A‖.
    static let defaultIterations = 12

    let capacity: Int
    private let y: FloatBuffer, z: FloatBuffer, t: FloatBuffer, nextY: FloatBuffer, nextZ: FloatBuffer

    init(maximumOrder: Int) {
        capacity = maximumOrder * maximumOrder
        (y, z, t, nextY, nextZ) = (FloatBuffer(count: capacity), FloatBuffer(count: capacity), FloatBuffer(count: capacity),
                                   FloatBuffer(count: capacity), FloatBuffer(count: capacity))
    }

    /// Writes √A into `root` and, when given, A^-½ into `inverseRoot` (both C × C, row-major).
    /// `root` and `inverseRoot` may not alias `a`.
    func compute(_ a: UnsafePointer<Float>, order c: Int, root: UnsafeMutablePointer<Float>,
                 inverseRoot: UnsafeMutablePointer<Float>?, iterations: Int = defaultIterations) {
        precondition(c * c <= capacity)
        let count = c * c
        let norm = BLAS.dot(a, a, count: count).squareRoot()
        guard norm > 0, norm.isFinite else {
            root.update(repeating: norm.isFinite ? 0 : .nan, count: count)
            inverseRoot?.update(repeating: .nan, count: count)
            return
        }
        var (y, z, nextY, nextZ) = (self.y.pointer, self.z.pointer, self.nextY.pointer, self.nextZ.pointer)
        let t = self.t.pointer
        let inverseNorm = Float(1 / norm)
        for index in 0..<count { y[index] = a[index] * inverseNorm }
        setIdentity(z, order: c, scale: 1)
        for _ in 0..<iterations {
            // T = (3I − Z Y) / 2
            setIdentity(t, order: c, scale: 1.5)
            BLAS.parallelMultiply(rows: c, columns: c, depth: c, z, leadingA: c, y, leadingB: c,
                                  into: t, leadingC: c, alpha: -0.5, beta: 1)
            BLAS.parallelMultiply(rows: c, columns: c, depth: c, y, leadingA: c, t, leadingB: c, into: nextY, leadingC: c)
            BLAS.parallelMultiply(rows: c, columns: c, depth: c, t, leadingA: c, z, leadingB: c, into: nextZ, leadingC: c)
            swap(&y, &nextY)
            swap(&z, &nextZ)
        }
        let rootScale = Float(norm.squareRoot())
        for index in 0..<count { root[index] = y[index] * rootScale }
        if let inverseRoot {
            for index in 0..<count { inverseRoot[index] = z[index] / rootScale }
        }
    }

    private func setIdentity(_ matrix: UnsafeMutablePointer<Float>, order c: Int, scale: Float) {
        matrix.update(repeating: 0, count: c * c)
        for index in 0..<c { matrix[index * c + index] = scale }
    }
}
