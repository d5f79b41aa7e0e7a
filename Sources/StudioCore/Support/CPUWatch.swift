import Foundation

/// How much CPU *other* processes took during an interval (this machine may be shared), so benchmark
/// figures can say whether they were taken in a quiet window. Same measure as the PyTorch yardstick's
/// `cpuwatch.py`: (machine busy CPU-seconds − this process's CPU-seconds) / (cores × wall seconds).
public struct CPUWatch: Sendable {
    public struct Reading: Sendable {
        let machineBusySeconds: Double
        let processSeconds: Double
        let wallSeconds: Double
    }

    public static func read() -> Reading {
        var busy = Double.nan
        if let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
           let line = stat.split(separator: "\n").first {
            let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            if values.count >= 8 {
                busy = (values[0] + values[1] + values[2] + values[5] + values[6] + values[7]) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        var process = timespec(), wall = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &process)
        clock_gettime(CLOCK_MONOTONIC, &wall)
        return Reading(machineBusySeconds: busy,
                       processSeconds: Double(process.tv_sec) + Double(process.tv_nsec) / 1e9,
                       wallSeconds: Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9)
    }

    /// Share of the machine's cores that other processes used between two readings (0…1).
    public static func foreignShare(from start: Reading, to end: Reading) -> Double {
        let wall = end.wallSeconds - start.wallSeconds
        guard wall > 0, start.machineBusySeconds.isFinite, end.machineBusySeconds.isFinite else { return .nan }
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let foreign = (end.machineBusySeconds - start.machineBusySeconds) - (end.processSeconds - start.processSeconds)
        return max(0, foreign / (cores * wall))
    }
}
