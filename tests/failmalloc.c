/* failmalloc.c - an LD_PRELOAD shim that fails the N-th allocation, as
 * SQLite's malloc tests do, for tests/failmalloc.sh.
 *
 * It stands in for malloc, calloc, realloc, reallocarray and the aligned
 * allocators, and passes every call on to glibc's own (__libc_malloc and
 * kin, so free() needs no shim).  C++'s operator new calls malloc, so a
 * failure there becomes std::bad_alloc.  Counting starts when main() is
 * entered (the shim wraps __libc_start_main), so the dynamic loader's and
 * static constructors' allocations are never failed.
 *
 * Environment:
 *   CS_FAILMALLOC_PROG=NAME  arm only in a program whose file name ends in
 *                            NAME (/proc/self/exe: so libtool's wrapper
 *                            script, its shell or `env` is not armed)
 *   CS_FAILMALLOC_FAIL=N     fail the N-th counted allocation (1-based;
 *                            0 or unset: fail none, only count)
 *   CS_FAILMALLOC_PERSIST=1  fail every counted allocation from the N-th on
 *   CS_FAILMALLOC_OWN=1      count only allocations made for the project's
 *                            own code: the first caller outside libc,
 *                            libstdc++ and libgcc is the program itself or
 *                            libcybersearch (not Xapian, poppler, ...)
 *   CS_FAILMALLOC_REPORT=F   at exit append "count C failed K" to F, at
 *                            the failure the failing call's stack, and at a
 *                            crash (SIGSEGV, SIGBUS, SIGABRT) "crash signal
 *                            S in OBJECT", OBJECT holding the crash's first
 *                            frame outside libc, libstdc++ and libgcc, and
 *                            the crash's stack
 * Only the process that entered main() reports; a forked child counts on
 * with its own copy of the counter.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static int armed;
static unsigned long fail_at;
static int persist, own_only;
static int report_fd = -1;
static pid_t main_pid;
static unsigned long counted, failed;
static __thread int busy __attribute__((tls_model("initial-exec")));
static Dl_info self;  /* the program's own object (its main()'s) */

/* Is the object holding @addr the runtime (skipped when looking for the
 * caller), the project's own (1) or another library (0)? -1: runtime. */
static int classify(void *addr)
{
    Dl_info info;
    if (!dladdr(addr, &info) || !info.dli_fname)
        return 0;
    const char *slash = strrchr(info.dli_fname, '/');
    const char *base = slash ? slash + 1 : info.dli_fname;
    static const char *const runtime[] = { "libc.so", "libstdc++.so", "libgcc_s.so",
                                           "ld-linux", "failmalloc" };
    for (size_t i = 0; i < sizeof runtime / sizeof *runtime; i++)
        if (strncmp(base, runtime[i], strlen(runtime[i])) == 0)
            return -1;
    /* the program itself: dladdr names it by its path or by "" */
    if (info.dli_fname[0] == '\0' || strncmp(base, "libcybersearch.so", 17) == 0)
        return 1;
    return self.dli_fname && strcmp(info.dli_fname, self.dli_fname) == 0;
}

static int for_own_code(void)
{
    void *frames[24];
    int n = backtrace(frames, 24);
    for (int i = 1; i < n; i++) {
        int kind = classify(frames[i]);
        if (kind >= 0)
            return kind;
    }
    return 0;
}

/* Should this allocation fail? */
static int fail_now(void)
{
    if (!armed || busy)
        return 0;
    busy = 1;
    int fail = 0;
    if (!own_only || for_own_code()) {
        unsigned long n = __atomic_add_fetch(&counted, 1, __ATOMIC_RELAXED);
        fail = fail_at && (n == fail_at || (persist && n > fail_at));
        if (fail && __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED) == 1 && report_fd >= 0 &&
            getpid() == main_pid) {
            void *frames[32];
            int depth = backtrace(frames, 32);
            dprintf(report_fd, "failing allocation %lu in pid %d:\n", n, (int)getpid());
            backtrace_symbols_fd(frames, depth, report_fd);
        }
    }
    busy = 0;
    if (fail)
        errno = ENOMEM;
    return fail;
}

void *malloc(size_t n)
{
    return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, bytes);
}

void *memalign(size_t align, size_t n)
{
    return fail_now() ? NULL : __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (fail_now())
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

/* A crash after the failure: where it happened (the shim's frames and the
 * runtime's, abort() and std::terminate among them, skipped), then the
 * stack; the signal is then raised again, with its default action. */
static void crashed(int sig)
{
    busy = 1;
    if (report_fd >= 0 && getpid() == main_pid) {
        void *frames[48];
        int depth = backtrace(frames, 48);
        const char *where = "?";
        Dl_info info;
        for (int i = 1; i < depth; i++)
            if (classify(frames[i]) >= 0) {
                if (dladdr(frames[i], &info) && info.dli_fname)
                    where = info.dli_fname[0] ? info.dli_fname : "the program";
                break;
            }
        dprintf(report_fd, "crash signal %d in %s\n", sig, where);
        backtrace_symbols_fd(frames, depth, report_fd);
    }
    signal(sig, SIG_DFL);
    raise(sig);  /* delivered when this handler returns */
}

static void report(void)
{
    if (report_fd >= 0 && getpid() == main_pid)
        dprintf(report_fd, "count %lu failed %lu\n", counted, failed);
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int armed_main(int argc, char **argv, char **envp)
{
    const char *prog = getenv("CS_FAILMALLOC_PROG");
    char exe[4096];
    ssize_t elen = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[elen > 0 ? elen : 0] = '\0';
    size_t plen = prog ? strlen(prog) : 0, alen = strlen(exe);
    if (!prog || (alen >= plen && strcmp(exe + alen - plen, prog) == 0)) {
        const char *v = getenv("CS_FAILMALLOC_FAIL");
        fail_at = v ? strtoul(v, NULL, 10) : 0;
        persist = getenv("CS_FAILMALLOC_PERSIST") != NULL;
        own_only = getenv("CS_FAILMALLOC_OWN") != NULL;
        const char *path = getenv("CS_FAILMALLOC_REPORT");
        if (path)
            report_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        main_pid = getpid();
        if (!dladdr((void *)real_main, &self))
            self.dli_fname = NULL;
        void *warm[4];
        backtrace(warm, 4);  /* loads libgcc_s now, not inside a counted call */
        atexit(report);
        static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT };
        for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
            signal(fatal[i], crashed);
        armed = 1;
    }
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void),
                            void (*)(void), void *);
    start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return real(armed_main, argc, argv, init, fini, rtld_fini, stack_end);
}
