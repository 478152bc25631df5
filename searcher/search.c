/* search.c - cs_search(): parse, build, rank, and turn matches into hits. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"

/* Ranking is BM25 with k1 and b as lib/schema.h gives them, already
 * applied at indexing: a term's wdf is its impact, tf (k1 + 1) / (tf +
 * k1 (1 - b + b dl / avgdl)).  Xapian's BM25 with b = 0 and a huge k1
 * reduces to idf times wdf (within 2 parts in a million), the same idf as
 * before, and never asks for a passage's length.  K3 only matters for a
 * term with wqf > 1, which we never build (see the top of query_build.c). */
#define XAPIAN_K1 1e9
#define XAPIAN_K2 0.0
#define XAPIAN_K3 1.0
#define XAPIAN_B 0.0
#define XAPIAN_MIN_NORMLEN 0.0

/* Proximity rerank: the top candidates are re-scored by how closely the
 * query's words stand together in them (snippet.c measures it, 0..1).  Done
 * here rather than with Xapian positional AND_MAYBE subqueries, whose scores
 * in Xapian 1.4 were seen to depend on document ids. */
#define PROXIMITY_WEIGHT 0.5
#define RERANK_POOL 20

void cs_search_options_init(cs_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->per_file = 3;
    o->snippet_words = 40;
}

/* Has the file changed since it was indexed?  Size and mtime decide; when
 * only the mtime moved, the content hash does. */
static int is_stale(const char *root, const cs_passage_record_t *rec)
{
    char path[8192];
    int n = snprintf(path, sizeof path, "%s/%.*s", root, (int)rec->path_len, rec->path);
    struct stat st;
    if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0)
        return 1;
    if ((uint64_t)st.st_size != rec->file_size)
        return 1;
    int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (mtime == rec->file_mtime_ns)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    uint64_t h = CS_HASH_SEED;
    char buf[65536];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        h = _cs_hash64(buf, (size_t)got, h);
    close(fd);
    return got < 0 || h != rec->file_hash;
}

/* Words of the query this passage lacks (for relaxed results). */
static char *missing_words(const cs_matchset_t *m, const unsigned char *found)
{
    cs_buf_t b;
    _cs_buf_init(&b);
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i].ranking && !found[i])
            _cs_buf_printf(&b, "%s%s", b.len ? " " : "", m->items[i].word);
    return _cs_buf_steal(&b);
}

/* Phase 1, every candidate: its record (the document's data stays with the
 * hit until phase 2) ... */
static cs_status_t read_candidate(cs_index_t *index, const xc_mset_t *mset, size_t i,
                                  cs_hit_t *hit)
{
    xc_error_t err;
    hit->order = i;
    size_t len;
    if (xc_mset_data(mset, i, &hit->data, &len, &err))
        return _cs_index_fail(index, err.status, "%s", err.message);
    if (!_cs_passage_record_decode(hit->data, len, &hit->rec))
        return _cs_index_fail(index, CS_ERR_CORRUPT,
                              "passage %u has a malformed record: rebuild the index",
                              xc_mset_docid(mset, i));
    return CS_OK;
}

/* ... and its score with the proximity boost. */
static cs_status_t score_candidate(cs_index_t *index, const xc_mset_t *mset, size_t i,
                                   const cs_built_query_t *built, cs_hit_t *hit)
{
    double proximity;
    if (!_cs_passage_proximity(index->term_analyzer, &built->proximity, hit->rec.text,
                               hit->rec.text_len, &proximity))
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    double bm25 = xc_mset_weight(mset, i) / CS_IMPACT_SCALE;  /* impacts are stored scaled */
    hit->score = bm25 * (1.0 + PROXIMITY_WEIGHT * proximity);
    return CS_OK;
}

/* Whether @hit's file is stale, checked once per page: the page's earlier
 * hits (@n of them) from the same file already know. */
static int file_stale(const cs_hit_t *page, size_t n, const cs_hit_t *hit)
{
    for (size_t i = 0; i < n; i++)
        if (page[i].root == hit->root && strcmp(page[i].path, hit->path) == 0)
            return page[i].stale;
    return is_stale(hit->root, &hit->rec);
}

/* Phase 2, the hits shown: citation, staleness, snippet, missing words.
 * @i is the hit's place on the page. */
static cs_status_t finish_hit(cs_index_t *index, const cs_results_t *r,
                              const cs_built_query_t *built, const cs_search_options_t *o,
                              size_t i)
{
    cs_hit_t *hit = &r->hits[i];
    const cs_passage_record_t *rec = &hit->rec;
    hit->root = rec->root < r->n_roots ? r->root_list[rec->root] : "";
    hit->path = strndup(rec->path, rec->path_len);
    hit->passage = (cs_span_t){ rec->start, rec->end, rec->line, rec->col };
    hit->format = strndup(rec->format, rec->format_len);
    hit->unit_kind = strndup(rec->unit_kind, rec->unit_kind_len);
    hit->page_label = strndup(rec->label, rec->label_len);
    hit->section = strndup(rec->section, rec->section_len);
    hit->anchor = strndup(rec->anchor, rec->anchor_len);
    hit->unit = rec->unit;
    hit->encoding = (int)rec->encoding;
    int ok = hit->path && hit->format && hit->unit_kind && hit->page_label && hit->section &&
             hit->anchor;
    hit->stale = ok && file_stale(r->hits, i, hit);
    if (ok && !o->no_snippets)
        ok = _cs_snippet_make(index->analyzer, &built->matches, rec, o->snippet_words,
                              &hit->snippet);
    hit->missing = ok && r->relaxed && !o->no_snippets
                       ? missing_words(&built->matches, hit->snippet.found)
                       : strdup("");
    free(hit->data);
    hit->data = NULL;
    if (!ok || !hit->missing)
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    return CS_OK;
}

/* Candidates: everything up to the requested page, plus a pool for the
 * rerank to draw from when there is a proximity boost. */
static size_t candidates(const cs_search_options_t *o, const cs_built_query_t *built)
{
    size_t want = o->offset + o->limit;
    return built->proximity.count >= 2 ? want + RERANK_POOL : want;
}

/* Xapian's top @n for @query, at most @per_file (0: any number) from a
 * file. */
static cs_status_t run(cs_index_t *index, const xc_query_t *query, size_t per_file,
                       size_t n, xc_mset_t **mset)
{
    xc_error_t err;
    xc_enquire_t *enq = NULL;
    cs_status_t st = xc_enquire_new(index->db, &enq, &err);
    if (!st)
        st = xc_enquire_set_query(enq, query, &err);
    if (!st)
        st = xc_enquire_set_bm25(enq, XAPIAN_K1, XAPIAN_K2, XAPIAN_K3, XAPIAN_B,
                                 XAPIAN_MIN_NORMLEN, &err);
    if (!st && per_file > 0)
        st = xc_enquire_set_collapse_key(enq, CS_SLOT_FILE, (uint32_t)per_file, &err);
    if (!st)
        st = xc_enquire_get_mset(enq, 0, (uint32_t)n, (uint32_t)(n + 100), mset, &err);
    xc_enquire_free(enq);
    if (st)
        return _cs_index_fail(index, st, "%s", err.message);
    return CS_OK;
}

/* Passages taken so far per file, by a 64-bit hash of root and path (two
 * files sharing one is as likely as a file-key collision, and as ignored). */
typedef struct file_counts {
    uint64_t *keys;      /* 0: empty */
    size_t *counts;
    size_t mask;
} file_counts_t;

static size_t *file_count(file_counts_t *fc, const cs_passage_record_t *rec)
{
    uint64_t key = _cs_hash64(rec->path, rec->path_len, CS_HASH_SEED ^ rec->root) | 1;
    size_t i = (size_t)key & fc->mask;
    while (fc->keys[i] && fc->keys[i] != key)
        i = (i + 1) & fc->mask;
    fc->keys[i] = key;
    return &fc->counts[i];
}

/* Score @mset's candidates in order into r->hits until @n are taken, at
 * most @per_file (0: any number) from a file. */
static cs_status_t take(cs_index_t *index, const xc_mset_t *mset, const cs_built_query_t *built,
                        size_t per_file, size_t n, cs_results_t *r)
{
    size_t size = xc_mset_size(mset), slots = 16;
    while (slots < 2 * size)
        slots *= 2;
    file_counts_t fc = { calloc(slots, sizeof *fc.keys), calloc(slots, sizeof *fc.counts),
                         slots - 1 };
    r->hits = calloc(size ? size : 1, sizeof *r->hits);
    cs_status_t st = r->hits && fc.keys && fc.counts
                         ? CS_OK : _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < size && r->count < n && !st; i++) {
        cs_hit_t *hit = &r->hits[r->count];
        st = read_candidate(index, mset, i, hit);
        size_t *taken = st || !per_file ? NULL : file_count(&fc, &hit->rec);
        int full = taken && *taken == per_file;  /* the file has its share */
        if (!st && !full)
            st = score_candidate(index, mset, i, built, hit);
        if (st || full) {
            _cs_hit_free(hit);
            memset(hit, 0, sizeof *hit);
            continue;
        }
        if (taken)
            ++*taken;
        r->count++;
    }
    free(fc.keys);
    free(fc.counts);
    return st;
}

static void drop_hits(cs_results_t *r)
{
    for (size_t i = 0; i < r->count; i++)
        _cs_hit_free(&r->hits[i]);
    free(r->hits);
    r->hits = NULL;
    r->count = 0;
}

/* The candidates of @query, scored, at most per_file from a file, and the
 * estimate of matching passages (not files: the uncollapsed one).  Xapian's
 * own collapse reads each matching passage's file key and keeps it from
 * skipping passages that cannot reach the top, which cost up to 5 times
 * the whole query on words in many passages; so the match runs without it,
 * fetching twice the candidates, and the cap is applied here to the
 * passages read anyway.  Only when those are too few (the best passages
 * crowd into few files) does the match run again with Xapian's collapse. */
static cs_status_t collect(cs_index_t *index, const xc_query_t *query,
                           const cs_search_options_t *o, const cs_built_query_t *built,
                           cs_results_t *r, xc_mset_t **mset)
{
    size_t n = candidates(o, built), per_file = o->per_file > 0 ? (size_t)o->per_file : 0;
    if (per_file > 0) {
        size_t fetch = 2 * n + 10;
        cs_status_t st = run(index, query, 0, fetch, mset);
        if (!st) {
            r->estimate = xc_mset_estimate(*mset);
            st = take(index, *mset, built, per_file, n, r);
        }
        if (st || r->count == n || xc_mset_size(*mset) < fetch)
            return st;
        drop_hits(r);
        xc_mset_free(*mset);
        *mset = NULL;
    }
    cs_status_t st = run(index, query, per_file, n, mset);
    if (!st && !per_file)
        r->estimate = xc_mset_estimate(*mset);
    return st ? st : take(index, *mset, built, 0, n, r);
}

/* Higher score first; equal scores keep Xapian's order. */
static int compare_hits(const void *a, const void *b)
{
    const cs_hit_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Rerank the candidates and keep [offset, offset + limit). */
static void keep_page(cs_results_t *r, const cs_search_options_t *o)
{
    qsort(r->hits, r->count, sizeof *r->hits, compare_hits);
    size_t first = o->offset < r->count ? o->offset : r->count;
    size_t last = first + o->limit < r->count ? first + o->limit : r->count;
    for (size_t i = 0; i < r->count; i++)
        if (i < first || i >= last)
            _cs_hit_free(&r->hits[i]);
    memmove(r->hits, r->hits + first, (last - first) * sizeof *r->hits);
    r->count = last - first;
    for (size_t i = 0; i < r->count; i++)
        r->hits[i].rank = o->offset + i + 1;
}

static cs_status_t search_once(cs_index_t *index, const char *query,
                               const cs_search_options_t *options, cs_results_t **out)
{
    cs_qnode_t *tree = NULL;
    size_t err_offset = 0;
    char *msg = NULL;
    cs_status_t st = options->plain ? cs_query_parse_plain(query, &tree)
                                    : cs_query_parse(query, &tree, &err_offset, &msg);
    if (st) {
        index->error_offset = (long)err_offset;
        _cs_index_fail(index, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
        return st;
    }
    cs_built_query_t built;
    st = _cs_query_build(index, tree, options->any, &built);
    cs_qnode_free(tree);
    if (st)
        return st;

    cs_results_t *r = calloc(1, sizeof *r);
    xc_mset_t *mset = NULL;
    if (!r)
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    if (!st)
        st = _cs_split_roots(index->roots, &r->root_copy, &r->root_list, &r->n_roots);
    if (!st)
        st = collect(index, built.query, options, &built, r, &mset);
    if (!st && r->estimate == 0 && built.relaxed) {
        drop_hits(r);
        xc_mset_free(mset);
        mset = NULL;
        r->relaxed = 1;
        st = collect(index, built.relaxed, options, &built, r, &mset);
    }
    if (!st) {
        uint64_t docs = 0;
        xc_db_doccount(index->db, &docs, NULL);
        _cs_matchset_weigh(&built.matches, mset, docs);
        r->description = xc_query_describe(r->relaxed ? built.relaxed : built.query);
        if (!st)
            keep_page(r, options);
        for (size_t i = 0; i < r->count && !st; i++)
            st = finish_hit(index, r, &built, options, i);
    }
    xc_mset_free(mset);
    _cs_built_query_free(&built);
    if (st) {
        cs_results_destroy(r);
        return st;
    }
    *out = r;
    return CS_OK;
}

/* A writer that commits while we read may discard the revision we are
 * reading (Xapian keeps two); the whole search then starts again on the
 * latest revision. */
#define MODIFIED_RETRIES 5

cs_status_t cs_search(cs_index_t *index, const char *query,
                      const cs_search_options_t *options, cs_results_t **out)
{
    if (!index || !query || !out)
        return index ? _cs_index_fail(index, CS_ERR_INVALID, "cs_search: NULL argument")
                     : CS_ERR_INVALID;
    *out = NULL;
    index->error_offset = -1;
    cs_search_options_t defaults;
    if (!options) {
        cs_search_options_init(&defaults);
        options = &defaults;
    }
    cs_status_t st = search_once(index, query, options, out);
    for (int i = 0; st == CS_ERR_MODIFIED && i < MODIFIED_RETRIES; i++) {
        xc_error_t err;
        if (xc_db_reopen(index->db, &err))
            return _cs_index_fail(index, err.status, "%s", err.message);
        st = search_once(index, query, options, out);
    }
    return st;
}
