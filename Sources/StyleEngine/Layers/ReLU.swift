/// ReLU's backward. (Its forward is fused into `Convolution.forward`.)
///
/// The engine keeps only post-ReLU activations: d ReLU(z)/dz = 1 where ReLU(z) > 0, so the activation
/// itself is the mask, or the bits recorded from it (`ActivationMask`) where the activation is not kept.
/// The padded border of an activation is zero (its bits clear), so masking also clears the gradient's border.
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

    /// gradient *= mask, over the `mask.count` floats it covers: the same as `backward(activation:…)` with the
    /// activation the mask was recorded from.
    static func backward(mask: ActivationMask, gradient: UnsafeMutablePointer<Float>) {
        let words = mask.words
        ParallelLoop.runRanges(count: mask.wordCount) { _, range in
            for word in range {
                let offset = word * Vector.width
                Vector.store(ActivationMask.keep(Vector.load(gradient + offset), where: words[word]), gradient + offset)
            }
        }
    }
}
