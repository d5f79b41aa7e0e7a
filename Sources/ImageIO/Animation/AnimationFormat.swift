/// The animation formats a time-lapse can be written in, chosen by the file name's extension.
public enum AnimationFormat: String, Sendable, CaseIterable {
    /// Animated WebP through libwebp's `WebPAnimEncoder` (lossy, full colour, small files).
    case webp
    /// GIF through giflib, 256 colours per frame chosen by libimagequant, dithered.
    case gif

    /// `.webp` or `.gif` (any case); nil for anything else.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }
}

/// Turns frames into one format's bytes. Frames all have the canvas size given at creation.
protocol AnimationEncoder: AnyObject {
    /// Adds a frame shown for `milliseconds`.
    func add(_ image: RGBImage, milliseconds: Int) throws(ImageError)
    /// Writes whatever is still buffered to the pending file (which the caller then commits); returns the frames
    /// the file holds.
    func finish() throws(ImageError) -> Int
}
