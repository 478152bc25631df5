/* html.c - HTML through gumbo, an HTML5 parser that keeps source positions.
 *
 * Only visible text is indexed: script, style, template, the head (but for
 * its title, kept as metadata), nav menus and elements marked hidden are
 * left out.  Block elements end blocks, so a passage never runs from one
 * paragraph or table cell into the next.  Each text node is aligned with
 * its source bytes: runs copied unchanged map byte for byte (verbatim
 * segments), an entity or a folded run of white space maps as a whole, so
 * every highlight cites the exact source bytes and their line:col.
 * Headings build each block's section path; the nearest id (or <a name>)
 * at or before a block is its anchor.  A page that is not UTF-8 (an old
 * Windows-1252 one) is decoded first and parsed as UTF-8; each of its
 * characters is one source byte, so citations still count the file's own
 * bytes.
 */
#include <gumbo.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"

#define MAX_DEPTH 1000        /* deeper markup is refused, not recursed into */
#define MAX_HEADINGS 6

typedef struct html {
    cs_extract_t *x;
    const char *src;          /* what gumbo parses: the file, or its decoding */
    size_t src_len;
    size_t bom;               /* bytes skipped before gumbo's offset 0 */
    const char *file;         /* the file's bytes */
    int decoded;              /* src is file decoded from Windows-1252 */
    size_t at_src, at_file;   /* decoded: a src offset and its file offset */
    cs_linecol_t pos;         /* cursor over the file for line:col */
    size_t block_t0;          /* where the open block's text starts */
    size_t block_section, block_anchor;
    size_t anchor;            /* the last id seen */
    size_t headings[MAX_HEADINGS]; /* text of the open h1..h6 (strs offsets) */
    size_t section;           /* the current heading path (strs offset) */
    int too_deep;
} html_t;

int _cs_html_sniff(const unsigned char *head, size_t len, const char *ext)
{
    if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml"))
        return 2;
    size_t i = len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    const char *s = (const char *)head + i;
    size_t left = len - i;
    return (left >= 14 && !strncasecmp(s, "<!doctype html", 14)) ||
                   (left >= 5 && !strncasecmp(s, "<html", 5))
               ? 2
               : 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The file offset of src offset @off: in a decoded page, one byte per
 * character (offsets mostly rise: document order). */
static size_t file_offset(html_t *h, size_t off)
{
    if (!h->decoded)
        return off;
    if (off < h->at_src)
        h->at_src = h->at_file = 0;
    for (; h->at_src < off && h->at_src < h->src_len; h->at_src++)
        h->at_file += ((unsigned char)h->src[h->at_src] & 0xC0) != 0x80;
    return h->at_file;
}

/* line:col of file offset @off */
static void position(html_t *h, size_t off, uint32_t *line, uint32_t *col)
{
    if (off < h->pos.offset)
        h->pos = (cs_linecol_t){ 0, 1, 1 };
    _cs_linecol_advance(&h->pos, h->file, 0, off);
    *line = h->pos.line;
    *col = h->pos.col;
}

/* Append @text, which came from src [s0, s1). */
static void emit(html_t *h, const char *text, size_t len, size_t s0, size_t s1, int verbatim)
{
    uint32_t line, col;
    size_t f0 = file_offset(h, s0), f1 = file_offset(h, s1);
    position(h, f0, &line, &col);
    _cs_extract_mapped(h->x, text, len, f0, f1, line, col, verbatim);
}

/* A byte that a decoded page's file does not hold as it is. */
static int transcoded(const html_t *h, char c)
{
    return h->decoded && ((unsigned char)c & 0x80);
}

/* Is the last character of the text a space (or the block empty)? */
static int at_space(const html_t *h)
{
    return h->x->len == h->block_t0 || h->x->text[h->x->len - 1] == ' ';
}

/* Bytes of the character reference at @o ("&amp;", "&#233;", "&eacute"), 0 if none. */
static size_t reference_len(const char *o, size_t len)
{
    size_t k = 1;
    if (k < len && o[k] == '#')
        k++;
    size_t name = k;
    while (k < len && k < 40 && ((o[k] >= 'a' && o[k] <= 'z') || (o[k] >= 'A' && o[k] <= 'Z') ||
                                 (o[k] >= '0' && o[k] <= '9')))
        k++;
    if (k == name)
        return 0;
    return k < len && o[k] == ';' ? k + 1 : k;
}

/* Does the source at @o hold a reference that gumbo decoded (@dec does
 * not repeat it)? */
static int is_reference(const char *o, size_t olen, const char *dec)
{
    size_t n = o[0] == '&' ? reference_len(o, olen) : 0;
    return n && strncmp(dec, o, n) != 0;
}

/* Append a text node: @dec is gumbo's decoded text, @orig its source. */
static void add_text(html_t *h, const char *dec, const GumboStringPiece *orig)
{
    const char *o = orig->data;
    size_t olen = orig->length, i = 0, j = 0, dlen = strlen(dec);
    size_t base = o ? (size_t)(o - h->src) : 0;
    if (!o) {  /* no source: the whole node maps to nothing in particular */
        olen = 0;
    }
    while (j < dlen) {
        size_t i0 = i, j0 = j;
        if (is_space(dec[j])) {
            while (j < dlen && is_space(dec[j]))
                j++;
            while (i < olen && is_space(o[i]))
                i++;
            if (!at_space(h))
                emit(h, " ", 1, base + i0, base + i, i - i0 == 1 && o[i0] == ' ');
        } else if (i < olen && o[i] == dec[j] && !is_reference(o + i, olen - i, dec + j) &&
                   !transcoded(h, dec[j])) {
            while (i < olen && j < dlen && o[i] == dec[j] && !is_space(dec[j]) &&
                   !is_reference(o + i, olen - i, dec + j) && !transcoded(h, dec[j]))
                i++, j++;
            emit(h, dec + j0, j - j0, base + i0, base + i, 1);
        } else {  /* an entity, a \r, an invalid byte: map it whole */
            size_t n = _cs_utf8_valid_len((const unsigned char *)dec + j, dlen - j);
            j += n ? n : 1;
            size_t ref = i < olen && o[i] == '&' ? reference_len(o + i, olen - i) : 0;
            if (ref) {
                i += ref;
            } else if (i < olen && o[i] == '\r') {
                i++;
                j = j0;  /* gumbo drops \r: nothing decoded came of it */
                continue;
            } else if (i < olen) {
                size_t m = _cs_utf8_valid_len((const unsigned char *)o + i, olen - i);
                i += m ? m : 1;
            }
            if (i > olen)
                i = olen;
            emit(h, dec + j0, j - j0, base + i0, base + i, 0);
        }
    }
}

static int is_block(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_CAPTION: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_MAIN: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_HR: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
        return 1;
    default:
        return 0;
    }
}

/* Not shown to a reader, or boilerplate. */
static int is_invisible(const GumboElement *e)
{
    switch (e->tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NAV: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
        return 1;
    default:
        break;
    }
    if (gumbo_get_attribute(&e->attributes, "hidden"))
        return 1;
    const GumboAttribute *a = gumbo_get_attribute(&e->attributes, "aria-hidden");
    if (a && !strcasecmp(a->value, "true"))
        return 1;
    a = gumbo_get_attribute(&e->attributes, "style");
    if (a) {
        char squeezed[256];
        size_t n = 0;
        for (const char *s = a->value; *s && n + 1 < sizeof squeezed; s++)
            if (!is_space(*s))
                squeezed[n++] = *s;
        squeezed[n] = '\0';
        if (strcasestr(squeezed, "display:none") || strcasestr(squeezed, "visibility:hidden"))
            return 1;
    }
    return 0;
}

static void end_block(html_t *h)
{
    _cs_extract_block(h->x, h->block_t0, 0, 0, h->block_section, h->block_anchor);
    h->block_t0 = h->x->len;
    h->block_section = h->section;
    h->block_anchor = h->anchor;
}

/* The text of @node with white space folded, for a heading's path. */
static void node_text(const GumboNode *node, cs_buf_t *out, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
        for (const char *s = node->v.text.text; *s; s++) {
            int space = is_space(*s);
            if (space && (!out->len || out->data[out->len - 1] == ' '))
                continue;
            _cs_buf_append_char(out, space ? ' ' : *s);
        }
    } else if (node->type == GUMBO_NODE_ELEMENT && !is_invisible(&node->v.element)) {
        const GumboVector *c = &node->v.element.children;
        for (unsigned i = 0; i < c->length; i++)
            node_text(c->data[i], out, depth + 1);
    }
}

/* An <hN> opens a section: the path is the open headings above it. */
static void enter_heading(html_t *h, const GumboNode *node, int level)
{
    cs_buf_t t;
    _cs_buf_init(&t);
    node_text(node, &t, 0);
    while (t.len && t.data[t.len - 1] == ' ')
        t.len--;
    h->x->nomem |= t.failed;
    h->section = _cs_extract_heading(h->x, h->headings, MAX_HEADINGS, level,
                                     t.data ? t.data : "", t.len);
    _cs_buf_free(&t);
}

static void walk(html_t *h, const GumboNode *node, int depth)
{
    if (depth > MAX_DEPTH) {
        h->too_deep = 1;
        return;
    }
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
        add_text(h, node->v.text.text, &node->v.text.original_text);
        return;
    }
    if (node->type != GUMBO_NODE_ELEMENT)
        return;
    const GumboElement *e = &node->v.element;
    if (is_invisible(e))
        return;
    int block = is_block(e->tag);
    int level = e->tag >= GUMBO_TAG_H1 && e->tag <= GUMBO_TAG_H6 ? (int)(e->tag - GUMBO_TAG_H1) + 1 : 0;
    if (block)
        end_block(h);
    const GumboAttribute *id = gumbo_get_attribute(&e->attributes, "id");
    if (!id && e->tag == GUMBO_TAG_A)
        id = gumbo_get_attribute(&e->attributes, "name");
    if (id && *id->value)
        h->anchor = _cs_extract_str(h->x, id->value, strlen(id->value));
    if (level)
        enter_heading(h, node, level);
    if (block) {  /* the block begins here, with what is known now */
        h->block_section = h->section;
        h->block_anchor = h->anchor;
    }
    if (e->tag == GUMBO_TAG_BR && !at_space(h))
        emit(h, " ", 1, e->start_pos.offset + h->bom,
             e->start_pos.offset + h->bom + e->original_tag.length, 0);
    const GumboVector *c = &e->children;
    for (unsigned i = 0; i < c->length && !h->too_deep; i++)
        walk(h, c->data[i], depth + 1);
    if (block)
        end_block(h);
}

static const char *meta_content(const GumboNode *head, const char *const *names)
{
    const GumboVector *c = &head->v.element.children;
    for (unsigned i = 0; i < c->length; i++) {
        const GumboNode *n = c->data[i];
        if (n->type != GUMBO_NODE_ELEMENT || n->v.element.tag != GUMBO_TAG_META)
            continue;
        const GumboAttribute *name = gumbo_get_attribute(&n->v.element.attributes, "name");
        if (!name)
            name = gumbo_get_attribute(&n->v.element.attributes, "property");
        const GumboAttribute *content = gumbo_get_attribute(&n->v.element.attributes, "content");
        for (size_t k = 0; name && content && names[k]; k++)
            if (!strcasecmp(name->value, names[k]))
                return content->value;
    }
    return NULL;
}

/* title, author and date, for fields to pick up */
static void read_meta(html_t *h, const GumboNode *root)
{
    const GumboVector *c = &root->v.element.children;
    for (unsigned i = 0; i < c->length; i++) {
        const GumboNode *head = c->data[i];
        if (head->type != GUMBO_NODE_ELEMENT || head->v.element.tag != GUMBO_TAG_HEAD)
            continue;
        const GumboVector *hc = &head->v.element.children;
        for (unsigned k = 0; k < hc->length; k++) {
            const GumboNode *t = hc->data[k];
            if (t->type == GUMBO_NODE_ELEMENT && t->v.element.tag == GUMBO_TAG_TITLE) {
                cs_buf_t b;
                _cs_buf_init(&b);
                node_text(t, &b, 0);
                if (b.data)
                    _cs_extract_meta(h->x, "title", b.data);
                _cs_buf_free(&b);
            }
        }
        static const char *const author[] = { "author", "dc.creator", NULL };
        static const char *const date[] = { "date", "dcterms.date", "dc.date",
                                            "article:published_time", NULL };
        _cs_extract_meta(h->x, "author", meta_content(head, author));
        _cs_extract_meta(h->x, "date", meta_content(head, date));
    }
}

cs_status_t _cs_html_extract(const char *data, size_t len, cs_extract_t *x)
{
    html_t h = { .x = x, .src = data, .src_len = len, .file = data, .pos = { 0, 1, 1 } };
    cs_buf_t decoded;
    _cs_buf_init(&decoded);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        h.bom = 3;
    } else if (_cs_is_legacy_8bit(data, len)) {
        cs_status_t st = _cs_decode(data, len, CS_ENC_CP1252, &decoded, x->why, sizeof x->why);
        if (st) {
            _cs_buf_free(&decoded);
            return st;
        }
        h.src = decoded.data ? decoded.data : "";
        h.src_len = decoded.len;
        h.decoded = 1;
    }
    GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, h.src + h.bom,
                                                h.src_len - h.bom);
    if (!out) {
        _cs_buf_free(&decoded);
        return CS_ERR_NOMEM;
    }
    x->unit_kind = "";
    read_meta(&h, out->root);
    walk(&h, out->root, 0);
    end_block(&h);
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    _cs_buf_free(&decoded);
    if (h.too_deep)
        return _cs_extract_skip(x, "its elements nest more than %d deep", MAX_DEPTH);
    return _cs_extract_status(x);
}
