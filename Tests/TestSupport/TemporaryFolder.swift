import Foundation

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryFolder {
    public let url: URL

    public init(_ prefix: String = "stylestudio-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The URL of `name` in the folder (nothing is created).
    public func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// The names in the folder, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// A folder inside, created with its parents.
    public func subfolder(_ name: String) throws -> URL {
        let folder = url.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `data` to `name` in `folder` (this folder by default); returns the file's URL.
    @discardableResult
    public func write(_ data: Data, to name: String, in folder: URL? = nil) throws -> URL {
        let file = (folder ?? url).appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    public func write(_ text: String, to name: String, in folder: URL? = nil) throws -> URL {
        try write(Data(text.utf8), to: name, in: folder)
    }
}
