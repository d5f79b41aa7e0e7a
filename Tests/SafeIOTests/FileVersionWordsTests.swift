import Foundation
import SafeIO
import Testing

/// What caches of results computed from a file are keyed by (`FileIdentity.versionWords`): the same while the file
/// is untouched, different once it is rewritten or replaced.
@Suite("A file's version words")
struct FileVersionWordsTests {
    static func words(_ path: String) throws -> [UInt64] {
        var status = stat()
        try #require(stat(path, &status) == 0)
        return FileIdentity.versionWords(of: status)
    }

    @Test func rewritingOrReplacingTheFileChangesThem() throws {
        let folder = NSTemporaryDirectory() + "version-words-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/weights"
        try Data("first".utf8).write(to: URL(fileURLWithPath: path))
        let first = try Self.words(path)
        #expect(first.count == 5 && first[2] == 5)
        #expect(try Self.words(path) == first)
        usleep(10_000)
        try Data("other".utf8).write(to: URL(fileURLWithPath: path))  // same size, written again
        let rewritten = try Self.words(path)
        #expect(rewritten != first && rewritten[2] == 5)
        let replacement = folder + "/replacement"
        try Data("other".utf8).write(to: URL(fileURLWithPath: replacement))
        try #require(rename(replacement, path) == 0)  // another inode under the same name
        #expect(try Self.words(path)[1] != rewritten[1])
    }
}
