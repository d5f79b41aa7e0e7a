/// Safety limits applied before any pixel buffer is allocated.
///
/// A small, well-formed file can declare an enormous image (a "decompression bomb"); the header is checked
/// against these limits first, so such a file costs a few bytes of reading and one clear error.
public enum ImageLimits {
    /// The largest width or height accepted, in pixels.
    public static let maximumSide = 16_384
    /// The largest pixel count accepted (64 megapixels).
    public static let maximumPixelCount = 64_000_000
    /// The largest file read into memory, in bytes (1 GiB).
    public static let maximumFileSize = 1 << 30
    /// The most scans a progressive JPEG may have (real encoders use about 10; thousands is a CPU bomb).
    public static let maximumProgressiveJPEGScans = 500

    /// Whether an image of this size is within the limits.
    public static func accepts(width: Int, height: Int) -> Bool {
        width > 0 && height > 0 && width <= maximumSide && height <= maximumSide
            && width * height <= maximumPixelCount
    }
}
