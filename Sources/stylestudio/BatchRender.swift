import ArgumentParser
import Foundation
import ImageIO
import StudioCore

/// `render` with several photos (`--content` repeated, or a folder) into `--output DIR`: each photo is rendered
/// by a child `render` with the same flags, into DIR/<photo>.png with DIR/<photo>.json (the manifest) and
/// DIR/<photo>.log (its progress lines). A failure is reported and the others go on; the exit status is the
/// number of files that failed (at most 100).
struct BatchRender {
    struct Job {
        var content: String
        var name: String
    }

    let jobs: [Job]
    let folder: String
    /// The flags given to `render`, less --content and --output (and the time-lapse, which becomes per photo).
    let sharedArguments: [String]
    let timelapseExtension: String?

    /// Photo extensions taken from a folder (other files are ignored).
    static let photoExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// A batch when there are several photos or a folder of them; nil for an ordinary render.
    init?(contents: [String], output: String,
          arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws {
        var isDirectory: ObjCBool = false
        let isFolder: (String) -> Bool = { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
        guard contents.count > 1 || contents.contains(where: isFolder) else { return nil }

        var photos: [String] = []
        for path in contents {
            guard isFolder(path) else { photos.append(path); continue }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            let found = names.filter { Self.photoExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            guard !found.isEmpty else { throw CommandFailure("the folder '\(path)' has no PNG or JPEG files") }
            photos += found.map { (path as NSString).appendingPathComponent($0) }
        }
        var used: [String: Int] = [:]
        jobs = photos.map { photo in
            let stem = ((photo as NSString).lastPathComponent as NSString).deletingPathExtension
            used[stem, default: 0] += 1
            return Job(content: photo, name: used[stem]! == 1 ? stem : "\(stem)-\(used[stem]!)")
        }

        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CommandFailure("with several photos, --output must be a folder ('\(output)' is a file)")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
            } catch {
                throw CommandFailure("cannot create the output folder '\(output)': \((error as NSError).localizedDescription)")
            }
        }
        folder = output

        // The flags shared by every photo: everything after `render`, less the per-photo ones.
        var shared: [String] = []
        var timelapse: String?
        var words = arguments.drop { $0 != "render" }.dropFirst()[...]
        while let word = words.popFirst() {
            let (flag, inline) = word.hasPrefix("--") && word.contains("=")
                ? (String(word.prefix { $0 != "=" }), String(word.drop { $0 != "=" }.dropFirst())) : (word, nil)
            switch flag {
            case "--content", "--output", "--timelapse":
                let value = inline ?? words.popFirst()
                if flag == "--timelapse" { timelapse = value }
            case "--log", "--save-preset", "--manifest":
                throw CommandFailure("\(flag) names one file; a batch writes a log and a manifest per photo into '\(output)'")
            default: shared.append(word)
            }
        }
        sharedArguments = shared
        timelapseExtension = timelapse.flatMap { AnimationFormat(path: $0)?.rawValue }
        if timelapse != nil && timelapseExtension == nil {
            throw CommandFailure("cannot write '\(timelapse!)': a time-lapse is .webp or .gif")
        }
    }

    func run() throws {
        var progress = BatchProgress(total: jobs.count)
        var failed = 0
        printError("stylestudio: rendering \(jobs.count) photos into \(folder)")
        for job in jobs {
            let base = (folder as NSString).appendingPathComponent(job.name)
            var arguments = sharedArguments + ["--content", job.content, "--output", base + ".png", "--manifest", base + ".json"]
            if let timelapseExtension { arguments += ["--timelapse", base + "." + timelapseExtension] }
            let outcome = ChildRender(arguments: arguments, logPath: base + ".log").run()
            if outcome.succeeded {
                let losses = RunManifest.read(from: base + ".json").map { String(format: "loss %.4e, ", $0.losses.total) } ?? ""
                progress.report(job.content, "wrote \(base).png (\(losses)" + String(format: "%.1f s)", outcome.seconds),
                                ranFor: outcome.seconds)
            } else {
                failed += 1
                progress.report(job.content, "FAILED: \(outcome.lastMessage ?? "unknown error") (log: \(base).log)",
                                ranFor: outcome.seconds)
            }
        }
        printError("stylestudio: \(jobs.count - failed) of \(jobs.count) photos rendered" + (failed > 0 ? ", \(failed) failed" : ""))
        if failed > 0 { throw ExitCode(Int32(min(failed, 100))) }
    }
}
