import ArgumentParser
import Foundation
import StyleEngine

/// `--weights FILE`, shared by the commands that run the network.
struct WeightsOption: ParsableArguments {
    @Option(help: "VGG19 weights (safetensors); default: the file scripts/setup.sh installs.")
    var weights: String?

    /// The weights named, or the installed ones; a missing or corrupt file is one clear error with the fix.
    func load() throws -> VGG19Weights {
        try VGG19Weights(contentsOf: weights.map { URL(fileURLWithPath: $0) } ?? VGG19Weights.defaultLocation)
    }
}
