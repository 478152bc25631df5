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

static void json_field(FILE *out, const char *name, const char *value, int *first)
{
    if (!*value)
        return;
    fprintf(out, "%s\"%s\":", *first ? "" : ",", name);
    cli_json_string(out, value, strlen(value));
    *first = 0;
}

void cli_locator_json(FILE *out, const cs_hit_t *hit)
{
    fputs(",\"format\":", out);
    cli_json_string(out, cs_hit_format(hit), strlen(cs_hit_format(hit)));
    fputs(",\"locator\":{", out);
    int first = 1;
    if (cs_hit_page(hit)) {
        fprintf(out, "\"page\":%" PRIu32 ",\"line\":%" PRIu32, cs_hit_page(hit),
                cs_hit_passage(hit).line);
        first = 0;
    }
    json_field(out, "page_label", cs_hit_page_label(hit), &first);
    if (cs_hit_paragraph(hit)) {
        fprintf(out, "%s\"paragraph\":%" PRIu32, first ? "" : ",", cs_hit_paragraph(hit));
        first = 0;
    }
    json_field(out, "section", cs_hit_section(hit), &first);
    json_field(out, "anchor", cs_hit_anchor(hit), &first);
    json_field(out, "encoding", cs_hit_encoding(hit), &first);
    fputc('}', out);
}

void cli_highlight_box_json(FILE *out, const cs_hit_t *hit, size_t i)
{
    uint32_t page;
    double box[4];
    if (cs_hit_highlight_box(hit, i, &page, box))
        fprintf(out, ",\"page\":%" PRIu32 ",\"box\":[%.2f,%.2f,%.2f,%.2f]", page, box[0], box[1],
                box[2], box[3]);
}
