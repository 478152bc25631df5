/* stem_cache.c - remember recent stems so frequent words are stemmed once.
 *
 * Word frequencies are Zipfian: a few thousand terms make up most tokens of
 * a text, and a Snowball call costs far more than a lookup here.  The cache
 * is direct-mapped (a colliding term simply replaces the old one) and keeps
 * only terms and stems that fit an entry; longer ones are stemmed each time.
 */
#include "analyzer_private.h"

#include <stdlib.h>
#include <string.h>

#define ENTRIES 4096   /* a power of two: 256 KiB per analyzer */
#define KEY_MAX 30     /* longest term cached; stems keep a byte for NUL */

typedef struct entry {
    uint8_t term_len;  /* 0: empty */
    uint8_t stem_len;
    uint8_t stop;
    uint8_t unused;
    char term[KEY_MAX];
    char stem[KEY_MAX]; /* NUL-terminated, so it can be handed out as is */
} entry_t;

struct cs_stem_cache {
    entry_t entry[ENTRIES];
};

static uint32_t slot_of(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return (h ^ (h >> 15)) & (ENTRIES - 1);
}

cs_stem_cache_t *_cs_stem_cache_new(void)
{
    return calloc(1, sizeof(cs_stem_cache_t));
}

void _cs_stem_cache_free(cs_stem_cache_t *cache)
{
    free(cache);
}

const char *_cs_stem_cache_get(cs_stem_cache_t *cache, const char *term,
                               size_t len, size_t *stem_len, int *stop)
{
    if (len == 0 || len > KEY_MAX)
        return NULL;
    entry_t *e = &cache->entry[slot_of(term, len)];
    if (e->term_len != len || memcmp(e->term, term, len) != 0)
        return NULL;
    *stem_len = e->stem_len;
    *stop = e->stop;
    return e->stem;
}

void _cs_stem_cache_put(cs_stem_cache_t *cache, const char *term, size_t len,
                        const char *stem, size_t stem_len, int stop)
{
    if (len == 0 || len > KEY_MAX || stem_len >= KEY_MAX)
        return;
    entry_t *e = &cache->entry[slot_of(term, len)];
    e->term_len = (uint8_t)len;
    e->stem_len = (uint8_t)stem_len;
    e->stop = (uint8_t)(stop != 0);
    memcpy(e->term, term, len);
    memcpy(e->stem, stem, stem_len);
    e->stem[stem_len] = '\0';
}
