/* pdf.c - PDF through poppler-glib: the text of each page in reading
 * order, every word with its box.
 *
 * Each paragraph of a page is a block (a passage never spans a page
 * break), with the page's 1-based number and its printed label when the
 * PDF has page labels; paragraphs end at wide gaps between lines.  Each
 * word is a segment holding its line on the page, its column in that line
 * and its box, so a highlight cites page, line and box.  A word hyphenated
 * at a line end ("cyber-" / "security") is joined in the text, so it is
 * indexed whole; its two parts keep their own segments.  A line repeated
 * at the top or bottom of most pages (a running header such as
 * "A/76/PV.3", a footer such as "21-25186 3/30": digits do not count) is
 * left out of the text.  Runs in a worker process (ingest/worker.c).
 */
#include <poppler.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ingest.h"

#define EDGE_LINES 2          /* lines at the top and bottom that may repeat */
#define MARGIN 0.08           /* ... and any line this close to the page's edge */
#define MAX_KEY 160
#define PARAGRAPH_GAP 1.5     /* a gap this many lines' spacing ends a paragraph */

typedef struct page {
    char *text;               /* poppler's, g_free'd */
    PopplerRectangle *rects;  /* one per character of text, or NULL */
    guint n_rects;
    char *label;
    size_t n_lines;
    size_t *line_start;       /* byte offset of each line, n_lines + 1 entries */
    unsigned char *boiler;    /* per line: a repeated header or footer */
    double height;            /* in points */
} page_t;

static void split_lines(page_t *p)
{
    size_t n = 1, len = strlen(p->text);
    for (size_t i = 0; i < len; i++)
        n += p->text[i] == '\n';
    p->line_start = g_new(size_t, n + 1);
    p->boiler = g_new0(unsigned char, n);
    p->n_lines = 0;
    p->line_start[p->n_lines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (p->text[i] == '\n')
            p->line_start[p->n_lines++] = i + 1;
    p->line_start[p->n_lines] = len + 1;  /* as if a '\n' ended the last line */
}

static size_t line_len(const page_t *p, size_t li)
{
    size_t end = p->line_start[li + 1] - 1;
    size_t len = strlen(p->text);
    return (end > len ? len : end) - p->line_start[li];
}

/* A line's key: digits as '#', white space folded; "" for a blank line. */
static void line_key(const page_t *p, size_t li, char key[MAX_KEY])
{
    const char *s = p->text + p->line_start[li];
    size_t n = line_len(p, li), k = 0;
    for (size_t i = 0; i < n && k + 1 < MAX_KEY; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            if (k && key[k - 1] != ' ')
                key[k++] = ' ';
        } else {
            key[k++] = c >= '0' && c <= '9' ? '#' : c;
        }
    }
    while (k && key[k - 1] == ' ')
        k--;
    key[k] = '\0';
}

static size_t char_index(const page_t *p, size_t b);

/* Does line @li start in the page's top or bottom margin?  (Reading order
 * may put a footer between two columns.) */
static int in_margin(const page_t *p, size_t li)
{
    size_t c = char_index(p, p->line_start[li]);
    if (!p->rects || c >= p->n_rects || p->height <= 0)
        return 0;
    double top = p->rects[c].y1;
    return top < MARGIN * p->height || top > (1 - MARGIN) * p->height;
}

/* The edge lines of page @p: the first and last EDGE_LINES non-blank ones,
 * and those in its margins; *out is g_malloc'd. */
static size_t edge_lines(const page_t *p, size_t **edges)
{
    size_t n = 0, *out = *edges = g_new(size_t, 2 * EDGE_LINES + p->n_lines);
    char key[MAX_KEY];
    for (size_t li = 0, got = 0; li < p->n_lines && got < EDGE_LINES; li++) {
        line_key(p, li, key);
        if (*key)
            out[n++] = li, got++;
    }
    for (size_t li = p->n_lines, got = 0; li-- > 0 && got < EDGE_LINES;) {
        line_key(p, li, key);
        if (!*key)
            continue;
        got++;
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= out[k] == li;
        if (!dup)
            out[n++] = li;
    }
    for (size_t li = 0; li < p->n_lines; li++) {
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= out[k] == li;
        if (!dup && in_margin(p, li))
            out[n++] = li;
    }
    return n;
}

/* Mark lines at the page edges whose key is at the edge of most pages. */
static void find_boilerplate(page_t *pages, size_t n_pages)
{
    if (n_pages < 2)
        return;  /* one page: nothing repeats */
    GHashTable *count = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char key[MAX_KEY];
    for (size_t i = 0; i < n_pages; i++) {
        size_t *edges, n = edge_lines(&pages[i], &edges);
        GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
        for (size_t k = 0; k < n; k++) {
            line_key(&pages[i], edges[k], key);
            if (g_hash_table_contains(seen, key))
                continue;
            gpointer old = g_hash_table_lookup(count, key);
            char *stored = g_strdup(key);
            g_hash_table_replace(count, stored, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(old) + 1));
            g_hash_table_add(seen, stored);
        }
        g_hash_table_destroy(seen);
        g_free(edges);
    }
    for (size_t i = 0; i < n_pages; i++) {
        size_t *edges, n = edge_lines(&pages[i], &edges);
        for (size_t k = 0; k < n; k++) {
            line_key(&pages[i], edges[k], key);
            size_t c = GPOINTER_TO_SIZE(g_hash_table_lookup(count, key));
            if (2 * c > n_pages)
                pages[i].boiler[edges[k]] = 1;
        }
        g_free(edges);
    }
    g_hash_table_destroy(count);
}

static int is_letter_before_hyphen(const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '-')
        return 0;
    unsigned char c = (unsigned char)s[n - 2];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int starts_lower(const char *s, size_t n)
{
    if (!n)
        return 0;
    gunichar c = g_utf8_get_char_validated(s, (gssize)n);
    return c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_islower(c);
}

/* The union of the boxes of characters [c0, c1) of @p, turned from
 * poppler's layout (origin top-left, y down) into PDF user space (origin
 * bottom-left, y up), as PDF annotations and poppler_page_find_text() give
 * boxes. */
static cs_box_t box_of(const page_t *p, uint32_t page_no, size_t c0, size_t c1)
{
    cs_box_t b = { 0, 0, 0, 0, 0 };
    if (!p->rects || c1 > p->n_rects || c0 >= c1)
        return b;
    double x0 = p->rects[c0].x1, top = p->rects[c0].y1;
    double x1 = p->rects[c0].x2, bottom = p->rects[c0].y2;
    for (size_t c = c0 + 1; c < c1; c++) {
        const PopplerRectangle *r = &p->rects[c];
        x0 = r->x1 < x0 ? r->x1 : x0;
        top = r->y1 < top ? r->y1 : top;
        x1 = r->x2 > x1 ? r->x2 : x1;
        bottom = r->y2 > bottom ? r->y2 : bottom;
    }
    return (cs_box_t){ page_no, x0, p->height - bottom, x1, p->height - top };
}

/* The character index of byte @b of the page's text. */
static size_t char_index(const page_t *p, size_t b)
{
    return (size_t)g_utf8_pointer_to_offset(p->text, p->text + b);
}

/* Append one line's words; @joined: the previous line ended in a hyphen
 * joined to this one (no separator). Returns whether this line ends in a
 * hyphen that joins to @next_line_start (the next kept line's text). */
static void emit_line(cs_extract_t *x, const page_t *p, uint32_t page_no, size_t li,
                      int join_next)
{
    const char *line = p->text + p->line_start[li];
    size_t n = line_len(p, li);
    if (join_next)
        n--;  /* drop the hyphen */
    size_t c = char_index(p, p->line_start[li]);
    for (size_t i = 0; i < n;) {
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
            if (x->len && x->text[x->len - 1] != ' ' && x->text[x->len - 1] != '\n')
                _cs_extract_text(x, " ", 1);
            i++;
            c++;
            continue;
        }
        /* a run of letters and digits, or of other marks: each its own
         * segment, so a word's box leaves out the punctuation next to it */
        gunichar first = g_utf8_get_char(line + i);
        int alnum = g_unichar_isalnum(first);
        size_t w = i, chars = 0;
        while (w < n && line[w] != ' ' && line[w] != '\t' && line[w] != '\r' &&
               g_unichar_isalnum(g_utf8_get_char(line + w)) == alnum) {
            w = (size_t)(g_utf8_next_char(line + w) - line);
            chars++;
            if (g_unichar_iswide(first))
                break;  /* CJK runs without spaces: a segment per character */
        }
        if (w > n)
            w = n;
        cs_seg_t g = { 0, x->len, x->len + (w - i), (uint32_t)li + 1, (uint32_t)i + 1, 0,
                       box_of(p, page_no, c, c + chars) };
        _cs_extract_seg(x, &g);
        _cs_extract_text(x, line + i, w - i);
        c += chars;
        i = w;
    }
    if (!join_next && x->len && x->text[x->len - 1] != ' ')
        _cs_extract_text(x, " ", 1);  /* lines of a paragraph join */
}

/* The top of line @li in poppler's layout (y down), or -1 when unknown. */
static double line_top(const page_t *p, size_t li)
{
    size_t c = char_index(p, p->line_start[li]);
    return p->rects && c < p->n_rects ? p->rects[c].y1 : -1;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The usual distance between consecutive lines of @p (0: unknown). */
static double line_spacing(const page_t *p)
{
    double *gaps = g_new(double, p->n_lines + 1), prev = -1;
    size_t n = 0;
    for (size_t li = 0; li < p->n_lines; li++) {
        double top = line_top(p, li);
        if (p->boiler[li] || top < 0)
            continue;
        if (prev >= 0 && top > prev)
            gaps[n++] = top - prev;
        prev = top;
    }
    qsort(gaps, n, sizeof *gaps, by_value);
    double median = n ? gaps[n / 2] : 0;
    g_free(gaps);
    return median;
}

/* Each paragraph of a page is a block: lines are joined with a space, and
 * a paragraph ends where the gap to the next line is well above the usual
 * spacing, or the next line starts higher up (the next column). */
static void emit_page(cs_extract_t *x, const page_t *p, uint32_t page_no)
{
    size_t label = 0;
    char number[16];
    snprintf(number, sizeof number, "%u", page_no);
    if (p->label && *p->label && strcmp(p->label, number) != 0)
        label = _cs_extract_str(x, p->label, strlen(p->label));
    double spacing = line_spacing(p), prev_top = -1;
    size_t t0 = x->len;
    for (size_t li = 0; li < p->n_lines; li++) {
        if (p->boiler[li])
            continue;
        double top = line_top(p, li);
        if (prev_top >= 0 && top >= 0 && spacing > 0 &&
            (top - prev_top > PARAGRAPH_GAP * spacing || top < prev_top)) {
            _cs_extract_block(x, t0, page_no, label, 0, 0);
            t0 = x->len;
        }
        if (top >= 0)
            prev_top = top;
        size_t next = li + 1;
        while (next < p->n_lines && p->boiler[next])
            next++;
        const char *s = p->text + p->line_start[li];
        size_t n = line_len(p, li);
        int join = next < p->n_lines && is_letter_before_hyphen(s, n) &&
                   starts_lower(p->text + p->line_start[next], line_len(p, next));
        emit_line(x, p, page_no, li, join);
    }
    _cs_extract_block(x, t0, page_no, label, 0, 0);
}

static void read_meta(cs_extract_t *x, PopplerDocument *doc)
{
    char *title = poppler_document_get_title(doc);
    char *author = poppler_document_get_author(doc);
    _cs_extract_meta(x, "title", title);
    _cs_extract_meta(x, "author", author);
    g_free(title);
    g_free(author);
    time_t when = poppler_document_get_creation_date(doc);
    if (when > 0) {
        char date[32];
        struct tm tm;
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&when, &tm));
        _cs_extract_meta(x, "date", date);
    }
}

cs_status_t _cs_pdf_extract(const char *data, size_t len, cs_extract_t *x)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (!doc) {
        cs_status_t st = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED
                             ? _cs_extract_skip(x, "encrypted (a password is needed)")
                             : _cs_extract_skip(x, "not a readable PDF: %s",
                                                err ? err->message : "unknown error");
        g_clear_error(&err);
        return st;
    }
    x->unit_kind = "page";
    read_meta(x, doc);
    int n_pages = poppler_document_get_n_pages(doc);
    page_t *pages = g_new0(page_t, n_pages > 0 ? (gsize)n_pages : 1);
    int has_text = 0;
    for (int i = 0; i < n_pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        page_t *p = &pages[i];
        p->text = page ? poppler_page_get_text(page) : NULL;
        if (!p->text)
            p->text = g_strdup("");
        if (page && !poppler_page_get_text_layout(page, &p->rects, &p->n_rects))
            p->rects = NULL;
        if (p->rects && p->n_rects != (guint)g_utf8_strlen(p->text, -1)) {
            g_free(p->rects);  /* not one box per character: no boxes */
            p->rects = NULL;
        }
        p->label = page ? poppler_page_get_label(page) : NULL;
        double width = 0;
        if (page)
            poppler_page_get_size(page, &width, &p->height);
        for (const char *s = p->text; *s && !has_text; s++)
            has_text = !g_ascii_isspace(*s);
        split_lines(p);
        if (page)
            g_object_unref(page);
    }
    find_boilerplate(pages, (size_t)n_pages);
    for (int i = 0; i < n_pages && !x->nomem; i++)
        emit_page(x, &pages[i], (uint32_t)i + 1);
    for (int i = 0; i < n_pages; i++) {
        g_free(pages[i].text);
        g_free(pages[i].rects);
        g_free(pages[i].label);
        g_free(pages[i].line_start);
        g_free(pages[i].boiler);
    }
    g_free(pages);
    g_object_unref(doc);
    if (!has_text)
        return n_pages ? _cs_extract_skip(x, "no text layer (%d page%s without text: a scan?)",
                                          n_pages, n_pages == 1 ? "" : "s")
                       : _cs_extract_skip(x, "no pages");
    return _cs_extract_status(x);
}
