import Foundation
import TestSupport
import Testing
@testable import ImageIO

@Suite("Atomic PNG/JPEG writing")
struct AtomicWriteTests {
    @Test("overwriting replaces the file and leaves nothing else behind")
    func overwrite() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("result.png")
        let first = randomImage(width: 20, height: 10, seed: 1)
        let second = randomImage(width: 7, height: 30, seed: 2)
        try ImageFile.writePNG(first, to: url)
        #expect(try ImageFile.read(url) == first)
        try ImageFile.writePNG(second, to: url)
        #expect(try ImageFile.read(url) == second)
        #expect(try directory.contents() == ["result.png"])
    }

    @Test("a failure in the middle of a write removes the temporary file and keeps the old file intact")
    func failureMidWrite() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("keep.png")
        try ImageFile.writePNG(randomImage(width: 9, height: 9, seed: 4), to: url)
        let before = try bytes(of: url)

        // Consistent in Swift, so the temporary file gets created; libpng-side validation then fails:
        // a 2-bit palette can hold 4 entries, not 5.
        let impossible = PNGSamples(width: 2, height: 2, colorType: .palette, bitDepth: 2, samples: .bytes([0, 1, 2, 3]),
                                    palette: Array(repeating: 9, count: 15))
        let error = imageError { try ImageFile.writePNG(impossible, to: url) }
        guard case .invalidRequest = error?.problem else {
            Issue.record("expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(error?.operation == .write)
        #expect(try bytes(of: url) == before)
        #expect(try directory.contents() == ["keep.png"])
    }

    @Test("writing into a directory that does not exist fails clearly and creates nothing")
    func missingDirectory() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("missing/out.png")
        let error = imageError { try ImageFile.writePNG(randomImage(width: 2, height: 2, seed: 1), to: url) }
        #expect(error?.problem == .directoryNotFound)
        #expect(error?.description == "cannot write '\(url.path)': the directory does not exist")
        #expect(try directory.contents().isEmpty)
    }

    @Test("writing over a directory is refused and leaves it alone")
    func destinationIsDirectory() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("folder.png")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        let error = imageError { try ImageFile.writePNG(randomImage(width: 2, height: 2, seed: 1), to: url) }
        #expect(error?.problem == .isDirectory)
        #expect(try directory.contents() == ["folder.png"])
    }

    @Test("inconsistent samples are refused before any file is created")
    func inconsistentSamples() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("bad.png")
        let wrongCount = PNGSamples(width: 4, height: 4, colorType: .rgb, bitDepth: 8, samples: .bytes([1, 2, 3]))
        let error = imageError { try ImageFile.writePNG(wrongCount, to: url) }
        guard case .invalidRequest = error?.problem else {
            Issue.record("expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test("an existing file's permissions survive an overwrite; new files are 0644")
    func permissions() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("private.jpg")
        try ImageFile.writeJPEG(gradientImage(width: 8, height: 8), to: url)
        var attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        try ImageFile.writeJPEG(gradientImage(width: 8, height: 8), to: url)
        attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
