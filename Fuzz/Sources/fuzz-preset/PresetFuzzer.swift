import FuzzSupport
import StudioCore

/// Preset files: the JSON scanner, the field table, the rules and the error positions, on arbitrary bytes.
/// A preset that reads must also survive a round trip through the encoder.
@main enum PresetFuzzer {
    static func main() {
        Fuzzer.run { bytes in
            guard let (preset, _) = try? PresetCodec.decode(bytes, path: "fuzz.json", fileName: "fuzz") else { return }
            let text = PresetCodec.encode(preset)
            guard let (again, _) = try? PresetCodec.decode(Array(text.utf8), path: "again.json", fileName: "fuzz") else {
                fatalError("an encoded preset does not read back:\n\(text)")
            }
            precondition(PresetCodec.encode(again) == text, "the round trip changed the preset:\n\(text)")
        }
    }
}
