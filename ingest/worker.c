/* worker.c - extraction in a child process, as Omega runs its filters.
 *
 * PDF and zip parsers crash, loop and allocate without bound on malformed
 * input.  The child (fork() without exec: it inherits the file's bytes and
 * the extractor) runs under RLIMIT_CPU and RLIMIT_AS and writes its result
 * to a pipe; the parent reads it under a wall-clock limit.  A child that
 * dies, overruns or sends a truncated result costs its file only: the file
 * is skipped with the reason.  The result is sent as the raw structures:
 * parent and child are the same program, so even unit_kind, a pointer to a
 * static string, stays valid.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"

/* Limits per document: a 1000-page verbatim record takes seconds, not a
 * minute, and poppler's memory stays well under a gigabyte. */
static int cpu_seconds = 60;
static int wall_seconds = 120;
static size_t address_space = (size_t)2048 << 20;

void _cs_ingest_set_limits(int cpu, int wall, size_t bytes)
{
    cpu_seconds = cpu;
    wall_seconds = wall;
    address_space = bytes;
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
    const char *unit_kind;
} header_t;

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

static void child(const cs_extractor_t *x, const char *data, size_t len, int fd)
{
    /* other threads' pipes: their parents wait for every writer to close */
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0u, 0);
    /* a crash is a signal the parent sees, even where a sanitizer would
     * catch it and exit */
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        signal(fatal[i], SIG_DFL);
    struct rlimit cpu = { (rlim_t)cpu_seconds, (rlim_t)cpu_seconds + 1 };
    setrlimit(RLIMIT_CPU, &cpu);
    if (LIMIT_ADDRESS_SPACE) {
        struct rlimit as = { address_space, address_space };
        setrlimit(RLIMIT_AS, &as);
    }
    cs_extract_t r;
    _cs_extract_init(&r);
    cs_status_t st = x->extract(data, len, &r);
    if (!st)
        st = _cs_extract_status(&r);
    header_t h;
    memset(&h, 0, sizeof h);  /* sent as bytes, padding included */
    h.status = st;
    memcpy(h.why, r.why, sizeof h.why);
    h.len = r.len;
    h.n_segs = r.n_segs;
    h.n_blocks = r.n_blocks;
    h.strs_len = r.strs.len;
    h.meta_len = r.meta.len;
    h.encoding = r.encoding;
    h.base = r.base;
    h.unit_kind = r.unit_kind;
    int ok = write_all(fd, &h, sizeof h) && write_all(fd, r.text, r.len) &&
             write_all(fd, r.segs, r.n_segs * sizeof *r.segs) &&
             write_all(fd, r.blocks, r.n_blocks * sizeof *r.blocks) &&
             write_all(fd, r.strs.data, r.strs.len) && write_all(fd, r.meta.data, r.meta.len);
    _exit(ok ? 0 : 3);
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
    out->unit_kind = h.unit_kind;
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
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return _cs_extract_skip(out, "cannot start an extractor: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return _cs_extract_skip(out, "cannot start an extractor: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        child(x, data, len, fds[1]);
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
