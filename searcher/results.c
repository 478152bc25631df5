/* results.c - accessors and destruction of search results. */
#include <stdlib.h>
#include <string.h>

#include "results.h"

void cs_results_destroy(cs_results_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        _cs_hit_free(&r->hits[i]);
    free(r->hits);
    _cs_facets_free(r);
    free(r->description);
    free(r->root_copy);
    free(r->root_list);
    xc_mset_free(r->weights);
    free(r);
}

void _cs_hit_free(cs_hit_t *hit)
{
    free(hit->data);
    hit->data = NULL;
    free(hit->path);
    free(hit->missing);
    free(hit->explanation);
    free(hit->format);
    free(hit->unit_kind);
    free(hit->page_label);
    free(hit->section);
    free(hit->anchor);
    _cs_snippet_free(&hit->snippet);
}

size_t cs_results_count(const cs_results_t *r) { return r ? r->count : 0; }
uint64_t cs_results_estimate(const cs_results_t *r) { return r ? r->passages.estimate : 0; }

cs_count_t cs_results_passages(const cs_results_t *r)
{
    cs_count_t none = { 0, 0, 0 };
    return r ? r->passages : none;
}

cs_count_t cs_results_files(const cs_results_t *r)
{
    cs_count_t none = { 0, 0, 0 };
    return r ? r->files : none;
}
int cs_results_relaxed(const cs_results_t *r) { return r ? r->relaxed : 0; }

const char *cs_results_query_description(const cs_results_t *r)
{
    return r && r->description ? r->description : "";
}

const cs_hit_t *cs_results_get(const cs_results_t *r, size_t i)
{
    return r && i < r->count ? &r->hits[i] : NULL;
}

size_t cs_hit_rank(const cs_hit_t *h) { return h->rank; }
double cs_hit_score(const cs_hit_t *h) { return h->score; }
const char *cs_hit_path(const cs_hit_t *h) { return h->path; }
const char *cs_hit_root(const cs_hit_t *h) { return h->root; }
cs_span_t cs_hit_passage(const cs_hit_t *h) { return h->passage; }
int cs_hit_stale(const cs_hit_t *h) { return h->stale; }
int cs_hit_stale_unknown(const cs_hit_t *h) { return h->stale_unknown; }
size_t cs_hit_highlight_count(const cs_hit_t *h) { return h->snippet.count; }
const char *cs_hit_snippet(const cs_hit_t *h) { return h->snippet.text.data ? h->snippet.text.data : ""; }
const char *cs_hit_missing(const cs_hit_t *h) { return h->missing ? h->missing : ""; }
const char *cs_hit_explanation(const cs_hit_t *h)
{
    return h->explanation ? h->explanation : "";
}

int _cs_hit_set_locator(cs_hit_t *hit, const cs_passage_record_t *rec)
{
    hit->format = strndup(rec->format, rec->format_len);
    hit->unit_kind = strndup(rec->unit_kind, rec->unit_kind_len);
    hit->page_label = strndup(rec->label, rec->label_len);
    hit->section = strndup(rec->section, rec->section_len);
    hit->anchor = strndup(rec->anchor, rec->anchor_len);
    hit->unit = rec->unit;
    hit->encoding = (int)rec->encoding;
    return hit->format && hit->unit_kind && hit->page_label && hit->section && hit->anchor;
}

static const char *or_empty(const char *s) { return s ? s : ""; }
const char *cs_hit_format(const cs_hit_t *h) { return h->format ? h->format : "text"; }
const char *cs_hit_page_label(const cs_hit_t *h) { return or_empty(h->page_label); }
const char *cs_hit_section(const cs_hit_t *h) { return or_empty(h->section); }
const char *cs_hit_anchor(const cs_hit_t *h) { return or_empty(h->anchor); }

const char *cs_hit_encoding(const cs_hit_t *h)
{
    return strcmp(cs_hit_format(h), "text") == 0 ? _cs_encoding_name(h->encoding) : "";
}

static uint32_t unit_of(const cs_hit_t *h, const char *kind)
{
    return h->unit_kind && strcmp(h->unit_kind, kind) == 0 ? h->unit : 0;
}

uint32_t cs_hit_page(const cs_hit_t *h) { return unit_of(h, "page"); }
uint32_t cs_hit_paragraph(const cs_hit_t *h) { return unit_of(h, "paragraph"); }

int cs_hit_highlight_box(const cs_hit_t *h, size_t i, uint32_t *page, double box[4])
{
    const cs_box_t *b = i < h->snippet.count && h->snippet.boxes ? &h->snippet.boxes[i] : NULL;
    if (!b || !b->page)
        return 0;
    *page = b->page;
    box[0] = b->x0;
    box[1] = b->y0;
    box[2] = b->x1;
    box[3] = b->y1;
    return 1;
}

cs_span_t cs_hit_highlight(const cs_hit_t *h, size_t i)
{
    cs_span_t none = { 0, 0, 0, 0 };
    return i < h->snippet.count ? h->snippet.highlights[i] : none;
}

void cs_hit_snippet_mark(const cs_hit_t *h, size_t i, size_t *start, size_t *end)
{
    int ok = i < h->snippet.count;
    *start = ok ? h->snippet.marks[2 * i] : 0;
    *end = ok ? h->snippet.marks[2 * i + 1] : 0;
}
