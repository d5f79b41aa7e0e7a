import ArgumentParser
import Foundation
import ImageIO
import StudioCore
import StyleEngine

/// What `render` can keep besides the picture: the run as an animation, and a manifest of how it was made.
struct ExtraOutputsOptions: ParsableArguments {
    @Option(help: "Also write the run as an animation: FILE.webp (animated WebP) or FILE.gif.")
    var timelapse: String?

    @Option(parsing: .unconditional,
            help: "A time-lapse frame every K iterations (default \(Timelapse.defaultEvery)); the init image is the first.")
    var timelapseEvery: Int?

    @Option(help: "Also write a JSON manifest (settings, inputs' and weights' sha256, version, final losses, seconds).")
    var manifest: String?

    func validate() throws {
        if let timelapseEvery, !Timelapse.allowedEvery.contains(timelapseEvery) {
            throw ValidationError("--timelapse-every must be 1 or more (got \(timelapseEvery))")
        }
        if timelapseEvery != nil && timelapse == nil {
            throw ValidationError("--timelapse-every needs --timelapse FILE")
        }
    }

    /// Checks the time-lapse's name and folder (before any work is done).
    func plannedTimelapse() throws -> Timelapse? {
        try timelapse.map { try Timelapse(path: $0, every: timelapseEvery ?? Timelapse.defaultEvery) }
    }

    /// Writes the manifest, if one was asked for, after the result was written (losses: those of the image written).
    /// `request` is made only then: it reads every input to hash it (the weights file: 0.05 s of CPU).
    func writeManifest(request: () throws -> RunManifest.Request, output: String, transfer: StyleTransfer,
                       seconds: Double) throws {
        guard let manifest else { return }
        try RunManifest(output: output, request: try request(), losses: transfer.bestLosses ?? transfer.evaluate(), seconds: seconds,
                        width: transfer.width, height: transfer.height).write(to: manifest)
    }
}

extension WeightsOption {
    /// The weights file this run reads.
    var path: String { weights ?? VGG19Weights.defaultLocation.path }
}
