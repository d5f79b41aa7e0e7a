import ArgumentParser
import StudioUI

extension TerminalRequest.Colors: ExpressibleByArgument {}
extension TerminalRequest.Graphics: ExpressibleByArgument {}

/// `--colors` and `--graphics`: how the studio draws, when detection gets the terminal wrong.
struct TerminalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Colours of the preview and the interface: auto, truecolor, 256, 16, 8 or none (default: auto, from COLORTERM, chafa's terminal database and TERM).",
        valueName: "colors"))
    var colors: TerminalRequest.Colors = .auto

    @Option(help: ArgumentHelp(
        "Full-resolution preview (key g): auto, sixel, kitty or none (default: auto). " + TerminalRequest.tmuxAdvice + ".",
        valueName: "protocol"))
    var graphics: TerminalRequest.Graphics = .auto

    var request: TerminalRequest { TerminalRequest(colors: colors, graphics: graphics) }
}
