/* locator.c - a hit's place in its document's own units, for each output
 * format.  Formats are not named here: a hit either cites source bytes
 * and line:col (text, HTML) or carries a page or a paragraph (PDF, DOCX),
 * and every locator field it has is printed. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

int cli_cites_bytes(const cs_hit_t *hit)
{
    return !cs_hit_page(hit) && !cs_hit_paragraph(hit);
}

/* "page 3 (iv) line 12", "paragraph 7", "" */
static void unit_text(char *out, size_t size, const cs_hit_t *hit, cs_span_t at)
{
    *out = '\0';
    if (cs_hit_page(hit) && *cs_hit_page_label(hit))
        snprintf(out, size, "page %" PRIu32 " (%s) line %" PRIu32, cs_hit_page(hit),
                 cs_hit_page_label(hit), at.line);
    else if (cs_hit_page(hit))
        snprintf(out, size, "page %" PRIu32 " line %" PRIu32, cs_hit_page(hit), at.line);
    else if (cs_hit_paragraph(hit))
        snprintf(out, size, "paragraph %" PRIu32, cs_hit_paragraph(hit));
}

/* Write @s for a terminal: control characters become '?'. */
static void put_safe(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

void cli_locator_human(FILE *out, const cs_hit_t *hit)
{
    char unit[128];
    unit_text(unit, sizeof unit, hit, cs_hit_passage(hit));
    if (*unit)
        fprintf(out, "  %s", unit);
    const char *enc = cs_hit_encoding(hit);
    if (*enc && strcmp(enc, "UTF-8") != 0)
        fprintf(out, "  %s", enc);
    if (*cs_hit_section(hit)) {
        fputs("  \xC2\xA7 ", out);  /* "§ " */
        put_safe(out, cs_hit_section(hit));
    }
    if (*cs_hit_anchor(hit)) {
        fputs("  #", out);
        put_safe(out, cs_hit_anchor(hit));
    }
}

void cli_locator_vimgrep(FILE *out, const cs_hit_t *hit, cs_span_t at)
{
    char unit[128];
    unit_text(unit, sizeof unit, hit, at);
    if (*unit)
        fprintf(out, "[%s %s] ", cs_hit_format(hit), unit);
}

static void json_field(json_object *o, const char *name, const char *value)
{
    if (*value)
        cli_json_add(o, name, cli_json_string(value, strlen(value)));
}

void cli_locator_json(json_object *o, const cs_hit_t *hit)
{
    const char *format = cs_hit_format(hit);
    cli_json_add(o, "format", cli_json_string(format, strlen(format)));
    json_object *loc = json_object_new_object();
    if (cs_hit_page(hit)) {
        cli_json_add(loc, "page", json_object_new_uint64(cs_hit_page(hit)));
        cli_json_add(loc, "line", json_object_new_uint64(cs_hit_passage(hit).line));
    }
    json_field(loc, "page_label", cs_hit_page_label(hit));
    if (cs_hit_paragraph(hit))
        cli_json_add(loc, "paragraph", json_object_new_uint64(cs_hit_paragraph(hit)));
    json_field(loc, "section", cs_hit_section(hit));
    json_field(loc, "anchor", cs_hit_anchor(hit));
    json_field(loc, "encoding", cs_hit_encoding(hit));
    cli_json_add(o, "locator", loc);
}

void cli_highlight_box_json(json_object *h, const cs_hit_t *hit, size_t i)
{
    uint32_t page;
    double box[4];
    if (!cs_hit_highlight_box(hit, i, &page, box))
        return;
    cli_json_add(h, "page", json_object_new_uint64(page));
    json_object *a = json_object_new_array();
    for (int k = 0; k < 4; k++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.2f", box[k]);  /* stable across json-c versions */
        cli_json_push(a, json_object_new_double_s(box[k], buf));
    }
    cli_json_add(h, "box", a);
}
