/* ingest.c - the table of extractors, choosing one, and their results. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"

/* Order breaks ties between equal sniffs: text, the catch-all, is last. */
static const cs_extractor_t table[] = {
    { "pdf", _cs_pdf_sniff, NULL, 1 },       /* parsed in the helper */
    { "html", _cs_html_sniff, _cs_html_extract, 0 },
    { "docx", _cs_docx_sniff, NULL, 1 },
    { "text", _cs_text_sniff, _cs_text_extract, 0 },
};

#define N_EXTRACTORS (sizeof table / sizeof *table)
_Static_assert(N_EXTRACTORS <= CS_FORMATS_MAX, "grow CS_FORMATS_MAX");

const cs_extractor_t *_cs_ingest_extractor(size_t i)
{
    return i < N_EXTRACTORS ? &table[i] : NULL;
}

const char *cs_format_name(size_t i)
{
    return i < N_EXTRACTORS ? table[i].name : NULL;
}

size_t _cs_ingest_index(const cs_extractor_t *x)
{
    return (size_t)(x - table);
}

/* What a file no extractor takes seems to be, for the skip message. */
static const char *describe(const unsigned char *h, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } known[] = {
        { "\x89PNG", 4, "PNG images" },
        { "\xFF\xD8\xFF", 3, "JPEG images" },
        { "GIF8", 4, "GIF images" },
        { "\xD0\xCF\x11\xE0", 4, "old Microsoft Office files (.doc, .xls, .ppt)" },
        { "{\\rtf", 5, "RTF documents" },
        { "\x1F\x8B", 2, "gzip archives" },
        { "\x7F" "ELF", 4, "programs (ELF)" },
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (n >= known[i].len && memcmp(h, known[i].magic, known[i].len) == 0)
            return known[i].what;
    if (n >= 4 && memcmp(h, "PK\3\4", 4) == 0) {
        if (memmem(h, n, "opendocument.text", 17))
            return "OpenDocument text";
        if (memmem(h, n, "opendocument", 12))
            return "OpenDocument files";
        return "zip archives";
    }
    return "binary data (it holds NUL bytes)";
}

const cs_extractor_t *_cs_ingest_choose(const char *name, const char *data, size_t len,
                                        char *why, size_t why_size)
{
    const char *dot = strrchr(name, '/');
    dot = strrchr(dot ? dot + 1 : name, '.');
    const char *ext = dot && dot[1] ? dot + 1 : "";
    size_t n = len < CS_SNIFF_BYTES ? len : CS_SNIFF_BYTES;
    const unsigned char *head = (const unsigned char *)data;
    const cs_extractor_t *best = NULL;
    int best_score = 0;
    for (size_t i = 0; i < N_EXTRACTORS; i++) {
        int score = table[i].sniff(head, n, ext);
        if (score > best_score) {
            best = &table[i];
            best_score = score;
        }
    }
    if (!best)
        snprintf(why, why_size, "no extractor for %s", describe(head, n));
    return best;
}

cs_status_t _cs_ingest_extract(const cs_extractor_t *x, const char *data, size_t len,
                               cs_extract_t *out)
{
    if (x->isolate)
        return _cs_ingest_isolated(x, data, len, out);
    _cs_extract_init(out);
    cs_status_t st = x->extract(data, len, out);
    return st ? st : _cs_extract_status(out);
}

/* ---- results ------------------------------------------------------------ */

void _cs_extract_init(cs_extract_t *x)
{
    memset(x, 0, sizeof *x);
    _cs_buf_init(&x->owned);
    _cs_buf_init(&x->strs);
    _cs_buf_init(&x->meta);
    _cs_buf_append_char(&x->strs, '\0');
    x->unit_kind = "";
    x->text = "";
}

void _cs_extract_free(cs_extract_t *x)
{
    _cs_buf_free(&x->owned);
    _cs_buf_free(&x->strs);
    _cs_buf_free(&x->meta);
    free(x->segs);
    free(x->blocks);
    memset(x, 0, sizeof *x);
}

cs_status_t _cs_extract_skip(cs_extract_t *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, sizeof x->why, fmt, ap);
    va_end(ap);
    return CS_ERR_INVALID;
}

void _cs_extract_text(cs_extract_t *x, const char *s, size_t len)
{
    _cs_buf_append(&x->owned, s, len);
    x->text = x->owned.data ? x->owned.data : "";
    x->len = x->owned.len;
    x->nomem |= x->owned.failed;
}

/* Grow @*items (of @size bytes each) to hold one more. */
static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t c = *cap ? 2 * *cap : 64;
    void *grown = realloc(*items, c * size);
    if (!grown)
        return 0;
    *items = grown;
    *cap = c;
    return 1;
}

void _cs_extract_seg(cs_extract_t *x, const cs_seg_t *seg)
{
    if (!grow((void **)&x->segs, &x->cap_segs, x->n_segs, sizeof *x->segs)) {
        x->nomem = 1;
        return;
    }
    /* member by member into zeroed memory: the worker sends these arrays
     * as bytes, padding included, and should send no uninitialised ones */
    cs_seg_t *g = &x->segs[x->n_segs++];
    memset(g, 0, sizeof *g);
    g->t0 = x->len;
    g->s0 = seg->s0;
    g->s1 = seg->s1;
    g->line = seg->line;
    g->col = seg->col;
    g->verbatim = seg->verbatim;
    g->box.page = seg->box.page;
    g->box.x0 = seg->box.x0;
    g->box.y0 = seg->box.y0;
    g->box.x1 = seg->box.x1;
    g->box.y1 = seg->box.y1;
}

void _cs_extract_mapped(cs_extract_t *x, const char *s, size_t len, uint64_t s0,
                        uint64_t s1, uint32_t line, uint32_t col, int verbatim)
{
    if (!len)
        return;
    cs_seg_t *last = x->n_segs ? &x->segs[x->n_segs - 1] : NULL;
    if (verbatim && last && last->verbatim && last->s1 == s0 && !last->box.page &&
        last->s1 - last->s0 == x->len - last->t0) {
        last->s1 = s1;  /* the source runs on: one segment */
    } else {
        cs_seg_t g = { 0, s0, s1, line, col, verbatim, { 0, 0, 0, 0, 0 } };
        _cs_extract_seg(x, &g);
    }
    _cs_extract_text(x, s, len);
}

size_t _cs_extract_str(cs_extract_t *x, const char *s, size_t len)
{
    if (!len)
        return 0;
    size_t at = x->strs.len;
    _cs_buf_append(&x->strs, s, len);
    _cs_buf_append_char(&x->strs, '\0');
    x->nomem |= x->strs.failed;
    return x->strs.failed ? 0 : at;
}

void _cs_extract_block(cs_extract_t *x, size_t t0, uint32_t unit, size_t label,
                       size_t section, size_t anchor)
{
    size_t t1 = x->len;
    size_t i = t0;
    while (i < t1 && (x->text[i] == ' ' || x->text[i] == '\n' || x->text[i] == '\t'))
        i++;
    if (i == t1)
        return;
    if (!grow((void **)&x->blocks, &x->cap_blocks, x->n_blocks, sizeof *x->blocks)) {
        x->nomem = 1;
        return;
    }
    cs_block_t *b = &x->blocks[x->n_blocks++];
    memset(b, 0, sizeof *b);  /* padding too: see _cs_extract_seg */
    b->t0 = t0;
    b->t1 = t1;
    b->unit = unit;
    b->label = label;
    b->section = section;
    b->anchor = anchor;
}

size_t _cs_extract_heading(cs_extract_t *x, size_t *headings, int n_levels, int level,
                           const char *text, size_t len)
{
    headings[level - 1] = _cs_extract_str(x, text, len);
    for (int i = level; i < n_levels; i++)
        headings[i] = 0;
    cs_buf_t path;
    _cs_buf_init(&path);
    for (int i = 0; i < n_levels; i++) {
        if (!headings[i])
            continue;
        if (path.len)
            _cs_buf_append_str(&path, " > ");
        _cs_buf_append_str(&path, x->strs.data + headings[i]);
    }
    size_t section = _cs_extract_str(x, path.data ? path.data : "", path.len);
    x->nomem |= path.failed;
    _cs_buf_free(&path);
    return section;
}

void _cs_extract_meta(cs_extract_t *x, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    _cs_buf_append(&x->meta, key, strlen(key) + 1);
    _cs_buf_append(&x->meta, value, strlen(value) + 1);
    x->nomem |= x->meta.failed;
}

const char *_cs_extract_meta_get(const cs_extract_t *x, const char *key)
{
    for (size_t i = 0; i < x->meta.len;) {
        const char *k = x->meta.data + i;
        const char *v = k + strlen(k) + 1;
        if (strcmp(k, key) == 0)
            return v;
        i = (size_t)(v + strlen(v) + 1 - x->meta.data);
    }
    return NULL;
}

cs_status_t _cs_extract_status(const cs_extract_t *x)
{
    /* a failed append leaves its buffer marked failed (and strs' first
     * "" missing, which every block's label points at) */
    return x->nomem || x->owned.failed || x->strs.failed || x->meta.failed ? CS_ERR_NOMEM
                                                                           : CS_OK;
}
