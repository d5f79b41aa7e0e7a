import Foundation
import ImageIO

/// A run kept as an animation: the init image, then a frame every `every` iterations, the last frame held
/// longer. Frames are encoded as they come (`AnimationFileWriter`); only the newest frame is held back, because
/// its duration depends on whether another follows. The file appears, complete, at `finish`.
public final class Timelapse {
    /// 300 iterations every 5 → 61 frames at 80 ms ≈ 5 s of animation, plus the held last frame.
    public static let defaultEvery = 5
    public static let frameMilliseconds = 80
    public static let lastFrameMilliseconds = 1500
    public static let allowedEvery = 1...100_000

    public let path: String
    public let every: Int
    private var writer: AnimationFileWriter?
    private var held: RGBImage?
    private var lastIteration: Int?

    /// Checks the name and folder now (before any work); the file is created with the first frame.
    public init(path: String, every: Int = Timelapse.defaultEvery) throws {
        guard AnimationFormat(path: path) != nil else {
            throw TimelapseError("cannot write '\(path)': a time-lapse is .webp or .gif")
        }
        guard Self.allowedEvery.contains(every) else {
            throw TimelapseError("--timelapse-every must be 1 or more (got \(every))")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TimelapseError("cannot write '\(path)': it is a directory")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TimelapseError("cannot write '\(path)': the folder '\(folder)' does not exist")
        }
        self.path = path
        self.every = every
    }

    deinit { writer?.discard() }

    /// Whether a frame is due after `iteration` steps: the first, every `every` since the last, or after a
    /// restart (the count went down).
    public func isDue(iteration: Int) -> Bool {
        guard let lastIteration else { return true }
        return iteration < lastIteration || iteration - lastIteration >= every
    }

    /// Takes a frame (the size of the first frame is the animation's; later ones are resized to it).
    public func capture(_ image: RGBImage, iteration: Int) throws {
        if writer == nil {
            writer = try AnimationFileWriter(path: path, width: image.width, height: image.height)
        }
        if let held { try writer?.add(held, milliseconds: Self.frameMilliseconds) }
        held = image
        lastIteration = iteration
    }

    /// Takes the frame when one is due; `image` is only computed then.
    public func offer(iteration: Int, image: () -> RGBImage) throws {
        if isDue(iteration: iteration) { try capture(image(), iteration: iteration) }
    }

    /// Adds `final` unless it is the frame just taken, holds the last frame longer, and writes the file; returns
    /// the frames it holds (the WebP encoder merges a frame with no visible change into the one before).
    @discardableResult
    public func finish(final image: RGBImage?, iteration: Int?) throws -> Int {
        if let image, let iteration, iteration != lastIteration || held == nil { try capture(image, iteration: iteration) }
        guard let writer, let held else { throw TimelapseError("cannot write '\(path)': no frames were taken") }
        try writer.add(held, milliseconds: Self.lastFrameMilliseconds)
        let written = try writer.finish()
        self.writer = nil
        self.held = nil
        return written
    }

    /// Stops without writing anything.
    public func discard() {
        writer?.discard()
        writer = nil
        held = nil
    }
}

public struct TimelapseError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
