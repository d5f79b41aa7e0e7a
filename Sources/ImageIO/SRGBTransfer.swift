#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sRGB transfer curve: 8-bit sRGB to linear light and back, with exact rounding on the way back
/// (the result is the byte whose sRGB value is nearest, measured in sRGB, to the linear input).
enum SRGBTransfer {
    /// Linear light (0...1) of each 8-bit sRGB value.
    static let linearValues: [Float] = (0..<256).map { Float(linear(fromEncoded: Double($0) / 255)) }

    /// `roundingThresholds[k]`: the linear value of the sRGB midpoint between bytes k and k + 1.
    /// The encoded byte of x is the number of thresholds <= x.
    static let roundingThresholds: [Float] = (0..<255).map {
        Float(linear(fromEncoded: (Double($0) + 0.5) / 255))
    }

    static let guessResolution = 4096

    /// A lower bound for the byte of each linear value i / guessResolution (so encoding steps only upward): the
    /// number of thresholds at or below it, counted in one walk up both ascending sequences (counting them
    /// afresh for each value took a millisecond of every start).
    static let guesses: [UInt8] = {
        var byte = 0
        return (0...guessResolution).map { index in
            let value = Float(index) / Float(guessResolution)
            while byte < roundingThresholds.count && roundingThresholds[byte] <= value { byte += 1 }
            return UInt8(byte)
        }
    }()

    static func linear(fromEncoded value: Double) -> Double {
        value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    /// Encodes linear light (clamped to 0...1; NaN gives 0) using the tables passed in, so hot loops can
    /// hold them as buffer pointers.
    @inline(__always)
    static func encode(
        _ value: Float, thresholds: UnsafeBufferPointer<Float>, guesses: UnsafeBufferPointer<UInt8>
    ) -> UInt8 {
        guard value > 0 else { return 0 }
        guard value < 1 else { return 255 }
        var byte = Int(guesses[Int(value * Float(guessResolution))])
        while byte < 255 && value >= thresholds[byte] { byte += 1 }
        return UInt8(byte)
    }

    /// `count` bytes of sRGB as linear light, into `linear`.
    static func decode(_ bytes: UnsafePointer<UInt8>, count: Int, into linear: UnsafeMutablePointer<Float>) {
        linearValues.withUnsafeBufferPointer { toLinear in
            for index in 0..<count { linear[index] = toLinear[Int(bytes[index])] }
        }
    }

    /// `count` values of linear light encoded as bytes (`encode(_:thresholds:guesses:)`), into `bytes`.
    static func encode(_ values: UnsafePointer<Float>, count: Int, into bytes: UnsafeMutablePointer<UInt8>) {
        roundingThresholds.withUnsafeBufferPointer { thresholds in
            guesses.withUnsafeBufferPointer { guesses in
                for index in 0..<count { bytes[index] = encode(values[index], thresholds: thresholds, guesses: guesses) }
            }
        }
    }
}
