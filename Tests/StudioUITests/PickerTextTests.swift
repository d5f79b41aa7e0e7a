import Foundation
import Glibc
@testable import StudioUI
import Testing

/// What the file picker shows for odd names and long errors (issue 14, item 7).
@Suite("Picker text")
struct PickerTextTests {
    @Test func namesThatAreNotUTF8AreListedEscaped() throws {
        let folder = NSTemporaryDirectory() + "picker-names-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // "caf\xE9.png" (Latin-1), "\xFF\xFEx.jpg", and a wide-character name.
        for bytes: [UInt8] in [Array("caf".utf8) + [0xE9] + Array(".png".utf8), [0xFF, 0xFE] + Array("x.jpg".utf8),
                               Array("東京タワー.png".utf8)] {
            let path = Array(folder.utf8) + [UInt8(ascii: "/")] + bytes + [0]
            let descriptor = path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(descriptor >= 0)
            close(descriptor)
        }
        let names = try FileListing.entries(in: folder).map(\.name)
        #expect(names.first == "..")
        #expect(Set(names) == ["..", "\\xFF\\xFEx.jpg", "caf\\xE9.png", "東京タワー.png"], "\(names)")
    }

    @Test func wideCharactersAreCountedAsTheTerminalCountsThem() {
        setlocale(LC_CTYPE, "C.UTF-8")
        for scalar in "東京タワー🚀".unicodeScalars {
            #expect(TextFitting.cellWidth(of: scalar) == Curses.libraryCellWidth(of: scalar), "\(scalar)")
            #expect(TextFitting.cellWidth(of: scalar) == 2, "\(scalar)")
        }
        // Fitted to 9 cells: never more than 9 on screen, so the frame and status bar stay where they are.
        let fitted = TextFitting.padded("東京タワー.png", width: 9, unicode: true)
        #expect(TextFitting.width(of: fitted, unicode: true) == 9)
        #expect(fitted == "東京タワ ")
    }

    @Test func aLongErrorIsWrappedWholeNotCut() {
        let error = "cannot read '/home/someone/pictures/holiday/very-long-name.png': image data is corrupt (libpng: IDAT: invalid distance too far back)"
        let lines = TextFitting.wrapped(error, width: 24, unicode: true)
        #expect(lines.count > 4)
        #expect(lines.allSatisfy { TextFitting.width(of: $0, unicode: true) <= 24 }, "\(lines)")
        // Nothing is lost: joined again (at the spaces where lines broke) it is the whole message.
        #expect(lines.joined(separator: "").filter { !$0.isWhitespace } == error.filter { !$0.isWhitespace })
    }
}
