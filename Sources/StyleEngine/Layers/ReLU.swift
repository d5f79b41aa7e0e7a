/// ReLU's backward. (Its forward is fused into `Convolution.forward`.)
///
/// The engine keeps only post-ReLU activations: d ReLU(z)/dz = 1 where ReLU(z) > 0, so the activation
/// itself is the mask. The padded border of an activation is zero, so masking also clears the
/// gradient's border.
enum ReLU {
    /// gradient *= (activation > 0), over the whole padded buffer of `count` floats.
    static func backward(activation: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int) {
        let width = Vector.width
        let vectors = count / width
        ParallelLoop.runRanges(count: vectors) { _, range in
            for vector in range {
                let offset = vector * width
                let mask = Vector.load(activation + offset) .> 0
                Vector.store(Vector.load(gradient + offset).replacing(with: 0, where: .!mask), gradient + offset)
            }
        }
        for index in (vectors * width)..<count where !(activation[index] > 0) { gradient[index] = 0 }
    }
}
