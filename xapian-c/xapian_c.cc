/* xapian_c.cc - the C interface to Xapian declared in xapian_c.h.
 *
 * Every entry point runs its body inside guarded(), which turns any
 * exception into a cs_status_t and a message (see status_of_current_exception
 * for the mapping).  Argument checks happen before, so a NULL handle is
 * CS_ERR_INVALID and never a crash.  Handles hold Xapian objects by value:
 * Xapian's handles are reference-counted, so copying one is cheap and keeps
 * what it refers to alive.
 */
#include "xapian_c.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- handles ---------------------------------------------------------- */

struct xc_db {
    /* Always valid; for a writable database it shares wdb's internals. */
    Xapian::Database db;
    Xapian::WritableDatabase wdb;
    bool writable = false;
    /* Opened from a stub naming several databases: db combines them, and
     * each is also a handle of its own, for what Xapian reads from the
     * first one only (metadata) and for writes, which go to one shard. */
    std::vector<std::unique_ptr<xc_db>> parts;
    std::string name;      /* the location, as given or as the stub names it */
    std::string stub_text; /* the stub's content when opened from one */
    int mode = 0;
    bool is_part = false;  /* a shard of a stub's handle, which owns it */
    bool modified = false; /* written through since it was opened */
};

struct xc_doc {
    Xapian::Document doc;
    /* Copies of the data and values that xc_doc_data / xc_doc_value hand
     * out: Xapian returns them by value, and a document read from a
     * database must not go back to it (which could fail) after the read. */
    std::string data;
    std::map<unsigned, std::string> values;
};

struct xc_query {
    Xapian::Query query;
};

struct xc_enquire {
    Xapian::Database db; /* a copy, so the enquire outlives xc_db_free */
    Xapian::Enquire enquire;
    explicit xc_enquire(const Xapian::Database &db_) : db(db_), enquire(db_) {}
};

struct xc_mset {
    Xapian::MSet mset; /* keeps its enquire, and so the database, alive */
};

struct xc_keys {
    Xapian::TermIterator it, end;
    std::string current; /* what the last xc_keys_next returned */
    bool started = false;
    cs_status_t status = CS_OK; /* why iteration stopped early, if it did */
    char message[sizeof(xc_error_t::message)];
};

/* ---- errors ------------------------------------------------------------ */

/* @s was cut after @len bytes: drop a UTF-8 sequence the cut left
 * incomplete, so the message stays valid UTF-8. */
static void trim_partial_utf8(char *s, size_t len)
{
    size_t start = len; /* back up over continuation bytes to the lead */
    while (start > 0 && (static_cast<unsigned char>(s[start - 1]) & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = static_cast<unsigned char>(s[start - 1]);
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (start - 1) < need)
        s[start - 1] = '\0';
}

static cs_status_t set_error(xc_error_t *err, cs_status_t status,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cs_status_t set_error(xc_error_t *err, cs_status_t status,
                             const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->message[0] = '\0';
    else if (static_cast<size_t>(n) >= sizeof err->message)
        trim_partial_utf8(err->message, sizeof err->message - 1);
    return status;
}

static cs_status_t invalid_argument(xc_error_t *err, const char *func,
                                    const char *what)
{
    return set_error(err, CS_ERR_INVALID, "%s: %s", func, what);
}

/* Return CS_ERR_INVALID naming the function and the failed check. */
#define REQUIRE(cond, err)                                                     \
    do {                                                                       \
        if (!(cond))                                                           \
            return invalid_argument((err), __func__, "invalid argument (" #cond ")"); \
    } while (0)

/* The status an errno stands for when it names the real cause better than
 * the exception's class (a failed write is a DatabaseError whatever the
 * reason), or CS_OK. */
static cs_status_t status_of_errno(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return CS_ERR_PERMISSION;
    case ENOSPC:
    case EDQUOT:
        return CS_ERR_NO_SPACE;
    default:
        return CS_OK;
    }
}

/* "Type: message (context: ...) (errno text)", the optional parts only
 * when Xapian has them.  A permission or disk-full errno overrides
 * @status. */
static cs_status_t xapian_error(xc_error_t *err, cs_status_t status,
                                const Xapian::Error &e)
{
    /* Xapian keeps the errno private and gives only its strerror() text */
    static const int telling[] = { EACCES, EPERM, EROFS, ENOSPC, EDQUOT };
    const char *text = e.get_error_string();
    for (size_t i = 0; text && i < sizeof telling / sizeof *telling; i++)
        if (std::strcmp(text, std::strerror(telling[i])) == 0)
            status = status_of_errno(telling[i]);
    const std::string &context = e.get_context();
    const char *errno_text = e.get_error_string();
    return set_error(err, status, "%s: %s%s%s%s%s%s%s", e.get_type(),
                     e.get_msg().c_str(), context.empty() ? "" : " (context: ",
                     context.c_str(), context.empty() ? "" : ")",
                     errno_text ? " (" : "", errno_text ? errno_text : "",
                     errno_text ? ")" : "");
}

/* Map the exception being handled to a status.  Call only from a catch
 * block.  The most derived classes come first. */
static cs_status_t status_of_current_exception(xc_error_t *err) noexcept
{
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            return xapian_error(err, CS_ERR_LOCKED, e);
        } catch (const Xapian::DatabaseCorruptError &e) {
            return xapian_error(err, CS_ERR_CORRUPT, e);
        } catch (const Xapian::DatabaseModifiedError &e) {
            return xapian_error(err, CS_ERR_MODIFIED, e);
        } catch (const Xapian::DatabaseVersionError &e) {
            return xapian_error(err, CS_ERR_VERSION, e);
        } catch (const Xapian::DatabaseNotFoundError &e) {
            return xapian_error(err, CS_ERR_NOT_FOUND, e);
        } catch (const Xapian::DatabaseOpeningError &e) {
            return xapian_error(err, CS_ERR_OPENING, e);
        } catch (const Xapian::DatabaseCreateError &e) {
            /* Creating is part of opening for CREATE modes. */
            return xapian_error(err, CS_ERR_OPENING, e);
        } catch (const Xapian::DocNotFoundError &e) {
            return xapian_error(err, CS_ERR_NOT_FOUND, e);
        } catch (const Xapian::NetworkError &e) { /* and NetworkTimeoutError */
            return xapian_error(err, CS_ERR_NETWORK, e);
        } catch (const Xapian::QueryParserError &e) {
            return xapian_error(err, CS_ERR_BAD_QUERY, e);
        } catch (const Xapian::InvalidArgumentError &e) {
            return xapian_error(err, CS_ERR_INVALID, e);
        } catch (const Xapian::InvalidOperationError &e) {
            return xapian_error(err, CS_ERR_INVALID, e);
        } catch (const Xapian::Error &e) {
            return xapian_error(err, CS_ERR_BACKEND, e);
        } catch (const std::bad_alloc &) {
            return set_error(err, CS_ERR_NOMEM, "out of memory");
        } catch (const std::exception &e) {
            return set_error(err, CS_ERR_INTERNAL, "unexpected exception: %s",
                             e.what());
        } catch (...) {
            return set_error(err, CS_ERR_INTERNAL, "unknown exception");
        }
    } catch (...) {
        /* Formatting the message threw (bad_alloc): keep a static one. */
        return set_error(err, CS_ERR_NOMEM, "out of memory reporting an error");
    }
}

/* Run @body; CS_OK, or the status of whatever it threw. */
template <typename Body>
static cs_status_t guarded(xc_error_t *err, Body &&body) noexcept
{
    try {
        body();
        return CS_OK;
    } catch (...) {
        return status_of_current_exception(err);
    }
}

/* For accessors that have no error channel: @fallback on any exception. */
template <typename T, typename Body>
static T guarded_value(T fallback, Body &&body) noexcept
{
    try {
        return body();
    } catch (...) {
        return fallback;
    }
}

/* The integer a C caller passed for an enum.  C may pass any int, and in
 * C++ merely reading an enum object holding a value outside its enumerators
 * is undefined, so the bytes are read as an int instead. */
template <typename Enum> static int raw_enum(const Enum &e)
{
    static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
    int value;
    std::memcpy(&value, &e, sizeof value);
    return value;
}

/* A malloc'd, NUL-terminated copy (C callers free() it). */
static char *malloc_copy(const std::string &s)
{
    char *copy = static_cast<char *>(std::malloc(s.size() + 1));
    if (!copy)
        throw std::bad_alloc();
    std::memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    return copy;
}

static std::string bytes(const void *p, size_t len)
{
    return len ? std::string(static_cast<const char *>(p), len) : std::string();
}

/* ---- databases ---------------------------------------------------------- */

/* Remote reads fail after 10 s of silence; writes may legitimately take
 * longer (a big commit), so writers get 2 minutes. */
static const useconds_t REMOTE_CONNECT_TIMEOUT_MS = 10000;
static const useconds_t REMOTE_READ_TIMEOUT_MS = 10000;
static const useconds_t REMOTE_WRITE_TIMEOUT_MS = 120000;
static const char TCP_SCHEME[] = "tcp://";
/* Glass's version file, and the stub file of a stub folder. */
#define GLASS_VERSION_FILE "iamglass"
#define STUB_FILE "XAPIANDB"

static bool is_remote(const char *path) noexcept
{
    return std::strncmp(path, TCP_SCHEME, sizeof TCP_SCHEME - 1) == 0;
}

static int writable_action(int mode)
{
    switch (mode) {
    case XC_OPEN_CREATE_OR_OPEN:
        return Xapian::DB_CREATE_OR_OPEN;
    case XC_OPEN_CREATE_OR_OVERWRITE:
        return Xapian::DB_CREATE_OR_OVERWRITE;
    case XC_OPEN_SCRATCH:
        return Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC;
    case XC_OPEN_WRITE:
        return Xapian::DB_OPEN;
    case XC_OPEN_READ:
        break;
    }
    throw Xapian::InvalidArgumentError("unknown open mode");
}

/* Split "HOST:PORT" (HOST may be a bracketed IPv6 address). */
static void parse_host_port(const std::string &spec, std::string &host,
                            unsigned &port)
{
    size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
        throw Xapian::InvalidArgumentError("expected tcp://HOST:PORT, got tcp://" +
                                           spec);
    host = spec.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const char *digits = spec.c_str() + colon + 1;
    char *end;
    unsigned long n = std::strtoul(digits, &end, 10);
    if (*end != '\0' || *digits < '0' || *digits > '9' || n == 0 || n > 65535)
        throw Xapian::InvalidArgumentError("bad port in tcp://" + spec);
    port = static_cast<unsigned>(n);
}

static void open_remote(xc_db *h, const std::string &spec, int mode)
{
    std::string host;
    unsigned port;
    parse_host_port(spec, host, port);
    if (mode == XC_OPEN_READ) {
        h->db = Xapian::Remote::open(host, port, REMOTE_READ_TIMEOUT_MS,
                                     REMOTE_CONNECT_TIMEOUT_MS);
        /* A server of a stub answers as one database, whose metadata is its
         * first shard's alone: the other shards' file records and
         * vocabulary would be missing, and the every-document workaround
         * (xc_query_filter_term) could not see its shards.  Xapian gives
         * a combination's UUIDs joined by ':'. */
        std::string uuid = h->db.get_uuid();
        if (uuid.find(':') != std::string::npos)
            throw Xapian::DatabaseOpeningError(
                spec + " serves " +
                std::to_string(std::count(uuid.begin(), uuid.end(), ':') + 1) +
                " databases as one: serve each shard with its own xapian-tcpsrv and "
                "name them in a stub file (docs/SCALE-OUT.md)");
    } else {
        h->wdb = Xapian::Remote::open_writable(host, port,
                                               REMOTE_WRITE_TIMEOUT_MS,
                                               REMOTE_CONNECT_TIMEOUT_MS,
                                               writable_action(mode));
        h->db = h->wdb;
        h->writable = true;
    }
}

/* A scratch database's block size.  Each flush of a bulk build rewrites
 * the blocks it touches with a pwrite and reads others back with a pread,
 * over a million of each on the UN corpus; 16 KiB blocks make a quarter
 * fewer and took 6% less CPU there (bench/RESULTS.md, "Scratch blocks").
 * The index they are compacted into keeps Xapian's default 8 KiB, which
 * searches read. */
static const int SCRATCH_BLOCK_SIZE = 16384;

static void open_plain(xc_db *h, const std::string &path, int mode)
{
    if (mode == XC_OPEN_READ) {
        h->db = Xapian::Database(path);
    } else {
        int block_size = mode == XC_OPEN_SCRATCH ? SCRATCH_BLOCK_SIZE : 0;
        h->wdb = Xapian::WritableDatabase(path, writable_action(mode), block_size);
        h->db = h->wdb;
        h->writable = true;
    }
}

static bool is_regular(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/* The stub file @path names: itself when it is a file, its XAPIANDB when it
 * is a folder holding one and no database of its own; "" otherwise. */
static std::string stub_file_of(const std::string &path)
{
    if (is_regular(path))
        return path;
    if (is_dir(path) && !is_regular(path + "/" GLASS_VERSION_FILE) &&
        is_regular(path + "/" STUB_FILE))
        return path + "/" STUB_FILE;
    return "";
}

static bool read_text(const std::string &path, std::string &out)
{
    out.clear();
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
        return false;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    bool ok = !std::ferror(f);
    std::fclose(f);
    return ok;
}

/* A stub database (Xapian 1.4's format): one database per line, "auto
 * PATH" or "glass PATH" (relative to the stub's folder) or "remote
 * HOST:PORT" (xapian-tcpsrv); blank lines and # comments are skipped. */
/* Each of a stub's databases once: one named twice, or with its replica
 * (which keeps its UUID), would give every hit of it twice and double its
 * counts. */
static void refuse_repeated_parts(const xc_db *h, const std::string &stub)
{
    std::map<std::string, const std::string *> seen;
    for (const auto &part : h->parts) {
        auto named = seen.emplace(part->db.get_uuid(), &part->name);
        if (!named.second)
            throw Xapian::DatabaseOpeningError(
                "stub " + stub + " names one database twice: " + *named.first->second +
                " and " + part->name + " (the same, or a copy or replica of it)");
    }
}

/* Stubs may name stub folders (another index) down to this depth. */
static const int STUB_DEPTH_MAX = 8;

static void open_stub(xc_db *h, const std::string &stub, const std::string &text, int mode,
                      int depth = 0)
{
    if (depth > STUB_DEPTH_MAX)
        throw Xapian::DatabaseOpeningError("stub " + stub + ": stubs nest more than " +
                                           std::to_string(STUB_DEPTH_MAX) +
                                           " deep (does one name itself?)");
    size_t before = h->parts.size();
    std::string dir = stub.substr(0, stub.rfind('/') == std::string::npos ? 0 : stub.rfind('/') + 1);
    size_t line_no = 0;
    for (size_t at = 0; at < text.size();) {
        size_t nl = text.find('\n', at);
        std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        at = nl == std::string::npos ? text.size() : nl + 1;
        line_no++;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        size_t sp = line.find(' ');
        std::string type = line.substr(0, sp);
        std::string arg = sp == std::string::npos ? "" : line.substr(line.find_first_not_of(' ', sp));
        std::unique_ptr<xc_db> part(new xc_db);
        part->mode = mode;
        part->is_part = true;
        part->name = arg;
        if ((type == "auto" || type == "glass") && !arg.empty()) {
            std::string path = arg[0] == '/' ? arg : dir + arg, inner = stub_file_of(path);
            if (type == "auto" && !inner.empty()) {
                /* another stub (an index in shards): its shards become
                 * ours, each with its own metadata, as Xapian would
                 * otherwise read only its first shard's */
                std::string inner_text;
                if (!read_text(inner, inner_text))
                    throw Xapian::DatabaseOpeningError("cannot read the stub " + inner, errno);
                open_stub(h, inner, inner_text, mode, depth + 1);
                continue;
            }
            part->name = path;
            open_plain(part.get(), path, mode);
        } else if (type == "remote" && arg.find(':') != std::string::npos) {
            std::string spec = arg[0] == ':' ? "127.0.0.1" + arg : arg;
            part->name = std::string(TCP_SCHEME) + spec;
            open_remote(part.get(), spec, mode);
        } else {
            throw Xapian::DatabaseOpeningError("stub " + stub + " line " +
                                               std::to_string(line_no) +
                                               ": expected 'auto PATH', 'glass PATH' or "
                                               "'remote HOST:PORT', got '" + line + "'");
        }
        h->db.add_database(part->db);
        h->parts.push_back(std::move(part));
    }
    if (h->parts.size() == before)
        throw Xapian::DatabaseOpeningError("stub " + stub + " names no database");
    if (depth > 0)
        return;   /* the outermost stub is the one a reopen rereads */
    refuse_repeated_parts(h, stub);
    h->stub_text = text;
    if (h->parts.size() == 1 && h->parts[0]->writable) {
        h->wdb = h->parts[0]->wdb;
        h->writable = true;
    }
}

static void open_local(xc_db *h, const std::string &path, int mode)
{
    std::string stub = stub_file_of(path), text;
    if (stub.empty()) {
        open_plain(h, path, mode);
        return;
    }
    if (!read_text(stub, text))
        throw Xapian::DatabaseOpeningError("cannot read the stub " + stub, errno);
    open_stub(h, stub, text, mode);
}

/* ---- installing a rebuilt index ----------------------------------------- */

static void sync_path(const std::string &path, bool dir)
{
    int fd = open(path.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_WRONLY) | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int why = errno;
        if (fd >= 0)
            close(fd);
        throw Xapian::DatabaseError("cannot sync " + path, why);
    }
    close(fd);
}

/* Call @fn with the name of each entry of the folder @dir but "." and
 * ".." (none when it cannot be read). */
template <typename Fn> static void each_entry(const std::string &dir, Fn &&fn)
{
    std::unique_ptr<DIR, int (*)(DIR *)> d(opendir(dir.c_str()), closedir);
    while (struct dirent *de = d ? readdir(d.get()) : nullptr)
        if (std::strcmp(de->d_name, ".") != 0 && std::strcmp(de->d_name, "..") != 0)
            fn(de->d_name);
}

/* The version folders ("v" + number) in @index, ascending. */
static std::vector<unsigned long> versions_in(const std::string &index)
{
    std::vector<unsigned long> found;
    each_entry(index, [&](const char *name) {
        char *end;
        if (name[0] == 'v' && name[1] >= '0' && name[1] <= '9') {
            unsigned long n = std::strtoul(name + 1, &end, 10);
            if (*end == '\0')
                found.push_back(n);
        }
    });
    std::sort(found.begin(), found.end());
    return found;
}

static void remove_tree(const std::string &path)
{
    each_entry(path, [&](const char *name) {
        std::string below = path + "/" + name;
        struct stat st;
        if (lstat(below.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(below);
        else
            unlink(below.c_str());
    });
    rmdir(path.c_str());
}

cs_status_t xc_db_install(const char *index, const char *const *sources, const size_t *shard_of,
                          size_t n_sources, size_t n_shards, xc_error_t *err)
{
    REQUIRE(index && (sources || n_sources == 0) && (shard_of || n_sources == 0) &&
                n_shards > 0,
            err);
    return guarded(err, [&] {
        std::string dir(index);
        if (is_remote(index))
            throw Xapian::InvalidOperationError(dir + ": a remote index cannot be rebuilt "
                                                "through xapian-tcpsrv: rebuild it on the "
                                                "machine that holds it");
        if (mkdir(index, 0755) != 0 && errno != EEXIST)
            throw Xapian::DatabaseCreateError("cannot create " + dir, errno);
        std::vector<unsigned long> old = versions_in(dir);
        unsigned long version = old.empty() ? 1 : old.back() + 1;
        std::string old_stub;
        read_text(dir + "/" STUB_FILE, old_stub);
        std::string name = "v" + std::to_string(version);
        if (mkdir((dir + "/" + name).c_str(), 0755) != 0)
            throw Xapian::DatabaseCreateError("cannot create " + dir + "/" + name, errno);
        std::string stub;
        for (size_t k = 0; k < n_shards; k++) {
            std::string rel = name + "/shard-" + std::to_string(k);
            Xapian::Database all;
            size_t n = 0;
            for (size_t i = 0; i < n_sources; i++)
                if (shard_of[i] == k) {
                    all.add_database(Xapian::Database(sources[i]));
                    n++;
                }
            if (n)
                all.compact(dir + "/" + rel, Xapian::DB_BACKEND_GLASS);
            else
                Xapian::WritableDatabase(dir + "/" + rel, Xapian::DB_CREATE).commit();
            stub += "auto " + rel + "\n";
        }
        sync_path(dir + "/" + name, true);
        /* the switch: one rename(2) of a complete, synced stub file */
        std::string tmp = dir + "/" STUB_FILE ".tmp";
        FILE *f = std::fopen(tmp.c_str(), "w");
        bool ok = f && std::fwrite(stub.data(), 1, stub.size(), f) == stub.size() &&
                  std::fflush(f) == 0 && fsync(fileno(f)) == 0;
        int why = errno;
        if (f && std::fclose(f) != 0 && ok) {
            ok = false;
            why = errno;
        }
        if (!ok || rename(tmp.c_str(), (dir + "/" STUB_FILE).c_str()) != 0) {
            why = ok ? errno : why;
            unlink(tmp.c_str());
            throw Xapian::DatabaseError("cannot write " + dir + "/" STUB_FILE, why);
        }
        /* a plain database in the folder (the layout before stubs) would
         * hide the stub: its version file goes first, then its tables */
        std::string version_file = dir + "/" GLASS_VERSION_FILE;
        if (unlink(version_file.c_str()) == 0 || errno != ENOENT)
            each_entry(dir, [&](const char *name) {
                size_t len = std::strlen(name);
                if (len > 6 && std::strcmp(name + len - 6, ".glass") == 0)
                    unlink((dir + "/" + name).c_str());
            });
        sync_path(dir, true);
        /* readers of the version just replaced keep it; older ones, and
         * what a killed build left, go */
        for (unsigned long v : old) {
            std::string folder = "v" + std::to_string(v);
            if (old_stub.find(" " + folder + "/") == std::string::npos)
                remove_tree(dir + "/" + folder);
        }
    });
}

cs_status_t xc_db_open(const char *path, xc_open_mode_t mode, xc_db_t **out,
                       xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(path, err);
    xc_db *h = NULL;
    cs_status_t st = guarded(err, [&] {
        h = new xc_db;
        h->name = path;
        h->mode = raw_enum(mode);
        std::string spec(path);
        if (is_remote(path))
            open_remote(h, spec.substr(sizeof TCP_SCHEME - 1), raw_enum(mode));
        else
            open_local(h, spec, raw_enum(mode));
    });
    if (st != CS_OK) {
        delete h;
        /* Xapian reports a lock file it may not open as a lock held by
         * another writer ("Couldn't open lockfile", no errno): find out. */
        if (st == CS_ERR_LOCKED && !is_remote(path)) {
            std::string lock = std::string(path) + "/flintlock";
            int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
            int why = fd < 0 ? errno : 0;
            if (fd >= 0)
                close(fd);
            if (cs_status_t by_errno = status_of_errno(why))
                return set_error(err, by_errno, "%s: cannot write its lock file: %s", path,
                                 std::strerror(why));
        }
        /* and a folder it may not read as no database at all */
        if ((st == CS_ERR_NOT_FOUND || st == CS_ERR_OPENING) && !is_remote(path)) {
            int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            int why = fd < 0 ? errno : 0;
            if (fd >= 0) {
                std::string version = std::string(path) + "/" GLASS_VERSION_FILE;
                if (access(version.c_str(), R_OK) != 0 && errno != ENOENT)
                    why = errno;
                close(fd);
            }
            if (cs_status_t by_errno = status_of_errno(why))
                return set_error(err, by_errno, "%s: cannot read the index: %s", path,
                                 std::strerror(why));
        }
        /* Name the database: Xapian's messages do not always. */
        if (err) {
            xc_error_t detail = *err;
            set_error(err, st, "%s: %s", path, detail.message);
        }
        return st;
    }
    /* Xapian takes its lock and reads, and fails only at the first commit,
     * deep in a run, when it may not write the folder: say so now */
    if (h->writable && !is_remote(path) && access(path, W_OK) != 0) {
        int why = errno;
        if (cs_status_t by_errno = status_of_errno(why)) {
            delete h;
            return set_error(err, by_errno, "%s: the index folder is not writable: %s", path,
                             std::strerror(why));
        }
    }
    *out = h;
    return CS_OK;
}

/* Not close(): that would also close the copies held by enquires.  When
 * the last handle goes, a writable database commits (errors swallowed by
 * Xapian) and releases its lock. */
void xc_db_free(xc_db_t *db)
{
    if (db && !db->is_part)
        delete db;
}

int xc_db_modified(const xc_db_t *db)
{
    if (!db)
        return 0;
    bool any = db->modified;
    for (auto &part : db->parts)
        any = any || part->modified;
    return any;
}

/* Throws for a read-only handle, so the mapper reports it as INVALID. */
static Xapian::WritableDatabase &writable(xc_db_t *db)
{
    if (!db->writable)
        throw Xapian::InvalidOperationError("database is open read-only");
    return db->wdb;
}

/* A reader of a local index follows a rebuild that switched its stub (or
 * turned a plain database into a stub folder): it opens afresh when the
 * stub changed, and Xapian's reopen() catches up with commits otherwise. */
cs_status_t xc_db_reopen(xc_db_t *db, xc_error_t *err)
{
    REQUIRE(db, err);
    return guarded(err, [&] {
        std::string stub, text;
        if (db->mode == XC_OPEN_READ && !is_remote(db->name.c_str())) {
            stub = stub_file_of(db->name);
            if (!stub.empty() && !read_text(stub, text))
                stub.clear();
        }
        if (text != db->stub_text) {
            std::unique_ptr<xc_db> fresh(new xc_db);
            fresh->name = db->name;
            fresh->mode = db->mode;
            open_local(fresh.get(), db->name, db->mode);
            *db = std::move(*fresh);
            return;
        }
        db->db.reopen();
        for (auto &part : db->parts)
            part->db.reopen();
    });
}

size_t xc_db_shard_count(const xc_db_t *db)
{
    return !db ? 0 : db->parts.empty() ? 1 : db->parts.size();
}

xc_db_t *xc_db_shard(xc_db_t *db, size_t i)
{
    if (!db)
        return NULL;
    if (db->parts.size() <= 1)
        return i == 0 ? db : NULL;  /* one database: the handle itself */
    return i < db->parts.size() ? db->parts[i].get() : NULL;
}

const char *xc_db_name(const xc_db_t *db)
{
    return db ? db->name.c_str() : "";
}

cs_status_t xc_db_commit(xc_db_t *db, xc_error_t *err)
{
    REQUIRE(db, err);
    return guarded(err, [&] {
        if (db->parts.size() > 1)
            for (auto &part : db->parts)
                writable(part.get()).commit();
        else
            writable(db).commit();
    });
}

cs_status_t xc_db_begin_transaction(xc_db_t *db, xc_error_t *err)
{
    REQUIRE(db, err);
    return guarded(err, [&] { writable(db).begin_transaction(true); });
}

cs_status_t xc_db_commit_transaction(xc_db_t *db, xc_error_t *err)
{
    REQUIRE(db, err);
    return guarded(err, [&] { writable(db).commit_transaction(); });
}

cs_status_t xc_db_cancel_transaction(xc_db_t *db, xc_error_t *err)
{
    REQUIRE(db, err);
    return guarded(err, [&] { writable(db).cancel_transaction(); });
}

cs_status_t xc_db_doccount(xc_db_t *db, uint64_t *out, xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(out, err);
    return guarded(err, [&] { *out = db->db.get_doccount(); });
}

cs_status_t xc_db_termfreq(xc_db_t *db, const char *term, uint64_t *out,
                           xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(term, err);
    REQUIRE(out, err);
    return guarded(err, [&] { *out = db->db.get_termfreq(term); });
}

cs_status_t xc_db_collection_freq(xc_db_t *db, const char *term, uint64_t *out,
                                  xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(term, err);
    REQUIRE(out, err);
    return guarded(err, [&] { *out = db->db.get_collection_freq(term); });
}

cs_status_t xc_db_avlength(xc_db_t *db, double *out, xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(out, err);
    return guarded(err, [&] { *out = db->db.get_avlength(); });
}

cs_status_t xc_db_add_document(xc_db_t *db, const xc_doc_t *doc,
                               uint32_t *docid, xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(doc, err);
    return guarded(err, [&] {
        Xapian::docid id = writable(db).add_document(doc->doc);
        db->modified = true;
        if (docid)
            *docid = id;
    });
}

cs_status_t xc_db_delete_documents_by_term(xc_db_t *db, const char *term,
                                           xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(term, err);
    return guarded(err, [&] {
        writable(db).delete_document(std::string(term));
        db->modified = true;
    });
}

/* Data and values of @src, copied so that reading them never fails. */
static xc_doc *copy_document(const Xapian::Document &src)
{
    xc_doc *copy = new xc_doc;
    try {
        copy->data = src.get_data();
        copy->doc.set_data(copy->data);
        for (Xapian::ValueIterator v = src.values_begin(); v != src.values_end();
             ++v) {
            copy->values[v.get_valueno()] = *v;
            copy->doc.add_value(v.get_valueno(), *v);
        }
    } catch (...) {
        delete copy;
        throw;
    }
    return copy;
}

cs_status_t xc_db_get_document(xc_db_t *db, uint32_t docid, xc_doc_t **out,
                               xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(db, err);
    return guarded(err, [&] { *out = copy_document(db->db.get_document(docid)); });
}

cs_status_t xc_db_get_metadata(xc_db_t *db, const char *key, char **value,
                               size_t *len, xc_error_t *err)
{
    REQUIRE(value, err);
    *value = NULL;
    REQUIRE(db, err);
    REQUIRE(key, err);
    return guarded(err, [&] {
        std::string v = db->db.get_metadata(key);
        *value = malloc_copy(v);
        if (len)
            *len = v.size();
    });
}

cs_status_t xc_db_set_metadata(xc_db_t *db, const char *key, const char *value,
                               size_t len, xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(key, err);
    REQUIRE(value || len == 0, err);
    return guarded(err, [&] {
        writable(db).set_metadata(key, bytes(value, len));
        db->modified = true;
    });
}

static xc_keys *new_keys(const Xapian::TermIterator &begin,
                         const Xapian::TermIterator &end)
{
    xc_keys *keys = new xc_keys;
    keys->it = begin;
    keys->end = end;
    return keys;
}

cs_status_t xc_db_metadata_keys(xc_db_t *db, const char *prefix,
                                xc_keys_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(db, err);
    REQUIRE(prefix, err);
    return guarded(err, [&] {
        *out = new_keys(db->db.metadata_keys_begin(prefix),
                        db->db.metadata_keys_end(prefix));
    });
}

cs_status_t xc_db_allterms(xc_db_t *db, const char *prefix, xc_keys_t **out,
                           xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(db, err);
    REQUIRE(prefix, err);
    return guarded(err, [&] {
        *out = new_keys(db->db.allterms_begin(prefix),
                        db->db.allterms_end(prefix));
    });
}

const char *xc_keys_next(xc_keys_t *keys, size_t *len)
{
    if (!keys || keys->status != CS_OK)
        return NULL;
    xc_error_t e;
    cs_status_t st = guarded(&e, [&] {
        /* Advance lazily, so the previous string stays valid until now. */
        if (keys->started && keys->it != keys->end)
            ++keys->it;
        keys->started = true;
        if (keys->it != keys->end)
            keys->current = *keys->it;
    });
    if (st != CS_OK) {
        keys->status = st;
        std::memcpy(keys->message, e.message, sizeof keys->message);
        return NULL;
    }
    if (keys->it == keys->end)
        return NULL;
    if (len)
        *len = keys->current.size();
    return keys->current.c_str();
}

cs_status_t xc_keys_status(const xc_keys_t *keys, xc_error_t *err)
{
    REQUIRE(keys, err);
    if (keys->status != CS_OK)
        return set_error(err, keys->status, "%s", keys->message);
    return CS_OK;
}

void xc_keys_free(xc_keys_t *keys)
{
    delete keys;
}

/* ---- documents -------------------------------------------------------------- */

cs_status_t xc_doc_new(xc_doc_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    return guarded(err, [&] { *out = new xc_doc; });
}

void xc_doc_free(xc_doc_t *doc)
{
    delete doc;
}

cs_status_t xc_doc_add_posting(xc_doc_t *doc, const char *term, size_t len,
                               uint32_t pos, uint32_t wdf_inc, xc_error_t *err)
{
    REQUIRE(doc, err);
    REQUIRE(term, err);
    return guarded(err, [&] { doc->doc.add_posting(bytes(term, len), pos, wdf_inc); });
}

cs_status_t xc_doc_add_term(xc_doc_t *doc, const char *term, size_t len,
                            uint32_t wdf_inc, xc_error_t *err)
{
    REQUIRE(doc, err);
    REQUIRE(term, err);
    return guarded(err, [&] { doc->doc.add_term(bytes(term, len), wdf_inc); });
}

cs_status_t xc_doc_add_boolean_term(xc_doc_t *doc, const char *term,
                                    size_t len, xc_error_t *err)
{
    REQUIRE(doc, err);
    REQUIRE(term, err);
    return guarded(err, [&] { doc->doc.add_boolean_term(bytes(term, len)); });
}

cs_status_t xc_doc_set_data(xc_doc_t *doc, const void *data, size_t len,
                            xc_error_t *err)
{
    REQUIRE(doc, err);
    REQUIRE(data || len == 0, err);
    return guarded(err, [&] {
        std::string copy = bytes(data, len);
        doc->doc.set_data(copy);
        doc->data.swap(copy);
    });
}

cs_status_t xc_doc_set_value(xc_doc_t *doc, unsigned slot, const void *value,
                             size_t len, xc_error_t *err)
{
    REQUIRE(doc, err);
    REQUIRE(value || len == 0, err);
    REQUIRE(slot != Xapian::BAD_VALUENO, err);
    return guarded(err, [&] {
        std::string copy = bytes(value, len);
        doc->doc.add_value(slot, copy);
        /* Xapian treats an empty value as removing the slot. */
        if (copy.empty())
            doc->values.erase(slot);
        else
            doc->values[slot].swap(copy);
    });
}

const char *xc_doc_data(const xc_doc_t *doc, size_t *len)
{
    if (!doc) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = doc->data.size();
    return doc->data.c_str();
}

const char *xc_doc_value(const xc_doc_t *doc, unsigned slot, size_t *len)
{
    if (len)
        *len = 0;
    if (!doc)
        return NULL;
    auto found = doc->values.find(slot);
    if (found == doc->values.end())
        return "";
    if (len)
        *len = found->second.size();
    return found->second.c_str();
}

size_t xc_sortable_serialise(double value, char buf[18])
{
    if (!buf)
        return 0;
    /* The char * overload writes into the caller's buffer: no allocation,
     * no exception. */
    return Xapian::sortable_serialise_(value, buf);
}

/* ---- queries ----------------------------------------------------------------- */

cs_status_t xc_query_term(const char *term, size_t len, uint32_t wqf,
                          xc_query_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(term, err);
    return guarded(err, [&] {
        *out = new xc_query{Xapian::Query(bytes(term, len), wqf)};
    });
}

/* Whether an update deleted documents of @shard: a shard without such gaps
 * reads "every document" as a range of ids, never the list's chunks, so
 * Xapian 1.4's every-document failure (xc_query_filter_term) cannot occur. */
static bool has_gaps(const Xapian::Database &shard)
{
    return shard.get_lastdocid() != shard.get_doccount();
}

static bool some_shard_has_gaps(xc_db_t *db)
{
    for (size_t i = 0, n = xc_db_shard_count(db); i < n; i++)
        if (has_gaps(xc_db_shard(db, i)->db))
            return true;
    return false;
}

cs_status_t xc_query_filter_term(xc_db_t *db, const char *term, size_t len,
                                 uint64_t most, xc_query_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(db, err);
    REQUIRE(term, err);
    return guarded(err, [&] {
        std::string t = bytes(term, len);
        size_t n = xc_db_shard_count(db);
        bool gaps = some_shard_has_gaps(db);   /* else no term lookup at all */
        bool every = gaps;   /* every document of every shard holds it */
        bool exposed = false; /* every document of a shard with gaps holds it */
        bool some = false;    /* some shard has documents */
        for (size_t i = 0; i < n && gaps && (every || !exposed); i++) {
            const Xapian::Database &shard = xc_db_shard(db, i)->db;
            Xapian::doccount docs = shard.get_doccount();
            if (!docs || (!every && !has_gaps(shard)))
                continue;
            some = true;
            bool all = !(most && most < docs) && shard.get_termfreq(t) == docs;
            every = every && all;
            exposed = exposed || (all && has_gaps(shard));
        }
        if (every && some)
            *out = new xc_query{Xapian::Query::MatchAll};
        else if (exposed)
            /* reached only by skipping to the ids that the every-document
             * list gives, it is read without the failing chunk lookup (in
             * check_xapian_c's query shapes, and in an experiment of ten
             * shapes up to 166,666 documents a shard).  The scale keeps
             * the pair apart: ANDed unscaled with another such pair,
             * Xapian flattens all four into one AND, whose unstable sort
             * of equal frequencies may put the term first, to be stepped
             * through, which fails. */
            *out = new xc_query{Xapian::Query(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll,
                              Xapian::Query(t)),
                0.0)};
        else
            *out = new xc_query{Xapian::Query(t)};
    });
}

static Xapian::Query::op xapian_op(int op)
{
    switch (op) {
    case XC_OP_AND: return Xapian::Query::OP_AND;
    case XC_OP_OR: return Xapian::Query::OP_OR;
    case XC_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XC_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XC_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XC_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case XC_OP_NEAR: return Xapian::Query::OP_NEAR;
    case XC_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case XC_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
    }
    throw Xapian::InvalidArgumentError("unknown query operator");
}

cs_status_t xc_query_combine(xc_op_t op, xc_query_t *const *subs, size_t n,
                             uint32_t window, xc_query_t **out,
                             xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(subs || n == 0, err);
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return invalid_argument(err, __func__, "a subquery is NULL");
    return guarded(err, [&] {
        Xapian::Query::op xop = xapian_op(raw_enum(op));
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++)
            parts.push_back(subs[i]->query);
        /* The window only means something to positional and elite-set
         * operators; Xapian rejects it elsewhere.  A phrase with window 0
         * is an exact (adjacent) phrase: one position per subquery. */
        Xapian::termcount param = 0;
        if (xop == Xapian::Query::OP_PHRASE || xop == Xapian::Query::OP_NEAR)
            param = window ? window : static_cast<Xapian::termcount>(n);
        else if (xop == Xapian::Query::OP_ELITE_SET)
            param = window;
        *out = new xc_query{Xapian::Query(xop, parts.begin(), parts.end(), param)};
    });
}

cs_status_t xc_query_value_range(unsigned slot, const char *lo, size_t lo_len,
                                 const char *hi, size_t hi_len,
                                 xc_query_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(lo || lo_len == 0, err);
    REQUIRE(hi || hi_len == 0, err);
    return guarded(err, [&] {
        *out = new xc_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
                                          bytes(lo, lo_len), bytes(hi, hi_len))};
    });
}

cs_status_t xc_query_scale(const xc_query_t *q, double factor,
                           xc_query_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(q, err);
    return guarded(err, [&] {
        *out = new xc_query{
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->query, factor)};
    });
}

cs_status_t xc_query_match_all(xc_query_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    return guarded(err, [&] { *out = new xc_query{Xapian::Query::MatchAll}; });
}

int xc_query_empty(const xc_query_t *q)
{
    return !q || q->query.empty();
}

char *xc_query_describe(const xc_query_t *q)
{
    if (!q)
        return NULL;
    return guarded_value<char *>(NULL, [&] {
        return malloc_copy(q->query.get_description());
    });
}

void xc_query_free(xc_query_t *q)
{
    delete q;
}

/* ---- searching ------------------------------------------------------------------ */

cs_status_t xc_enquire_new(xc_db_t *db, xc_enquire_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(db, err);
    return guarded(err, [&] { *out = new xc_enquire(db->db); });
}

void xc_enquire_free(xc_enquire_t *enq)
{
    delete enq;
}

cs_status_t xc_enquire_set_query(xc_enquire_t *enq, const xc_query_t *q,
                                 xc_error_t *err)
{
    REQUIRE(enq, err);
    REQUIRE(q, err);
    return guarded(err, [&] { enq->enquire.set_query(q->query); });
}

cs_status_t xc_enquire_set_bm25(xc_enquire_t *enq, double k1, double k2,
                                double k3, double b, double min_normlen,
                                xc_error_t *err)
{
    REQUIRE(enq, err);
    return guarded(err, [&] {
        enq->enquire.set_weighting_scheme(
            Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

cs_status_t xc_enquire_set_collapse_key(xc_enquire_t *enq, unsigned slot,
                                        uint32_t max, xc_error_t *err)
{
    REQUIRE(enq, err);
    return guarded(err, [&] {
        if (max == 0)
            enq->enquire.set_collapse_key(Xapian::BAD_VALUENO);
        else
            enq->enquire.set_collapse_key(slot, max);
    });
}

cs_status_t xc_enquire_set_tie_value(xc_enquire_t *enq, unsigned slot, xc_error_t *err)
{
    REQUIRE(enq, err);
    /* reverse = false: ascending values (the sense since Xapian 1.2.17) */
    return guarded(err, [&] { enq->enquire.set_sort_by_relevance_then_value(slot, false); });
}

/* Run @read; if a writer has recycled blocks of the revision it read,
 * @reopen the databases it reads on the latest revision and run it once more
 * (a second failure escapes).  The retry still uses what the caller built on the old revision,
 * such as xc_query_filter_term's choice of form, which may no longer fit the
 * new one: Xapian 1.4 then fails the read as corrupt (the every-document
 * failure).  That is reported as a change of the database, so that the
 * caller, which restarts on CS_ERR_MODIFIED, builds its query again. */
template <typename Reopen, typename Read>
static void read_latest(Reopen reopen, Read read)
{
    try {
        read();
        return;
    } catch (const Xapian::DatabaseModifiedError &) {
        reopen();
    }
    try {
        read();
    } catch (const Xapian::DatabaseCorruptError &e) {
        throw Xapian::DatabaseModifiedError("the index changed during the read (" +
                                            e.get_msg() + ")");
    }
}

cs_status_t xc_enquire_get_mset(xc_enquire_t *enq, uint32_t first,
                                uint32_t max, uint32_t check_at_least,
                                xc_mset_t **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(enq, err);
    return guarded(err, [&] {
        Xapian::MSet mset;
        /* the enquire shares enq->db's internals: reopening it moves the
         * search to the latest revision */
        read_latest([&] { enq->db.reopen(); },
                    [&] { mset = enq->enquire.get_mset(first, max, check_at_least); });
        *out = new xc_mset{mset};
    });
}

cs_status_t xc_enquire_expand(xc_enquire_t *enq, const uint32_t *docids, size_t n,
                              const char *prefix, size_t max, const char *scheme,
                              xc_expand_term_t **out, size_t *n_out, xc_error_t *err)
{
    REQUIRE(out && n_out, err);
    *out = NULL;
    *n_out = 0;
    REQUIRE(enq, err);
    REQUIRE(docids || n == 0, err);
    REQUIRE(prefix, err);
    return guarded(err, [&] {
        Xapian::RSet rset;
        for (size_t i = 0; i < n; i++)
            rset.add_document(docids[i]);
        enq->enquire.set_expansion_scheme(scheme ? scheme : "trad");
        Xapian::ExpandDeciderFilterPrefix decider(prefix);
        Xapian::ESet eset;
        read_latest([&] { enq->db.reopen(); }, [&] {   /* as in xc_enquire_get_mset */
            eset = enq->enquire.get_eset(static_cast<Xapian::termcount>(max), rset, &decider);
        });
        xc_expand_term_t *terms = static_cast<xc_expand_term_t *>(
            calloc(eset.size() ? eset.size() : 1, sizeof *terms));
        if (!terms)
            throw std::bad_alloc();
        size_t k = 0;
        try {
            for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t, ++k) {
                terms[k].weight = t.get_weight();
                terms[k].term = malloc_copy(*t);
            }
        } catch (...) {
            xc_expand_terms_free(terms, k);  /* the copies made so far */
            throw;
        }
        *out = terms;
        *n_out = k;
    });
}

void xc_expand_terms_free(xc_expand_term_t *terms, size_t n)
{
    for (size_t i = 0; terms && i < n; i++)
        free(terms[i].term);
    free(terms);
}

cs_status_t xc_enquire_explain(xc_enquire_t *enq, const xc_query_t *q, const char *filter,
                               uint32_t docid, xc_part_fn fn, void *ctx, xc_error_t *err)
{
    REQUIRE(enq, err);
    REQUIRE(q, err);
    REQUIRE(filter, err);
    REQUIRE(fn, err);
    return guarded(err, [&] {
        Xapian::Query narrow(filter);
        bool stopped = false;
        std::function<void(const Xapian::Query &)> walk = [&](const Xapian::Query &part) {
            if (stopped || part.empty())
                return;
            Xapian::Query::op op = part.get_type();
            size_t n = part.get_num_subqueries();
            if (op == Xapian::Query::OP_OR || op == Xapian::Query::OP_AND ||
                op == Xapian::Query::OP_AND_MAYBE) {
                for (size_t i = 0; i < n; i++)
                    walk(part.get_subquery(i));
                return;
            }
            if (op == Xapian::Query::OP_FILTER || op == Xapian::Query::OP_AND_NOT) {
                walk(part.get_subquery(0));
                return;
            }
            enq->enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part, narrow));
            Xapian::MSet mset = enq->enquire.get_mset(0, enq->db.get_doccount());
            double weight = 0;
            for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
                if (*m == docid)
                    weight = m.get_weight();
            if (weight != 0)
                stopped = fn(ctx, part.get_description().c_str(), weight) != 0;
        };
        walk(q->query);
    });
}

/* Counts a slot's values as ValueCountMatchSpy does, but a run of documents
 * with one value (a file's passages are neighbours in document order and
 * share its file slot) reaches the map once, not once a document: a fifth
 * less CPU for a frequent word on the UN corpus.  It cannot travel to
 * xapian-tcpsrv (MatchSpy::name() throws UnimplementedError there), so
 * remote databases get Xapian's own spy. */
class RunCountSpy : public Xapian::MatchSpy {
  public:
    explicit RunCountSpy(Xapian::valueno slot) : slot_(slot) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        std::string value = doc.get_value(slot_);
        if (value.empty())
            return;
        if (run_ && value == last_) {
            ++run_;
            return;
        }
        end_run();
        last_.swap(value);
        run_ = 1;
    }
    const std::map<std::string, Xapian::doccount> &counts()
    {
        end_run();
        return counts_;
    }

  private:
    void end_run()
    {
        if (run_)
            counts_[last_] += run_;
        run_ = 0;
    }
    Xapian::valueno slot_;
    std::map<std::string, Xapian::doccount> counts_;
    std::string last_;
    Xapian::doccount run_ = 0;
};

cs_status_t xc_count_values(xc_db_t *db, const xc_query_t *q, const unsigned *slots, size_t n,
                            xc_value_count_fn fn, void *ctx, uint64_t *matched,
                            xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(q, err);
    REQUIRE(fn, err);
    REQUIRE(slots || n == 0, err);
    return guarded(err, [&] {
        auto count = [&](Xapian::Database &database, bool remote) {
            bool gaps = some_shard_has_gaps(db);   /* of this revision */
            Xapian::Enquire enquire(database);
            enquire.set_query(q->query);
            /* BoolWeight, which reads no wdf, is fastest (it drops what
             * AND_MAYBE adds), but under it Xapian 1.4 reads every term
             * that all of a shard's documents hold through the every-
             * document list, which fails once an update has deleted
             * documents there (xc_query_filter_term).  Then a BM25 that
             * reads the wdf, with b = 0 so that the document lengths are
             * not read either; the weights themselves are never used. */
            if (gaps)
                enquire.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0, 0));
            else
                enquire.set_weighting_scheme(Xapian::BoolWeight());
            std::vector<std::unique_ptr<RunCountSpy>> spies;
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> remote_spies;
            for (size_t i = 0; i < n; i++) {
                if (remote) {
                    remote_spies.emplace_back(new Xapian::ValueCountMatchSpy(slots[i]));
                    enquire.add_matchspy(remote_spies.back().get());
                } else {
                    spies.emplace_back(new RunCountSpy(slots[i]));
                    enquire.add_matchspy(spies.back().get());
                }
            }
            /* checking every document makes the spies see the whole set */
            Xapian::MSet mset = enquire.get_mset(0, 0, database.get_doccount());
            if (matched)
                *matched = mset.get_matches_estimated();
            for (size_t i = 0; i < n && remote; i++)
                for (Xapian::TermIterator v = remote_spies[i]->values_begin();
                     v != remote_spies[i]->values_end(); ++v) {
                    std::string value = *v;
                    if (fn(ctx, i, value.data(), value.size(), v.get_termfreq()))
                        return;
                }
            for (size_t i = 0; i < n && !remote; i++)
                for (const auto &value : spies[i]->counts())
                    if (fn(ctx, i, value.first.data(), value.first.size(), value.second))
                        return;
        };
        auto reopen = [&] {   /* and the shards that count() looks at */
            db->db.reopen();
            for (auto &part : db->parts)
                part->db.reopen();
        };
        auto count_latest = [&](bool remote) { read_latest(reopen, [&] { count(db->db, remote); }); };
        bool remote = is_remote(db->name.c_str());
        for (const auto &part : db->parts)
            remote |= is_remote(part->name.c_str());
        try {
            count_latest(remote);
        } catch (const Xapian::UnimplementedError &) {
            if (remote)
                throw;
            count_latest(true);  /* remote below a stub's stub: only Xapian's spy travels */
        }
    });
}

cs_status_t xc_db_values(xc_db_t *db, unsigned slot, const uint32_t *docids, size_t n,
                         xc_value_fn fn, void *ctx, xc_error_t *err)
{
    REQUIRE(db, err);
    REQUIRE(fn, err);
    REQUIRE(docids || n == 0, err);
    return guarded(err, [&] {
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return docids[a] < docids[b]; });
        std::vector<std::string> values(n);
        try {
            Xapian::ValueIterator v = db->db.valuestream_begin(slot);
            for (size_t k = 0; k < n && v != db->db.valuestream_end(slot); k++) {
                Xapian::docid did = docids[order[k]];
                if (v.get_docid() < did)
                    v.skip_to(did);
                if (v != db->db.valuestream_end(slot) && v.get_docid() == did)
                    values[order[k]] = *v;
            }
        } catch (const Xapian::UnimplementedError &) {
            /* a backend without value streams at all: each document's own
             * (Xapian itself reads a remote database's documents one by
             * one for a value stream, and combines shards' streams) */
            for (size_t k = 0; k < n; k++)
                values[order[k]] = db->db.get_document(docids[order[k]]).get_value(slot);
        }
        for (size_t k = 0; k < n; k++) {
            const std::string &value = values[order[k]];
            if (fn(ctx, order[k], value.data(), value.size()))
                return;
        }
    });
}

size_t xc_mset_size(const xc_mset_t *mset)
{
    return mset ? mset->mset.size() : 0;
}

uint64_t xc_mset_estimate(const xc_mset_t *mset)
{
    return mset ? mset->mset.get_matches_estimated() : 0;
}

void xc_mset_counts(const xc_mset_t *mset, int collapsed, uint64_t *lower,
                    uint64_t *estimate, uint64_t *upper)
{
    *lower = *estimate = *upper = 0;
    if (!mset)
        return;
    const Xapian::MSet &m = mset->mset;
    *lower = collapsed ? m.get_matches_lower_bound() : m.get_uncollapsed_matches_lower_bound();
    *estimate = collapsed ? m.get_matches_estimated() : m.get_uncollapsed_matches_estimated();
    *upper = collapsed ? m.get_matches_upper_bound() : m.get_uncollapsed_matches_upper_bound();
}

uint64_t xc_mset_termfreq(const xc_mset_t *mset, const char *term)
{
    if (!mset || !term)
        return 0;
    return guarded_value<uint64_t>(0, [&] { return mset->mset.get_termfreq(term); });
}

static bool in_range(const xc_mset_t *mset, size_t i)
{
    return mset && i < mset->mset.size();
}

uint32_t xc_mset_docid(const xc_mset_t *mset, size_t i)
{
    if (!in_range(mset, i))
        return 0;
    return guarded_value<uint32_t>(0, [&] {
        return *mset->mset[static_cast<Xapian::doccount>(i)];
    });
}

double xc_mset_weight(const xc_mset_t *mset, size_t i)
{
    if (!in_range(mset, i))
        return 0.0;
    return guarded_value<double>(0.0, [&] {
        return mset->mset[static_cast<Xapian::doccount>(i)].get_weight();
    });
}

cs_status_t xc_mset_data(const xc_mset_t *mset, size_t i, char **out, size_t *len,
                         xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(in_range(mset, i), err);
    return guarded(err, [&] {
        std::string data =
            mset->mset[static_cast<Xapian::doccount>(i)].get_document().get_data();
        *out = malloc_copy(data);
        if (len)
            *len = data.size();
    });
}

cs_status_t xc_mset_matching_terms(xc_enquire_t *enq, const xc_mset_t *mset,
                                   size_t i, char **out, xc_error_t *err)
{
    REQUIRE(out, err);
    *out = NULL;
    REQUIRE(enq, err);
    REQUIRE(in_range(mset, i), err);
    return guarded(err, [&] {
        Xapian::MSetIterator hit = mset->mset[static_cast<Xapian::doccount>(i)];
        std::string terms;
        for (Xapian::TermIterator t = enq->enquire.get_matching_terms_begin(hit);
             t != enq->enquire.get_matching_terms_end(hit); ++t) {
            if (!terms.empty())
                terms += ' ';
            terms += *t;
        }
        *out = malloc_copy(terms);
    });
}

void xc_mset_free(xc_mset_t *mset)
{
    delete mset;
}
