import Foundation
import ImageIO
import StyleEngine
import Testing
@testable import StudioCore

/// The session the studio drives, with the real weights on tiny images: it runs in the background,
/// reports every iteration, pauses, takes settings mid-run without losing the image, and shuts down.
@Suite("StyleSession and StyleTransfer", .serialized)
struct StyleSessionTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func weights() throws -> VGG19Weights {
        let path = ProcessInfo.processInfo.environment["STYLESTUDIO_WEIGHTS"]
        return try VGG19Weights(contentsOf: path.map { URL(fileURLWithPath: $0) } ?? VGG19Weights.defaultLocation)
    }

    static func images() throws -> (content: RGBImage, style: RGBImage) {
        let assets = repositoryRoot.appendingPathComponent("Assets")
        return (try ImageFile.read(assets.appendingPathComponent("content/chelsea_cat.png")),
                try ImageFile.read(assets.appendingPathComponent("style/starry_night.png")))
    }

    static func smallSettings() -> StyleSettings {
        var settings = StyleSettings()
        settings.size = 48
        return settings
    }

    /// The first snapshot that satisfies `condition`, or a failure after `seconds`.
    static func waitFor(_ session: StyleSession, seconds: Double = 60,
                        _ condition: @escaping @Sendable (SessionSnapshot) -> Bool) async throws -> SessionSnapshot {
        try await withThrowingTaskGroup(of: SessionSnapshot?.self) { group in
            group.addTask {
                for await snapshot in session.snapshots where condition(snapshot) { return snapshot }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "no matching snapshot within \(seconds) s")
        }
    }

    @Test func runsToTheIterationLimitAndReportsEveryTerm() async throws {
        let (content, style) = try Self.images()
        let session = try StyleSession(weights: Self.weights(), settings: Self.smallSettings())
        await session.load(content: content, style: style)
        await session.setIterationLimit(5)
        await session.start()
        let finished = try await Self.waitFor(session) { $0.state == .finished }
        #expect(finished.iteration == 5)
        let losses = try #require(finished.losses)
        #expect(losses.isFinite && losses.content > 0 && losses.style > 0 && losses.totalVariation > 0)
        let image = try #require(finished.image)
        #expect(max(image.width, image.height) == 48)
        // Continuing after the limit goes on painting from the same image.
        await session.resume()
        _ = try await Self.waitFor(session) { $0.iteration >= 7 && $0.state == .running }
        await session.shutdown()
    }

    @Test func pauseHoldsAndSettingsApplyWithoutLosingTheImage() async throws {
        let (content, style) = try Self.images()
        let session = try StyleSession(weights: Self.weights(), settings: Self.smallSettings())
        await session.load(content: content, style: style)
        await session.start()
        _ = try await Self.waitFor(session) { $0.iteration >= 3 }
        await session.pause()
        let paused = try await Self.waitFor(session) { $0.state == .paused }
        try await Task.sleep(for: .milliseconds(400))
        let imageBefore = try #require(await session.currentImage())
        #expect(await session.currentImage() == imageBefore, "iterations ran while paused")

        var heavier = Self.smallSettings()
        heavier.objective.styleWeight *= 10
        await session.apply(heavier)
        #expect(await session.currentImage() == imageBefore, "a weight change must keep the current image")
        let applied = try await Self.waitFor(session) { $0.settingsGeneration == paused.settingsGeneration + 1 }
        #expect(applied.settings.objective.styleWeight == heavier.objective.styleWeight)
        #expect(applied.iteration == paused.iteration, "the iteration count carries on")

        await session.resume()
        let resumed = try await Self.waitFor(session) { $0.iteration >= paused.iteration + 2 }
        #expect(resumed.state == .running)
        #expect(resumed.settings == heavier)

        // A size change continues from the current image, resized.
        await session.pause()
        _ = try await Self.waitFor(session) { $0.state == .paused }
        var larger = heavier
        larger.size = 64
        await session.apply(larger)
        let image = try #require(await session.currentImage())
        #expect(max(image.width, image.height) == 64)
        await session.shutdown()
    }

    @Test func aRefusedChangeKeepsTheRunAndSaysWhy() async throws {
        let (content, style) = try Self.images()
        let session = try StyleSession(weights: Self.weights(), settings: Self.smallSettings())
        await session.load(content: content, style: style)
        await session.start()
        _ = try await Self.waitFor(session) { $0.iteration >= 2 }
        await session.pause()
        let paused = try await Self.waitFor(session) { $0.state == .paused }
        var tooSmall = Self.smallSettings()
        tooSmall.size = 20     // the cat becomes 20×13 px: VGG19 needs 16
        await session.apply(tooSmall)
        let refused = try await Self.waitFor(session) { $0.rejectionCount == 1 }
        #expect(refused.state == .paused)
        #expect(refused.settings == Self.smallSettings())
        #expect(refused.rejection?.contains("20×13") == true)
        await session.resume()
        _ = try await Self.waitFor(session) { $0.iteration >= paused.iteration + 1 && $0.state == .running }
        await session.shutdown()
        await session.start()   // after shutdown: ignored
        #expect(await session.currentSettings() == Self.smallSettings())
    }

    @Test func transferKeepsTheImageOnReweightAndRestartReturnsToTheInit() throws {
        let (content, style) = try Self.images()
        let transfer = try StyleTransfer(weights: Self.weights(), content: content, style: style, settings: Self.smallSettings())
        let initial = transfer.currentImage
        for _ in 0..<3 { try transfer.step() }
        let painted = transfer.currentImage
        #expect(painted != initial)
        var settings = Self.smallSettings()
        settings.objective.totalVariationWeight = 0.01
        settings.objective.styleLayers = [WeightedLayer(VGGLayer(name: "conv3_1")!)]
        try transfer.apply(settings)
        #expect(transfer.currentImage == painted)
        #expect(transfer.iteration == 2, "the start image, then two steps")
        let record = try transfer.step()
        #expect(record.iteration == 3 && record.losses.isFinite)
        #expect(record.evaluations >= 2, "x evaluated under the new settings, then the step's own evaluation")
        try transfer.restart()
        #expect(transfer.iteration == 0)
        #expect(transfer.currentImage == initial)
    }

    @Test func noiseInitIsReproducibleFromTheSeed() throws {
        let (content, style) = try Self.images()
        var settings = Self.smallSettings()
        settings.initialization = .noise
        settings.seed = 42
        let weights = try Self.weights()
        let first = try StyleTransfer(weights: weights, content: content, style: style, settings: settings)
        let second = try StyleTransfer(weights: weights, content: content, style: style, settings: settings)
        #expect(first.currentImage == second.currentImage)
        settings.seed = 43
        let third = try StyleTransfer(weights: weights, content: content, style: style, settings: settings)
        #expect(third.currentImage != first.currentImage)
        for _ in 0..<3 {
            let a = try first.step(), b = try second.step()
            #expect(a.losses == b.losses)
        }
        #expect(first.currentImage == second.currentImage)
    }

    /// A learning rate far too large makes L-BFGS without line search blow the loss up by many orders of
    /// magnitude: the run steps back to its best image and carries on with shorter steps instead of getting
    /// stuck, repeating the failed step, or crashing.
    @Test func anExplodingOptimizerStepsBackToItsBestImage() throws {
        let (content, style) = try Self.images()
        var settings = Self.smallSettings()
        settings.optimizer.learningRate = 1e4
        settings.optimizer.lineSearch = .none
        let transfer = try StyleTransfer(weights: Self.weights(), content: content, style: style, settings: settings)
        var totals: [Double] = []
        for _ in 0..<12 { totals.append(try transfer.step().losses.total) }
        let first = totals[0]
        let explosion = try #require(totals.firstIndex { $0 > 1e6 * first }, "the test needs an explosion: \(totals)")
        try #require(explosion + 1 < totals.count)
        // The evaluation after the explosion is back at (or below) the best loss seen before it.
        #expect(totals[explosion + 1] <= totals[..<explosion].min()!)
        #expect(totals.allSatisfy { $0.isFinite })
        // The failed step is never repeated: no exploded loss comes back.
        let exploded = totals.filter { $0 > 1e6 * first }
        #expect(Set(exploded).count == exploded.count, "\(totals)")
    }

    @Test func tooSmallAnImageIsAClearError() throws {
        let (content, style) = try Self.images()
        var settings = Self.smallSettings()
        settings.size = 20   // the cat is 451×300: 20 px wide makes it 13 px high
        #expect(throws: StyleTransferError.imageTooSmall(width: 20, height: 13)) {
            try StyleTransfer(weights: Self.weights(), content: content, style: style, settings: settings)
        }
    }
}
