#pragma once
/*
 * CImageCodecs: the parts of libpng and libjpeg that Swift cannot call (setjmp/longjmp error handling).
 *
 * Every function reports failure through an ic_status return value plus an ic_error the caller provides:
 * the library's own message is copied into error->message (always NUL-terminated). Library warnings are
 * silenced. Decoding is two-step so the caller can refuse absurd dimensions before allocating anything:
 *   1. ic_*_read_header(): parses only the header (no pixel data is decoded, nothing large is allocated);
 *   2. the caller checks width/height, allocates the output buffer, then calls ic_*_decode_*().
 * The decode functions fail (IC_STATUS_INVALID_ARGUMENT) if the image is not the size the caller expects.
 *
 * Logic lives in the .c files on purpose: SwiftPM does not rebuild Swift importers when a header's
 * static inline function changes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ic_status {
    IC_STATUS_OK = 0,
    IC_STATUS_TRUNCATED = 1,        /* the data ended early */
    IC_STATUS_NOT_RECOGNIZED = 2,   /* wrong signature: not this format at all */
    IC_STATUS_CORRUPT = 3,          /* the library rejected the data (CRC, bad marker, bad header ...) */
    IC_STATUS_UNSUPPORTED = 4,      /* valid but not handled (e.g. 12-bit JPEG) */
    IC_STATUS_INVALID_ARGUMENT = 5, /* caller error: buffer too small, size mismatch, bad format request */
    IC_STATUS_WRITE_FAILED = 6,     /* an I/O error while writing */
    IC_STATUS_LIMIT_EXCEEDED = 7    /* a safety limit (e.g. too many progressive JPEG scans) */
} ic_status;

enum { IC_ERROR_MESSAGE_CAPACITY = 256 };

typedef struct ic_error {
    char message[IC_ERROR_MESSAGE_CAPACITY];
} ic_error;

/* PNG colour types, same values as the PNG specification (and libpng's PNG_COLOR_TYPE_*). */
typedef enum ic_png_color_type {
    IC_PNG_GRAY = 0,
    IC_PNG_RGB = 2,
    IC_PNG_PALETTE = 3,
    IC_PNG_GRAY_ALPHA = 4,
    IC_PNG_RGBA = 6
} ic_png_color_type;

typedef struct ic_png_header {
    uint32_t width;
    uint32_t height;
    int32_t bit_depth;   /* 1, 2, 4, 8 or 16 */
    int32_t color_type;  /* an ic_png_color_type */
    int32_t interlaced;  /* 1 for Adam7 */
} ic_png_header;

/* Checks the signature and parses the IHDR chunk (CRC and field values checked). No libpng decoding. */
ic_status ic_png_read_header(const uint8_t *data, size_t size, ic_png_header *header, ic_error *error);

/* Decodes any PNG (every colour type and bit depth, tRNS, Adam7) to non-premultiplied RGBA, 8 bits per
 * sample, rows packed (stride width*4). 16-bit samples are scaled (0x5050 -> 0x50); no gamma conversion.
 * The image must be exactly width x height, and capacity at least width*height*4. */
ic_status ic_png_decode_rgba8(const uint8_t *data, size_t size, uint32_t width, uint32_t height,
                              uint8_t *rgba, size_t capacity, ic_error *error);

/* Raw PNG writing, for application output and test fixtures.
 * samples: width*height*channels values, channels = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA, 1 palette index.
 * bit_depth <= 8: one uint8_t per sample (values below 2^bit_depth); bit_depth 16: one native uint16_t
 * per sample. Palette: palette_rgb has palette_count RGB triples (1...256); transparency (may be NULL)
 * has transparency_count alpha values for the first entries (tRNS). For gray/RGB, transparency may
 * instead hold one (gray) or three (RGB) uint16_t key values (tRNS colour key), transparency_count
 * being 1 or 3; pass NULL for none. The file is written from its current position and flushed;
 * the caller owns and closes it. */
typedef struct ic_png_write_spec {
    uint32_t width;
    uint32_t height;
    int32_t color_type;       /* an ic_png_color_type */
    int32_t bit_depth;
    int32_t interlaced;
    const void *samples;
    const uint8_t *palette_rgb;
    int32_t palette_count;
    const void *transparency; /* uint8_t alphas for palette, uint16_t key for gray/RGB */
    int32_t transparency_count;
    int32_t compression_level; /* 0...9, or -1 for libpng's default */
} ic_png_write_spec;

ic_status ic_png_write(FILE *file, const ic_png_write_spec *spec, ic_error *error);

/* JPEG colour spaces as stored in the file. */
typedef enum ic_jpeg_color_space {
    IC_JPEG_UNKNOWN = 0,
    IC_JPEG_GRAYSCALE = 1,
    IC_JPEG_RGB = 2,    /* stored as RGB, no YCbCr transform */
    IC_JPEG_YCBCR = 3,
    IC_JPEG_CMYK = 4,
    IC_JPEG_YCCK = 5
} ic_jpeg_color_space;

typedef struct ic_jpeg_header {
    uint32_t width;
    uint32_t height;
    int32_t components;       /* 1, 3 or 4 */
    int32_t color_space;      /* an ic_jpeg_color_space */
    int32_t bit_depth;        /* data precision, normally 8 */
    int32_t progressive;      /* 1 if progressive */
    int32_t adobe_marker;     /* 1 if an Adobe APP14 marker was seen (CMYK is then stored inverted) */
    int32_t exif_orientation; /* 1...8 from an Exif APP1 marker, 0 if none or unreadable */
} ic_jpeg_header;

/* Reads the markers up to the first scan (no pixel data decoded). */
ic_status ic_jpeg_read_header(const uint8_t *data, size_t size, ic_jpeg_header *header, ic_error *error);

/* Decodes to RGB, 8 bits per sample, rows packed (stride width*3), in the file's stored orientation.
 * Grayscale is replicated to RGB; CMYK and YCCK are converted naively (no ICC profile), Adobe-marked
 * CMYK being treated as inverted. A file that ends early, or whose scan data stops at a marker early, is an error
 * (IC_STATUS_TRUNCATED), not a half-grey picture. Progressive files with more than max_scans scans are refused
 * (0 = no limit). */
ic_status ic_jpeg_decode_rgb8(const uint8_t *data, size_t size, uint32_t width, uint32_t height,
                              int32_t max_scans, uint8_t *rgb, size_t capacity, ic_error *error);

/* JPEG writing, mainly for test fixtures. pixels has width*height*components bytes:
 * components 1 (gray), 3 (RGB) or 4 (CMYK as given: inverted or not is up to the caller).
 * stored_space: IC_JPEG_GRAYSCALE (1 component), IC_JPEG_YCBCR or IC_JPEG_RGB (3), IC_JPEG_CMYK or
 * IC_JPEG_YCCK (4). quality 1...100. exif_orientation 1...8 writes a minimal Exif APP1 marker, 0 none. */
typedef struct ic_jpeg_write_spec {
    uint32_t width;
    uint32_t height;
    int32_t components;
    int32_t stored_space;     /* an ic_jpeg_color_space */
    int32_t quality;
    int32_t progressive;
    int32_t adobe_marker;     /* for CMYK/YCCK: write the Adobe APP14 marker */
    int32_t exif_orientation;
    const uint8_t *pixels;
} ic_jpeg_write_spec;

ic_status ic_jpeg_write(FILE *file, const ic_jpeg_write_spec *spec, ic_error *error);

#ifdef __cplusplus
}
#endif
