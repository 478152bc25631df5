/* make-documents.c - PDF and HTML versions of a folder of text files, for
 * the extraction benchmark (bench/extract.sh).
 *
 *   make-documents DIR OUT
 *
 * Each .txt file under DIR becomes OUT/NAME.pdf (A4, DejaVu Serif 10.5 pt,
 * lines wrapped at 85 characters, a running header and footer like a UN
 * verbatim record) and OUT/NAME.html (a heading, navigation and a script
 * as a saved web page has, one <p> per paragraph, the text escaped). */
#define _XOPEN_SOURCE 700
#include <cairo-pdf.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRAP 85
#define LINE_HEIGHT 13.0
#define TOP 90.0
#define BOTTOM 780.0

static const char *out_dir;
static int files;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

typedef struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    const char *name;
    int page;
    double y;
} pdf_t;

static void new_page(pdf_t *p)
{
    if (p->page)
        cairo_show_page(p->cr);
    p->page++;
    char footer[64];
    snprintf(footer, sizeof footer, "24-00000 %d", p->page);
    cairo_set_font_size(p->cr, 9);
    cairo_move_to(p->cr, 72, 50);
    cairo_show_text(p->cr, p->name);
    cairo_move_to(p->cr, 72, 810);
    cairo_show_text(p->cr, footer);
    cairo_set_font_size(p->cr, 10.5);
    p->y = TOP;
}

static void pdf_line(pdf_t *p, const char *s, size_t n)
{
    if (p->y > BOTTOM)
        new_page(p);
    char buf[WRAP * 4 + 1];
    memcpy(buf, s, n);
    buf[n] = '\0';
    cairo_move_to(p->cr, 72, p->y);
    cairo_show_text(p->cr, buf);
    p->y += LINE_HEIGHT;
}

/* A paragraph wrapped at WRAP bytes, at spaces (a long word is cut). */
static void pdf_paragraph(pdf_t *p, const char *s, size_t n)
{
    while (n) {
        size_t take = n;
        if (take > WRAP) {
            take = WRAP;
            while (take > 1 && s[take] != ' ')
                take--;
            if (take == 1)
                take = WRAP;
            while (take < n && ((unsigned char)s[take] & 0xC0) == 0x80)
                take++;  /* not inside a UTF-8 sequence */
        }
        pdf_line(p, s, take);
        s += take;
        n -= take;
        while (n && *s == ' ')
            s++, n--;
    }
    p->y += LINE_HEIGHT / 2;
}

static void html_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(s[i], f);
        }
    }
}

static int convert(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t plen = strlen(path);
    if (type != FTW_F || plen < 4 || strcmp(path + plen - 4, ".txt") != 0)
        return 0;
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        return 0;
    char *copy = strdup(path), *base = basename(copy);
    base[strlen(base) - 4] = '\0';
    char out[4096];
    snprintf(out, sizeof out, "%s/%s.pdf", out_dir, base);
    pdf_t p = { cairo_pdf_surface_create(out, 595, 842), NULL, base, 0, 0 };
    p.cr = cairo_create(p.surface);
    cairo_select_font_face(p.cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    new_page(&p);
    snprintf(out, sizeof out, "%s/%s.html", out_dir, base);
    FILE *html = fopen(out, "w");
    fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n"
                  "<script>var page = \"%s\";</script></head>\n<body>\n"
                  "<nav><a href=\"/\">Home</a> | <a href=\"/speeches\">Speeches</a></nav>\n"
                  "<h1 id=\"top\">%s</h1>\n", base, base, base);
    for (char *line = text, *end; line < text + len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(text + len - line));
        if (!end)
            end = text + len;
        size_t n = (size_t)(end - line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (!n)
            continue;
        pdf_paragraph(&p, line, n);
        fputs("<p>", html);
        html_escaped(html, line, n);
        fputs("</p>\n", html);
    }
    fputs("</body></html>\n", html);
    fclose(html);
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_surface_destroy(p.surface);
    free(copy);
    free(text);
    files++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make-documents DIR OUT\n");
        return 2;
    }
    out_dir = argv[2];
    if (nftw(argv[1], convert, 16, FTW_PHYS) != 0) {
        perror(argv[1]);
        return 1;
    }
    fprintf(stderr, "make-documents: %d files\n", files);
    return 0;
}
