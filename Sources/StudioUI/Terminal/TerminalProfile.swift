import Foundation
import Glibc

/// The colour depth and graphics protocol the studio uses, decided once at start: the user's `--colors` /
/// `--graphics` first, then `COLORTERM` and chafa's terminal database (the same one the `chafa` tool uses),
/// then what the terminfo entry for `TERM` says.
public struct TerminalProfile: Hashable, Sendable {
    /// The terminfo entry curses should use instead of `$TERM` (e.g. `xterm-direct` when the terminal has
    /// 24-bit colour but `TERM` says `xterm-256color`); nil: `$TERM`.
    public var terminfoName: String?
    /// The most colours to use (the terminfo entry may allow fewer); nil: as many as the entry has.
    public var maximumDepth: ColorDepth?
    public var graphics: GraphicsProtocol?

    /// What the terminal itself says, as the profile needs it (chafa's database, the environment, terminfo).
    public struct Evidence: Hashable, Sendable {
        public var environment: [String: String]
        /// chafa's database has the 24-bit colour sequences for this environment (COLORTERM included).
        public var chafaTruecolor: Bool
        public var chafaSixel: Bool
        public var chafaKitty: Bool
        /// Whether a terminfo entry of this name exists.
        public var terminfoExists: @Sendable (String) -> Bool

        public init(environment: [String: String], chafaTruecolor: Bool, chafaSixel: Bool, chafaKitty: Bool,
                    terminfoExists: @escaping @Sendable (String) -> Bool) {
            self.environment = environment
            self.chafaTruecolor = chafaTruecolor
            self.chafaSixel = chafaSixel
            self.chafaKitty = chafaKitty
            self.terminfoExists = terminfoExists
        }

        public static func == (lhs: Evidence, rhs: Evidence) -> Bool {
            lhs.environment == rhs.environment && lhs.chafaTruecolor == rhs.chafaTruecolor
                && lhs.chafaSixel == rhs.chafaSixel && lhs.chafaKitty == rhs.chafaKitty
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(environment) }
    }

    public init(request: TerminalRequest, evidence: Evidence) {
        let environment = evidence.environment
        let term = environment["TERM"] ?? ""
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        let wantsTruecolor: Bool
        switch request.colors {
        case .auto: wantsTruecolor = colorTerm == "truecolor" || colorTerm == "24bit" || evidence.chafaTruecolor
        case .truecolor: wantsTruecolor = true
        default: wantsTruecolor = false
        }
        maximumDepth = request.colors.depth
        terminfoName = nil
        if wantsTruecolor && !term.hasSuffix("-direct") {
            // Curses draws 24-bit colour only through a `-direct` terminfo entry (package ncurses-term).
            terminfoName = Self.variants(of: term, suffix: "-direct").first(where: evidence.terminfoExists)
        } else if request.colors == .indexed256 && !term.contains("256") {
            terminfoName = Self.variants(of: term, suffix: "-256color").first(where: evidence.terminfoExists)
        }
        switch request.graphics {
        case .sixel: graphics = .sixel
        case .kitty: graphics = .kitty
        case .none: graphics = nil
        case .auto:
            if let forced = GraphicsDetection.forced(environment: environment) {
                graphics = forced.protocol
            } else if environment["TMUX"] != nil {
                graphics = nil   // tmux 3.3 passes neither protocol through (see `TerminalRequest.tmuxAdvice`)
            } else if evidence.chafaKitty {
                graphics = .kitty
            } else if evidence.chafaSixel {
                graphics = .sixel
            } else {
                graphics = GraphicsDetection.detect(environment: environment)
            }
        }
    }

    /// `xterm-256color` -> `xterm-direct`, `foot` -> `foot-direct`.
    static func variants(of term: String, suffix: String) -> [String] {
        guard !term.isEmpty else { return [] }
        var base = term
        for ending in ["-256color", "-88color", "-16color", "-color", "-direct"] where base.hasSuffix(ending) {
            base.removeLast(ending.count)
            break
        }
        return [base + suffix]
    }

    /// Whether terminfo has an entry `name` (looked up the way ncurses does: $TERMINFO, ~/.terminfo,
    /// $TERMINFO_DIRS, the system folders).
    public static func terminfoExists(_ name: String, environment: [String: String]) -> Bool {
        guard let first = name.first, !name.contains("/") else { return false }
        var folders: [String] = []
        if let terminfo = environment["TERMINFO"] { folders.append(terminfo) }
        if let home = environment["HOME"] { folders.append(home + "/.terminfo") }
        if let list = environment["TERMINFO_DIRS"] { folders += list.split(separator: ":").map(String.init) }
        folders += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
        let hex = String(first.asciiValue ?? 0, radix: 16)
        return folders.contains { folder in
            access(folder + "/" + String(first) + "/" + name, R_OK) == 0 || access(folder + "/" + hex + "/" + name, R_OK) == 0
        }
    }
}

extension TerminalProfile {
    /// The profile for this process's terminal: the environment, chafa's database, terminfo, and (for
    /// `auto` graphics outside tmux, when nothing else told) the terminal's own device attributes reply.
    public static func detect(request: TerminalRequest = TerminalRequest(),
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalProfile {
        let chafa = Chafa.terminalSequences(environment: environment)
        var profile = TerminalProfile(request: request, evidence: Evidence(
            environment: environment, chafaTruecolor: chafa.truecolor, chafaSixel: chafa.sixel, chafaKitty: chafa.kitty,
            terminfoExists: { terminfoExists($0, environment: environment) }))
        if request.graphics == .auto, profile.graphics == nil, environment["TMUX"] == nil,
           GraphicsDetection.forced(environment: environment) == nil, DeviceAttributesProbe.reportsSixel() {
            profile.graphics = .sixel
        }
        return profile
    }
}
