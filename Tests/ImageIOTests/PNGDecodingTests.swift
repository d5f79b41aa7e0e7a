import Foundation
import StyleEngine
import TestSupport
import Testing
@testable import ImageIO

/// One PNG layout a user might supply.
struct PNGVariant: Sendable, CustomStringConvertible {
    enum Transparency: Sendable {
        case none
        /// tRNS alpha for the first palette entries.
        case paletteAlpha
        /// tRNS colour key for gray or RGB.
        case colorKey
    }

    let colorType: PNGSamples.ColorType
    let bitDepth: Int
    let transparency: Transparency

    init(_ colorType: PNGSamples.ColorType, _ bitDepth: Int, _ transparency: Transparency = .none) {
        self.colorType = colorType
        self.bitDepth = bitDepth
        self.transparency = transparency
    }

    var description: String { "\(colorType) \(bitDepth)-bit \(transparency)" }

    static let all: [PNGVariant] = [
        PNGVariant(.gray, 1), PNGVariant(.gray, 2), PNGVariant(.gray, 4), PNGVariant(.gray, 8), PNGVariant(.gray, 16),
        PNGVariant(.gray, 8, .colorKey), PNGVariant(.gray, 16, .colorKey),
        PNGVariant(.grayAlpha, 8), PNGVariant(.grayAlpha, 16),
        PNGVariant(.rgb, 8), PNGVariant(.rgb, 16), PNGVariant(.rgb, 8, .colorKey), PNGVariant(.rgb, 16, .colorKey),
        PNGVariant(.rgba, 8), PNGVariant(.rgba, 16),
        PNGVariant(.palette, 1), PNGVariant(.palette, 2), PNGVariant(.palette, 4), PNGVariant(.palette, 8),
        PNGVariant(.palette, 4, .paletteAlpha), PNGVariant(.palette, 8, .paletteAlpha),
    ]

    static let width = 13   // odd sizes exercise Adam7's partial passes
    static let height = 9

    /// Random samples for this layout, and the RGB the decoder must produce (alpha over white),
    /// computed here from the samples by an independent reference model.
    func fixture(seed: UInt64, interlaced: Bool) -> (samples: PNGSamples, expected: [UInt8]) {
        var generator = SplitMix64(seed: seed)
        let pixelCount = Self.width * Self.height
        let channels = colorType.channelCount
        let maximum = (1 << bitDepth) - 1
        let paletteCount = colorType == .palette ? min(1 << bitDepth, 200) : 0
        let sampleMaximum = colorType == .palette ? paletteCount - 1 : maximum
        var values = (0..<pixelCount * channels).map { _ in Int.random(in: 0...sampleMaximum, using: &generator) }

        let palette = (0..<paletteCount * 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var paletteAlpha: [UInt8] = []
        if transparency == .paletteAlpha {
            paletteAlpha = [0, 255, 128, 1, 254] + (0..<5).map { _ in UInt8.random(in: 0...255, using: &generator) }
            paletteAlpha = Array(paletteAlpha.prefix(paletteCount - 1))  // fewer than the palette: the rest opaque
        }
        var key: [Int]?
        if transparency == .colorKey {
            key = (0..<channels).map { _ in Int.random(in: 0...maximum, using: &generator) }
            for pixel in stride(from: 0, to: pixelCount, by: 5) {  // make sure the key occurs
                for channel in 0..<channels { values[pixel * channels + channel] = key![channel] }
            }
        }

        let samples: PNGSamples.Samples =
            bitDepth == 16 ? .words(values.map { UInt16($0) }) : .bytes(values.map { UInt8($0) })
        let pngSamples = PNGSamples(
            width: Self.width, height: Self.height, colorType: colorType, bitDepth: bitDepth, samples: samples,
            palette: palette, paletteAlpha: paletteAlpha, transparentColor: key.map { $0.map { UInt16($0) } },
            interlaced: interlaced)

        func eightBit(_ value: Int) -> Int {
            switch bitDepth {
            case 16: return scaled16(value)
            case 8: return value
            default: return value * 255 / maximum
            }
        }
        var expected: [UInt8] = []
        for pixel in 0..<pixelCount {
            let sample = Array(values[pixel * channels..<(pixel + 1) * channels])
            var color: [Int]
            var alpha = 255
            switch colorType {
            case .gray:
                color = Array(repeating: eightBit(sample[0]), count: 3)
            case .grayAlpha:
                color = Array(repeating: eightBit(sample[0]), count: 3)
                alpha = eightBit(sample[1])
            case .rgb:
                color = sample.map(eightBit)
            case .rgba:
                color = sample[0..<3].map(eightBit)
                alpha = eightBit(sample[3])
            case .palette:
                color = (0..<3).map { Int(palette[sample[0] * 3 + $0]) }
                alpha = sample[0] < paletteAlpha.count ? Int(paletteAlpha[sample[0]]) : 255
            }
            if let key, sample == key { alpha = 0 }
            expected += color.map { overWhite($0, alpha: alpha) }
        }
        return (pngSamples, expected)
    }
}

@Suite("PNG decoding")
struct PNGDecodingTests {
    @Test("every colour type and bit depth decodes to the expected pixels, interlaced or not",
          arguments: PNGVariant.all)
    func decodesVariant(_ variant: PNGVariant) throws {
        let directory = try TemporaryFolder()
        var decoded: [RGBImage] = []
        for interlaced in [false, true] {
            let (samples, expected) = variant.fixture(seed: 42, interlaced: interlaced)
            let url = directory.file("fixture-\(interlaced).png")
            try ImageFile.writePNG(samples, to: url)

            // The fixture really is the layout under test: IHDR bit depth, colour type, interlace method.
            let header = try bytes(of: url)
            #expect(header[24] == UInt8(variant.bitDepth))
            #expect(header[25] == UInt8(variant.colorType.rawValue))
            #expect(header[28] == (interlaced ? 1 : 0))
            let containsTRNS = header.indices.dropLast(4).contains { Array(header[$0..<$0 + 4]) == Array("tRNS".utf8) }
            #expect(containsTRNS == (variant.transparency != .none))

            let image = try ImageFile.read(url)
            #expect(image.width == PNGVariant.width && image.height == PNGVariant.height)
            let difference = zip(image.pixels, expected).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(image.pixels.count == expected.count && difference == nil,
                    "interlaced \(interlaced): sample \(difference?.offset ?? -1) is \(difference?.element.0 ?? 0), expected \(difference?.element.1 ?? 0)")
            decoded.append(image)
        }
        #expect(decoded[0] == decoded[1], "interlaced must decode exactly like non-interlaced")
    }

    @Test("16-bit samples are scaled, not gamma-converted: 0x5050 comes back as 0x50")
    func sixteenBitHasNoGammaConversion() throws {
        let directory = try TemporaryFolder()
        for colorType in [PNGSamples.ColorType.rgb, .gray] {
            let count = 4 * 3 * colorType.channelCount
            let samples = PNGSamples(width: 4, height: 3, colorType: colorType, bitDepth: 16,
                                     samples: .words(Array(repeating: 0x5050, count: count)))
            let url = directory.file("sixteen-\(colorType).png")
            try ImageFile.writePNG(samples, to: url)
            let image = try ImageFile.read(url)
            #expect(image.pixels == Array(repeating: 0x50, count: 4 * 3 * 3))
        }
    }

    @Test("palette transparency is composited over white")
    func paletteTransparencyOverWhite() throws {
        let directory = try TemporaryFolder()
        // Entry 0: red, fully transparent. Entry 1: blue at alpha 128. Entry 2: green, opaque (no tRNS entry).
        let samples = PNGSamples(width: 3, height: 1, colorType: .palette, bitDepth: 8, samples: .bytes([0, 1, 2]),
                                 palette: [255, 0, 0, 0, 0, 255, 0, 255, 0], paletteAlpha: [0, 128])
        let url = directory.file("palette-alpha.png")
        try ImageFile.writePNG(samples, to: url)
        let image = try ImageFile.read(url)
        // 127 = round((0 * 128 + 255 * 127) / 255)
        #expect(image.pixels == [255, 255, 255, 127, 127, 255, 0, 255, 0])
    }

    @Test("RGB round trip through the application's own writer is exact")
    func rgbRoundTrip() throws {
        let directory = try TemporaryFolder()
        let original = randomImage(width: 31, height: 17, seed: 7)
        let url = directory.file("round-trip.png")
        try ImageFile.writePNG(original, to: url)
        #expect(try ImageFile.read(url) == original)
        #expect(ImageFile.format(of: try bytes(of: url)) == .png)
    }

    @Test("a PNG whose IHDR says 100000x100000 (valid CRC) is refused at once, before decoding")
    func refusesDecompressionBomb() throws {
        let directory = try TemporaryFolder()
        for (width, height) in [(100_000, 100_000), (16_000, 16_000), (20_000, 10)] {
            var ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
            ihdr += [8, 2, 0, 0, 0]  // 8-bit RGB
            let png = FormatSniffer.pngSignature + pngChunk("IHDR", ihdr)
                + pngChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + pngChunk("IEND", [])
            let url = directory.file("bomb-\(width).png")
            try write(png, to: url)

            let start = ContinuousClock.now
            let error = imageError { _ = try ImageFile.read(url) }
            #expect(ContinuousClock.now - start < .milliseconds(500))
            #expect(error?.problem == .dimensionsTooLarge(width: width, height: height))
            #expect(error?.description.contains("\(width)x\(height)") == true)
        }
    }

    @Test("the limits accept the largest allowed sizes and refuse one pixel more")
    func limitBoundaries() {
        #expect(ImageLimits.accepts(width: ImageLimits.maximumSide, height: 3_906))
        #expect(!ImageLimits.accepts(width: ImageLimits.maximumSide + 1, height: 1))
        #expect(!ImageLimits.accepts(width: 1, height: ImageLimits.maximumSide + 1))
        #expect(ImageLimits.accepts(width: 8_000, height: 8_000))
        #expect(!ImageLimits.accepts(width: 8_000, height: 8_001))
        #expect(!ImageLimits.accepts(width: 0, height: 5))
    }
}
