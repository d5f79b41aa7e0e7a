import Foundation
import SafeIO
import Testing

@Suite("Output checks")
struct OutputGuardTests {
    @Test func anOutputThatIsAnInputIsRefusedWhateverItsName() throws {
        let folder = try ScratchFolder()
        try write("photo", to: folder.file("photo.png"))
        #expect(link(folder.file("photo.png"), folder.file("hard.png")) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder.file("soft.png"), withDestinationPath: "photo.png")
        var outputs = OutputGuard()
        outputs.addInput(folder.file("photo.png"), role: "content image")
        outputs.addInput("/nonexistent/style.png", role: "style image")  // missing inputs are the reader's business
        for path in [folder.file("photo.png"), folder.file("hard.png"), folder.file("soft.png"),
                     folder.path + "/./photo.png"] {
            for kind in [OutputGuard.Kind.file, .stream] {
                let error = #expect(throws: FileFailure.self, "\(path)") { try outputs.checkOutput(path, role: "log", kind: kind) }
                #expect(error?.problem == .sameFile(as: "content image"))
                #expect(error.map { "\($0)" }?.hasSuffix("it is the same file as the content image") == true)
            }
        }
        #expect(folder.text("photo.png") == "photo")
    }

    @Test func twoOutputsCannotBeTheSameFileEvenWhenNew() throws {
        let folder = try ScratchFolder()
        var outputs = OutputGuard()
        try outputs.checkOutput(folder.file("out.png"), role: "output image")
        let error = #expect(throws: FileFailure.self) {
            try outputs.checkOutput(folder.path + "/../" + URL(fileURLWithPath: folder.path).lastPathComponent + "/out.png",
                                    role: "log", kind: .stream)
        }
        #expect(error?.problem == .sameFile(as: "output image"))
        try outputs.checkOutput(folder.file("out.jsonl"), role: "log", kind: .stream)
        #expect(folder.entries.isEmpty)  // checking creates nothing
    }

    @Test func streamsMayBeFIFOsAndDevicesFilesMayNot() throws {
        let folder = try ScratchFolder()
        #expect(mkfifo(folder.file("pipe"), 0o644) == 0)
        var outputs = OutputGuard()
        try outputs.checkOutput(folder.file("pipe"), role: "log", kind: .stream)
        try outputs.checkOutput("/dev/null", role: "log 2", kind: .stream)
        for path in [folder.file("pipe"), "/dev/null", "/dev/zero"] {
            let error = #expect(throws: FileFailure.self) { try OutputGuard().checked(path) }
            if case .notRegularFile = error?.problem {} else { Issue.record("\(path): \(String(describing: error))") }
        }
        #expect((#expect(throws: FileFailure.self) { try OutputGuard().checked(folder.path) })?.problem == .isDirectory)
    }

    @Test func aFolderWhereNothingCanBeCreatedIsFoundBeforeAnyWork() throws {
        let folder = try ScratchFolder()
        let locked = folder.file("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        defer { chmod(locked, 0o755) }
        // Root may write anywhere it has permission bits for; /proc/1 refuses new files to everyone.
        let unwritable = getuid() == 0 ? "/proc/1" : locked
        let error = #expect(throws: FileFailure.self) { try OutputGuard().checked(unwritable + "/o.png") }
        #expect(error.map { "\($0)" }?.hasPrefix("cannot write '\(unwritable)/o.png': ") == true, "\(String(describing: error))")
        if getuid() != 0 { #expect(error?.problem == .permissionDenied) }
        // A preset folder that is made on first save: fine when its nearest existing parent is writable.
        var outputs = OutputGuard()
        try outputs.checkOutput(folder.file("a/b/c/p.json"), role: "preset", createsFolders: true)
        #expect(throws: FileFailure.self) {
            try outputs.checkOutput(unwritable + "/a/b/p.json", role: "preset 2", createsFolders: true)
        }
    }
}

extension OutputGuard {
    func checked(_ path: String) throws {
        var copy = self
        try copy.checkOutput(path, role: "output")
    }
}
