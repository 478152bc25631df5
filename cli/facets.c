/* facets.c - printing facet counts: bar charts, JSON Lines and CSV. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

#define BAR_WIDTH 32

void cli_bar(FILE *out, double fraction, int width)
{
    static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    int units = (int)(fraction * width * 8 + 0.5), shown = 0;
    for (; units >= 8; units -= 8, shown++)
        fputs("█", out);
    if (units) {
        fputs(eighths[units], out);
        shown++;
    }
    fprintf(out, "%*s", width - shown, "");
}

/* A value for display: control characters become '?'. */
static void put_text(FILE *out, const char *s, int width)
{
    int cols = 0;
    for (; *s && (width <= 0 || cols < width); s++) {
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
        cols += ((unsigned char)*s & 0xC0) != 0x80;
    }
    for (; cols < width; cols++)
        fputc(' ', out);
}

static double measure(const cs_facet_bucket_t *b, int per_million)
{
    return per_million ? b->per_million : (double)b->passages;
}

static void print_facet_human(const cli_output_t *o, const cs_facet_t *f, int per_million)
{
    size_t n = cs_facet_bucket_count(f);
    double top = 0;
    int label_width = 5;
    for (size_t i = 0; i < n; i++) {
        const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
        if (!b->other && measure(b, per_million) > top)
            top = measure(b, per_million);
        int w = (int)strlen(b->value);
        if (strcmp(b->label, b->value) != 0)
            w += 2 + (int)strlen(b->label);
        if (w > label_width)
            label_width = w > 40 ? 40 : w;
    }
    fprintf(o->out, "\n%s: %" PRIu64 " passages in %" PRIu64 " files%s\n", cs_facet_field(f),
            cs_facet_passages(f), cs_facet_files(f),
            per_million ? " (passages per million words of each value)" : "");
    for (size_t i = 0; i < n; i++) {
        const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
        char label[512];
        if (strcmp(b->label, b->value) != 0)
            snprintf(label, sizeof label, "%s  %s", b->value, b->label);
        else
            snprintf(label, sizeof label, "%s", b->value);
        fputs("  ", o->out);
        put_text(o->out, label, label_width);
        if (per_million)
            fprintf(o->out, " %9.1f ", b->per_million);
        else
            fprintf(o->out, " %7" PRIu64 " ", b->passages);
        if (o->color)
            fputs("\033[36m", o->out);
        /* "other" gets no bar: it would dwarf the values shown */
        cli_bar(o->out, top > 0 && !b->other ? measure(b, per_million) / top : 0, BAR_WIDTH);
        if (o->color)
            fputs("\033[0m", o->out);
        fprintf(o->out, " %" PRIu64 " file%s", b->files, b->files == 1 ? "" : "s");
        if (per_million)
            fprintf(o->out, ", %" PRIu64 " passage%s", b->passages, b->passages == 1 ? "" : "s");
        fputc('\n', o->out);
    }
}

void cli_print_words(FILE *out, const cs_facet_bucket_t *b, int asked, cli_format_t format)
{
    if (format == FORMAT_JSON && asked)
        fprintf(out, ",\"words\":%" PRIu64 ",\"per_million\":%.3f", b->words, b->per_million);
    else if (format == FORMAT_CSV && asked)
        fprintf(out, ",%" PRIu64 ",%.3f", b->words, b->per_million);
    else if (format == FORMAT_CSV)
        fputs(",,", out);
}

static void print_facet_json(cli_output_t *o, const char *query, const cs_facet_t *f)
{
    FILE *out = o->out;
    fputs("{\"type\":\"facet\",\"query\":", out);
    o->nomem |= !cli_json_write_string(out, query, strlen(query));
    fputs(",\"field\":", out);
    o->nomem |= !cli_json_write_string(out, cs_facet_field(f), strlen(cs_facet_field(f)));
    fprintf(out, ",\"passages\":%" PRIu64 ",\"files\":%" PRIu64 ",\"buckets\":[",
            cs_facet_passages(f), cs_facet_files(f));
    for (size_t i = 0; i < cs_facet_bucket_count(f); i++) {
        const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
        fputs(i ? ",{\"value\":" : "{\"value\":", out);
        o->nomem |= !cli_json_write_string(out, b->value, strlen(b->value));
        fputs(",\"label\":", out);
        o->nomem |= !cli_json_write_string(out, b->label, strlen(b->label));
        fprintf(out, ",\"other\":%s,\"passages\":%" PRIu64 ",\"files\":%" PRIu64,
                b->other ? "true" : "false", b->passages, b->files);
        cli_print_words(out, b, o->per_million, FORMAT_JSON);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

void cli_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_facet_csv(const cli_output_t *o, const char *query, const cs_facet_t *f)
{
    for (size_t i = 0; i < cs_facet_bucket_count(f); i++) {
        const cs_facet_bucket_t *b = cs_facet_bucket(f, i);
        cli_csv_field(o->out, query);
        fputc(',', o->out);
        cli_csv_field(o->out, cs_facet_field(f));
        fputc(',', o->out);
        cli_csv_field(o->out, b->value);
        fputc(',', o->out);
        cli_csv_field(o->out, b->label);
        fprintf(o->out, ",%" PRIu64 ",%" PRIu64, b->passages, b->files);
        cli_print_words(o->out, b, o->per_million, FORMAT_CSV);
        fputc('\n', o->out);
    }
}

void cli_print_facets(cli_output_t *o, const char *query, const cs_results_t *r)
{
    for (size_t i = 0; i < cs_results_facet_count(r); i++) {
        const cs_facet_t *f = cs_results_facet(r, i);
        switch (o->format) {
        case FORMAT_JSON: print_facet_json(o, query, f); break;
        case FORMAT_CSV:
            if (i == 0 && !o->csv_header_done) {
                fputs("query,field,value,label,passages,files,words,per_million\n", o->out);
                o->csv_header_done = 1;
            }
            print_facet_csv(o, query, f);
            break;
        case FORMAT_HUMAN: print_facet_human(o, f, o->per_million); break;
        default: break;  /* vimgrep and trec are lists of hits */
        }
    }
}
