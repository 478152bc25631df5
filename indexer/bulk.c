/* bulk.c - building an index afresh with every core.
 *
 * The index has r->n_shards shards; a file belongs to the shard its key
 * picks (_cs_store_shard_of).  Each writer thread fills its own scratch
 * Xapian database (never fsynced) in a folder beside the index with files
 * of one shard, taking them from that shard's counter; the scratch
 * databases are then compacted into a new version of the index, which one
 * wrapper call switches in atomically (xc_db_install).  A run killed before
 * that leaves the index as it was, and the next run removes the scratch
 * folder.  That folder is flock()ed while in use, so a later run removes it
 * only when its owner is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "update_private.h"

#define MAX_THREADS 16
/* worker_count() gives at most the larger of the threads and the shards */
#define MAX_WORKERS CS_MAX_SHARDS
_Static_assert(MAX_THREADS <= MAX_WORKERS, "room for a worker per thread");
/* Scratch databases do not fsync, so commits are cheap; this bounds their
 * memory.  Xapian's in-memory inverter slows as it grows faster than the
 * flushes it saves: on the whole UN corpus 512 KiB took 0.94x the CPU of
 * 1 MiB, and 4 MiB about 1.2x (bench/RESULTS.md, "One run beside the fair
 * peers, and the flush batch"). */
#define SHARD_BATCH_BYTES (1u << 19)
/* Room for a folder path (at most 4096 bytes) and a file name below it. */
#define PATH_BUF 8192

/* The entries of one shard (a slice of one array of them all, in shard
 * order), and the next one to take (under run->lock). */
typedef struct shard_queue {
    size_t *entries;
    size_t n, next;
} shard_queue_t;

typedef struct worker {
    cs_run_t *run;
    cs_writer_t writer;
    shard_queue_t *queue;    /* shared with the shard's other workers */
    int done;                /* under run->lock */
    pthread_t thread;
    int started;
} worker_t;

/* rm -r of a folder this module made (its scratch part-N databases). */
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

static long take(worker_t *w)
{
    pthread_mutex_lock(&w->run->lock);
    shard_queue_t *q = w->queue;
    long i = w->run->status != CS_OK || q->next >= q->n ? -1 : (long)q->entries[q->next++];
    pthread_mutex_unlock(&w->run->lock);
    return i;
}

static void *work(void *arg)
{
    worker_t *w = arg;
    long i;
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

/* Workers: the same number for every shard, at least one each, so at
 * most MAX_THREADS or CS_MAX_SHARDS (update.c keeps a rebuild to that). */
static int worker_count(const cs_run_t *r)
{
    int shards = (int)r->n_shards, per = thread_count(r) / shards;
    return per < 1 ? shards : shards * per;
}

/* Bucket the run's entries by shard into @order (room for all of them):
 * count each shard's, then place them, each queue a slice of @order. */
static void fill_queues(const cs_run_t *r, size_t *order, shard_queue_t *queues)
{
    for (size_t i = 0; i < r->n_entries; i++)
        queues[_cs_store_shard_of(r->entries[i].key, r->n_shards)].n++;
    for (size_t s = 0, at = 0; s < r->n_shards; s++) {
        queues[s].entries = order + at;
        at += queues[s].n;
        queues[s].n = 0;
    }
    for (size_t i = 0; i < r->n_entries; i++) {
        shard_queue_t *q = &queues[_cs_store_shard_of(r->entries[i].key, r->n_shards)];
        q->entries[q->n++] = i;
    }
}

/* Open scratch database @i under @dir with its own analyzer, and write the
 * facts of its shard. */
static cs_status_t open_shard(cs_run_t *r, const char *dir, int i, worker_t *w)
{
    char path[PATH_BUF];
    snprintf(path, sizeof path, "%s/part-%d", dir, i);
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
    return _cs_run_write_meta(r, &w->writer, (size_t)i % r->n_shards);
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

/* Open and lock the scratch folder @dir; -1 with errno EWOULDBLOCK when a
 * running build holds it.  The lock lasts until the folder is removed: the
 * index's own write lock is let go before the switch. */
static int lock_build_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

cs_status_t _cs_bulk_recover(cs_run_t *r)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s" CS_BUILD_DIR_SUFFIX, r->index_path);
    int fd = lock_build_dir(dir);
    if (fd < 0 && errno == ENOENT)
        return CS_OK;
    if (fd < 0 && errno == EWOULDBLOCK)
        return _cs_run_fail(r, CS_ERR_LOCKED, "the index at %s is being rebuilt: %s is held "
                            "by a running `cybersearch index`", r->index_path, dir);
    if (fd < 0)
        return _cs_run_fail(r, CS_ERR_IO, "cannot read %s: %s", dir, strerror(errno));
    remove_tree(dir);  /* a killed build's: the index never saw it */
    close(fd);
    return r->status;
}

cs_status_t _cs_bulk_build(cs_run_t *r, xc_db_t **db)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s" CS_BUILD_DIR_SUFFIX, r->index_path);
    if (mkdir(dir, 0755) != 0)
        return _cs_run_fail(r, CS_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
    int dir_fd = lock_build_dir(dir);
    if (dir_fd < 0) {
        _cs_run_fail(r, CS_ERR_IO, "cannot lock %s: %s", dir, strerror(errno));
        remove_tree(dir);
        return r->status;
    }

    int n = worker_count(r);
    size_t n_shards = r->n_shards;
    worker_t workers[MAX_WORKERS];
    shard_queue_t queues[CS_MAX_SHARDS];
    memset(workers, 0, sizeof workers);
    memset(queues, 0, sizeof queues);
    size_t *order = malloc((r->n_entries ? r->n_entries : 1) * sizeof *order);
    if (!order)
        _cs_run_fail(r, CS_ERR_NOMEM, "out of memory");
    else
        fill_queues(r, order, queues);
    for (int i = 0; i < n && !r->status; i++) {
        workers[i].queue = &queues[(size_t)i % n_shards];
        open_shard(r, dir, i, &workers[i]);
    }
    for (int i = 0; i < n && !r->status; i++) {
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
            _cs_run_fail(r, CS_ERR_INTERNAL, "cannot start a writer thread");
        else
            workers[i].started = 1;
    }
    wait_for(r, workers, n);

    /* the summary goes into each shard's first scratch database, whose
     * metadata the compaction keeps */
    for (size_t s = 0; s < n_shards && !r->status; s++)
        _cs_run_write_last_run(r, &workers[s].writer);
    for (int i = 0; i < n; i++) {
        cs_status_t st = _cs_writer_finish(&workers[i].writer, r->status == CS_OK);
        if (st)
            _cs_run_fail(r, st, "%s", workers[i].writer.err.message);
    }
    free(order);
    /* release our handle (and lock) only now: the switch comes last */
    xc_db_free(*db);
    *db = NULL;
    if (!r->status) {
        char paths[MAX_WORKERS][PATH_BUF];
        const char *parts[MAX_WORKERS];
        size_t shard_of[MAX_WORKERS];
        for (int i = 0; i < n; i++) {
            snprintf(paths[i], sizeof paths[i], "%s/part-%d", dir, i);
            parts[i] = paths[i];
            shard_of[i] = (size_t)i % n_shards;
        }
        xc_error_t err;
        if (xc_db_install(r->index_path, parts, shard_of, (size_t)n, n_shards, &err))
            _cs_run_fail(r, err.status, "installing the new index: %s", err.message);
    }
    remove_tree(dir);
    close(dir_fd);
    return r->status;
}
