/* PNG through libpng's low-level API, with setjmp error handling (Swift cannot call setjmp). */
#include "ImageCodecs.h"
#include "codec_error.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static const char *const library_name = "libpng";

/* ---- Header: parsed by hand, so nothing is decoded or allocated -------------------------------- */

static uint32_t read_big_endian_32(const uint8_t *bytes) {
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) | bytes[3];
}

static uint32_t png_crc32(const uint8_t *bytes, size_t count) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t index = 0; index < count; index++) {
        crc ^= bytes[index];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return crc ^ 0xFFFFFFFFu;
}

static int is_valid_depth_for_color_type(int bit_depth, int color_type) {
    switch (color_type) {
    case IC_PNG_GRAY:
        return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8 || bit_depth == 16;
    case IC_PNG_PALETTE:
        return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8;
    case IC_PNG_RGB:
    case IC_PNG_GRAY_ALPHA:
    case IC_PNG_RGBA:
        return bit_depth == 8 || bit_depth == 16;
    default:
        return 0;
    }
}

static const uint8_t png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

ic_status ic_png_read_header(const uint8_t *data, size_t size, ic_png_header *header, ic_error *error) {
    if (data == NULL || header == NULL) {
        ic_set_error(error, NULL, "invalid arguments to ic_png_read_header");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    memset(header, 0, sizeof *header);
    size_t signature_bytes = size < 8 ? size : 8;
    if (memcmp(data, png_signature, signature_bytes) != 0) {
        ic_set_error(error, NULL, "no PNG signature");
        return IC_STATUS_NOT_RECOGNIZED;
    }
    /* signature (8) + IHDR length (4) + type (4) + data (13) + CRC (4) */
    if (size < 33) {
        ic_set_error(error, NULL, "the file ends before the end of the PNG header (IHDR)");
        return IC_STATUS_TRUNCATED;
    }
    const uint8_t *chunk = data + 8;
    if (read_big_endian_32(chunk) != 13 || memcmp(chunk + 4, "IHDR", 4) != 0) {
        ic_set_error(error, NULL, "the first PNG chunk is not a valid IHDR");
        return IC_STATUS_CORRUPT;
    }
    if (png_crc32(chunk + 4, 17) != read_big_endian_32(chunk + 21)) {
        ic_set_error(error, NULL, "IHDR: CRC error");
        return IC_STATUS_CORRUPT;
    }
    const uint8_t *fields = chunk + 8;
    uint32_t width = read_big_endian_32(fields);
    uint32_t height = read_big_endian_32(fields + 4);
    int bit_depth = fields[8], color_type = fields[9];
    int compression = fields[10], filter = fields[11], interlace = fields[12];
    if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) {
        ic_set_error(error, NULL, "IHDR: invalid image size");
        return IC_STATUS_CORRUPT;
    }
    if (!is_valid_depth_for_color_type(bit_depth, color_type)) {
        ic_set_error(error, NULL, "IHDR: invalid bit depth or colour type");
        return IC_STATUS_CORRUPT;
    }
    if (compression != 0 || filter != 0 || interlace > 1) {
        ic_set_error(error, NULL, "IHDR: unknown compression, filter or interlace method");
        return IC_STATUS_CORRUPT;
    }
    header->width = width;
    header->height = height;
    header->bit_depth = bit_depth;
    header->color_type = color_type;
    header->interlaced = interlace;
    return IC_STATUS_OK;
}

/* ---- Shared libpng callbacks -------------------------------------------------------------------- */

typedef struct png_io_state {
    const uint8_t *data;  /* reading: the whole file in memory */
    size_t size;
    size_t offset;
    FILE *file;           /* writing */
    int ran_out_of_data;
    int write_failed;
    ic_error *error;
} png_io_state;

static void on_png_error(png_structp png, png_const_charp message) {
    png_io_state *state = (png_io_state *)png_get_error_ptr(png);
    ic_set_error(state->error, library_name, message);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; /* silenced: warnings are about recoverable problems in ancillary data */
}

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    png_io_state *state = (png_io_state *)png_get_io_ptr(png);
    if (length > state->size - state->offset) {
        state->ran_out_of_data = 1;
        png_error(png, "Read Error");
    }
    memcpy(destination, state->data + state->offset, length);
    state->offset += length;
}

static void write_to_file(png_structp png, png_bytep source, size_t length) {
    png_io_state *state = (png_io_state *)png_get_io_ptr(png);
    if (fwrite(source, 1, length, state->file) != length) {
        state->write_failed = 1;
        png_error(png, "Write Error");
    }
}

static void flush_file(png_structp png) {
    png_io_state *state = (png_io_state *)png_get_io_ptr(png);
    if (fflush(state->file) != 0) {
        state->write_failed = 1;
        png_error(png, "Write Error (flush)");
    }
}

/* ---- Decoding ----------------------------------------------------------------------------------- */

ic_status ic_png_decode_rgba8(const uint8_t *data, size_t size, uint32_t width, uint32_t height,
                              uint8_t *rgba, size_t capacity, ic_error *error) {
    if (data == NULL || rgba == NULL || width == 0 || height == 0) {
        ic_set_error(error, NULL, "invalid arguments to ic_png_decode_rgba8");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if ((size_t)width > SIZE_MAX / 4 / height || capacity < (size_t)width * height * 4) {
        ic_set_error(error, NULL, "output buffer too small for the image");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        ic_set_error(error, NULL, "no PNG signature");
        return size < 8 ? IC_STATUS_TRUNCATED : IC_STATUS_NOT_RECOGNIZED;
    }

    png_io_state state = { .data = data, .size = size, .offset = 0, .error = error };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_png_error, on_png_warning);
    if (png == NULL) {
        ic_set_error(error, library_name, "cannot create the read structure (out of memory?)");
        return IC_STATUS_CORRUPT;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        ic_set_error(error, library_name, "cannot create the info structure (out of memory?)");
        return IC_STATUS_CORRUPT;
    }
    png_bytep *volatile rows = NULL;
    volatile ic_status mismatch_status = IC_STATUS_OK;

    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        if (mismatch_status != IC_STATUS_OK) return mismatch_status;
        return state.ran_out_of_data ? IC_STATUS_TRUNCATED : IC_STATUS_CORRUPT;
    }

    png_set_read_fn(png, &state, read_from_memory);
    png_read_info(png, info);

    png_uint_32 file_width = 0, file_height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &file_width, &file_height, &bit_depth, &color_type, NULL, NULL, NULL);
    if (file_width != width || file_height != height) {
        mismatch_status = IC_STATUS_INVALID_ARGUMENT;
        png_error(png, "image size differs from the size the caller expected");
    }

    /* Everything to RGBA8: no gamma handling at all, so sample values come through unchanged. */
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    int has_transparency = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (has_transparency) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16) png_set_scale_16(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if ((color_type & PNG_COLOR_MASK_ALPHA) == 0 && !has_transparency) {
        png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    }
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    if (png_get_rowbytes(png, info) != (size_t)width * 4) {
        png_error(png, "unexpected row size after the RGBA transformations");
    }
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (rows == NULL) png_error(png, "out of memory for row pointers");
    for (uint32_t row = 0; row < height; row++) {
        rows[row] = rgba + (size_t)row * width * 4;
    }
    png_read_image(png, rows);
    png_read_end(png, NULL); /* consume the rest up to IEND: a file cut short is reported, not accepted */

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return IC_STATUS_OK;
}

/* ---- Writing ------------------------------------------------------------------------------------ */

static int channels_for_color_type(int color_type) {
    switch (color_type) {
    case IC_PNG_GRAY: return 1;
    case IC_PNG_PALETTE: return 1;
    case IC_PNG_GRAY_ALPHA: return 2;
    case IC_PNG_RGB: return 3;
    case IC_PNG_RGBA: return 4;
    default: return 0;
    }
}

static ic_status validate_write_spec(const ic_png_write_spec *spec, ic_error *error) {
    if (spec->samples == NULL || spec->width == 0 || spec->height == 0 ||
        spec->width > 0x7FFFFFFFu || spec->height > 0x7FFFFFFFu) {
        ic_set_error(error, NULL, "PNG writer: missing samples or invalid size");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if (!is_valid_depth_for_color_type(spec->bit_depth, spec->color_type)) {
        ic_set_error(error, NULL, "PNG writer: invalid bit depth for the colour type");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    if (spec->color_type == IC_PNG_PALETTE) {
        if (spec->palette_rgb == NULL || spec->palette_count < 1 || spec->palette_count > 256 ||
            spec->palette_count > (1 << spec->bit_depth)) {
            ic_set_error(error, NULL, "PNG writer: palette missing or too large for the bit depth");
            return IC_STATUS_INVALID_ARGUMENT;
        }
        if (spec->transparency != NULL &&
            (spec->transparency_count < 1 || spec->transparency_count > spec->palette_count)) {
            ic_set_error(error, NULL, "PNG writer: more transparency entries than palette entries");
            return IC_STATUS_INVALID_ARGUMENT;
        }
    } else if (spec->transparency != NULL) {
        int expected = spec->color_type == IC_PNG_GRAY ? 1 : spec->color_type == IC_PNG_RGB ? 3 : 0;
        if (expected == 0 || spec->transparency_count != expected) {
            ic_set_error(error, NULL, "PNG writer: a tRNS colour key needs 1 (gray) or 3 (RGB) values");
            return IC_STATUS_INVALID_ARGUMENT;
        }
    }
    if (spec->compression_level < -1 || spec->compression_level > 9) {
        ic_set_error(error, NULL, "PNG writer: compression level must be -1...9");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    return IC_STATUS_OK;
}

ic_status ic_png_write(FILE *file, const ic_png_write_spec *spec, ic_error *error) {
    if (file == NULL || spec == NULL) {
        ic_set_error(error, NULL, "invalid arguments to ic_png_write");
        return IC_STATUS_INVALID_ARGUMENT;
    }
    ic_status validation = validate_write_spec(spec, error);
    if (validation != IC_STATUS_OK) return validation;

    int channels = channels_for_color_type(spec->color_type);
    size_t bytes_per_sample = spec->bit_depth == 16 ? 2 : 1;
    size_t row_stride = (size_t)spec->width * channels * bytes_per_sample;
    if (row_stride / bytes_per_sample / channels != spec->width) {
        ic_set_error(error, NULL, "PNG writer: image too large");
        return IC_STATUS_INVALID_ARGUMENT;
    }

    png_io_state state = { .file = file, .error = error };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, on_png_error, on_png_warning);
    if (png == NULL) {
        ic_set_error(error, library_name, "cannot create the write structure (out of memory?)");
        return IC_STATUS_WRITE_FAILED;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        ic_set_error(error, library_name, "cannot create the info structure (out of memory?)");
        return IC_STATUS_WRITE_FAILED;
    }
    png_bytep *volatile rows = NULL;

    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_write_struct(&png, &info);
        return state.write_failed ? IC_STATUS_WRITE_FAILED : IC_STATUS_INVALID_ARGUMENT;
    }

    png_set_write_fn(png, &state, write_to_file, flush_file);
    if (spec->compression_level >= 0) png_set_compression_level(png, spec->compression_level);
    png_set_IHDR(png, info, spec->width, spec->height, spec->bit_depth, spec->color_type,
                 spec->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);

    if (spec->color_type == IC_PNG_PALETTE) {
        png_color palette[256];
        for (int entry = 0; entry < spec->palette_count; entry++) {
            palette[entry].red = spec->palette_rgb[entry * 3];
            palette[entry].green = spec->palette_rgb[entry * 3 + 1];
            palette[entry].blue = spec->palette_rgb[entry * 3 + 2];
        }
        png_set_PLTE(png, info, palette, spec->palette_count);
        if (spec->transparency != NULL) {
            png_set_tRNS(png, info, (png_const_bytep)spec->transparency, spec->transparency_count, NULL);
        }
    } else if (spec->transparency != NULL) {
        const uint16_t *key = (const uint16_t *)spec->transparency;
        png_color_16 color = { 0 };
        if (spec->color_type == IC_PNG_GRAY) {
            color.gray = key[0];
        } else {
            color.red = key[0];
            color.green = key[1];
            color.blue = key[2];
        }
        png_set_tRNS(png, info, NULL, 0, &color);
    }

    png_write_info(png, info);
    if (spec->bit_depth < 8) png_set_packing(png);  /* input: one sample per byte */
    if (spec->bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);  /* input: native little-endian uint16 */
    }

    rows = (png_bytep *)malloc(sizeof(png_bytep) * spec->height);
    if (rows == NULL) png_error(png, "out of memory for row pointers");
    for (uint32_t row = 0; row < spec->height; row++) {
        rows[row] = (png_bytep)spec->samples + (size_t)row * row_stride;
    }
    png_write_image(png, rows);  /* handles the Adam7 passes itself */
    png_write_end(png, NULL);
    flush_file(png);

    free(rows);
    png_destroy_write_struct(&png, &info);
    return IC_STATUS_OK;
}
