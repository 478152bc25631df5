/* docx.c - Word documents (Office Open XML) through libzip and libxml2.
 *
 * word/document.xml holds the body: each paragraph (w:p, also inside
 * tables) is a block, numbered from 1 over the non-empty ones; a paragraph
 * whose style is a heading (by its name in word/styles.xml, "heading N" or
 * "Title", whatever the style's id in the document's language) opens a
 * section, so each passage carries its heading path.  Deleted text
 * (w:delText) and field codes are left out.  docProps/core.xml gives title,
 * author and date.  Runs in a worker process: zip bombs and XML parsers. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "ingest.h"

#define MAX_PART_BYTES ((zip_uint64_t)256 << 20)
#define MAX_LEVELS 9
#define MAX_STYLES 512

typedef struct docx {
    cs_extract_t *x;
    struct { char *id; int level; } styles[MAX_STYLES];
    size_t n_styles;
    size_t headings[MAX_LEVELS];
    size_t section;
    uint32_t paragraph;
    cs_buf_t para;            /* the paragraph being read */
} docx_t;

/* The bytes of zip member @name (malloc'd, NUL-ended), or NULL. */
static char *read_part(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > MAX_PART_BYTES)
        return NULL;
    zip_file_t *f = zip_fopen(za, name, 0);
    char *buf = f ? malloc((size_t)st.size + 1) : NULL;
    zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
    if (f)
        zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = (size_t)got;
    return buf;
}

static xmlDocPtr parse(const char *data, size_t len)
{
    /* no network, no entity expansion: hostile input */
    return xmlReadMemory(data, (int)len, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *attr(const xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, name))
            return (char *)xmlNodeGetContent((xmlNode *)a);
    return NULL;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* Heading levels of the styles named "heading N" or "Title". */
static void read_styles(docx_t *d, const char *data, size_t len)
{
    xmlDocPtr doc = parse(data, len);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (const xmlNode *s = root ? root->children : NULL; s; s = s->next) {
        if (!is(s, "style") || d->n_styles == MAX_STYLES)
            continue;
        char *id = attr(s, "styleId");
        const xmlNode *name_node = child(s, "name");
        char *name = name_node ? attr(name_node, "val") : NULL;
        int level = 0;
        if (name && !strncasecmp(name, "heading ", 8))
            level = atoi(name + 8);
        else if (name && !strcasecmp(name, "title"))
            level = 1;
        if (id && level >= 1 && level <= MAX_LEVELS) {
            d->styles[d->n_styles].id = strdup(id);
            d->styles[d->n_styles++].level = level;
        }
        xmlFree(id);
        xmlFree(name);
    }
    xmlFreeDoc(doc);
}

/* The heading level of paragraph @p (0: body text). */
static int heading_level(const docx_t *d, const xmlNode *p)
{
    const xmlNode *style = child(child(p, "pPr"), "pStyle");
    char *id = style ? attr(style, "val") : NULL;
    int level = 0;
    for (size_t i = 0; id && i < d->n_styles && !level; i++)
        if (d->styles[i].id && !strcmp(d->styles[i].id, id))
            level = d->styles[i].level;
    if (id && !level && !strncasecmp(id, "Heading", 7))
        level = atoi(id + 7);  /* no styles part: the usual English ids */
    xmlFree(id);
    return level >= 1 && level <= MAX_LEVELS ? level : 0;
}

/* Append the visible text under @n to d->para. */
static void run_text(docx_t *d, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c && depth < 64; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "t")) {
            xmlChar *t = xmlNodeGetContent((xmlNode *)c);
            if (t)
                _cs_buf_append_str(&d->para, (const char *)t);
            xmlFree(t);
        } else if (is(c, "tab") || is(c, "br") || is(c, "cr")) {
            _cs_buf_append_char(&d->para, ' ');
        } else if (!is(c, "delText") && !is(c, "instrText") && !is(c, "pPr") &&
                   !is(c, "rPr")) {
            run_text(d, c, depth + 1);
        }
    }
}

static void paragraph(docx_t *d, const xmlNode *p)
{
    _cs_buf_reset(&d->para);
    run_text(d, p, 0);
    d->x->nomem |= d->para.failed;
    /* white space folded, trimmed */
    char *s = d->para.data ? d->para.data : "";
    size_t n = 0;
    for (size_t i = 0; i < d->para.len; i++) {
        int space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (space && (!n || s[n - 1] == ' '))
            continue;
        s[n++] = space ? ' ' : s[i];
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return;
    d->paragraph++;
    int level = heading_level(d, p);
    if (level)
        d->section = _cs_extract_heading(d->x, d->headings, MAX_LEVELS, level, s, n);
    size_t t0 = d->x->len;
    /* the source is the document's own text: offsets, paragraph and column */
    _cs_extract_mapped(d->x, s, n, t0, t0 + n, d->paragraph, 1, 1);
    _cs_extract_block(d->x, t0, d->paragraph, 0, d->section, 0);
    _cs_extract_text(d->x, "\n", 1);
}

static void body(docx_t *d, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c && depth < 64; c = c->next) {
        if (is(c, "p"))
            paragraph(d, c);
        else if (c->type == XML_ELEMENT_NODE)
            body(d, c, depth + 1);  /* tables, content controls */
    }
}

static void read_core(cs_extract_t *x, const char *data, size_t len)
{
    xmlDocPtr doc = parse(data, len);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        const char *key = is(c, "title") ? "title" : is(c, "creator") ? "author"
                        : is(c, "created") ? "date" : NULL;
        if (!key)
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNode *)c);
        _cs_extract_meta(x, key, (const char *)v);
        xmlFree(v);
    }
    xmlFreeDoc(doc);
}

cs_status_t _cs_docx_extract(const char *data, size_t len, cs_extract_t *x)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    if (!za) {
        cs_status_t st = _cs_extract_skip(x, "not a readable zip archive: %s",
                                          zip_error_strerror(&zerr));
        zip_source_free(src);
        zip_error_fini(&zerr);
        return st;
    }
    zip_error_fini(&zerr);
    size_t n;
    char *main_part = read_part(za, "word/document.xml", &n);
    if (!main_part) {
        zip_close(za);
        return _cs_extract_skip(x, "no word/document.xml (not a Word document?)");
    }
    docx_t d = { .x = x };
    _cs_buf_init(&d.para);
    x->unit_kind = "paragraph";
    size_t m;
    char *part = read_part(za, "word/styles.xml", &m);
    if (part)
        read_styles(&d, part, m);
    free(part);
    if ((part = read_part(za, "docProps/core.xml", &m)))
        read_core(x, part, m);
    free(part);
    zip_close(za);
    xmlDocPtr doc = parse(main_part, n);
    free(main_part);
    cs_status_t st = CS_OK;
    if (!doc) {
        st = _cs_extract_skip(x, "word/document.xml is not well-formed XML");
    } else {
        const xmlNode *b = child(xmlDocGetRootElement(doc), "body");
        if (b)
            body(&d, b, 0);
        xmlFreeDoc(doc);
    }
    for (size_t i = 0; i < d.n_styles; i++)
        free(d.styles[i].id);
    _cs_buf_free(&d.para);
    if (!st && !d.paragraph)
        st = _cs_extract_skip(x, "the document holds no text");
    return st ? st : _cs_extract_status(x);
}
