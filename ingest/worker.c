/* worker.c - extraction in a helper process, as Omega runs its filters.
 *
 * PDF and zip parsers crash, loop and allocate without bound on malformed
 * input.  Each such file is extracted by cybersearch-extract
 * (extract_main.c), started with posix_spawn(): it execs at once, so none
 * of this process's state reaches it (a fork() without exec in a threaded
 * process could inherit a lock another thread held, such as a sanitizer's
 * allocator's, and hang).  The file's bytes are its stdin (a memfd), the
 * extractor's name and the limits its arguments; it sets RLIMIT_CPU and
 * RLIMIT_AS before it reads a byte and writes its result to a pipe, which
 * the parent reads under a wall-clock limit.  A worker that dies, overruns
 * or sends a truncated result costs its file only: the file is skipped with
 * the reason.  Both halves of that protocol live here.
 *
 * The helper is found, in this order: $CYBERSEARCH_EXTRACT; in the build
 * tree this code was linked in (the top folder holds config.status), its
 * ingest/cybersearch-extract; else the installed $(pkglibexecdir) one.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"

extern char **environ;

#ifndef CS_PKGLIBEXECDIR  /* ingest/Makefile.am sets it; fuzz/run.sh does not */
#define CS_PKGLIBEXECDIR "/usr/local/libexec/cybersearch"
#endif

/* Limits per document: a 1000-page verbatim record takes seconds, not a
 * minute, and poppler's memory stays well under a gigabyte. */
static int cpu_seconds = 60;
static int wall_seconds = 120;
static size_t address_space = (size_t)2048 << 20;
static const char *helper_override;

void _cs_ingest_set_limits(int cpu, int wall, size_t bytes)
{
    cpu_seconds = cpu;
    wall_seconds = wall;
    address_space = bytes;
}

void _cs_ingest_set_helper(const char *path)
{
    helper_override = path;
}

static char helper_found[PATH_MAX];

/* Is @dir/@name there? Then it is helper_found. */
static int try_helper(const char *dir, const char *name)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path ||
        access(path, F_OK) != 0)
        return 0;
    memcpy(helper_found, path, sizeof path);
    return 1;
}

static void find_helper(void)
{
    const char *env = getenv("CYBERSEARCH_EXTRACT");
    if (env && *env) {
        snprintf(helper_found, sizeof helper_found, "%s", env);
        return;
    }
    /* the object holding this code: lib/.libs/libcybersearch.so.1 or a
     * program in the build tree, or the installed library */
    Dl_info info;
    char obj[PATH_MAX];
    if (dladdr((void *)find_helper, &info) && info.dli_fname &&
        realpath(info.dli_fname, obj)) {
        char *slash = strrchr(obj, '/');
        if (slash)
            *slash = '\0';   /* its folder */
        slash = strrchr(obj, '/');
        if (slash && strcmp(slash, "/.libs") == 0)
            *slash = '\0';
        slash = strrchr(obj, '/');
        if (slash) {
            *slash = '\0';   /* the top of a build tree? */
            if (try_helper(obj, "config.status") && try_helper(obj, "ingest/cybersearch-extract"))
                return;
        }
    }
    snprintf(helper_found, sizeof helper_found, "%s/cybersearch-extract", CS_PKGLIBEXECDIR);
}

static const char *helper_path(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (helper_override)
        return helper_override;
    pthread_once(&once, find_helper);
    return helper_found;
}

#if defined(__SANITIZE_ADDRESS__)
#define LIMIT_ADDRESS_SPACE 0         /* ASan reserves terabytes of shadow */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIMIT_ADDRESS_SPACE 0
#endif
#endif
#ifndef LIMIT_ADDRESS_SPACE
#define LIMIT_ADDRESS_SPACE 1
#endif

typedef struct header {
    int status;
    char why[256];
    size_t len, n_segs, n_blocks, strs_len, meta_len;
    int encoding;
    uint64_t base;
    char unit_kind[16];      /* "page", "paragraph" or "" */
} header_t;

/* The parent's copy of the worker's unit kind: a static string, as an
 * extractor's own is. */
static const char *static_unit_kind(const char *kind)
{
    static const char *const kinds[] = { "page", "paragraph" };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return kinds[i];
    return "";
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

int _cs_ingest_worker_main(int argc, char **argv, cs_extract_fn (*find)(const char *name))
{
    char *end1 = NULL, *end2 = NULL;
    long cpu = argc == 5 ? strtol(argv[3], &end1, 10) : 0;
    unsigned long long bytes = argc == 5 ? strtoull(argv[4], &end2, 10) : 0;
    if (argc != 5 || strcmp(argv[1], "--worker") != 0 || *end1 || *end2 || cpu <= 0) {
        fprintf(stderr, "usage: %s --worker EXTRACTOR CPU_SECONDS ADDRESS_SPACE_BYTES\n"
                "(libcybersearch runs it with a file's bytes on stdin)\n", argv[0]);
        return 2;
    }
    /* a crash is a signal the parent sees, even where a sanitizer would
     * catch it and exit */
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        signal(fatal[i], SIG_DFL);
    struct rlimit lim = { (rlim_t)cpu, (rlim_t)cpu + 1 };
    setrlimit(RLIMIT_CPU, &lim);
    if (LIMIT_ADDRESS_SPACE) {
        lim.rlim_cur = lim.rlim_max = (rlim_t)bytes;
        setrlimit(RLIMIT_AS, &lim);
    }
    cs_extract_fn extract = find(argv[2]);
    if (!extract) {
        fprintf(stderr, "%s: no extractor named %s\n", argv[0], argv[2]);
        return 2;
    }
    struct stat st;
    if (fstat(0, &st) != 0) {
        fprintf(stderr, "%s: cannot read the file: %s\n", argv[0], strerror(errno));
        return 2;
    }
    size_t len = (size_t)st.st_size;
    const char *data = "";
    if (len) {
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, 0, 0);
        if (map == MAP_FAILED) {
            fprintf(stderr, "%s: cannot map the file: %s\n", argv[0], strerror(errno));
            return 2;
        }
        data = map;
    }
    cs_extract_t r;
    _cs_extract_init(&r);
    cs_status_t status = extract(data, len, &r);
    if (!status)
        status = _cs_extract_status(&r);
    header_t h;
    memset(&h, 0, sizeof h);  /* sent as bytes, padding included */
    h.status = status;
    memcpy(h.why, r.why, sizeof h.why);
    h.len = r.len;
    h.n_segs = r.n_segs;
    h.n_blocks = r.n_blocks;
    h.strs_len = r.strs.len;
    h.meta_len = r.meta.len;
    h.encoding = r.encoding;
    h.base = r.base;
    snprintf(h.unit_kind, sizeof h.unit_kind, "%s", r.unit_kind ? r.unit_kind : "");
    int ok = write_all(1, &h, sizeof h) && write_all(1, r.text, r.len) &&
             write_all(1, r.segs, r.n_segs * sizeof *r.segs) &&
             write_all(1, r.blocks, r.n_blocks * sizeof *r.blocks) &&
             write_all(1, r.strs.data, r.strs.len) && write_all(1, r.meta.data, r.meta.len);
    _cs_extract_free(&r);
    if (len)
        munmap((void *)data, len);
    return ok ? 0 : 3;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read the child's output into @buf until EOF; 0 on timeout. */
static int read_result(int fd, cs_buf_t *buf)
{
    double deadline = now() + wall_seconds;
    for (;;) {
        double left = deadline - now();
        if (left <= 0)
            return 0;
        struct pollfd p = { fd, POLLIN, 0 };
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        if (!_cs_buf_reserve(buf, 65536))
            return -1;
        ssize_t n = read(fd, buf->data + buf->len, buf->cap - buf->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1;
        buf->len += (size_t)n;
    }
}

/* Take @n bytes from the result at *at; NULL when it is short. */
static const char *take(const cs_buf_t *b, size_t *at, size_t n)
{
    if (b->len - *at < n)
        return NULL;
    const char *p = b->data + *at;
    *at += n;
    return p;
}

static cs_status_t unpack(const cs_buf_t *b, cs_extract_t *out)
{
    size_t at = 0;
    header_t h;
    const char *p = take(b, &at, sizeof h);
    if (!p)
        return _cs_extract_skip(out, "the extractor died without a result");
    memcpy(&h, p, sizeof h);
    const char *text = take(b, &at, h.len);
    const char *segs = take(b, &at, h.n_segs * sizeof(cs_seg_t));
    const char *blocks = take(b, &at, h.n_blocks * sizeof(cs_block_t));
    const char *strs = take(b, &at, h.strs_len);
    const char *meta = take(b, &at, h.meta_len);
    if (!text || !segs || !blocks || !strs || !meta)
        return _cs_extract_skip(out, "the extractor's result was cut short");
    memcpy(out->why, h.why, sizeof out->why);
    out->why[sizeof out->why - 1] = '\0';
    if (h.status == CS_ERR_NOMEM)  /* the child's, under its limit */
        return _cs_extract_skip(out, "extraction ran out of memory (the limit is %lu MB)",
                               (unsigned long)(address_space >> 20));
    if (h.status)
        return (cs_status_t)h.status;
    _cs_extract_text(out, text, h.len);
    out->encoding = h.encoding;
    out->base = h.base;
    h.unit_kind[sizeof h.unit_kind - 1] = '\0';
    out->unit_kind = static_unit_kind(h.unit_kind);
    out->segs = h.n_segs ? malloc(h.n_segs * sizeof *out->segs) : NULL;
    out->blocks = h.n_blocks ? malloc(h.n_blocks * sizeof *out->blocks) : NULL;
    if ((h.n_segs && !out->segs) || (h.n_blocks && !out->blocks))
        return CS_ERR_NOMEM;
    memcpy(out->segs, segs, h.n_segs * sizeof *out->segs);
    memcpy(out->blocks, blocks, h.n_blocks * sizeof *out->blocks);
    out->n_segs = out->cap_segs = h.n_segs;
    out->n_blocks = out->cap_blocks = h.n_blocks;
    _cs_buf_reset(&out->strs);
    _cs_buf_append(&out->strs, strs, h.strs_len);
    _cs_buf_append(&out->meta, meta, h.meta_len);
    out->nomem |= out->strs.failed || out->meta.failed;
    return _cs_extract_status(out);
}

cs_status_t _cs_ingest_isolated(const cs_extractor_t *x, const char *data, size_t len,
                                cs_extract_t *out)
{
    _cs_extract_init(out);
    const char *helper = helper_path();
    int in = memfd_create("cybersearch-extract", MFD_CLOEXEC), fds[2] = { -1, -1 };
    if (in < 0 || !write_all(in, data, len) || lseek(in, 0, SEEK_SET) != 0 ||
        pipe2(fds, O_CLOEXEC) != 0) {
        int e = errno;
        if (in >= 0)
            close(in);
        return _cs_extract_skip(out, "cannot start the %s extractor: %s", x->name, strerror(e));
    }
    char cpu[24], bytes[24];
    snprintf(cpu, sizeof cpu, "%d", cpu_seconds);
    snprintf(bytes, sizeof bytes, "%zu", address_space);
    char *argv[] = { (char *)helper, "--worker", (char *)x->name, cpu, bytes, NULL };
    posix_spawn_file_actions_t actions;
    pid_t pid;
    int e = posix_spawn_file_actions_init(&actions);
    if (!e)
        e = posix_spawn_file_actions_adddup2(&actions, in, 0);
    if (!e)
        e = posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    if (!e)
        e = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!e)
        e = posix_spawn(&pid, helper, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in);
    if (e) {
        close(fds[0]);
        close(fds[1]);
        return _cs_extract_skip(out, "cannot run the %s extractor %s: %s", x->name, helper,
                                strerror(e));
    }
    close(fds[1]);
    cs_buf_t result;
    _cs_buf_init(&result);
    int got = read_result(fds[0], &result);
    close(fds[0]);
    if (got <= 0)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    cs_status_t st;
    if (got < 0)
        st = CS_ERR_NOMEM;
    else if (got == 0)
        st = _cs_extract_skip(out, "the %s extractor took more than %d s: stopped", x->name,
                              wall_seconds);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        st = _cs_extract_skip(out, "the %s extractor used more than %d s of CPU: stopped",
                              x->name, cpu_seconds);
    else if (WIFSIGNALED(status))
        st = _cs_extract_skip(out, "the %s extractor crashed (%s)", x->name,
                              strsignal(WTERMSIG(status)));
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        st = _cs_extract_skip(out, "the %s extractor failed (exit status %d)", x->name,
                              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else
        st = unpack(&result, out);
    _cs_buf_free(&result);
    return st;
}
