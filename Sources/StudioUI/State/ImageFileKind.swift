/// Which format a result is saved in, from the name the user typed: JPEG for `.jpg`/`.jpeg`, PNG otherwise.
enum ImageFileKind {
    static func isJPEG(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")
    }
}
