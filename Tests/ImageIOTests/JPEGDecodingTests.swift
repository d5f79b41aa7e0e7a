import Foundation
import TestSupport
import Testing
@testable import ImageIO

@Suite("JPEG decoding")
struct JPEGDecodingTests {
    private func meanAbsoluteDifference(_ first: [UInt8], _ second: [UInt8]) -> Double {
        precondition(first.count == second.count)
        let total = zip(first, second).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(first.count)
    }

    private func maximumDifference(_ first: [UInt8], _ second: [UInt8]) -> Int {
        zip(first, second).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    @Test("baseline and progressive RGB round trips are close", arguments: [false, true])
    func rgbRoundTrip(progressive: Bool) throws {
        let directory = try TemporaryFolder()
        let original = gradientImage(width: 64, height: 48)
        let url = directory.file("photo.jpg")
        try ImageFile.writeJPEG(JPEGSamples(original, quality: 95, progressive: progressive), to: url)
        let data = try bytes(of: url)
        #expect(ImageFile.format(of: data) == .jpeg)
        // SOF2 marks a progressive file, SOF0 a baseline one.
        let marker: UInt8 = progressive ? 0xC2 : 0xC0
        #expect(data.indices.dropLast().contains { data[$0] == 0xFF && data[$0 + 1] == marker })

        let decoded = try ImageFile.read(url)
        #expect(decoded.width == 64 && decoded.height == 48)
        #expect(meanAbsoluteDifference(decoded.pixels, original.pixels) < 2)
        #expect(maximumDifference(decoded.pixels, original.pixels) < 24)
        #expect(decoded != original || original.pixels.isEmpty, "JPEG is lossy: an exact match would be suspicious")
    }

    @Test("grayscale JPEG decodes to equal R, G and B close to the gray values")
    func grayscale() throws {
        let directory = try TemporaryFolder()
        let width = 40, height = 24
        let gray = (0..<width * height).map { UInt8(($0 % width) * 5 + ($0 / width) * 2) }
        let url = directory.file("gray.jpg")
        try ImageFile.writeJPEG(JPEGSamples(width: width, height: height, colorSpace: .grayscale, pixels: gray,
                                            quality: 95), to: url)
        let decoded = try ImageFile.read(url)
        #expect(decoded.width == width && decoded.height == height)
        var decodedGray: [UInt8] = []
        for pixel in 0..<width * height {
            let red = decoded.pixels[pixel * 3]
            #expect(decoded.pixels[pixel * 3 + 1] == red && decoded.pixels[pixel * 3 + 2] == red)
            decodedGray.append(red)
        }
        #expect(meanAbsoluteDifference(decodedGray, gray) < 2)
    }

    /// Target colours as CMYK ink amounts, and the RGB they stand for: R = (1 - C)(1 - K) etc.
    private static let inks: [[Int]] = [[0, 0, 0, 0], [255, 0, 0, 0], [0, 128, 255, 0], [30, 60, 90, 120]]

    private static func expectedRGB(ink: [Int]) -> [UInt8] {
        (0..<3).map { UInt8((Double((255 - ink[$0]) * (255 - ink[3])) / 255).rounded()) }
    }

    @Test("CMYK and YCCK JPEGs, Adobe-inverted or plain, decode to the right RGB", arguments: [
        (JPEGSamples.StoredColorSpace.cmyk, true), (.cmyk, false), (.ycck, true),
    ])
    func cmyk(space: JPEGSamples.StoredColorSpace, adobe: Bool) throws {
        let directory = try TemporaryFolder()
        let blockSize = 16
        // One 16x16 block per colour, side by side. With the Adobe marker the bytes are stored inverted.
        var pixels: [UInt8] = []
        for _ in 0..<blockSize {
            for ink in Self.inks {
                for _ in 0..<blockSize {
                    pixels += ink.map { UInt8(adobe ? 255 - $0 : $0) }
                }
            }
        }
        let width = blockSize * Self.inks.count
        let url = directory.file("cmyk.jpg")
        try ImageFile.writeJPEG(JPEGSamples(width: width, height: blockSize, colorSpace: space, pixels: pixels,
                                            quality: 100, adobeMarker: adobe), to: url)
        let decoded = try ImageFile.read(url)
        #expect(decoded.width == width && decoded.height == blockSize)
        for (index, ink) in Self.inks.enumerated() {
            let center = ((blockSize / 2) * width + index * blockSize + blockSize / 2) * 3
            let actual = Array(decoded.pixels[center..<center + 3])
            #expect(maximumDifference(actual, Self.expectedRGB(ink: ink)) <= 6, "ink \(ink): got \(actual)")
        }
    }

    @Test("the Exif orientation turns the picture upright", arguments: [1, 3, 6, 8])
    func exifOrientation(orientation: Int) throws {
        let directory = try TemporaryFolder()
        // Stored picture: 32x16, left half red, right half blue.
        let width = 32, height = 16
        var pixels: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width { pixels += x < width / 2 ? [255, 0, 0] : [0, 0, 255] }
        }
        let url = directory.file("oriented.jpg")
        try ImageFile.writeJPEG(JPEGSamples(width: width, height: height, colorSpace: .yCbCr, pixels: pixels,
                                            quality: 95, exifOrientation: orientation), to: url)
        let image = try ImageFile.read(url)
        func isRed(_ x: Int, _ y: Int) -> Bool {
            let offset = (y * image.width + x) * 3
            return image.pixels[offset] > 200 && image.pixels[offset + 2] < 60
        }
        switch orientation {
        case 1:  // as stored: red on the left
            #expect(image.width == 32 && image.height == 16)
            #expect(isRed(4, 8) && !isRed(28, 8))
        case 3:  // rotated 180: red on the right
            #expect(image.width == 32 && image.height == 16)
            #expect(!isRed(4, 8) && isRed(28, 8))
        case 6:  // rotated 90 clockwise: the left edge becomes the top
            #expect(image.width == 16 && image.height == 32)
            #expect(isRed(8, 4) && !isRed(8, 28))
        default:  // 8, rotated 90 counter-clockwise: the left edge becomes the bottom
            #expect(image.width == 16 && image.height == 32)
            #expect(!isRed(8, 4) && isRed(8, 28))
        }
    }

    @Test("orientation transforms map pixels as the Exif specification says")
    func orientationMapping() {
        // 3x2 stored image with distinct values: pixel (x, y) has red = 10 * y + x.
        var pixels: [UInt8] = []
        for index in 0..<6 {
            let red = UInt8((index / 3) * 10 + index % 3)
            pixels += [red, 0, 0]
        }
        let stored = RGBImage(width: 3, height: 2, pixels: pixels)
        func reds(_ image: RGBImage) -> [UInt8] {
            stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }
        }
        #expect(reds(stored.applyingExifOrientation(1)) == [0, 1, 2, 10, 11, 12])
        #expect(reds(stored.applyingExifOrientation(2)) == [2, 1, 0, 12, 11, 10])
        #expect(reds(stored.applyingExifOrientation(3)) == [12, 11, 10, 2, 1, 0])
        #expect(reds(stored.applyingExifOrientation(4)) == [10, 11, 12, 0, 1, 2])
        #expect(reds(stored.applyingExifOrientation(5)) == [0, 10, 1, 11, 2, 12])
        #expect(reds(stored.applyingExifOrientation(6)) == [10, 0, 11, 1, 12, 2])
        #expect(reds(stored.applyingExifOrientation(7)) == [12, 2, 11, 1, 10, 0])
        #expect(reds(stored.applyingExifOrientation(8)) == [2, 12, 1, 11, 0, 10])
    }
}
