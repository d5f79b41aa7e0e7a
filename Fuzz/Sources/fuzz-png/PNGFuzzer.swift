import FuzzSupport
import ImageIO

/// PNG decoding (libpng through the codec shim, then RGB conversion) on arbitrary bytes.
@main enum PNGFuzzer {
    static func main() {
        Fuzzer.run { bytes in
            // Keep the PNG signature most of the time, so the fuzzer explores chunks rather than the magic.
            var input = bytes
            if input.first.map({ $0 & 1 == 0 }) ?? false { input = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + input.dropFirst(8) }
            _ = try? ImageFile.decode(input, name: "fuzz.png")
        }
    }
}
