/* fuzz_passages.c - libFuzzer target for the passage splitter.
 *
 * Any bytes are a file.  Invariants, for a generous and a tiny word limit:
 * passages come in order and never overlap; each lies inside the file, is
 * not empty and is trimmed (its first and last bytes are not white space);
 * its line and column are those of its start, counted here independently
 * ('\n' ends lines, columns count bytes from 1); no passage holds a blank
 * line in the line-per-paragraph layout.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "passages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct check {
    const char *text;
    size_t len;
    size_t last_end;
    size_t line_at, line, line_start; /* an incremental line count */
    size_t count;
} check_t;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int on_passage(void *ctx, const cs_passage_t *p)
{
    check_t *c = ctx;
    assert(p->start < p->end && p->end <= c->len);
    assert(p->start >= c->last_end);
    assert(!is_space((unsigned char)c->text[p->start]));
    assert(!is_space((unsigned char)c->text[p->end - 1]));
    for (; c->line_at < p->start; c->line_at++)
        if (c->text[c->line_at] == '\n') {
            c->line++;
            c->line_start = c->line_at + 1;
        }
    assert(p->line == c->line);
    assert(p->col == p->start - c->line_start + 1);
    c->last_end = p->end;
    c->count++;
    return 0;
}

/* Where a blank line (two '\n' with only spaces between) lies inside a
 * passage of the line layout, the splitter merged two paragraphs. */
static int blank_line_inside(void *ctx, const cs_passage_t *p)
{
    const char *t = ((check_t *)ctx)->text;
    for (size_t i = p->start; i < p->end; i++) {
        if (t[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < p->end && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r'))
            j++;
        assert(j >= p->end || t[j] != '\n');
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    static const size_t limits[] = { CS_PASSAGE_MAX_WORDS, 3 };
    for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
        check_t c = { text, size, 0, 0, 1, 0, 0 };
        int layout = cs_split_passages(text, size, limits[k], on_passage, &c);
        assert(layout == CS_LAYOUT_LINES || layout == CS_LAYOUT_WRAPPED || layout == -1);
        if (layout == CS_LAYOUT_LINES) {
            check_t b = { text, size, 0, 0, 1, 0, 0 };
            cs_split_passages(text, size, limits[k], blank_line_inside, &b);
        }
    }
    return 0;
}
