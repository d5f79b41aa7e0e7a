import Foundation
import SafeIO

extension PresetStore {
    /// The store of the running program: shipped presets from `$STYLESTUDIO_PRESETS_DIR` or the repository the
    /// executable was built in, user presets from `$XDG_CONFIG_HOME/stylestudio/presets`
    /// (default `~/.config/stylestudio/presets`).
    public static func standard() -> PresetStore {
        standard(environment: ProcessInfo.processInfo.environment)
    }

    static func standard(environment: [String: String], executablePath: String? = nil) -> PresetStore {
        PresetStore(shippedDirectory: shippedPresetsDirectory(environment: environment, executablePath: executablePath),
                    userDirectory: userPresetsDirectory(environment: environment))
    }

    /// `$XDG_CONFIG_HOME/stylestudio/presets`, or `$HOME/.config/stylestudio/presets`. A relative
    /// `XDG_CONFIG_HOME` is ignored, as the XDG Base Directory specification asks.
    public static func userPresetsDirectory(environment: [String: String]) -> URL {
        URL(fileURLWithPath: UserDirectories.folder(.config, environment: environment).appending("presets").string,
            isDirectory: true)
    }

    /// `$STYLESTUDIO_PRESETS_DIR` when set; otherwise the `Presets/` folder of the nearest directory above the
    /// running executable's real path (symbolic links resolved) that holds both `Package.swift` and `Presets/`.
    /// `executablePath` replaces `/proc/self/exe` (for tests).
    public static func shippedPresetsDirectory(environment: [String: String], executablePath: String? = nil) -> URL? {
        if let directory = environment["STYLESTUDIO_PRESETS_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory, isDirectory: true)
        }
        return RepositoryLocator.root(containing: "Presets", executablePath: executablePath, environment: environment)?
            .appendingPathComponent("Presets", isDirectory: true)
    }
}
