/// A grid of images with a few lines of text under each: the overview of a sweep.
public struct ContactSheet {
    public struct Cell {
        public var image: RGBImage?
        public var labels: [String]

        /// `image` nil draws a grey placeholder (a cell that failed or is not done yet).
        public init(image: RGBImage?, labels: [String]) {
            self.image = image
            self.labels = labels
        }
    }

    public var cells: [Cell]
    public var columns: Int
    /// Images are scaled to fit this square (small ones enlarged, so labels and pictures stay in proportion).
    public var cellSide: Int
    public static let margin = 8

    public init(cells: [Cell], columns: Int, cellSide: Int = 256) {
        self.cells = cells
        self.columns = max(1, columns)
        self.cellSide = max(16, cellSide)
    }

    /// The sheet: white background, images top-centred in their cells, labels in black below them
    /// (cut, ending in "..", when wider than the cell).
    public func render() -> RGBImage {
        let rows = (cells.count + columns - 1) / columns
        let labelLines = cells.map(\.labels.count).max() ?? 0
        let fittedImages = cells.map { cell in
            cell.image.map { image in
                let scale = min(Double(cellSide) / Double(image.width), Double(cellSide) / Double(image.height))
                return image.resized(width: min(cellSide, max(1, Int((Double(image.width) * scale).rounded()))),
                                     height: min(cellSide, max(1, Int((Double(image.height) * scale).rounded()))))
            }
        }
        // Pictures as tall as the tallest one (landscape sweeps leave no gap above the labels).
        let pictureHeight = fittedImages.compactMap { $0?.height }.max() ?? cellSide
        let cellWidth = cellSide, cellHeight = pictureHeight + labelLines * LabelFont.lineHeight + 4
        let width = Self.margin + columns * (cellWidth + Self.margin)
        let height = Self.margin + max(1, rows) * (cellHeight + Self.margin)
        var pixels = [UInt8](repeating: 255, count: width * height * 3)

        func fill(x: Int, y: Int, width w: Int, height h: Int, gray: UInt8) {
            for row in y..<(y + h) { for column in x..<(x + w) {
                let offset = (row * width + column) * 3
                pixels[offset] = gray; pixels[offset + 1] = gray; pixels[offset + 2] = gray
            } }
        }

        for (index, cell) in cells.enumerated() {
            let left = Self.margin + (index % columns) * (cellWidth + Self.margin)
            let top = Self.margin + (index / columns) * (cellHeight + Self.margin)
            if let fitted = fittedImages[index] {
                let x0 = left + (cellSide - fitted.width) / 2
                for row in 0..<fitted.height {
                    let source = row * fitted.width * 3, target = ((top + row) * width + x0) * 3
                    pixels.replaceSubrange(target..<(target + fitted.width * 3),
                                           with: fitted.pixels[source..<(source + fitted.width * 3)])
                }
            } else {
                fill(x: left, y: top, width: cellSide, height: pictureHeight, gray: 200)
            }
            for (line, label) in cell.labels.enumerated() {
                let fits = cellWidth / LabelFont.glyphWidth
                let text = label.count > fits ? String(label.prefix(max(0, fits - 2))) + ".." : label
                let mask = LabelFont.mask(text)
                let y0 = top + pictureHeight + 2 + line * LabelFont.lineHeight
                for y in 0..<mask.height { for x in 0..<min(mask.width, cellWidth) where mask.ink[y * mask.width + x] {
                    let offset = ((y0 + y) * width + left + x) * 3
                    pixels[offset] = 0; pixels[offset + 1] = 0; pixels[offset + 2] = 0
                } }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
