/* bulk.c - building an index afresh with every core.
 *
 * Each writer thread fills its own shard (a scratch Xapian database that
 * never fsyncs) in a folder beside the index, taking files from a shared
 * counter; the shards are then compacted into one database, whose files
 * replace the index's, the version file ("iamglass") last.  A run killed
 * before that leaves the index as it was and the next run starts again.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "update_private.h"

#define MAX_THREADS 16
/* Shards do not fsync, so commits are cheap; this bounds their memory. */
#define SHARD_BATCH_BYTES (1u << 20)
#define VERSION_FILE "iamglass"
/* Room for a folder path (at most 4096 bytes) and a file name below it. */
#define PATH_BUF 8192

typedef struct worker {
    cs_run_t *run;
    cs_writer_t writer;
    size_t *next;            /* shared: next entry to take (under run->lock) */
    int done;                /* under run->lock */
    pthread_t thread;
    int started;
} worker_t;

static int remove_entry(const char *dir, const char *name)
{
    char path[PATH_BUF];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return remove(path);
}

/* rm -r of a folder this module made (shards and compacted output). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char path[PATH_BUF];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            remove(path);
    }
    closedir(d);
    rmdir(dir);
}

static int take(worker_t *w)
{
    pthread_mutex_lock(&w->run->lock);
    int stop = w->run->status != CS_OK;
    size_t i = stop ? 0 : (*w->next)++;
    pthread_mutex_unlock(&w->run->lock);
    return stop || i >= w->run->n_entries ? -1 : (int)i;
}

static void *work(void *arg)
{
    worker_t *w = arg;
    int i;
    while ((i = take(w)) >= 0) {
        const cs_entry_t *e = &w->run->entries[i];
        _cs_run_file(w->run, &w->writer, e, NULL);
        _cs_run_count_seen(w->run, e);
    }
    pthread_mutex_lock(&w->run->lock);
    w->done = 1;
    pthread_mutex_unlock(&w->run->lock);
    return NULL;
}

static int thread_count(const cs_run_t *r)
{
    long n = r->opt->threads > 0 ? r->opt->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    if ((size_t)n > r->n_entries && r->n_entries > 0)
        n = (long)r->n_entries;
    return (int)n;
}

/* Open shard @i under @dir with its own analyzer, and write the schema. */
static cs_status_t open_shard(cs_run_t *r, const char *dir, int i, worker_t *w)
{
    char path[PATH_BUF];
    snprintf(path, sizeof path, "%s/shard-%d", dir, i);
    xc_db_t *db = NULL;
    cs_analyzer_t *an = NULL;
    xc_error_t err;
    char *msg = NULL;
    cs_status_t st = xc_db_open(path, XC_OPEN_SCRATCH, &db, &err);
    if (st)
        return _cs_run_fail(r, st, "cannot create %s: %s", path, err.message);
    if ((st = cs_analyzer_new(r->language, &an, &msg)) != CS_OK) {
        xc_db_free(db);
        _cs_run_fail(r, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
        return st;
    }
    w->run = r;
    if ((st = _cs_writer_init(&w->writer, db, an, SHARD_BATCH_BYTES)) != CS_OK)
        return _cs_run_fail(r, st, "%s", w->writer.err.message);
    return _cs_run_write_meta(r, &w->writer);
}

/* Wait for the workers, reporting progress meanwhile. */
static void wait_for(cs_run_t *r, worker_t *workers, int n)
{
    for (;;) {
        int done = 0;
        pthread_mutex_lock(&r->lock);
        for (int i = 0; i < n; i++)
            done += workers[i].done || !workers[i].started;
        pthread_mutex_unlock(&r->lock);
        if (done == n)
            break;
        _cs_run_progress(r);
        usleep(200000);
    }
    for (int i = 0; i < n; i++)
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
}

/* Move the compacted database's files over the index's, the version file
 * last: a reader opening meanwhile sees the old version or the new one. */
static cs_status_t swap_in(cs_run_t *r, const char *compacted)
{
    DIR *d = opendir(r->index_path);
    struct dirent *de;
    /* tables the new database lacks would not match its version */
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 6 && !strcmp(de->d_name + len - 6, ".glass"))
            remove_entry(r->index_path, de->d_name);
    }
    if (d)
        closedir(d);
    if (!(d = opendir(compacted)))
        return _cs_run_fail(r, CS_ERR_IO, "cannot read %s: %s", compacted, strerror(errno));
    int failed = 0;
    while (!failed && (de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, VERSION_FILE))
            continue;
        char from[PATH_BUF], to[PATH_BUF];
        failed = snprintf(from, sizeof from, "%s/%s", compacted, de->d_name) >= PATH_BUF ||
                 snprintf(to, sizeof to, "%s/%s", r->index_path, de->d_name) >= PATH_BUF ||
                 rename(from, to) != 0;
    }
    closedir(d);
    char from[PATH_BUF], to[PATH_BUF];
    if (failed || snprintf(from, sizeof from, "%s/%s", compacted, VERSION_FILE) >= PATH_BUF ||
        snprintf(to, sizeof to, "%s/%s", r->index_path, VERSION_FILE) >= PATH_BUF ||
        rename(from, to) != 0)
        return _cs_run_fail(r, CS_ERR_IO, "cannot move the new index into %s: %s",
                            r->index_path, strerror(errno));
    return CS_OK;
}

cs_status_t _cs_bulk_build(cs_run_t *r, xc_db_t **db)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s.build", r->index_path);
    remove_tree(dir);  /* a killed run's leftovers */
    if (mkdir(dir, 0755) != 0)
        return _cs_run_fail(r, CS_ERR_IO, "cannot create %s: %s", dir, strerror(errno));

    int n = thread_count(r);
    worker_t workers[MAX_THREADS];
    memset(workers, 0, sizeof workers);
    size_t next = 0;
    for (int i = 0; i < n && !r->status; i++) {
        workers[i].next = &next;
        open_shard(r, dir, i, &workers[i]);
    }
    for (int i = 0; i < n && !r->status; i++) {
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
            _cs_run_fail(r, CS_ERR_INTERNAL, "cannot start a writer thread");
        else
            workers[i].started = 1;
    }
    wait_for(r, workers, n);

    /* the summary goes into the first shard, whose metadata wins */
    if (!r->status)
        _cs_run_write_last_run(r, &workers[0].writer);
    for (int i = 0; i < n; i++) {
        cs_status_t st = _cs_writer_finish(&workers[i].writer, r->status == CS_OK);
        if (st)
            _cs_run_fail(r, st, "%s", workers[i].writer.err.message);
    }
    char compacted[PATH_BUF];
    snprintf(compacted, sizeof compacted, "%s/compact", dir);
    if (!r->status) {
        char paths[MAX_THREADS][PATH_BUF];
        const char *shards[MAX_THREADS];
        for (int i = 0; i < n; i++) {
            snprintf(paths[i], sizeof paths[i], "%s/shard-%d", dir, i);
            shards[i] = paths[i];
        }
        xc_error_t err;
        if (xc_db_compact(shards, (size_t)n, compacted, &err))
            _cs_run_fail(r, err.status, "compacting the new index: %s", err.message);
    }
    /* release our handle (not the files) only now: the swap comes last */
    xc_db_free(*db);
    *db = NULL;
    if (!r->status)
        swap_in(r, compacted);
    remove_tree(dir);
    return r->status;
}
