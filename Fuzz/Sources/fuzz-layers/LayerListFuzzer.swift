import FuzzSupport
import StudioCore

/// The command line's layer lists (`conv4_2:0.5,relu5_1:2`) and numbers: the input's lines go to
/// `--content-layers`, `--style-layers` and the numeric flags, parsed as ArgumentParser parses them
/// (`Double(_:)`, `Int(_:)`, `UInt64(_:)`), then validated as `render` validates them.
@main enum LayerListFuzzer {
    static func main() {
        Fuzzer.run { bytes in
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            func line(_ index: Int) -> String? { index < lines.count ? lines[index] : nil }
            var settings = StyleSettings()
            do {
                if let text = line(0) { settings.objective.contentLayers = try LayerList.parse(text) }
                if let text = line(1) { settings.objective.styleLayers = try LayerList.parse(text) }
                if let value = line(2).flatMap(Double.init) { settings.objective.contentWeight = value }
                if let value = line(3).flatMap(Double.init) { settings.objective.styleWeight = value }
                if let value = line(4).flatMap(Double.init) { settings.objective.totalVariationWeight = value }
                if let value = line(5).flatMap(Int.init) { settings.size = value }
                if let value = line(6).flatMap(Int.init) { settings.optimizer.historySize = value }
                if let value = line(7).flatMap(Double.init) { settings.optimizer.learningRate = value }
                if let value = line(8).flatMap(UInt64.init) { settings.seed = value }
                if let text = line(9) { settings.initialization = Initialization(argument: text) }
                try SettingsValidation.validate(settings)
                // What validates formats and parses back to the same layers.
                let again = try LayerList.parse(LayerList.format(settings.objective.styleLayers))
                precondition(again == settings.objective.styleLayers, "layer list round trip")
            } catch {}
        }
    }
}
