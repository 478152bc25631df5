/* util.h - small helpers shared by the indexer, the searcher and the CLI. */
#ifndef CS_UTIL_H
#define CS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

/* ---- growable byte buffer (buf.c) ------------------------------------
 * A NUL-terminated byte string that grows as needed.  Appends are sticky:
 * after a failed allocation `failed` is set and further appends do nothing,
 * so a caller checks once at the end. */
typedef struct cs_buf {
    char *data;     /* malloc'd, always NUL-terminated once non-empty */
    size_t len;
    size_t cap;
    int failed;     /* an allocation failed */
} cs_buf_t;

void _cs_buf_init(cs_buf_t *buf);
void _cs_buf_free(cs_buf_t *buf);
void _cs_buf_reset(cs_buf_t *buf);            /* len = 0, keep memory */
int _cs_buf_reserve(cs_buf_t *buf, size_t extra);
void _cs_buf_append(cs_buf_t *buf, const void *data, size_t len);
void _cs_buf_append_str(cs_buf_t *buf, const char *s);
void _cs_buf_append_char(cs_buf_t *buf, char c);
void _cs_buf_printf(cs_buf_t *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Unsigned LEB128 varint and length-prefixed bytes, for stored records. */
void _cs_buf_append_varint(cs_buf_t *buf, uint64_t value);
void _cs_buf_append_bytes(cs_buf_t *buf, const void *data, size_t len);
/* Hand the string to the caller (who frees it); the buffer becomes empty. */
char *_cs_buf_steal(cs_buf_t *buf);

/* ---- reading stored records (record.c) --------------------------------
 * A cursor over bytes written with the varint/bytes appenders.  Reads past
 * the end set `bad` and return zeros, so a corrupt record is detected once. */
typedef struct cs_reader {
    const unsigned char *p, *end;
    int bad;
} cs_reader_t;

void _cs_reader_init(cs_reader_t *r, const void *data, size_t len);
uint64_t _cs_reader_varint(cs_reader_t *r);
/* Returns a pointer into the record (not NUL-terminated). */
const char *_cs_reader_bytes(cs_reader_t *r, size_t *len);

/* ---- text positions (textpos.c) ----------------------------------------
 * Lines end at '\n' only (as in ripgrep and vim's default); columns are
 * 1-based byte counts. */
typedef struct cs_linecol {
    size_t offset;    /* the byte offset these line/col describe */
    uint32_t line;
    uint32_t col;
} cs_linecol_t;

/* Move @pos forward to @target (>= pos->offset) over @text, which holds the
 * bytes from offset @text_base onwards. */
void _cs_linecol_advance(cs_linecol_t *pos, const char *text, size_t text_base,
                         size_t target);

/* ---- UTF-8 (utf8.c) ------------------------------------------------ */
/* Length of the valid UTF-8 sequence at @s (1..4), or 0 if invalid. */
size_t _cs_utf8_valid_len(const unsigned char *s, size_t avail);
/* The code point of the valid @n-byte sequence at @s. */
uint32_t _cs_utf8_decode(const unsigned char *s, size_t n);
/* Number of bytes of @text that are not part of valid UTF-8. */
size_t _cs_utf8_invalid_bytes(const char *text, size_t len);

/* ---- printing what comes from the corpus (sanitize.c) ------------------
 * File names and messages as one line of text that a terminal shows and
 * does not obey: valid UTF-8 is kept except controls, which are escaped
 * (\n \t \r; \xHH for other C0 controls, DEL and bytes that are not
 * UTF-8; \uHHHH for C1 controls and bidi controls).  A backslash is kept. */
void _cs_buf_append_safe(cs_buf_t *buf, const char *text, size_t len);
/* Non-zero when @text needs no escape. */
int _cs_text_is_safe(const char *text, size_t len);
/* Non-zero for a code point a terminal or a bidi-aware viewer acts on
 * instead of showing: C0, DEL, C1, and the bidi controls and marks. */
int _cs_codepoint_is_control(uint32_t cp);
/* fputs() of the safe form of @text. */
void _cs_fputs_safe(FILE *out, const char *text);

/* ---- hashing (hash.c) ---------------------------------------------- */
/* 64-bit FNV-1a; @seed chains calls (start with CS_HASH_SEED). */
#define CS_HASH_SEED UINT64_C(0xcbf29ce484222325)
uint64_t _cs_hash64(const void *data, size_t len, uint64_t seed);

/* ---- set of strings (strset.c) ------------------------------------- */
typedef struct cs_strset {
    struct slot *slots;  /* owned by the set */
    size_t count, cap;
} cs_strset_t;

void _cs_strset_init(cs_strset_t *set);
void _cs_strset_free(cs_strset_t *set);
/* Add a copy of @text: 1 when it was new, 0 when already there, -1 when out
 * of memory. */
int _cs_strset_add(cs_strset_t *set, const char *text, size_t len);
/* The same, and *@id: the string's place in the order the set's strings
 * were first added (0, 1, ...), so callers can keep an array beside it. */
int _cs_strset_intern(cs_strset_t *set, const char *text, size_t len, size_t *id);
/* The set's strings in no particular order: start with *@cursor = 0;
 * NULL after the last. */
const char *_cs_strset_next(const cs_strset_t *set, size_t *cursor);

/* ---- messages ------------------------------------------------------ */
/* malloc'd printf, or NULL when out of memory. */
char *_cs_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Store a malloc'd message in *out if out is not NULL. */
void _cs_set_message(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

CS_END_DECLS

#endif /* CS_UTIL_H */
