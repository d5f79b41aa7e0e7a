import ArgumentParser
import Foundation
import SafeIO
import StudioCore
import StyleEngine

/// `stylestudio`: the studio by default; `render`, `bench` and `presets` for scripts.
@main
struct StyleStudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylestudio",
        abstract: "Neural style transfer (Gatys et al.) in your terminal.",
        subcommands: [StudioCommand.self, RenderCommand.self, SweepCommand.self, BenchCommand.self, PresetsCommand.self],
        defaultSubcommand: StudioCommand.self
    )

    static func main() async {
        OpenBLASEnvironment.apply()  // before anything opens OpenBLAS
        BLAS.openInBackground()  // while the arguments are parsed and the images read
        StandardError.ignoreBrokenPipes()
        AllocatorPolicy.configure()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error), text = message(for: error)
            // --help and the like: ArgumentParser's full text.
            guard code != .success, !text.isEmpty, !text.contains("USAGE:") else { exit(withError: error) }
            // A usage error: one line, and where to read more.
            let problem = text.split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError("stylestudio: \(problem) (see 'stylestudio help')")
            Foundation.exit(code.rawValue)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch where exitCode(for: error) == .success {
            exit(withError: error)  // `stylestudio help render` lands here: print the help
        } catch {
            // Bad input and failed runs: one line naming the problem, no usage text, no stack trace.
            printError("stylestudio: \(error)")
            Foundation.exit(1)
        }
    }
}
