/* fuzz_snippet.c - libFuzzer target for snippets and their citations.
 *
 * Input: query words, a NUL byte, then a passage's text (no NUL: a passage
 * is the content of a text file); without a NUL, the first line is the
 * query.  The passage is cited as if it began at byte 1000 of its file, on
 * line 7, column 3.  Invariants: the snippet is valid UTF-8 with no control
 * character (C0, DEL, C1, bidi controls and marks); its marks lie inside it, in order, without
 * overlap; each highlight's source range lies inside the passage, is
 * exactly one of the passage's tokens, with a stem the query highlights,
 * and carries the line and column of its start, counted here independently.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { CITE_START = 1000, CITE_LINE = 7, CITE_COL = 3 };

static cs_analyzer_t *analyzer;

static int add_stem(void *ctx, const cs_token_t *t)
{
    _cs_matchset_add(ctx, t->stem, t->stem_len, t->term, 1);
    return 0;
}

/* The analyzer reads a word in its context (an all-capitals line is not a
 * row of acronyms), so a highlight is checked against the passage's own
 * tokens: one of them spans exactly its bytes, with a highlighted stem. */
typedef struct found {
    const cs_matchset_t *matches;
    size_t start, end;
    int hit;
    size_t reach;       /* end of the chain of matched tokens from start */
} found_t;

/* A highlight is one matched token, or a chain of overlapping matched CJK
 * bigrams made one mark: it starts where a matched token starts, and
 * matched tokens, each overlapping the one before, reach its end. */
static int is_match(void *ctx, const cs_token_t *t)
{
    found_t *f = ctx;
    if (_cs_matchset_lookup(f->matches, t) < 0 || t->start < f->start || t->end > f->end)
        return 0;
    if (t->start == f->start)
        f->reach = t->end;
    else if (f->reach && t->start < f->reach && t->end > f->reach)
        f->reach = t->end;
    if (f->reach == f->end)
        f->hit = 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!analyzer && cs_analyzer_new("english", &analyzer, NULL) != CS_OK)
        abort();
    const char *in = (const char *)data;
    const char *cut = memchr(in, '\0', size);
    if (!cut)
        cut = memchr(in, '\n', size);
    size_t qlen = cut ? (size_t)(cut - in) : 0;
    const char *text = cut ? cut + 1 : in;
    size_t len = size - (size_t)(text - in);
    if (memchr(text, '\0', len))
        return 0;

    cs_matchset_t matches = { 0 };
    cs_analyzer_tokenize(analyzer, in, qlen, 0, add_stem, &matches);
    cs_passage_record_t rec = { 0 };
    rec.path = "fuzz.txt";
    rec.path_len = 8;
    rec.start = CITE_START;
    rec.end = CITE_START + len;
    rec.line = CITE_LINE;
    rec.col = CITE_COL;
    rec.text = text;
    rec.text_len = len;

    for (int window = 3; window <= 40; window += 37) {
        cs_snippet_t sn;
        if (!_cs_snippet_make(analyzer, &matches, NULL, &rec, window, &sn))
            continue;  /* out of memory */
        const unsigned char *s = (const unsigned char *)sn.text.data;
        for (size_t i = 0; i < sn.text.len;) {
            size_t n = _cs_utf8_valid_len(s + i, sn.text.len - i);
            assert(n > 0);
            uint32_t cp = _cs_utf8_decode(s + i, n);
            /* C0, DEL, C1, bidi controls and marks */
            assert(cp >= 0x20 && !_cs_codepoint_is_control(cp));
            i += n;
        }
        size_t last_mark = 0;
        for (size_t k = 0; k < sn.count; k++) {
            size_t a = sn.marks[2 * k], b = sn.marks[2 * k + 1];
            assert(a >= last_mark && a < b && b <= sn.text.len);
            last_mark = b;
            cs_span_t h = sn.highlights[k];
            assert(h.start >= CITE_START && h.start < h.end && h.end <= CITE_START + len);
            size_t off = (size_t)(h.start - CITE_START);
            uint32_t line = CITE_LINE, col = CITE_COL;
            for (size_t i = 0; i < off; i++) {
                if (text[i] == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            assert(h.line == line && h.col == col);
            found_t f = { &matches, off, (size_t)(h.end - CITE_START), 0, 0 };
            cs_analyzer_tokenize(analyzer, text, len, 0, is_match, &f);
            assert(f.hit);
        }
        _cs_snippet_free(&sn);
    }
    _cs_matchset_free(&matches);
    return 0;
}
