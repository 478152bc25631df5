/* serve.h - interfaces between the files of `cybersearch serve`. */
#ifndef CS_SERVE_H
#define CS_SERVE_H

#include <stddef.h>

#include "cli.h"

/* Bounds on what a request may ask for. */
#define SERVE_MAX_QUERY 2048      /* bytes of q */
#define SERVE_MAX_LIMIT 100       /* hits per page */
#define SERVE_MAX_OFFSET 10000    /* hits skipped */
#define SERVE_MAX_PER_FILE 1000
#define SERVE_MAX_CONTEXT 20      /* passages either side in /api/passage */
#define SERVE_DEFAULT_CONTEXT 3

/* A request's parameters, as the HTTP layer hands them to the API:
 * @get returns the value of parameter @name, or NULL when absent. */
typedef struct serve_params {
    const char *(*get)(void *ctx, const char *name);
    void *ctx;
} serve_params_t;

/* What an API call answers: an HTTP status and a JSON body (owned by the
 * caller: json_object_put()). */
typedef struct serve_reply {
    unsigned status;
    json_object *body;
} serve_reply_t;

/* ---- Interface to code in cli/serve_api.c ---------------------------- */

/* Prepare the per-thread index handles of the index at @path. */
int serve_api_init(const char *path);
void serve_api_done(void);
/* Answer the API call @route ("search", "passage", "stats", "health");
 * 0 when there is no such call. */
int serve_api(const char *route, const serve_params_t *params, serve_reply_t *out);

/* ---- Interface to code in the generated serve_assets.c --------------- */

/* The files the page is made of, embedded at build time (cli/embed.sh). */
typedef struct serve_asset {
    const char *path;          /* as requested: "/", "/app.js" */
    const char *content_type;
    const unsigned char *data;
    size_t len;
} serve_asset_t;

extern const serve_asset_t serve_assets[];
extern const size_t serve_asset_count;

#endif /* CS_SERVE_H */
