/* cite.c - mapping extracted text back to the source (see cite.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

const char *_cs_encoding_name(int enc)
{
    static const char *const names[CS_ENC_COUNT] = { "UTF-8", "WINDOWS-1252", "UTF-16LE",
                                                     "UTF-16BE" };
    return enc >= 0 && enc < CS_ENC_COUNT ? names[enc] : "UTF-8";
}

void _cs_cite_map_init(cs_cite_map_t *m, const char *text, size_t len, int encoding,
                       const cs_seg_t *segs, size_t n_segs, uint64_t base, uint32_t line,
                       uint32_t col)
{
    *m = (cs_cite_map_t){ text, len, encoding, segs, n_segs, 0, { (size_t)base, line, col },
                          base, line, col, NULL };
}

void _cs_cite_map_free(cs_cite_map_t *m)
{
    free(m->owned);
    m->owned = NULL;
    m->segs = NULL;
    m->n_segs = 0;
}

/* Source bytes of the UTF-8 character of @n bytes in a file of @enc: one
 * byte a character in Windows-1252, two UTF-16 units beyond the BMP. */
static uint64_t source_width(int enc, size_t n)
{
    switch (enc) {
    case CS_ENC_CP1252: return 1;
    case CS_ENC_UTF16LE:
    case CS_ENC_UTF16BE: return n == 4 ? 4 : 2;
    default: return n;
    }
}

/* Move a text file's cursor to text offset @t. */
static void text_seek(cs_cite_map_t *m, size_t t)
{
    if (t < m->at) {
        m->at = 0;
        m->pos = (cs_linecol_t){ (size_t)m->base, m->base_line, m->base_col };
    }
    if (t > m->len)
        t = m->len;
    if (m->encoding == CS_ENC_UTF8) {  /* the text is the source */
        _cs_linecol_advance(&m->pos, m->text, (size_t)m->base, (size_t)m->base + t);
        m->at = t;
        return;
    }
    const unsigned char *s = (const unsigned char *)m->text;
    while (m->at < t) {
        size_t n = _cs_utf8_valid_len(s + m->at, m->len - m->at);
        if (!n)
            n = 1;
        uint64_t w = source_width(m->encoding, n);
        if (s[m->at] == '\n') {
            m->pos.line++;
            m->pos.col = 1;
        } else {
            m->pos.col += (uint32_t)w;
        }
        m->pos.offset += (size_t)w;
        m->at += n;
    }
}

size_t _cs_segs_find(const cs_seg_t *segs, size_t n, uint64_t t)
{
    size_t lo = 0, hi = n;  /* the last segment with t0 <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (segs[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Source position of text offset @t within segment @g. */
static void seg_position(const cs_cite_map_t *m, const cs_seg_t *g, size_t t, cs_span_t *out)
{
    out->start = g->s0;
    out->line = g->line;
    out->col = g->col;
    if (!g->verbatim || t <= g->t0)
        return;
    cs_linecol_t pos = { (size_t)g->s0, g->line, g->col };
    _cs_linecol_advance(&pos, m->text + g->t0, (size_t)g->s0, (size_t)(g->s0 + (t - g->t0)));
    *out = (cs_span_t){ pos.offset, 0, pos.line, pos.col };
}

/* Source offset one past text [.., t1), in the segment holding t1 - 1. */
static uint64_t seg_end(const cs_cite_map_t *m, size_t t1)
{
    const cs_seg_t *g = &m->segs[_cs_segs_find(m->segs, m->n_segs, t1 ? t1 - 1 : 0)];
    return g->verbatim ? g->s0 + (t1 - g->t0) : g->s1;
}

cs_span_t _cs_cite_span(cs_cite_map_t *m, size_t t0, size_t t1)
{
    cs_span_t span = { 0, 0, 0, 0 };
    if (!m->segs) {
        text_seek(m, t0);
        span = (cs_span_t){ m->pos.offset, 0, m->pos.line, m->pos.col };
        cs_cite_map_t end = *m;
        text_seek(&end, t1);
        span.end = end.pos.offset;
        return span;
    }
    if (!m->n_segs)
        return span;
    seg_position(m, &m->segs[_cs_segs_find(m->segs, m->n_segs, t0)], t0, &span);
    span.end = seg_end(m, t1);
    if (span.end < span.start)
        span.end = span.start;
    return span;
}

void _cs_cite_box(const cs_cite_map_t *m, size_t t0, size_t t1, cs_box_t *box)
{
    memset(box, 0, sizeof *box);
    if (!m->segs || !m->n_segs)
        return;
    size_t i = _cs_segs_find(m->segs, m->n_segs, t0);
    const cs_seg_t *first = &m->segs[i];
    *box = first->box;
    /* the union with the following segments on the same line (the
     * characters of a CJK word), not with a hyphenated word's second part */
    for (i++; i < m->n_segs && m->segs[i].t0 < t1; i++) {
        const cs_seg_t *g = &m->segs[i];
        if (!g->box.page || g->box.page != box->page || g->line != first->line)
            break;
        box->x0 = g->box.x0 < box->x0 ? g->box.x0 : box->x0;
        box->y0 = g->box.y0 < box->y0 ? g->box.y0 : box->y0;
        box->x1 = g->box.x1 > box->x1 ? g->box.x1 : box->x1;
        box->y1 = g->box.y1 > box->y1 ? g->box.y1 : box->y1;
    }
}

/* ---- segments in a passage record --------------------------------------- */

#define SEG_VERBATIM 1
#define SEG_BOX 2
#define BOX_SCALE 100.0  /* boxes are stored in hundredths of a point */

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static void put_seg(cs_buf_t *out, const cs_seg_t *g, uint64_t t0, uint64_t base)
{
    _cs_buf_append_varint(out, g->t0 - t0);
    _cs_buf_append_varint(out, zz((int64_t)(g->s0 - base)));
    _cs_buf_append_varint(out, g->s1 - g->s0);
    _cs_buf_append_varint(out, g->line);
    _cs_buf_append_varint(out, g->col);
    _cs_buf_append_varint(out, (g->verbatim ? SEG_VERBATIM : 0) | (g->box.page ? SEG_BOX : 0));
    if (g->box.page) {
        _cs_buf_append_varint(out, g->box.page);
        const double v[4] = { g->box.x0, g->box.y0, g->box.x1, g->box.y1 };
        for (int i = 0; i < 4; i++)
            _cs_buf_append_varint(out, zz(llround(v[i] * BOX_SCALE)));
    }
}

void _cs_segs_encode(cs_cite_map_t *m, size_t t0, size_t t1, cs_buf_t *out)
{
    if (!m->segs || !m->n_segs || t1 <= t0)
        return;
    cs_span_t first = _cs_cite_span(m, t0, t0 + 1);
    for (size_t i = _cs_segs_find(m->segs, m->n_segs, t0); i < m->n_segs; i++) {
        cs_seg_t g = m->segs[i];
        if (g.t0 >= t1)
            break;
        if (g.t0 < t0) {  /* cut at the passage's start */
            if (g.verbatim)
                g.s0 = first.start;
            g.line = first.line;
            g.col = first.col;
            g.t0 = t0;
        }
        put_seg(out, &g, t0, first.start);
    }
}

int _cs_segs_decode(const char *data, size_t len, uint64_t base, cs_seg_t **segs,
                    size_t *n)
{
    *segs = NULL;
    *n = 0;
    if (!len)
        return 1;
    size_t cap = 0;
    cs_reader_t r;
    _cs_reader_init(&r, data, len);
    while (r.p < r.end && !r.bad) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            cs_seg_t *grown = realloc(*segs, cap * sizeof *grown);
            if (!grown) {
                free(*segs);
                *segs = NULL;
                return 0;
            }
            *segs = grown;
        }
        cs_seg_t *g = &(*segs)[(*n)++];
        memset(g, 0, sizeof *g);
        g->t0 = _cs_reader_varint(&r);
        g->s0 = base + (uint64_t)unzz(_cs_reader_varint(&r));
        g->s1 = g->s0 + _cs_reader_varint(&r);
        g->line = (uint32_t)_cs_reader_varint(&r);
        g->col = (uint32_t)_cs_reader_varint(&r);
        uint64_t flags = _cs_reader_varint(&r);
        g->verbatim = (flags & SEG_VERBATIM) != 0;
        if (flags & SEG_BOX) {
            g->box.page = (uint32_t)_cs_reader_varint(&r);
            double *v[4] = { &g->box.x0, &g->box.y0, &g->box.x1, &g->box.y1 };
            for (int i = 0; i < 4; i++)
                *v[i] = (double)unzz(_cs_reader_varint(&r)) / BOX_SCALE;
        }
    }
    if (r.bad) {  /* a malformed record: no segments rather than wrong ones */
        free(*segs);
        *segs = NULL;
        *n = 0;
    }
    return !r.bad;
}
