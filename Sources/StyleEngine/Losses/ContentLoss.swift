/// content_l = mean over C·H·W of (F_l(x) − F_l(content))².
enum ContentLoss {
    /// Returns the unweighted loss; adds `scale` · d(loss)/dF to `gradient` (padded, like `features`).
    static func evaluate(features: UnsafePointer<Float>, target: UnsafePointer<Float>, shape: FeatureShape,
                         gradient: UnsafeMutablePointer<Float>, scale: Float) -> Double {
        let count = shape.paddedCount
        let gradientScale = scale * 2 / Float(shape.elementCount)
        let chunk = 1 << 15
        let blocks = (count + chunk - 1) / chunk
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: blocks) { partial in
            ParallelLoop.run(count: blocks) { block in
                let start = block * chunk, end = min(count, start + chunk)
                var sum: Double = 0
                for index in start..<end {
                    let difference = features[index] - target[index]
                    sum += Double(difference * difference)
                    gradient[index] += gradientScale * difference
                }
                partial[block] = sum
            }
            return partial.reduce(0, +) / Double(shape.elementCount)
        }
    }
}
