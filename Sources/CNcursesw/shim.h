#pragma once
/* SwiftPM drops the -D flags from ncursesw.pc, and without them cchar_t is not declared. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>
/* C globals are not concurrency-safe in Swift 6, and these are macros: accessors instead. */
static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline int shim_cols(void) { return COLS; }
static inline int shim_lines(void) { return LINES; }
static inline int shim_colors(void) { return COLORS; }
static inline int shim_color_pairs(void) { return COLOR_PAIRS; }
static inline void shim_getmaxyx(const WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline attr_t shim_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t shim_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t shim_A_BOLD(void) { return A_BOLD; }
static inline attr_t shim_A_DIM(void) { return A_DIM; }
static inline attr_t shim_A_UNDERLINE(void) { return A_UNDERLINE; }
/* One cell: wide char + int colour pair (setcchar's short pair cannot hold > 32767, so pass it via opts). */
/* The cells the C library (and so ncursesw) gives a character: -1 when unprintable or not in the locale. */
static inline int shim_wcwidth(wchar_t ch) { return wcwidth(ch); }
static inline int shim_put_cell(WINDOW *w, int y, int x, wchar_t ch, int pair, attr_t attrs) {
    cchar_t cc; wchar_t wstr[2] = { ch, 0 };
    if (setcchar(&cc, wstr, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}
static inline int shim_mvwaddstr(WINDOW *w, int y, int x, const char *s) { return mvwaddstr(w, y, x, s); }
static inline int shim_attr_on_pair(WINDOW *w, int pair, attr_t attrs) { return wattr_set(w, attrs, 0, &pair); }
