/// Writes an animation frame by frame, atomically: the frames are encoded as they arrive (giflib streams each
/// frame to a temporary file; libwebp keeps only the compressed frames), so memory stays bounded however long
/// the run, and the file appears under its name only when `finish()` succeeds.
public final class AnimationFileWriter {
    public let path: String
    public let format: AnimationFormat
    public let width: Int
    public let height: Int
    private let file: PendingFile
    private let encoder: AnimationEncoder

    /// Fails at once (before any frame) when the extension is not `.webp` or `.gif`, the folder does not exist
    /// or cannot be written, or the size is unusable.
    public init(path: String, width: Int, height: Int) throws(ImageError) {
        guard let format = AnimationFormat(path: path) else {
            throw ImageError(path: path, operation: .write,
                             problem: .invalidRequest("a time-lapse is written as .webp or .gif"))
        }
        guard (1...ImageLimits.maximumSide).contains(width), (1...ImageLimits.maximumSide).contains(height),
              width <= 65_535, height <= 16_383 else {
            throw ImageError(path: path, operation: .write, problem: .dimensionsTooLarge(width: width, height: height))
        }
        self.path = path
        self.format = format
        self.width = width
        self.height = height
        file = try PendingFile(path: path, displayPath: path)
        switch format {
        case .webp: encoder = try WebPAnimationEncoder(file: file, width: width, height: height)
        case .gif: encoder = try GIFAnimationEncoder(file: file, width: width, height: height)
        }
    }

    /// Adds a frame shown for `milliseconds`; a frame of another size is resized to the canvas.
    public func add(_ image: RGBImage, milliseconds: Int) throws(ImageError) {
        let frame = image.width == width && image.height == height ? image : image.resized(width: width, height: height)
        do {
            try encoder.add(frame, milliseconds: max(10, milliseconds))
        } catch {
            file.discard()
            throw error
        }
    }

    /// Completes the file and puts it in place; returns the frames it holds (a WebP frame that shows no visible
    /// change is merged into the one before, shown for both durations).
    @discardableResult
    public func finish() throws(ImageError) -> Int {
        do {
            let written = try encoder.finish()
            try file.commit()
            return written
        } catch {
            file.discard()
            throw error
        }
    }

    /// Gives up: nothing is written.
    public func discard() { file.discard() }
}
