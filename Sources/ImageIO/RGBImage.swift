/// An 8-bit sRGB image, pixels interleaved R, G, B, row-major, no padding.
public struct RGBImage: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "RGB buffer does not match its size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
