import Foundation
import ImageIO
import StudioCore
import TestSupport
import Testing

@Suite("Loaded images: the thumbnail is made with the image")
struct LoadedImageTests {
    @Test("a large image gets a thumbnail of the thumbnail side; a small one is its own thumbnail")
    func thumbnail() {
        let side = LoadedImage.thumbnailSide
        let large = randomImage(width: side * 2, height: side, seed: 1)
        let loaded = LoadedImage(path: "/a/large.png", image: large)
        #expect(loaded.thumbnail.width == side && loaded.thumbnail.height == side / 2)
        #expect(loaded.thumbnail == large.shrunk(toLongSide: side))
        let small = randomImage(width: 12, height: 30, seed: 2)
        #expect(LoadedImage(path: "/a/small.png", image: small).thumbnail == small)
        let given = randomImage(width: 3, height: 3, seed: 3)
        #expect(LoadedImage(path: "/a/large.png", image: large, thumbnail: given).thumbnail == given)
    }

    @Test("reading a file keeps the full image and makes its thumbnail")
    func read() throws {
        let folder = try TemporaryFolder("loaded-image")
        let image = randomImage(width: 400, height: 100, seed: 4)
        let url = folder.file("wide.png")
        try ImageFile.writePNG(image, to: url)
        let loaded = try LoadedImage.read(path: url.path)
        #expect(loaded.path == url.path)
        #expect(loaded.image == image)
        #expect(loaded.thumbnail.width == LoadedImage.thumbnailSide && loaded.thumbnail.height == 80)
        #expect(throws: (any Error).self) { try LoadedImage.read(path: folder.file("missing.png").path) }
    }
}
