import Foundation
import ImageIO
import StyleEngine
import Testing
@testable import StudioCore

/// The colour modes and several paintings through a real run (real weights, tiny images).
@Suite("Look: colour modes and several paintings in a run", .serialized)
struct LookTransferTests {
    static func settings(_ color: ColorMode) -> StyleSettings {
        var settings = StyleSettings()
        settings.size = 64
        settings.color = color
        return settings
    }

    static func photoAtWorkingSize(_ content: RGBImage, size: Int) -> RGBImage {
        let working = StyleTransfer.workingSize(width: content.width, height: content.height, longSide: size)
        return content.resized(width: working.width, height: working.height)
    }

    @Test func luminanceResultHasThePhotosChroma() throws {
        let (content, style) = try StyleSessionTests.images()
        let transfer = try StyleTransfer(weights: try StyleSessionTests.weights(), content: content, style: style,
                                         settings: Self.settings(.luminance))
        for _ in 0..<3 { try transfer.step() }
        let result = transfer.currentImage
        let photo = Self.photoAtWorkingSize(content, size: 64)
        #expect(result.pixels != photo.pixels, "the luminance was painted")
        let chroma = LuminanceTransfer.chroma(result.pixels.map(Float.init))
        let expected = LuminanceTransfer.chroma(photo.pixels.map(Float.init))
        var checked = 0
        for pixel in 0..<(result.width * result.height)
        where (0..<3).allSatisfy({ result.pixels[3 * pixel + $0] > 0 && result.pixels[3 * pixel + $0] < 255 }) {
            checked += 1
            #expect(abs(chroma[2 * pixel] - expected[2 * pixel]) < 0.6, "I at pixel \(pixel)")
            #expect(abs(chroma[2 * pixel + 1] - expected[2 * pixel + 1]) < 0.6, "Q at pixel \(pixel)")
        }
        #expect(checked > result.width * result.height / 2)
    }

    @Test func matchedPaintingHasThePhotosColourStatistics() throws {
        let (content, style) = try StyleSessionTests.images()
        let photo = Self.photoAtWorkingSize(content, size: 64)
        let prepared = StyleImagePreparation.prepare(content: photo, styles: [style.resized(width: 64, height: 51)], color: .match)
        let mean = ImagePreprocessing.meanBGR
        let engine = prepared.styles[0].pixels
        var rgb = [Float](repeating: 0, count: engine.count)
        for pixel in 0..<(engine.count / 3) {
            (rgb[3 * pixel], rgb[3 * pixel + 1], rgb[3 * pixel + 2]) =
                (engine[3 * pixel + 2] + mean.2, engine[3 * pixel + 1] + mean.1, engine[3 * pixel] + mean.0)
        }
        let (matchedMean, matchedCovariance) = ColorTransfer.statistics(rgb)
        let (photoMean, photoCovariance) = ColorTransfer.statistics(photo.pixels.map(Float.init))
        for i in 0..<3 { #expect(abs(matchedMean[i] - photoMean[i]) < 1e-2) }
        let scale = photoCovariance.map(abs).max()!
        for i in 0..<9 { #expect(abs(matchedCovariance[i] - photoCovariance[i]) < 1e-3 * scale) }
    }

    @Test func twoPaintingsReblendLiveAndKeepTheImage() throws {
        let (content, style) = try StyleSessionTests.images()
        let second = try ImageFile.read(StyleSessionTests.repositoryRoot.appendingPathComponent("Assets/style/great_wave.png"))
        var settings = Self.settings(.original)
        settings.objective.styleBlend = [1, 1]
        let transfer = try StyleTransfer(weights: try StyleSessionTests.weights(), content: content, styles: [style, second],
                                         settings: settings)
        try transfer.step()
        let before = transfer.evaluate()
        let image = transfer.currentImage
        settings.objective.styleBlend = [1, 0]
        settings.objective.styleLoss = .wasserstein
        try transfer.apply(settings)
        #expect(transfer.currentImage == image, "re-blending keeps the image")
        #expect(transfer.evaluate().style != before.style)
        try transfer.step()
    }

    @Test(arguments: [("a.png", "a.png", 1.0), ("dir/b.jpg:0.25", "dir/b.jpg", 0.25), ("c:d.png", "c:d.png", 1.0),
                      ("e.png:2", "e.png", 2.0)])
    func styleArguments(argument: String, path: String, weight: Double) {
        let choice = StyleImageChoice(argument: argument)
        #expect(choice.path == path && choice.weight == weight)
    }
}
