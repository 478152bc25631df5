/* fuzz_extract.c - libFuzzer target for the in-process extractors and the
 * citation map.
 *
 * The first byte picks what the rest is: an HTML page, a text file (in
 * any encoding: the extractor sniffs byte order marks and Windows-1252),
 * or a passage record's segment list.  Whatever the input, an extraction
 * must hold blocks and segments in order inside its text, every segment's
 * source inside the file, and every citation of every block inside the
 * file; the segments of each block, encoded as a passage record keeps
 * them and decoded again, must cite the same range.
 */
#include "extract_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    cs_extract_t x;
    _cs_extract_init(&x);
    switch (data[0] % 3) {
    case 0:
        if (_cs_html_extract(in, len, &x) == CS_OK)
            check(&x, len);
        break;
    case 1:
        if (_cs_text_extract(in, len, &x) == CS_OK)
            check(&x, len);
        break;
    default: {
        cs_seg_t *segs;
        size_t n;
        if (_cs_segs_decode(in, len, 1000, &segs, &n))
            free(segs);
        else
            CHECK(!segs && !n);
    }
    }
    _cs_extract_free(&x);
    return 0;
}
