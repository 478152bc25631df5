/* stopwords.c - the stop lists, as hash sets built once per process.
 *
 * Only English has a list: Snowball's english/stop.txt.  Its contracted
 * forms ("don't", "it's") are left out: apostrophes split words, so such a
 * term can never occur.  Stop words are flagged, never dropped, so a phrase
 * such as "law of the sea" still matches exactly.
 */
/* strdup, strcasecmp and pthread_once are POSIX, not C11. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "analyzer_private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const english_words[] = {
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
    "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself",
    "she", "her", "hers", "herself", "it", "its", "itself", "they", "them",
    "their", "theirs", "themselves", "what", "which", "who", "whom", "this",
    "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
    "being", "have", "has", "had", "having", "do", "does", "did", "doing",
    "would", "should", "could", "ought", "cannot", "a", "an", "the", "and",
    "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
    "for", "with", "about", "against", "between", "into", "through",
    "during", "before", "after", "above", "below", "to", "from", "up",
    "down", "in", "out", "on", "off", "over", "under", "again", "further",
    "then", "once", "here", "there", "when", "where", "why", "how", "all",
    "any", "both", "each", "few", "more", "most", "other", "some", "such",
    "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very",
};

#define N_ENGLISH (sizeof english_words / sizeof english_words[0])
#define SLOTS 512 /* a power of two, over twice the number of words */

struct cs_stopset {
    const char *slot[SLOTS]; /* open addressing, linear probing */
    size_t longest;          /* the longest word's length */
    char *owned;             /* a derived set's words, NUL-separated */
};

static cs_stopset_t english;
static pthread_once_t english_once = PTHREAD_ONCE_INIT;

static uint32_t hash_term(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Add @w (kept, not copied) to @set unless it is there already. */
static void add_word(cs_stopset_t *set, const char *w)
{
    size_t len = strlen(w);
    uint32_t h = hash_term(w, len) & (SLOTS - 1);
    for (; set->slot[h]; h = (h + 1) & (SLOTS - 1))
        if (strcmp(set->slot[h], w) == 0)
            return;
    set->slot[h] = w;
    if (len > set->longest)
        set->longest = len;
}

static void build_english(void)
{
    for (size_t i = 0; i < N_ENGLISH; i++)
        add_word(&english, english_words[i]);
}

const cs_stopset_t *_cs_stopset_for(const char *language)
{
    if (strcmp(language, "english") != 0 && strcmp(language, "porter") != 0)
        return NULL;
    pthread_once(&english_once, build_english);
    return &english;
}

cs_stopset_t *_cs_stopset_map(const cs_stopset_t *set, cs_stopset_map_fn fn, void *ctx)
{
    size_t room = 0;
    for (size_t i = 0; i < SLOTS; i++)
        room += set->slot[i] ? 2 * set->longest + 1 : 0;
    cs_stopset_t *out = calloc(1, sizeof *out);
    char *next = out ? out->owned = malloc(room ? room : 1) : NULL;
    if (!next) {
        _cs_stopset_free(out);
        return NULL;
    }
    for (size_t i = 0; i < SLOTS; i++) {
        const char *w = set->slot[i];
        size_t n = w ? fn(ctx, w, strlen(w), next, 2 * set->longest + 1) : 0;
        if (n == 0 || n == (size_t)-1)
            continue;
        add_word(out, next);
        next += n + 1;
    }
    return out;
}

void _cs_stopset_free(cs_stopset_t *set)
{
    if (set)
        free(set->owned);
    free(set);
}

int _cs_stopset_contains(const cs_stopset_t *set, const char *term, size_t len)
{
    if (!set || len == 0 || len > set->longest)
        return 0;
    uint32_t h = hash_term(term, len) & (SLOTS - 1);
    for (const char *w; (w = set->slot[h]) != NULL; h = (h + 1) & (SLOTS - 1))
        if (strncmp(w, term, len) == 0 && w[len] == '\0')
            return 1;
    return 0;
}
