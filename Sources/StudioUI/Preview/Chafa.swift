import CChafa
import Foundation
import ImageIO
import Synchronization

/// Turns images into character cells (symbols mode) or sixel/kitty escape sequences with chafa.
/// The only file that imports CChafa. Keeps one canvas configuration and symbol map and reuses them.
/// Thread-safe (one conversion at a time, under a lock), so conversions can run off the main actor:
/// chafa needs several microseconds a cell, which would stall the UI loop on a large preview.
final class Chafa: Sendable {
    let mode: PreviewColorMode
    /// chafa's canvas configuration and symbol map, used by one conversion at a time.
    private struct Configuration: ~Copyable {
        let symbolConfig: OpaquePointer
        let symbolMap: OpaquePointer
    }
    private let configuration: Mutex<Configuration>

    init(mode: PreviewColorMode, unicode: Bool) {
        self.mode = mode
        // The UI has its own thread; chafa's worker threads would only compete with the optimizer.
        chafa_set_n_threads(1)
        let symbolMap = chafa_symbol_map_new()!
        let fewColors = mode == .indexed16 || mode == .indexed8
        if unicode {
            // With 16 or 8 colours shapes carry more of the picture: chafa's own default set adds the border
            // (line-drawing) symbols to blocks and space.
            let border = fewColors ? CHAFA_SYMBOL_TAG_BORDER.rawValue : 0
            let tags = CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue | border
            chafa_symbol_map_add_by_tags(symbolMap, ChafaSymbolTags(rawValue: tags))
            // Wide and ambiguous-width symbols would break the cell grid.
            chafa_symbol_map_remove_by_tags(symbolMap, ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_WIDE.rawValue | CHAFA_SYMBOL_TAG_AMBIGUOUS.rawValue))
        } else {
            chafa_symbol_map_add_by_tags(symbolMap, CHAFA_SYMBOL_TAG_ASCII)
        }
        let symbolConfig = chafa_canvas_config_new()!
        chafa_canvas_config_set_symbol_map(symbolConfig, symbolMap)
        chafa_canvas_config_set_work_factor(symbolConfig, fewColors ? 0.5 : 0.2)
        chafa_canvas_config_set_color_extractor(symbolConfig, CHAFA_COLOR_EXTRACTOR_AVERAGE)
        let canvasMode: ChafaCanvasMode
        switch mode {
        case .truecolor: canvasMode = CHAFA_CANVAS_MODE_TRUECOLOR
        case .indexed240: canvasMode = CHAFA_CANVAS_MODE_INDEXED_240
        case .indexed16: canvasMode = CHAFA_CANVAS_MODE_INDEXED_16
        case .indexed8: canvasMode = CHAFA_CANVAS_MODE_INDEXED_8
        case .monochrome: canvasMode = CHAFA_CANVAS_MODE_FGBG
        }
        chafa_canvas_config_set_canvas_mode(symbolConfig, canvasMode)
        // As the `chafa` tool does by default with 16 colours or fewer: preprocessing (contrast and saturation
        // stretched so the few colours separate the subject), no dithering (it turns edges into noise at cell
        // size), and its work factor (0.5). Without colours an ordered dither still helps the shapes.
        if fewColors || mode == .monochrome {
            chafa_canvas_config_set_preprocessing_enabled(symbolConfig, 1)
        }
        if mode == .monochrome {
            chafa_canvas_config_set_dither_mode(symbolConfig, CHAFA_DITHER_MODE_ORDERED)
        }
        configuration = Mutex(Configuration(symbolConfig: symbolConfig, symbolMap: symbolMap))
    }

    deinit {
        configuration.withLock { configuration in
            chafa_canvas_config_unref(configuration.symbolConfig)
            chafa_symbol_map_unref(configuration.symbolMap)
        }
    }

    /// `image` as `columns × rows` cells.
    func cells(for image: RGBImage, columns: Int, rows: Int) -> PreviewCells {
        guard columns > 0, rows > 0 else { return PreviewCells(columns: 0, rows: 0, cells: []) }
        return configuration.withLock { configuration in convert(image, columns: columns, rows: rows, with: configuration.symbolConfig) }
    }

    private func convert(_ image: RGBImage, columns: Int, rows: Int, with symbolConfig: OpaquePointer) -> PreviewCells {
        chafa_canvas_config_set_geometry(symbolConfig, Int32(columns), Int32(rows))
        let canvas = chafa_canvas_new(symbolConfig)!
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer { pixels in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, pixels.baseAddress, Int32(image.width),
                                         Int32(image.height), Int32(image.width * 3))
        }
        var cells: [PreviewCell] = []
        cells.reserveCapacity(columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let scalar = chafa_canvas_get_char_at(canvas, Int32(column), Int32(row))
                var foreground: Int32 = -1, background: Int32 = -1
                switch mode {
                case .truecolor:
                    chafa_canvas_get_colors_at(canvas, Int32(column), Int32(row), &foreground, &background)
                case .indexed240, .indexed16, .indexed8:
                    chafa_canvas_get_raw_colors_at(canvas, Int32(column), Int32(row), &foreground, &background)
                case .monochrome:
                    break
                }
                cells.append(PreviewCell(scalar: scalar, foreground: foreground, background: background))
            }
        }
        return PreviewCells(columns: columns, rows: rows, cells: cells)
    }

    /// What chafa's terminal database (the `chafa` tool's) says of the terminal described by `environment`
    /// (TERM, COLORTERM, TERM_PROGRAM, VTE_VERSION…): 24-bit colour, sixel and kitty image sequences.
    static func terminalSequences(environment: [String: String]) -> (truecolor: Bool, sixel: Bool, kitty: Bool) {
        let entries = environment.map { strdup($0.key + "=" + $0.value) }
        defer { entries.forEach { free($0) } }
        var pointers: [UnsafeMutablePointer<gchar>?] = entries + [nil]
        guard let info = pointers.withUnsafeMutableBufferPointer({ chafa_term_db_detect(chafa_term_db_get_default(), $0.baseAddress) })
        else { return (false, false, false) }
        defer { chafa_term_info_unref(info) }
        return (chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_SET_COLOR_FGBG_DIRECT) != 0,
                chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_BEGIN_SIXELS) != 0,
                chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_BEGIN_KITTY_IMMEDIATE_IMAGE_V1) != 0)
    }

    /// Sixel or kitty escape sequences showing `image` over `columns × rows` cells of
    /// `cellWidth × cellHeight` pixels each (written raw to the terminal, bypassing curses).
    func graphics(for image: RGBImage, columns: Int, rows: Int, cellWidth: Int, cellHeight: Int,
                  protocol graphics: GraphicsProtocol) -> [UInt8] {
        guard columns > 0, rows > 0 else { return [] }
        let config = chafa_canvas_config_new()!
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
        chafa_canvas_config_set_cell_geometry(config, Int32(cellWidth), Int32(cellHeight))
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        chafa_canvas_config_set_pixel_mode(config, graphics == .sixel ? CHAFA_PIXEL_MODE_SIXELS : CHAFA_PIXEL_MODE_KITTY)
        let canvas = chafa_canvas_new(config)!
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer { pixels in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, pixels.baseAddress, Int32(image.width),
                                         Int32(image.height), Int32(image.width * 3))
        }
        let database = chafa_term_db_get_default()
        let info = chafa_term_db_get_fallback_info(database)!
        defer { chafa_term_info_unref(info) }
        guard let text = chafa_canvas_print(canvas, info) else { return [] }
        defer { shim_gstring_free(text) }
        let length = Int(text.pointee.len)
        return text.pointee.str.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
