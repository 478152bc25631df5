/* passages.c - paragraph detection for the three layouts of real corpora. */
#include <stdlib.h>
#include <string.h>

#include "passages.h"
#include "util.h"

typedef struct line {
    size_t start, end;   /* content, without the line terminator */
    size_t chars;        /* width in code points */
    int blank;           /* only white space */
} line_t;

typedef struct splitter {
    const char *text;
    size_t len;
    size_t max_words;
    cs_passage_fn fn;
    void *ctx;
    cs_linecol_t pos;    /* line/col tracking, moves forward only */
    int stopped;
} splitter_t;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Bytes of line terminator at @i: "\r\n", "\n\r" (old mixed files), "\n"
 * or a lone "\r" (old Mac files); 0 when text[i] ends no line. */
static size_t terminator_len(const char *t, size_t len, size_t i)
{
    if (t[i] == '\r')
        return (i + 1 < len && t[i + 1] == '\n') ? 2 : 1;
    if (t[i] == '\n') {
        int cr_follows = i + 1 < len && t[i + 1] == '\r';
        int crlf_follows = i + 2 < len && t[i + 2] == '\n';
        return cr_follows && !crlf_follows ? 2 : 1;
    }
    return 0;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Split into lines; *out is malloc'd. */
static size_t split_lines(const char *t, size_t len, size_t first, line_t **out)
{
    size_t cap = 64, n = 0;
    line_t *lines = malloc(cap * sizeof *lines);
    if (!lines)
        return (size_t)-1;
    size_t start = first;
    for (size_t i = first; i <= len;) {
        size_t term = i < len ? terminator_len(t, len, i) : 0;
        if (i < len && !term) {
            i++;
            continue;
        }
        if (i == len && start == len)
            break;
        if (n == cap) {
            line_t *grown = realloc(lines, 2 * cap * sizeof *lines);
            if (!grown) {
                free(lines);
                return (size_t)-1;
            }
            lines = grown;
            cap *= 2;
        }
        lines[n].start = start;
        lines[n].end = i;
        lines[n].chars = utf8_chars(t + start, i - start);
        lines[n].blank = all_space(t + start, i - start);
        n++;
        if (i == len)
            break;
        i += term;
        start = i;
    }
    *out = lines;
    return n;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* A file is hard-wrapped when most of its (many) lines are short: the UN
 * corpus wraps at 40-60 characters, while paragraph-per-line files have
 * lines of hundreds.  Returns the wrap width, or 0 when not wrapped. */
static size_t wrap_width(const line_t *lines, size_t n)
{
    enum { MIN_LINES = 8, SHORT_LINE = 100 };
    size_t *widths = malloc((n ? n : 1) * sizeof *widths);
    if (!widths)
        return 0;
    size_t m = 0, short_lines = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].blank)
            continue;
        widths[m++] = lines[i].chars;
        short_lines += lines[i].chars <= SHORT_LINE;
    }
    size_t width = 0;
    if (m >= MIN_LINES && short_lines * 10 >= m * 8) {
        qsort(widths, m, sizeof *widths, compare_size);
        width = widths[m - 1 - m / 50];  /* 98th percentile: robust to strays */
    }
    free(widths);
    return width;
}

/* The line's last visible character ends a sentence: . ! ? or : possibly
 * followed by closing quotes or brackets. */
static int ends_sentence(const char *t, const line_t *l)
{
    size_t e = l->end;
    while (e > l->start && is_space((unsigned char)t[e - 1]))
        e--;
    while (e > l->start) {
        unsigned char c = (unsigned char)t[e - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            e--;
            continue;
        }
        /* U+2019 ’ and U+201D ” end in 0x99 / 0x9D after E2 80 */
        if (e - l->start >= 3 && (unsigned char)t[e - 3] == 0xE2 &&
            (unsigned char)t[e - 2] == 0x80 && (c == 0x99 || c == 0x9D)) {
            e -= 3;
            continue;
        }
        break;
    }
    if (e == l->start)
        return 0;
    char c = t[e - 1];
    return c == '.' || c == '!' || c == '?' || c == ':';
}

static size_t first_word_chars(const char *t, const line_t *l)
{
    size_t i = l->start;
    while (i < l->end && is_space((unsigned char)t[i]))
        i++;
    size_t j = i;
    while (j < l->end && !is_space((unsigned char)t[j]))
        j++;
    return utf8_chars(t + i, j - i);
}

/* Emit [start, end) trimmed; returns non-zero to stop. */
static int emit(splitter_t *s, size_t start, size_t end)
{
    while (start < end && is_space((unsigned char)s->text[start]))
        start++;
    while (end > start && is_space((unsigned char)s->text[end - 1]))
        end--;
    if (start == end)
        return 0;
    _cs_linecol_advance(&s->pos, s->text, 0, start);
    cs_passage_t p = { start, end, s->pos.line, s->pos.col };
    if (s->fn(s->ctx, &p))
        s->stopped = 1;
    return s->stopped;
}

/* End of the sentence-ending run at @i (just after ". " style boundary):
 * returns the offset where the next sentence may start, or 0. */
static int sentence_boundary_at(const char *t, size_t end, size_t i)
{
    /* t[i] is white space preceded by . ! ? (optionally a closing quote) */
    if (i == 0 || i >= end || !is_space((unsigned char)t[i]))
        return 0;
    size_t k = i;
    unsigned char c = (unsigned char)t[k - 1];
    if ((c == '"' || c == ')' || c == 0x9D || c == 0x99) && k >= 2)
        c = (unsigned char)t[(c >= 0x80 && k >= 4) ? k - 4 : k - 2];
    return c == '.' || c == '!' || c == '?';
}

/* Emit a paragraph, splitting it at sentence boundaries into pieces of at
 * most max_words words where the text allows. */
static int emit_paragraph(splitter_t *s, size_t start, size_t end)
{
    const char *t = s->text;
    while (start < end) {
        size_t words = 0, i = start;
        size_t last_boundary = 0, cut = 0;
        int in_word = 0;
        for (; i < end; i++) {
            int space = is_space((unsigned char)t[i]);
            if (!space && !in_word && ++words > s->max_words)
                break;
            if (space && in_word && sentence_boundary_at(t, end, i) &&
                words >= s->max_words / 4)
                last_boundary = i;
            in_word = !space;
        }
        if (i >= end)
            return emit(s, start, end);
        /* over the limit at i: cut at the last sentence end, else the
           first one after, else here */
        cut = last_boundary;
        if (!cut) {
            for (size_t j = i; j < end && j < i + 4096; j++)
                if (sentence_boundary_at(t, end, j)) {
                    cut = j;
                    break;
                }
        }
        if (!cut)
            cut = i;
        if (emit(s, start, cut))
            return 1;
        start = cut;
    }
    return 0;
}

int cs_split_passages(const char *text, size_t len, size_t max_words,
                      cs_passage_fn fn, void *ctx)
{
    splitter_t s = { text, len, max_words ? max_words : CS_PASSAGE_MAX_WORDS,
                     fn, ctx, { 0, 1, 1 }, 0 };
    size_t first = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        first = 3;  /* byte-order mark */
    line_t *lines;
    size_t n = split_lines(text, len, first, &lines);
    if (n == (size_t)-1)
        return -1;
    size_t width = wrap_width(lines, n);
    cs_layout_t layout = width ? CS_LAYOUT_WRAPPED : CS_LAYOUT_LINES;

    size_t para_start = (size_t)-1;
    for (size_t i = 0; i < n && !s.stopped; i++) {
        const line_t *l = &lines[i];
        if (l->blank)
            continue;
        if (para_start == (size_t)-1)
            para_start = l->start;
        int end_here = 1;
        if (layout == CS_LAYOUT_WRAPPED) {
            size_t next = i + 1;
            while (next < n && lines[next].blank)
                next++;
            if (next < n) {
                int gap = next > i + 1;
                size_t fits = l->chars + 1 + first_word_chars(text, &lines[next]);
                end_here = ends_sentence(text, l) && (gap || fits <= width);
            }
        }
        if (end_here) {
            emit_paragraph(&s, para_start, l->end);
            para_start = (size_t)-1;
        }
    }
    free(lines);
    return (int)layout;
}
