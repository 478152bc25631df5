/* results.c - accessors and destruction of search results. */
#include <stdlib.h>

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
size_t cs_hit_highlight_count(const cs_hit_t *h) { return h->snippet.count; }
const char *cs_hit_snippet(const cs_hit_t *h) { return h->snippet.text.data ? h->snippet.text.data : ""; }
const char *cs_hit_missing(const cs_hit_t *h) { return h->missing ? h->missing : ""; }

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
