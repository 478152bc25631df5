/* fuzz_tokenizer.c - libFuzzer target for the analyzer.
 *
 * Tokenizes the input with a stemming and a non-stemming analyzer and
 * checks every token against the contract in analysis/analyzer.h: offsets
 * in range, positions increasing, terms short and NUL-terminated, tokens
 * disjoint except CJK bigrams, and each term equal to the normalization of
 * its bytes.  Then normalizes slices of the input into buffers of every
 * small size, and stops tokenizing early at a point taken from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

typedef struct check {
    const uint8_t *data;
    size_t size;
    uint32_t first, next;   /* first position; expected next position */
    size_t last_end;        /* end of the previous non-CJK token */
    size_t count, stop_after;
    cs_analyzer_t *an;
} check_t;

static int on_token(void *ctx, const cs_token_t *t)
{
    check_t *c = ctx;
    char buf[CS_TERM_MAX + 1];

    CHECK(t->start < t->end && t->end <= c->size);
    CHECK(t->position >= c->next);
    c->next = t->position + 1;
    CHECK(t->term && t->term_len > 0 && t->term_len <= CS_TERM_MAX);
    CHECK(strlen(t->term) == t->term_len);
    CHECK(t->stem && strlen(t->stem) == t->stem_len && t->stem_len > 0);
    if (!(t->flags & CS_TOKEN_CJK)) {
        CHECK(t->start >= c->last_end);
        c->last_end = t->end;
    }
    size_t n = cs_analyzer_normalize((const char *)c->data + t->start,
                                     t->end - t->start, buf, sizeof buf);
    CHECK(n == t->term_len && memcmp(buf, t->term, n) == 0);
    n = cs_analyzer_stem(c->an, t->term, t->term_len, buf, sizeof buf);
    CHECK(n == (size_t)-1 || n < sizeof buf);
    return ++c->count == c->stop_after;
}

static void tokenize(cs_analyzer_t *an, const uint8_t *data, size_t size,
                     size_t stop_after)
{
    check_t c = {data, size, 7, 7, 0, 0, stop_after, an};
    uint32_t next = cs_analyzer_tokenize(an, (const char *)data, size, 7,
                                         on_token, &c);
    CHECK(next >= c.next);
    CHECK(stop_after == 0 || c.count <= stop_after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cs_analyzer_t *english, *none;
    if (!english) {
        CHECK(cs_analyzer_new("english", &english, NULL) == CS_OK);
        CHECK(cs_analyzer_new("none", &none, NULL) == CS_OK);
    }

    /* A copy with no slack after it, so ASan sees any over-read. */
    uint8_t *copy = malloc(size ? size : 1);
    CHECK(copy);
    memcpy(copy, data, size);

    tokenize(english, copy, size, 0);
    tokenize(none, copy, size, 0);
    if (size > 0)
        tokenize(english, copy, size, 1 + copy[0] % 8);

    /* Normalize slices into buffers of sizes 1..17: the result must fit
     * or be (size_t)-1, never overflow. */
    for (size_t off = 0; off < size; off += 1 + off / 2) {
        char buf[17];
        size_t len = size - off;
        size_t bufsize = 1 + (copy[off] % sizeof buf);
        size_t n = cs_analyzer_normalize((const char *)copy + off, len, buf,
                                         bufsize);
        CHECK(n == (size_t)-1 || (n < bufsize && buf[n] == '\0' &&
                                  strlen(buf) == n));
    }
    free(copy);
    return 0;
}
