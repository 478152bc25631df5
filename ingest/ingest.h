/* ingest.h - the extractor seam: from a file's bytes to citable UTF-8 text.
 *
 * One table (ingest.c) names every format the indexer reads.  Each row is
 * an extractor: a name (stored with each passage and used in citations and
 * counts), a test on the file's leading bytes with its extension as a hint,
 * and extract(), which turns the file's bytes into
 *  - UTF-8 text,
 *  - blocks: ranges of the text that passages never cross (a PDF page, an
 *    HTML block element, a DOCX paragraph), each with its locator (page or
 *    paragraph number, page label, section path, anchor),
 *  - segments mapping the text back to the source (lib/cite.h), and
 *  - the document's metadata (title, author, date) as key/value pairs.
 * A new format is one new file and one row of the table.  Extractors whose
 * libraries parse hostile input (PDF, zip) run in a worker process under
 * CPU and memory limits (worker.c), so a crash or a hang costs one file.
 */
#ifndef CS_INGEST_H
#define CS_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "cite.h"
#include "cybersearch.h"
#include "util.h"

CS_BEGIN_DECLS

/* A range of text that passages do not cross, and its locator.  The
 * strings are offsets into the extraction's strs (0 is ""). */
typedef struct cs_block {
    size_t t0, t1;
    uint32_t unit;           /* page or paragraph number (1-based); 0 none */
    size_t label, section, anchor;
} cs_block_t;

typedef struct cs_extract {
    const char *text;        /* the text: owned.data, or the file's own bytes */
    size_t len;
    cs_buf_t owned;
    int encoding;            /* text files: CS_ENC_* of the source */
    uint64_t base;           /* text files: source offset of text offset 0 (a BOM) */
    const char *unit_kind;   /* static: "page", "paragraph" or "" */
    cs_seg_t *segs;          /* NULL for text files (their encoding maps them) */
    size_t n_segs, cap_segs;
    cs_block_t *blocks;
    size_t n_blocks, cap_blocks;
    cs_buf_t strs;           /* NUL-ended strings, "" at offset 0 */
    cs_buf_t meta;           /* "key\0value\0" pairs: title, author, date */
    char why[256];           /* why the file is skipped */
    int nomem;               /* an allocation failed */
} cs_extract_t;

typedef struct cs_extractor {
    const char *name;        /* "text", "html", "pdf", "docx" */
    /* 2: the content says it is ours; 1: only the extension (or nothing
     * against it, for text); 0: not ours.  @head holds up to
     * CS_SNIFF_BYTES leading bytes; @ext is the extension without the dot,
     * or "". */
    int (*sniff)(const unsigned char *head, size_t len, const char *ext);
    /* CS_OK; CS_ERR_INVALID with x->why set (skip the file); CS_ERR_NOMEM */
    cs_status_t (*extract)(const char *data, size_t len, cs_extract_t *x);
    int isolate;             /* run in a worker process (worker.c) */
} cs_extractor_t;

#define CS_SNIFF_BYTES 4096

/* The table's rows, NULL past the last. */
const cs_extractor_t *_cs_ingest_extractor(size_t i);
size_t _cs_ingest_index(const cs_extractor_t *x);

/* The extractor for the file @name holding @len bytes of @data, or NULL
 * with a one-line reason in @why ("no extractor for PNG images"). */
const cs_extractor_t *_cs_ingest_choose(const char *name, const char *data, size_t len,
                                        char *why, size_t why_size);

/* Run @x over @data into @out (initialised here; free it with
 * _cs_extract_free), in a worker process when the row asks for one. */
cs_status_t _cs_ingest_extract(const cs_extractor_t *x, const char *data, size_t len,
                               cs_extract_t *out);

/* ---- for extractors ---------------------------------------------------- */

void _cs_extract_init(cs_extract_t *x);
void _cs_extract_free(cs_extract_t *x);
/* Set x->why; returns CS_ERR_INVALID. */
cs_status_t _cs_extract_skip(cs_extract_t *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append text to x->owned (x->text follows it). */
void _cs_extract_text(cs_extract_t *x, const char *s, size_t len);
/* Add a segment starting at the current end of the text. */
void _cs_extract_seg(cs_extract_t *x, const cs_seg_t *seg);
/* Append @s, in a segment mapping to @s0..@s1 at @line:@col. */
void _cs_extract_mapped(cs_extract_t *x, const char *s, size_t len, uint64_t s0,
                        uint64_t s1, uint32_t line, uint32_t col, int verbatim);
/* Store a string; its offset in x->strs. */
size_t _cs_extract_str(cs_extract_t *x, const char *s, size_t len);
/* End a block at the current end of the text, begun at @t0 (empty and
 * all-space blocks are dropped). */
void _cs_extract_block(cs_extract_t *x, size_t t0, uint32_t unit, size_t label,
                       size_t section, size_t anchor);
/* A heading of @level (1-based, at most @n_levels) opens a section: set
 * headings[level - 1] to @text (strs offsets), forget deeper ones, and
 * return the section path, the open headings joined by " > ". */
size_t _cs_extract_heading(cs_extract_t *x, size_t *headings, int n_levels, int level,
                           const char *text, size_t len);
void _cs_extract_meta(cs_extract_t *x, const char *key, const char *value);
/* The metadata value of @key, or NULL. */
const char *_cs_extract_meta_get(const cs_extract_t *x, const char *key);
/* The status the extraction ends with. */
cs_status_t _cs_extract_status(const cs_extract_t *x);

/* ---- encodings (text.c) ---------------------------------------------------- */

/* Decode @len bytes of CS_ENC_* @enc as UTF-8 onto @out, one character for
 * each source character (U+FFFD for one that does not decode).  CS_OK;
 * CS_ERR_INVALID with @why set; CS_ERR_NOMEM. */
cs_status_t _cs_decode(const char *data, size_t len, int enc, cs_buf_t *out, char *why,
                       size_t why_size);
/* Is @s, not valid UTF-8, an old 8-bit file (more invalid bytes than valid
 * multi-byte characters), to be read as Windows-1252? */
int _cs_is_legacy_8bit(const char *s, size_t len);

/* ---- the extractors (one file each) ------------------------------------ */

int _cs_text_sniff(const unsigned char *head, size_t len, const char *ext);
cs_status_t _cs_text_extract(const char *data, size_t len, cs_extract_t *x);
int _cs_html_sniff(const unsigned char *head, size_t len, const char *ext);
cs_status_t _cs_html_extract(const char *data, size_t len, cs_extract_t *x);
/* PDF and DOCX: recognized in the library (helper_formats.c), parsed in
 * cybersearch-extract only (pdf.c, docx.c: libparsers), which finds their
 * extract functions with _cs_ingest_parser(); the library's table has no
 * parser for them. */
int _cs_pdf_sniff(const unsigned char *head, size_t len, const char *ext);
cs_status_t _cs_pdf_extract(const char *data, size_t len, cs_extract_t *x);
int _cs_docx_sniff(const unsigned char *head, size_t len, const char *ext);
cs_status_t _cs_docx_extract(const char *data, size_t len, cs_extract_t *x);
/* An extractor's extract function (cs_extractor_t's). */
typedef cs_status_t (*cs_extract_fn)(const char *data, size_t len, cs_extract_t *x);
/* The extract function of the parser named @name (libparsers), or NULL. */
cs_extract_fn _cs_ingest_parser(const char *name);

/* ---- worker.c ---------------------------------------------------------- */

/* Run @x in a helper process (cybersearch-extract) under CPU and
 * address-space limits; the result comes back through a pipe. */
cs_status_t _cs_ingest_isolated(const cs_extractor_t *x, const char *data, size_t len,
                                cs_extract_t *out);
/* The worker's limits: CPU seconds, wall-clock seconds, address space in
 * bytes (for tests; not thread-safe: set them before a run). */
void _cs_ingest_set_limits(int cpu_seconds, int wall_seconds, size_t address_space);
/* Run the program at @path as the helper (NULL: find it as worker.c says);
 * for tests, whose own program serves as one.  Not thread-safe. */
void _cs_ingest_set_helper(const char *path);
/* The helper's main(): `PROGRAM --worker EXTRACTOR CPU_SECONDS BYTES` with
 * the file's bytes on stdin; the result goes to stdout.  @find maps the
 * extractor's name to its extract function (_cs_ingest_parser, or a
 * test's own), NULL for none. */
int _cs_ingest_worker_main(int argc, char **argv, cs_extract_fn (*find)(const char *name));

CS_END_DECLS

#endif /* CS_INGEST_H */
