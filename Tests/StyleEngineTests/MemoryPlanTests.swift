import Testing
@testable import StyleEngine

/// The network's memory plan: where the maps go and where the convolutions' scratch may live. (That the
/// network computes the right floats with this plan is NetworkTests' part; that it allocates exactly the
/// plan, CoarseToFineRenderTests'.)
@Suite("Memory plan: working maps and scratch placement")
struct MemoryPlanTests {
    static let defaultLossLayers = Set(ObjectiveSettings.defaultContentLayers.map(\.layer)
                                       + ObjectiveSettings.defaultStyleLayers.map(\.layer))

    static let uses: [NetworkUse] = [.forwardOnly, .imageGradient(lossLayers: defaultLossLayers),
                                     .imageGradient(lossLayers: [VGGLayer(index: 1), VGGLayer(index: 7)])]

    /// Scratch placed in a working map never overlaps what the convolution reads or writes there, nor another
    /// worker's scratch, and stays inside the map, 64-byte aligned; a pooled map never goes where the pooling
    /// reads, nor an output where its input is.
    @Test(arguments: [(384, 512), (18, 20), (37, 53), (160, 120), (256, 192)])
    func scratchNeverOverlapsTheMapsInUse(height: Int, width: Int) {
        for use in Self.uses {
            let plan = VGG19MemoryPlan(height: height, width: width, deepestLayer: VGGLayer(index: 12), use: use)
            var previousOutput: Int?
            for planned in plan.layers {
                let inputMap = planned.isPooled ? planned.pooledMap : previousOutput
                if planned.isPooled { #expect(planned.pooledMap != nil && planned.pooledMap != previousOutput) }
                if let output = planned.outputMap { #expect(output != inputMap) }
                var forwardUse: [Int: Int] = [:]
                if let inputMap { forwardUse[inputMap] = planned.inputShape.paddedCount }
                if let output = planned.outputMap {
                    forwardUse[output] = max(forwardUse[output] ?? 0, planned.outputShape.paddedCount)
                }
                check(planned.forwardScratch, used: forwardUse, plan: plan, "\(planned.layer) forward")
                if use != .forwardOnly && planned.layer.index > 0 {
                    let held = planned.gradientMap
                    check(planned.backwardScratch,
                          used: [held: planned.outputShape.paddedCount, 1 - held: planned.inputShape.paddedCount],
                          plan: plan, "\(planned.layer) backward")
                }
                previousOutput = planned.outputMap
            }
        }
    }

    private func check(_ placement: VGG19MemoryPlan.ScratchPlacement, used: [Int: Int], plan: VGG19MemoryPlan,
                       _ what: String) {
        guard case .workingMaps(let slices) = placement else { return }
        #expect(slices.count == plan.workerCount, "\(what)")
        for (index, slice) in slices.enumerated() {
            #expect(slice.offset % 16 == 0 && slice.offset >= (used[slice.map] ?? 0), "\(what): worker \(index)")
            #expect(slice.offset + slice.count <= plan.workingMapCount, "\(what): worker \(index)")
            for other in slices[..<index] where other.map == slice.map {
                #expect(other.offset + other.count <= slice.offset || slice.offset + slice.count <= other.offset,
                        "\(what): workers overlap")
            }
        }
    }

    /// Backward, the gradient alternates between the maps: each convolution's input gradient goes to the map that
    /// does not hold its output gradient, and a pooling's backward returns it to that one.
    @Test func gradientAlternatesBetweenTheMaps() {
        let plan = VGG19MemoryPlan(height: 40, width: 48, deepestLayer: VGGLayer(index: 12),
                                   use: .imageGradient(lossLayers: Self.defaultLossLayers))
        for planned in plan.layers.dropFirst() {
            let below = plan.layers[planned.layer.index - 1]
            #expect(below.gradientMap == (planned.isPooled ? planned.gradientMap : 1 - planned.gradientMap))
        }
    }

    /// At 512 × 384 px with the default layers, every convolution below block 1 finds its scratch in the working
    /// maps, so the workers' own scratch is only what block1_conv2's smaller budget needs, and only the loss
    /// layers (but block1_conv1, recomputed) keep a full map.
    @Test func onlyBlockOneUsesTheWorkersOwnScratchAtPrintSize() {
        let plan = VGG19MemoryPlan(height: 384, width: 512, deepestLayer: VGGLayer(index: 12),
                                   use: .imageGradient(lossLayers: Self.defaultLossLayers))
        for planned in plan.layers where planned.layer.block > 1 {
            #expect(planned.forwardScratch != .ownBuffers && planned.backwardScratch != .ownBuffers, "\(planned.layer)")
        }
        #expect(plan.workerScratchCount <= WinogradConvolution.fullResolutionScratchBudget)
        #expect(Set(plan.layers.filter(\.keepsActivation).map(\.layer)) == Self.defaultLossLayers.subtracting([VGGLayer(index: 0)]))
        #expect(plan.layers[0].backwardMask == .recomputedActivation)
    }
}
