/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations, in double precision.
/// Used for 3 × 3 colour covariances (exact to rounding, where the Newton–Schulz iteration of the style loss
/// would need many steps for a nearly grey image); no library on this machine offers it without LAPACK.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, in no particular order.
    public let values: [Double]
    /// Column j of this n × n row-major matrix is the eigenvector of `values[j]`.
    public let vectors: [Double]
    public let order: Int

    public init(_ matrix: [Double], order n: Int) {
        precondition(matrix.count == n * n)
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var offDiagonal = 0.0, diagonal = 0.0
            for i in 0..<n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in 0..<n where j != i { offDiagonal += a[i * n + j] * a[i * n + j] }
            }
            if offDiagonal <= 1e-30 * max(diagonal, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {   // A ← A J (columns p, q)
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {   // A ← Jᵀ A (rows p, q)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {   // V ← V J
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        values = (0..<n).map { a[$0 * n + $0] }
        vectors = v
        order = n
    }

    /// V f(Λ) Vᵀ, e.g. `{ $0.squareRoot() }` for the principal square root of a positive semi-definite matrix.
    public func applying(_ function: (Double) -> Double) -> [Double] {
        let n = order
        let mapped = values.map(function)
        var result = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += vectors[i * n + k] * mapped[k] * vectors[j * n + k] }
                result[i * n + j] = sum
            }
        }
        return result
    }
}
