import Foundation

/// Two settings OpenBLAS reads when the library loads, which the program sets first thing in `main` (OpenBLAS is
/// opened at the first product, not linked: `BLAS`; the scripts set both too):
/// - `OPENBLAS_CORETYPE`: OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to its AVX2 kernels; naming
///   an AVX-512 core makes them about 1.8× faster.
/// - `OPENBLAS_NUM_THREADS=1`: the engine runs OpenBLAS on its own workers' threads only (`BLAS`), but a library
///   loaded with more threads starts a pool whose idle threads spin (`sched_yield`) for about 0.1 s before they
///   sleep: on two cores that took half a core from the first evaluation, and the first progress line came 2.3–2.6
///   median iterations after launch instead of 1.9–2.0 (256 px, `render`, four runs each).
///
/// While OpenBLAS was linked, the process had to re-execute itself to set them before the library loaded: a
/// second start of the process, 8 ms of every launch that did not come through the scripts (see `BLAS`).
public enum OpenBLASEnvironment {
    static let coreTypeVariable = "OPENBLAS_CORETYPE"
    static let threadCountVariable = "OPENBLAS_NUM_THREADS"

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

    /// Sets `settings` in this process's environment (inherited by the processes it starts: a batch's renders).
    /// Call it before anything uses OpenBLAS.
    public static func apply() {
        for (name, value) in settings(environment: ProcessInfo.processInfo.environment, cpuFlags: cpuFlags()) {
            setenv(name, value, 1)
        }
    }
}
