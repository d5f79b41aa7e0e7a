import FuzzSupport
import ImageIO

/// JPEG decoding (libjpeg through the codec shim, Exif orientation, CMYK and grey conversion) on arbitrary bytes.
@main enum JPEGFuzzer {
    static func main() {
        Fuzzer.run { bytes in
            var input = bytes
            if input.first.map({ $0 & 1 == 0 }) ?? false { input = [0xFF, 0xD8, 0xFF] + input.dropFirst(3) }
            _ = try? ImageFile.decode(input, name: "fuzz.jpg")
        }
    }
}
