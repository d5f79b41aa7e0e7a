import CWebP

/// Animated WebP through libwebp's `WebPAnimEncoder`: each frame is compressed when it is added (the encoder
/// keeps the compressed frames and one canvas, not the pictures), and assembled into the file at the end.
final class WebPAnimationEncoder: AnimationEncoder {
    private let file: PendingFile
    private let width: Int
    private let height: Int
    private let encoder: OpaquePointer
    private var config = WebPConfig()
    private var timestamp = 0

    /// Lossy quality 0...100: 82 keeps brush strokes without visible blocking at preview sizes.
    static let quality: Float = 82

    init(file: PendingFile, width: Int, height: Int) throws(ImageError) {
        self.file = file
        self.width = width
        self.height = height
        var options = WebPAnimEncoderOptions()
        guard WebPAnimEncoderOptionsInit(&options) != 0, WebPConfigInit(&config) != 0 else {
            throw file.failure("libwebp: version mismatch between header and library")
        }
        options.anim_params.loop_count = 0  // loop forever
        config.quality = Self.quality
        config.method = 4
        guard let encoder = WebPAnimEncoderNew(Int32(width), Int32(height), &options) else {
            throw file.failure("libwebp: cannot create an animation encoder for \(width)x\(height)")
        }
        self.encoder = encoder
    }

    deinit { WebPAnimEncoderDelete(encoder) }

    func add(_ image: RGBImage, milliseconds: Int) throws(ImageError) {
        var picture = WebPPicture()
        guard WebPPictureInit(&picture) != 0 else { throw file.failure("libwebp: cannot initialise a picture") }
        picture.use_argb = 1
        picture.width = Int32(width)
        picture.height = Int32(height)
        defer { WebPPictureFree(&picture) }
        let imported = image.pixels.withUnsafeBufferPointer { pixels in
            WebPPictureImportRGB(&picture, pixels.baseAddress, Int32(width * 3))
        }
        guard imported != 0, WebPAnimEncoderAdd(encoder, &picture, Int32(timestamp), &config) != 0 else {
            throw file.failure("libwebp: cannot encode frame: " + errorText)
        }
        timestamp += milliseconds
    }

    /// The frames in the file can be fewer than those added: libwebp's encoder merges a frame that differs from
    /// the one before by less than its lossy tolerance into that frame, shown for both durations.
    func finish() throws(ImageError) -> Int {
        // A last, empty frame marks the end time, so the final frame gets its full duration.
        guard WebPAnimEncoderAdd(encoder, nil, Int32(timestamp), nil) != 0 else {
            throw file.failure("libwebp: cannot finish the animation: " + errorText)
        }
        var data = WebPData()
        WebPDataInit(&data)
        defer { WebPDataClear(&data) }
        guard WebPAnimEncoderAssemble(encoder, &data) != 0, let bytes = data.bytes else {
            throw file.failure("libwebp: cannot assemble the animation: " + errorText)
        }
        let frames = try frameCount(of: &data)
        try file.write(UnsafeRawBufferPointer(start: bytes, count: data.size))
        return frames
    }

    /// The animation frames (ANMF chunks) of an assembled file, read back with libwebpmux.
    private func frameCount(of data: inout WebPData) throws(ImageError) -> Int {
        guard let mux = WebPMuxCreate(&data, 0) else { throw file.failure("libwebp: cannot read back the animation") }
        defer { WebPMuxDelete(mux) }
        var count: Int32 = 0
        guard WebPMuxNumChunks(mux, WEBP_CHUNK_ANMF, &count) == WEBP_MUX_OK else {
            throw file.failure("libwebp: cannot count the animation's frames")
        }
        return Int(count)
    }

    private var errorText: String {
        WebPAnimEncoderGetError(encoder).map { String(cString: $0) } ?? "unknown error"
    }
}
