/* update.c - cs_index_update(): bring an index up to date with its corpus.
 *
 * One run: open the index for writing (Xapian's lock keeps out a second
 * indexer), load the file table, walk the roots, and for each file compare
 * size and mtime with its record: unchanged files are not read; new or
 * changed ones have their passages (re)written; at the end, files that were
 * not seen lose theirs.  Work is committed in transactions that each hold
 * whole files together with their records, so a killed run leaves a
 * consistent earlier state and the next run finishes the job.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cs_private.h"
#include "file_table.h"
#include "passages.h"
#include "walk.h"

/* Commit after this much new text or this many files. */
#define BATCH_BYTES (2u << 20)
#define BATCH_FILES 2000
/* A file with more invalid UTF-8 than this fraction is not text. */
#define MAX_INVALID_FRACTION 0.10
#define PROGRESS_EVERY 64

typedef struct updater {
    const cs_update_options_t *opt;
    xc_db_t *db;
    cs_analyzer_t *analyzer;
    cs_file_table_t files;
    char **roots;            /* absolute roots of this run, into root_copy */
    char *root_copy;
    size_t n_roots;
    uint32_t root;           /* root being walked */
    cs_update_stats_t stats;
    size_t batch_bytes, batch_files;
    cs_buf_t content;        /* the file being indexed */
    cs_buf_t scratch;        /* records and terms */
    xc_error_t err;
    cs_status_t status;      /* first fatal error */
    char *errmsg;
} updater_t;

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static int warn(updater_t *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int warn(updater_t *u, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return u->opt->callback && u->opt->callback(u->opt->callback_ctx, msg, &u->stats);
}

static int fail(updater_t *u, cs_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(updater_t *u, cs_status_t status, const char *fmt, ...)
{
    if (!u->status) {
        u->status = status;
        va_list ap;
        va_start(ap, fmt);
        char msg[4096];
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        u->errmsg = strdup(msg);
    }
    return 1;
}

static int fail_xapian(updater_t *u)
{
    return fail(u, u->err.status, "%s", u->err.message);
}

static void progress(updater_t *u)
{
    if (u->opt->callback)
        u->opt->callback(u->opt->callback_ctx, NULL, &u->stats);
}

/* Read the whole file into u->content.  Returns 0 with errno set on failure. */
static int read_file(updater_t *u, const char *path, size_t size_hint)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    _cs_buf_reset(&u->content);
    _cs_buf_reserve(&u->content, size_hint + 1);
    for (;;) {
        if (!_cs_buf_reserve(&u->content, 65536)) {
            close(fd);
            errno = ENOMEM;
            return 0;
        }
        ssize_t n = read(fd, u->content.data + u->content.len,
                         u->content.cap - u->content.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return 0;
        }
        if (n == 0)
            break;
        u->content.len += (size_t)n;
    }
    u->content.data[u->content.len] = '\0';
    close(fd);
    return 1;
}

/* Why the content is not text, or NULL when it is. */
static const char *not_text_reason(const char *data, size_t len)
{
    if (memchr(data, '\0', len))
        return "it holds NUL bytes (binary?)";
    if ((double)_cs_utf8_invalid_bytes(data, len) > MAX_INVALID_FRACTION * (double)len)
        return "it is mostly not valid UTF-8";
    return NULL;
}

/* ---- writing passages ------------------------------------------------ */

typedef struct passage_ctx {
    updater_t *u;
    const char *key;
    const char *rel;
    const struct stat *st;
    uint64_t hash;
    int year;
    uint32_t count;
    xc_doc_t *doc;
} passage_ctx_t;

static int add_token(void *ctx, const cs_token_t *tok)
{
    passage_ctx_t *pc = ctx;
    updater_t *u = pc->u;
    cs_buf_t *b = &u->scratch;
    _cs_buf_reset(b);
    _cs_buf_append_str(b, CS_PREFIX_STEM);
    _cs_buf_append(b, tok->stem, tok->stem_len);
    if (b->failed)
        return fail(u, CS_ERR_NOMEM, "out of memory");
    if (xc_doc_add_posting(pc->doc, tok->term, tok->term_len, tok->position, &u->err) ||
        xc_doc_add_term(pc->doc, b->data, b->len, 1, &u->err))
        return fail_xapian(u);
    return 0;
}

static int add_passage(void *ctx, const cs_passage_t *p)
{
    passage_ctx_t *pc = ctx;
    updater_t *u = pc->u;
    const char *text = u->content.data + p->start;
    size_t text_len = p->end - p->start;
    if (xc_doc_new(&pc->doc, &u->err))
        return fail_xapian(u);
    cs_analyzer_tokenize(u->analyzer, text, text_len, 1, add_token, pc);

    char term[sizeof CS_PREFIX_FILE + CS_FILE_KEY_HEX];
    snprintf(term, sizeof term, "%s%s", CS_PREFIX_FILE, pc->key);
    cs_passage_record_t rec = {
        .root = u->root, .path = pc->rel, .path_len = strlen(pc->rel),
        .start = p->start, .end = p->end, .line = p->line, .col = p->col,
        .file_size = (uint64_t)pc->st->st_size, .file_mtime_ns = mtime_ns(pc->st),
        .file_hash = pc->hash, .text = text, .text_len = text_len,
    };
    _cs_buf_reset(&u->scratch);
    _cs_passage_record_encode(&rec, &u->scratch);
    char year[18];
    size_t year_len = pc->year ? xc_sortable_serialise(pc->year, year) : 0;
    uint32_t docid;
    if (!u->status && !u->scratch.failed &&
        (xc_doc_add_boolean_term(pc->doc, term, strlen(term), &u->err) ||
         xc_doc_set_value(pc->doc, CS_SLOT_FILE, pc->key, CS_FILE_KEY_HEX, &u->err) ||
         (year_len && xc_doc_set_value(pc->doc, CS_SLOT_YEAR, year, year_len, &u->err)) ||
         xc_doc_set_data(pc->doc, u->scratch.data, u->scratch.len, &u->err) ||
         xc_db_add_document(u->db, pc->doc, &docid, &u->err)))
        fail_xapian(u);
    if (u->scratch.failed)
        fail(u, CS_ERR_NOMEM, "out of memory");
    xc_doc_free(pc->doc);
    pc->doc = NULL;
    pc->count++;
    return u->status != CS_OK;
}

static int set_file_record(updater_t *u, const char *key, const char *rel,
                           const struct stat *st, uint64_t hash, uint32_t passages)
{
    cs_file_record_t rec = { u->root, (uint64_t)st->st_size, mtime_ns(st), hash,
                             passages, rel, strlen(rel) };
    _cs_buf_reset(&u->scratch);
    _cs_file_record_encode(&rec, &u->scratch);
    char meta_key[sizeof CS_META_FILE_PREFIX + CS_FILE_KEY_HEX];
    snprintf(meta_key, sizeof meta_key, "%s%s", CS_META_FILE_PREFIX, key);
    if (u->scratch.failed)
        return fail(u, CS_ERR_NOMEM, "out of memory");
    if (xc_db_set_metadata(u->db, meta_key, u->scratch.data, u->scratch.len, &u->err))
        return fail_xapian(u);
    return 0;
}

static int remove_file(updater_t *u, const char *key)
{
    char term[sizeof CS_PREFIX_FILE + CS_FILE_KEY_HEX];
    char meta_key[sizeof CS_META_FILE_PREFIX + CS_FILE_KEY_HEX];
    snprintf(term, sizeof term, "%s%s", CS_PREFIX_FILE, key);
    snprintf(meta_key, sizeof meta_key, "%s%s", CS_META_FILE_PREFIX, key);
    if (xc_db_delete_documents_by_term(u->db, term, &u->err) ||
        xc_db_set_metadata(u->db, meta_key, "", 0, &u->err))
        return fail_xapian(u);
    return 0;
}

/* ---- transactions ------------------------------------------------------ */

static int commit_batch(updater_t *u, int reopen)
{
    if (xc_db_commit_transaction(u->db, &u->err) ||
        (reopen && xc_db_begin_transaction(u->db, &u->err)))
        return fail_xapian(u);
    u->batch_bytes = u->batch_files = 0;
    return 0;
}

static int count_in_batch(updater_t *u, size_t bytes)
{
    u->batch_bytes += bytes;
    u->batch_files++;
    if (u->batch_bytes >= BATCH_BYTES || u->batch_files >= BATCH_FILES)
        return commit_batch(u, 1);
    return 0;
}

/* ---- one file ---------------------------------------------------------- */

static int index_file(updater_t *u, cs_file_entry_t *old, const char *key,
                      const cs_walk_entry_t *e, uint64_t hash)
{
    if (old && remove_file(u, key))
        return 1;
    const char *rel = e->rel;
    passage_ctx_t pc = { u, key, rel, e->st, hash, _cs_path_year(rel, strlen(rel)),
                         0, NULL };
    if (cs_split_passages(u->content.data, u->content.len, CS_PASSAGE_MAX_WORDS,
                          add_passage, &pc) < 0)
        return fail(u, CS_ERR_NOMEM, "out of memory splitting %s", e->path);
    if (u->status || set_file_record(u, key, rel, e->st, hash, pc.count))
        return 1;
    u->stats.passages += pc.count;
    if (old)
        u->stats.files_changed++;
    else
        u->stats.files_added++;
    return count_in_batch(u, u->content.len);
}

static int on_file(void *ctx, const cs_walk_entry_t *e)
{
    updater_t *u = ctx;
    char key[CS_FILE_KEY_HEX + 1];
    _cs_file_key(u->roots[u->root], e->rel, key);
    cs_file_entry_t *old = _cs_file_table_find(&u->files, key);
    if (old && strcmp(old->path, e->rel) != 0)
        old = NULL;  /* a 64-bit key collision: treat as another file */
    u->stats.files_seen++;
    if (u->stats.files_seen % PROGRESS_EVERY == 0)
        progress(u);
    if (old) {
        old->seen = 1;
        if (old->rec.root == u->root && old->rec.size == (uint64_t)e->st->st_size &&
            old->rec.mtime_ns == mtime_ns(e->st)) {
            u->stats.files_unchanged++;
            return 0;
        }
    }
    if (!read_file(u, e->path, (size_t)e->st->st_size)) {
        if (errno == ENOMEM)
            return fail(u, CS_ERR_NOMEM, "out of memory reading %s", e->path);
        u->stats.files_skipped++;
        return warn(u, "skipping %s: %s", e->path, strerror(errno));
    }
    u->stats.bytes += u->content.len;
    const char *why = not_text_reason(u->content.data, u->content.len);
    if (why) {
        if (old)
            old->seen = 0;  /* no longer indexable: its passages go */
        u->stats.files_skipped++;
        return warn(u, "skipping %s: %s", e->path, why);
    }
    uint64_t hash = _cs_hash64(u->content.data, u->content.len, CS_HASH_SEED);
    if (old && old->rec.root == u->root && old->rec.hash == hash &&
        old->rec.size == u->content.len) {
        /* touched but not changed: remember the new mtime only */
        u->stats.files_unchanged++;
        return set_file_record(u, key, e->rel, e->st, hash, old->rec.passages) ||
               count_in_batch(u, 0);
    }
    return index_file(u, old, key, e, hash);
}

static int on_walk_warning(void *ctx, const char *message)
{
    updater_t *u = ctx;
    u->stats.files_skipped++;
    return warn(u, "%s", message);
}

static int remove_unseen(updater_t *u)
{
    for (size_t i = 0; i < u->files.cap && !u->status; i++) {
        cs_file_entry_t *e = u->files.slots[i];
        if (!e || e->seen)
            continue;
        if (remove_file(u, e->key) || count_in_batch(u, 0))
            return 1;
        u->stats.files_removed++;
    }
    return u->status != CS_OK;
}

/* ---- setting up -------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The run's roots: the given ones made absolute, or the recorded ones. */
static int resolve_roots(updater_t *u, const char *recorded, cs_buf_t *joined)
{
    const cs_update_options_t *o = u->opt;
    if (o->n_roots) {
        for (size_t i = 0; i < o->n_roots; i++) {
            char *abs = realpath(o->roots[i], NULL);
            if (!abs)
                return fail(u, CS_ERR_IO, "cannot read corpus folder %s: %s",
                            o->roots[i], strerror(errno));
            if (strchr(abs, '\n')) {
                free(abs);
                return fail(u, CS_ERR_INVALID,
                            "corpus folder %s: a root path may not hold a newline",
                            o->roots[i]);
            }
            _cs_buf_printf(joined, "%s%s", i ? "\n" : "", abs);
            free(abs);
        }
    } else if (recorded && *recorded) {
        _cs_buf_append_str(joined, recorded);
    } else {
        return fail(u, CS_ERR_INVALID,
                    "no corpus given and none recorded in the index: use --corpus DIR");
    }
    if (joined->failed ||
        _cs_split_roots(joined->data, &u->root_copy, &u->roots, &u->n_roots))
        return fail(u, CS_ERR_NOMEM, "out of memory");
    return 0;
}

/* Check or record schema, language and roots. */
static int prepare_index(updater_t *u, const char *path, cs_buf_t *roots)
{
    int is_new;
    char *language = NULL, *recorded = NULL, *msg = NULL;
    cs_status_t st = _cs_schema_read(u->db, &is_new, &language, &recorded, &msg);
    if (st) {
        fail(u, st, "%s: %s", path, msg ? msg : cs_status_to_string(st));
        free(msg);
        return 1;
    }
    const char *want = u->opt->language;
    if (!is_new && want && strcmp(want, language) != 0)
        fail(u, CS_ERR_LANGUAGE,
             "the index at %s uses the language '%s': rebuild it with "
             "--rebuild --language %s to change it", path, language, want);
    const char *lang = is_new ? (want ? want : "english") : language;
    if (!u->status) {
        st = cs_analyzer_new(lang, &u->analyzer, &msg);
        if (st) {
            fail(u, st, "%s", msg ? msg : cs_status_to_string(st));
            free(msg);
        }
    }
    if (!u->status)
        resolve_roots(u, recorded, roots);
    char schema[16];
    snprintf(schema, sizeof schema, "%d", CS_SCHEMA_VERSION);
    if (!u->status &&
        (xc_db_set_metadata(u->db, CS_META_SCHEMA, schema, strlen(schema), &u->err) ||
         xc_db_set_metadata(u->db, CS_META_LANGUAGE, lang, strlen(lang), &u->err) ||
         xc_db_set_metadata(u->db, CS_META_ROOTS, roots->data, roots->len, &u->err)))
        fail_xapian(u);
    free(language);
    free(recorded);
    return u->status != CS_OK;
}

static void record_last_run(updater_t *u)
{
    char when[32];
    time_t t = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    const cs_update_stats_t *s = &u->stats;
    char summary[512];
    snprintf(summary, sizeof summary,
             "%s: %llu added, %llu changed, %llu removed, %llu unchanged, "
             "%llu skipped; %llu passages, %llu bytes read in %.2f s",
             when, (unsigned long long)s->files_added,
             (unsigned long long)s->files_changed, (unsigned long long)s->files_removed,
             (unsigned long long)s->files_unchanged, (unsigned long long)s->files_skipped,
             (unsigned long long)s->passages, (unsigned long long)s->bytes,
             now_seconds() - s->seconds);
    if (xc_db_set_metadata(u->db, CS_META_LAST_RUN, summary, strlen(summary), &u->err))
        fail_xapian(u);
}

void cs_update_options_init(cs_update_options_t *options)
{
    memset(options, 0, sizeof *options);
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
    if (!index_path) {
        _cs_set_message(errmsg, "cs_index_update: no index path");
        return CS_ERR_INVALID;
    }
    updater_t u = { .opt = options };
    u.stats.seconds = now_seconds();
    _cs_buf_init(&u.content);
    _cs_buf_init(&u.scratch);
    cs_buf_t roots;
    _cs_buf_init(&roots);

    xc_open_mode_t mode = options->rebuild ? XC_OPEN_CREATE_OR_OVERWRITE
                                           : XC_OPEN_CREATE_OR_OPEN;
    if (xc_db_open(index_path, mode, &u.db, &u.err)) {
        if (u.err.status == CS_ERR_LOCKED)
            fail(&u, CS_ERR_LOCKED, "the index at %s is locked: another "
                 "`cybersearch index` is running on it", index_path);
        else
            fail(&u, u.err.status, "cannot open the index at %s: %s",
                 index_path, u.err.message);
    }
    if (!u.status && !prepare_index(&u, index_path, &roots) &&
        _cs_file_table_load(&u.files, u.db, &u.err) == CS_OK &&
        xc_db_begin_transaction(u.db, &u.err) == CS_OK) {
        for (u.root = 0; u.root < u.n_roots && !u.status; u.root++) {
            cs_status_t st = cs_walk(u.roots[u.root], on_file, on_walk_warning, &u);
            if (st && !u.status)
                fail(&u, st, "cannot walk corpus folder %s: %s", u.roots[u.root],
                     cs_status_to_string(st));
        }
        if (!u.status)
            remove_unseen(&u);
        if (!u.status)
            record_last_run(&u);
        if (!u.status)
            commit_batch(&u, 0);
        else
            xc_db_cancel_transaction(u.db, &u.err);
    } else if (!u.status) {
        fail_xapian(&u);
    }
    u.stats.seconds = now_seconds() - u.stats.seconds;
    progress(&u);
    if (stats)
        *stats = u.stats;
    if (errmsg && u.errmsg) {
        *errmsg = u.errmsg;
        u.errmsg = NULL;
    }
    free(u.errmsg);
    free(u.root_copy);
    free(u.roots);
    _cs_file_table_free(&u.files);
    cs_analyzer_free(u.analyzer);
    xc_db_free(u.db);
    _cs_buf_free(&u.content);
    _cs_buf_free(&u.scratch);
    _cs_buf_free(&roots);
    return u.status;
}
