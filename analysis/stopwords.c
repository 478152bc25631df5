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

static void build_english(void)
{
    for (size_t i = 0; i < N_ENGLISH; i++) {
        const char *w = english_words[i];
        uint32_t h = hash_term(w, strlen(w)) & (SLOTS - 1);
        while (english.slot[h])
            h = (h + 1) & (SLOTS - 1);
        english.slot[h] = w;
    }
}

const cs_stopset_t *_cs_stopset_for(const char *language)
{
    if (strcmp(language, "english") != 0 && strcmp(language, "porter") != 0)
        return NULL;
    pthread_once(&english_once, build_english);
    return &english;
}

int _cs_stopset_contains(const cs_stopset_t *set, const char *term, size_t len)
{
    if (!set || len == 0 || len > 10) /* "yourselves" is the longest */
        return 0;
    uint32_t h = hash_term(term, len) & (SLOTS - 1);
    for (const char *w; (w = set->slot[h]) != NULL; h = (h + 1) & (SLOTS - 1))
        if (strncmp(w, term, len) == 0 && w[len] == '\0')
            return 1;
    return 0;
}
