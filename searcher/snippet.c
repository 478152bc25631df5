/* snippet.c - choosing, cutting and marking a passage's snippet.
 *
 * The passage is tokenized again with the index's analyzer (so highlights
 * fall exactly on the words that matched), the window of about N words with
 * the best score is kept (each distinct query word found counts its idf
 * weight, repeats a little), and the text is copied out with white space
 * folded, control characters and terminal escapes removed and invalid UTF-8
 * replaced, while each highlight's range is recorded both in the snippet
 * and in the source file.
 */
#include <stdlib.h>
#include <string.h>

#include "search_private.h"

#define DISTINCT_BONUS 1000.0  /* a new query word beats any number of repeats */
#define REPEAT_BONUS 1.0
#define LEAD_IN_WORDS 4        /* context words kept before the first match */

typedef struct tok {
    size_t start, end;
    int match;        /* index into the match set, or -1; after the plan
                         has marked the passage, -1 unless a real match */
    uint32_t position;
} tok_t;

typedef struct tok_list {
    tok_t *items;
    size_t count, cap;
    const cs_matchset_t *matches;
    int nomem;
} tok_list_t;

static int collect(void *ctx, const cs_token_t *t)
{
    tok_list_t *l = ctx;
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        tok_t *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->nomem = 1;
            return 1;
        }
        l->items = items;
        l->cap = cap;
    }
    int match = _cs_matchset_lookup(l->matches, t);
    l->items[l->count++] = (tok_t){ t->start, t->end, match, t->position };
    return 0;
}

static double window_score(const tok_list_t *l, const cs_matchset_t *m, size_t from,
                           size_t to, unsigned char *seen)
{
    memset(seen, 0, m->count);
    double score = 0;
    for (size_t i = from; i < to; i++) {
        int k = l->items[i].match;
        if (k < 0)
            continue;
        score += seen[k] ? REPEAT_BONUS : DISTINCT_BONUS * m->items[k].weight;
        seen[k] = 1;
    }
    return score;
}

/* The best window [*from, *to) of at most @size tokens. */
static void best_window(const tok_list_t *l, const cs_matchset_t *m, size_t size,
                        unsigned char *seen, size_t *from, size_t *to)
{
    double best = -1;
    *from = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i].match < 0 && i != 0)
            continue;
        size_t start = i > LEAD_IN_WORDS ? i - LEAD_IN_WORDS : 0;
        size_t end = start + size < l->count ? start + size : l->count;
        double score = window_score(l, m, start, end, seen);
        if (score > best) {
            best = score;
            *from = start;
        }
    }
    *to = *from + size < l->count ? *from + size : l->count;
    /* a short passage end: slide back to show a full window */
    if (*to - *from < size && l->count >= size)
        *from = l->count - size;
}

/* ---- sanitizing ------------------------------------------------------ */
/* (util/sanitize.c escapes what a name holds; a snippet is prose, so
 * controls become a space or vanish rather than show as escapes) */

void _cs_append_sanitized(cs_buf_t *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    int space_pending = 0;
    for (size_t i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(s + i, len - i);
        int is_space = n == 1 && (s[i] <= 0x20 || s[i] == 0x7f);
        /* C1 controls (U+0080-U+009F) include the 8-bit CSI of terminals */
        int is_c1 = n == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0;
        if (is_space || is_c1) {
            space_pending = 1;
            i += n;
            continue;
        }
        /* bidi controls and marks would reorder what a terminal or page
         * shows (U+202E turns "txt.exe" round): dropped, the words kept */
        if (n > 1 && _cs_codepoint_is_control(_cs_utf8_decode(s + i, n))) {
            i += n;
            continue;
        }
        if (space_pending && out->len && out->data[out->len - 1] != ' ')
            _cs_buf_append_char(out, ' ');
        space_pending = 0;
        if (n == 0) {
            _cs_buf_append(out, "\xEF\xBF\xBD", 3);  /* U+FFFD */
            i++;
        } else {
            _cs_buf_append(out, text + i, n);
            i += n;
        }
    }
    if (space_pending && out->len && out->data[out->len - 1] != ' ')
        _cs_buf_append_char(out, ' ');
}

static int add_highlight(cs_snippet_t *sn, size_t mark_start, size_t mark_end,
                         cs_span_t span, const cs_box_t *box)
{
    if (sn->count == sn->cap) {
        size_t cap = sn->cap ? 2 * sn->cap : 8;
        size_t *marks = realloc(sn->marks, 2 * cap * sizeof *marks);
        if (!marks)
            return 0;
        sn->marks = marks;
        cs_span_t *spans = realloc(sn->highlights, cap * sizeof *spans);
        if (!spans)
            return 0;
        sn->highlights = spans;
        cs_box_t *boxes = realloc(sn->boxes, cap * sizeof *boxes);
        if (!boxes)
            return 0;
        sn->boxes = boxes;
        sn->cap = cap;
    }
    sn->boxes[sn->count] = *box;
    sn->marks[2 * sn->count] = mark_start;
    sn->marks[2 * sn->count + 1] = mark_end;
    sn->highlights[sn->count++] = span;
    return 1;
}

/* Keep the match of the tokens that are part of a real match of @plan
 * only.  Returns 0 when out of memory. */
static int keep_real_matches(const cs_plan_t *plan, tok_list_t *l)
{
    if (!plan || l->count == 0)
        return 1;
    cs_plan_token_t *toks = malloc(l->count * sizeof *toks);
    unsigned char *marked = calloc(l->count, 1);
    int r = -1;
    if (toks && marked) {
        for (size_t i = 0; i < l->count; i++)
            toks[i] = (cs_plan_token_t){ l->items[i].position, l->items[i].match };
        r = _cs_plan_mark(plan, toks, l->count, marked);
    }
    for (size_t i = 0; r >= 0 && i < l->count; i++)
        if (!marked[i])
            l->items[i].match = -1;
    free(toks);
    free(marked);
    return r >= 0;
}

int _cs_snippet_make(cs_analyzer_t *analyzer, const cs_matchset_t *matches,
                     const cs_plan_t *plan, const cs_passage_record_t *rec,
                     int window_words, cs_snippet_t *sn)
{
    memset(sn, 0, sizeof *sn);
    _cs_buf_init(&sn->text);
    tok_list_t l = { NULL, 0, 0, matches, 0 };
    unsigned char *seen = calloc(matches->count + 1, 1);
    sn->found = calloc(matches->count + 1, 1);
    if (!seen || !sn->found) {
        free(seen);
        return 0;
    }
    cs_analyzer_tokenize(analyzer, rec->text, rec->text_len, 1, collect, &l);
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].match >= 0)
            sn->found[l.items[i].match] = 1;
    if (!l.nomem && !keep_real_matches(plan, &l))
        l.nomem = 1;
    size_t from = 0, to = 0;
    if (!l.nomem)
        best_window(&l, matches, window_words > 0 ? (size_t)window_words : 40,
                    seen, &from, &to);

    /* copy out [from, to) with the gaps between tokens, marking matches */
    size_t text_from = from == 0 || l.count == 0 ? 0 : l.items[from].start;
    size_t text_to = to >= l.count || to == 0 ? rec->text_len : l.items[to - 1].end;
    if (text_from > 0)
        _cs_buf_append_str(&sn->text, "\xE2\x80\xA6 ");  /* "… " */
    cs_cite_map_t map;  /* text offsets to the source's (lib/cite.h) */
    int ok = _cs_passage_cite_map(rec, &map) && !l.nomem;
    size_t copied = text_from, mark_t0 = 0;
    for (size_t i = from; i < to && ok; i++) {
        const tok_t *t = &l.items[i];
        if (t->match < 0)
            continue;
        /* overlapping tokens (CJK bigrams) extend the last mark rather than
         * start one inside it (start - copied would wrap: fuzz/seeds/snippet/) */
        if (t->start < copied) {
            if (t->end > copied) {
                _cs_append_sanitized(&sn->text, rec->text + copied, t->end - copied);
                sn->marks[2 * sn->count - 1] = sn->text.len;
                sn->highlights[sn->count - 1].end = _cs_cite_span(&map, t->start, t->end).end;
                _cs_cite_box(&map, mark_t0, t->end, &sn->boxes[sn->count - 1]);
                copied = t->end;
            }
            continue;
        }
        _cs_append_sanitized(&sn->text, rec->text + copied, t->start - copied);
        size_t mark_start = sn->text.len;
        _cs_append_sanitized(&sn->text, rec->text + t->start, t->end - t->start);
        copied = t->end;
        cs_box_t box;
        _cs_cite_box(&map, t->start, t->end, &box);
        mark_t0 = t->start;
        ok = add_highlight(sn, mark_start, sn->text.len, _cs_cite_span(&map, t->start, t->end),
                           &box);
    }
    _cs_cite_map_free(&map);
    if (ok) {  /* out of memory, there is no window: from = to = 0 */
        _cs_append_sanitized(&sn->text, rec->text + copied, text_to - copied);
        if (text_to < rec->text_len)
            _cs_buf_append_str(&sn->text, " \xE2\x80\xA6");  /* " …" */
    }
    free(l.items);
    free(seen);
    if (!ok || sn->text.failed) {
        _cs_snippet_free(sn);
        return 0;
    }
    return 1;
}

void _cs_snippet_free(cs_snippet_t *sn)
{
    _cs_buf_free(&sn->text);
    free(sn->marks);
    free(sn->highlights);
    free(sn->boxes);
    free(sn->found);
    memset(sn, 0, sizeof *sn);
}
