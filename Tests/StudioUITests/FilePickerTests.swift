import Foundation
import StudioCore
import Testing
@testable import StudioUI

/// A temporary folder with images of several spellings, other files, sub-folders and hidden entries.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "studio-ui-test-" + UUID().uuidString
        let manager = FileManager.default
        try manager.createDirectory(atPath: path + "/photos/old", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: path + "/Paintings", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: path + "/.cache", withIntermediateDirectories: true)
        for name in ["b.png", "A.JPG", "c.jpeg", "d.PnG", "notes.txt", "e.gif", "png", "photos.png.bak", ".hidden.png"] {
            manager.createFile(atPath: path + "/" + name, contents: Data([1, 2, 3]))
        }
        manager.createFile(atPath: path + "/photos/cat.png", contents: Data([1]))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("File picker")
struct FilePickerTests {
    @Test("image names are recognised by extension, in any case")
    func imageNames() {
        for name in ["a.png", "a.PNG", "a.jpg", "a.JPEG", "x.y.Jpg"] { #expect(FileListing.isImageName(name)) }
        for name in ["a.gif", "png", ".png", "a.png.bak", "a", "a.txt"] { #expect(!FileListing.isImageName(name)) }
    }

    @Test("listing: .. first, folders, then images; other files and hidden entries left out")
    func listing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let entries = try FileListing.entries(in: folder.path)
        #expect(entries.map(\.name) == ["..", "Paintings", "photos", "A.JPG", "b.png", "c.jpeg", "d.PnG"])
        #expect(entries.map(\.isDirectory) == [true, true, true, false, false, false, false])
        #expect(try FileListing.entries(in: "/").first?.name != "..")
        #expect(throws: ListingError.self) { try FileListing.entries(in: folder.path + "/missing") }
    }

    @Test("paths typed by hand are resolved against the folder and home")
    func resolving() {
        #expect(FileListing.resolve("x.png", against: "/a/b", home: "/h") == "/a/b/x.png")
        #expect(FileListing.resolve("../x.png", against: "/a/b", home: "/h") == "/a/x.png")
        #expect(FileListing.resolve("~/p/x.png", against: "/a", home: "/h") == "/h/p/x.png")
        #expect(FileListing.resolve("/abs//./y.jpg ", against: "/a", home: "/h") == "/abs/y.jpg")
        #expect(FileListing.parent(of: "/a/b") == "/a")
        #expect(FileListing.parent(of: "/") == "/")
    }

    /// A reducer whose current folder is `folder` and that sees the real file system.
    static func reducer(browsing folder: TemporaryFolder) -> StudioReducer {
        StudioReducer(environment: StudioEnvironment(currentDirectory: folder.path, homeDirectory: "/nonexistent",
                                                     fileExists: { FileManager.default.fileExists(atPath: $0) }))
    }

    @Test("browsing with keys: into a folder, back up, typed paths, choosing a file")
    func browsing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reducer = Self.reducer(browsing: folder)
        var model = makeModel()
        let opened = reducer.reduce(&model, .key(.character("c")))
        guard case .picker(var picker)? = model.topOverlay else {
            Issue.record("expected the picker")
            return
        }
        // The first image is highlighted and its preview requested.
        #expect(picker.selectedEntry?.name == "A.JPG")
        #expect(opened == [.previewFile(path: folder.path + "/A.JPG")])
        // Up to "photos", into it.
        _ = reducer.reduce(&model, .key(.up))
        #expect(reducer.reduce(&model, .key(.enter)) == [.previewFile(path: folder.path + "/photos/cat.png")])
        guard case .picker(let inside)? = model.topOverlay else { return }
        picker = inside
        #expect(picker.directory == folder.path + "/photos")
        #expect(picker.entries.map(\.name) == ["..", "old", "cat.png"])
        // Backspace with nothing typed goes up and re-selects the folder we came from.
        _ = reducer.reduce(&model, .key(.backspace))
        guard case .picker(let back)? = model.topOverlay else { return }
        #expect(back.directory == folder.path)
        #expect(back.selectedEntry?.name == "photos")
        // A typed path that does not exist is an error line; one that does is loaded.
        for character in "nope.png" { _ = reducer.reduce(&model, .key(.character(character))) }
        _ = reducer.reduce(&model, .key(.enter))
        guard case .picker(let failed)? = model.topOverlay else { return }
        #expect(failed.error?.contains("no such file") == true)
        _ = reducer.reduce(&model, .key(.control("u")))
        for character in "photos/cat.png" { _ = reducer.reduce(&model, .key(.character(character))) }
        #expect(reducer.reduce(&model, .key(.enter)) == [.loadImage(.content, path: folder.path + "/photos/cat.png")])
        Self.expectLoadingThenClosed(path: folder.path + "/photos/cat.png", reducer: reducer, model: &model)
    }

    /// The picker stays open while the file loads; once it has, it closes (and asks for the style image).
    static func expectLoadingThenClosed(path: String, reducer: StudioReducer, model: inout StudioModel) {
        guard case .picker(let loading)? = model.topOverlay else {
            Issue.record("the picker closed before the file loaded")
            return
        }
        #expect(loading.loading == path)
        _ = reducer.reduce(&model, .imageLoaded(.content, LoadedImage(path: path, image: tinyImage)))
        guard case .picker(let next)? = model.topOverlay else {
            Issue.record("expected the style picker")
            return
        }
        #expect(next.role == .style)
        #expect(model.overlays.count == 1)
    }

    @Test("a file that fails to load keeps the picker open with the reason; typed text stays in the picker")
    func badFileKeepsThePicker() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reducer = Self.reducer(browsing: folder)
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.character("c")))
        let path = folder.path + "/A.JPG"
        #expect(reducer.reduce(&model, .key(.enter)) == [.loadImage(.content, path: path)])
        _ = reducer.reduce(&model, .imageLoadFailed(.content, message: "\(path): not a PNG or JPEG image"))
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("the picker closed after a failed load")
            return
        }
        #expect(picker.error?.contains("not a PNG or JPEG") == true)
        #expect(picker.loading == nil)
        #expect(model.message == nil)
        // The next typed path goes into the picker, not to the main screen's keys (p: presets, s: save as).
        for character in "ps" { #expect(reducer.reduce(&model, .key(.character(character))).isEmpty) }
        guard case .picker(let typing)? = model.topOverlay else {
            Issue.record("typed text left the picker")
            return
        }
        #expect(typing.typed == "ps")
        #expect(model.overlays.count == 1)
    }

    @Test("j and k move in the picker while no path is typed; a typed folder is listed at once")
    func pickerKeys() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reducer = Self.reducer(browsing: folder)
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.character("c")))
        _ = reducer.reduce(&model, .key(.character("j")))
        guard case .picker(let moved)? = model.topOverlay else { return }
        #expect(moved.selectedEntry?.name == "b.png")
        #expect(moved.typed.isEmpty)
        _ = reducer.reduce(&model, .key(.character("k")))
        _ = reducer.reduce(&model, .key(.character("k")))
        guard case .picker(let up)? = model.topOverlay else { return }
        #expect(up.selectedEntry?.name == "photos")
        for character in "photos/" { _ = reducer.reduce(&model, .key(.character(character))) }
        guard case .picker(let inside)? = model.topOverlay else { return }
        #expect(inside.directory == folder.path + "/photos")
        #expect(inside.entries.map(\.name) == ["..", "old", "cat.png"])
        #expect(inside.typed.isEmpty)
        // Typing a name selects the first entry that starts with it; then j is a letter.
        for character in "o" { _ = reducer.reduce(&model, .key(.character(character))) }
        _ = reducer.reduce(&model, .key(.character("j")))
        guard case .picker(let typed)? = model.topOverlay else { return }
        #expect(typed.typed == "oj")
        #expect(typed.selectedEntry?.name == "old")
    }

    @Test("the mouse: a click highlights an entry, a click on the highlighted one opens it")
    func clicking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reducer = Self.reducer(browsing: folder)
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.character("c")))
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("expected the picker")
            return
        }
        let list = OverlayLayout.pickerList(picker, in: model)
        let row = { (name: String) in list.rect.row + picker.entries.firstIndex { $0.name == name }! - list.scroll }
        // Outside the list: nothing happens.
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.right + 5, row: row("b.png"), action: .press))).isEmpty)
        // On b.png: highlighted, preview asked for.
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.column + 1, row: row("b.png"), action: .press)))
                == [.previewFile(path: folder.path + "/b.png")])
        guard case .picker(let highlighted)? = model.topOverlay else { return }
        #expect(highlighted.selectedEntry?.name == "b.png")
        // Again on b.png: opened.
        #expect(reducer.reduce(&model, .mouse(MouseInput(column: list.rect.column + 1, row: row("b.png"), action: .press)))
                == [.loadImage(.content, path: folder.path + "/b.png")])
        Self.expectLoadingThenClosed(path: folder.path + "/b.png", reducer: reducer, model: &model)
    }

    @Test("an unreadable folder shows an error instead of entries")
    func unreadable() {
        let reducer = StudioReducer(environment: StudioEnvironment(
            currentDirectory: "/no/such/folder", homeDirectory: "/", fileExists: { _ in false }))
        var model = makeModel()
        _ = reducer.reduce(&model, .key(.character("y")))
        guard case .picker(let picker)? = model.topOverlay else {
            Issue.record("expected the picker")
            return
        }
        #expect(picker.error?.contains("/no/such/folder") == true)
        #expect(picker.entries.map(\.name) == [".."])
    }
}
