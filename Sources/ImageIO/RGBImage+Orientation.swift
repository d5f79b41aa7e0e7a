extension RGBImage {
    /// The image turned upright according to an Exif Orientation value (1...8); other values return it as is.
    ///
    /// 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-
    /// clockwise (the stored image must be turned this way to display correctly).
    func applyingExifOrientation(_ orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else { return self }
        let swapsSides = orientation >= 5
        let outputWidth = swapsSides ? height : width
        let outputHeight = swapsSides ? width : height
        let sourceWidth = width, sourceHeight = height
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outputHeight {
                    for x in 0..<outputWidth {
                        let (sourceX, sourceY): (Int, Int)
                        switch orientation {
                        case 2: (sourceX, sourceY) = (sourceWidth - 1 - x, y)
                        case 3: (sourceX, sourceY) = (sourceWidth - 1 - x, sourceHeight - 1 - y)
                        case 4: (sourceX, sourceY) = (x, sourceHeight - 1 - y)
                        case 5: (sourceX, sourceY) = (y, x)
                        case 6: (sourceX, sourceY) = (y, sourceHeight - 1 - x)
                        case 7: (sourceX, sourceY) = (sourceWidth - 1 - y, sourceHeight - 1 - x)
                        default: (sourceX, sourceY) = (sourceWidth - 1 - y, x)
                        }
                        let from = (sourceY * sourceWidth + sourceX) * 3
                        let to = (y * outputWidth + x) * 3
                        destination[to] = source[from]
                        destination[to + 1] = source[from + 1]
                        destination[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outputWidth, height: outputHeight, pixels: output)
    }
}
