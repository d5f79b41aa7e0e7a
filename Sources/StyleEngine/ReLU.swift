/// ReLU's backward. (Its forward is fused into `Convolution.forward`.)
///
/// The engine keeps only post-ReLU activations: d ReLU(z)/dz = 1 where ReLU(z) > 0, so the activation
/// itself is the mask. The padded border of an activation is zero, so masking also clears the
/// gradient's border.
enum ReLU {
    /// gradient *= (activation > 0), over the whole padded buffer of `count` floats.
    static func backward(activation: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int) {
        let chunk = 1 << 16
        ParallelLoop.run(count: (count + chunk - 1) / chunk) { block in
            let start = block * chunk, end = min(count, start + chunk)
            for index in start..<end where !(activation[index] > 0) { gradient[index] = 0 }
        }
    }
}
