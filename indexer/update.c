/* update.c - cs_index_update(): bring an index up to date with its corpus.
 *
 * A run opens the index for writing (Xapian's lock keeps out a second
 * indexer), checks its schema, walks the corpus roots into a file list, and
 * then either
 *  - updates incrementally (an existing index): files whose size and mtime
 *    match their record are not read; new or changed ones have their
 *    passages (re)written; files no longer seen lose theirs; or
 *  - builds afresh (a new index, or --rebuild): writer threads each fill a
 *    shard beside the index, and the shards are compacted into place
 *    (bulk.c).  Analysis and Xapian's inverter then use every core, and the
 *    compacted index is about half the size of one written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "file_table.h"
#include "ingest.h"
#include "update_private.h"
#include "walk.h"

/* An incremental run commits every 2 MB of new text: Xapian buffers a
 * transaction in memory maps whose cost grows with their size. */
#define INCREMENTAL_BATCH_BYTES (2u << 20)

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

double _cs_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- errors, warnings, progress (all under the run's lock) -------------- */

/* A fatal error (@status != CS_OK: the first one is kept) or a warning
 * about a skipped file (@status == CS_OK: counted and reported). */
static void vreport(cs_run_t *r, cs_status_t status, const char *fmt, va_list ap)
{
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    pthread_mutex_lock(&r->lock);
    if (status && !r->status) {
        r->status = status;
        r->errmsg = strdup(msg);
    } else if (!status) {
        r->stats.files_skipped++;
        if (r->opt->callback)
            r->opt->callback(r->opt->callback_ctx, msg, &r->stats);
    }
    pthread_mutex_unlock(&r->lock);
}

cs_status_t _cs_run_fail(cs_run_t *r, cs_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(r, status, fmt, ap);
    va_end(ap);
    return status;
}

static void warn(cs_run_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(cs_run_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(r, CS_OK, fmt, ap);
    va_end(ap);
}

void _cs_run_progress(cs_run_t *r)
{
    pthread_mutex_lock(&r->lock);
    r->stats.seconds = _cs_now() - r->started;
    if (r->opt->callback)
        r->opt->callback(r->opt->callback_ctx, NULL, &r->stats);
    pthread_mutex_unlock(&r->lock);
}

/* ---- the file list ------------------------------------------------------ */

static int collect(void *ctx, const cs_walk_entry_t *e)
{
    cs_run_t *r = ctx;
    if (r->n_entries == r->cap_entries) {
        size_t cap = r->cap_entries ? 2 * r->cap_entries : 1024;
        cs_entry_t *grown = realloc(r->entries, cap * sizeof *grown);
        if (!grown)
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory listing files") != 0;
        r->entries = grown;
        r->cap_entries = cap;
    }
    cs_entry_t *entry = &r->entries[r->n_entries];
    entry->root = r->walking;
    entry->st = *e->st;
    entry->path = strdup(e->path);
    entry->rel = entry->path ? entry->path + (e->rel - e->path) : NULL;
    if (!entry->path)
        return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory listing files") != 0;
    _cs_file_key(r->roots[r->walking], entry->rel, entry->key);
    r->n_entries++;
    r->stats.files_total++;
    r->stats.bytes_total += (uint64_t)e->st->st_size;
    return 0;
}

static int on_walk_warning(void *ctx, const char *message)
{
    warn(ctx, "%s", message);
    return 0;
}

static cs_status_t list_files(cs_run_t *r)
{
    for (r->walking = 0; r->walking < r->n_roots && !r->status; r->walking++) {
        cs_status_t st = cs_walk(r->roots[r->walking], collect, on_walk_warning, r);
        if (st && !r->status)
            _cs_run_fail(r, st, "cannot walk corpus folder %s: %s", r->roots[r->walking],
                         cs_status_to_string(st));
    }
    return r->status;
}

/* ---- one file, in either mode ------------------------------------------- */

/* Skip a file with a warning; one the index holds loses its passages. */
static cs_status_t skip(cs_run_t *r, cs_file_entry_t *old, const char *path, const char *why)
{
    if (old)
        old->seen = 0;
    warn(r, "skipping %s: %s", path, why);
    return CS_OK;
}

/* The extractor for @e, chosen from its leading bytes before the whole
 * file is read (a corpus folder may hold a video); NULL with @why set. */
static const cs_extractor_t *choose(const cs_entry_t *e, char *why, size_t why_size)
{
    char head[CS_SNIFF_BYTES];
    int fd = open(e->path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof head);
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        snprintf(why, why_size, "%s", strerror(err));
        return NULL;
    }
    return _cs_ingest_choose(e->rel, head, (size_t)n, why, why_size);
}

cs_status_t _cs_run_file(cs_run_t *r, cs_writer_t *w, const cs_entry_t *e,
                         cs_file_entry_t *old)
{
    cs_file_facts_t f = { e->key, e->root, e->rel, &e->st, 0 };
    int same_root = old && old->rec.root == e->root;
    if (same_root && old->rec.size == (uint64_t)e->st.st_size &&
        old->rec.mtime_ns == mtime_ns(&e->st)) {
        pthread_mutex_lock(&r->lock);
        r->stats.files_unchanged++;
        pthread_mutex_unlock(&r->lock);
        return CS_OK;
    }
    char why[256];
    const cs_extractor_t *x = choose(e, why, sizeof why);
    if (!x)
        return skip(r, old, e->path, why);
    if (!_cs_writer_read(w, e->path, (size_t)e->st.st_size)) {
        if (errno == ENOMEM)
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory reading %s", e->path);
        return skip(r, old, e->path, strerror(errno));
    }
    f.hash = _cs_hash64(w->content.data, w->content.len, CS_HASH_SEED);
    uint32_t passages = 0;
    int touched_only = same_root && old->rec.hash == f.hash &&
                       old->rec.size == w->content.len;
    cs_extract_t ex;
    cs_status_t st = CS_OK;
    if (!touched_only) {
        st = _cs_ingest_extract(x, w->content.data, w->content.len, &ex);
        if (st)
            snprintf(why, sizeof why, "%s", ex.why[0] ? ex.why : cs_status_to_string(st));
        if (st)
            _cs_extract_free(&ex);
        if (st == CS_ERR_NOMEM)
            return _cs_run_fail(r, st, "out of memory reading %s", e->path);
        if (st)
            return skip(r, old, e->path, why);  /* no longer indexable: its passages go */
    }
    st = touched_only ? _cs_writer_record(w, &f, old->rec.passages)
                      : _cs_writer_index(w, &f, &ex, x->name, old != NULL, &passages);
    if (!touched_only)
        _cs_extract_free(&ex);
    if (st)
        return _cs_run_fail(r, st, "%s: %s", e->path, w->err.message);
    pthread_mutex_lock(&r->lock);
    if (!touched_only)
        r->stats.files_by_format[_cs_ingest_index(x)]++;
    r->stats.bytes += w->content.len;
    r->stats.passages += passages;
    if (touched_only)
        r->stats.files_unchanged++;
    else if (old)
        r->stats.files_changed++;
    else
        r->stats.files_added++;
    pthread_mutex_unlock(&r->lock);
    return CS_OK;
}

void _cs_run_count_seen(cs_run_t *r, const cs_entry_t *e)
{
    pthread_mutex_lock(&r->lock);
    r->stats.files_seen++;
    r->stats.bytes_seen += (uint64_t)e->st.st_size;
    pthread_mutex_unlock(&r->lock);
}

/* ---- metadata ------------------------------------------------------------ */

cs_status_t _cs_run_write_meta(cs_run_t *r, cs_writer_t *w)
{
    char schema[16];
    snprintf(schema, sizeof schema, "%d", CS_SCHEMA_VERSION);
    cs_status_t st = _cs_writer_set_meta(w, CS_META_SCHEMA, schema);
    if (!st)
        st = _cs_writer_set_meta(w, CS_META_LANGUAGE, r->language);
    if (!st)
        st = _cs_writer_set_meta(w, CS_META_ROOTS, r->roots_joined.data);
    return st ? _cs_run_fail(r, st, "%s", w->err.message) : CS_OK;
}

cs_status_t _cs_run_write_last_run(cs_run_t *r, cs_writer_t *w)
{
    char when[32];
    time_t t = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    const cs_update_stats_t *s = &r->stats;
    char summary[512];
    snprintf(summary, sizeof summary,
             "%s: %llu added, %llu changed, %llu removed, %llu unchanged, "
             "%llu skipped; %llu passages, %llu bytes read in %.2f s",
             when, (unsigned long long)s->files_added, (unsigned long long)s->files_changed,
             (unsigned long long)s->files_removed, (unsigned long long)s->files_unchanged,
             (unsigned long long)s->files_skipped, (unsigned long long)s->passages,
             (unsigned long long)s->bytes, _cs_now() - r->started);
    cs_status_t st = _cs_writer_set_meta(w, CS_META_LAST_RUN, summary);
    return st ? _cs_run_fail(r, st, "%s", w->err.message) : CS_OK;
}

/* ---- incremental mode ---------------------------------------------------- */

static cs_status_t remove_unseen(cs_run_t *r, cs_writer_t *w)
{
    for (size_t i = 0; i < r->files.cap && !r->status; i++) {
        cs_file_entry_t *e = r->files.slots[i];
        if (!e || e->seen)
            continue;
        cs_status_t st = _cs_writer_remove(w, e->key);
        if (st)
            return _cs_run_fail(r, st, "%s", w->err.message);
        r->stats.files_removed++;
    }
    return r->status;
}

static cs_status_t update_in_place(cs_run_t *r, xc_db_t *db)
{
    cs_writer_t w;
    cs_analyzer_t *an;
    char *msg = NULL;
    cs_status_t st = cs_analyzer_new(r->language, &an, &msg);
    if (st) {
        _cs_run_fail(r, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
        xc_db_free(db);
        return st;
    }
    if (_cs_writer_init(&w, db, an, INCREMENTAL_BATCH_BYTES) ||
        _cs_file_table_load(&r->files, db, &w.err))
        _cs_run_fail(r, w.err.status, "%s", w.err.message);
    if (!r->status)
        _cs_run_write_meta(r, &w);
    for (size_t i = 0; i < r->n_entries && !r->status; i++) {
        cs_entry_t *e = &r->entries[i];
        cs_file_entry_t *old = _cs_file_table_find(&r->files, e->key);
        if (old && strcmp(old->path, e->rel) != 0)
            old = NULL;  /* a 64-bit key collision: treat as another file */
        if (old)
            old->seen = 1;
        _cs_run_file(r, &w, e, old);
        _cs_run_count_seen(r, e);
        if (i % 64 == 63)
            _cs_run_progress(r);
    }
    if (!r->status)
        remove_unseen(r, &w);
    if (!r->status)
        _cs_run_write_last_run(r, &w);
    st = _cs_writer_finish(&w, r->status == CS_OK);
    if (st)
        _cs_run_fail(r, st, "%s", w.err.message);
    return r->status;
}

/* ---- setting up ---------------------------------------------------------- */

/* The run's roots: the given ones made absolute, or the recorded ones. */
static cs_status_t resolve_roots(cs_run_t *r, const char *recorded)
{
    const cs_update_options_t *o = r->opt;
    cs_buf_t *joined = &r->roots_joined;
    if (o->n_roots) {
        for (size_t i = 0; i < o->n_roots; i++) {
            char *abs = realpath(o->roots[i], NULL);
            if (!abs)
                return _cs_run_fail(r, CS_ERR_IO, "cannot read corpus folder %s: %s",
                                    o->roots[i], strerror(errno));
            if (strchr(abs, '\n')) {
                free(abs);
                return _cs_run_fail(r, CS_ERR_INVALID,
                                    "corpus folder %s: a root path may not hold a newline",
                                    o->roots[i]);
            }
            _cs_buf_printf(joined, "%s%s", i ? "\n" : "", abs);
            free(abs);
        }
    } else if (recorded && *recorded) {
        _cs_buf_append_str(joined, recorded);
    } else {
        return _cs_run_fail(r, CS_ERR_INVALID,
                            "no corpus given and none recorded in the index: use --corpus DIR");
    }
    if (joined->failed || _cs_split_roots(joined->data, &r->root_copy, &r->roots, &r->n_roots))
        return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    return CS_OK;
}

/* Read what the index records; decide the language and the mode. */
static cs_status_t prepare(cs_run_t *r, xc_db_t *db, int *bulk)
{
    int is_new;
    char *recorded_language = NULL, *recorded_roots = NULL, *msg = NULL;
    cs_status_t st = _cs_schema_read(db, &is_new, &recorded_language, &recorded_roots, &msg);
    if (st == CS_ERR_VERSION && r->opt->rebuild)
        st = CS_OK;  /* rebuilding is the cure */
    if (st) {
        _cs_run_fail(r, st, "%s: %s", r->index_path, msg ? msg : cs_status_to_string(st));
        free(msg);
        return st;
    }
    free(msg);
    const char *want = r->opt->language;
    const char *recorded = recorded_language && *recorded_language ? recorded_language : NULL;
    if (!is_new && !r->opt->rebuild && want && recorded && strcmp(want, recorded) != 0)
        _cs_run_fail(r, CS_ERR_LANGUAGE,
                     "the index at %s uses the language '%s': rebuild it with "
                     "--rebuild --language %s to change it", r->index_path, recorded, want);
    r->language = strdup(want ? want : recorded ? recorded : "english");
    if (!r->language)
        _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    /* an unknown language fails here, before any work */
    cs_analyzer_t *probe = NULL;
    if (!r->status && (st = cs_analyzer_new(r->language, &probe, &msg)) != CS_OK) {
        _cs_run_fail(r, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
    }
    cs_analyzer_free(probe);
    if (!r->status)
        resolve_roots(r, recorded_roots);
    *bulk = is_new || r->opt->rebuild;
    free(recorded_language);
    free(recorded_roots);
    return r->status;
}

void cs_update_options_init(cs_update_options_t *options)
{
    memset(options, 0, sizeof *options);
}

static void run_free(cs_run_t *r)
{
    for (size_t i = 0; i < r->n_entries; i++)
        free(r->entries[i].path);
    free(r->entries);
    free(r->root_copy);
    free(r->roots);
    free(r->language);
    _cs_buf_free(&r->roots_joined);
    _cs_file_table_free(&r->files);
    pthread_mutex_destroy(&r->lock);
}

cs_status_t cs_index_update(const char *index_path, const cs_update_options_t *options,
                            cs_update_stats_t *stats, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    cs_update_options_t defaults;
    if (!options) {
        cs_update_options_init(&defaults);
        options = &defaults;
    }
    if (!index_path || !*index_path) {
        _cs_set_message(errmsg, "cs_index_update: no index path");
        return CS_ERR_INVALID;
    }
    cs_run_t r = { .opt = options, .index_path = index_path, .started = _cs_now() };
    pthread_mutex_init(&r.lock, NULL);
    _cs_buf_init(&r.roots_joined);

    /* The index's own write lock is held for the whole run, in both modes;
     * opening never overwrites, so a failed --rebuild keeps the old index. */
    xc_db_t *db = NULL;
    xc_error_t err;
    if (xc_db_open(index_path, XC_OPEN_CREATE_OR_OPEN, &db, &err)) {
        if (err.status == CS_ERR_LOCKED)
            _cs_run_fail(&r, CS_ERR_LOCKED, "the index at %s is locked: another "
                         "`cybersearch index` is running on it", index_path);
        else
            _cs_run_fail(&r, err.status, "cannot open the index at %s: %s", index_path,
                         err.message);
    }
    int bulk = 0;
    if (!r.status && !prepare(&r, db, &bulk) && !list_files(&r)) {
        _cs_run_progress(&r);
        if (bulk)
            _cs_bulk_build(&r, &db);
        else {
            update_in_place(&r, db);
            db = NULL;  /* the writer closed it */
        }
    }
    xc_db_free(db);
    r.stats.seconds = _cs_now() - r.started;
    if (r.opt->callback)
        r.opt->callback(r.opt->callback_ctx, NULL, &r.stats);
    if (stats)
        *stats = r.stats;
    cs_status_t status = r.status;
    if (errmsg) {
        *errmsg = r.errmsg;
        r.errmsg = NULL;
    }
    free(r.errmsg);
    run_free(&r);
    return status;
}
