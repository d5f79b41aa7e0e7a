import Foundation
import ImageIO

/// Where a render's result goes: JPEG when the file name ends in .jpg or .jpeg, PNG otherwise; written
/// atomically (a temporary file renamed over the target).
public enum RenderOutput {
    public static func isJPEG(_ url: URL) -> Bool {
        ["jpg", "jpeg"].contains(url.pathExtension.lowercased())
    }

    public static func write(_ image: RGBImage, to url: URL) throws {
        if isJPEG(url) {
            try ImageFile.writeJPEG(image, to: url)
        } else {
            try ImageFile.writePNG(image, to: url)
        }
    }
}
