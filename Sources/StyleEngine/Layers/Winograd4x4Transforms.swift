/// F(4×4, 3×3)'s input and output transforms (matrices in WinogradTile.swift), four channels at a
/// time. Each 2-D transform is the 1-D one on the six columns, then on the rows, through a 6×6 block
/// of vectors on the stack.
extension WinogradConvolution {
    func transformInput4x4(_ input: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
                           layout: ScratchLayout, zeros: UnsafePointer<Float>) {
        let c = shape.channels, p = shape.paddedWidth
        let plane = layout.tilesPerMatrix * c
        let lastRow = shape.height + 1, lastColumn = shape.width + 1
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 36) { pixels in
            withUnsafeTemporaryAllocation(of: WinogradTile.V.self, capacity: 36) { block in
                for tile in tiles {
                    let ty = tile / tileColumns, tx = tile % tileColumns
                    for i in 0..<6 {
                        let row = 4 * ty + i
                        for j in 0..<6 {
                            let column = 4 * tx + j
                            pixels[6 * i + j] = row <= lastRow && column <= lastColumn ? input + (row * p + column) * c : zeros
                        }
                    }
                    let out = v + (tile - layout.firstTile(of: tiles)) * c
                    for k in stride(from: 0, to: c, by: WinogradTile.laneCount) {
                        // Columns: Bᵀ d
                        for j in 0..<6 {
                            let t = WinogradTile.inputTransform4x4(
                                WinogradTile.load(pixels[j] + k), WinogradTile.load(pixels[6 + j] + k), WinogradTile.load(pixels[12 + j] + k),
                                WinogradTile.load(pixels[18 + j] + k), WinogradTile.load(pixels[24 + j] + k), WinogradTile.load(pixels[30 + j] + k))
                            block[j] = t.0; block[6 + j] = t.1; block[12 + j] = t.2
                            block[18 + j] = t.3; block[24 + j] = t.4; block[30 + j] = t.5
                        }
                        // Rows: (Bᵀ d) B
                        for i in 0..<6 {
                            let r = 6 * i
                            let t = WinogradTile.inputTransform4x4(block[r], block[r + 1], block[r + 2],
                                                                   block[r + 3], block[r + 4], block[r + 5])
                            let o = out + k + r * plane
                            WinogradTile.store(t.0, o); WinogradTile.store(t.1, o + plane); WinogradTile.store(t.2, o + 2 * plane)
                            WinogradTile.store(t.3, o + 3 * plane); WinogradTile.store(t.4, o + 4 * plane); WinogradTile.store(t.5, o + 5 * plane)
                        }
                    }
                }
            }
        }
    }

    func transformOutput4x4(_ m: UnsafePointer<Float>, tiles: Range<Int>, layout: ScratchLayout,
                            bias: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>) {
        let c = outputChannels, p = shape.paddedWidth
        let plane = layout.tilesPerMatrix * c
        withUnsafeTemporaryAllocation(of: WinogradTile.V.self, capacity: 24) { block in
            for tile in tiles {
                let ty = tile / tileColumns, tx = tile % tileColumns
                let source = m + (tile - layout.firstTile(of: tiles)) * c
                let y0 = 4 * ty, x0 = 4 * tx
                let rows = min(4, shape.height - y0), columns = min(4, shape.width - x0)
                let corner = output + ((y0 + 1) * p + x0 + 1) * c
                for k in stride(from: 0, to: c, by: WinogradTile.laneCount) {
                    let s = source + k
                    // Columns: Aᵀ m
                    for j in 0..<6 {
                        let t = WinogradTile.outputTransform4x4(
                            WinogradTile.load(s + j * plane), WinogradTile.load(s + (6 + j) * plane), WinogradTile.load(s + (12 + j) * plane),
                            WinogradTile.load(s + (18 + j) * plane), WinogradTile.load(s + (24 + j) * plane),
                            WinogradTile.load(s + (30 + j) * plane))
                        block[j] = t.0; block[6 + j] = t.1; block[12 + j] = t.2; block[18 + j] = t.3
                    }
                    // Rows: (Aᵀ m) A, then the epilogue
                    let offset = bias.map { WinogradTile.load($0 + k) }
                    for i in 0..<rows {
                        let r = 6 * i
                        let t = WinogradTile.outputTransform4x4(block[r], block[r + 1], block[r + 2],
                                                                block[r + 3], block[r + 4], block[r + 5])
                        var y = (t.0, t.1, t.2, t.3)
                        if let offset {
                            y = (WinogradTile.rectified(y.0 + offset), WinogradTile.rectified(y.1 + offset),
                                 WinogradTile.rectified(y.2 + offset), WinogradTile.rectified(y.3 + offset))
                        }
                        let o = corner + i * p * c + k
                        WinogradTile.store(y.0, o)
                        if columns > 1 { WinogradTile.store(y.1, o + c) }
                        if columns > 2 { WinogradTile.store(y.2, o + 2 * c) }
                        if columns > 3 { WinogradTile.store(y.3, o + 3 * c) }
                    }
                }
            }
        }
    }
}
