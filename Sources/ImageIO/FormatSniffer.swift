/// Identifies a file's format from its first bytes (the extension is never trusted).
enum FormatSniffer {
    enum Identification: Equatable {
        case png
        case jpeg
        /// The file is a proper prefix of a PNG or JPEG signature: it was cut short.
        case truncatedSignature
        /// A recognised image format we do not decode, by name.
        case unsupported(String)
        case unknown
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    static func identify(_ bytes: [UInt8]) -> Identification {
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.starts(with: jpegSignature) { return .jpeg }
        for signature in [pngSignature, jpegSignature]
        where bytes.count >= 2 && bytes.count < signature.count && signature.starts(with: bytes) {
            return .truncatedSignature
        }
        if let format = otherFormat(bytes) { return .unsupported(format) }
        return .unknown
    }

    private static func otherFormat(_ bytes: [UInt8]) -> String? {
        func matches(_ text: String, at offset: Int = 0) -> Bool {
            let expected = Array(text.utf8)
            return bytes.count >= offset + expected.count && Array(bytes[offset..<offset + expected.count]) == expected
        }
        if matches("GIF87a") || matches("GIF89a") { return "GIF" }
        if matches("RIFF") && matches("WEBP", at: 8) { return "WebP" }
        if matches("II*\u{0}") || matches("MM\u{0}*") { return "TIFF" }
        if matches("8BPS") { return "Photoshop (PSD)" }
        if matches("qoif") { return "QOI" }
        if bytes.starts(with: [0xFF, 0x0A]) || matches("JXL ", at: 4) { return "JPEG XL" }
        if matches("ftyp", at: 4) {
            for brand in ["avif", "avis"] where matches(brand, at: 8) { return "AVIF" }
            for brand in ["heic", "heix", "hevc", "mif1", "msf1"] where matches(brand, at: 8) { return "HEIF" }
        }
        // ICO: reserved 0, type 1, then a non-zero image count.
        if bytes.starts(with: [0, 0, 1, 0]) && bytes.count >= 6 && (bytes[4] != 0 || bytes[5] != 0) {
            return "Windows icon (ICO)"
        }
        // BMP: "BM", then a 4-byte size, then 4 reserved bytes that are zero.
        if matches("BM") && bytes.count >= 14 && bytes[6..<10].allSatisfy({ $0 == 0 }) { return "BMP" }
        return nil
    }
}
