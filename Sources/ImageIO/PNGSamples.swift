/// Raw PNG sample data in any PNG layout, for `ImageFile.writePNG(_:to:)`.
///
/// The application writes 8-bit RGB (`PNGSamples(image)`); the other layouts exist so that tests can make
/// fixtures of every kind a user might supply (16-bit, gray, palette with transparency, interlaced).
package struct PNGSamples: Sendable {
    /// PNG colour types (the raw values are the PNG specification's).
    package enum ColorType: Int32, Sendable, CaseIterable {
        case gray = 0
        case rgb = 2
        case palette = 3
        case grayAlpha = 4
        case rgba = 6

        /// Samples per pixel.
        package var channelCount: Int {
            switch self {
            case .gray, .palette: return 1
            case .grayAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    /// One value per sample: bytes for bit depths 1...8 (values below 2^bitDepth), 16-bit words for depth 16.
    package enum Samples: Sendable, Equatable {
        case bytes([UInt8])
        case words([UInt16])

        var count: Int {
            switch self {
            case .bytes(let values): return values.count
            case .words(let values): return values.count
            }
        }
    }

    package var width: Int
    package var height: Int
    package var colorType: ColorType
    package var bitDepth: Int
    package var samples: Samples
    /// For `.palette`: RGB triples, 1...256 entries.
    package var palette: [UInt8]
    /// For `.palette`: alpha of the first entries (the tRNS chunk); empty for none.
    package var paletteAlpha: [UInt8]
    /// For `.gray` (one value) or `.rgb` (three values): the colour that is fully transparent (tRNS).
    package var transparentColor: [UInt16]?
    /// Adam7 interlacing.
    package var interlaced: Bool
    /// zlib level 0...9; nil for libpng's default.
    package var compressionLevel: Int?

    package init(
        width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: Samples,
        palette: [UInt8] = [], paletteAlpha: [UInt8] = [], transparentColor: [UInt16]? = nil,
        interlaced: Bool = false, compressionLevel: Int? = nil
    ) {
        self.width = width
        self.height = height
        self.colorType = colorType
        self.bitDepth = bitDepth
        self.samples = samples
        self.palette = palette
        self.paletteAlpha = paletteAlpha
        self.transparentColor = transparentColor
        self.interlaced = interlaced
        self.compressionLevel = compressionLevel
    }

    /// 8-bit RGB samples of an image.
    package init(_ image: RGBImage) {
        self.init(width: image.width, height: image.height, colorType: .rgb, bitDepth: 8,
                  samples: .bytes(image.pixels))
    }

    /// Why these samples cannot be written, or nil if they are consistent.
    var inconsistency: String? {
        guard width > 0, height > 0 else { return "PNG writer: width and height must be positive" }
        let (expected, overflow) = width.multipliedReportingOverflow(by: height * colorType.channelCount)
        guard !overflow, samples.count == expected else {
            return "PNG writer: \(samples.count) samples given, \(width)x\(height)x\(colorType.channelCount) needed"
        }
        switch samples {
        case .bytes: if bitDepth > 8 { return "PNG writer: 16-bit samples must be given as words" }
        case .words: if bitDepth != 16 { return "PNG writer: words are only for bit depth 16" }
        }
        if colorType == .palette && palette.count % 3 != 0 { return "PNG writer: palette is not RGB triples" }
        if colorType != .palette && !(palette.isEmpty && paletteAlpha.isEmpty) {
            return "PNG writer: a palette is only for the palette colour type"
        }
        if let transparentColor, transparentColor.count != (colorType == .gray ? 1 : colorType == .rgb ? 3 : -1) {
            return "PNG writer: a transparent colour needs 1 value (gray) or 3 values (RGB)"
        }
        return nil
    }
}
