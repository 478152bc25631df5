/* update_private.h - the state of one indexing run, shared by update.c
 * (the run, the incremental mode) and bulk.c (the parallel full build). */
#ifndef CS_UPDATE_PRIVATE_H
#define CS_UPDATE_PRIVATE_H

#include <pthread.h>
#include <sys/stat.h>

#include "file_table.h"
#include "sidecar.h"
#include "writer.h"

CS_BEGIN_DECLS

/* A file found by the walk. */
typedef struct cs_entry {
    uint32_t root;
    char *path;              /* as opened, malloc'd */
    const char *rel;         /* relative to the root; points into path */
    struct stat st;
    char key[CS_FILE_KEY_HEX + 1];
} cs_entry_t;

/* A folder or file under root @root that exists but could not be read. */
typedef struct cs_unreadable {
    uint32_t root;
    char *rel;               /* relative to the root, malloc'd */
} cs_unreadable_t;

typedef struct cs_run {
    const cs_update_options_t *opt;
    const char *index_path;
    double started;
    char *language;          /* malloc'd */
    cs_buf_t roots_joined;   /* absolute roots, one per line */
    char **roots;            /* pointers into root_copy */
    char *root_copy;
    size_t n_roots;
    uint32_t walking;        /* root being walked */
    cs_entry_t *entries;
    size_t n_entries, cap_entries;
    cs_file_table_t files;   /* the index's records (an existing index) */
    int is_new;              /* the index held nothing before this run */
    char **old_roots;        /* the recorded roots, pointers into old_root_copy */
    char *old_root_copy;
    size_t n_old_roots;
    cs_unreadable_t *unreadable; /* parts of the tree the walk could not read */
    size_t n_unreadable;
    size_t n_shards;         /* the shards the index has, or a rebuild makes */
    int wrote_pid_file;      /* the index's PID file is ours to remove */
    cs_sidecar_t *sidecars;  /* one per root */
    cs_buf_t user_fields;    /* the index's user fields, one per line (CS_FACT_FIELDS) */

    pthread_mutex_t lock;    /* guards what follows */
    cs_update_stats_t stats;
    cs_status_t status;      /* the first fatal error */
    char *errmsg;
} cs_run_t;

/* ---- Interface to code in indexer/update.c --------------------------- */

double _cs_now(void);
/* Record the first fatal error of the run; returns @status. */
cs_status_t _cs_run_fail(cs_run_t *r, cs_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void _cs_run_progress(cs_run_t *r);
void _cs_run_count_seen(cs_run_t *r, const cs_entry_t *e);
/* Index, re-record or skip one file with writer @w; @old is its record in
 * the index, or NULL. */
cs_status_t _cs_run_file(cs_run_t *r, cs_writer_t *w, const cs_entry_t *e,
                         cs_file_entry_t *old);
/* Write the index-wide facts into @w's shard, the @shard-th. */
cs_status_t _cs_run_write_meta(cs_run_t *r, cs_writer_t *w, size_t shard);
cs_status_t _cs_run_write_last_run(cs_run_t *r, cs_writer_t *w);

/* ---- Interface to code in indexer/bulk.c ----------------------------- */

/* Build the index afresh from r->entries with writer threads, as
 * r->n_shards shards, and switch the index at r->index_path to it.  *db is
 * the open index (holding the write lock); it is closed before the switch. */
cs_status_t _cs_bulk_build(cs_run_t *r, xc_db_t **db);

/* Before the index is opened: deal with a scratch folder left by a killed
 * --rebuild.  If it is held by a running build, fail with CS_ERR_LOCKED;
 * else remove it. */
cs_status_t _cs_bulk_recover(cs_run_t *r);

CS_END_DECLS

#endif /* CS_UPDATE_PRIVATE_H */
