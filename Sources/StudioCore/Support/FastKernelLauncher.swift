import Foundation

/// Two OpenBLAS settings that are read when the library loads, before `main`, so the process re-executes itself
/// once with them set (about 15 ms; the scripts set both, so runs they start do not re-execute):
/// - `OPENBLAS_CORETYPE`: OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to its AVX2 kernels; naming
///   an AVX-512 core makes them about 1.8× faster.
/// - `OPENBLAS_NUM_THREADS=1`: the engine runs OpenBLAS on its own workers' threads only (`BLAS`), but a library
///   loaded with more threads starts a pool whose idle threads spin (`sched_yield`) for about 0.1 s before they
///   sleep: on two cores that took half a core from the first evaluation, and the first progress line came 2.3–2.6
///   median iterations after launch instead of 1.9–2.0 (256 px, `render`, four runs each).
public enum FastKernelLauncher {
    static let coreTypeVariable = "OPENBLAS_CORETYPE"
    static let threadCountVariable = "OPENBLAS_NUM_THREADS"
    static let relaunchedMarker = "STYLESTUDIO_RELAUNCHED"

    /// The variables to set before OpenBLAS loads, given the environment and the CPU's flags (empty: nothing to do).
    public static func settings(environment: [String: String], cpuFlags: Set<String>) -> [String: String] {
        var settings: [String: String] = [:]
        if environment[coreTypeVariable] == nil, let coreType = preferredCoreType(cpuFlags: cpuFlags) {
            settings[coreTypeVariable] = coreType
        }
        if environment[threadCountVariable] != "1" { settings[threadCountVariable] = "1" }
        return settings
    }

    /// The OpenBLAS core type to ask for on this CPU, or nil to keep OpenBLAS's own choice.
    public static func preferredCoreType(cpuFlags: Set<String>) -> String? {
        guard cpuFlags.contains("avx512f"), cpuFlags.contains("avx512bw"), cpuFlags.contains("avx512vl"),
              cpuFlags.contains("avx512dq") else { return nil }
        return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
    }

    /// The CPU's feature flags, from /proc/cpuinfo (empty where unavailable).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Re-executes the running program with `settings` applied, unless an earlier launch did. Returns normally
    /// when nothing is to be done or the re-exec fails (the program then runs as it is, only slower).
    public static func relaunchWithFastKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[relaunchedMarker] == nil else { return }
        let settings = settings(environment: environment, cpuFlags: cpuFlags())
        guard !settings.isEmpty else { return }
        for (name, value) in settings { setenv(name, value, 1) }
        setenv(relaunchedMarker, "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // Only reached if exec failed: carry on as we are.
        for name in settings.keys {
            if let value = environment[name] { setenv(name, value, 1) } else { unsetenv(name) }
        }
        unsetenv(relaunchedMarker)
    }
}
