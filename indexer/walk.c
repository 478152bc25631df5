/* walk.c - recursive, sorted, loop-safe directory walk. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "walk.h"

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id_t;

typedef struct walker {
    cs_walk_fn fn;
    cs_walk_warn_fn warn;
    void *ctx;
    cs_buf_t path;       /* root + "/" + rel of the current entry */
    size_t root_len;
    dir_id_t *seen;      /* every folder entered, to catch link loops */
    size_t n_seen, cap_seen;
    int stop;
    int nomem;
} walker_t;

/* Report "@what @path: @why"; returns non-zero when the walk must stop.
 * @unreadable: whether @path exists but could not be read. */
static int warnf(walker_t *w, const char *what, const char *path, const char *why,
                 int unreadable)
{
    char msg[4096];
    snprintf(msg, sizeof msg, "%s %s: %s", what, path, why);
    const char *rel = path + (w->root_len < strlen(path) ? w->root_len + 1 : strlen(path));
    if (w->warn && w->warn(w->ctx, msg, unreadable ? rel : NULL))
        w->stop = 1;
    return w->stop;
}

/* Remember a folder; returns 0 if it was entered before. */
static int first_visit(walker_t *w, const struct stat *st)
{
    for (size_t i = 0; i < w->n_seen; i++)
        if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
            return 0;
    if (w->n_seen == w->cap_seen) {
        size_t cap = w->cap_seen ? 2 * w->cap_seen : 64;
        dir_id_t *grown = realloc(w->seen, cap * sizeof *grown);
        if (!grown) {
            w->nomem = w->stop = 1;
            return 0;
        }
        w->seen = grown;
        w->cap_seen = cap;
    }
    w->seen[w->n_seen++] = (dir_id_t){ st->st_dev, st->st_ino };
    return 1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the folder at w->path, hidden ones left out; NULL-ended. */
static char **read_names(walker_t *w)
{
    DIR *dir = opendir(w->path.data);
    if (!dir) {
        warnf(w, "cannot read folder", w->path.data, strerror(errno), 1);
        return NULL;
    }
    size_t n = 0, cap = 32;
    char **names = malloc(cap * sizeof *names);
    struct dirent *de;
    while (names && (de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;  /* hidden, ".", ".." and .git/.svn/.hg */
        if (n + 1 == cap) {
            char **grown = realloc(names, 2 * cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
            cap *= 2;
        }
        if (!(names[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(dir);
    if (!names || de) {  /* stopped early: out of memory */
        for (size_t i = 0; names && i < n; i++)
            free(names[i]);
        free(names);
        w->nomem = w->stop = 1;
        return NULL;
    }
    qsort(names, n, sizeof *names, compare_names);
    names[n] = NULL;
    return names;
}

static void walk_dir(walker_t *w);

static void visit(walker_t *w, const char *name)
{
    size_t saved = w->path.len;
    _cs_buf_append_char(&w->path, '/');
    _cs_buf_append_str(&w->path, name);
    if (w->path.failed) {
        w->nomem = w->stop = 1;
        return;
    }
    struct stat st;
    if (stat(w->path.data, &st) != 0) {
        /* gone (or a dangling link) is not the same as hidden from us */
        int gone = errno == ENOENT || errno == ENOTDIR || errno == ELOOP;
        warnf(w, "cannot read", w->path.data, strerror(errno), !gone);
    } else if (S_ISDIR(st.st_mode)) {
        if (strcmp(name, "CVS") == 0 || strcmp(name, "_darcs") == 0)
            ;  /* version control folders without a leading dot */
        else if (first_visit(w, &st))
            walk_dir(w);
        else if (!w->stop)
            warnf(w, "skipping", w->path.data,
                  "folder already visited (symbolic link loop?)", 0);
    } else if (S_ISREG(st.st_mode)) {
        /* every file: the extractors (ingest/) decide what they read */
        cs_walk_entry_t entry = { w->path.data, w->path.data + w->root_len + 1, &st };
        if (w->fn(w->ctx, &entry))
            w->stop = 1;
    } else {
        warnf(w, "skipping", w->path.data, "not a regular file (a device, socket or FIFO)", 0);
    }
    w->path.len = saved;
    w->path.data[saved] = '\0';
}

static void walk_dir(walker_t *w)
{
    char **names = read_names(w);
    if (!names)
        return;
    for (size_t i = 0; names[i]; i++) {
        if (!w->stop)
            visit(w, names[i]);
        free(names[i]);
    }
    free(names);
}

cs_status_t cs_walk(const char *root, cs_walk_fn fn, cs_walk_warn_fn warn,
                    void *ctx)
{
    walker_t w = { .fn = fn, .warn = warn, .ctx = ctx };
    _cs_buf_init(&w.path);
    _cs_buf_append_str(&w.path, root);
    while (w.path.len > 1 && w.path.data[w.path.len - 1] == '/')
        w.path.data[--w.path.len] = '\0';
    w.root_len = w.path.len;
    struct stat st;
    cs_status_t status = CS_OK;
    if (w.path.failed)
        status = CS_ERR_NOMEM;
    else if (stat(w.path.data, &st) != 0 || !S_ISDIR(st.st_mode))
        status = CS_ERR_IO;
    else if (first_visit(&w, &st))
        walk_dir(&w);
    if (w.nomem)
        status = CS_ERR_NOMEM;
    _cs_buf_free(&w.path);
    free(w.seen);
    return status;
}
