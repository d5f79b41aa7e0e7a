import CImageQuant

/// 256 colours for one GIF frame, by libimagequant (pngquant's library): a modified median cut refined by
/// k-means in a perceptual colour space, then Floyd–Steinberg dithering that is weakened where it would only add
/// noise. Why this and not a fixed or global palette: paintings mid-optimisation change colour from frame to
/// frame and are full of gradients, where a fixed 6×7×6 cube bands visibly and a global palette chosen from the
/// init image misses colours the style brings in later; a per-frame local palette costs 768 bytes a frame.
enum PaletteQuantizer {
    struct Colour: Hashable {
        var red: UInt8
        var green: UInt8
        var blue: UInt8
    }

    struct Quantized {
        /// One palette index per pixel, row by row.
        var indices: [UInt8]
        var palette: [Colour]
    }

    /// libimagequant's speed 1 (slowest, best) ... 10; 5 keeps a 384 px frame at a few tens of milliseconds.
    static let speed: Int32 = 5

    static func quantize(_ image: RGBImage, path: String) throws(ImageError) -> Quantized {
        func failure(_ what: String) -> ImageError {
            ImageError(path: path, operation: .write, problem: .ioFailure("libimagequant: \(what)"))
        }
        guard let attributes = liq_attr_create() else { throw failure("out of memory") }
        defer { liq_attr_destroy(attributes) }
        _ = liq_set_max_colors(attributes, 256)
        _ = liq_set_speed(attributes, speed)

        let pixelCount = image.width * image.height
        var rgba = [UInt8](repeating: 255, count: pixelCount * 4)
        image.pixels.withUnsafeBufferPointer { rgb in
            for pixel in 0..<pixelCount {
                rgba[pixel * 4] = rgb[pixel * 3]
                rgba[pixel * 4 + 1] = rgb[pixel * 3 + 1]
                rgba[pixel * 4 + 2] = rgb[pixel * 3 + 2]
            }
        }
        var indices = [UInt8](repeating: 0, count: pixelCount)
        var palette: [Colour] = []
        let status: liq_error = rgba.withUnsafeBytes { bitmap in
            guard let input = liq_image_create_rgba(attributes, bitmap.baseAddress!, Int32(image.width),
                                                    Int32(image.height), 0) else { return LIQ_OUT_OF_MEMORY }
            defer { liq_image_destroy(input) }
            var result: OpaquePointer?
            let quantized = liq_image_quantize(input, attributes, &result)
            guard quantized == LIQ_OK, let result else { return quantized }
            defer { liq_result_destroy(result) }
            _ = liq_set_dithering_level(result, 1.0)
            let written = indices.withUnsafeMutableBytes {
                liq_write_remapped_image(result, input, $0.baseAddress!, $0.count)
            }
            guard written == LIQ_OK, let colours = liq_get_palette(result) else { return written }
            withUnsafeBytes(of: colours.pointee.entries) { entries in
                let typed = entries.bindMemory(to: liq_color.self)
                for index in 0..<Int(colours.pointee.count) {
                    palette.append(Colour(red: typed[index].r, green: typed[index].g, blue: typed[index].b))
                }
            }
            return LIQ_OK
        }
        guard status == LIQ_OK else { throw failure("error \(status.rawValue)") }
        return Quantized(indices: indices, palette: palette)
    }
}
