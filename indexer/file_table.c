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

typedef struct loading {
    cs_file_table_t *table;
    int nomem;
} loading_t;

static int load_one(void *ctx, const char *key, const cs_file_record_t *rec)
{
    loading_t *l = ctx;
    cs_file_entry_t *e = calloc(1, sizeof *e);
    if (e && (e->path = strndup(rec->path, rec->path_len))) {
        memcpy(e->key, key, CS_FILE_KEY_HEX + 1);
        e->rec = *rec;
        e->rec.path = e->path;
        if (insert(l->table, e))
            return 0;
        free(e->path);
    }
    free(e);
    l->nomem = 1;
    return 1;
}

cs_status_t _cs_file_table_load(cs_file_table_t *t, xc_db_t *db, xc_error_t *err)
{
    memset(t, 0, sizeof *t);
    loading_t l = { t, 0 };
    cs_status_t st = _cs_store_each_file(db, load_one, &l, err);
    if (!st && l.nomem)
        st = _cs_store_nomem(err, "loading the file table");
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
