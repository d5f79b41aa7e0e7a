import ArgumentParser
import Foundation
import ImageIO
import StudioCore
import StyleEngine

/// `stylestudio bench`: seconds per iteration (median), effective GFLOP/s and peak memory.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine: median seconds per iteration, effective GFLOP/s, peak memory.")

    @Option(help: "Long side of the working image, in pixels.")
    var size: Int = 512

    @Option(help: "Timed iterations (after the warm-up).")
    var iterations: Int = 10

    @Option(help: "Untimed iterations first.")
    var warmup: Int = 2

    @Option(help: "Content photo (default Assets/content/tubingen.png).")
    var content: String?

    @Option(help: "Style painting (default Assets/style/starry_night.png).")
    var style: String?

    @OptionGroup var weightsOption: WeightsOption

    @Option(help: "\(ChoiceHelp.text("Optimizer: ", default: ChoiceHelp.defaults.optimizer.kind))")
    var optimizer: OptimizerSettings.Kind = .lbfgs

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Time each layer's forward and backward pass under every algorithm instead (how each layer's algorithm was chosen).")
    var layers = false

    /// Iterations during which other processes took less than this share of the cores count as quiet.
    static let quietLimit = 0.03

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    func run() throws {
        guard iterations >= 1, warmup >= 0 else { throw CommandFailure("--iterations must be ≥ 1 and --warmup ≥ 0") }
        var settings = StyleSettings()
        settings.size = size
        settings.optimizer = OptimizerSettings(kind: optimizer)
        try SettingsValidation.validate(settings)
        let weights = try weightsOption.load()
        let assets = RepositoryLocator.assetsDirectory()
        let contentPath = content ?? assets.map { $0.appendingPathComponent("content/tubingen.png").path } ?? "tubingen.png"
        let stylePath = style ?? assets.map { $0.appendingPathComponent("style/starry_night.png").path } ?? "starry_night.png"
        let images = try ImageFile.read([contentPath, stylePath].map { URL(fileURLWithPath: $0) })
        let (contentImage, styleImage) = (images[0], images[1])

        if layers {
            let size = StyleTransfer.workingSize(width: contentImage.width, height: contentImage.height, longSide: size)
            printLayerTimings(weights: weights, height: size.height, width: size.width,
                              deepest: settings.objective.deepestLayer ?? VGGLayer.all.last!)
            return
        }

        let planningStarted = Date()
        let transfer = try StyleTransfer(weights: weights, content: contentImage, style: styleImage, settings: settings)
        let planningSeconds = Date().timeIntervalSince(planningStarted)
        for _ in 0..<warmup { try transfer.step() }
        var times: [Double] = [], foreignShares: [Double] = [], cpuTimes: [Double] = []
        var lastLoss = 0.0
        for _ in 0..<iterations {
            let before = CPUWatch.read(), cpuBefore = LayerTiming.processSeconds()
            let record = try transfer.step()
            cpuTimes.append(LayerTiming.processSeconds() - cpuBefore)
            foreignShares.append(CPUWatch.foreignShare(from: before, to: CPUWatch.read()))
            // Per evaluation: an L-BFGS iteration that searched for its step made several (PyTorch's one).
            times.append(record.seconds / Double(max(1, record.evaluations)))
            lastLoss = record.losses.total
        }
        let sorted = times.sorted()
        let median = Self.median(sorted)
        let quiet = zip(times, foreignShares).filter { $0.1 < Self.quietLimit }.map(\.0).sorted()
        let quietMedian = quiet.isEmpty ? Double.nan : Self.median(quiet)
        let foreignMedian = Self.median(foreignShares.sorted())
        let cpuMedian = Self.median(cpuTimes.sorted())
        let gflops = transfer.effectiveFlopsPerIteration / median / 1e9
        let peakBytes = MemoryUsage.peakResidentBytes()
        if json {
            let fields: [String] = [
                "\"size\":\(size)", "\"width\":\(transfer.width)", "\"height\":\(transfer.height)",
                "\"iterations\":\(iterations)", "\"median_seconds\":\(median)",
                "\"min_seconds\":\(sorted.first!)", "\"max_seconds\":\(sorted.last!)",
                "\"gflop_per_iteration\":\(transfer.effectiveFlopsPerIteration / 1e9)",
                "\"effective_gflops\":\(gflops)", "\"peak_memory_bytes\":\(peakBytes)",
                "\"planned_bytes\":\(transfer.plannedBytes)", "\"planning_seconds\":\(planningSeconds)",
                "\"blas_core\":\"\(BLAS.coreName)\"", "\"cores\":\(BLAS.workerCount)",
                "\"last_total_loss\":\(lastLoss)", "\"median_cpu_seconds\":\(cpuMedian)", "\"quiet_iterations\":\(quiet.count)",
                "\"quiet_median_seconds\":\(quietMedian.isFinite ? "\(quietMedian)" : "null")",
                "\"foreign_cpu_share_median\":\(foreignMedian.isFinite ? "\(foreignMedian)" : "null")",
            ]
            print("{" + fields.joined(separator: ",") + "}")
        } else {
            print("image        \(transfer.width)×\(transfer.height) px (\(contentPath) with \(stylePath))")
            print("BLAS         OpenBLAS \(BLAS.coreName) kernels, \(BLAS.workerCount) cores")
            print("iterations   \(iterations) timed after \(warmup) warm-up, planning \(String(format: "%.2f", planningSeconds)) s")
            print(String(format: "seconds/it   median %.4f  (min %.4f, max %.4f)", median, sorted.first!, sorted.last!))
            print(String(format: "CPU time     median %.4f s per iteration, all cores (less disturbed by other load)", cpuMedian))
            print(String(format: "other load   %.1f%% of the cores (median); %d of %d iterations quiet (< 3%%), their median %.4f s",
                         foreignMedian * 100, quiet.count, iterations, quietMedian))
            print(String(format: "GFLOP/s      %.1f effective (%.1f GFLOP per iteration)", gflops,
                         transfer.effectiveFlopsPerIteration / 1e9))
            print(String(format: "peak memory  %.1f MB resident (planned buffers %.1f MB)", Double(peakBytes) / 1e6,
                         Double(transfer.plannedBytes) / 1e6))
        }
    }

    private func printLayerTimings(weights: VGG19Weights, height: Int, width: Int, deepest: VGGLayer) {
        print("layer timings at \(width)×\(height) px, median of 5, CPU ms of all cores (* = the algorithm the engine uses)")
        print("layer          input        algorithm                forward  backward  kernel MB")
        for row in LayerTiming.measure(weights: weights, height: height, width: width, through: deepest) {
            print(String(format: "%-14@ %-12@ %-22@ %1@ %8.2f  %8.2f  %9.1f", row.layer.name as NSString,
                         row.shape.description as NSString, row.algorithm as NSString, (row.isChosen ? "*" : " ") as NSString,
                         row.forwardSeconds * 1000, row.backwardSeconds * 1000, Double(row.kernelBytes) / 1e6))
        }
    }
}
