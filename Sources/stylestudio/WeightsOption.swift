import ArgumentParser
import Foundation
import StyleEngine

/// `--weights FILE`, shared by the commands that run the network.
struct WeightsOption: ParsableArguments {
    @Option(help: "VGG19 weights (safetensors); default: the file scripts/setup.sh installs.")
    var weights: String?

    /// The weights named, or the installed ones; a missing or corrupt file is one clear error with the fix. Only
    /// the installed weights keep their prepared kernels beside them (in the cache folder): a file the user names
    /// gets nothing written next to it.
    func load() throws -> VGG19Weights {
        guard let weights else { return try VGG19Weights(contentsOf: VGG19Weights.defaultLocation) }
        return try VGG19Weights(contentsOf: URL(fileURLWithPath: weights), keepsPreparedKernels: false)
    }
}
