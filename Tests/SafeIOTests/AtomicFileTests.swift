import Foundation
import SafeIO
import SystemPackage
import Testing

/// A fresh folder under the temporary directory, removed at the end.
final class ScratchFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "safeio-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func text(_ name: String) -> String? { try? String(contentsOfFile: file(name), encoding: .utf8) }
}

func write(_ text: String, to path: String, ifExists: AtomicFile.Existing = .replace) throws {
    try AtomicFile.write(to: FilePath(path), ifExists: ifExists) { _ = try $0.writeAll(Array(text.utf8)) }
}

@Suite("Atomic writes")
struct AtomicFileTests {
    @Test func writesAndReplacesKeepingPermissionsAndLeavingNothingElse() throws {
        let folder = try ScratchFolder()
        try write("one", to: folder.file("a.txt"))
        #expect(folder.text("a.txt") == "one")
        chmod(folder.file("a.txt"), 0o600)
        try write("two", to: folder.file("a.txt"))
        #expect(folder.text("a.txt") == "two")
        #expect((try FileManager.default.attributesOfItem(atPath: folder.file("a.txt"))[.posixPermissions] as? Int) == 0o600)
        #expect(folder.entries == ["a.txt"])
    }

    @Test func keepRefusesAnExistingName() throws {
        let folder = try ScratchFolder()
        try write("one", to: folder.file("p.json"), ifExists: .keep)
        let error = #expect(throws: FileFailure.self) { try write("two", to: folder.file("p.json"), ifExists: .keep) }
        #expect(error?.problem == .alreadyExists)
        #expect(folder.text("p.json") == "one")
        #expect(folder.entries == ["p.json"])
    }

    @Test func aFailingWriterLeavesTheOldFileAndNothingElse() throws {
        let folder = try ScratchFolder()
        try write("old", to: folder.file("a.txt"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: FilePath(folder.file("a.txt"))) { descriptor in
                _ = try descriptor.writeAll(Array("half".utf8))
                throw Boom()
            }
        }
        #expect(folder.text("a.txt") == "old")
        #expect(folder.entries == ["a.txt"])
    }

    @Test func devicesFIFOsAndFoldersAreRefusedAndLeftAlone() throws {
        let folder = try ScratchFolder()
        #expect(mkfifo(folder.file("pipe"), 0o644) == 0)
        let cases: [(String, FileFailure.Problem)] = [
            ("/dev/null", .notRegularFile("a character device")),
            (folder.file("pipe"), .notRegularFile("a FIFO (named pipe)")),
            (folder.path, .isDirectory),
        ]
        for (path, problem) in cases {
            let error = #expect(throws: FileFailure.self, "\(path)") { try write("x", to: path) }
            #expect(error?.problem == problem, "\(path)")
            #expect(error.map { "\($0)" }?.contains(path) == true)
        }
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        #expect(lstat(folder.file("pipe"), &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(folder.entries == ["pipe"])
    }

    @Test func aSymbolicLinkIsWrittenThroughToItsTargetAndStaysALink() throws {
        let folder = try ScratchFolder()
        let other = try ScratchFolder()
        try write("old", to: other.file("target.txt"))
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.txt"), withDestinationPath: other.file("target.txt"))
        // A relative link, and a dangling one: the file it names is created.
        try FileManager.default.createSymbolicLink(atPath: folder.file("rel.txt"), withDestinationPath: "link.txt")
        try FileManager.default.createSymbolicLink(atPath: folder.file("dangling.txt"), withDestinationPath: "new.txt")
        try write("new", to: folder.file("rel.txt"))
        try write("fresh", to: folder.file("dangling.txt"))
        #expect(other.text("target.txt") == "new")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("link.txt")) == other.file("target.txt"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("rel.txt")) == "link.txt")
        #expect(folder.text("new.txt") == "fresh")
        #expect(folder.entries == ["dangling.txt", "link.txt", "new.txt", "rel.txt"])
        #expect(other.entries == ["target.txt"])
        // A loop is one clear error.
        try FileManager.default.createSymbolicLink(atPath: folder.file("loop"), withDestinationPath: "loop")
        #expect((#expect(throws: FileFailure.self) { try write("x", to: folder.file("loop")) })?.problem == .tooManySymbolicLinks)
    }

    @Test func temporaryFilesOfDeadWritersAreRemovedByTheNextWriteAndLiveOnesKept() throws {
        let folder = try ScratchFolder()
        let dead = folder.file(".o.png.tmp-2147483000-ab12")     // no such process (above PID_MAX_LIMIT)
        let live = folder.file(".o.png.tmp-\(getppid())-cd34")   // our parent is running: maybe writing now
        let foreign = folder.file(".o.png.tmp-Xy12Zq")           // not our pattern: never touched
        for path in [dead, live, foreign] { try Data("partial".utf8).write(to: URL(fileURLWithPath: path)) }
        try write("done", to: folder.file("o.png"))
        #expect(folder.entries == [".o.png.tmp-Xy12Zq", ".o.png.tmp-\(getppid())-cd34", "o.png"].sorted())
    }

    @Test func missingFolderIsNamed() throws {
        let error = #expect(throws: FileFailure.self) { try write("x", to: "/nonexistent-safeio/dir/o.png") }
        #expect(error?.problem == .folderNotFound("/nonexistent-safeio/dir"))
        #expect(error.map { "\($0)" } == "cannot write '/nonexistent-safeio/dir/o.png': the folder '/nonexistent-safeio/dir' does not exist")
    }
}
