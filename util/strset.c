/* strset.c - a set of byte strings: open addressing with linear probing,
 * kept at most half full.  The indexer uses it to write each new word of
 * the vocabulary once per run; facets number their values with it. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct slot {
    uint64_t hash;
    char *text;      /* malloc'd copy, NUL-terminated; NULL when empty */
    size_t len;
    size_t id;       /* the string's place in the order of adding */
} slot_t;

void _cs_strset_init(cs_strset_t *set)
{
    memset(set, 0, sizeof *set);
}

void _cs_strset_free(cs_strset_t *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].text);
    free(set->slots);
    memset(set, 0, sizeof *set);
}

static slot_t *find(const cs_strset_t *set, const char *text, size_t len, uint64_t hash)
{
    size_t mask = set->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        slot_t *s = &set->slots[i];
        if (!s->text || (s->hash == hash && s->len == len && memcmp(s->text, text, len) == 0))
            return s;
    }
}

static int grow(cs_strset_t *set)
{
    size_t cap = set->cap ? 2 * set->cap : 1024;
    cs_strset_t bigger = { calloc(cap, sizeof(slot_t)), 0, cap };
    if (!bigger.slots)
        return 0;
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].text)
            *find(&bigger, set->slots[i].text, set->slots[i].len, set->slots[i].hash) =
                set->slots[i];
    free(set->slots);
    bigger.count = set->count;
    *set = bigger;
    return 1;
}

int _cs_strset_intern(cs_strset_t *set, const char *text, size_t len, size_t *id)
{
    if (2 * (set->count + 1) > set->cap && !grow(set))
        return -1;
    uint64_t hash = _cs_hash64(text, len, CS_HASH_SEED);
    slot_t *s = find(set, text, len, hash);
    if (s->text) {
        *id = s->id;
        return 0;
    }
    if (!(s->text = malloc(len + 1)))
        return -1;
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    s->hash = hash;
    *id = s->id = set->count++;
    return 1;
}

int _cs_strset_add(cs_strset_t *set, const char *text, size_t len)
{
    size_t id;
    return _cs_strset_intern(set, text, len, &id);
}

const char *_cs_strset_next(const cs_strset_t *set, size_t *cursor)
{
    while (*cursor < set->cap) {
        const slot_t *s = &set->slots[(*cursor)++];
        if (s->text)
            return s->text;
    }
    return NULL;
}
