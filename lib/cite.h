/* cite.h - from offsets in extracted text to citations in the source file.
 *
 * Every extractor hands the indexer UTF-8 text; citations must still name
 * the document's own units.  Two kinds of text need two kinds of map:
 *  - a text file (any encoding) needs none: its text is the file decoded
 *    character by character, so each character's width in the source
 *    follows from its encoding (CS_ENC_*), and lines are the text's lines;
 *  - every other format maps its text with segments: runs of text, each
 *    with the source range it came from and the position of that range.
 *    A verbatim segment's text equals its source bytes, so offsets inside
 *    it map one to one (HTML text without entities); any other segment
 *    maps as a whole (an entity, a PDF word).
 * Both the indexer (whole documents) and the searcher (one passage, its
 * segments decoded from the record) cite through a cs_cite_map_t.
 */
#ifndef CS_CITE_H
#define CS_CITE_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"
#include "util.h"

CS_BEGIN_DECLS

/* How a text file's bytes became its UTF-8 text. */
enum { CS_ENC_UTF8 = 0, CS_ENC_CP1252, CS_ENC_UTF16LE, CS_ENC_UTF16BE, CS_ENC_COUNT };

/* The name of encoding @enc ("UTF-8", "WINDOWS-1252", ...), as iconv knows it. */
const char *_cs_encoding_name(int enc);

/* A PDF word's box in PDF user space (points, origin at the page's
 * bottom-left corner, y up, as in PDF annotations): x0,y0 lower-left,
 * x1,y1 upper-right. */
typedef struct cs_box {
    uint32_t page;           /* 1-based; 0: no box */
    double x0, y0, x1, y1;
} cs_box_t;

/* A run of text [t0, next segment's t0) and where it came from. */
typedef struct cs_seg {
    uint64_t t0;             /* offset in the text */
    uint64_t s0, s1;         /* source range (PDF, DOCX: offsets in the document's text) */
    uint32_t line, col;      /* position of s0: line:col, or line on the page (PDF) */
    int verbatim;            /* text bytes equal source bytes: maps one to one */
    cs_box_t box;            /* PDF only */
} cs_seg_t;

typedef struct cs_cite_map {
    const char *text;        /* the text cited into */
    size_t len;
    int encoding;            /* text files: CS_ENC_*; ignored with segments */
    const cs_seg_t *segs;    /* NULL for text files */
    size_t n_segs;
    /* text files: the source position of text offset `at` (moves forward) */
    size_t at;
    cs_linecol_t pos;        /* pos.offset: the source offset */
    uint64_t base;           /* text offset 0 starts here ... */
    uint32_t base_line, base_col; /* ... at this line:col */
    cs_seg_t *owned;         /* segments decoded for the map, or NULL */
} cs_cite_map_t;

/* A map over @text whose offset 0 lies at source @base, @line:@col. */
void _cs_cite_map_init(cs_cite_map_t *m, const char *text, size_t len, int encoding,
                       const cs_seg_t *segs, size_t n_segs, uint64_t base, uint32_t line,
                       uint32_t col);

/* Free what the map owns (segments decoded from a record). */
void _cs_cite_map_free(cs_cite_map_t *m);

/* The source range and start position of text [t0, t1).  Calls with
 * rising t0 cost only the distance moved. */
cs_span_t _cs_cite_span(cs_cite_map_t *m, size_t t0, size_t t1);

/* The box of text [t0, t1): its segments' boxes on the line of its first
 * one (a word split over two lines gives the box of its first part);
 * box->page 0 when it has none. */
void _cs_cite_box(const cs_cite_map_t *m, size_t t0, size_t t1, cs_box_t *box);

/* The segments of @m's text [t0, t1), re-based to start at t0, encoded into @out
 * (for a passage record); and back, their sources offset by @base (the
 * passage's start): *segs is malloc'd (NULL when none). */
void _cs_segs_encode(cs_cite_map_t *m, size_t t0, size_t t1, cs_buf_t *out);
int _cs_segs_decode(const char *data, size_t len, uint64_t base, cs_seg_t **segs,
                    size_t *n);

/* The first segment holding text offset @t (segments sorted by t0). */
size_t _cs_segs_find(const cs_seg_t *segs, size_t n, uint64_t t);

CS_END_DECLS

#endif /* CS_CITE_H */
