import Foundation
import SafeIO
import Testing

@Suite("Bounded messages and whole-file reads")
struct TextAndReadTests {
    @Test func aHugeValueIsCutToItsStartAndLength() {
        let value = String(repeating: "9", count: 100_000)
        let line = BoundedText.elided("invalid value '\(value)' for --size")
        #expect(line.utf8.count < 200, "\(line.utf8.count)")
        #expect(line.hasPrefix("invalid value '999") && line.contains("100002 bytes") && line.hasSuffix(" for --size"))
        // Short words, including non-ASCII, are left alone.
        #expect(BoundedText.elided("cannot read 'café.png': no such file") == "cannot read 'café.png': no such file")
    }

    @Test func controlCharactersCannotBreakTheLineOrTheTerminal() {
        let line = BoundedText.elided("bad 'a\nb\u{1B}[2Jc'")
        #expect(!line.contains("\n") && !line.contains("\u{1B}"))
        #expect(line == "bad 'a\\nb\\u{1B}[2Jc'")
    }

    @Test func wholeFileReadsRefuseFIFOsAtOnceAndBigFiles() throws {
        let folder = try ScratchFolder()
        #expect(mkfifo(folder.file("pipe"), 0o644) == 0)
        let fifo = #expect(throws: FileFailure.self) { try WholeFile.read(folder.file("pipe"), limit: 100) }
        #expect(fifo?.problem == .notRegularFile("a FIFO (named pipe)"))
        try write(String(repeating: "x", count: 101), to: folder.file("big"))
        #expect((#expect(throws: FileFailure.self) { try WholeFile.read(folder.file("big"), limit: 100) })?.problem
                == .tooLarge(bytes: 101, limit: 100))
        #expect(try WholeFile.read(folder.file("big"), limit: 101).count == 101)
        #expect((#expect(throws: FileFailure.self) { try WholeFile.read(folder.path, limit: 100) })?.problem == .isDirectory)
        #expect((#expect(throws: FileFailure.self) { try WholeFile.read(folder.file("none"), limit: 100) })?.problem == .fileNotFound)
    }
}
