import Foundation

/// OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to its AVX2 kernels; with
/// `OPENBLAS_CORETYPE` naming an AVX-512 core it runs about 1.8× faster. The variable is read when the
/// library loads, before `main`, so the process re-executes itself once with it set.
public enum FastKernelLauncher {
    static let coreTypeVariable = "OPENBLAS_CORETYPE"
    static let relaunchedMarker = "STYLESTUDIO_RELAUNCHED"

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

    /// Re-executes the running program with `OPENBLAS_CORETYPE` set, when the CPU has AVX-512 and
    /// neither the user nor an earlier launch has set it. Returns normally when nothing is to be done
    /// or the re-exec fails (the program then simply runs with the slower kernels).
    public static func relaunchWithFastKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[coreTypeVariable] == nil, environment[relaunchedMarker] == nil,
              let coreType = preferredCoreType(cpuFlags: cpuFlags()) else { return }
        setenv(coreTypeVariable, coreType, 1)
        setenv(relaunchedMarker, "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // Only reached if exec failed: carry on as we are.
        unsetenv(coreTypeVariable)
    }
}
