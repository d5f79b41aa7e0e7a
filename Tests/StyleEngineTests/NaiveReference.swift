@testable import StyleEngine

/// Plain, obviously-correct implementations the fast kernels are checked against.
/// Tensors here are unpadded CHW arrays of Double.
enum Naive {
    /// ReLU(conv3x3(input) + bias), zero padding 1. kernel: PyTorch [out][in][3][3].
    static func convolution(_ input: [Double], channels: Int, height: Int, width: Int,
                            kernel: [Float], bias: [Float], outputs: Int) -> [Double] {
        preActivation(input, channels: channels, height: height, width: width, kernel: kernel, bias: bias,
                      outputs: outputs).map { max(0, $0) }
    }

    /// conv3x3(input) + bias, zero padding 1, before the ReLU.
    static func preActivation(_ input: [Double], channels: Int, height: Int, width: Int,
                              kernel: [Float], bias: [Float], outputs: Int) -> [Double] {
        var output = [Double](repeating: 0, count: outputs * height * width)
        for out in 0..<outputs {
            for y in 0..<height {
                for x in 0..<width {
                    var sum = Double(bias[out])
                    for input_ in 0..<channels {
                        for dy in 0..<3 {
                            for dx in 0..<3 {
                                let sy = y + dy - 1, sx = x + dx - 1
                                guard sy >= 0, sy < height, sx >= 0, sx < width else { continue }
                                sum += Double(kernel[((out * channels + input_) * 3 + dy) * 3 + dx])
                                    * input[(input_ * height + sy) * width + sx]
                            }
                        }
                    }
                    output[(out * height + y) * width + x] = sum
                }
            }
        }
        return output
    }

    static func pooling(_ input: [Double], channels: Int, height: Int, width: Int, kind: Pooling) -> [Double] {
        let outHeight = height / 2, outWidth = width / 2
        var output = [Double](repeating: 0, count: channels * outHeight * outWidth)
        for c in 0..<channels {
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map { input[(c * height + 2 * y + $0.0) * width + 2 * x + $0.1] }
                    output[(c * outHeight + y) * outWidth + x] = kind == .max ? window.max()! : window.reduce(0, +) / 4
                }
            }
        }
        return output
    }

    /// G = F Fᵀ / (C·H·W), F: C × HW.
    static func gram(_ features: [Double], channels: Int, pixels: Int) -> [Double] {
        var gram = [Double](repeating: 0, count: channels * channels)
        for i in 0..<channels {
            for j in 0..<channels {
                var sum = 0.0
                for p in 0..<pixels { sum += features[i * pixels + p] * features[j * pixels + p] }
                gram[i * channels + j] = sum / Double(channels * pixels)
            }
        }
        return gram
    }

    static func totalVariation(_ image: [Double], height: Int, width: Int, channels: Int) -> Double {
        var sum = 0.0
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let value = image[(y * width + x) * channels + c]
                    if x + 1 < width { let d = image[(y * width + x + 1) * channels + c] - value; sum += d * d }
                    if y + 1 < height { let d = image[((y + 1) * width + x) * channels + c] - value; sum += d * d }
                }
            }
        }
        return sum / 2
    }
}

/// Converts between the tests' CHW arrays and the engine's padded NHWC buffers.
enum Layouts {
    static func padded(_ chw: [Double], shape: FeatureShape) -> FloatBuffer {
        let buffer = FloatBuffer(count: shape.paddedCount)
        for c in 0..<shape.channels {
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    buffer[shape.index(y: y, x: x, channel: c)] = Float(chw[(c * shape.height + y) * shape.width + x])
                }
            }
        }
        return buffer
    }

    static func chw(_ pointer: UnsafePointer<Float>, shape: FeatureShape) -> [Double] {
        var result = [Double](repeating: 0, count: shape.elementCount)
        for c in 0..<shape.channels {
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    result[(c * shape.height + y) * shape.width + x] = Double(pointer[shape.index(y: y, x: x, channel: c)])
                }
            }
        }
        return result
    }

    /// Whether every border and slack float is zero.
    static func borderIsZero(_ pointer: UnsafePointer<Float>, shape: FeatureShape) -> Bool {
        var interior = Set<Int>()
        for y in 0..<shape.height {
            for x in 0..<shape.width {
                for c in 0..<shape.channels { interior.insert(shape.index(y: y, x: x, channel: c)) }
            }
        }
        return (0..<shape.paddedCount).allSatisfy { interior.contains($0) || pointer[$0] == 0 }
    }
}

/// Deterministic pseudo-random numbers for test fixtures.
struct TestRandom {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed &+ 0x1234_5678) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in [-1, 1).
    mutating func symmetric() -> Double { Double(next() >> 11) * 0x1.0p-52 - 1 }
    mutating func array(_ count: Int, scale: Double = 1) -> [Double] { (0..<count).map { _ in scale * symmetric() } }
    mutating func floats(_ count: Int, scale: Double = 1) -> [Float] { (0..<count).map { _ in Float(scale * symmetric()) } }
}

func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), 1e-30)
}

func maxAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
