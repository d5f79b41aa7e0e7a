import Foundation
import SafeIO
import SystemPackage

/// One entry of the file picker.
public struct DirectoryEntry: Hashable, Sendable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// What the file picker lists: sub-directories and image files, nothing else.
public enum FileListing {
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Whether a file name looks like an image the studio reads (.png/.jpg/.jpeg, any case).
    public static func isImageName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// `..` (unless at `/`), then directories, then image files, each sorted case-insensitively;
    /// hidden entries are left out. Throws a one-line message when the directory cannot be read.
    /// A name that is not valid UTF-8 is listed with its odd bytes escaped (`photo\xFF.png`).
    public static func entries(in directory: String) throws -> [DirectoryEntry] {
        let listed: [DirectoryListing.Entry]?
        do {
            listed = try DirectoryListing.entries(in: directory)
        } catch {
            throw ListingError(message: "cannot read directory \(directory)")
        }
        guard let listed else { throw ListingError(message: "cannot read directory \(directory)") }
        var directories: [DirectoryEntry] = []
        var images: [DirectoryEntry] = []
        for entry in listed where entry.bytes.first != UInt8(ascii: ".") {
            guard let status = entry.status(in: FilePath(directory)) else { continue }
            let name = entry.displayName
            if status.type == .directory {
                directories.append(DirectoryEntry(name: name, isDirectory: true))
            } else if isImageName(name) {
                images.append(DirectoryEntry(name: name, isDirectory: false))
            }
        }
        let order: (DirectoryEntry, DirectoryEntry) -> Bool = {
            $0.name.localizedStandardCompare($1.name) == .orderedAscending
        }
        let parent = directory == "/" ? [] : [DirectoryEntry(name: "..", isDirectory: true)]
        return parent + directories.sorted(by: order) + images.sorted(by: order)
    }

    /// `path` made absolute against `directory`, with `~` expanded and `.`/`..` resolved.
    public static func resolve(_ path: String, against directory: String, home: String) -> String {
        var path = path.trimmingCharacters(in: .whitespaces)
        if path == "~" { path = home } else if path.hasPrefix("~/") { path = home + path.dropFirst(1) }
        if !path.hasPrefix("/") { path = (directory as NSString).appendingPathComponent(path) }
        return normalized(path)
    }

    /// Removes `.`, `..` and repeated slashes without touching the file system.
    public static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The parent of an absolute path (`/` stays `/`).
    public static func parent(of path: String) -> String {
        normalized(path + "/..")
    }
}

/// A directory that could not be listed.
public struct ListingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
