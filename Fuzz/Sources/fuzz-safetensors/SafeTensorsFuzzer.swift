import Foundation
import FuzzSupport
import StyleEngine

/// The weights file's safetensors header (length, JSON, dtypes, shapes, offsets) and the VGG19 layout checks,
/// through the public loader on a file in memory-backed /dev/shm (or the temporary folder).
@main enum SafeTensorsFuzzer {
    static func main() {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: folder + "/stylestudio-fuzz-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        Fuzzer.run { bytes in
            // The first 8 bytes are the header length: most of the time make it match the rest.
            var input = bytes
            if input.count > 9, input[0] & 1 == 0 {
                let length = UInt64(max(0, input.count - 8 - Int(input[8] % 16)))
                withUnsafeBytes(of: length.littleEndian) { input.replaceSubrange(0..<8, with: $0) }
            }
            guard (try? Data(input).write(to: url)) != nil else { return }
            _ = try? VGG19Weights(contentsOf: url)
        }
    }
}
