// Layout legend: every tensor of the engine uses these conventions.
//
//   H, W     height and width of a feature map: the image's working size, halved (floor) after each pooling.
//   C        channels: 3 for the image (B, G, R, in that order), 64…512 for VGG19 features.
//   P        padded row length, W + 2.
//   padded   a feature map stored NHWC (channel fastest) with a one-pixel zero border all round:
//            (H + 2) rows × P pixels × C floats, then `slackPixels` more zero pixels so that shifted
//            views of a 3×3 neighbourhood stay in bounds. Pixel (y, x) of channel c, in unpadded
//            coordinates, lives at ((y + 1)·P + (x + 1))·C + c. The border and slack are zero whenever a
//            layer reads the buffer as input (the network clears them after each layer's forward).
//   flat pixel index   o = y·P + x for the im2col matrix's row o; its input tap (dy, dx) is the
//            flat padded pixel o + dy·P + dx, and its output lands at flat padded pixel o + P + 1.
//            Rows with x ∈ {W, W+1} are garbage and land exactly on border pixels, which are then cleared.
//   tile     Winograd F(m×m, 3×3), m = 2 or 4 (n = m + 2): output tile (ty, tx) is pixels
//            (m·ty…m·ty+m−1, m·tx…m·tx+m−1), those past H or W dropped; it reads the n×n padded pixels
//            from (m·ty, m·tx), those past the padded map read as zeros. V, M: n² planes of (tiles × C),
//            plane ξ = n·row + column; tiles numbered row-major, tile = ty·⌈W/m⌉ + tx.
//   kernel   PyTorch's [Cout][Cin][3][3] in the weights file. Image layer: [dy][dx][Cin][Cout], the
//            (9·Cin) × Cout im2col matrix. Other layers: n² Winograd matrices U_ξ, Cin × Cout row-major,
//            read transposed and permuted for the image gradient (WinogradKernel.swift, WinogradTile.swift).
//   image    the optimized variable x: unpadded H × W × 3, BGR, 0…255 minus the ImageNet mean.
//   gradient always d(loss)/d(the tensor it sits beside); only image gradients are computed, never weights'.

/// Shape of a padded NHWC feature map (see the legend above).
public struct FeatureShape: Hashable, Sendable, CustomStringConvertible {
    public let height: Int
    public let width: Int
    public let channels: Int

    /// Extra zero pixels after the padded map, so shifted 3×3 views stay in bounds.
    public static let slackPixels = 2

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Padded row length in pixels.
    public var paddedWidth: Int { width + 2 }
    /// Pixels in the padded map, slack included.
    public var paddedPixelCount: Int { (height + 2) * paddedWidth + Self.slackPixels }
    /// Floats in the padded map, slack included.
    public var paddedCount: Int { paddedPixelCount * channels }
    /// Values that carry data (C·H·W).
    public var elementCount: Int { height * width * channels }

    /// Index of channel c of pixel (y, x) in unpadded coordinates.
    @inline(__always)
    public func index(y: Int, x: Int, channel: Int) -> Int {
        ((y + 1) * paddedWidth + (x + 1)) * channels + channel
    }

    /// The shape after a 2×2, stride-2 pooling (floor, as PyTorch and Keras).
    public var pooled: FeatureShape { FeatureShape(height: height / 2, width: width / 2, channels: channels) }

    /// Zeroes every border and slack float of a padded map, leaving the interior alone.
    func clearBorder(_ map: UnsafeMutablePointer<Float>) {
        let p = paddedWidth, c = channels
        map.update(repeating: 0, count: (p + 1) * c)                      // top row and (1, 0)
        for y in 1...max(1, height) where y <= height {
            (map + (y * p + width + 1) * c).update(repeating: 0, count: 2 * c)   // (y, W+1) and (y+1, 0)
        }
        let bottom = ((height + 1) * p + 1) * c                           // (H+1, 1) onwards, slack included
        (map + bottom).update(repeating: 0, count: paddedCount - bottom)
    }

    public func withChannels(_ channels: Int) -> FeatureShape {
        FeatureShape(height: height, width: width, channels: channels)
    }

    public var description: String { "\(channels)×\(height)×\(width)" }
}
