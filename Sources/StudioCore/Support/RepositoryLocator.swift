import Foundation
import SystemPackage

/// Finds the checkout the program runs from (the folder with Package.swift), for Assets/ and Presets/.
public enum RepositoryLocator {
    /// `$STYLESTUDIO_ROOT`, else the nearest ancestor of the executable's real path (symbolic links
    /// resolved; `executablePath` replaces `/proc/self/exe` in tests) holding Package.swift and `marker`.
    public static func root(containing marker: String = "Assets", executablePath: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let override = environment["STYLESTUDIO_ROOT"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        let candidates = executablePath.map { [$0] } ?? ["/proc/self/exe", CommandLine.arguments.first ?? ""]
        guard let executable = candidates.lazy.compactMap(PresetFiles.realPath).first else { return nil }
        var directory = FilePath(executable).removingLastComponent()
        while true {
            if PresetFiles.isRegularFile(directory.appending("Package.swift").string),
               PresetFiles.isDirectory(directory.appending(marker).string) {
                return URL(fileURLWithPath: directory.string, isDirectory: true)
            }
            guard directory.removeLastComponent() else { return nil }
        }
    }

    public static func assetsDirectory() -> URL? {
        root().map { $0.appendingPathComponent("Assets") }
    }
}
