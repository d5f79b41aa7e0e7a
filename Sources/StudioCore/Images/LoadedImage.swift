import ImageIO

/// An image the studio has loaded, with the path it came from and the thumbnail its panes show.
public struct LoadedImage: Hashable, Sendable {
    /// Long side of the thumbnails the studio's content and style panes and its file picker show.
    public static let thumbnailSide = 320

    public var path: String
    /// Original resolution: what the session gets.
    public var image: RGBImage
    /// The small copy the preview panes show: `image` shrunk to `thumbnailSide`, made where the file was read.
    public var thumbnail: RGBImage

    /// An image and its thumbnail; the thumbnail is made from `image` when not given (a large image takes a
    /// while: make it away from the UI loop, as `read(path:)` does).
    public init(path: String, image: RGBImage, thumbnail: RGBImage? = nil) {
        self.path = path
        self.image = image
        self.thumbnail = thumbnail ?? image.shrunk(toLongSide: Self.thumbnailSide)
    }

    /// Reads `path` and makes its thumbnail, both away from the UI thread: a 6000x4000 photo takes seconds to
    /// decode and to shrink, and the studio's loop must never wait for that.
    public static func read(path: String) throws -> LoadedImage {
        LoadedImage(path: path, image: try ImageFile.read(path: path))
    }
}
