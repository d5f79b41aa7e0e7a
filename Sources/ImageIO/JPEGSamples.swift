/// Raw JPEG input for `ImageFile.writeJPEG(_:to:)`: mainly for test fixtures of every kind of JPEG a user
/// might supply (grayscale, progressive, CMYK, YCCK, Adobe-inverted, with an Exif orientation).
package struct JPEGSamples: Sendable {
    /// How the samples are stored in the file; `pixels` holds 1 (gray), 3 (RGB) or 4 (CMYK) bytes a pixel.
    package enum StoredColorSpace: Int32, Sendable {
        case grayscale = 1
        /// RGB input stored as RGB, without the YCbCr transform.
        case rgb = 2
        /// RGB input stored as YCbCr (the usual JPEG).
        case yCbCr = 3
        /// CMYK input stored as CMYK, bytes as given.
        case cmyk = 4
        /// CMYK input stored as YCCK.
        case ycck = 5

        package var channelCount: Int {
            switch self {
            case .grayscale: return 1
            case .rgb, .yCbCr: return 3
            case .cmyk, .ycck: return 4
            }
        }
    }

    package var width: Int
    package var height: Int
    package var colorSpace: StoredColorSpace
    package var pixels: [UInt8]
    /// 1...100.
    package var quality: Int
    package var progressive: Bool
    /// For CMYK/YCCK: write Adobe's APP14 marker (readers then take the bytes as inverted, 255 = no ink).
    package var adobeMarker: Bool
    /// 1...8: writes an Exif APP1 marker with this Orientation; 0 writes none.
    package var exifOrientation: Int

    package init(
        width: Int, height: Int, colorSpace: StoredColorSpace, pixels: [UInt8], quality: Int = 90,
        progressive: Bool = false, adobeMarker: Bool = true, exifOrientation: Int = 0
    ) {
        self.width = width
        self.height = height
        self.colorSpace = colorSpace
        self.pixels = pixels
        self.quality = quality
        self.progressive = progressive
        self.adobeMarker = adobeMarker
        self.exifOrientation = exifOrientation
    }

    /// An RGB image stored as an ordinary YCbCr JPEG.
    package init(_ image: RGBImage, quality: Int = 90, progressive: Bool = false) {
        self.init(width: image.width, height: image.height, colorSpace: .yCbCr, pixels: image.pixels,
                  quality: quality, progressive: progressive)
    }

    var inconsistency: String? {
        guard width > 0, height > 0 else { return "JPEG writer: width and height must be positive" }
        let (expected, overflow) = width.multipliedReportingOverflow(by: height * colorSpace.channelCount)
        guard !overflow, pixels.count == expected else {
            return "JPEG writer: \(pixels.count) bytes given, \(width)x\(height)x\(colorSpace.channelCount) needed"
        }
        return nil
    }
}
