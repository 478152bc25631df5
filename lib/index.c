/* index.c - opening, describing and closing an index. */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cs_private.h"

cs_status_t _cs_index_fail(cs_index_t *index, cs_status_t status,
                           const char *fmt, ...)
{
    _cs_buf_reset(&index->error);
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    _cs_buf_append_str(&index->error, tmp);
    return status;
}

cs_status_t _cs_split_roots(const char *roots, char **copy, char ***list,
                            size_t *n)
{
    *copy = strdup(roots ? roots : "");
    size_t count = 0;
    for (const char *p = *copy; p && *p; p++)
        count += *p == '\n';
    *list = calloc(count + 1, sizeof **list);
    if (!*copy || !*list) {
        free(*copy);
        free(*list);
        *copy = NULL;
        *list = NULL;
        return CS_ERR_NOMEM;
    }
    *n = 0;
    for (char *line = *copy; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        (*list)[(*n)++] = line;
        if (!nl)
            break;
        line = nl + 1;
    }
    return CS_OK;
}

cs_status_t cs_index_open(const char *path, cs_index_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (!out || !path) {
        _cs_set_message(errmsg, "cs_index_open: NULL argument");
        return CS_ERR_INVALID;
    }
    *out = NULL;
    cs_index_t *index = calloc(1, sizeof *index);
    if (!index || !(index->path = strdup(path))) {
        free(index);
        _cs_set_message(errmsg, "out of memory");
        return CS_ERR_NOMEM;
    }
    index->error_offset = -1;
    xc_error_t err;
    cs_status_t st = xc_db_open(path, XC_OPEN_READ, &index->db, &err);
    if (st) {
        _cs_set_message(errmsg, "%s", err.message);
        cs_index_close(index);
        return st;
    }
    int is_new;
    st = _cs_schema_read(index->db, &is_new, &index->language, &index->roots, errmsg);
    /* an indexer committing meanwhile may discard the revision we opened */
    for (int retry = 0; st == CS_ERR_MODIFIED && retry < 5; retry++) {
        if (errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
        st = xc_db_reopen(index->db, &err);
        if (!st)
            st = _cs_schema_read(index->db, &is_new, &index->language, &index->roots,
                                 errmsg);
    }
    if (!st && is_new) {
        _cs_set_message(errmsg, "%s is not a cybersearch index (or it is empty): "
                        "build it with `cybersearch index`", path);
        st = CS_ERR_NOT_FOUND;
    }
    if (!st)
        st = _cs_split_roots(index->roots, &index->root_copy, &index->root_list,
                             &index->n_roots);
    size_t fields_len;
    if (!st && _cs_store_get_fact(index->db, CS_FACT_FIELDS, &index->user_fields, &fields_len,
                                  &err)) {
        _cs_set_message(errmsg, "%s", err.message);
        st = err.status;
    }
    if (!st)
        st = _cs_split_roots(index->user_fields, &index->user_field_copy,
                             &index->user_field_list, &index->n_user_fields);
    if (!st)
        st = cs_analyzer_new(index->language[0] ? index->language : "english",
                             &index->analyzer, errmsg);
    if (!st)
        st = cs_analyzer_new("none", &index->term_analyzer, errmsg);
    if (st) {
        cs_index_close(index);
        return st;
    }
    *out = index;
    return CS_OK;
}

void cs_index_close(cs_index_t *index)
{
    if (!index)
        return;
    xc_db_free(index->db);
    cs_analyzer_free(index->analyzer);
    cs_analyzer_free(index->term_analyzer);
    free(index->path);
    free(index->language);
    free(index->user_fields);
    free(index->user_field_copy);
    free(index->user_field_list);
    free(index->roots);
    free(index->root_list);
    free(index->root_copy);
    free(index->last_run);
    _cs_buf_free(&index->error);
    free(index);
}

const char *cs_index_last_error(const cs_index_t *index)
{
    return index && index->error.data ? index->error.data : "";
}

long cs_index_error_offset(const cs_index_t *index)
{
    return index ? index->error_offset : -1;
}

/* Bytes of the files under @path (not following links; a sharded or
 * rebuilt index keeps its databases in folders below). */
static uint64_t disk_usage(const char *path, int depth)
{
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    uint64_t total = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        struct stat st;
        if (de->d_name[0] == '.' ||
            fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISREG(st.st_mode)) {
            total += (uint64_t)st.st_size;
        } else if (S_ISDIR(st.st_mode) && depth < 3) {
            char below[4200];
            if (snprintf(below, sizeof below, "%s/%s", path, de->d_name) < (int)sizeof below)
                total += disk_usage(below, depth + 1);
        }
    }
    closedir(dir);
    return total;
}

cs_status_t cs_index_get_info(cs_index_t *index, cs_index_info_t *info)
{
    if (!index || !info)
        return CS_ERR_INVALID;
    memset(info, 0, sizeof *info);
    xc_error_t err;
    size_t len;
    free(index->last_run);
    index->last_run = NULL;
    if (xc_db_reopen(index->db, &err) ||
        xc_db_doccount(index->db, &info->passages, &err) ||
        _cs_store_get_fact(index->db, CS_FACT_LAST_RUN, &index->last_run, &len, &err) ||
        _cs_store_count_files(index->db, &info->files, &err) ||
        _cs_store_count_words(index->db, &info->terms, &err))  /* distinct words */
        return _cs_index_fail(index, err.status, "%s", err.message);
    info->disk_bytes = disk_usage(index->path, 0);
    info->language = index->language;
    info->roots = index->roots;
    info->last_run = index->last_run;
    info->schema_version = CS_SCHEMA_VERSION;
    info->shards = (int)xc_db_shard_count(index->db);
    return CS_OK;
}

cs_status_t cs_index_reopen(cs_index_t *index)
{
    if (!index)
        return CS_ERR_INVALID;
    xc_error_t err;
    if (xc_db_reopen(index->db, &err))
        return _cs_index_fail(index, err.status, "%s", err.message);
    int is_new;
    char *language = NULL, *roots = NULL, *msg = NULL;
    cs_status_t st = _cs_schema_read(index->db, &is_new, &language, &roots, &msg);
    if (!st && is_new)
        st = _cs_index_fail(index, CS_ERR_NOT_FOUND, "%s is no longer a cybersearch index",
                            index->path);
    else if (st)
        _cs_index_fail(index, st, "%s", msg ? msg : cs_status_to_string(st));
    free(msg);
    /* a rebuild may have changed the stemmer or the roots */
    cs_analyzer_t *analyzer = NULL;
    if (!st && strcmp(language, index->language) != 0) {
        st = cs_analyzer_new(language[0] ? language : "english", &analyzer, &msg);
        if (st)
            _cs_index_fail(index, st, "%s", msg ? msg : cs_status_to_string(st));
        free(msg);
    }
    char *root_copy = NULL, **root_list = NULL;
    size_t n_roots = 0;
    if (!st && strcmp(roots, index->roots) != 0 &&
        _cs_split_roots(roots, &root_copy, &root_list, &n_roots))
        st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    if (st) {
        cs_analyzer_free(analyzer);
        free(language);
        free(roots);
        return st;
    }
    if (analyzer) {
        cs_analyzer_free(index->analyzer);
        index->analyzer = analyzer;
    }
    if (root_copy) {
        free(index->root_copy);
        free(index->root_list);
        index->root_copy = root_copy;
        index->root_list = root_list;
        index->n_roots = n_roots;
    }
    free(index->language);
    free(index->roots);
    index->language = language;
    index->roots = roots;
    return CS_OK;
}

int cs_field_get(const cs_index_t *index, size_t i, cs_field_info_t *info)
{
    static const char *const types[] = { "keyword", "number", "date", "path", "words" };
    size_t n;
    const cs_field_t *builtin = _cs_fields_builtin(&n);
    if (!info)
        return 0;
    if (i < n) {
        const cs_field_t *f = &builtin[i];
        *info = (cs_field_info_t){ f->name, types[f->type], (f->flags & CS_FIELD_FILTERS) != 0,
                                   (f->flags & CS_FIELD_SORTS) != 0,
                                   (f->flags & CS_FIELD_FACETS) != 0, f->source, f->example };
        return 1;
    }
    i -= n;
    if (!index || i >= index->n_user_fields || i >= CS_MAX_USER_FIELDS)
        return 0;
    *info = (cs_field_info_t){ index->user_field_list[i], "keyword", 1, 0, 1,
                               "the corpus's sidecar (cybersearch-metadata.csv or .jsonl)", "" };
    return 1;
}
