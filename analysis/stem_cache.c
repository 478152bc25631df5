/* stem_cache.c - remember recent stems so frequent words are stemmed once.
 *
 * Word frequencies are Zipfian: a few thousand terms make up most tokens of
 * a text, and a Snowball call costs far more than a lookup here.  Two
 * direct-mapped tables: a small front one that stays in the CPU caches and
 * holds the most frequent words (stop words are half of all tokens), and a
 * large back one that catches the long tail.  A colliding term simply
 * replaces the old one; terms and stems too long for an entry are stemmed
 * each time.  The figures are in bench/ANALYZER.md.
 *
 * Each entry carries a mark for the analyzer's caller (cs_token_t.seen).
 * A word found in the back table is handed the back copy's mark, which
 * outlasts the front copy's evictions; the front copy takes it over when
 * next promoted.
 *
 * The back table is allocated only once the front one has taken FRONT
 * stems: a search analyses a few hundred words, and first touching the
 * back table's pages (a page fault each, some 500 of them) cost a one-query
 * process more than the cache saved it (bench/RESULTS.md).
 */
#include "analyzer_private.h"

#include <stdlib.h>
#include <string.h>

#define FRONT 4096     /* entries (powers of two): 256 KiB */
#define BACK 32768     /* 2 MiB */
#define KEY_MAX 30     /* longest term cached; stems keep a byte for NUL */

typedef struct entry {
    uint8_t term_len;  /* 0: empty */
    uint8_t stem_len;
    uint8_t stop;
    uint8_t seen;      /* the analyzer's caller's mark (cs_token_t.seen) */
    char term[KEY_MAX];
    char stem[KEY_MAX]; /* NUL-terminated, so it can be handed out as is */
} entry_t;

struct cs_stem_cache {
    entry_t front[FRONT];
    entry_t *back;       /* NULL until `puts` reaches FRONT (or out of memory) */
    uint32_t puts;
};

static entry_t *front_slot(cs_stem_cache_t *cache, uint32_t h)
{
    return &cache->front[(h ^ (h >> 15)) & (FRONT - 1)];
}

static entry_t *back_slot(cs_stem_cache_t *cache, uint32_t h)
{
    return cache->back ? &cache->back[(h * 0x9E3779B1u) >> 17] : NULL; /* top 15 bits */
}

static int holds(const entry_t *e, const char *term, size_t len)
{
    return e->term_len == len && memcmp(e->term, term, len) == 0;
}

cs_stem_cache_t *_cs_stem_cache_new(void)
{
    return calloc(1, sizeof(cs_stem_cache_t));
}

void _cs_stem_cache_free(cs_stem_cache_t *cache)
{
    if (cache)
        free(cache->back);
    free(cache);
}

const char *_cs_stem_cache_get(cs_stem_cache_t *cache, uint32_t h,
                               const char *term, size_t len, size_t *stem_len,
                               int *stop, uint8_t **seen)
{
    if (len == 0 || len > KEY_MAX)
        return NULL;
    entry_t *e = front_slot(cache, h);
    uint8_t *mark = &e->seen;
    if (!holds(e, term, len)) {
        entry_t *b = back_slot(cache, h);
        if (!b || !holds(b, term, len))
            return NULL;
        *e = *b; /* promote: it is likely to come again soon */
        mark = &b->seen; /* the copy that outlasts the front one */
    }
    *seen = mark;
    *stem_len = e->stem_len;
    *stop = e->stop;
    return e->stem;
}

uint8_t *_cs_stem_cache_put(cs_stem_cache_t *cache, uint32_t h,
                            const char *term, size_t len, const char *stem,
                            size_t stem_len, int stop)
{
    if (len == 0 || len > KEY_MAX || stem_len >= KEY_MAX)
        return NULL;
    entry_t *e = front_slot(cache, h);
    e->term_len = (uint8_t)len;
    e->stem_len = (uint8_t)stem_len;
    e->stop = (uint8_t)(stop != 0);
    e->seen = 0;
    memcpy(e->term, term, len);
    memcpy(e->stem, stem, stem_len);
    e->stem[stem_len] = '\0';
    if (!cache->back && ++cache->puts >= FRONT)
        cache->back = calloc(BACK, sizeof *cache->back); /* without it: front only */
    entry_t *b = back_slot(cache, h);
    if (!b)
        return &e->seen;
    *b = *e;
    return &b->seen;
}
