import ArgumentParser
import Foundation
import StudioCore

/// What `render` and the studio share: a preset to start from, the settings flags on top of it, the
/// weights, and the per-iteration log.
struct RunOptions: ParsableArguments {
    @Option(help: "Start from a preset (a name or a FILE); flags given here override it.")
    var preset: String?

    @OptionGroup var settingsOptions: SettingsOptions

    @OptionGroup var weightsOption: WeightsOption

    @Option(help: "Write one JSON line per iteration to FILE (keys iteration, total, content, style, tv, seconds, evaluations: the objective evaluations made in that iteration, line-search trials included, not cumulative).")
    var log: String?

    /// The preset named (if any) and the settings: the preset's (or the defaults), then the flags, validated.
    func settings(from store: PresetStore) throws -> (settings: StyleSettings, preset: LoadedPreset?) {
        let loaded = try preset.map { try store.load(nameOrPath: $0) }
        return (try settingsOptions.settings(over: loaded?.preset.settings ?? StyleSettings()), loaded)
    }
}
