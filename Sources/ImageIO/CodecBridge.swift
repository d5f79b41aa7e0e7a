// The only Swift file that imports CImageCodecs: it turns the C shims' status codes and message buffers into
// Swift values and errors. Everything here is internal; ImageFile adds file names and limits.
import CImageCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A codec failure without a file name; `ImageFile` turns it into an `ImageError`.
struct CodecFailure: Error, Equatable {
    enum Kind: Equatable {
        case truncated, notRecognized, corrupt, unsupported, invalidArgument, writeFailed, limitExceeded
    }

    let kind: Kind
    let message: String
}

struct PNGHeader: Equatable {
    let width: Int
    let height: Int
    let bitDepth: Int
    let colorType: Int
    let interlaced: Bool
}

struct JPEGHeader: Equatable {
    let width: Int
    let height: Int
    let components: Int
    let bitDepth: Int
    let progressive: Bool
    /// 1...8, or 0 when the file has no Exif orientation.
    let exifOrientation: Int
}

enum CodecBridge {
    // MARK: PNG

    static func readPNGHeader(_ bytes: [UInt8]) throws(CodecFailure) -> PNGHeader {
        var header = ic_png_header()
        var error = ic_error()
        let status = bytes.withUnsafeBufferPointer { buffer in
            ic_png_read_header(buffer.baseAddress, buffer.count, &header, &error)
        }
        try check(status, error)
        return PNGHeader(width: Int(header.width), height: Int(header.height), bitDepth: Int(header.bit_depth),
                         colorType: Int(header.color_type), interlaced: header.interlaced != 0)
    }

    /// Decodes to RGB, alpha composited over white. The caller has checked the size against the limits.
    static func decodePNG(_ bytes: [UInt8], width: Int, height: Int) throws(CodecFailure) -> [UInt8] {
        let rgbaCount = width * height * 4
        var error = ic_error()
        var status = IC_STATUS_OK
        let rgb = [UInt8](unsafeUninitializedCapacity: rgbaCount) { buffer, initializedCount in
            status = bytes.withUnsafeBufferPointer { source in
                ic_png_decode_rgba8(source.baseAddress, source.count, UInt32(width), UInt32(height),
                                    buffer.baseAddress, rgbaCount, &error)
            }
            guard status == IC_STATUS_OK else {
                initializedCount = 0
                return
            }
            compositeOverWhiteInPlace(buffer, pixelCount: width * height)
            initializedCount = width * height * 3
        }
        try check(status, error)
        return rgb
    }

    /// Turns RGBA (non-premultiplied) into RGB over a white background, front to back in the same buffer.
    private static func compositeOverWhiteInPlace(_ buffer: UnsafeMutableBufferPointer<UInt8>, pixelCount: Int) {
        guard let base = buffer.baseAddress else { return }
        for pixel in 0..<pixelCount {
            let source = base + pixel * 4
            let destination = base + pixel * 3
            let alpha = UInt32(source[3])
            if alpha == 255 {
                destination[0] = source[0]
                destination[1] = source[1]
                destination[2] = source[2]
            } else {
                let background = 255 * (255 - alpha) + 127
                destination[0] = UInt8((UInt32(source[0]) * alpha + background) / 255)
                destination[1] = UInt8((UInt32(source[1]) * alpha + background) / 255)
                destination[2] = UInt8((UInt32(source[2]) * alpha + background) / 255)
            }
        }
    }

    static func writePNG(_ samples: PNGSamples, to file: UnsafeMutablePointer<FILE>) throws(CodecFailure) {
        var error = ic_error()
        var systemError: Int32 = 0
        let transparentColor = samples.transparentColor ?? []
        let paletteAlpha = samples.paletteAlpha
        let status: ic_status = samples.palette.withUnsafeBufferPointer { palette in
            paletteAlpha.withUnsafeBufferPointer { alpha in
                transparentColor.withUnsafeBufferPointer { key in
                    withSampleBytes(samples.samples) { sampleBytes in
                        var spec = ic_png_write_spec()
                        spec.width = UInt32(clamping: samples.width)
                        spec.height = UInt32(clamping: samples.height)
                        spec.color_type = samples.colorType.rawValue
                        spec.bit_depth = Int32(clamping: samples.bitDepth)
                        spec.interlaced = samples.interlaced ? 1 : 0
                        spec.samples = sampleBytes
                        spec.palette_rgb = palette.baseAddress
                        spec.palette_count = Int32(clamping: palette.count / 3)
                        if samples.colorType == .palette {
                            spec.transparency = alpha.isEmpty ? nil : UnsafeRawPointer(alpha.baseAddress)
                            spec.transparency_count = Int32(clamping: alpha.count)
                        } else if samples.transparentColor != nil {
                            spec.transparency = UnsafeRawPointer(key.baseAddress)
                            spec.transparency_count = Int32(clamping: key.count)
                        }
                        spec.compression_level = Int32(clamping: samples.compressionLevel ?? -1)
                        errno = 0
                        let status = ic_png_write(file, &spec, &error)
                        systemError = errno
                        return status
                    }
                }
            }
        }
        try check(status, error, systemError: systemError)
    }

    private static func withSampleBytes<Result>(
        _ samples: PNGSamples.Samples, _ body: (UnsafeRawPointer?) -> Result
    ) -> Result {
        switch samples {
        case .bytes(let values): return values.withUnsafeBytes { body($0.baseAddress) }
        case .words(let values): return values.withUnsafeBytes { body($0.baseAddress) }
        }
    }

    // MARK: JPEG

    static func readJPEGHeader(_ bytes: [UInt8]) throws(CodecFailure) -> JPEGHeader {
        var header = ic_jpeg_header()
        var error = ic_error()
        let status = bytes.withUnsafeBufferPointer { buffer in
            ic_jpeg_read_header(buffer.baseAddress, buffer.count, &header, &error)
        }
        try check(status, error)
        return JPEGHeader(width: Int(header.width), height: Int(header.height), components: Int(header.components),
                          bitDepth: Int(header.bit_depth), progressive: header.progressive != 0,
                          exifOrientation: Int(header.exif_orientation))
    }

    /// Decodes to RGB in the file's stored orientation. The caller has checked the size against the limits.
    static func decodeJPEG(_ bytes: [UInt8], width: Int, height: Int, maximumScans: Int) throws(CodecFailure)
        -> [UInt8]
    {
        let count = width * height * 3
        var error = ic_error()
        var status = IC_STATUS_OK
        let rgb = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            status = bytes.withUnsafeBufferPointer { source in
                ic_jpeg_decode_rgb8(source.baseAddress, source.count, UInt32(width), UInt32(height),
                                    Int32(clamping: maximumScans), buffer.baseAddress, count, &error)
            }
            initializedCount = status == IC_STATUS_OK ? count : 0
        }
        try check(status, error)
        return rgb
    }

    static func writeJPEG(_ samples: JPEGSamples, to file: UnsafeMutablePointer<FILE>) throws(CodecFailure) {
        var error = ic_error()
        var systemError: Int32 = 0
        let status = samples.pixels.withUnsafeBufferPointer { pixels in
            var spec = ic_jpeg_write_spec()
            spec.width = UInt32(clamping: samples.width)
            spec.height = UInt32(clamping: samples.height)
            spec.components = Int32(samples.colorSpace.channelCount)
            spec.stored_space = samples.colorSpace.rawValue
            spec.quality = Int32(clamping: samples.quality)
            spec.progressive = samples.progressive ? 1 : 0
            spec.adobe_marker = samples.adobeMarker ? 1 : 0
            spec.exif_orientation = Int32(clamping: samples.exifOrientation)
            spec.pixels = pixels.baseAddress
            errno = 0
            let status = ic_jpeg_write(file, &spec, &error)
            systemError = errno
            return status
        }
        try check(status, error, systemError: systemError)
    }

    // MARK: Status

    /// Throws for a failed status; `systemError` (errno after a write) is added to write failures.
    private static func check(_ status: ic_status, _ error: ic_error, systemError: Int32 = 0) throws(CodecFailure) {
        guard status != IC_STATUS_OK else { return }
        let kind: CodecFailure.Kind
        switch status {
        case IC_STATUS_TRUNCATED: kind = .truncated
        case IC_STATUS_NOT_RECOGNIZED: kind = .notRecognized
        case IC_STATUS_UNSUPPORTED: kind = .unsupported
        case IC_STATUS_INVALID_ARGUMENT: kind = .invalidArgument
        case IC_STATUS_WRITE_FAILED: kind = .writeFailed
        case IC_STATUS_LIMIT_EXCEEDED: kind = .limitExceeded
        default: kind = .corrupt
        }
        var text = message(of: error)
        if kind == .writeFailed && systemError != 0 {
            text += ": " + String(cString: strerror(systemError))
        }
        throw CodecFailure(kind: kind, message: text)
    }

    private static func message(of error: ic_error) -> String {
        withUnsafeBytes(of: error.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
