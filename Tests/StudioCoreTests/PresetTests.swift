import Foundation
import StyleEngine
import TestSupport
import Testing
@testable import StudioCore

private func layer(_ name: String, _ weight: Double = 1) -> WeightedLayer {
    WeightedLayer(VGGLayer(name: name)!, weight: weight)
}

/// The repository root, found from this file's path (Tests/StudioCoreTests/PresetTests.swift).
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A preset with every field away from its default.
private let everyFieldPreset = Preset(
    name: "round-trip",
    description: "Ünïcode, \"quotes\", a back\\slash and a\ttab",
    settings: StyleSettings(
        objective: ObjectiveSettings(
            contentWeight: 7.25, styleWeight: 1234.5, totalVariationWeight: 0.0042,
            contentLayers: [layer("block3_conv2", 0.5), layer("block4_conv2", 2)],
            styleLayers: [layer("block1_conv2", 1e-3), layer("block3_conv4"), layer("block5_conv4", 3.5)],
            pooling: .average),
        optimizer: OptimizerSettings(kind: .adam, historySize: 7, learningRate: 0.125),
        initialization: .file("/tmp/start here.png"),
        seed: UInt64.max,
        size: 1000),
    contentPath: "~/photos/hafen ä.jpg",
    stylePaths: ["relative/style.png", "/abs/second one.jpg"])
    .with { $0.settings.color = .match; $0.settings.objective.styleLoss = .wasserstein
            $0.settings.objective.styleBlend = [2, 0.5] }

extension Preset {
    fileprivate func with(_ change: (inout Preset) -> Void) -> Preset {
        var copy = self
        change(&copy)
        return copy
    }
}

@Suite struct PresetFileTests {
    @Test func everyFieldSurvivesSaveAndLoad() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url.appendingPathComponent("user/presets"))
        let url = try store.save(everyFieldPreset, overwrite: false)
        #expect(url.lastPathComponent == "round-trip.json")
        let loaded = try store.load(nameOrPath: "round-trip")
        #expect(loaded.preset == everyFieldPreset)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.origin == .user)
        // The seed is beyond 2⁵³: it must be written and read as an exact integer.
        #expect(try String(contentsOf: url, encoding: .utf8).contains("\"seed\": 18446744073709551615"))
    }

    @Test(arguments: [
        Initialization.content, .style, .noise,
    ])
    func otherChoicesRoundTrip(initialization: Initialization) throws {
        var preset = Preset(name: "choices", description: "")
        preset.settings.initialization = initialization
        preset.settings.objective.contentLayers = []
        preset.settings.optimizer = OptimizerSettings(kind: .lbfgs, historySize: 1000, learningRate: 1e-6)
        preset.settings.objective.totalVariationWeight = 1e12
        let text = PresetCodec.encode(preset)
        let decoded = try PresetCodec.decode(Array(text.utf8), path: nil, fileName: "choices")
        #expect(decoded.preset == preset)
        #expect(decoded.warnings.isEmpty)
    }

    @Test func layersAcceptEveryWrittenForm() throws {
        let text = """
            {"format": 1,
             "content_layers": "conv4_2, relu3_1:0.25",
             "style_layers": ["block1_conv1", "RELU2_1:0.5", {"layer": "conv3_1", "weight": 2}, {"layer": "block4_conv1"}]}
            """
        let preset = try PresetCodec.decode(Array(text.utf8), path: nil, fileName: "forms").preset
        #expect(preset.settings.objective.contentLayers == [layer("block4_conv2"), layer("block3_conv1", 0.25)])
        #expect(preset.settings.objective.styleLayers
                == [layer("block1_conv1"), layer("block2_conv1", 0.5), layer("block3_conv1", 2), layer("block4_conv1")])
    }

    @Test func missingFieldsTakeTheirDefaults() throws {
        let decoded = try PresetCodec.decode(Array(#"{"format": 1, "optimizer": "adam"}"#.utf8), path: nil, fileName: "few")
        #expect(decoded.warnings.isEmpty)
        #expect(decoded.preset.name == "few")
        #expect(decoded.preset.description == "")
        #expect(decoded.preset.contentPath == nil)
        var expected = StyleSettings()
        expected.optimizer = OptimizerSettings(kind: .adam)
        #expect(decoded.preset.settings == expected)
        #expect(decoded.preset.settings.optimizer.learningRate == OptimizerSettings.defaultLearningRate(for: .adam))
    }

    @Test func writtenTextIsStableAndReadable() {
        let text = PresetCodec.encode(Preset(name: "plain", description: "d"))
        #expect(text == """
            {
              "format": 2,
              "name": "plain",
              "description": "d",
              "content_weight": 5,
              "style_weight": 100,
              "tv_weight": 0.001,
              "content_layers": [
                "block4_conv2"
              ],
              "style_layers": [
                "block1_conv1",
                "block2_conv1",
                "block3_conv1",
                "block4_conv1",
                "block5_conv1"
              ],
              "pooling": "max",
              "style_loss": "gram",
              "style_blend": [],
              "color": "original",
              "size": 384,
              "init": "content",
              "seed": 0,
              "optimizer": "lbfgs",
              "history_size": 50,
              "learning_rate": 1
            }

            """)
    }

    /// A file written before format 2 (one `style_image`, no colour, loss or blend fields) reads as it always did.
    @Test func versionOneFileStillLoads() throws {
        let text = """
            {
              "format": 1,
              "name": "old",
              "description": "written by format 1",
              "content_image": "photos/harbour.jpg",
              "style_image": "paintings/starry.jpg",
              "style_weight": 250,
              "style_layers": ["block1_conv1", "block2_conv1:0.5"],
              "optimizer": "lbfgs"
            }
            """
        let decoded = try PresetCodec.decode(Array(text.utf8), path: nil, fileName: "old")
        #expect(decoded.warnings.isEmpty)
        #expect(decoded.preset.stylePaths == ["paintings/starry.jpg"])
        #expect(decoded.preset.contentPath == "photos/harbour.jpg")
        var expected = StyleSettings()
        expected.objective.styleWeight = 250
        expected.objective.styleLayers = [layer("block1_conv1"), layer("block2_conv1", 0.5)]
        #expect(decoded.preset.settings == expected)
        #expect(decoded.preset.settings.color == .original && decoded.preset.settings.objective.styleLoss == .gram)
        #expect(decoded.preset.settings.objective.styleBlend.isEmpty)
    }

    @Test func severalPaintingsAndTheNewChoicesRoundTrip() throws {
        let text = PresetCodec.encode(everyFieldPreset)
        #expect(text.contains("\"style_images\": [") && !text.contains("\"style_image\":"))
        #expect(text.contains("\"style_blend\": [2, 0.5]") && text.contains("\"color\": \"match\"")
                && text.contains("\"style_loss\": \"wasserstein\""))
        let decoded = try PresetCodec.decode(Array(text.utf8), path: nil, fileName: "round-trip")
        #expect(decoded.preset == everyFieldPreset)
    }
}

@Suite struct ShippedPresetTests {
    private let shipped = repositoryRoot.appendingPathComponent("Presets")

    @Test func everyShippedPresetLoadsWithoutWarnings() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: shipped, userDirectory: folder.url)
        let entries = try store.list()
        #expect(Set(entries.map(\.name))
                == ["gatys-classic", "narayanan-2017", "keep-structure", "heavy-paint", "fine-texture",
                    "keep-colours", "two-paintings", "wasserstein"])
        for entry in entries {
            #expect(entry.origin == .shipped)
            #expect(entry.problem == nil, "\(entry.problem?.description ?? "")")
            #expect(!entry.description.isEmpty && !entry.description.contains("\n"), "\(entry.name)")
            let loaded = try store.load(nameOrPath: entry.name)
            #expect(loaded.warnings.isEmpty, "\(entry.name): \(loaded.warnings)")
            #expect(loaded.preset.name == entry.name)
            #expect(PresetRules.problems(in: loaded.preset).isEmpty, "\(entry.name)")
        }
    }

    @Test func gatysClassicIsTheEngineDefault() throws {
        let store = PresetStore(shippedDirectory: shipped, userDirectory: try TemporaryFolder().url)
        #expect(try store.load(nameOrPath: "gatys-classic").preset.settings == StyleSettings())
    }

    /// The conversion in Presets/README.md, recomputed from the two loss definitions.
    @Test func narayananWeightsFollowTheDerivation() throws {
        let store = PresetStore(shippedDirectory: shipped, userDirectory: try TemporaryFolder().url)
        let settings = try store.load(nameOrPath: "narayanan-2017").preset.settings
        let objective = settings.objective
        #expect(settings.size == 512)
        // His content loss is a sum: ours × C·H·W at block2_conv2 of a 512 × 512 image.
        let content = try #require(objective.contentLayers.first)
        #expect(objective.contentLayers.count == 1 && content.layer.name == "block2_conv2")
        let halved = Double(settings.size / 2)
        let expectedContent = 0.025 * Double(content.layer.outputChannels) * halved * halved
        #expect(abs(objective.contentWeight * content.weight / expectedContent - 1) < 1e-6)
        // His style loss per layer (weight 5/5): Σ(S−C)²/(4·3²·(HW)²) with raw Grams = ours × C⁴(H_l W_l)²/(36 (HW)²).
        #expect(objective.styleLayers.map(\.layer.name)
                == ["block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3"])
        let imagePixels = Double(settings.size * settings.size)
        for term in objective.styleLayers {
            let side = Double(settings.size >> term.layer.downsamplingSteps)
            let channels = Double(term.layer.outputChannels)
            let factor = pow(channels, 2) * pow(channels * side * side, 2) / (4 * 9 * imagePixels * imagePixels)
            #expect(abs(objective.styleWeight * term.weight / (5.0 / 5 * factor) - 1) < 1e-6, "\(term.layer)")
        }
        // Squared TV matched to his (a+b)^1.25 at a typical gradient of 16 grey levels: 2.5·√16 = 10.
        #expect(objective.totalVariationWeight == 2.5 * 16.0.squareRoot())
    }
}

@Suite struct PresetStoreTests {
    @Test func userPresetShadowsShippedOne() throws {
        let folder = try TemporaryFolder()
        let shipped = try folder.subfolder("shipped"), user = try folder.subfolder("user")
        try folder.write(#"{"format": 1, "description": "shipped alpha"}"#, to: "alpha.json", in: shipped)
        try folder.write(#"{"format": 1, "description": "shipped beta"}"#, to: "beta.json", in: shipped)
        try folder.write(#"{"format": 1, "description": "my alpha", "style_weight": 7}"#, to: "alpha.json", in: user)
        try folder.write("not a preset", to: "README.md", in: shipped)
        let store = PresetStore(shippedDirectory: shipped, userDirectory: user)

        let entries = try store.list()
        #expect(entries.map(\.name) == ["alpha", "beta"])
        #expect(entries[0].origin == .user && entries[0].shadowsShipped && entries[0].description == "my alpha")
        #expect(entries[1].origin == .shipped && !entries[1].shadowsShipped)
        let alpha = try store.load(nameOrPath: "ALPHA")
        #expect(alpha.origin == .user && alpha.preset.settings.objective.styleWeight == 7)

        try store.delete(name: "alpha")
        #expect(try store.load(nameOrPath: "alpha").preset.description == "shipped alpha")
        #expect(try store.list().allSatisfy { $0.origin == .shipped })
    }

    @Test func deletingAShippedPresetIsRefused() throws {
        let folder = try TemporaryFolder()
        let shipped = try folder.subfolder("shipped")
        let file = try folder.write(#"{"format": 1}"#, to: "alpha.json", in: shipped)
        let store = PresetStore(shippedDirectory: shipped, userDirectory: folder.url.appendingPathComponent("user"))
        let error = #expect(throws: PresetError.self) { try store.delete(name: "alpha") }
        #expect(error?.kind == .readOnly)
        #expect(error?.description.contains("read-only") == true)
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(#expect(throws: PresetError.self) { try store.delete(name: "nothing") }?.kind == .presetNotFound)
    }

    @Test func savingOverAnExistingNameNeedsOverwrite() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        var preset = Preset(name: "mine", description: "first")
        let url = try store.save(preset, overwrite: false)
        let firstText = try String(contentsOf: url, encoding: .utf8)

        preset.description = "second"
        let error = #expect(throws: PresetError.self) { try store.save(preset, overwrite: false) }
        #expect(error?.kind == .alreadyExists)
        #expect(error?.description.contains("overwrite") == true)
        #expect(try String(contentsOf: url, encoding: .utf8) == firstText)

        try store.save(preset, overwrite: true)
        #expect(try store.load(nameOrPath: "mine").preset.description == "second")
    }

    @Test func savingAShippedNameNeedsOverwrite() throws {
        let folder = try TemporaryFolder()
        let shipped = try folder.subfolder("shipped")
        try folder.write(#"{"format": 1, "description": "shipped"}"#, to: "alpha.json", in: shipped)
        let store = PresetStore(shippedDirectory: shipped, userDirectory: folder.url.appendingPathComponent("user"))
        let preset = Preset(name: "alpha", description: "mine")
        #expect(#expect(throws: PresetError.self) { try store.save(preset, overwrite: false) }?.kind == .alreadyExists)
        try store.save(preset, overwrite: true)
        #expect(try store.load(nameOrPath: "alpha").preset.description == "mine")
    }

    @Test func interruptedSaveLeavesTheOldPresetIntact() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        let url = try store.save(Preset(name: "mine", description: "old"), overwrite: false)
        let oldText = try String(contentsOf: url, encoding: .utf8)

        // A writer killed mid-write (kill -9) by an earlier process: its hidden temporary file, owner gone.
        let deadOwner: Int32 = 2_147_483_000  // above PID_MAX_LIMIT (2^22): no such process
        let stale = folder.url.appendingPathComponent(".mine.json.tmp-\(deadOwner)-1f2e").path
        try Data("{\"format\": 1, \"na".utf8).write(to: URL(fileURLWithPath: stale))

        #expect(try String(contentsOf: url, encoding: .utf8) == oldText)
        #expect(try store.load(nameOrPath: "mine").preset.description == "old")
        #expect(try store.list().map(\.name) == ["mine"])

        // A later save still works and replaces the whole file.
        try store.save(Preset(name: "mine", description: "newer"), overwrite: true)
        #expect(try store.load(nameOrPath: "mine").preset.description == "newer")
        // ... and removes what the dead writer left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["mine.json"])
    }

    @Test func namesAreCheckedAndStoredInLowerCase() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        for bad in ["", "Bad Name", "../evil", ".hidden", "-dash", "a/b", String(repeating: "a", count: 101)] {
            let error = #expect(throws: PresetError.self, "\(bad)") { try store.save(Preset(name: bad), overwrite: false) }
            #expect(error?.kind == .invalidName)
        }
        let url = try store.save(Preset(name: "My.Preset_2"), overwrite: false)
        #expect(url.lastPathComponent == "my.preset_2.json")
        #expect(try store.load(nameOrPath: "MY.PRESET_2").preset.name == "my.preset_2")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["my.preset_2.json"])
    }

    @Test func invalidSettingsAreNeverSaved() throws {
        let folder = try TemporaryFolder()
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        var preset = Preset(name: "bad")
        preset.settings.objective.styleWeight = -1
        let error = #expect(throws: PresetError.self) { try store.save(preset, overwrite: false) }
        #expect(error?.kind == .invalidValue && error?.field == "style_weight")
        preset.settings.objective.styleWeight = 1
        preset.settings.objective.styleLayers = [layer("block1_conv1", .nan)]
        #expect(#expect(throws: PresetError.self) { try store.save(preset, overwrite: false) }?.field == "style_layers")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test func loadsByPathAndReportsMissingPresets() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(#"{"format": 1, "name": "shared-one", "size": 256}"#, to: "Shared Copy (1).json")
        let store = PresetStore(shippedDirectory: nil, userDirectory: try folder.subfolder("user"))
        let loaded = try store.load(nameOrPath: file.path)
        #expect(loaded.preset.name == "shared-one" && loaded.preset.settings.size == 256 && loaded.origin == nil)

        let missing = #expect(throws: PresetError.self) { try store.load(nameOrPath: "nothing-here") }
        #expect(missing?.kind == .presetNotFound)
        let noFile = #expect(throws: PresetError.self) { try store.load(nameOrPath: folder.url.path + "/none.json") }
        #expect(noFile?.kind == .fileNotFound && noFile?.description.contains("none.json") == true)
    }

    @Test func nameFieldDifferentFromFileNameIsAWarning() throws {
        let folder = try TemporaryFolder()
        try folder.write(#"{"format": 1, "name": "other"}"#, to: "mine.json")
        let loaded = try PresetStore(shippedDirectory: nil, userDirectory: folder.url).load(nameOrPath: "mine")
        #expect(loaded.preset.name == "mine")
        #expect(loaded.warnings.count == 1 && loaded.warnings[0].field == "name")
    }

    @Test func locatesTheShippedFolder() throws {
        let folder = try TemporaryFolder()
        let root = try folder.subfolder("checkout")
        try folder.write("// package", to: "Package.swift", in: root)
        _ = try folder.subfolder("checkout/Presets")
        let binaries = try folder.subfolder("checkout/.build/debug")
        let executable = try folder.write("", to: "stylestudio", in: binaries)
        let linkFolder = try folder.subfolder("bin")
        let link = linkFolder.appendingPathComponent("stylestudio")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: executable)

        let found = PresetStore.shippedPresetsDirectory(environment: [:], executablePath: link.path)
        #expect(found?.resolvingSymlinksInPath().path
                == root.appendingPathComponent("Presets").resolvingSymlinksInPath().path)
        #expect(PresetStore.shippedPresetsDirectory(environment: ["STYLESTUDIO_PRESETS_DIR": "/somewhere"],
                                                    executablePath: link.path)?.path == "/somewhere")
        // Outside any checkout: none.
        #expect(PresetStore.shippedPresetsDirectory(environment: [:], executablePath: linkFolder.path) == nil)
        // The test runner itself lives in this repository's .build folder.
        #expect(PresetStore.shippedPresetsDirectory(environment: [:])?.resolvingSymlinksInPath().path
                == repositoryRoot.appendingPathComponent("Presets").resolvingSymlinksInPath().path)
    }

    @Test func userFolderFollowsXDG() {
        #expect(PresetStore.userPresetsDirectory(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"]).path
                == "/cfg/stylestudio/presets")
        #expect(PresetStore.userPresetsDirectory(environment: ["HOME": "/home/u"]).path
                == "/home/u/.config/stylestudio/presets")
        #expect(PresetStore.userPresetsDirectory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/u"]).path
                == "/home/u/.config/stylestudio/presets")
    }
}

/// Each bad file gives one error of the right kind, naming the file, line and field, and is left unchanged.
@Suite struct MalformedPresetTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var text: String
        var kind: PresetError.Kind
        var line: Int?
        var column: Int? = nil
        var field: String? = nil
        var fragments: [String]
    }

    static let cases: [Case] = [
        Case(description: "missing comma", text: """
            {
              "format": 1,
              "content_weight": 5
              "style_weight": 100
            }
            """, kind: .malformed, line: 3, column: 22, fragments: ["malformed JSON", "missing ','", "content_weight"]),
        Case(description: "unquoted word", text: "{\n  \"format\": 1,\n  \"pooling\": max\n}\n",
             kind: .malformed, line: 3, column: 14, fragments: ["unquoted text 'max'", "double quotes"]),
        Case(description: "trailing comma", text: "{\n  \"format\": 1,\n  \"size\": 256,\n}\n",
             kind: .malformed, line: 4, column: 1, fragments: ["trailing comma"]),
        Case(description: "comment", text: "{\n  // my preset\n  \"format\": 1\n}\n",
             kind: .malformed, line: 2, column: 3, fragments: ["comments are not allowed"]),
        Case(description: "column counts characters", text: "{\"description\": \"äöü\" \"size\": 3}",
             kind: .malformed, line: 1, column: 23, fragments: ["expected ',' or '}'"]),
        Case(description: "wrong type", text: "{\n  \"format\": 1,\n  \"style_weight\": \"big\"\n}\n",
             kind: .invalidValue, line: 3, column: 19, field: "style_weight",
             fragments: ["\"style_weight\" must be a number", "a string (\"big\")"]),
        Case(description: "list expected", text: "{\"format\": 1, \"style_layers\": 3}",
             kind: .invalidValue, line: 1, field: "style_layers", fragments: ["must be a list of layers"]),
        Case(description: "unknown layer", text: "{\n  \"format\": 1,\n  \"style_layers\": [\"block1_conv1\", \"block6_conv1\"]\n}\n",
             kind: .unknownLayer, line: 3, column: 36, field: "style_layers",
             fragments: ["item 2", "unknown layer \"block6_conv1\"", "block5_conv4", "relu4_2", "\"block4_conv2:0.5\""]),
        Case(description: "unknown layer in object form",
             text: "{\"format\": 1, \"content_layers\": [{\"layer\": \"conv3_5\"}]}",
             kind: .unknownLayer, line: 1, field: "content_layers", fragments: ["conv3_5"]),
        Case(description: "negative weight", text: "{\n  \"format\": 1,\n  \"content_weight\": -5\n}\n",
             kind: .invalidValue, line: 3, column: 21, field: "content_weight",
             fragments: ["between 0 and 1e12", "found -5"]),
        Case(description: "negative layer weight", text: "{\"format\": 1, \"style_layers\": [\"block1_conv1:-2\"]}",
             kind: .invalidValue, line: 1, field: "style_layers", fragments: ["between 0 and 1e12"]),
        Case(description: "size out of range", text: "{\"format\": 1,\n\"size\": 8}",
             kind: .invalidValue, line: 2, field: "size", fragments: ["between 16 and 4096"]),
        Case(description: "fractional size", text: "{\"format\": 1,\n\"size\": 300.5}",
             kind: .invalidValue, line: 2, field: "size", fragments: ["whole number"]),
        Case(description: "history size", text: "{\"format\": 1, \"history_size\": 0}",
             kind: .invalidValue, line: 1, field: "history_size", fragments: ["between 1 and 1000"]),
        Case(description: "learning rate", text: "{\"format\": 1, \"learning_rate\": 0}",
             kind: .invalidValue, line: 1, field: "learning_rate", fragments: ["between 1e-6 and 10000"]),
        Case(description: "optimizer", text: "{\"format\": 1, \"optimizer\": \"sgd\"}",
             kind: .invalidValue, line: 1, field: "optimizer", fragments: ["\"lbfgs\" or \"adam\"", "sgd"]),
        Case(description: "negative seed", text: "{\"format\": 1, \"seed\": -1}",
             kind: .invalidValue, line: 1, field: "seed", fragments: ["whole number from 0"]),
        Case(description: "duplicate field", text: "{\"format\": 1,\n\"size\": 256,\n\"size\": 512}",
             kind: .invalidValue, line: 3, field: "size", fragments: ["appears twice", "line 2"]),
        Case(description: "no layers at all", text: "{\"format\": 1, \"content_layers\": [], \"style_layers\": []}",
             kind: .invalidValue, line: 1, field: "style_layers", fragments: ["at least one layer"]),
        Case(description: "future version", text: "{\n  \"format\": 3,\n  \"brand_new_field\": true\n}\n",
             kind: .newerFormat, line: 2, column: 13, field: "format",
             fragments: ["format 3 is newer than this version of Style Studio understands (2)"]),
        Case(description: "style loss", text: "{\"format\": 2, \"style_loss\": \"l1\"}",
             kind: .invalidValue, line: 1, field: "style_loss", fragments: ["\"gram\", \"wasserstein\"", "l1"]),
        Case(description: "colour", text: "{\"format\": 2,\n\"color\": \"sepia\"}",
             kind: .invalidValue, line: 2, field: "color", fragments: ["\"original\", \"luminance\", \"match\"", "sepia"]),
        Case(description: "blend all zero", text: "{\"format\": 2, \"style_blend\": [0, 0]}",
             kind: .invalidValue, line: 1, field: "style_blend", fragments: ["not all be 0"]),
        Case(description: "negative blend", text: "{\"format\": 2, \"style_blend\": [1, -2]}",
             kind: .invalidValue, line: 1, field: "style_blend", fragments: ["between 0 and 1e12"]),
        Case(description: "both style fields", text: "{\"format\": 2, \"style_image\": \"a.png\", \"style_images\": [\"b.png\"]}",
             kind: .invalidValue, line: 1, field: "style_images", fragments: ["not both"]),
        Case(description: "not an object", text: "[1, 2]", kind: .invalidValue, line: 1,
             fragments: ["one JSON object"]),
        Case(description: "truncated", text: "{\n  \"format\": 1,\n  \"style_layers\": [\n    \"block1_conv1\",\n    \"blo",
             kind: .truncated, line: 5, fragments: ["file ends", "truncated"]),
        Case(description: "truncated after a comma", text: "{\n  \"format\": 1,\n  \"size\": 384,\n",
             kind: .truncated, line: 4, fragments: ["truncated", "line 1"]),
        Case(description: "empty file", text: "  \n", kind: .truncated, line: nil, fragments: ["empty"]),
    ]

    @Test(arguments: cases)
    func badFileGivesOneClearError(testCase: Case) throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(testCase.text, to: "bad.json")
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        let error = #expect(throws: PresetError.self) { try store.load(nameOrPath: "bad") }
        guard let error else { return }
        #expect(error.kind == testCase.kind, "\(error)")
        #expect(error.position?.line == testCase.line, "\(error)")
        if let column = testCase.column { #expect(error.position?.column == column, "\(error)") }
        if let field = testCase.field { #expect(error.field == field, "\(error)") }
        #expect(error.description.hasPrefix(file.path), "\(error)")
        #expect(!error.description.contains("\n"), "\(error)")
        for fragment in testCase.fragments { #expect(error.description.contains(fragment), "\(error)") }
        // A bad file is never modified, and listing it does not fail the list.
        #expect(try String(contentsOf: file, encoding: .utf8) == testCase.text)
        let entries = try store.list()
        #expect(entries.count == 1 && entries[0].problem == error)
    }

    @Test func unknownFieldsAreWarningsNotErrors() throws {
        let text = """
            {
              "format": 1,
              "stlye_weight": 3,
              "flavour": "red",
              "style_layers": [{"layer": "block1_conv1", "wieght": 2}]
            }
            """
        let folder = try TemporaryFolder()
        let file = try folder.write(text, to: "odd.json")
        let loaded = try PresetStore(shippedDirectory: nil, userDirectory: folder.url).load(nameOrPath: "odd")
        #expect(loaded.preset.settings.objective.styleWeight == ObjectiveSettings().styleWeight)
        #expect(loaded.preset.settings.objective.styleLayers == [layer("block1_conv1")])
        let warnings = loaded.warnings
        #expect(warnings.count == 3)
        #expect(warnings.map(\.position?.line) == [3, 4, 5])
        #expect(warnings[0].description.contains("\"stlye_weight\"") && warnings[0].description.contains("did you mean \"style_weight\""))
        #expect(warnings[1].field == "flavour" && !warnings[1].description.contains("did you mean"))
        #expect(warnings[2].description.contains("did you mean \"weight\""))
        #expect(warnings.allSatisfy { $0.description.hasPrefix(file.path + ":") })
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }

    /// A file cut anywhere before its closing brace reads as truncated, never as something else and never a crash.
    @Test func everyCutOffFileIsReportedAsTruncated() throws {
        let shipped = repositoryRoot.appendingPathComponent("Presets")
        var texts = try FileManager.default.contentsOfDirectory(atPath: shipped.path).filter { $0.hasSuffix(".json") }
            .map { try String(contentsOf: shipped.appendingPathComponent($0), encoding: .utf8) }
        texts.append(PresetCodec.encode(everyFieldPreset))
        texts.append(#"{"format": 1, "extra": [true, false, null, -1.5e-3, {"a": "\u00e9\"\\"}], "size": 512}"#)
        #expect(texts.count >= 7)
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(throws: Never.self) { try PresetCodec.decode(bytes, path: nil, fileName: "whole") }
            let closing = try #require(bytes.lastIndex(of: UInt8(ascii: "}")))
            for length in 0..<closing {
                let error = #expect(throws: PresetError.self) {
                    try PresetCodec.decode(Array(bytes[..<length]), path: nil, fileName: "cut")
                }
                #expect(error?.kind == .truncated, "cut at \(length): \(error?.description ?? "")")
            }
        }
    }

    @Test func missingFormatIsAWarning() throws {
        let decoded = try PresetCodec.decode(Array(#"{"size": 256}"#.utf8), path: "p.json", fileName: "p")
        #expect(decoded.preset.settings.size == 256)
        #expect(decoded.warnings.count == 1 && decoded.warnings[0].field == "format")
    }

    @Test func binaryAndOversizedFilesAreRefused() throws {
        let folder = try TemporaryFolder()
        let binary = folder.url.appendingPathComponent("binary.json")
        try Data([0x7B, 0xFF, 0xFE, 0x7D]).write(to: binary)
        let store = PresetStore(shippedDirectory: nil, userDirectory: folder.url)
        #expect(#expect(throws: PresetError.self) { try store.load(nameOrPath: "binary") }?.kind == .unreadable)
        let huge = try folder.write("{\"description\": \"" + String(repeating: "x", count: 2 << 20) + "\"}", to: "huge.json")
        let error = #expect(throws: PresetError.self) { try store.load(fileAt: huge) }
        #expect(error?.kind == .unreadable && error?.description.contains("too large") == true)
        let directory = try folder.subfolder("dir.json")
        #expect(#expect(throws: PresetError.self) { try store.load(fileAt: directory) }?.kind == .unreadable)
    }
}
