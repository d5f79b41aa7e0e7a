import ArgumentParser
import Foundation
import ImageIO
import SafeIO
import StudioCore
import StudioUI
import StyleEngine

/// `stylestudio [studio]`: the interactive studio. It starts painting at once with the images given (or the
/// repository's default `Assets/` images, or asks for them with the file picker).
struct StudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio",
        abstract: "Open the studio: tune weights and layers while it paints (the default command).")

    @Option(help: "The content photo (PNG or JPEG); default: the repository's Assets/content image.")
    var content: String?

    @Option(help: ArgumentHelp("A style painting (PNG or JPEG), with an optional blend weight; repeat to blend several; " +
                               "default: the preset's paintings or the repository's Assets/style image.",
                               valueName: "file[:weight]"))
    var style: [String] = []

    @OptionGroup var runOptions: RunOptions

    @OptionGroup var terminalOptions: TerminalOptions

    @Option(parsing: .unconditional, help: "Stop after N iterations (default: paint until paused or stopped; space continues).")
    var iterations: Int?

    @MainActor
    func run() async throws {
        // Everything that can fail on the command line fails here, before curses takes the screen.
        let store = PresetStore.standard()
        let resolved = try runOptions.settings(from: store)
        var settings = resolved.settings
        let loadedPreset = resolved.preset
        var notes = loadedPreset?.warnings.map(\.description) ?? []
        let weights = try runOptions.weightsOption.load()

        // Images named on the command line must load; a preset's or the default ones may be missing.
        var images: [ImageRole: LoadedImage] = [:]
        if let content {
            images[.content] = try load(content, size: settings.size)
        } else if let path = loadedPreset?.preset.contentPath.map(absolute) ?? Self.defaultImage(.content) {
            do { images[.content] = try load(path, size: settings.size) } catch { notes.append("\(error)") }
        }
        // The paintings named here (their weights replace the preset's blend), else the preset's, else the default.
        var paintings: [LoadedImage] = []
        let choices = style.map(StyleImageChoice.init(argument:))
        if !choices.isEmpty {
            paintings = try choices.map { try load($0.path, size: settings.size) }
            settings.objective.styleBlend = StyleImageChoice.blend(of: choices)
            try SettingsValidation.validate(settings)
        } else if let written = loadedPreset?.preset.stylePaths, !written.isEmpty {
            do {
                paintings = try written.map(absolute).map { try load($0, size: settings.size) }
            } catch {
                notes.append("\(error)")
            }
        } else if let path = Self.defaultImage(.style) {
            do { paintings = [try load(path, size: settings.size)] } catch { notes.append("\(error)") }
        }
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations must be 1 or more (got \(iterations))")
        }
        if let log = runOptions.log {  // never over an input, never a folder; checked before curses starts
            var outputs = OutputGuard()
            for (path, role) in [(content, "content image"), (runOptions.weightsOption.weights, "weights file"),
                                 (loadedPreset?.url.path, "preset")] {
                if let path { outputs.addInput(path, role: role) }
            }
            for (role, image) in images { outputs.addInput(image.path, role: "\(role) image") }
            for painting in paintings { outputs.addInput(painting.path, role: "style image") }
            try outputs.checkOutput(log, role: "log", kind: .stream)
        }
        let session = try StyleSession(weights: weights, settings: settings, log: runOptions.log.map { URL(fileURLWithPath: $0) })
        await session.setIterationLimit(iterations)
        let active = loadedPreset.map {
            ActivePreset(name: $0.preset.name, description: $0.preset.description, settings: settings)
        }
        var launch = StudioLaunch(settings: settings, content: images[.content], styles: paintings, preset: active,
                                  message: notes.isEmpty ? nil : StatusMessage(notes.joined(separator: "; "), isError: true))
        launch.iterationLimit = iterations
        launch.terminal = terminalOptions.request
        let app = StudioApp(session: session, launch: launch, presetStore: store)
        let status = try await app.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// Reads an image (a large one is announced on stderr, see `LoadedImage.readAnnounced`), kept by absolute path.
    private func load(_ path: String, size: Int) throws -> LoadedImage {
        var loaded = try LoadedImage.readAnnounced(path: path, workingSize: size)
        loaded.path = absolute(path)
        return loaded
    }

    private func absolute(_ path: String) -> String {
        FileListing.resolve(path, against: FileManager.default.currentDirectoryPath,
                            home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
    }

    /// `Assets/content/chelsea_cat.png` (CC0) and `Assets/style/starry_night.png` (public domain) when
    /// present, else the first image of each folder (by name).
    static func defaultImage(_ role: ImageRole) -> String? {
        guard let assets = RepositoryLocator.assetsDirectory() else { return nil }
        let folder = assets.appendingPathComponent(role.rawValue).path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let images = names.filter(FileListing.isImageName).sorted()
        let preferred = role == .content ? "chelsea_cat.png" : "starry_night.png"
        guard let name = images.contains(preferred) ? preferred : images.first else { return nil }
        return folder + "/" + name
    }
}
