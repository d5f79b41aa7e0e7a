/// Luminance-only transfer (Gatys et al. 2017, §5.2) in YIQ: the optimisation sees grey images (Y in all three
/// channels), the painting's luminance shifted and scaled to the photo's mean and variance; the result's
/// luminance is then joined with the photo's I and Q.
public enum LuminanceTransfer {
    /// RGB → YIQ (NTSC 1953 coefficients); the inverse is computed from it, so a round trip is exact to rounding.
    static let toYIQ: [Double] = [0.299, 0.587, 0.114,
                                  0.595716, -0.274453, -0.321263,
                                  0.211456, -0.522591, 0.311135]
    static let fromYIQ: [Double] = inverse3x3(toYIQ)

    /// Y of interleaved RGB values.
    public static func luminance(_ rgb: [Float]) -> [Float] {
        (0..<(rgb.count / 3)).map { pixel in
            Float(toYIQ[0] * Double(rgb[3 * pixel]) + toYIQ[1] * Double(rgb[3 * pixel + 1]) + toYIQ[2] * Double(rgb[3 * pixel + 2]))
        }
    }

    /// (I, Q) of interleaved RGB values, two per pixel.
    public static func chroma(_ rgb: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: rgb.count / 3 * 2)
        for pixel in 0..<(rgb.count / 3) {
            for k in 0..<2 {
                let row = 3 * (k + 1)
                result[2 * pixel + k] = Float(toYIQ[row] * Double(rgb[3 * pixel]) + toYIQ[row + 1] * Double(rgb[3 * pixel + 1])
                                              + toYIQ[row + 2] * Double(rgb[3 * pixel + 2]))
            }
        }
        return result
    }

    /// A grey RGB image (Y, Y, Y) from luminance values.
    public static func grey(_ luminance: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: luminance.count * 3)
        for (pixel, y) in luminance.enumerated() { (result[3 * pixel], result[3 * pixel + 1], result[3 * pixel + 2]) = (y, y, y) }
        return result
    }

    /// `luminance` shifted and scaled to the mean and standard deviation of `reference`.
    public static func matched(_ luminance: [Float], to reference: [Float]) -> [Float] {
        func moments(_ values: [Float]) -> (Double, Double) {
            let mean = values.reduce(0) { $0 + Double($1) } / Double(max(values.count, 1))
            let variance = values.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(values.count, 1))
            return (mean, variance.squareRoot())
        }
        let (mean, deviation) = moments(luminance), (targetMean, targetDeviation) = moments(reference)
        let gain = deviation > 1e-6 ? targetDeviation / deviation : 0
        return luminance.map { Float((Double($0) - mean) * gain + targetMean) }
    }

    /// RGB bytes from the luminance of `rgb` and the chroma of `chromaSource` (same size), rounded and clamped.
    public static func recombine(luminanceOf rgb: [Float], chromaOf chromaSource: [Float]) -> [UInt8] {
        let y = luminance(rgb), iq = chroma(chromaSource)
        var result = [UInt8](repeating: 0, count: rgb.count)
        for pixel in 0..<y.count {
            let yiq = [Double(y[pixel]), Double(iq[2 * pixel]), Double(iq[2 * pixel + 1])]
            for channel in 0..<3 {
                let value = fromYIQ[3 * channel] * yiq[0] + fromYIQ[3 * channel + 1] * yiq[1] + fromYIQ[3 * channel + 2] * yiq[2]
                result[3 * pixel + channel] = value.isFinite ? UInt8(min(255, max(0, value.rounded()))) : 0
            }
        }
        return result
    }

    static func inverse3x3(_ m: [Double]) -> [Double] {
        let cofactors: [Double] = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        let determinant = m[0] * cofactors[0] + m[1] * cofactors[3] + m[2] * cofactors[6]
        return cofactors.map { $0 / determinant }
    }
}
