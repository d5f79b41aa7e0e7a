/* JPEG through libjpeg(-turbo), with setjmp error handling.
 * libjpeg's default error_exit prints and calls exit(): it is replaced by a longjmp handler, and warnings
 * (which it would print to stderr) are silenced, except "premature end of file" and "premature end of data segment",
 * which become errors (the data ran out: the rest of the picture would be grey). */
#include "ImageCodecs.h"
#include "codec_error.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

static const char *const library_name = "libjpeg";

typedef struct jpeg_error_state {
    struct jpeg_error_mgr manager; /* first member: libjpeg hands us a pointer to it */
    jmp_buf jump;
    ic_status status;              /* the status to report after the jump */
    ic_error *error;
} jpeg_error_state;

static ic_status status_for_message_code(int code) {
    switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JERR_INPUT_EOF:
        return IC_STATUS_TRUNCATED;
    case JERR_NO_SOI:
    case JERR_INPUT_EMPTY:
        return IC_STATUS_NOT_RECOGNIZED;
    case JERR_BAD_PRECISION:
    case JERR_SOF_UNSUPPORTED:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
        return IC_STATUS_UNSUPPORTED;
    case JERR_FILE_WRITE:
        return IC_STATUS_WRITE_FAILED;
    default:
        return IC_STATUS_CORRUPT;
    }
}

static void on_jpeg_error_exit(j_common_ptr info) {
    jpeg_error_state *state = (jpeg_error_state *)info->err;
    char buffer[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, buffer);
    ic_set_error(state->error, library_name, buffer);
    if (state->status == IC_STATUS_OK) state->status = status_for_message_code(info->err->msg_code);
    longjmp(state->jump, 1);
}

static void on_jpeg_emit_message(j_common_ptr info, int level) {
    if (level < 0) {
        info->err->num_warnings++;
        /* The memory source inserts a fake end-of-image when the data runs out and only warns:
         * the rest of the picture would be grey. Treat it as the error it is. */
        if (info->err->msg_code == JWRN_JPEG_EOF) (*info->err->error_exit)(info);
        /* The scan's data ends at a marker (an EOI, another segment) before the picture is complete: the rest
         * would be grey too. A 160-byte file declaring 4353x2565 pixels decoded to 11 Mpx of grey this way. */
        if (info->err->msg_code == JWRN_HIT_MARKER) (*info->err->error_exit)(info);
    }
    /* Other warnings ("Corrupt JPEG data: N extraneous bytes") and trace messages: silenced. */
}

static void on_jpeg_output_message(j_common_ptr info) {
    (void)info; /* never print to stderr */
}

static void install_error_handlers(jpeg_error_state *state, ic_error *error) {
    jpeg_std_error(&state->manager);
    state->manager.error_exit = on_jpeg_error_exit;
    state->manager.emit_message = on_jpeg_emit_message;
    state->manager.output_message = on_jpeg_output_message;
    state->status = IC_STATUS_OK;
    state->error = error;
}

/* ---- Progressive scan limit (a small file with thousands of scans is a CPU bomb) ----------------- */

typedef struct scan_limit_monitor {
    struct jpeg_progress_mgr manager; /* first member */
    int max_scans;
} scan_limit_monitor;

static void on_jpeg_progress(j_common_ptr info) {
    scan_limit_monitor *monitor = (scan_limit_monitor *)info->progress;
    j_decompress_ptr decompressor = (j_decompress_ptr)info;
    if (info->is_decompressor && monitor->max_scans > 0 && decompressor->input_scan_number > monitor->max_scans) {
        jpeg_error_state *state = (jpeg_error_state *)info->err;
        char message[96];
        snprintf(message, sizeof message, "more than %d progressive scans", monitor->max_scans);
        ic_set_error(state->error, NULL, message);
        state->status = IC_STATUS_LIMIT_EXCEEDED;
        longjmp(state->jump, 1);
    }
}

/* ---- Exif orientation ---------------------------------------------------------------------------- */

static uint32_t exif_read(const uint8_t *bytes, int little_endian, int count) {
    uint32_t value = 0;
    for (int index = 0; index < count; index++) {
        int position = little_endian ? count - 1 - index : index;
        value = (value << 8) | bytes[position];
    }
    return value;
}

/* Returns the Orientation tag (1...8) of IFD0 in an APP1 "Exif" payload, or 0. Every read is bounds-checked. */
static int exif_orientation_of(const uint8_t *payload, size_t length) {
    if (length < 14 || memcmp(payload, "Exif\0\0", 6) != 0) return 0;
    const uint8_t *tiff = payload + 6;
    size_t tiff_length = length - 6;
    int little_endian;
    if (memcmp(tiff, "II*\0", 4) == 0) {
        little_endian = 1;
    } else if (memcmp(tiff, "MM\0*", 4) == 0) {
        little_endian = 0;
    } else {
        return 0;
    }
    uint32_t ifd_offset = exif_read(tiff + 4, little_endian, 4);
    if (ifd_offset > tiff_length || tiff_length - ifd_offset < 2) return 0;
    uint32_t entry_count = exif_read(tiff + ifd_offset, little_endian, 2);
    const uint8_t *entries = tiff + ifd_offset + 2;
    size_t available = tiff_length - ifd_offset - 2;
    for (uint32_t entry = 0; entry < entry_count && (size_t)(entry + 1) * 12 <= available; entry++) {
        const uint8_t *field = entries + (size_t)entry * 12;
        if (exif_read(field, little_endian, 2) != 0x0112) continue;
        uint32_t type = exif_read(field + 2, little_endian, 2);
        uint32_t count = exif_read(field + 4, little_endian, 4);
        if (type != 3 || count != 1) return 0; /* SHORT, one value, stored in the first 2 value bytes */
        uint32_t orientation = exif_read(field + 8, little_endian, 2);
        return orientation >= 1 && orientation <= 8 ? (int)orientation : 0;
    }
    return 0;
}

/* ---- Decoding ------------------------------------------------------------------------------------ */

static int32_t color_space_code(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return IC_JPEG_GRAYSCALE;
    case JCS_RGB: return IC_JPEG_RGB;
    case JCS_YCbCr: return IC_JPEG_YCBCR;
    case JCS_CMYK: return IC_JPEG_CMYK;
    case JCS_YCCK: return IC_JPEG_YCCK;
    default: return IC_JPEG_UNKNOWN;
    }
}

ic_status ic_jpeg_read_header(const uint8_t *data, size_t size, ic_jpeg_header *header, ic_error *error) {
    if (data == NULL || header == NULL || size == 0) {
        ic_set_error(error, NULL, "invalid arguments to ic_jpeg_read_header");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    memset(header, 0, sizeof *header);
    struct jpeg_decompress_struct info;
    jpeg_error_state state;
    memset(&info, 0, sizeof info);
    install_error_handlers(&state, error);
    info.err = &state.manager;

    if (setjmp(state.jump)) {
        jpeg_destroy_decompress(&info);
        return state.status;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
    (void)jpeg_read_header(&info, TRUE);

    header->width = info.image_width;
    header->height = info.image_height;
    header->components = info.num_components;
    header->color_space = color_space_code(info.jpeg_color_space);
    header->bit_depth = info.data_precision;
    header->progressive = info.progressive_mode ? 1 : 0;
    header->adobe_marker = info.saw_Adobe_marker ? 1 : 0;
    for (jpeg_saved_marker_ptr marker = info.marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1) continue;
        int orientation = exif_orientation_of(marker->data, marker->data_length);
        if (orientation != 0) {
            header->exif_orientation = orientation;
            break;
        }
    }
    jpeg_destroy_decompress(&info);
    return IC_STATUS_OK;
}

static void convert_cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t pixel = 0; pixel < width; pixel++) {
        unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        /* Now every value is (255 - ink): R = (1 - C)(1 - K). */
        rgb[0] = (uint8_t)((c * k + 127) / 255);
        rgb[1] = (uint8_t)((m * k + 127) / 255);
        rgb[2] = (uint8_t)((y * k + 127) / 255);
        cmyk += 4;
        rgb += 3;
    }
}

ic_status ic_jpeg_decode_rgb8(const uint8_t *data, size_t size, uint32_t width, uint32_t height,
                              int32_t max_scans, uint8_t *rgb, size_t capacity, ic_error *error) {
    if (data == NULL || rgb == NULL || size == 0 || width == 0 || height == 0) {
        ic_set_error(error, NULL, "invalid arguments to ic_jpeg_decode_rgb8");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if ((size_t)width > SIZE_MAX / 3 / height || capacity < (size_t)width * height * 3) {
        ic_set_error(error, NULL, "output buffer too small for the image");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    struct jpeg_decompress_struct info;
    jpeg_error_state state;
    scan_limit_monitor monitor;
    memset(&info, 0, sizeof info);
    memset(&monitor, 0, sizeof monitor);
    install_error_handlers(&state, error);
    info.err = &state.manager;
    monitor.manager.progress_monitor = on_jpeg_progress;
    monitor.max_scans = max_scans;
    uint8_t *volatile cmyk_row = NULL;

    if (setjmp(state.jump)) {
        free(cmyk_row);
        jpeg_destroy_decompress(&info);
        return state.status;
    }
    jpeg_create_decompress(&info);
    info.progress = &monitor.manager;
    jpeg_mem_src(&info, data, (unsigned long)size);
    (void)jpeg_read_header(&info, TRUE);
    if (info.image_width != width || info.image_height != height) {
        state.status = IC_STATUS_INVALID_ARGUMENT;
        ic_set_error(error, NULL, "image size differs from the size the caller expected");
        longjmp(state.jump, 1);
    }
    int is_cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    int inverted = info.saw_Adobe_marker ? 1 : 0;
    info.out_color_space = is_cmyk ? JCS_CMYK : JCS_RGB;  /* libjpeg converts YCCK to CMYK, gray to RGB */
    (void)jpeg_start_decompress(&info);
    if (info.output_width != width || info.output_height != height ||
        info.output_components != (is_cmyk ? 4 : 3)) {
        state.status = IC_STATUS_UNSUPPORTED;
        ic_set_error(error, NULL, "unexpected output layout from libjpeg");
        longjmp(state.jump, 1);
    }
    if (is_cmyk) {
        cmyk_row = (uint8_t *)malloc((size_t)width * 4);
        if (cmyk_row == NULL) {
            state.status = IC_STATUS_CORRUPT;
            ic_set_error(error, NULL, "out of memory for a CMYK row");
            longjmp(state.jump, 1);
        }
    }
    while (info.output_scanline < info.output_height) {
        uint8_t *destination = rgb + (size_t)info.output_scanline * width * 3;
        JSAMPROW row = is_cmyk ? cmyk_row : destination;
        if (jpeg_read_scanlines(&info, &row, 1) != 1) {
            state.status = IC_STATUS_TRUNCATED;
            ic_set_error(error, library_name, "no more scanlines");
            longjmp(state.jump, 1);
        }
        if (is_cmyk) convert_cmyk_row_to_rgb(cmyk_row, destination, width, inverted);
    }
    (void)jpeg_finish_decompress(&info);  /* reads up to EOI: a file cut short is an error */

    free(cmyk_row);
    jpeg_destroy_decompress(&info);
    return IC_STATUS_OK;
}

/* ---- Writing ------------------------------------------------------------------------------------- */

static J_COLOR_SPACE library_space(int32_t code) {
    switch (code) {
    case IC_JPEG_GRAYSCALE: return JCS_GRAYSCALE;
    case IC_JPEG_RGB: return JCS_RGB;
    case IC_JPEG_YCBCR: return JCS_YCbCr;
    case IC_JPEG_CMYK: return JCS_CMYK;
    case IC_JPEG_YCCK: return JCS_YCCK;
    default: return JCS_UNKNOWN;
    }
}

static int components_of_stored_space(int32_t code) {
    switch (code) {
    case IC_JPEG_GRAYSCALE: return 1;
    case IC_JPEG_RGB:
    case IC_JPEG_YCBCR: return 3;
    case IC_JPEG_CMYK:
    case IC_JPEG_YCCK: return 4;
    default: return 0;
    }
}

ic_status ic_jpeg_write(FILE *file, const ic_jpeg_write_spec *spec, ic_error *error) {
    if (file == NULL || spec == NULL || spec->pixels == NULL || spec->width == 0 || spec->height == 0 ||
        spec->width > JPEG_MAX_DIMENSION || spec->height > JPEG_MAX_DIMENSION) {
        ic_set_error(error, NULL, "JPEG writer: missing pixels or invalid size");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if (components_of_stored_space(spec->stored_space) != spec->components || spec->quality < 1 ||
        spec->quality > 100 || spec->exif_orientation < 0 || spec->exif_orientation > 8) {
        ic_set_error(error, NULL, "JPEG writer: colour space, components, quality or orientation out of range");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    struct jpeg_compress_struct info;
    jpeg_error_state state;
    memset(&info, 0, sizeof info);
    install_error_handlers(&state, error);
    info.err = &state.manager;

    if (setjmp(state.jump)) {
        jpeg_destroy_compress(&info);
        return state.status == IC_STATUS_CORRUPT ? IC_STATUS_INVALID_ARGUMENT : state.status;
    }
    jpeg_create_compress(&info);
    jpeg_stdio_dest(&info, file);
    info.image_width = spec->width;
    info.image_height = spec->height;
    info.input_components = spec->components;
    info.in_color_space = spec->components == 1 ? JCS_GRAYSCALE : spec->components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_colorspace(&info, library_space(spec->stored_space));
    if (spec->components == 4) info.write_Adobe_marker = spec->adobe_marker ? TRUE : FALSE;
    jpeg_set_quality(&info, spec->quality, TRUE);
    if (spec->progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);

    if (spec->exif_orientation != 0) {
        /* "Exif\0\0", big-endian TIFF header, IFD0 with one entry: Orientation (0x0112), SHORT, 1 value. */
        const uint8_t exif[] = {
            'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)spec->exif_orientation, 0, 0,
            0, 0, 0, 0,
        };
        jpeg_write_marker(&info, JPEG_APP0 + 1, exif, sizeof exif);
    }
    size_t stride = (size_t)spec->width * spec->components;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(spec->pixels + (size_t)info.next_scanline * stride);
        (void)jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);  /* flushes; a failed write raises JERR_FILE_WRITE */
    jpeg_destroy_compress(&info);
    if (fflush(file) != 0 || ferror(file)) {
        ic_set_error(error, library_name, "Output file write error");
        return IC_STATUS_WRITE_FAILED;
    }
    return IC_STATUS_OK;
}
