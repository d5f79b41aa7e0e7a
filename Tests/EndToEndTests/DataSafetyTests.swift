import Foundation
import ImageIO
import TestSupport
import Testing

/// What a run may never do to the user's files, and stderr trouble that must not cost the result (issue 14).
@Suite("Data safety", .serialized)
struct DataSafetyTests {
    let directory: String

    init() throws {
        directory = try StudioHarness.makeWorkFolder("stylestudio-safety-")
    }

    func file(_ name: String) -> String { directory + "/" + name }

    /// A short render's command line (quoted for sh), writing `output`.
    func render(output: String, _ extra: [String] = [], iterations: Int = 3) -> String {
        let images = StudioHarness.images
        return ([StudioHarness.binary, "render", "--content", images.content, "--style", images.style, "--size", "48",
                 "--iterations", "\(iterations)", "--output", output] + extra).map(StudioHarness.quote).joined(separator: " ")
    }

    func decodes(_ path: String) -> Bool { (try? ImageFile.read(URL(fileURLWithPath: path))) != nil }

    func statusFile(_ name: String) -> Int32? {
        (try? String(contentsOfFile: file(name), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    // MARK: 1. stderr is best effort

    @Test("a closed, full or broken stderr never stops the run: exit 0 and the image is written")
    func stderrTroubleKeepsTheResult() throws {
        let cases: [(String, String)] = [
            ("closed", "\(render(output: file("closed.png"))) 2>&-; echo $? >\(file("closed.status"))"),
            ("full", "\(render(output: file("full.png"))) 2>/dev/full; echo $? >\(file("full.status"))"),
            // The reader goes away after two lines, SIGPIPE at its default (the harness resets it) ...
            ("pipe", "{ \(render(output: file("pipe.png"), iterations: 6)); echo $? >\(file("pipe.status")); } 2>&1 | head -n 2"),
            // ... and ignored by the shell (inherited as ignored).
            ("ignored", "trap '' PIPE; { \(render(output: file("ignored.png"), iterations: 6)); echo $? >\(file("ignored.status")); } 2>&1 | head -n 2"),
        ]
        for (name, command) in cases {
            let result = StudioHarness.shell(command)
            #expect(statusFile("\(name).status") == 0, "\(name): \(result.output)")
            #expect(decodes(file("\(name).png")), "\(name): no image; \(result.output)")
            #expect(!result.output.contains("Fatal error"), "\(name)")
        }
    }

    // MARK: 3. devices, FIFOs, symbolic links

    @Test("--output refuses a device or a FIFO with one line and leaves it as it was")
    func outputRefusesSpecialFiles() throws {
        #expect(mkfifo(file("fifo"), 0o644) == 0)
        for (path, kind) in [("/dev/null", "character device"), (file("fifo"), "FIFO")] {
            let result = StudioHarness.shell(render(output: path))
            #expect(result.status == 1, "\(path): \(result.output)")
            #expect(result.output.split(separator: "\n").count == 1 && result.output.contains(path) && result.output.contains(kind),
                    "\(result.output)")
            #expect(!result.output.contains("iter "))  // refused before any work
        }
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        #expect(lstat(file("fifo"), &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("--output through a symbolic link replaces the target's content and keeps the link")
    func outputThroughSymlink() throws {
        try FileManager.default.createDirectory(atPath: file("real"), withIntermediateDirectories: false)
        try Data("old".utf8).write(to: URL(fileURLWithPath: file("real/target.png")))
        try FileManager.default.createSymbolicLink(atPath: file("link.png"), withDestinationPath: "real/target.png")
        let result = StudioHarness.shell(render(output: file("link.png")))
        #expect(result.status == 0, "\(result.output)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: file("link.png")) == "real/target.png")
        #expect(decodes(file("real/target.png")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: file("real")) == ["target.png"])
    }

    // MARK: 4. an output is never an input

    @Test("no output may be the same file as an input or another output (device and inode, not names)")
    func outputsNeverOverwriteInputs() throws {
        let images = StudioHarness.images
        let photo = file("photo.png")
        try FileManager.default.copyItem(atPath: images.content, toPath: photo)
        #expect(link(photo, file("alias.png")) == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: photo))
        func run(_ arguments: [String]) -> (status: Int32, output: String) {
            StudioHarness.run(["render", "--content", photo, "--style", images.style, "--size", "48", "--iterations", "2"]
                              + arguments)
        }
        let cases: [([String], String)] = [
            (["--output", file("o.png"), "--log", photo], "same file as the content image"),
            (["--output", file("o.png"), "--log", file("alias.png")], "same file as the content image"),
            (["--output", directory + "/./alias.png"], "same file as the content image"),
            (["--output", images.style], "same file as the style image"),
            (["--output", file("o.png"), "--log", file("o.png")], "same file as the output image"),
            (["--output", file("o.png"), "--init", file("o2.png"), "--log", file("../" + URL(fileURLWithPath: directory).lastPathComponent + "/o.png")],
             "same file as the output image"),
        ]
        for (arguments, expected) in cases {
            let result = run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.output.split(separator: "\n").count == 1 && result.output.contains(expected), "\(arguments): \(result.output)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: photo)) == original)
        #expect(!FileManager.default.fileExists(atPath: file("o.png")))
    }

    // MARK: 5. an unwritable folder is found before the first iteration

    @Test("an output folder where nothing can be created is reported before any iteration")
    func unwritableFolderBeforeTheRun() throws {
        try FileManager.default.createDirectory(atPath: file("locked"), withIntermediateDirectories: false)
        chmod(file("locked"), 0o555)
        defer { chmod(file("locked"), 0o755) }
        let folder = getuid() == 0 ? "/proc/1" : file("locked")  // root writes anywhere the bits say no; not in /proc
        for extra in [["--output", folder + "/o.png"], ["--output", file("ok.png"), "--log", folder + "/o.jsonl"]] {
            let images = StudioHarness.images
            let command = [StudioHarness.binary, "render", "--content", images.content, "--style", images.style,
                           "--size", "48", "--iterations", "50"] + extra
            let result = StudioHarness.shell(command.map(StudioHarness.quote).joined(separator: " "))
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.split(separator: "\n").count == 1 && result.output.contains(folder), "\(result.output)")
            #expect(!result.output.contains("iter "), "\(result.output)")
        }
    }

    // MARK: 6. kill -9 during writes leaves nothing behind

    @Test("kill -9 at random moments of a run that writes every iteration leaves no temporary file")
    func killDuringWritesLeavesNothing() throws {
        for trial in 0..<8 {
            let command = render(output: file("k.png"), ["--save-every", "1", "--log", file("k.jsonl")], iterations: 400)
            // Start, wait a trial-dependent moment once the first image is there, then SIGKILL.
            let delay = 0.05 + Double(trial) * 0.037
            let result = StudioHarness.shell("""
                rm -f \(StudioHarness.quote(file("k.png")))
                \(command) 2>/dev/null & pid=$!
                i=0; while [ ! -e \(StudioHarness.quote(file("k.png"))) ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
                sleep \(delay); kill -9 $pid; wait $pid; echo killed
                """)
            #expect(result.output.contains("killed"))
            #expect(decodes(file("k.png")), "trial \(trial): the image is whole")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    // MARK: 7. bounded messages

    @Test("a 100 KB bad value gives one short line with its start and length")
    func hugeValuesAreElided() {
        let huge = String(repeating: "7", count: 100_000)
        let images = StudioHarness.images
        for arguments in [["--size", huge], ["--content-layers", huge], ["--output", "/nonexistent/" + huge]] {
            let command = [StudioHarness.binary, "render", "--content", images.content, "--style", images.style,
                           "--output", file("never.png")] + arguments
            let result = StudioHarness.shell(command.map(StudioHarness.quote).joined(separator: " "))
            #expect(result.status != 0)
            #expect(result.output.split(separator: "\n").count == 1, "\(result.output.prefix(300))")
            #expect(result.output.utf8.count < 600, "\(arguments[0]): \(result.output.utf8.count) bytes: \(result.output.prefix(300))")
            #expect(result.output.contains("777777") && result.output.contains("bytes]"), "\(result.output.prefix(300))")
        }
    }
}
