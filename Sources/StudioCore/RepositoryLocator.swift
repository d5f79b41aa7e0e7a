import Foundation

/// Finds the checkout the program runs from (the folder with Package.swift), for Assets/ and Presets/.
public enum RepositoryLocator {
    /// `$STYLESTUDIO_ROOT`, else the nearest ancestor of the executable's real path holding Package.swift.
    public static func root() -> URL? {
        if let override = ProcessInfo.processInfo.environment["STYLESTUDIO_ROOT"] {
            return URL(fileURLWithPath: override)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? ""
        var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    public static func assetsDirectory() -> URL? {
        root().map { $0.appendingPathComponent("Assets") }
    }
}
