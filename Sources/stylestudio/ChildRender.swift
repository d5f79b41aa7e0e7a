import Foundation
import StudioCore

/// Runs one `stylestudio render …` as a child process of this program, with its progress lines going to a
/// log file. Batches and sweeps run each file or cell this way: exactly the command `sweep --list` prints, and
/// a file that fails (or crashes the engine) cannot take the others down with it.
struct ChildRender {
    /// Render arguments, without the program and the `render` subcommand.
    var arguments: [String]
    var logPath: String

    struct Outcome {
        var status: Int32
        var seconds: Double
        /// The child's last `stylestudio:` line: on failure, the one line naming the problem.
        var lastMessage: String?
        var succeeded: Bool { status == 0 }
    }

    /// This program's own executable, for the children.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    func run() -> Outcome {
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executablePath)
        process.arguments = ["render"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            return Outcome(status: 1, seconds: 0, lastMessage: "cannot write the log '\(logPath)'")
        }
        defer { try? log.close() }
        process.standardError = log
        do {
            try process.run()
        } catch {
            return Outcome(status: 1, seconds: 0, lastMessage: "cannot start \(Self.executablePath): \(error)")
        }
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
            : process.terminationStatus
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let message = text.split(separator: "\n").last { $0.hasPrefix("stylestudio:") }
            .map { String($0.dropFirst("stylestudio:".count)).trimmingCharacters(in: .whitespaces) }
        return Outcome(status: status, seconds: Date().timeIntervalSince(started),
                       lastMessage: status == 0 ? message : message ?? "exited with status \(status)")
    }

    /// A command line a shell reads back as these arguments.
    static func shellLine(_ words: [String]) -> String {
        words.map { word in
            let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_./:=,+@%".unicodeScalars.contains($0)
            }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// "[3/8] name: what happened … ETA 0:42": one line per finished file or cell.
struct BatchProgress {
    let total: Int
    private(set) var finished = 0
    private var ranSeconds = 0.0
    private var ran = 0

    init(total: Int) { self.total = total }

    mutating func report(_ name: String, _ what: String, ranFor seconds: Double?) {
        finished += 1
        if let seconds {
            ran += 1
            ranSeconds += seconds
        }
        let remaining = total - finished
        let eta = ran > 0 ? RenderEstimate.duration(ranSeconds / Double(ran) * Double(remaining)) : "?"
        printError("[\(finished)/\(total)] \(name): \(what)" + (remaining > 0 ? "  ETA \(eta)" : ""))
    }
}
