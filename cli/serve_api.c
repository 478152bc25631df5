/* serve_api.c - the JSON API of `cybersearch serve`: /api/search,
 * /api/passage, /api/stats and /api/health.
 *
 * Each worker thread has its own index handle (a handle is not
 * thread-safe), opened on its first request and moved to the latest
 * revision on every request, so answers follow the nightly reindex.  A
 * handle that fails (a rebuild has switched the index's stub to a new
 * version folder) is dropped and opened afresh, a few times with a pause:
 * searches during a reindex do not fail.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "serve.h"

#define OPEN_ATTEMPTS 20          /* a rebuild switches in one rename: a retry soon sees it */
#define RETRY_PAUSE_MS 25
#define RUN_ATTEMPTS 4

static const char *index_path;
static pthread_key_t handle_key;

static void close_handle(void *handle)
{
    cs_index_close(handle);
}

int serve_api_init(const char *path)
{
    index_path = path;
    return pthread_key_create(&handle_key, close_handle) == 0;
}

void serve_api_done(void)
{
    cs_index_close(pthread_getspecific(handle_key));
    pthread_setspecific(handle_key, NULL);
    pthread_key_delete(handle_key);
}

static void pause_ms(int ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void drop_handle(void)
{
    cs_index_close(pthread_getspecific(handle_key));
    pthread_setspecific(handle_key, NULL);
}

/* This thread's handle at the latest revision, or NULL with *msg set
 * (malloc'd) and *status the reason. */
static cs_index_t *handle(cs_status_t *status, char **msg)
{
    cs_index_t *index = pthread_getspecific(handle_key);
    if (index && cs_index_reopen(index) == CS_OK)
        return index;
    drop_handle();
    *status = CS_OK;
    for (int i = 0; i < OPEN_ATTEMPTS; i++) {
        if (i)
            pause_ms(RETRY_PAUSE_MS);
        free(*msg);
        *msg = NULL;
        *status = cs_index_open(index_path, &index, msg);
        if (*status == CS_OK) {
            pthread_setspecific(handle_key, index);
            return index;
        }
    }
    return NULL;
}

/* Failures of the request itself (or of memory), which no retry mends:
 * CS_ERR_NOT_FOUND is an unknown passage here (an index that went away
 * fails in handle()). */
static int query_fault(cs_status_t st)
{
    return st == CS_ERR_BAD_QUERY || st == CS_ERR_TOO_BROAD || st == CS_ERR_INVALID ||
           st == CS_ERR_NOT_FOUND || st == CS_ERR_NOMEM;
}

static serve_reply_t reply(unsigned status, json_object *body)
{
    return (serve_reply_t){ status, body };
}

static serve_reply_t error_reply(unsigned http, cs_status_t st, const char *message,
                                 const char *query, long offset)
{
    return reply(http, cli_json_error(st, message, query, offset));
}

/* The index's trouble, not the client's: 503, the service is not there for
 * now.  The details (paths, Xapian's words) go to the log, not to the
 * client. */
static serve_reply_t index_trouble(cs_status_t st, const char *detail)
{
    fprintf(stderr, "%s: serve: %s\n", cli_program, detail && *detail ? detail
                                                     : cs_status_to_string(st));
    return error_reply(503, st, "the index cannot be read now; try again later", NULL, -1);
}

/* An index that cannot be opened (@msg is malloc'd or NULL). */
static serve_reply_t unavailable(cs_status_t st, char *msg)
{
    serve_reply_t r = index_trouble(st, msg);
    free(msg);
    return r;
}

/* ---- parameters -------------------------------------------------------- */

/* Parameter @name as a number in [0, max], @def when absent; 0 when it is
 * not such a number. */
static int number(const serve_params_t *p, const char *name, long max, long def, long *out)
{
    const char *s = p->get(p->ctx, name);
    if (!s || !*s) {
        *out = def;
        return 1;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0 || v > max || !(*s >= '0' && *s <= '9'))
        return 0;
    *out = v;
    return 1;
}

/* A flag: absent, "", "0" or "false" is off; "1" or "true" on. */
static int flag(const serve_params_t *p, const char *name, int *out)
{
    const char *s = p->get(p->ctx, name);
    if (!s || !*s || !strcmp(s, "0") || !strcmp(s, "false")) {
        *out = 0;
        return 1;
    }
    *out = 1;
    return !strcmp(s, "1") || !strcmp(s, "true");
}

/* The options every call that takes a query shares; 0 with *bad naming
 * the parameter at fault. */
static int search_options(const serve_params_t *p, cs_search_options_t *o, const char **bad)
{
    cs_search_options_init(o);
    long limit, offset, per_file;
    if (!number(p, "limit", SERVE_MAX_LIMIT, (long)o->limit, &limit) || limit == 0)
        return *bad = "limit must be a number from 1 to 100", 0;
    if (!number(p, "offset", SERVE_MAX_OFFSET, 0, &offset))
        return *bad = "offset must be a number from 0 to 10000", 0;
    if (!number(p, "per_file", SERVE_MAX_PER_FILE, o->per_file, &per_file))
        return *bad = "per_file must be a number from 0 (no limit) to 1000", 0;
#define FLAG(field) { #field, #field " must be 0, 1, true or false", &o->field }
    const struct { const char *name, *bad; int *field; } flags[] = {
        FLAG(any), FLAG(plain), FLAG(expand), FLAG(file_evidence), FLAG(explain)
    };
#undef FLAG
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (!flag(p, flags[i].name, flags[i].field))
            return *bad = flags[i].bad, 0;
    o->limit = (size_t)limit;
    o->offset = (size_t)offset;
    o->per_file = (int)per_file;
    return 1;
}

/* The query q, or NULL with an error reply in *out. */
static const char *query_param(const serve_params_t *p, int required, serve_reply_t *out)
{
    const char *q = p->get(p->ctx, "q");
    if (!q && required) {
        *out = error_reply(400, CS_ERR_INVALID, "missing parameter q (the query)", NULL, -1);
        return NULL;
    }
    if (q && strlen(q) > SERVE_MAX_QUERY) {
        *out = error_reply(413, CS_ERR_INVALID, "the query is longer than 2048 bytes", NULL, -1);
        return NULL;
    }
    return q ? q : "";
}

/* A failed call on @index as a reply: the query's own faults get 400 (with
 * the caret offset), a passage id that names no passage (@passage) 404,
 * the rest 503. */
static serve_reply_t failure(cs_index_t *index, cs_status_t st, const char *query, int passage)
{
    const char *msg = index ? cs_index_last_error(index) : "";
    if (!*msg)
        msg = cs_status_to_string(st);
    if (st == CS_ERR_BAD_QUERY || st == CS_ERR_TOO_BROAD)
        return error_reply(400, st, msg, query, cs_index_error_offset(index));
    if (passage && (st == CS_ERR_NOT_FOUND || st == CS_ERR_INVALID))
        return error_reply(404, CS_ERR_NOT_FOUND, "no such passage in the index", NULL, -1);
    if (st == CS_ERR_INVALID)
        return error_reply(400, st, msg, NULL, -1);
    return index_trouble(st, msg);
}

/* ---- calls ------------------------------------------------------------- */

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static serve_reply_t api_search(const serve_params_t *p)
{
    serve_reply_t r;
    const char *q = query_param(p, 1, &r);
    if (!q)
        return r;
    cs_search_options_t o;
    const char *bad;
    if (!search_options(p, &o, &bad))
        return error_reply(400, CS_ERR_INVALID, bad, NULL, -1);
    double started = now_us();
    cs_results_t *results = NULL;
    cs_index_t *index = NULL;
    cs_status_t st = CS_OK;
    for (int i = 0; i < RUN_ATTEMPTS; i++) {
        char *msg = NULL;
        if (!(index = handle(&st, &msg)))
            return unavailable(st, msg);
        if ((st = cs_search(index, q, &o, &results)) == CS_OK || query_fault(st))
            break;
        drop_handle();
        index = NULL;
    }
    if (st)
        return failure(index, st, q, 0);
    json_object *body = cli_json_new("search");
    cli_json_add(body, "query", cli_json_string(q, strlen(q)));
    cli_json_add(body, "offset", json_object_new_uint64(o.offset));
    cli_json_add(body, "limit", json_object_new_uint64(o.limit));
    cli_json_add(body, "hits", cli_json_hits(q, results));
    cli_json_add(body, "summary", cli_json_summary(q, results, now_us() - started));
    if (o.explain)
        cli_json_add_description(body, results);
    cs_results_destroy(results);
    return reply(200, body);
}

static serve_reply_t api_passage(const serve_params_t *p)
{
    serve_reply_t r;
    const char *q = query_param(p, 0, &r);
    if (!q)
        return r;
    const char *id = p->get(p->ctx, "id");
    if (!id || !*id)
        return error_reply(400, CS_ERR_INVALID, "missing parameter id (a passage id)", NULL, -1);
    cs_search_options_t o;
    const char *bad;
    long context;
    if (!search_options(p, &o, &bad))
        return error_reply(400, CS_ERR_INVALID, bad, NULL, -1);
    if (!number(p, "context", SERVE_MAX_CONTEXT, SERVE_DEFAULT_CONTEXT, &context))
        return error_reply(400, CS_ERR_INVALID, "context must be a number from 0 to 20", NULL,
                           -1);
    cs_results_t *results = NULL;
    cs_index_t *index = NULL;
    cs_status_t st = CS_OK;
    size_t focus = 0;
    for (int i = 0; i < RUN_ATTEMPTS; i++) {
        char *msg = NULL;
        if (!(index = handle(&st, &msg)))
            return unavailable(st, msg);
        st = cs_passage_context(index, id, q, &o, (size_t)context, &results, &focus);
        if (st == CS_OK || query_fault(st))
            break;
        drop_handle();
        index = NULL;
    }
    if (st)
        return failure(index, st, q, 1);
    const cs_hit_t *hit = cs_results_get(results, focus);
    json_object *body = cli_json_new("passage");
    cli_json_add(body, "id", cli_json_string(id, strlen(id)));
    cli_json_add(body, "query", cli_json_string(q, strlen(q)));
    cli_json_add(body, "path", cli_json_string(cs_hit_path(hit), strlen(cs_hit_path(hit))));
    cli_json_add(body, "root", cli_json_string(cs_hit_root(hit), strlen(cs_hit_root(hit))));
    cli_json_add(body, "focus", json_object_new_uint64(focus));
    cli_json_add(body, "file_passages",
                           json_object_new_uint64(cs_results_estimate(results)));
    cli_json_add(body, "passages", cli_json_hits(q, results));
    cs_results_destroy(results);
    return reply(200, body);
}

static serve_reply_t api_stats(const serve_params_t *p)
{
    cs_status_t st = CS_OK;
    char *msg = NULL;
    for (int i = 0; i < RUN_ATTEMPTS; i++) {
        cs_index_t *index = handle(&st, &msg);
        if (!index)
            return unavailable(st, msg);
        cs_index_info_t info;
        if ((st = cs_index_get_info(index, &info)) == CS_OK)
            return reply(200, cli_json_stats(&info));
        drop_handle();
    }
    return unavailable(st, NULL);
}

static serve_reply_t api_health(const serve_params_t *p)
{
    cs_status_t st = CS_OK;
    char *msg = NULL;
    if (!handle(&st, &msg))
        return unavailable(st, msg);
    json_object *body = cli_json_new("health");
    cli_json_add(body, "status", json_object_new_string("ok"));
    cli_json_add(body, "version", json_object_new_string(cs_version()));
    return reply(200, body);
}

int serve_api(const char *route, const serve_params_t *params, serve_reply_t *out)
{
    static const struct {
        const char *name;
        serve_reply_t (*call)(const serve_params_t *);
    } calls[] = {
        { "search", api_search }, { "passage", api_passage },
        { "stats", api_stats },   { "health", api_health },
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (strcmp(route, calls[i].name) == 0) {
            *out = calls[i].call(params);
            return 1;
        }
    return 0;
}
