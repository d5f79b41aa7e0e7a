/// tv = ½·Σ (x[c,i+1,j] − x[c,i,j])² + ½·Σ (x[c,i,j+1] − x[c,i,j])², over all channels of the
/// unpadded H × W × 3 image.
enum TotalVariationLoss {
    /// Returns the unweighted loss; adds `scale` · d(tv)/dx to `gradient` (same layout as `image`).
    static func evaluate(image: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
                         gradient: UnsafeMutablePointer<Float>, scale: Float) -> Double {
        var sum: Double = 0
        let rowLength = width * channels
        for y in 0..<height {
            let row = image + y * rowLength, gradientRow = gradient + y * rowLength
            for x in 0..<width {
                for channel in 0..<channels {
                    let index = x * channels + channel
                    let value = row[index]
                    if x + 1 < width {
                        let delta = row[index + channels] - value
                        sum += Double(delta * delta)
                        gradientRow[index] -= scale * delta
                        gradientRow[index + channels] += scale * delta
                    }
                    if y + 1 < height {
                        let delta = row[index + rowLength] - value
                        sum += Double(delta * delta)
                        gradientRow[index] -= scale * delta
                        gradientRow[index + rowLength] += scale * delta
                    }
                }
            }
        }
        return sum / 2
    }
}
