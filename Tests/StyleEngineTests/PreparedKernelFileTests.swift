import Foundation
@testable import StyleEngine
import Testing

/// The prepared kernels kept beside a weights file (`PreparedKernelFile`): a second process maps what the first
/// prepared and computes the same activations; a file that does not match (truncated, damaged, or the weights
/// file changed) is not used, and is replaced.
@Suite("Prepared kernels kept between processes", .serialized)
struct PreparedKernelFileTests {
    /// A copy of the real weights in a fresh folder (the prepared file is written beside it).
    static func copyOfTheWeights() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stylestudio-prepared-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("vgg19.safetensors")
        try FileManager.default.copyItem(at: WeightsTests.realWeightsLocation, to: copy)
        return copy
    }

    static let deepest = VGGLayer(index: 4)  // block3_conv1: four Winograd layers, a small file

    /// Plans a network (which prepares the kernels) and returns its block3_conv1 activation for a fixed image.
    static func activation(_ weights: VGG19Weights) -> [Float] {
        let network = VGG19Network(weights: weights, height: 20, width: 24, deepestLayer: deepest, pooling: .max)
        var random = SplitMix64(seed: 7)
        let image = (0..<(20 * 24 * 3)).map { _ in Float(random.nextUnit() * 200 - 100) }
        var result: [Float] = []
        image.withUnsafeBufferPointer { pixels in
            network.forward(image: pixels.baseAddress!) { layer, values in
                if layer == deepest {
                    result = Array(UnsafeBufferPointer(start: values, count: network.shape(of: layer).paddedCount))
                }
            }
        }
        return result
    }

    static func fileSize(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
    }

    @Test func aSecondProcessMapsWhatTheFirstPrepared() throws {
        let weightsURL = try Self.copyOfTheWeights()
        defer { try? FileManager.default.removeItem(at: weightsURL.deletingLastPathComponent()) }
        let kept = PreparedKernelFile.location(besideWeights: weightsURL)
        let first = try VGG19Weights(contentsOf: weightsURL)
        let expected = Self.activation(first)
        #expect(first.preparedConvolutions.loadedFromFileCount == 0)
        let size = PreparedKernelFile.headerBytes + PreparedKernelFile.dataBytes(first: Self.deepest.index + 1)
        #expect(Self.fileSize(kept) == size, "the first process writes the kernels of the layers it used")

        let second = try VGG19Weights(contentsOf: weightsURL)
        #expect(Self.activation(second) == expected, "kernels read back compute exactly the same activations")
        #expect(second.preparedConvolutions.loadedFromFileCount == Self.deepest.index + 1)
        // A deeper network prepares only the layers the file does not hold.
        _ = VGG19Network(weights: second, height: 20, width: 24, deepestLayer: VGGLayer(index: 6), pooling: .max)
        #expect(second.preparedConvolutions.preparationCount == 7)
        #expect(second.preparedConvolutions.loadedFromFileCount == 5)
        // A later process whose first network goes deeper than the file extends the file.
        let deeper = try VGG19Weights(contentsOf: weightsURL)
        _ = VGG19Network(weights: deeper, height: 20, width: 24, deepestLayer: VGGLayer(index: 6), pooling: .max)
        #expect(deeper.preparedConvolutions.loadedFromFileCount == 5)
        #expect(Self.fileSize(kept) == PreparedKernelFile.headerBytes + PreparedKernelFile.dataBytes(first: 7))
        let fourth = try VGG19Weights(contentsOf: weightsURL)
        _ = VGG19Network(weights: fourth, height: 20, width: 24, deepestLayer: VGGLayer(index: 6), pooling: .max)
        #expect(fourth.preparedConvolutions.loadedFromFileCount == 7)

        // Not kept when asked not to.
        let notKept = try VGG19Weights(contentsOf: weightsURL, keepsPreparedKernels: false)
        #expect(Self.activation(notKept) == expected)
        #expect(notKept.preparedConvolutions.loadedFromFileCount == 0)
    }

    /// Something else at the prepared file's name (a FIFO, a folder) is ignored, never waited on or replaced.
    @Test(arguments: ["fifo", "folder"])
    func somethingElseThereIsIgnored(_ kind: String) throws {
        let weightsURL = try Self.copyOfTheWeights()
        defer { try? FileManager.default.removeItem(at: weightsURL.deletingLastPathComponent()) }
        let kept = PreparedKernelFile.location(besideWeights: weightsURL)
        if kind == "fifo" {
            #expect(mkfifo(kept.path, 0o644) == 0)
        } else {
            try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: false)
        }
        let weights = try VGG19Weights(contentsOf: weightsURL)
        #expect(Self.activation(weights) == Self.activation(try VGG19Weights(contentsOf: weightsURL, keepsPreparedKernels: false)))
        #expect(weights.preparedConvolutions.loadedFromFileCount == 0)
        var status = stat()
        #expect(lstat(kept.path, &status) == 0 && (status.st_mode & S_IFMT) == (kind == "fifo" ? S_IFIFO : S_IFDIR))
    }

    @Test(arguments: ["truncated", "damaged", "weights changed", "not a kernel file"])
    func aFileThatDoesNotMatchIsReplaced(_ damage: String) throws {
        let weightsURL = try Self.copyOfTheWeights()
        defer { try? FileManager.default.removeItem(at: weightsURL.deletingLastPathComponent()) }
        let kept = PreparedKernelFile.location(besideWeights: weightsURL)
        let expected = Self.activation(try VGG19Weights(contentsOf: weightsURL))
        let size = try #require(Self.fileSize(kept))
        switch damage {
        case "truncated":
            try FileHandle(forWritingTo: kept).truncate(atOffset: UInt64(size - 4096))
        case "damaged":
            // One byte of the first Winograd layer's matrices (the layer checked against a fresh preparation).
            let handle = try FileHandle(forUpdating: kept)
            try handle.seek(toOffset: UInt64(PreparedKernelFile.headerBytes + 1000))
            let byte = try #require(try handle.read(upToCount: 1))
            try handle.seek(toOffset: UInt64(PreparedKernelFile.headerBytes + 1000))
            try handle.write(contentsOf: Data([byte[0] ^ 0x40]))
            try handle.close()
        case "weights changed":
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)],
                                                  ofItemAtPath: weightsURL.path)
        default:
            try Data(repeating: 7, count: size).write(to: kept)
        }
        let again = try VGG19Weights(contentsOf: weightsURL)
        #expect(Self.activation(again) == expected, "\(damage): the kernels are prepared afresh")
        #expect(again.preparedConvolutions.loadedFromFileCount == 0, "\(damage): the file was used")
        #expect(Self.fileSize(kept) == size, "\(damage): the file is written again")
        let third = try VGG19Weights(contentsOf: weightsURL)
        #expect(Self.activation(third) == expected)
        #expect(third.preparedConvolutions.loadedFromFileCount == Self.deepest.index + 1, "\(damage): the new file is used")
    }
}
