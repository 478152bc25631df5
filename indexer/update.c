/* update.c - cs_index_update(): bring an index up to date with its corpus.
 *
 * A run opens the index for writing (Xapian's lock keeps out a second
 * indexer), checks its schema, walks the corpus roots into a file list, and
 * then either
 *  - updates incrementally (an existing index): files whose size and mtime
 *    match their record are not read; new or changed ones have their
 *    passages (re)written; files no longer seen lose theirs; or
 *  - builds afresh (a new index, or --rebuild): writer threads each fill a
 *    scratch database beside the index, and the scratch databases are
 *    compacted into a new version of it, which xc_db_install switches in
 *    (bulk.c).  Analysis and Xapian's inverter then use every core, and the
 *    compacted index is about half the size of one written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
    char raw[4096];
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* messages name corpus files, whose names may hold anything: they are
     * made safe to print here, once for every caller */
    cs_buf_t safe;
    _cs_buf_init(&safe);
    _cs_buf_append_safe(&safe, raw, strlen(raw));
    const char *msg = safe.failed || !safe.data ? "(out of memory formatting a message)"
                                                : safe.data;
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
    _cs_buf_free(&safe);
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

/* A warning about metadata (a file is still indexed): reported, not
 * counted as a skipped file. */
static void notice(cs_run_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(cs_run_t *r, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&r->lock);
    if (r->opt->callback)
        r->opt->callback(r->opt->callback_ctx, msg, &r->stats);
    pthread_mutex_unlock(&r->lock);
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
    if (_cs_sidecar_is_name(e->rel))
        return 0;   /* the root's metadata, not a document */
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

static int on_walk_warning(void *ctx, const char *message, const char *unreadable)
{
    cs_run_t *r = ctx;
    if (unreadable && !*unreadable)  /* the root itself: nothing can be judged */
        return _cs_run_fail(r, CS_ERR_IO, "%s; the index is left as it was", message) != 0;
    warn(r, "%s", message);
    if (unreadable) {  /* remembered, so that its files keep their passages */
        cs_unreadable_t *grown = realloc(r->unreadable, (r->n_unreadable + 1) * sizeof *grown);
        char *rel = strdup(unreadable);
        if (!grown || !rel) {
            free(rel);
            if (grown)
                r->unreadable = grown;
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory listing files") != 0;
        }
        r->unreadable = grown;
        r->unreadable[r->n_unreadable++] = (cs_unreadable_t){ r->walking, rel };
    }
    return 0;
}

/* Sidecar rows that name no file found (a typo, a file since removed). */
static void report_unmatched_rows(cs_run_t *r)
{
    for (size_t root = 0; root < r->n_roots; root++) {
        const cs_sidecar_t *s = &r->sidecars[root];
        unsigned char *used = calloc(s->n_rows + 1, 1);
        if (!used)
            return;  /* only a warning is lost */
        for (size_t i = 0; i < r->n_entries; i++) {
            long row = r->entries[i].root == root ? _cs_sidecar_row(s, r->entries[i].rel) : -1;
            if (row >= 0)
                used[row] = 1;
        }
        for (size_t k = 0; k < s->n_rows; k++)
            if (!used[k])
                notice(r, "%s: sidecar: no file %s to give fields to", r->roots[root],
                       s->rows[k].path);
        free(used);
    }
}

static cs_status_t list_files(cs_run_t *r)
{
    for (r->walking = 0; r->walking < r->n_roots && !r->status; r->walking++) {
        const char *root = r->roots[r->walking];
        cs_status_t st = cs_walk(root, collect, on_walk_warning, r);
        struct stat st_root;
        int err = stat(root, &st_root) != 0 ? errno : !S_ISDIR(st_root.st_mode) ? ENOTDIR : EIO;
        if (st == CS_ERR_IO && !r->status)
            _cs_run_fail(r, st, "cannot read corpus folder %s: %s; the index is left as it was",
                         root, strerror(err));
        else if (st && !r->status)
            _cs_run_fail(r, st, "cannot walk corpus folder %s: %s", root, cs_status_to_string(st));
    }
    return r->status;
}

/* ---- guarding the index against what the walk could not see --------------- */

/* The recorded root that is this run's root @i, or -1. */
static long old_root_of(const cs_run_t *r, size_t i)
{
    for (size_t j = 0; j < r->n_old_roots; j++)
        if (strcmp(r->old_roots[j], r->roots[i]) == 0)
            return (long)j;
    return -1;
}

/* Whether record path @path lies at or below @rel. */
static int is_below(const char *path, const char *rel)
{
    size_t n = strlen(rel);
    return strncmp(path, rel, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* A run that would remove more than half of a root's indexed files, and
 * at least this many, is refused unless allowed, as backup tools guard
 * against mass deletion: a moved folder or a share mounted in part looks
 * like a corpus whose files were deleted. */
#define MASS_DELETION_MIN 20

/* How many of the files the index holds from old root @j the walk found
 * again under root @i. */
static uint64_t still_there(const cs_run_t *r, size_t i, long j)
{
    uint64_t n = 0;
    for (size_t k = 0; j >= 0 && k < r->n_entries; k++) {
        if (r->entries[k].root != i)
            continue;
        const cs_file_entry_t *e = _cs_file_table_find(&r->files, r->entries[k].key);
        n += e && e->rec.root == (uint32_t)j;
    }
    return n;
}

/* Records of the existing index kept or refused because the walk did not
 * see their files: a root that came back empty (an unmounted share) fails
 * the run unless --allow-empty, one that lost most of its files unless
 * --allow-deletions; files under a folder that could not be read
 * keep their passages (incremental) or fail a rebuild, which would lose
 * them.  Loads r->files. */
static cs_status_t guard_losses(cs_run_t *r, xc_db_t *db)
{
    xc_error_t err;
    if (_cs_file_table_load(&r->files, db, &err))
        return _cs_run_fail(r, err.status, "%s", err.message);
    for (size_t i = 0; i < r->n_roots && !r->status; i++) {
        long j = old_root_of(r, i);
        uint64_t found = 0, held = 0;
        for (size_t k = 0; k < r->n_entries; k++)
            found += r->entries[k].root == i;
        for (size_t k = 0; j >= 0 && k < r->files.cap; k++)
            held += r->files.slots[k] && r->files.slots[k]->rec.root == (uint32_t)j;
        if (!found && held && !r->opt->allow_empty)
            _cs_run_fail(r, CS_ERR_IO,
                         "corpus folder %s holds no files, but the index has %llu from it "
                         "(an unmounted share?); the index is left as it was (use "
                         "--allow-empty to empty it)", r->roots[i], (unsigned long long)held);
        uint64_t gone = found ? held - still_there(r, i, j) : 0;
        if (!r->status && gone >= MASS_DELETION_MIN && 2 * gone > held &&
            !r->opt->allow_deletions && !r->opt->rebuild)
            _cs_run_fail(r, CS_ERR_IO,
                         "%llu of the %llu files indexed from %s are gone (a folder moved, a "
                         "share half mounted?); the index is left as it was (use "
                         "--allow-deletions to remove them)", (unsigned long long)gone,
                         (unsigned long long)held, r->roots[i]);
    }
    for (size_t u = 0; u < r->n_unreadable && !r->status; u++) {
        long j = old_root_of(r, r->unreadable[u].root);
        uint64_t kept = 0;
        for (size_t k = 0; j >= 0 && k < r->files.cap; k++) {
            cs_file_entry_t *e = r->files.slots[k];
            if (e && e->rec.root == (uint32_t)j && is_below(e->path, r->unreadable[u].rel)) {
                e->seen = 1;
                kept++;
            }
        }
        if (kept && r->opt->rebuild)
            _cs_run_fail(r, CS_ERR_IO,
                         "cannot rebuild: %s/%s cannot be read and its %llu indexed files would "
                         "be lost; the index is left as it was", r->roots[r->unreadable[u].root],
                         r->unreadable[u].rel, (unsigned long long)kept);
    }
    if (!r->status)
        report_unmatched_rows(r);
    return r->status;
}

/* ---- one file, in either mode ------------------------------------------- */

static cs_status_t run_file(cs_run_t *r, cs_writer_t *w, const cs_entry_t *e,
                            cs_file_entry_t *old, const cs_doc_fields_t *df);

/* Skip a file with a warning; one the index holds loses its passages. */
static cs_status_t skip(cs_run_t *r, cs_file_entry_t *old, const char *path, const char *why)
{
    if (old)
        old->seen = 0;
    warn(r, "skipping %s: %s", path, why);
    return CS_OK;
}

/* The extractor for @e, chosen from its leading bytes before the whole
 * file is read (a corpus folder may hold a video); NULL with @why set, or
 * with *@io_error when the file could not be read. */
static const cs_extractor_t *choose(const cs_entry_t *e, char *why, size_t why_size,
                                    int *io_error)
{
    char head[CS_SNIFF_BYTES];
    int fd = open(e->path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof head);
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (n < 0) {   /* not the file's fault: it keeps its passages (run_file) */
        *io_error = err ? err : EIO;
        return NULL;
    }
    return _cs_ingest_choose(e->rel, head, (size_t)n, why, why_size);
}

/* The field values of @e: what its path says and the index's language,
 * then the document's own metadata @extracted (title, author, date from an
 * extractor; NULL for plain text), then its sidecar row, so the user has
 * the last word.  A sidecar value a field cannot take is reported and left
 * out.  Without @extracted these are known before reading the file; their
 * hash, in its record, makes a sidecar change reindex it. */
static cs_status_t file_fields(cs_run_t *r, const cs_entry_t *e,
                               const cs_doc_fields_t *extracted, cs_doc_fields_t *df)
{
    if (!_cs_doc_fields_from_path(df, e->rel, r->language))
        return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    size_t at = 0;
    const char *key, *text;
    while (extracted && _cs_doc_fields_next(extracted, &at, &key, &text))
        if (!_cs_doc_fields_set(df, key, text, strlen(text)))
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    const cs_doc_fields_t *row = _cs_sidecar_find(&r->sidecars[e->root], e->rel);
    size_t cursor = 0;
    const char *name, *value;
    while (row && _cs_doc_fields_next(row, &cursor, &name, &value)) {
        cs_field_t f;
        const char *why = NULL;
        if (_cs_field_lookup(r->user_fields.data, name, strlen(name), &f))
            why = _cs_field_check(&f, value, strlen(value));
        if (why)
            notice(r, "%s: sidecar: %s: bad %s value '%s': %s", r->roots[e->root], e->rel,
                   name, value, why);
        else if (!_cs_doc_fields_set(df, name, value, strlen(value)))
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    }
    return CS_OK;
}

/* The fields of @e with what the document @ex says of itself (a PDF's or
 * HTML page's title and date) in their place, into @out; nothing when it
 * says nothing.  The record keeps the hash of the fields known before
 * reading, so that an unchanged file is still seen unchanged. */
static cs_status_t extracted_fields(cs_run_t *r, const cs_entry_t *e, const cs_extract_t *ex,
                                    cs_doc_fields_t *out)
{
    static const char *const taken[] = { "title", "date" };
    cs_doc_fields_t meta;
    _cs_doc_fields_init(&meta);
    int any = 0, ok = 1;
    for (size_t i = 0; i < sizeof taken / sizeof *taken && ok; i++) {
        const char *value = _cs_extract_meta_get(ex, taken[i]);
        cs_field_t f;
        if (!value || !*value || !_cs_field_lookup(r->user_fields.data, taken[i],
                                                   strlen(taken[i]), &f) ||
            _cs_field_check(&f, value, strlen(value)))
            continue;   /* a date Xapian's ranges cannot take is left out */
        ok = _cs_doc_fields_set(&meta, taken[i], value, strlen(value));
        any = 1;
    }
    cs_status_t st = !ok ? _cs_run_fail(r, CS_ERR_NOMEM, "out of memory")
                         : any ? file_fields(r, e, &meta, out) : CS_OK;
    _cs_doc_fields_free(&meta);
    return st;
}

cs_status_t _cs_run_file(cs_run_t *r, cs_writer_t *w, const cs_entry_t *e,
                         cs_file_entry_t *old)
{
    cs_doc_fields_t df;
    _cs_doc_fields_init(&df);
    cs_status_t st = file_fields(r, e, NULL, &df);
    if (!st)
        st = run_file(r, w, e, old, &df);
    _cs_doc_fields_free(&df);
    return st;
}

static cs_status_t run_file(cs_run_t *r, cs_writer_t *w, const cs_entry_t *e,
                            cs_file_entry_t *old, const cs_doc_fields_t *df)
{
    cs_file_facts_t f = { e->key, e->root, e->rel, &e->st, 0, df, _cs_doc_fields_hash(df) };
    int same_root = old && old->rec.root == e->root && old->rec.fields_hash == f.fields_hash;
    if (same_root && old->rec.size == (uint64_t)e->st.st_size &&
        old->rec.mtime_ns == mtime_ns(&e->st)) {
        pthread_mutex_lock(&r->lock);
        r->stats.files_unchanged++;
        pthread_mutex_unlock(&r->lock);
        return CS_OK;
    }
    char why[256];
    uint64_t max = r->opt->max_file_bytes ? r->opt->max_file_bytes : CS_DEFAULT_MAX_FILE_BYTES;
    if ((uint64_t)e->st.st_size > max) {
        snprintf(why, sizeof why, "%.1f MB is over the limit of %.1f MB a file (--max-file-size)",
                 (double)e->st.st_size / 1e6, (double)max / 1e6);
        return skip(r, old, e->path, why);
    }
    int io_error = 0;
    const cs_extractor_t *x = choose(e, why, sizeof why, &io_error);
    if (!x && !io_error)
        return skip(r, old, e->path, why);   /* no extractor takes it */
    if (!x || !_cs_writer_read(w, e->path, (size_t)e->st.st_size)) {
        int err = x ? errno : io_error;
        struct stat root;
        if (err == ENOMEM)
            return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory reading %s", e->path);
        /* a root gone mid-run (an unmounted share) must not look like a
         * corpus whose files were all deleted */
        if (err == ENOENT && stat(r->roots[e->root], &root) != 0)
            return _cs_run_fail(r, CS_ERR_IO, "corpus folder %s vanished during the run: %s; "
                                "no file was removed from the index", r->roots[e->root],
                                strerror(errno));
        /* an incremental run keeps its passages; a rebuild would lose them */
        cs_file_entry_t *before = _cs_file_table_find(&r->files, e->key);
        if (r->opt->rebuild && err != ENOENT && before && !strcmp(before->path, e->rel))
            return _cs_run_fail(r, CS_ERR_IO, "cannot rebuild: %s cannot be read (%s) and its "
                                "passages would be lost; the index is left as it was", e->path,
                                strerror(err));
        warn(r, "skipping %s: %s", e->path, strerror(err));
        return CS_OK;
    }
    /* a file written to while we read it would be cited with wrong offsets
     * until its next change: leave it (and its old passages) for the next run */
    struct stat now;
    if (w->content.len != (uint64_t)e->st.st_size || stat(e->path, &now) != 0 ||
        now.st_size != e->st.st_size || mtime_ns(&now) != mtime_ns(&e->st)) {
        warn(r, "skipping %s: it changed while it was read; the next run reads it again",
             e->path);
        return CS_OK;
    }
    f.hash = _cs_hash64(w->content.data, w->content.len, CS_HASH_SEED);
    uint32_t passages = 0;
    cs_status_t st;
    int touched_only = same_root && old->rec.hash == f.hash &&
                       old->rec.size == w->content.len;
    cs_extract_t ex;
    cs_doc_fields_t with_meta;   /* df and what the document says of itself */
    _cs_doc_fields_init(&with_meta);
    st = CS_OK;
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
        st = extracted_fields(r, e, &ex, &with_meta);
        if (!st && with_meta.count)
            f.fields = &with_meta;
    }
    if (!st)
        st = touched_only ? _cs_writer_record(w, &f, old->rec.passages)
                          : _cs_writer_index(w, &f, &ex, x->name, old != NULL, &passages);
    if (!touched_only)
        _cs_extract_free(&ex);
    _cs_doc_fields_free(&with_meta);
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

cs_status_t _cs_run_write_meta(cs_run_t *r, cs_writer_t *w, size_t shard)
{
    char schema[16];
    snprintf(schema, sizeof schema, "%d", CS_SCHEMA_VERSION);
    cs_status_t st = _cs_writer_set_fact(w, CS_FACT_SCHEMA, schema);
    if (!st)
        st = _cs_writer_set_fact(w, CS_FACT_LANGUAGE, r->language);
    if (!st)
        st = _cs_writer_set_fact(w, CS_FACT_ROOTS, r->roots_joined.data);
    if (!st)
        st = _cs_writer_set_fact(w, CS_FACT_FIELDS, r->user_fields.data ? r->user_fields.data : "");
    char shards[24];
    snprintf(shards, sizeof shards, "%zu", r->n_shards);
    if (!st)
        st = _cs_writer_set_fact(w, CS_FACT_SHARDS, shards);
    snprintf(shards, sizeof shards, "%zu", shard);
    if (!st)
        st = _cs_writer_set_fact(w, CS_FACT_SHARD, shards);
    w->user_fields = r->user_fields.data;
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
    cs_status_t st = _cs_writer_set_fact(w, CS_FACT_LAST_RUN, summary);
    return st ? _cs_run_fail(r, st, "%s", w->err.message) : CS_OK;
}

/* ---- incremental mode ---------------------------------------------------- */

/* The writer of the shard that holds file @key. */
static cs_writer_t *writer_of(cs_writer_t *ws, size_t n, const char *key)
{
    return &ws[_cs_store_shard_of(key, n)];
}

static cs_status_t remove_unseen(cs_run_t *r, cs_writer_t *ws, size_t n)
{
    for (size_t i = 0; i < r->files.cap && !r->status; i++) {
        cs_file_entry_t *e = r->files.slots[i];
        if (!e || e->seen)
            continue;
        cs_writer_t *w = writer_of(ws, n, e->key);
        cs_status_t st = _cs_writer_remove(w, e->key);
        if (st)
            return _cs_run_fail(r, st, "%s", w->err.message);
        r->stats.files_removed++;
    }
    return r->status;
}

/* One writer per shard; a file goes to its own shard's, so a shard none of
 * whose files changed gets no new revision (its facts are written only
 * when they change, and the summary only to the shards that changed, or
 * the first when none did). */
static cs_status_t update_in_place(cs_run_t *r, xc_db_t *db)
{
    size_t n = xc_db_shard_count(db);
    cs_writer_t *ws = calloc(n, sizeof *ws);
    if (!ws) {
        xc_db_free(db);
        return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    }
    size_t ready = 0;
    for (; ready < n && !r->status; ready++) {
        cs_analyzer_t *an;
        char *msg = NULL;
        cs_status_t st = cs_analyzer_new(r->language, &an, &msg);
        if (st) {
            _cs_run_fail(r, st, "%s", msg ? msg : cs_status_to_string(st));
            free(msg);
            break;
        }
        /* a single database's writer owns it; a stub's shards belong to it */
        if (_cs_writer_init(&ws[ready], xc_db_shard(db, ready), an, INCREMENTAL_BATCH_BYTES))
            _cs_run_fail(r, ws[ready].err.status, "%s: %s", xc_db_name(xc_db_shard(db, ready)),
                         ws[ready].err.message);
        if (!r->status)
            _cs_run_write_meta(r, &ws[ready], ready);
    }
    for (size_t i = 0; i < r->n_entries && !r->status; i++) {
        cs_entry_t *e = &r->entries[i];
        cs_file_entry_t *old = _cs_file_table_find(&r->files, e->key);
        if (old && strcmp(old->path, e->rel) != 0)
            old = NULL;  /* a 64-bit key collision: treat as another file */
        if (old)
            old->seen = 1;
        _cs_run_file(r, writer_of(ws, n, e->key), e, old);
        _cs_run_count_seen(r, e);
        if (i % 64 == 63)
            _cs_run_progress(r);
    }
    if (!r->status)
        remove_unseen(r, ws, n);
    int any = 0;
    for (size_t k = 0; k < n && !r->status; k++)
        if (n == 1 || xc_db_modified(ws[k].db)) {
            any = 1;
            _cs_run_write_last_run(r, &ws[k]);
        }
    if (!r->status && !any)
        _cs_run_write_last_run(r, &ws[0]);
    for (size_t k = 0; k < ready; k++) {
        cs_status_t st = _cs_writer_finish(&ws[k], r->status == CS_OK);
        if (st)
            _cs_run_fail(r, st, "%s", ws[k].err.message);
    }
    free(ws);
    /* a stub's handle owns its shards; a single database is its writer's
     * unless the run failed before one took it */
    if (n > 1 || ready == 0)
        xc_db_free(db);
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

/* Add the sidecar columns that are not built-in fields to the user fields
 * (after those the index records, unless it is rebuilt: a field's slot is
 * its place in the list). */
static cs_status_t add_user_fields(cs_run_t *r, const cs_sidecar_t *s)
{
    for (const char *c = s->columns.data; c && *c;) {
        const char *nl = strchr(c, '\n');
        size_t len = (size_t)(nl - c);
        cs_field_t f;
        if (!_cs_field_lookup(r->user_fields.data, c, len, &f)) {
            size_t count = 0;
            for (const char *u = r->user_fields.data; u && *u; u++)
                count += *u == '\n';
            if (count >= CS_MAX_USER_FIELDS)
                return _cs_run_fail(r, CS_ERR_INVALID, "more than %d fields in the sidecars",
                                    CS_MAX_USER_FIELDS);
            _cs_buf_printf(&r->user_fields, "%.*s\n", (int)len, c);
        }
        c = nl + 1;
    }
    return r->user_fields.failed ? _cs_run_fail(r, CS_ERR_NOMEM, "out of memory") : CS_OK;
}

static cs_status_t load_sidecars(cs_run_t *r, xc_db_t *db, int fresh)
{
    xc_error_t err;
    char *recorded = NULL;
    size_t len = 0;
    if (!fresh && _cs_store_get_fact(db, CS_FACT_FIELDS, &recorded, &len, &err))
        return _cs_run_fail(r, err.status, "%s", err.message);
    _cs_buf_append(&r->user_fields, recorded ? recorded : "", len);
    free(recorded);
    r->sidecars = calloc(r->n_roots ? r->n_roots : 1, sizeof *r->sidecars);
    if (!r->sidecars)
        return _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->n_roots && !r->status; i++) {
        /* a root that cannot be listed has no sidecar to read: the walk
         * fails on it with the reason, leaving the index as it was */
        if (access(r->roots[i], R_OK | X_OK) != 0)
            continue;
        char *msg = NULL;
        cs_status_t st = _cs_sidecar_load(r->roots[i], &r->sidecars[i], &msg);
        if (st)
            _cs_run_fail(r, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
        if (!st)
            add_user_fields(r, &r->sidecars[i]);
    }
    return r->status;
}

static int is_remote(const char *path)
{
    return strncmp(path, "tcp://", 6) == 0;
}

/* How many shards: the index's own, or --shards for a new index or a
 * rebuild; changing them needs a rebuild, and the recorded count must
 * match the databases the stub names. */
static cs_status_t decide_shards(cs_run_t *r, xc_db_t *db, int is_new)
{
    size_t have = xc_db_shard_count(db);
    int want = r->opt->shards;
    if (want < 0 || want > CS_MAX_SHARDS)
        return _cs_run_fail(r, CS_ERR_INVALID, "--shards must be from 1 to %d, not %d",
                            CS_MAX_SHARDS, want);
    if (!is_new && !r->opt->rebuild) {
        xc_error_t err;
        char *recorded = NULL;
        if (_cs_store_get_fact(db, CS_FACT_SHARDS, &recorded, NULL, &err))
            return _cs_run_fail(r, err.status, "%s", err.message);
        size_t count = *recorded ? strtoul(recorded, NULL, 10) : 1;
        free(recorded);
        if (count != have)
            return _cs_run_fail(r, CS_ERR_CORRUPT, "the index at %s records %zu shards but "
                                "names %zu: restore its stub, or rebuild it with --rebuild",
                                r->index_path, count, have);
        /* a file's shard is its place in the stub: a stub naming them in
         * another order would write files where their records are not */
        for (size_t k = 0; k < have && have > 1; k++) {
            char *place = NULL;
            if (_cs_store_get_fact(xc_db_shard(db, k), CS_FACT_SHARD, &place, NULL, &err))
                return _cs_run_fail(r, err.status, "%s", err.message);
            int wrong = *place && strtoul(place, NULL, 10) != k;
            free(place);
            if (wrong)
                return _cs_run_fail(r, CS_ERR_CORRUPT, "the index at %s names its shards out of "
                                    "order (%s is not shard %zu): restore its stub, or "
                                    "rebuild it with --rebuild", r->index_path,
                                    xc_db_name(xc_db_shard(db, k)), k);
        }
        if (want && (size_t)want != have)
            return _cs_run_fail(r, CS_ERR_INVALID, "the index at %s has %zu shard%s: changing "
                                "that to %d needs --rebuild", r->index_path, have,
                                have == 1 ? "" : "s", want);
    }
    r->n_shards = want ? (size_t)want : is_new ? 1 : have;
    if (r->opt->rebuild && r->n_shards > CS_MAX_SHARDS)  /* a hand-made stub's */
        return _cs_run_fail(r, CS_ERR_INVALID, "the index at %s names %zu databases: a "
                            "rebuild makes at most %d shards (--shards)", r->index_path,
                            r->n_shards, CS_MAX_SHARDS);
    if (r->n_shards > 1 && is_remote(r->index_path))
        return _cs_run_fail(r, CS_ERR_INVALID, "%s is a remote index: shards are built on "
                            "the machine that holds them", r->index_path);
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
    if (!r->status && recorded_roots && *recorded_roots &&
        _cs_split_roots(recorded_roots, &r->old_root_copy, &r->old_roots, &r->n_old_roots))
        _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    r->is_new = is_new;
    *bulk = is_new || r->opt->rebuild;
    if (!r->status)
        decide_shards(r, db, is_new);
    if (!r->status && *bulk && is_remote(r->index_path)) {
        if (r->opt->rebuild)
            _cs_run_fail(r, CS_ERR_INVALID, "%s is a remote index: a full rebuild cannot go "
                         "through xapian-tcpsrv; run `cybersearch index --rebuild` on the "
                         "machine that holds it", r->index_path);
        *bulk = 0;  /* a new remote index fills through its server */
    }
    if (!r->status)
        load_sidecars(r, db, *bulk);
    free(recorded_language);
    free(recorded_roots);
    return r->status;
}

/* ---- who holds the index ------------------------------------------------- */

/* Xapian's lock cannot tell who holds it, so the indexer that holds it
 * leaves its PID beside it. */
#define PID_FILE "cybersearch-indexer.pid"

static int pid_file_path(const cs_run_t *r, char *out, size_t size)
{
    return !is_remote(r->index_path) &&
           snprintf(out, size, "%s/" PID_FILE, r->index_path) < (int)size;
}

static void write_pid_file(cs_run_t *r)
{
    char path[4200];
    FILE *f = pid_file_path(r, path, sizeof path) ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        r->wrote_pid_file = fclose(f) == 0;
    }
}

static void remove_pid_file(cs_run_t *r)
{
    char path[4200];
    if (r->wrote_pid_file && pid_file_path(r, path, sizeof path))
        unlink(path);
}

/* The PID of the indexer holding the index, if it left one and still runs. */
static long lock_holder(const cs_run_t *r)
{
    char path[4200];
    long pid = 0;
    FILE *f = pid_file_path(r, path, sizeof path) ? fopen(path, "r") : NULL;
    if (f && fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    if (f)
        fclose(f);
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) ? pid : 0;
}

static void fail_open(cs_run_t *r, const xc_error_t *err)
{
    long pid = err->status == CS_ERR_LOCKED ? lock_holder(r) : 0;
    if (err->status == CS_ERR_LOCKED && pid)
        _cs_run_fail(r, CS_ERR_LOCKED, "the index at %s is locked: `cybersearch index` "
                     "(PID %ld) is running on it", r->index_path, pid);
    else if (err->status == CS_ERR_LOCKED)
        _cs_run_fail(r, CS_ERR_LOCKED, "the index at %s is locked: another writer "
                     "is running on it", r->index_path);
    else if (err->status == CS_ERR_CORRUPT)
        _cs_run_fail(r, CS_ERR_CORRUPT, "%s; `cybersearch index --rebuild --corpus DIR` "
                     "builds it afresh", err->message);
    else
        _cs_run_fail(r, err->status, "cannot open the index: %s", err->message);
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
    free(r->old_root_copy);
    free(r->old_roots);
    for (size_t i = 0; i < r->n_unreadable; i++)
        free(r->unreadable[i].rel);
    free(r->unreadable);
    _cs_buf_free(&r->roots_joined);
    _cs_file_table_free(&r->files);
    for (size_t i = 0; r->sidecars && i < r->n_roots; i++)
        _cs_sidecar_free(&r->sidecars[i]);
    free(r->sidecars);
    _cs_buf_free(&r->user_fields);
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
    _cs_buf_init(&r.user_fields);

    /* The index's own write lock is held for the whole run, in both modes;
     * opening never overwrites, so a failed --rebuild keeps the old index. */
    xc_db_t *db = NULL;
    xc_error_t err;
    if (_cs_bulk_recover(&r))
        ;  /* a running --rebuild, or its leftovers could not be dealt with */
    else if (xc_db_open(index_path, XC_OPEN_CREATE_OR_OPEN, &db, &err) &&
             /* a corrupt index holds nothing to keep: --rebuild replaces it,
              * given the roots it can no longer tell */
             (err.status != CS_ERR_CORRUPT || !options->rebuild || !options->n_roots ||
              xc_db_open(index_path, XC_OPEN_CREATE_OR_OVERWRITE, &db, &err)))
        fail_open(&r, &err);
    else
        write_pid_file(&r);
    int bulk = 0;
    if (!r.status && !prepare(&r, db, &bulk) && !list_files(&r) &&
        (r.is_new || !guard_losses(&r, db))) {
        _cs_run_progress(&r);
        if (bulk)
            _cs_bulk_build(&r, &db);
        else {
            update_in_place(&r, db);
            db = NULL;  /* the writer closed it */
        }
    }
    xc_db_free(db);
    remove_pid_file(&r);
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
