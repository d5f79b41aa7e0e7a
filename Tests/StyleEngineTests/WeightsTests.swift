import Foundation
@testable import StyleEngine
import TestSupport
import Testing

/// The real VGG19 weights against the committed checksums, and every way a weights file can be bad.
@Suite struct WeightsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$STYLESTUDIO_WEIGHTS` when set, else the default location `scripts/setup.sh` writes.
    static var realWeightsLocation: URL {
        if let path = ProcessInfo.processInfo.environment["STYLESTUDIO_WEIGHTS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return VGG19Weights.defaultLocation
    }

    struct Checksum: Decodable {
        let shape: [Int]
        let sum: Double
        let abs_sum: Double
        let first: Double
        let last: Double
    }

    @Test func realWeightsMatchTheCommittedChecksums() throws {
        let url = Self.realWeightsLocation
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("VGG19 weights not found at \(url.path): run scripts/setup.sh (or python3 scripts/fetch-weights.py)")
            return
        }
        let checksumsURL = Self.repositoryRoot.appendingPathComponent("scripts/weights_checksums.json")
        let checksums = try JSONDecoder().decode([String: Checksum].self, from: Data(contentsOf: checksumsURL))
        #expect(checksums.count == 32)

        let weights = try VGG19Weights(contentsOf: url)
        #expect(weights.convolutions.count == 16)
        for layer in VGGLayer.all {
            let convolution = weights[layer]
            #expect(convolution.layer == layer)
            for (name, values) in [("\(layer.name).weight", convolution.kernel), ("\(layer.name).bias", convolution.bias)] {
                guard let expected = checksums[name] else {
                    Issue.record("scripts/weights_checksums.json has no entry \(name)")
                    continue
                }
                #expect(values.count == expected.shape.reduce(1, *), "\(name) element count")
                guard let first = values.first, let last = values.last else { continue }
                let sum = values.reduce(0.0) { $0 + Double($1) }
                let absoluteSum = values.reduce(0.0) { $0 + Double(abs($1)) }
                #expect(isClose(sum, expected.sum), "\(name) sum \(sum) vs \(expected.sum)")
                #expect(isClose(absoluteSum, expected.abs_sum), "\(name) abs sum \(absoluteSum) vs \(expected.abs_sum)")
                #expect(isClose(Double(first), expected.first), "\(name) first \(first) vs \(expected.first)")
                #expect(isClose(Double(last), expected.last), "\(name) last \(last) vs \(expected.last)")
            }
        }
        // The shapes come from VGGLayer; check they agree with the checksum file too.
        #expect(checksums["block3_conv1.weight"]?.shape == [256, 128, 3, 3])
        #expect(checksums["block5_conv4.bias"]?.shape == [512])
    }

    func isClose(_ value: Double, _ expected: Double, relative: Double = 1e-5) -> Bool {
        abs(value - expected) <= relative * max(abs(expected), 1e-30)
    }

    @Test func defaultLocationIsInTheUserCache() {
        let path = VGG19Weights.defaultLocation.path
        #expect(path.hasSuffix("/stylestudio/vgg19.safetensors"))
        if let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            #expect(path == URL(fileURLWithPath: cache).appendingPathComponent("stylestudio/vgg19.safetensors").path)
        } else {
            #expect(path.hasSuffix("/.cache/stylestudio/vgg19.safetensors"))
        }
    }

    @Test func defaultLocationErrorsSayHowToFixThem() {
        let missing = WeightsError.missingFile(VGG19Weights.defaultLocation).description
        #expect(missing.contains(VGG19Weights.defaultLocation.path))
        #expect(missing.contains("scripts/setup.sh"))
        let corrupt = WeightsError.invalidFile(VGG19Weights.defaultLocation, reason: "the file is empty").description
        #expect(corrupt.contains("scripts/setup.sh"))
        let elsewhere = WeightsError.missingFile(URL(fileURLWithPath: "/nonexistent/other.safetensors")).description
        #expect(elsewhere.contains("/nonexistent/other.safetensors"))
        #expect(!elsewhere.contains("\n"))
    }

    // MARK: - Bad files

    @Test func missingFile() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("absent.safetensors")
        let error = expectFailure(url)
        #expect(error == .missingFile(url))
    }

    @Test func directoryInsteadOfFile() throws {
        let folder = try TemporaryFolder()
        guard case .unreadableFile = expectFailure(folder.url) else { Issue.record("expected unreadableFile"); return }
    }

    /// A FIFO is refused at once (it used to be opened blocking, waiting for a writer that never came).
    @Test func fifoInsteadOfFile() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("weights.fifo")
        #expect(mkfifo(url.path, 0o644) == 0)
        guard case .unreadableFile(_, let reason) = expectFailure(url) else { Issue.record("expected unreadableFile"); return }
        #expect(reason == "not a regular file")
    }

    @Test func emptyFile() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Data(), to: "empty.safetensors")
        guard case .invalidFile(_, let reason) = expectFailure(url) else { Issue.record("expected invalidFile"); return }
        #expect(reason.contains("empty"))
    }

    @Test func fileShorterThanTheLengthField() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Data([1, 2, 3]), to: "short.safetensors")
        guard case .invalidFile = expectFailure(url) else { Issue.record("expected invalidFile"); return }
    }

    @Test func headerLengthLargerThanFile() throws {
        let folder = try TemporaryFolder()
        var bytes = SafeTensorsBuilder.littleEndian(UInt64(1_000))
        bytes.append(contentsOf: Array("{}".utf8))
        let url = try folder.write(Data(bytes), to: "long-header.safetensors")
        guard case .invalidFile(_, let reason) = expectFailure(url) else { Issue.record("expected invalidFile"); return }
        #expect(reason.contains("1000"))
    }

    @Test func headerThatIsNotJSON() throws {
        let folder = try TemporaryFolder()
        let header = Array("{\"block1_conv1.weight\": {\"dtype\": ".utf8)
        let url = try folder.write(Data(SafeTensorsBuilder.littleEndian(UInt64(header.count)) + header), to: "bad.safetensors")
        guard case .invalidFile(_, let reason) = expectFailure(url) else { Issue.record("expected invalidFile"); return }
        #expect(reason.contains("JSON"))
    }

    @Test func headerThatIsNotAnObject() throws {
        let folder = try TemporaryFolder()
        let header = Array("[1, 2, 3]".utf8)
        let url = try folder.write(Data(SafeTensorsBuilder.littleEndian(UInt64(header.count)) + header), to: "array.safetensors")
        guard case .invalidFile = expectFailure(url) else { Issue.record("expected invalidFile"); return }
    }

    @Test func truncatedData() throws {
        let folder = try TemporaryFolder()
        let complete = SafeTensorsBuilder.firstLayers(1).bytes()
        let url = try folder.write(Data(complete.dropLast(100)), to: "truncated.safetensors")
        guard case .invalidTensor(_, _, let reason) = expectFailure(url) else { Issue.record("expected invalidTensor"); return }
        #expect(reason.contains("truncated"))
    }

    @Test func unsupportedDataType() throws {
        let folder = try TemporaryFolder()
        var builder = SafeTensorsBuilder.firstLayers(1)
        builder.entries[1].dtype = "F16"
        let url = try folder.write(Data(builder.bytes()), to: "f16.safetensors")
        let error = expectFailure(url)
        guard case .invalidTensor(_, "block1_conv1.bias", let reason) = error else {
            Issue.record("expected invalidTensor for block1_conv1.bias, got \(String(describing: error))"); return
        }
        #expect(reason.contains("F16"))
    }

    @Test func wrongShape() throws {
        let folder = try TemporaryFolder()
        var builder = SafeTensorsBuilder.firstLayers(1)
        builder.entries[0].shape = [3, 64, 3, 3]  // transposed: same size, wrong layout
        let url = try folder.write(Data(builder.bytes()), to: "transposed.safetensors")
        let error = expectFailure(url)
        #expect(error == .wrongShape(url, tensor: "block1_conv1.weight", shape: [3, 64, 3, 3], expected: [64, 3, 3, 3]))
    }

    @Test func shapeThatDisagreesWithOffsets() throws {
        let folder = try TemporaryFolder()
        var builder = SafeTensorsBuilder.firstLayers(1)
        builder.entries[0].shape = [64, 3, 3, 4]
        let url = try folder.write(Data(builder.bytes()), to: "mismatch.safetensors")
        guard case .invalidTensor = expectFailure(url) else { Issue.record("expected invalidTensor"); return }
    }

    @Test func overlappingTensors() throws {
        let folder = try TemporaryFolder()
        var builder = SafeTensorsBuilder.firstLayers(1)
        builder.overlapSecondTensor = true
        let url = try folder.write(Data(builder.bytes()), to: "overlap.safetensors")
        guard case .invalidTensor(_, _, let reason) = expectFailure(url) else { Issue.record("expected invalidTensor"); return }
        #expect(reason.contains("overlaps"))
    }

    @Test func missingLayer() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Data(SafeTensorsBuilder.firstLayers(2).bytes()), to: "two-layers.safetensors")
        let error = expectFailure(url)
        #expect(error == .missingTensor(url, tensor: "block2_conv1.weight"))
    }

    @Test func readerReturnsTheStoredValues() throws {
        // Data written in the reverse order of the header, metadata kept, values exact.
        let folder = try TemporaryFolder()
        var builder = SafeTensorsBuilder(entries: [
            .init(name: "a", shape: [2, 3], values: [1.5, -2, 3.25, 0, -0.125, 1e-7]),
            .init(name: "b", shape: [0], values: []),
            .init(name: "c", shape: [1], values: [Float.greatestFiniteMagnitude]),
        ])
        builder.reverseDataOrder = true
        let url = try folder.write(Data(builder.bytes()), to: "small.safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(Set(file.tensors.keys) == ["a", "b", "c"])
        #expect(file.tensors["a"]?.shape == [2, 3])
        #expect(file.tensors["c"]?.dataRange == 0..<4)
        #expect(file.floats(of: try #require(file.tensors["a"])) == [1.5, -2, 3.25, 0, -0.125, 1e-7])
        #expect(file.floats(of: try #require(file.tensors["b"])) == [])
        #expect(file.floats(of: try #require(file.tensors["c"])) == [Float.greatestFiniteMagnitude])
    }

    /// Opening `url` must throw a WeightsError whose one-line description names the file.
    func expectFailure(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> WeightsError? {
        let error = #expect(throws: WeightsError.self, sourceLocation: sourceLocation) {
            _ = try VGG19Weights(contentsOf: url)
        }
        if let error {
            #expect(error.description.contains(url.path), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
        return error
    }
}

/// Builds safetensors files for the tests (little-endian float32 data, header padded to 8 bytes).
fileprivate struct SafeTensorsBuilder {
    struct Entry {
        var name: String
        var dtype = "F32"
        var shape: [Int]
        var values: [Float]
    }

    var entries: [Entry]
    var overlapSecondTensor = false
    var reverseDataOrder = false

    /// Kernel values are their element index, bias values minus theirs.
    static func firstLayers(_ count: Int) -> SafeTensorsBuilder {
        var entries: [Entry] = []
        for layer in VGGLayer.all.prefix(count) {
            let kernelShape = [layer.outputChannels, layer.inputChannels, 3, 3]
            entries.append(Entry(name: "\(layer.name).weight", shape: kernelShape,
                                 values: (0..<kernelShape.reduce(1, *)).map { Float($0) }))
            entries.append(Entry(name: "\(layer.name).bias", shape: [layer.outputChannels],
                                 values: (0..<layer.outputChannels).map { -Float($0) }))
        }
        return SafeTensorsBuilder(entries: entries)
    }

    func bytes() -> [UInt8] {
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        var data: [UInt8] = []
        let order = reverseDataOrder ? Array(entries.indices.reversed()) : Array(entries.indices)
        var previousBegin = 0
        for (position, index) in order.enumerated() {
            let entry = entries[index]
            let begin = overlapSecondTensor && position == 1 ? previousBegin + 4 : data.count
            for value in entry.values { data += Self.littleEndian(value.bitPattern) }
            let end = begin + entry.values.count * 4
            header[entry.name] = ["dtype": entry.dtype, "shape": entry.shape, "data_offsets": [begin, end]]
            previousBegin = begin
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        return Self.littleEndian(UInt64(json.count)) + Array(json) + data
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
