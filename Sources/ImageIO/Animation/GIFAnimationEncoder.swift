#if canImport(Glibc)
import Glibc
#endif
import CGIF

/// GIF through giflib: every frame is quantized to its own 256-colour palette (`PaletteQuantizer`) and
/// written straight to the pending file, so nothing but the current frame is held in memory.
final class GIFAnimationEncoder: AnimationEncoder {
    private let file: PendingFile
    private let width: Int
    private let height: Int
    private var gif: UnsafeMutablePointer<GifFileType>?
    private var framesWritten = 0

    init(file: PendingFile, width: Int, height: Int) throws(ImageError) {
        self.file = file
        self.width = width
        self.height = height
        var error: Int32 = 0
        // giflib closes the descriptor it writes to; PendingFile keeps its own for fsync and rename.
        guard let gif = EGifOpenFileHandle(dup(file.descriptor), &error) else {
            throw file.failure("giflib: " + Self.message(error))
        }
        self.gif = gif
        EGifSetGifVersion(gif, true)
        try check(EGifPutScreenDesc(gif, Int32(width), Int32(height), 8, 0, nil))
        // The NETSCAPE2.0 application extension: loop forever.
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE))
        try check(Array("NETSCAPE2.0".utf8).withUnsafeBytes { EGifPutExtensionBlock(gif, 11, $0.baseAddress) })
        try check([UInt8]([1, 0, 0]).withUnsafeBytes { EGifPutExtensionBlock(gif, 3, $0.baseAddress) })
        try check(EGifPutExtensionTrailer(gif))
    }

    deinit {
        if let gif { EGifCloseFile(gif, nil) }
    }

    func add(_ image: RGBImage, milliseconds: Int) throws(ImageError) {
        guard let gif else { throw file.failure("giflib: the file is already closed") }
        let quantized = try PaletteQuantizer.quantize(image, path: file.displayPath)

        var control = GraphicsControlBlock(DisposalMode: DISPOSE_DO_NOT, UserInputFlag: false,
                                           DelayTime: Int32(max(2, (milliseconds + 5) / 10)),
                                           TransparentColor: NO_TRANSPARENT_COLOR)
        var extensionBytes = [UInt8](repeating: 0, count: 4)
        let length = EGifGCBToExtension(&control, &extensionBytes)
        try check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, Int32(length), extensionBytes))

        // Colour tables hold a power of two entries; unused ones are black.
        var colours = [GifColorType](repeating: GifColorType(Red: 0, Green: 0, Blue: 0), count: 256)
        for (index, colour) in quantized.palette.enumerated() {
            colours[index] = GifColorType(Red: colour.red, Green: colour.green, Blue: colour.blue)
        }
        guard let map = GifMakeMapObject(256, colours) else { throw file.failure("giflib: out of memory") }
        defer { GifFreeMapObject(map) }
        try check(EGifPutImageDesc(gif, 0, 0, Int32(width), Int32(height), false, map))
        var indices = quantized.indices
        try indices.withUnsafeMutableBufferPointer { (rows) throws(ImageError) in
            for row in 0..<height {
                try check(EGifPutLine(gif, rows.baseAddress! + row * width, Int32(width)))
            }
        }
        framesWritten += 1
    }

    /// Every frame added is in the file (a GIF frame is written as it comes).
    func finish() throws(ImageError) -> Int {
        guard let gif else { return framesWritten }
        self.gif = nil
        var error: Int32 = 0
        guard EGifCloseFile(gif, &error) == GIF_OK else { throw file.failure("giflib: " + Self.message(error)) }
        return framesWritten
    }

    private func check(_ status: Int32) throws(ImageError) {
        guard status == GIF_OK else { throw file.failure("giflib: " + Self.message(gif?.pointee.Error ?? 0)) }
    }

    private static func message(_ error: Int32) -> String {
        GifErrorString(error).map { String(cString: $0) } ?? "error \(error)"
    }
}
