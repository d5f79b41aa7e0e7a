import Foundation
import StyleEngine
import TestSupport
import Testing
@testable import ImageIO

@Suite("Read errors: one clear message naming the file")
struct ReadErrorTests {
    @Test("a missing file")
    func missingFile() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("nowhere.png")
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.problem == .fileNotFound)
        #expect(error?.description == "cannot read '\(url.path)': no such file")
    }

    @Test("several files read side by side come back in the order given; a failure is the first failing file's, in that order")
    func severalFiles() throws {
        let directory = try TemporaryFolder()
        let (wide, tall) = (directory.file("wide.png"), directory.file("tall.jpg"))
        try ImageFile.writePNG(gradientImage(width: 40, height: 9), to: wide)
        try ImageFile.writeJPEG(gradientImage(width: 7, height: 30), to: tall)
        let images = try ImageFile.read([wide, tall, wide])
        #expect(images.map(\.width) == [40, 7, 40] && images.map(\.height) == [9, 30, 9])
        let (alone, tallAlone) = (try ImageFile.read(wide), try ImageFile.read(tall))
        #expect(images[0] == alone && images[1] == tallAlone)
        #expect(try ImageFile.read([URL]()).isEmpty)
        let (missing, text) = (directory.file("missing.png"), directory.file("notes.png"))
        try write(Array("not a picture".utf8), to: text)
        #expect(imageError { _ = try ImageFile.read([wide, missing, text]) }?.problem == .fileNotFound)
        #expect(imageError { _ = try ImageFile.read([text, wide, missing]) }?.problem == .notAnImage)
        #expect(imageError { _ = try ImageFile.read([wide, text, missing]) }?.path == text.relativePath)
    }

    @Test("the message names the file as the caller gave it (a relative path stays relative)")
    func relativePathIsKept() {
        let relative = "no-such-dir-\(UUID().uuidString)/photo.jpg"
        let fromURL = imageError { _ = try ImageFile.read(URL(fileURLWithPath: relative)) }
        #expect(fromURL?.description == "cannot read '\(relative)': no such file")
        let fromPath = imageError { _ = try ImageFile.read(path: relative) }
        #expect(fromPath?.description == "cannot read '\(relative)': no such file")
    }

    @Test("a directory")
    func directory() throws {
        let directory = try TemporaryFolder()
        let error = imageError { _ = try ImageFile.read(directory.url) }
        #expect(error?.problem == .isDirectory)
    }

    @Test("an empty file")
    func emptyFile() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("empty.png")
        try write([], to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.problem == .empty)
        #expect(error?.description == "cannot read '\(url.path)': file is empty")
    }

    @Test("a text file named .png is not an image (the extension is not trusted)")
    func textFile() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("notes.png")
        try write(Array("hello, this is not a picture\n".utf8), to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.problem == .notAnImage)
        #expect(error?.description == "cannot read '\(url.path)': not a PNG or JPEG image")
    }

    @Test("a JPEG named .png decodes as JPEG")
    func formatFromContentNotExtension() throws {
        let directory = try TemporaryFolder()
        let url = directory.file("actually-a-jpeg.png")
        try ImageFile.writeJPEG(gradientImage(width: 16, height: 8), to: url)
        let image = try ImageFile.read(url)
        #expect(image.width == 16 && image.height == 8)
    }

    @Test("other image formats are named", arguments: [
        ("GIF89a" + String(repeating: "\u{0}", count: 20), "GIF"),
        ("RIFF\u{10}\u{0}\u{0}\u{0}WEBPVP8 ", "WebP"),
        ("II*\u{0}\u{8}\u{0}\u{0}\u{0}", "TIFF"),
    ])
    func otherFormats(content: String, format: String) throws {
        let directory = try TemporaryFolder()
        let url = directory.file("picture.png")
        try write(Array(content.utf8), to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.problem == .unsupportedFormat(format))
        #expect(error?.description.hasSuffix("\(format) images are not supported (use PNG or JPEG)") == true)
    }

    /// A 64x64 random PNG (so the IDAT is large) and its bytes.
    private func pngFixture(in directory: TemporaryFolder) throws -> [UInt8] {
        let url = directory.file("whole.png")
        try ImageFile.writePNG(randomImage(width: 64, height: 64, seed: 3), to: url)
        return try bytes(of: url)
    }

    @Test("a PNG cut at several points is reported as truncated", arguments: [
        ("inside the signature", 4), ("after the signature", 8), ("inside IHDR", 20), ("header only", 33),
        ("mid-IDAT", -2), ("without IEND", -12), ("without IEND's CRC", -4), ("last byte missing", -1),
    ])
    func truncatedPNG(point: String, cut: Int) throws {
        let directory = try TemporaryFolder()
        let whole = try pngFixture(in: directory)
        let length = cut > 0 ? cut : (cut == -2 ? whole.count / 2 : whole.count + cut)
        let url = directory.file("cut.png")
        try write(Array(whole.prefix(length)), to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        guard case .truncated = error?.problem else {
            Issue.record("\(point): expected truncated, got \(String(describing: error))")
            return
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("cannot read '\(url.path)': file is truncated"))
        #expect(!description.contains("\n"))
    }

    @Test("a PNG cut mid-IDAT says what libpng said")
    func truncatedMessage() throws {
        let directory = try TemporaryFolder()
        let whole = try pngFixture(in: directory)
        let url = directory.file("x.png")
        try write(Array(whole.prefix(whole.count / 2)), to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.description == "cannot read '\(url.path)': file is truncated (libpng: Read Error)")
    }

    @Test("a PNG with a damaged IDAT is reported as corrupt")
    func corruptPNG() throws {
        let directory = try TemporaryFolder()
        var damaged = try pngFixture(in: directory)
        damaged[damaged.count / 2] ^= 0x55
        let url = directory.file("damaged.png")
        try write(damaged, to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        guard case .corrupt(let detail) = error?.problem else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("libpng: "))
    }

    @Test("a PNG whose IHDR CRC is wrong is reported as corrupt")
    func badHeaderCRC() throws {
        let directory = try TemporaryFolder()
        var damaged = try pngFixture(in: directory)
        damaged[30] ^= 0xFF  // inside IHDR's CRC
        let url = directory.file("bad-crc.png")
        try write(damaged, to: url)
        #expect(imageError { _ = try ImageFile.read(url) }?.problem == .corrupt("IHDR: CRC error"))
    }

    @Test("a JPEG cut short is reported as truncated, not decoded half grey", arguments: [20, 200, -2, -2_000])
    func truncatedJPEG(cut: Int) throws {
        let directory = try TemporaryFolder()
        let source = directory.file("whole.jpg")
        try ImageFile.writeJPEG(randomImage(width: 64, height: 64, seed: 5), to: source, quality: 95)
        let whole = try bytes(of: source)
        #expect(whole.count > 4_000)
        let length = cut > 0 ? cut : (cut == -2 ? whole.count / 2 : whole.count + cut)
        let url = directory.file("cut.jpg")
        try write(Array(whole.prefix(length)), to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        guard case .truncated(let detail) = error?.problem else {
            Issue.record("cut at \(length): expected truncated, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("libjpeg: "))
    }

    @Test("a JPEG whose scan data stops at a marker early is reported as truncated, not decoded half grey",
          arguments: [-2, -200, -1_000])
    func jpegDataEndingAtAMarker(cut: Int) throws {
        let directory = try TemporaryFolder()
        let source = directory.file("whole.jpg")
        try ImageFile.writeJPEG(randomImage(width: 64, height: 64, seed: 7), to: source, quality: 95)
        let whole = try bytes(of: source)
        let length = cut > 0 ? cut : (cut == -2 ? whole.count / 2 : whole.count + cut)
        let url = directory.file("cut-then-eoi.jpg")
        try write(Array(whole.prefix(length)) + [0xFF, 0xD9], to: url)  // cut, then an end-of-image marker
        let error = imageError { _ = try ImageFile.read(url) }
        guard case .truncated(let detail) = error?.problem else {
            Issue.record("cut at \(length) + EOI: expected truncated, got \(String(describing: error))")
            return
        }
        #expect(detail == "libjpeg: Corrupt JPEG data: premature end of data segment")
    }

    /// The fuzzer's slowest input (Fuzz/Corpus/jpeg/slow-exif6-4353x2048-no-data.jpg): 262 bytes whose frame header
    /// declares 4353x2048 pixels (Exif orientation 6) and whose scan has no data; it used to decode to 9 Mpx of grey
    /// and be rotated (0.4 s a time under the fuzzer), now it stops at the first missing block.
    @Test("a 262-byte JPEG declaring 4353x2048 pixels with no scan data is truncated")
    func jpegWithoutScanData() throws {
        let data = try #require(Data(base64Encoded: """
            /9j/4QAiRXhpZgAASUkqAAgAAAABABIBAwABAAAABgAAAAAAAAD/2wBDAAEBAQEBAQEBa2tra2tra2tra2tra2tra2tra2tra2tra2tra2tr\
            a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2trhGtra2tra2tra2tra2trawEBAQEBAQEBAUABAQEB\
            AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/8AAEQgIABEBAwERAAIRAAMRAP/EABQAAQAAAAAAAAAAAAAAAAAA\
            AAD/2gAMAwEAAgADAAA/AAP/2Q==
            """))
        #expect(data.count == 262)
        let error = imageError { _ = try ImageFile.decode([UInt8](data), name: "fuzz.jpg") }
        guard case .truncated = error?.problem else {
            Issue.record("expected truncated, got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix("cannot read 'fuzz.jpg': file is truncated") == true)
    }

    @Test("a JPEG whose frame header claims 60000x60000 is refused before decoding")
    func jpegBomb() throws {
        let directory = try TemporaryFolder()
        let source = directory.file("small.jpg")
        try ImageFile.writeJPEG(gradientImage(width: 8, height: 8), to: source)
        var data = try bytes(of: source)
        // SOF0: FF C0, length (2), precision (1), height (2), width (2).
        let sof = try #require(data.indices.dropLast(1).first { data[$0] == 0xFF && data[$0 + 1] == 0xC0 })
        data.replaceSubrange(sof + 5..<sof + 9, with: [0xEA, 0x60, 0xEA, 0x60])
        let url = directory.file("bomb.jpg")
        try write(data, to: url)
        let error = imageError { _ = try ImageFile.read(url) }
        #expect(error?.problem == .dimensionsTooLarge(width: 60_000, height: 60_000))
    }
}

@Suite("Damaged files never crash")
struct DamagedFileTests {
    /// Flips random bytes (never in the first 8, so the format is still recognised) and decodes: each result
    /// must be an image within the limits (damage to a JPEG frame header can change the declared size) or an
    /// ImageError naming the file, never a crash.
    @Test("randomly damaged PNG and JPEG files decode or fail cleanly", arguments: [ImageFormat.png, .jpeg])
    func randomDamage(format: ImageFormat) throws {
        let directory = try TemporaryFolder()
        let url = directory.file("original")
        let original = randomImage(width: 24, height: 16, seed: 21)
        if format == .png {
            try ImageFile.writePNG(original, to: url)
        } else {
            try ImageFile.writeJPEG(original, to: url)
        }
        let pristine = try bytes(of: url)
        var generator = SplitMix64(seed: 99)
        var failures = 0
        for _ in 0..<300 {
            var damaged = pristine
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 8..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                let image = try ImageFile.decode(damaged, name: "damaged")
                #expect(ImageLimits.accepts(width: image.width, height: image.height))
            } catch {
                failures += 1
                #expect(error.description.hasPrefix("cannot read 'damaged': "))
            }
        }
        #expect(failures > 0, "some of the damage must be detected")
    }
}
