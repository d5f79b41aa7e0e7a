import ArgumentParser
import StudioCore

/// `stylestudio`: the studio by default; `render`, `bench` and `presets` for scripts.
@main
struct StyleStudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylestudio",
        abstract: "Neural style transfer (Gatys et al.) in your terminal.",
        subcommands: [StudioCommand.self, RenderCommand.self, BenchCommand.self, PresetsCommand.self],
        defaultSubcommand: StudioCommand.self
    )

    static func main() async {
        FastKernelLauncher.relaunchWithFastKernelsIfNeeded()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
