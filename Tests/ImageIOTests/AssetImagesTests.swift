import Foundation
import Testing
@testable import ImageIO

@Suite("The repository's own images (Assets/)")
struct AssetImagesTests {
    static let imagesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Assets")

    /// (relative path, width, height) for every table row of CREDITS.md, e.g. `| tubingen.png | 512x384 | ...`
    /// under `## content/`.
    static func credits() throws -> [(path: String, width: Int, height: Int)] {
        let text = try String(contentsOf: imagesDirectory.appendingPathComponent("CREDITS.md"), encoding: .utf8)
        var folder = ""
        var entries: [(String, Int, Int)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") {
                let title = line.dropFirst(3)
                folder = title.hasSuffix("/)") || title.contains("/") ? String(title.split(separator: "/")[0]) : ""
                continue
            }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !folder.isEmpty, cells.count > 2, cells[0].hasSuffix(".png") else { continue }
            let size = cells[1].split(separator: "x").compactMap { Int($0) }
            guard size.count == 2 else { continue }
            entries.append(("\(folder)/\(cells[0])", size[0], size[1]))
        }
        return entries
    }

    @Test("every image listed in CREDITS.md decodes at the listed size")
    func decodeAll() throws {
        let entries = try Self.credits()
        #expect(entries.count >= 7)
        for entry in entries {
            let image = try ImageFile.read(Self.imagesDirectory.appendingPathComponent(entry.path))
            #expect(image.width == entry.width && image.height == entry.height, "\(entry.path)")
            #expect(Set(image.pixels).count > 64, "\(entry.path) should be a real picture")
        }
    }
}
