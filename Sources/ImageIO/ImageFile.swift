#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// The image formats ImageIO decodes.
public enum ImageFormat: String, Sendable, Equatable {
    case png = "PNG"
    case jpeg = "JPEG"
}

/// Reading and writing image files.
///
/// Reading detects the format from the file's first bytes (never from the extension), checks the declared
/// size against `ImageLimits` before allocating any pixels, composites alpha over white, and applies a JPEG's
/// Exif orientation. Every failure is one `ImageError` naming the file as the caller gave it.
/// Writing is atomic (temporary file in the same directory, fsync, rename).
public enum ImageFile {
    // MARK: Reading

    /// Reads a PNG or JPEG file. Errors name the file as `url.relativePath`, i.e. as it was given.
    public static func read(_ url: URL) throws(ImageError) -> RGBImage {
        try read(path: url.path, displayPath: url.relativePath)
    }

    /// Reads a PNG or JPEG file; errors name the file exactly as `path`.
    public static func read(path: String) throws(ImageError) -> RGBImage {
        try read(path: path, displayPath: path)
    }

    /// Reads several PNG or JPEG files side by side, one a core (a run's photo and paintings: decoding is
    /// serial within a file, and at a run's start nothing else waits for the other core). The images in the
    /// order given; when any file fails, the error of the first of them, in that order, that failed.
    public static func read(_ urls: [URL]) throws(ImageError) -> [RGBImage] {
        var results = [Result<RGBImage, ImageError>?](repeating: nil, count: urls.count)
        results.withUnsafeMutableBufferPointer { results in
            RowSplit.run(count: urls.count, work: urls.count > 1 ? RowSplit.minimumWork : 0) { files in
                for index in files {
                    results[index] = Result { () throws(ImageError) in try read(urls[index]) }
                }
            }
        }
        return try results.map { result throws(ImageError) in try result!.get() }
    }

    private static func read(path: String, displayPath: String) throws(ImageError) -> RGBImage {
        let bytes = try FileBytes.read(path: path, displayPath: displayPath)
        return try decode(bytes, name: displayPath)
    }

    /// Decodes PNG or JPEG bytes already in memory; `name` is the file name used in error messages.
    public static func decode(_ bytes: [UInt8], name: String) throws(ImageError) -> RGBImage {
        func failure(_ problem: ImageError.Problem) -> ImageError {
            ImageError(path: name, operation: .read, problem: problem)
        }
        guard !bytes.isEmpty else { throw failure(.empty) }
        switch FormatSniffer.identify(bytes) {
        case .png:
            return try decodePNG(bytes, name: name)
        case .jpeg:
            return try decodeJPEG(bytes, name: name)
        case .truncatedSignature:
            throw failure(.truncated("the file ends inside the format signature"))
        case .unsupported(let format):
            throw failure(.unsupportedFormat(format))
        case .unknown:
            throw failure(.notAnImage)
        }
    }

    /// The format of a file's bytes, judged from its signature, or nil if it is neither PNG nor JPEG.
    public static func format(of bytes: [UInt8]) -> ImageFormat? {
        switch FormatSniffer.identify(bytes) {
        case .png: return .png
        case .jpeg: return .jpeg
        default: return nil
        }
    }

    private static func decodePNG(_ bytes: [UInt8], name: String) throws(ImageError) -> RGBImage {
        let header = try translating(name, .read) { () throws(CodecFailure) in try CodecBridge.readPNGHeader(bytes) }
        try checkLimits(width: header.width, height: header.height, name: name)
        let pixels = try translating(name, .read) { () throws(CodecFailure) in
            try CodecBridge.decodePNG(bytes, width: header.width, height: header.height)
        }
        return RGBImage(width: header.width, height: header.height, pixels: pixels)
    }

    private static func decodeJPEG(_ bytes: [UInt8], name: String) throws(ImageError) -> RGBImage {
        let header = try translating(name, .read) { () throws(CodecFailure) in try CodecBridge.readJPEGHeader(bytes) }
        try checkLimits(width: header.width, height: header.height, name: name)
        let pixels = try translating(name, .read) { () throws(CodecFailure) in
            try CodecBridge.decodeJPEG(bytes, width: header.width, height: header.height,
                                       maximumScans: ImageLimits.maximumProgressiveJPEGScans)
        }
        let stored = RGBImage(width: header.width, height: header.height, pixels: pixels)
        return stored.applyingExifOrientation(header.exifOrientation)
    }

    private static func checkLimits(width: Int, height: Int, name: String) throws(ImageError) {
        guard ImageLimits.accepts(width: width, height: height) else {
            throw ImageError(path: name, operation: .read, problem: .dimensionsTooLarge(width: width, height: height))
        }
    }

    // MARK: Writing

    /// Writes an 8-bit RGB PNG atomically.
    public static func writePNG(_ image: RGBImage, to url: URL) throws(ImageError) {
        try writePNG(PNGSamples(image), to: url)
    }

    /// Writes PNG samples of any layout atomically (fixtures: 16-bit, gray, palette, interlaced ...). For the
    /// package's tests only (`package`, not part of the library's API); it stays here because it shares the codec
    /// shim, the atomic writer and the error translation with the product's writer.
    package static func writePNG(_ samples: PNGSamples, to url: URL) throws(ImageError) {
        try write(to: url, inconsistency: samples.inconsistency) { file throws(CodecFailure) in
            try CodecBridge.writePNG(samples, to: file)
        }
    }

    /// Writes an RGB image as an ordinary (YCbCr, baseline) JPEG atomically; quality 1...100.
    public static func writeJPEG(_ image: RGBImage, to url: URL, quality: Int = 92) throws(ImageError) {
        try writeJPEG(JPEGSamples(image, quality: quality), to: url)
    }

    /// Writes JPEG samples of any layout atomically (fixtures: grayscale, progressive, CMYK, Exif ...); for the
    /// package's tests only, like `writePNG(_:to:)` of samples.
    package static func writeJPEG(_ samples: JPEGSamples, to url: URL) throws(ImageError) {
        try write(to: url, inconsistency: samples.inconsistency) { file throws(CodecFailure) in
            try CodecBridge.writeJPEG(samples, to: file)
        }
    }

    /// Refuses inconsistent samples, then lets `encode` fill a temporary file that replaces `url` only once
    /// it is complete.
    private static func write(to url: URL, inconsistency: String?,
                              encode: (UnsafeMutablePointer<FILE>) throws(CodecFailure) -> Void) throws(ImageError) {
        let name = url.relativePath
        if let inconsistency {
            throw ImageError(path: name, operation: .write, problem: .invalidRequest(inconsistency))
        }
        try AtomicFileWriter.write(path: url.path, displayPath: name) { file throws(ImageError) in
            try translating(name, .write) { () throws(CodecFailure) in try encode(file) }
        }
    }

    // MARK: Errors

    private static func translating<Value>(
        _ name: String, _ operation: ImageError.Operation, _ body: () throws(CodecFailure) -> Value
    ) throws(ImageError) -> Value {
        do throws(CodecFailure) {
            return try body()
        } catch {
            throw ImageError(path: name, operation: operation, problem: problem(for: error))
        }
    }

    private static func problem(for failure: CodecFailure) -> ImageError.Problem {
        switch failure.kind {
        case .truncated: return .truncated(failure.message)
        case .notRecognized, .corrupt: return .corrupt(failure.message)
        case .unsupported, .limitExceeded: return .unsupported(failure.message)
        case .invalidArgument: return .invalidRequest(failure.message)
        case .writeFailed: return .ioFailure("write failed (\(failure.message))")
        }
    }
}
