/* file_table.c - loading the per-file records into a hash table. */
#include <stdlib.h>
#include <string.h>

#include "file_table.h"

static size_t slot_of(const cs_file_table_t *t, const char *key)
{
    /* keys are already hashes: their leading hex digits spread well */
    return (size_t)strtoull(key + CS_FILE_KEY_HEX - 12, NULL, 16) & (t->cap - 1);
}

static int grow(cs_file_table_t *t)
{
    size_t cap = t->cap ? 2 * t->cap : 1024;
    cs_file_entry_t **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return 0;
    cs_file_table_t bigger = { slots, cap, 0 };
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i])
            continue;
        size_t s = slot_of(&bigger, t->slots[i]->key);
        while (slots[s])
            s = (s + 1) & (cap - 1);
        slots[s] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 1;
}

static int insert(cs_file_table_t *t, cs_file_entry_t *e)
{
    if ((t->count + 1) * 2 > t->cap && !grow(t))
        return 0;
    size_t s = slot_of(t, e->key);
    while (t->slots[s])
        s = (s + 1) & (t->cap - 1);
    t->slots[s] = e;
    t->count++;
    return 1;
}

cs_file_entry_t *_cs_file_table_find(const cs_file_table_t *t, const char *key)
{
    if (!t->cap)
        return NULL;
    for (size_t s = slot_of(t, key); t->slots[s]; s = (s + 1) & (t->cap - 1))
        if (memcmp(t->slots[s]->key, key, CS_FILE_KEY_HEX) == 0)
            return t->slots[s];
    return NULL;
}

cs_status_t _cs_file_table_load(cs_file_table_t *t, xc_db_t *db, xc_error_t *err)
{
    memset(t, 0, sizeof *t);
    xc_keys_t *keys;
    cs_status_t st = xc_db_metadata_keys(db, CS_META_FILE_PREFIX, &keys, err);
    if (st)
        return st;
    const size_t prefix = strlen(CS_META_FILE_PREFIX);
    const char *key;
    size_t len;
    while (!st && (key = xc_keys_next(keys, &len))) {
        if (len != prefix + CS_FILE_KEY_HEX)
            continue;
        char *value = NULL;
        size_t value_len;
        st = xc_db_get_metadata(db, key, &value, &value_len, err);
        cs_file_entry_t *e = st ? NULL : calloc(1, sizeof *e);
        if (e && _cs_file_record_decode(value, value_len, &e->rec)) {
            memcpy(e->key, key + prefix, CS_FILE_KEY_HEX + 1);
            e->path = strndup(e->rec.path, e->rec.path_len);
            e->rec.path = e->path;
            /* a file left out of the table would be indexed again as new */
            if (!e->path || !insert(t, e)) {
                free(e->path);
                free(e);
                st = CS_ERR_NOMEM;
            }
        } else if (e) {
            free(e);  /* not a file record: not ours to count */
        } else if (!st) {
            st = CS_ERR_NOMEM;
        }
        free(value);
    }
    if (!st)
        st = xc_keys_status(keys, err);  /* the end, or a failure? */
    xc_keys_free(keys);
    if (st == CS_ERR_NOMEM && err) {
        err->status = st;
        strcpy(err->message, "out of memory loading the file table");
    }
    return st;
}

void _cs_file_table_free(cs_file_table_t *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i]) {
            free(t->slots[i]->path);
            free(t->slots[i]);
        }
    free(t->slots);
    memset(t, 0, sizeof *t);
}
