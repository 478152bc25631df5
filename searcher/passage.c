/* passage.c - a hit's passage by its id, with its neighbours in the file.
 *
 * A passage id names the file by its key (lib/schema.h) and the passage by
 * its first byte, "KEY-START": it survives reindexing as long as the file's
 * passage does, and it names nothing on the file system.  The context is
 * read from the index alone (the passages' stored text), never from the
 * source file, so only indexed text is ever served.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

/* A whole passage is its own snippet: no window is narrower (passages end
 * at CS_PASSAGE_MAX_WORDS). */
#define WHOLE_PASSAGE_WORDS 1000000

#define MODIFIED_RETRIES 5

size_t cs_hit_passage_id(const cs_hit_t *hit, char *buf, size_t size)
{
    char key[CS_FILE_KEY_HEX + 1];
    _cs_file_key(hit->root, hit->path, key);
    int n = snprintf(buf, size, "%s-%" PRIu64, key, hit->passage.start);
    return n < 0 ? 0 : (size_t)n;
}

/* Split "KEY-START"; 0 when malformed. */
static int parse_id(const char *id, char key[CS_FILE_KEY_HEX + 1], uint64_t *start)
{
    uint64_t number;
    if (!_cs_file_key_parse(id, &number))
        return 0;
    memcpy(key, id, CS_FILE_KEY_HEX);
    key[CS_FILE_KEY_HEX] = '\0';
    const char *num = id + CS_FILE_KEY_HEX;
    if (*num++ != '-' || *num < '0' || *num > '9' || (num[0] == '0' && num[1]))
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(num, &end, 10);
    if (errno || *end)
        return 0;
    *start = v;
    return 1;
}

/* The matches to mark for @query (none when it is NULL or empty). */
static cs_status_t build_matches(cs_index_t *index, const char *query,
                                 const cs_search_options_t *o, cs_built_query_t *built,
                                 int *have)
{
    *have = 0;
    if (!query || !*query)
        return CS_OK;
    cs_status_t st = _cs_query_prepare(index, query, o, built);
    *have = !st;
    return st;
}

static int by_start(const void *a, const void *b)
{
    const cs_hit_t *x = a, *y = b;
    return x->rec.start < y->rec.start ? -1 : x->rec.start > y->rec.start;
}

/* Every passage of the file @key, sorted by position, into r->hits (with
 * their records, not yet finished). */
static cs_status_t read_file_passages(cs_index_t *index, const char *key, cs_results_t *r)
{
    xc_error_t err;
    char term[CS_STORE_FILE_TERM_SIZE];
    _cs_store_file_term(key, term);
    char *value = NULL;
    size_t len = 0;
    cs_file_record_t file;
    int known = 0;
    if (_cs_store_get_file(index->db, key, &value, &file, &known, &err)) {
        free(value);
        return _cs_index_fail(index, err.status, "%s", err.message);
    }
    uint32_t passages = known ? file.passages : 0;
    free(value);
    if (!known || passages == 0)
        return _cs_index_fail(index, CS_ERR_NOT_FOUND, "no such passage in the index");

    xc_query_t *q = NULL;
    xc_enquire_t *enq = NULL;
    xc_mset_t *mset = NULL;
    cs_status_t st = xc_query_term(term, strlen(term), 1, &q, &err);
    if (!st)
        st = xc_enquire_new(index->db, &enq, &err);
    if (!st)
        st = xc_enquire_set_query(enq, q, &err);
    if (!st)
        st = xc_enquire_get_mset(enq, 0, passages, passages, &mset, &err);
    xc_query_free(q);
    xc_enquire_free(enq);
    if (st)
        return _cs_index_fail(index, st, "%s", err.message);
    size_t n = xc_mset_size(mset);
    r->hits = calloc(n ? n : 1, sizeof *r->hits);
    if (!r->hits)
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !st; i++) {
        cs_hit_t *hit = &r->hits[r->count++];
        if (xc_mset_data(mset, i, &hit->data, &len, &err))
            st = _cs_index_fail(index, err.status, "%s", err.message);
        else if (!_cs_passage_record_decode(hit->data, len, &hit->rec))
            st = _cs_index_fail(index, CS_ERR_CORRUPT,
                                "passage %u has a malformed record: rebuild the index",
                                xc_mset_docid(mset, i));
    }
    xc_mset_free(mset);
    if (!st)
        qsort(r->hits, r->count, sizeof *r->hits, by_start);
    return st;
}

/* Keep the hits [first, last) of the file's passages, and make each a whole
 * passage with its matches marked. */
static cs_status_t keep_context(cs_index_t *index, cs_results_t *r, size_t first, size_t last,
                                const cs_matchset_t *matches, const cs_plan_t *plan)
{
    for (size_t i = 0; i < r->count; i++) {
        if (i < first || i >= last)
            _cs_hit_free(&r->hits[i]);
        else
            r->hits[i].rank = i + 1;
    }
    memmove(r->hits, r->hits + first, (last - first) * sizeof *r->hits);
    r->count = last - first;
    for (size_t i = 0; i < r->count; i++) {
        cs_hit_t *hit = &r->hits[i];
        const cs_passage_record_t *rec = &hit->rec;
        hit->root = rec->root < r->n_roots ? r->root_list[rec->root] : "";
        hit->path = strndup(rec->path, rec->path_len);
        hit->passage = (cs_span_t){ rec->start, rec->end, rec->line, rec->col };
        hit->missing = strdup("");
        int ok = hit->path && hit->missing && _cs_hit_set_locator(hit, rec) &&
                 _cs_snippet_make(index->analyzer, matches, plan, rec, WHOLE_PASSAGE_WORDS,
                                  &hit->snippet);
        free(hit->data);
        hit->data = NULL;
        if (!ok)
            return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    }
    return CS_OK;
}

static cs_status_t context_once(cs_index_t *index, const char *key, uint64_t start,
                                const cs_matchset_t *matches, const cs_plan_t *plan,
                                size_t context, cs_results_t **out, size_t *focus)
{
    cs_results_t *r = calloc(1, sizeof *r);
    cs_status_t st = !r || _cs_split_roots(index->roots, &r->root_copy, &r->root_list,
                                           &r->n_roots)
                         ? _cs_index_fail(index, CS_ERR_NOMEM, "out of memory")
                         : CS_OK;
    if (!st)
        st = read_file_passages(index, key, r);
    size_t at = 0;
    while (!st && at < r->count && r->hits[at].rec.start != start)
        at++;
    if (!st && at == r->count)
        st = _cs_index_fail(index, CS_ERR_NOT_FOUND, "no such passage in the index");
    if (!st) {
        r->passages = (cs_count_t){ r->count, r->count, r->count };
        r->files = (cs_count_t){ 1, 1, 1 };
        size_t first = at > context ? at - context : 0;
        size_t last = context < r->count - at ? at + context + 1 : r->count;
        st = keep_context(index, r, first, last, matches, plan);
        *focus = at - first;
    }
    if (st) {
        cs_results_destroy(r);
        return st;
    }
    *out = r;
    return CS_OK;
}

cs_status_t cs_passage_context(cs_index_t *index, const char *passage_id, const char *query,
                               const cs_search_options_t *options, size_t context,
                               cs_results_t **out, size_t *focus)
{
    if (!index || !passage_id || !out || !focus)
        return index ? _cs_index_fail(index, CS_ERR_INVALID, "cs_passage_context: NULL argument")
                     : CS_ERR_INVALID;
    *out = NULL;
    *focus = 0;
    index->error_offset = -1;
    char key[CS_FILE_KEY_HEX + 1];
    uint64_t start;
    if (!parse_id(passage_id, key, &start))
        return _cs_index_fail(index, CS_ERR_INVALID, "malformed passage id");
    cs_search_options_t defaults;
    if (!options) {
        cs_search_options_init(&defaults);
        options = &defaults;
    }
    cs_status_t st;
    for (int i = 0;; i++) {
        cs_built_query_t built;
        int have;
        cs_matchset_t none = { NULL, 0, 0 };
        st = build_matches(index, query, options, &built, &have);
        if (!st)
            st = context_once(index, key, start, have ? &built.matches : &none,
                              have ? built.plan : NULL, context, out, focus);
        if (have)
            _cs_built_query_free(&built);
        if (st != CS_ERR_MODIFIED || i == MODIFIED_RETRIES)
            break;
        xc_error_t err;
        if (xc_db_reopen(index->db, &err))
            return _cs_index_fail(index, err.status, "%s", err.message);
    }
    return st;
}
