/* search.c - cs_search(): parse, build, rank, and turn matches into hits. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rank.h"
#include "results.h"

/* Counting: phrase and NEAR queries are counted exactly up to COUNT_DEPTH
 * matching passages (Xapian examines that many; their estimates, guessed
 * from term statistics alone, were off by 20 times), every query with
 * cs_search_options_t.exact_count exactly; examining that many for every
 * query cost 20-50% on words of medium frequency.  Files cost more: each match's
 * file key is a lookup, and Xapian's collapse examines every match, 40 ms
 * for a word in 29,000 passages.  So the files are counted exactly when
 * the candidates read were all the matches, when the passages are exactly
 * known and at most FILES_EXACT_LIMIT, or with exact_count; otherwise only
 * a lower bound is known, the files of the candidates read. */
#define COUNT_DEPTH 1000
#define FILES_EXACT_LIMIT 200

void cs_search_options_init(cs_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->per_file = CS_RANK_PER_FILE;
    o->snippet_words = 40;
}

/* Has the file @rel below @root (its key: @file) changed since it was
 * indexed?  Its file record's size and mtime decide (the same commit wrote
 * it and its passages); when only the mtime moved, the content hash does.  -1: cannot
 * tell, as its corpus root is not reachable here (a remote index, or one
 * copied from another machine); a file gone from a root that is here, or
 * without a record, is stale.  -2: reading the record failed (@err). */
static int is_stale(xc_db_t *db, const char *root, const char *rel, uint64_t file,
                    xc_error_t *err)
{
    struct stat root_st;
    if (!*root || stat(root, &root_st) != 0)
        return -1;
    char path[8192];
    int n = snprintf(path, sizeof path, "%s/%s", root, rel);
    struct stat st;
    if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0)
        return 1;
    char key[CS_FILE_KEY_HEX + 1], *value = NULL;
    cs_file_record_t rec;
    int found = 0;
    _cs_file_key_format(file, key);
    if (_cs_store_get_file(db, key, &value, &rec, &found, err))
        return -2;
    uint64_t size = rec.size, hash = rec.hash;
    int64_t mtime_ns = rec.mtime_ns;
    free(value);
    if (!found || (uint64_t)st.st_size != size)
        return 1;
    int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (mtime == mtime_ns)
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
    return got < 0 || h != hash;
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

/* Candidate @i of @mset, before its record is read: its BM25 score. */
static void set_candidate(const xc_mset_t *mset, size_t i, cs_hit_t *hit)
{
    hit->candidate = i;
    hit->docid = xc_mset_docid(mset, i);
    hit->bm25 = _cs_rank_bm25(mset, i);
    hit->score = hit->bm25;
}

/* The record of @hit, candidate hit->candidate of @mset (the document's
 * data stays with the hit until phase 2). */
static cs_status_t read_record(cs_index_t *index, const xc_mset_t *mset, cs_hit_t *hit)
{
    xc_error_t err;
    size_t len;
    if (xc_mset_data(mset, hit->candidate, &hit->data, &len, &err))
        return _cs_index_fail(index, err.status, "%s", err.message);
    if (!_cs_passage_record_decode(hit->data, len, &hit->rec))
        return _cs_index_fail(index, CS_ERR_CORRUPT,
                              "passage %u has a malformed record: rebuild the index",
                              hit->docid);
    return CS_OK;
}

/* Candidate @i of @mset with its record, and its file's key from the record
 * (the same as the file slot's value). */
static cs_status_t read_candidate(cs_index_t *index, const cs_results_t *r,
                                  const xc_mset_t *mset, size_t i, cs_hit_t *hit)
{
    set_candidate(mset, i, hit);
    cs_status_t st = read_record(index, mset, hit);
    if (st)
        return st;
    hit->file = _cs_file_key_number(hit->rec.root < r->n_roots ? r->root_list[hit->rec.root] : "",
                                    hit->rec.path, hit->rec.path_len);
    return CS_OK;
}

/* The proximity boost of a candidate in the rerank pool. */
static cs_status_t boost_candidate(cs_index_t *index, const cs_built_query_t *built,
                                   cs_hit_t *hit)
{
    double proximity;
    if (!_cs_rank_proximity(index->term_analyzer, &built->proximity, hit->rec.text,
                               hit->rec.text_len, &proximity))
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    hit->proximity = proximity;
    hit->boosted = 1;
    hit->score = _cs_rank_boosted(hit->bm25 + hit->evidence, proximity);
    return CS_OK;
}

/* ---- a small table from a file to a number ---------------------------- */

/* Keyed by the file key (cs_hit_t.file); entries start at 0. */
typedef struct file_entry {
    size_t count;        /* passages read (the cap); staleness (finish_hit) */
    cs_file_evidence_t evidence;
} file_entry_t;

typedef struct file_table {
    uint64_t *keys;      /* 0: empty */
    file_entry_t *values;
    size_t mask;
} file_table_t;

static int file_table_init(file_table_t *t, size_t entries)
{
    size_t slots = 16;
    while (slots < 2 * entries)
        slots *= 2;
    t->keys = calloc(slots, sizeof *t->keys);
    t->values = calloc(slots, sizeof *t->values);
    t->mask = slots - 1;
    return t->keys && t->values;
}

/* Also for a table never made (zeroed). */
static void file_table_free(file_table_t *t)
{
    free(t->keys);
    free(t->values);
}

/* The entry of file @file; with @add, a new one when it has none (the
 * table holds at most the entries it was made for), else NULL. */
static file_entry_t *file_table_at(file_table_t *t, uint64_t file, int add)
{
    uint64_t key = file | 1;   /* 0 marks an empty slot */
    size_t i = (size_t)key & t->mask;
    while (t->keys[i] && t->keys[i] != key)
        i = (i + 1) & t->mask;
    if (!t->keys[i] && !add)
        return NULL;
    t->keys[i] = key;
    return &t->values[i];
}

static size_t *file_table_get(file_table_t *t, uint64_t file)
{
    return &file_table_at(t, file, 1)->count;
}

/* Phase 2, the hits shown: citation, staleness (checked once per file:
 * a page often holds several passages of one, and @stale remembers),
 * snippet, missing words.  @i is the hit's place on the page. */
static cs_status_t finish_hit(cs_index_t *index, const cs_results_t *r,
                              const cs_built_query_t *built, const xc_query_t *ranked_by,
                              const cs_search_options_t *o, file_table_t *stale, size_t i)
{
    cs_hit_t *hit = &r->hits[i];
    const cs_passage_record_t *rec = &hit->rec;
    hit->root = rec->root < r->n_roots ? r->root_list[rec->root] : "";
    hit->path = strndup(rec->path, rec->path_len);
    hit->passage = (cs_span_t){ rec->start, rec->end, rec->line, rec->col };
    int ok = _cs_hit_set_locator(hit, rec) && hit->path;
    size_t *known = file_table_get(stale, hit->file);   /* 0 unchecked, 1 fresh, 2 stale,
                                                           3 cannot tell */
    if (ok && !*known) {
        xc_error_t err;
        int s = is_stale(index->db, hit->root, hit->path, hit->file, &err);
        if (s == -2)
            return _cs_index_fail(index, err.status, "%s", err.message);
        *known = s < 0 ? 3 : 1 + (size_t)s;
    }
    hit->stale = *known == 2;
    hit->stale_unknown = *known == 3;
    if (ok && o->explain) {
        cs_status_t st = _cs_rank_explain(index, ranked_by, hit);
        if (st)
            return st;
    }
    if (ok && !o->no_snippets)
        ok = _cs_snippet_make(index->analyzer, &built->matches, built->plan, rec,
                              o->snippet_words, &hit->snippet);
    hit->missing = ok && r->relaxed && !o->no_snippets
                       ? missing_words(&built->matches, hit->snippet.found)
                       : strdup("");
    free(hit->data);
    hit->data = NULL;
    if (!ok || !hit->missing)
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    return CS_OK;
}

/* ---- the ranking: deterministic, and the same for every page ----------- */

/* Order of the candidates before the rerank: BM25, then a key that every
 * build of the same corpus shares (path, root, byte offset), never the
 * document id, which threads and incremental runs assign differently. */
static int compare_stable(const cs_hit_t *x, const cs_hit_t *y)
{
    size_t n = x->rec.path_len < y->rec.path_len ? x->rec.path_len : y->rec.path_len;
    int c = memcmp(x->rec.path, y->rec.path, n);
    if (c)
        return c;
    if (x->rec.path_len != y->rec.path_len)
        return x->rec.path_len < y->rec.path_len ? -1 : 1;
    if (x->rec.root != y->rec.root)
        return x->rec.root < y->rec.root ? -1 : 1;
    return x->rec.start < y->rec.start ? -1 : x->rec.start > y->rec.start;
}

/* By BM25 with the file's evidence, before the proximity rerank. */
static int compare_bm25(const void *a, const void *b)
{
    const cs_hit_t *x = a, *y = b;
    double bx = x->bm25 + x->evidence, by = y->bm25 + y->evidence;
    if (bx != by)
        return bx < by ? 1 : -1;
    return compare_stable(x, y);
}

static int compare_score(const void *a, const void *b)
{
    const cs_hit_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return compare_bm25(a, b);
}

/* How many ranked candidates a page needs: all down to its last hit, and
 * at least the whole rerank pool when there is a proximity boost. */
static size_t wanted(const cs_search_options_t *o, const cs_built_query_t *built)
{
    if (o->limit == 0)
        return 0;
    size_t n = o->offset + o->limit;
    return built->proximity.count >= 2 && n < CS_RANK_POOL ? CS_RANK_POOL : n;
}

/* Xapian's top @n for @query, at most @per_file (0: any number) from a
 * file, examining at least @check matches for the counts. */
static cs_status_t run(cs_index_t *index, const xc_query_t *query, size_t per_file,
                       size_t n, size_t check, xc_mset_t **mset)
{
    xc_error_t err;
    xc_enquire_t *enq = NULL;
    uint32_t max = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    uint32_t at_least = check > UINT32_MAX ? UINT32_MAX : (uint32_t)check;
    cs_status_t st = xc_enquire_new(index->db, &enq, &err);
    if (!st)
        st = xc_enquire_set_query(enq, query, &err);
    if (!st)
        st = _cs_rank_weighting(enq, &err);
    if (!st && per_file > 0)
        st = xc_enquire_set_collapse_key(enq, _cs_store_file_slot(), (uint32_t)per_file, &err);
    if (!st)
        st = xc_enquire_get_mset(enq, 0, max, at_least, mset, &err);
    xc_enquire_free(enq);
    if (st)
        return _cs_index_fail(index, st, "%s", err.message);
    return CS_OK;
}

static void drop_hits(cs_results_t *r)
{
    for (size_t i = 0; i < r->count; i++)
        _cs_hit_free(&r->hits[i]);
    free(r->hits);
    r->hits = NULL;
    r->count = 0;
}

/* What the first run's candidates tell of the files: how many distinct
 * files they are in, and whether they were all the matches. */
typedef struct sample {
    size_t files;
    int all;
} sample_t;

/* The document evidence (rank.h) of the first run's candidates. */
typedef struct evidence {
    file_table_t files;
    double threshold;   /* the BM25 score of the depth's last candidate */
    int strict;         /* its ties run past the candidates read: only the
                         * passages above it count (see collect) */
} evidence_t;

/* Does a passage of BM25 @bm25 give and gain evidence? */
static int within_depth(const evidence_t *ev, double bm25)
{
    return ev->strict ? bm25 > ev->threshold : bm25 >= ev->threshold;
}

/* Read @mset's candidates in order into r->hits, at most @per_file (0: any
 * number) from a file, until @want are taken and every candidate tied
 * with the last of them is read too: which of a tie the page keeps must
 * not depend on Xapian's order, the document ids.  Within one file ids
 * follow byte offsets in every build, so the cap agrees with the stable
 * order.  *complete is set when that was possible within @mset.  When
 * Xapian had no more matches than @mset holds, the rest are read for
 * their files too, into @sample.
 *
 * With @files, the file keys of @mset's candidates (the first run with
 * document evidence), every candidate at or above ev->threshold is taken
 * too and counted in its file's entry of ev->files; their records are
 * left unread, for read_contenders() to read those that may be shown. */
static cs_status_t take(cs_index_t *index, const xc_mset_t *mset, size_t requested,
                        size_t per_file, size_t want, cs_results_t *r, int *complete,
                        sample_t *sample, evidence_t *ev, const uint64_t *files)
{
    size_t size = xc_mset_size(mset);
    file_table_t seen;      /* passages read per file */
    r->hits = calloc(size ? size : 1, sizeof *r->hits);
    cs_status_t st = r->hits && file_table_init(&seen, size)
                         ? CS_OK : _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    if (st) {
        free(r->hits);
        r->hits = NULL;
        return st;
    }
    int exhausted = size < requested;
    double boundary = 0;
    *complete = 0;
    sample->files = 0;
    size_t i = 0;
    for (; i < size && !st; i++) {
        double weight = xc_mset_weight(mset, i);
        int needed = want > 0 && (!(r->count >= want && weight < boundary) ||
                                  (files && within_depth(ev, _cs_rank_bm25(mset, i))));
        if (!needed) {
            *complete = 1;
            if (!exhausted)
                break;
        }
        cs_hit_t spare = { 0 }, *hit = needed ? &r->hits[r->count] : &spare;
        if (files) {
            set_candidate(mset, i, hit);
            hit->file = files[i];
        } else {
            st = read_candidate(index, r, mset, i, hit);
        }
        if (!st && files && within_depth(ev, hit->bm25))
            _cs_rank_evidence_add(&file_table_at(&ev->files, hit->file, 1)->evidence,
                                  hit->bm25);
        size_t *count = st ? NULL : file_table_get(&seen, hit->file);
        sample->files += count && *count == 0;
        if (st || !needed || (per_file && *count >= per_file)) {  /* the file has its share */
            if (count)
                ++*count;
            _cs_hit_free(hit);
            memset(hit, 0, sizeof *hit);
            continue;
        }
        ++*count;
        if (++r->count == want)
            boundary = xc_mset_weight(mset, i);
    }
    if (i == size && exhausted)
        *complete = 1;   /* Xapian had no more */
    sample->all = i == size && exhausted;
    file_table_free(&seen);
    return st;
}

static int store_file(void *ctx, size_t i, const char *value, size_t len)
{
    /* 0 when malformed: every passage has a well-formed key (lib/schema.h) */
    _cs_store_file_value_key(value, len, &((uint64_t *)ctx)[i]);
    return 0;
}

/* The file keys of @mset's candidates, from their file slot values
 * (Xapian keeps a slot's values together: reading a thousand costs a
 * small share of reading their records), into *files (malloc'd). */
static cs_status_t read_files(cs_index_t *index, const xc_mset_t *mset, uint64_t **files)
{
    size_t size = xc_mset_size(mset);
    uint32_t *docids = malloc((size ? size : 1) * sizeof *docids);
    *files = calloc(size ? size : 1, sizeof **files);
    if (!docids || !*files) {
        free(docids);
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < size; i++)
        docids[i] = xc_mset_docid(mset, i);
    xc_error_t err;
    cs_status_t st = xc_db_values(index->db, _cs_store_file_slot(), docids, size, store_file, *files,
                                  &err);
    free(docids);
    return st ? _cs_index_fail(index, st, "%s", err.message) : CS_OK;
}

/* By BM25 with the file's evidence alone (read_contenders). */
static int compare_evidence(const void *a, const void *b)
{
    const cs_hit_t *x = a, *y = b;
    double bx = x->bm25 + x->evidence, by = y->bm25 + y->evidence;
    return bx < by ? 1 : bx > by ? -1 : 0;
}

/* Keep of the @r->count candidates those scoring at least the @want-th,
 * reading the records they lack: only they can make the page, and the
 * stable order among their ties needs their paths.  The rest go unread. */
static cs_status_t read_contenders(cs_index_t *index, cs_results_t *r, size_t want)
{
    qsort(r->hits, r->count, sizeof *r->hits, compare_evidence);
    size_t n = r->count;
    if (want > 0 && want < n) {
        double last = r->hits[want - 1].bm25 + r->hits[want - 1].evidence;
        for (n = want; n < r->count && r->hits[n].bm25 + r->hits[n].evidence >= last; n++)
            ;
    }
    cs_status_t st = CS_OK;
    for (size_t i = 0; i < n && !st; i++)
        if (!r->hits[i].data)
            st = read_record(index, r->weights, &r->hits[i]);
    for (size_t i = n; i < r->count; i++)
        _cs_hit_free(&r->hits[i]);
    r->count = n;
    return st;
}

/* ---- a query that weighs nothing -------------------------------------- */

/* A query of filters alone (year:2020, NOT cyber) weighs every match 0:
 * one tie of them all, whose page is the stable order's first passages.
 * Reading every tied candidate's record to find them cost 0.7 s for
 * year:1946..2024.  Instead one run counts the passages; a second,
 * collapsed to per_file passages a file, holds every file's first ones
 * (Xapian's uncollapsed count of it is no exact count: 579 of 9,154); the
 * file slot gives each candidate's file, the file records give the files'
 * paths, and only the page's records are read. */

/* Beyond this many files, one pass over all the file records is cheaper
 * than looking up each (a pass over 10,952 took 5 ms). */
#define TIE_LOOKUPS 256

typedef struct tie_file {
    char *path;             /* malloc'd, from the file record */
    size_t path_len;
    uint32_t root;
} tie_file_t;

/* A candidate of the tie, in the stable order: its file's path and root,
 * then its document id, as within a file ids follow byte offsets. */
typedef struct tie_entry {
    const tie_file_t *file;
    uint32_t docid;
    size_t candidate;
} tie_entry_t;

static int compare_tie(const void *a, const void *b)
{
    const tie_entry_t *x = a, *y = b;
    if (x->file != y->file) {
        size_t n = x->file->path_len < y->file->path_len ? x->file->path_len : y->file->path_len;
        int c = memcmp(x->file->path, y->file->path, n);
        if (c)
            return c;
        if (x->file->path_len != y->file->path_len)
            return x->file->path_len < y->file->path_len ? -1 : 1;
        if (x->file->root != y->file->root)
            return x->file->root < y->file->root ? -1 : 1;
    }
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* The tie's files: file key -> 1 + its place in @files (entry count). */
typedef struct tie_files {
    file_table_t places;
    tie_file_t *files;
    size_t count;
    int nomem;
} tie_files_t;

static void note_path(tie_files_t *t, uint64_t key, const cs_file_record_t *rec)
{
    file_entry_t *e = file_table_at(&t->places, key, 0);
    tie_file_t *f = e ? &t->files[e->count - 1] : NULL;
    if (!f || f->path)
        return;
    f->path = strndup(rec->path, rec->path_len);
    f->path_len = rec->path_len;
    f->root = rec->root;
    t->nomem |= !f->path;
}

static int visit_tie_file(void *ctx, const char *key, const cs_file_record_t *rec)
{
    uint64_t number;
    if (_cs_file_key_parse(key, &number))
        note_path(ctx, number, rec);
    return ((tie_files_t *)ctx)->nomem;
}

/* The paths of @t's files, from their records. */
static cs_status_t read_tie_paths(cs_index_t *index, tie_files_t *t, const uint64_t *keys,
                                  size_t n)
{
    xc_error_t err;
    cs_status_t st = CS_OK;
    if (t->count > TIE_LOOKUPS) {
        st = _cs_store_each_file(index->db, visit_tie_file, t, &err);
    } else {
        for (size_t i = 0; i < n && !st && !t->nomem; i++) {
            if (t->files[file_table_at(&t->places, keys[i], 0)->count - 1].path)
                continue;
            char hex[CS_FILE_KEY_HEX + 1], *value = NULL;
            cs_file_record_t rec;
            int found = 0;
            _cs_file_key_format(keys[i], hex);
            st = _cs_store_get_file(index->db, hex, &value, &rec, &found, &err);
            if (!st && found)
                note_path(t, keys[i], &rec);
            free(value);
        }
    }
    if (st)
        return _cs_index_fail(index, st, "%s", err.message);
    if (t->nomem)
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->count; i++)
        if (!t->files[i].path)
            return _cs_index_fail(index, CS_ERR_CORRUPT, "a file of the matching passages "
                                  "has no file record: rebuild the index");
    return CS_OK;
}

static void tie_files_free(tie_files_t *t)
{
    for (size_t i = 0; t->files && i < t->count; i++)
        free(t->files[i].path);
    free(t->files);
    file_table_free(&t->places);
}

/* The first @want candidates of the tie into r->hits, at most @per_file
 * (0: any number) from a file; @check is at least the matches. */
static cs_status_t collect_weightless(cs_index_t *index, const xc_query_t *query, size_t want,
                                      size_t per_file, size_t check, cs_results_t *r,
                                      sample_t *sample)
{
    xc_mset_t *mset = NULL;
    cs_status_t st = run(index, query, 0, 0, check, &mset);   /* the passages */
    if (!st)
        xc_mset_counts(mset, 0, &r->passages.lower, &r->passages.estimate, &r->passages.upper);
    xc_mset_free(mset);
    mset = NULL;
    if (!st)
        st = run(index, query, per_file, check, check, &mset);
    if (st)
        return st;
    r->weights = mset;
    size_t size = xc_mset_size(mset);
    uint64_t *keys = NULL, lower, estimate, upper;
    xc_mset_counts(mset, 1, &lower, &estimate, &upper);
    sample->all = lower == upper && upper == size;
    tie_files_t t = { { 0 }, NULL, 0, 0 };
    tie_entry_t *order = malloc((size ? size : 1) * sizeof *order);
    st = read_files(index, mset, &keys);
    if (!st && (!order || !file_table_init(&t.places, size) ||
                !(t.files = calloc(size ? size : 1, sizeof *t.files))))
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < size; i++) {   /* each file a place */
        file_entry_t *e = file_table_at(&t.places, keys[i], 1);
        if (!e->count)
            e->count = ++t.count;
    }
    if (!st)
        st = read_tie_paths(index, &t, keys, size);
    for (size_t i = 0; !st && i < size; i++)
        order[i] = (tie_entry_t){ &t.files[file_table_at(&t.places, keys[i], 0)->count - 1],
                                  xc_mset_docid(mset, i), i };
    if (!st)
        qsort(order, size, sizeof *order, compare_tie);
    size_t n = want < size ? want : size;
    if (!st && !(r->hits = calloc(n ? n : 1, sizeof *r->hits)))
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < n; i++) {
        st = read_candidate(index, r, mset, order[i].candidate, &r->hits[i]);
        r->count += !st;
    }
    sample->files = t.count;
    tie_files_free(&t);
    free(order);
    free(keys);
    return st;
}

/* The ranked candidates of @query down to wanted(), at most per_file from
 * a file, in the stable order.  Xapian's own collapse reads each matching
 * passage's file key and keeps it from skipping passages that cannot reach
 * the top, which cost up to 5 times the whole query on words in many
 * passages; so the match first runs without it, fetching twice the
 * candidates, and the cap is applied here to the passages read anyway.
 * Only when those are too few (the best passages crowd into few files, or
 * a tie runs past them) does the match run again with Xapian's collapse,
 * on a growing window.  The counts come from the first run, which examines
 * @check matches at least.  With document evidence the first run's
 * candidates are ranked by their BM25 and file keys alone, and only those
 * that may be shown are read. */
static cs_status_t collect(cs_index_t *index, const xc_query_t *query,
                           const cs_search_options_t *o, const cs_built_query_t *built,
                           size_t check, cs_results_t *r, sample_t *sample)
{
    size_t want = wanted(o, built), per_file = o->per_file > 0 ? (size_t)o->per_file : 0;
    if (want && built->matches.count == 0 && query == built->query)
        return collect_weightless(index, query, want, per_file, check, r, sample);
    size_t n = 2 * want + 10;
    size_t depth = o->file_evidence ? CS_RANK_EVIDENCE_DEPTH : 0;
    if (want && depth && n < depth + 10)
        n = depth + 10;   /* ties at the depth are read too, up to 10 */
    xc_mset_t *mset = NULL;
    int complete = 0;
    evidence_t ev = { { 0 }, HUGE_VAL, 0 };   /* none */
    size_t window = depth + 10;   /* the candidates that settle the evidence */
    uint64_t *files = NULL;
    cs_status_t st = run(index, query, 0, want ? n : 0, check > n ? check : n, &mset);
    if (!st) {
        xc_mset_counts(mset, 0, &r->passages.lower, &r->passages.estimate,
                       &r->passages.upper);
        r->weights = mset;   /* the term statistics, for the highlights */
        mset = NULL;
        size_t size = xc_mset_size(r->weights);
        if (depth && size)
            ev.threshold = _cs_rank_bm25(r->weights, (size < depth ? size : depth) - 1);
        /* When the depth's ties may run past the window, which of them
         * would count depends on what is read (the page) and on Xapian's
         * order among them (document ids): none counts.  Every passage
         * above them is within the window, whatever page is asked for. */
        ev.strict = depth && size >= window &&
                    _cs_rank_bm25(r->weights, window - 1) >= ev.threshold;
        if (depth && !file_table_init(&ev.files, size))
            st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
        if (!st && depth && size && want)
            st = read_files(index, r->weights, &files);
    }
    if (!st)
        st = take(index, r->weights, want ? n : 0, per_file, want, r, &complete, sample, &ev,
                  files);
    free(files);
    sample_t later;
    while (!st && !complete) {
        drop_hits(r);
        xc_mset_free(mset);
        mset = NULL;
        n *= 4;
        st = run(index, query, per_file, n, n, &mset);
        if (!st)
            st = take(index, mset, n, per_file, want, r, &complete, &later, &ev, NULL);
    }
    xc_mset_free(mset);
    /* a file's other passages within the depth add to each of its own
     * (without the option, set_candidate's score = bm25 stands) */
    for (size_t i = 0; !st && depth && i < r->count; i++) {
        cs_hit_t *hit = &r->hits[i];
        file_entry_t *e = file_table_at(&ev.files, hit->file, 0);
        if (e && within_depth(&ev, hit->bm25))
            hit->evidence = _cs_rank_evidence(&e->evidence, hit->bm25);
        hit->score = hit->bm25 + hit->evidence;
    }
    file_table_free(&ev.files);
    if (!st && depth)
        st = read_contenders(index, r, want);
    if (st)
        return st;
    qsort(r->hits, r->count, sizeof *r->hits, compare_bm25);
    for (size_t i = want; i < r->count; i++)
        _cs_hit_free(&r->hits[i]);
    if (r->count > want)
        r->count = want;
    return CS_OK;
}

/* Rerank the pool and keep [offset, offset + limit). */
static cs_status_t keep_page(cs_index_t *index, cs_results_t *r, const cs_built_query_t *built,
                             const cs_search_options_t *o)
{
    if (built->proximity.count >= 2) {
        size_t pool = r->count < CS_RANK_POOL ? r->count : CS_RANK_POOL;
        for (size_t i = 0; i < pool; i++) {
            cs_status_t st = boost_candidate(index, built, &r->hits[i]);
            if (st)
                return st;
        }
        qsort(r->hits, pool, sizeof *r->hits, compare_score);
    }
    size_t first = o->offset < r->count ? o->offset : r->count;
    size_t last = o->limit < r->count - first ? first + o->limit : r->count;
    for (size_t i = 0; i < r->count; i++)
        if (i < first || i >= last)
            _cs_hit_free(&r->hits[i]);
    memmove(r->hits, r->hits + first, (last - first) * sizeof *r->hits);
    r->count = last - first;
    for (size_t i = 0; i < r->count; i++)
        r->hits[i].rank = o->offset + i + 1;
    return CS_OK;
}

/* How many files hold a match: one more run, collapsed to a passage per
 * file, which counts no further than @check matches (so exactly when the
 * passages are few or exact counts were asked for). */
static cs_status_t count_files(cs_index_t *index, const xc_query_t *query, size_t check,
                               cs_results_t *r)
{
    xc_mset_t *mset = NULL;
    cs_status_t st = run(index, query, 1, check, check, &mset);
    if (!st)
        xc_mset_counts(mset, 1, &r->files.lower, &r->files.estimate, &r->files.upper);
    xc_mset_free(mset);
    return st;
}

/* How many matches the first run examines, for the counts: Xapian counts
 * a word's passages exactly from its statistics, estimates other queries
 * within proven bounds, and guesses phrases and NEAR from term statistics
 * alone, so those are counted.  A query of filters alone (year:2020,
 * NOT cyber) looks for no word: every match weighs 0, so Xapian stops at
 * the first it needs and guessed 16 passages of year:2020's 9,154; with
 * nothing to weigh, counting them all is cheap, so they are counted (and
 * rank() counts their files: year:2020 asks how many speeches). */
static size_t counting_depth(cs_index_t *index, const cs_search_options_t *o,
                             const cs_built_query_t *built)
{
    if (!o->exact_count && built->matches.count > 0)
        return built->positional ? COUNT_DEPTH : 0;
    uint64_t docs = 0;
    xc_db_doccount(index->db, &docs, NULL);
    return (size_t)docs + 1;
}

/* Search @query (the built query or its relaxed form) into @r. */
static cs_status_t rank(cs_index_t *index, const xc_query_t *query,
                        const cs_search_options_t *o, const cs_built_query_t *built,
                        cs_results_t *r)
{
    sample_t sample = { 0, 0 };
    cs_status_t st = collect(index, query, o, built, counting_depth(index, o, built), r, &sample);
    if (st)
        return st;
    cs_count_t *p = &r->passages;
    if (sample.all) {
        r->files = (cs_count_t){ sample.files, sample.files, sample.files };
        return CS_OK;
    }
    if (o->exact_count || built->matches.count == 0 ||
        (p->lower == p->upper && p->upper <= FILES_EXACT_LIMIT))
        return count_files(index, query, (size_t)p->upper + 1, r);
    r->files = (cs_count_t){ sample.files, sample.files, p->upper };
    return CS_OK;
}

cs_status_t _cs_query_prepare(cs_index_t *index, const char *query,
                              const cs_search_options_t *options, cs_built_query_t *built)
{
    cs_qnode_t *tree = NULL;
    size_t err_offset = 0;
    char *msg = NULL;
    if (strlen(query) > CS_QUERY_MAX_BYTES)
        return _cs_index_fail(index, CS_ERR_BAD_QUERY, "the query is too long: %zu bytes, "
                              "over the limit of %d", strlen(query), CS_QUERY_MAX_BYTES);
    cs_status_t st = options->plain ? cs_query_parse_plain(query, &tree)
                                    : cs_query_parse_fields(query, index->user_fields, &tree,
                                                            &err_offset, &msg);
    if (st) {
        index->error_offset = (long)err_offset;
        _cs_index_fail(index, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
        return st;
    }
    st = _cs_query_build(index, tree, options->any, built);
    cs_qnode_free(tree);
    return st;
}

static cs_status_t search_once(cs_index_t *index, const char *query,
                               const cs_search_options_t *options, cs_results_t **out)
{
    cs_built_query_t built;
    cs_status_t st = _cs_query_prepare(index, query, options, &built);
    if (st)
        return st;

    cs_results_t *r = calloc(1, sizeof *r);
    if (!r) {
        _cs_built_query_free(&built);
        return _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    }
    if (_cs_split_roots(index->roots, &r->root_copy, &r->root_list, &r->n_roots))
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    /* counts only (facets, no hits): the facets' own pass is the match */
    int counts_only = options->limit == 0 && options->n_facets > 0;
    cs_expansion_t expansion = { 0 };
    if (!st && !counts_only && options->expand)
        st = _cs_rank_expand(index, &built, built.query, options->any, &expansion);
    const xc_query_t *ranked_by = built.query;
    if (!st && !counts_only && expansion.query)
        ranked_by = expansion.query;
    if (!st && !counts_only)
        st = rank(index, ranked_by, options, &built, r);
    if (!st && !counts_only && r->passages.estimate == 0 && built.relaxed) {
        drop_hits(r);
        xc_mset_free(r->weights);
        r->weights = NULL;
        r->relaxed = 1;
        ranked_by = built.relaxed;
        /* feedback from the relaxed query's passages (the full query found
         * none); its words are alternatives, so the added terms are too */
        if (options->expand) {
            _cs_expansion_free(&expansion);
            st = _cs_rank_expand(index, &built, built.relaxed, 1, &expansion);
            if (!st && expansion.query)
                ranked_by = expansion.query;
        }
        if (!st)
            st = rank(index, ranked_by, options, &built, r);
    }
    if (!st) {
        uint64_t docs = 0;
        xc_db_doccount(index->db, &docs, NULL);
        _cs_matchset_weigh(&built.matches, r->weights, docs);
        if (r->relaxed) {
            r->description = _cs_strdup_printf("any of the words, as no passage holds "
                                               "all: %s", built.description);
        } else {
            r->description = built.description;   /* handed over */
            built.description = NULL;
        }
        /* facets count what matches the query itself, never the relaxed
         * fallback's partial matches */
        if (options->n_facets)
            st = _cs_facets_collect(index, built.query, options, r);
        if (!st && counts_only)
            _cs_facets_counts(r);
        else if (!st)
            st = keep_page(index, r, &built, options);
    }
    file_table_t stale = { 0 };
    if (!st && !file_table_init(&stale, r->count))
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->count && !st; i++)
        st = finish_hit(index, r, &built, ranked_by, options, &stale, i);
    file_table_free(&stale);
    xc_mset_free(r->weights);
    r->weights = NULL;
    _cs_built_query_free(&built);
    _cs_expansion_free(&expansion);
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
