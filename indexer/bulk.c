/* bulk.c - building an index afresh with every core.
 *
 * Each writer thread fills its own shard (a scratch Xapian database that
 * never fsyncs) in a folder beside the index, taking files from a shared
 * counter; the shards are then compacted into one database, whose files
 * replace the index's, the version file ("iamglass") last.  A run killed
 * before that leaves the index as it was and the next run starts again; one
 * killed during the move leaves the list of files to move, and the next run
 * finishes it before it opens the index.  The scratch folder is flock()ed
 * while in use, so a later run removes it only when its owner is gone.
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
/* Shards do not fsync, so commits are cheap; this bounds their memory. */
#define SHARD_BATCH_BYTES (1u << 20)
#define VERSION_FILE "iamglass"
/* In the scratch folder, once the new index is complete: its file names. */
#define SWAP_LIST CS_BUILD_SWAP_LIST
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

/* Write the compacted database's file names to @list, one per line, and
 * sync it: from then on a run killed during the swap can be finished by the
 * next one (_cs_bulk_recover). */
static cs_status_t write_swap_list(cs_run_t *r, const char *compacted, const char *list)
{
    char tmp[PATH_BUF + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", list);
    DIR *d = opendir(compacted);
    FILE *out = d ? fopen(tmp, "w") : NULL;
    struct dirent *de;
    while (out && (de = readdir(d)))
        if (de->d_name[0] != '.')
            fprintf(out, "%s\n", de->d_name);
    int failed = !out || fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0;
    int saved = errno;
    if (out && fclose(out) != 0)
        failed = 1;
    if (d)
        closedir(d);
    if (!failed && rename(tmp, list) != 0) {  /* whole or absent */
        failed = 1;
        saved = errno;
    }
    if (failed)
        return _cs_run_fail(r, CS_ERR_IO, "cannot write %s: %s", list, strerror(saved));
    return CS_OK;
}

/* Whether @name is a line of @names. */
static int listed(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; (p = strstr(p, name)); p += n)
        if ((p == names || p[-1] == '\n') && p[n] == '\n')
            return 1;
    return 0;
}

/* Move the compacted database's files (named in @dir/swap) over the
 * index's, the version file last: a reader opening meanwhile sees the old
 * version or the new one.  Tables the new database lacks go first, as they
 * would not match its version.  Each step can be done again, so a killed
 * swap is finished by running this once more. */
static cs_status_t swap_in(cs_run_t *r, const char *dir)
{
    char list[PATH_BUF], compacted[PATH_BUF];
    snprintf(list, sizeof list, "%s/" SWAP_LIST, dir);
    snprintf(compacted, sizeof compacted, "%s/compact", dir);
    cs_buf_t names;
    _cs_buf_init(&names);
    FILE *in = fopen(list, "r");
    char line[512];
    while (in && fgets(line, sizeof line, in))
        _cs_buf_append_str(&names, line);
    if (!in || ferror(in) || names.failed || !names.len) {
        int saved = errno;
        if (in)
            fclose(in);
        _cs_buf_free(&names);
        return _cs_run_fail(r, CS_ERR_IO, "cannot read %s: %s", list, strerror(saved));
    }
    fclose(in);
    DIR *d = opendir(r->index_path);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 6 && !strcmp(de->d_name + len - 6, ".glass") && !listed(names.data, de->d_name))
            remove_entry(r->index_path, de->d_name);
    }
    if (d)
        closedir(d);
    int failed = 0;
    for (int version = 0; version < 2 && !failed; version++) {
        for (char *name = names.data, *nl; !failed && (nl = strchr(name, '\n')); name = nl + 1) {
            *nl = '\0';
            if ((strcmp(name, VERSION_FILE) == 0) == version) {
                char from[PATH_BUF], to[PATH_BUF];
                struct stat st;
                failed = snprintf(from, sizeof from, "%s/%s", compacted, name) >= PATH_BUF ||
                         snprintf(to, sizeof to, "%s/%s", r->index_path, name) >= PATH_BUF ||
                         (lstat(from, &st) == 0 && rename(from, to) != 0);  /* moved before */
            }
            *nl = '\n';
        }
    }
    _cs_buf_free(&names);
    if (failed)
        return _cs_run_fail(r, CS_ERR_IO, "cannot move the new index into %s: %s",
                            r->index_path, strerror(errno));
    return CS_OK;
}

/* Open and lock the scratch folder @dir; -1 with errno EWOULDBLOCK when a
 * running build holds it.  The lock lasts until the folder is removed: the
 * index's own write lock is let go before the swap. */
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
    char dir[4096], list[PATH_BUF];
    snprintf(dir, sizeof dir, "%s" CS_BUILD_DIR_SUFFIX, r->index_path);
    snprintf(list, sizeof list, "%s/" SWAP_LIST, dir);
    int fd = lock_build_dir(dir);
    if (fd < 0 && errno == ENOENT)
        return CS_OK;
    if (fd < 0 && errno == EWOULDBLOCK)
        return _cs_run_fail(r, CS_ERR_LOCKED, "the index at %s is being rebuilt: %s is held "
                            "by a running `cybersearch index`", r->index_path, dir);
    if (fd < 0)
        return _cs_run_fail(r, CS_ERR_IO, "cannot read %s: %s", dir, strerror(errno));
    struct stat st;
    if (stat(list, &st) == 0)  /* killed while moving the new index in: finish */
        swap_in(r, dir);
    if (!r->status)
        remove_tree(dir);
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
    char list[PATH_BUF];
    snprintf(list, sizeof list, "%s/" SWAP_LIST, dir);
    if (!r->status && !write_swap_list(r, compacted, list))
        swap_in(r, dir);
    /* a swap that failed half way is finished by the next run */
    struct stat st;
    if (!r->status || stat(list, &st) != 0)
        remove_tree(dir);
    close(dir_fd);
    return r->status;
}
