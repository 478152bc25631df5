/* serve.c - `cybersearch serve`: the search page and the JSON API over
 * HTTP (libmicrohttpd).
 *
 * Safe by default: it listens on loopback unless told otherwise, only reads
 * the index, answers GET and HEAD only, and routes by exact path: the page
 * is compiled in (serve_assets.c) and the API serves indexed passages by
 * id, so no part of a request ever reaches the file system.  Every
 * response carries a Content-Security-Policy that allows no inline script.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "serve.h"

#define DEFAULT_BIND "127.0.0.1"
#define DEFAULT_PORT "8080"
#define MAX_THREADS 64
#define MEMORY_PER_CONNECTION (64 * 1024)  /* bounds a request's line and headers */
#define MAX_CONNECTIONS 512
#define CONNECTION_TIMEOUT_S 30

static const char *const csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
                                     const char *type, const void *data, size_t len,
                                     enum MHD_ResponseMemoryMode mode, int api)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, api ? "no-store" : "no-cache");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

#define STRINGIFY(x) #x
#define STRINGIFY_VALUE(x) STRINGIFY(x)

static enum MHD_Result send_json(struct MHD_Connection *c, serve_reply_t reply)
{
    const char *text = cli_json_text(reply.body);
    /* an error as the schema has it, without allocating */
    static const char nomem[] = "{\"type\":\"error\",\"schema\":"
                                STRINGIFY_VALUE(CLI_JSON_SCHEMA)
                                ",\"status\":\"out of memory\","
                                "\"message\":\"out of memory writing the response\"}";
    unsigned status = text ? reply.status : MHD_HTTP_SERVICE_UNAVAILABLE;
    if (!text)
        text = nomem;
    enum MHD_Result ret = send_response(c, status, "application/json", text, strlen(text),
                                        MHD_RESPMEM_MUST_COPY, 1);
    json_object_put(reply.body);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    serve_reply_t reply = { status, cli_json_error(CS_ERR_INVALID, msg, NULL, -1) };
    return send_json(c, reply);
}

/* Listening on loopback, answer only requests addressed to loopback: a web
 * page elsewhere could otherwise point a name of its own at 127.0.0.1 (DNS
 * rebinding) and read the index through the visitor's browser. */
static int loopback_only;

static int host_allowed(struct MHD_Connection *c)
{
    if (!loopback_only)
        return 1;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return 1;  /* HTTP/1.0 without Host: not from a browser */
    size_t len = strcspn(host, ":");
    if (host[0] == '[')  /* [::1]:port */
        return strncmp(host, "[::1]", 5) == 0 && (host[5] == '\0' || host[5] == ':');
    return (len == 9 && strncasecmp(host, "localhost", 9) == 0) ||
           (len >= 4 && strncmp(host, "127.", 4) == 0 &&
            strspn(host, "0123456789.") == len);
}

static const char *get_argument(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    /* read-only: no method with a body, and no body (refused at once, which
     * closes the connection, so nothing is read) */
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "read-only: GET and HEAD only");
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
    if ((length && strcmp(length, "0") != 0) ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "a GET request has no body");
    if (!host_allowed(c))
        return send_error(c, MHD_HTTP_MISDIRECTED_REQUEST,
                          "this server answers only requests for localhost");
    /* otherwise the first call only announces the request: answering then
     * would make MHD close the connection (no keep-alive) */
    static int announced;
    if (*req_cls == NULL) {
        *req_cls = &announced;
        return MHD_YES;
    }
    for (size_t i = 0; i < serve_asset_count; i++)
        if (strcmp(url, serve_assets[i].path) == 0)
            return send_response(c, MHD_HTTP_OK, serve_assets[i].content_type,
                                 serve_assets[i].data, serve_assets[i].len,
                                 MHD_RESPMEM_PERSISTENT, 0);
    if (strncmp(url, "/api/", 5) == 0) {
        serve_params_t params = { get_argument, c };
        serve_reply_t reply;
        if (serve_api(url + 5, &params, &reply))
            return send_json(c, reply);
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such API call");
    }
    static const char not_found[] = "Not found\n";
    return send_response(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", not_found,
                         sizeof not_found - 1, MHD_RESPMEM_PERSISTENT, 0);
}

/* A listening socket on @host:@port (port "0": any free one); its port in
 * @bound.  -1 with a message on stderr on failure. */
static int listen_on(const char *host, const char *port, char *bound, size_t bound_size)
{
    struct addrinfo hints = { 0 }, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    /* numeric addresses only (no name lookup at start), and "localhost" */
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST;
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    int err = getaddrinfo(host, port, &hints, &res);
    if (err) {
        fprintf(stderr, "%s: serve: cannot use address %s port %s: %s\n", cli_program, host,
                port, gai_strerror(err));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        int on = 1;
        if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
                        bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 128) != 0)) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "%s: serve: cannot listen on %s port %s: %s\n", cli_program, host, port,
                strerror(saved));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char h[NI_MAXHOST];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, h, sizeof h, bound, bound_size,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(bound, bound_size, "%s", port);
    loopback_only = (ss.ss_family == AF_INET &&
                     (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127) ||
                    (ss.ss_family == AF_INET6 &&
                     IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr));
    return fd;
}

static int print_serve_usage(FILE *out)
{
    fprintf(out,
            "Usage: %s serve [--index DIR] [--bind ADDR] [--port N] [--threads N]\n"
            "Serve the search page and the JSON API over HTTP (read-only).\n\n"
            "  -i, --index DIR     the index folder (default: $CYBERSEARCH_INDEX or ./index)\n"
            "  -b, --bind ADDR     numeric address to listen on, or localhost\n"
            "                      (default: %s, this machine only)\n"
            "  -p, --port N        port (default: %s; 0 picks a free one)\n"
            "  -j, --threads N     worker threads, each with its own index handle\n"
            "                      (default: number of cores)\n\n"
            "The address it listens on is printed as a URL on standard output.\n"
            "SIGINT or SIGTERM stops it (exit status 0); 2 when it cannot start.\n",
            cli_program, DEFAULT_BIND, DEFAULT_PORT);
    return 0;
}

static int serve_usage_error(const char *what)
{
    fprintf(stderr, "%s: serve: %s\nTry '%s serve --help'.\n", cli_program, what, cli_program);
    return 2;
}

int cli_serve(int argc, char **argv)
{
    static const struct option options[] = {
        { "index", required_argument, NULL, 'i' }, { "bind", required_argument, NULL, 'b' },
        { "port", required_argument, NULL, 'p' },  { "threads", required_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    const char *index = cli_default_index(), *host = DEFAULT_BIND, *port = DEFAULT_PORT;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:b:p:j:h", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'i': index = optarg; break;
        case 'b': host = optarg; break;
        case 'p': {
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 0 || v > 65535)
                return serve_usage_error("--port needs a number from 0 to 65535");
            port = optarg;
            break;
        }
        case 'j':
            threads = strtol(optarg, &end, 10);
            if (*end || end == optarg || threads < 1 || threads > MAX_THREADS)
                return serve_usage_error("--threads needs a number from 1 to 64");
            break;
        case 'h': return print_serve_usage(stdout);
        default: return serve_usage_error("bad option");
        }
    }
    if (optind < argc)
        return serve_usage_error("unexpected argument");
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;

    /* fail now, with the reason, rather than on every request */
    cs_index_t *idx = NULL;
    char *msg = NULL;
    cs_status_t st = cs_index_open(index, &idx, &msg);
    cs_index_close(idx);
    if (st) {
        fprintf(stderr, "%s: serve: cannot open the index %s: %s\n", cli_program, index,
                msg ? msg : cs_status_to_string(st));
        free(msg);
        return 2;
    }
    char bound[NI_MAXSERV];
    int fd = listen_on(host, port, bound, sizeof bound);
    if (fd < 0)
        return 2;
    if (!serve_api_init(index)) {
        close(fd);
        return 2;
    }

    /* the workers inherit the mask: the signals come to sigwait() below */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_PER_CONNECTION,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "%s: serve: cannot start the HTTP server\n", cli_program);
        close(fd);
        serve_api_done();
        return 2;
    }
    int bracket = strchr(host, ':') != NULL;
    printf("http://%s%s%s:%s/\n", bracket ? "[" : "", host, bracket ? "]" : "", bound);
    fflush(stdout);
    fprintf(stderr, "%s: serving %s with %ld threads; SIGINT or SIGTERM stops\n", cli_program,
            index, threads);
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);  /* closes the listening socket too */
    serve_api_done();
    return 0;
}
