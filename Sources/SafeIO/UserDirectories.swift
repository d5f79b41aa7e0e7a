import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The XDG Base Directory folders, looked up in one place: `$XDG_CONFIG_HOME`, `$XDG_CACHE_HOME` and
/// `$XDG_STATE_HOME` when they are absolute (a relative one is ignored, as the specification asks), otherwise
/// `~/.config`, `~/.cache` and `~/.local/state`, each with `stylestudio` appended.
public enum UserDirectories {
    public enum Kind: Sendable {
        case config, cache, state

        var variable: String {
            switch self {
            case .config: "XDG_CONFIG_HOME"
            case .cache: "XDG_CACHE_HOME"
            case .state: "XDG_STATE_HOME"
            }
        }

        var fallback: FilePath {
            switch self {
            case .config: ".config"
            case .cache: ".cache"
            case .state: ".local/state"
            }
        }
    }

    /// The program's folder of that kind, e.g. `~/.config/stylestudio`. `environment` replaces the process's (tests).
    public static func folder(_ kind: Kind, environment: [String: String]? = nil) -> FilePath {
        func variable(_ name: String) -> String? {
            if let environment { return environment[name] }
            return getenv(name).map { String(cString: $0) }
        }
        if let value = variable(kind.variable), value.hasPrefix("/") {
            return FilePath(value).appending("stylestudio")
        }
        return home(variable("HOME")).pushing(kind.fallback).appending("stylestudio")
    }

    /// `$HOME`, or the password database's home when it is unset or empty.
    static func home(_ value: String?) -> FilePath {
        if let value, !value.isEmpty { return FilePath(value) }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return FilePath(platformString: directory) }
        return "/"
    }
}
