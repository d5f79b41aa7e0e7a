import Foundation
import SafeIO
import StudioCore

extension LoadedImage {
    /// Files above this size get a line on stderr while they are read before the studio starts.
    public static let announcedFileBytes = 8 << 20

    /// Reads an image named on the command line (before curses starts): a large file is announced on stderr
    /// while it decodes and then with its size and what the studio does with it, so a long wait is explained.
    public static func readAnnounced(path: String, workingSize: Int) throws -> LoadedImage {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let announce = bytes >= announcedFileBytes
        if announce {
            StandardError.writeLine("stylestudio: reading \(path.lastComponent) (\(bytes >> 20) MB)...")
        }
        let loaded = try read(path: path)
        if announce {
            let longSide = max(loaded.image.width, loaded.image.height)
            let note = longSide > workingSize ? ": the studio paints it at \(workingSize) px (f renders it large)" : ""
            StandardError.writeLine("stylestudio: \(path.lastComponent) is \(loaded.image.width)x\(loaded.image.height)\(note)")
        }
        return loaded
    }
}
