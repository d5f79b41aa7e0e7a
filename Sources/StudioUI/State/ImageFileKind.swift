import Foundation
import StudioCore

/// Which format a result is saved in, from the name the user typed: JPEG for `.jpg`/`.jpeg`, PNG otherwise.
enum ImageFileKind {
    static func isJPEG(_ name: String) -> Bool { RenderOutput.isJPEG(URL(fileURLWithPath: name)) }
}
