/* extract_check.h - the contract every extraction obeys, checked by the
 * extractor fuzz targets (fuzz_extract.c, fuzz_pdf.c, fuzz_docx.c): blocks
 * and segments in order inside the text, every segment's source inside
 * @source_len (the file's bytes for text and HTML; the document's own text
 * for PDF and DOCX, whose segments cite offsets in it), every citation of
 * every block inside it, and a block's segments, encoded as a passage
 * record keeps them and decoded again, citing the same range.  Included
 * once per target; EXTRACTOR_FUZZ_TARGET(fn) is a whole target for the
 * extractor @fn of a document format (fuzz_pdf.c, fuzz_docx.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static void check(const cs_extract_t *x, size_t file_len)
{
    for (size_t i = 0; i < x->n_blocks; i++) {
        const cs_block_t *b = &x->blocks[i];
        CHECK(b->t0 < b->t1 && b->t1 <= x->len);
        CHECK(b->label < x->strs.len && b->section < x->strs.len && b->anchor < x->strs.len);
    }
    for (size_t i = 0; i < x->n_segs; i++) {
        CHECK(x->segs[i].t0 <= x->len);
        CHECK(i == 0 || x->segs[i].t0 >= x->segs[i - 1].t0);
        CHECK(x->segs[i].s0 <= x->segs[i].s1 && x->segs[i].s1 <= file_len);
    }
    cs_cite_map_t m;
    _cs_cite_map_init(&m, x->text, x->len, x->encoding, x->segs, x->n_segs, x->base, 1, 1);
    for (size_t i = 0; i < x->n_blocks; i++) {
        const cs_block_t *b = &x->blocks[i];
        cs_span_t s = _cs_cite_span(&m, b->t0, b->t1);
        CHECK(s.start <= s.end && s.end <= file_len);
        if (!x->n_segs)
            continue;
        /* the passage record's view of the same block */
        cs_buf_t enc;
        _cs_buf_init(&enc);
        _cs_segs_encode(&m, b->t0, b->t1, &enc);
        cs_seg_t *segs;
        size_t n;
        CHECK(_cs_segs_decode(enc.data ? enc.data : "", enc.len, s.start, &segs, &n));
        cs_cite_map_t pm;
        _cs_cite_map_init(&pm, x->text + b->t0, b->t1 - b->t0, 0, segs, n, s.start, s.line,
                          s.col);
        cs_span_t again = _cs_cite_span(&pm, 0, b->t1 - b->t0);
        CHECK(again.start == s.start && again.end == s.end);
        CHECK(again.line == s.line && again.col == s.col);
        free(segs);
        _cs_buf_free(&enc);
    }
}

/* LLVMFuzzerTestOneInput for the extractor @fn: the whole input is the
 * file; an extraction that succeeds is check()ed against its own text. */
#define EXTRACTOR_FUZZ_TARGET(fn)                                        \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);        \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)         \
    {                                                                    \
        cs_extract_t x;                                                  \
        _cs_extract_init(&x);                                            \
        if (fn((const char *)data, size, &x) == CS_OK)                   \
            check(&x, x.len);                                            \
        _cs_extract_free(&x);                                            \
        return 0;                                                        \
    }
