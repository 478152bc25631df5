/* analyzer.c - analyzer objects: language choice, stemming, stop words.
 *
 * The tokenizer itself is in tokenize.c, normalization in normalize.c.
 */
/* strdup, strcasecmp and pthread_once are POSIX, not C11. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "analyzer_private.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libstemmer.h>

#define DEFAULT_LANGUAGE "english"
#define MAX_LANGUAGES 64

static const char *languages[MAX_LANGUAGES + 2];
static pthread_once_t languages_once = PTHREAD_ONCE_INIT;

static void build_languages(void)
{
    const char **sb = sb_stemmer_list();
    size_t n = 0;
    for (; sb && sb[n] && n < MAX_LANGUAGES; n++)
        languages[n] = sb[n];
    languages[n++] = "none";
    languages[n] = NULL;
}

const char *const *cs_analyzer_languages(void)
{
    pthread_once(&languages_once, build_languages);
    return languages;
}

/* The canonical spelling of @name in the language list, or NULL. */
static const char *find_language(const char *name)
{
    for (const char *const *l = cs_analyzer_languages(); *l; l++)
        if (strcasecmp(*l, name) == 0)
            return *l;
    return NULL;
}

static char *unknown_language_message(const char *name)
{
    static const char intro[] = "unknown stemming language \"%s\"; "
                                "available: ";
    size_t size = sizeof intro + strlen(name) + 1;
    for (const char *const *l = cs_analyzer_languages(); *l; l++)
        size += strlen(*l) + 2;
    char *msg = malloc(size);
    if (!msg)
        return NULL;
    size_t n = (size_t)snprintf(msg, size, intro, name);
    for (const char *const *l = cs_analyzer_languages(); *l; l++)
        n += (size_t)snprintf(msg + n, size - n, "%s%s", *l, l[1] ? ", " : "");
    return msg;
}

cs_status_t cs_analyzer_new(const char *language, cs_analyzer_t **out,
                            char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (!out)
        return CS_ERR_INVALID;
    *out = NULL;
    if (!language || !*language)
        language = DEFAULT_LANGUAGE;

    const char *name = find_language(language);
    if (!name) {
        if (errmsg)
            *errmsg = unknown_language_message(language);
        return CS_ERR_LANGUAGE;
    }

    cs_analyzer_t *an = calloc(1, sizeof *an);
    if (!an)
        return CS_ERR_NOMEM;
    an->language = strdup(name);
    if (!an->language)
        goto nomem;
    if (strcmp(name, "none") != 0) {
        an->stemmer = sb_stemmer_new(name, "UTF_8");
        an->cache = _cs_stem_cache_new();
        if (!an->stemmer || !an->cache)
            goto nomem;
        an->stopwords = _cs_stopset_for(name);
    }
    *out = an;
    return CS_OK;

nomem:
    cs_analyzer_free(an);
    return CS_ERR_NOMEM;
}

void cs_analyzer_free(cs_analyzer_t *an)
{
    if (!an)
        return;
    if (an->stemmer)
        sb_stemmer_delete(an->stemmer);
    _cs_stem_cache_free(an->cache);
    _cs_stopset_free(an->stop_stems);
    free(an->language);
    free(an);
}

const char *cs_analyzer_language(const cs_analyzer_t *an)
{
    return an ? an->language : NULL;
}

int cs_analyzer_is_stopword(const cs_analyzer_t *an, const char *term,
                            size_t len)
{
    return an && term && _cs_stopset_contains(an->stopwords, term, len);
}

static size_t stem_word(void *ctx, const char *word, size_t len, char *buf,
                        size_t size)
{
    return cs_analyzer_stem(ctx, word, len, buf, size);
}

int cs_analyzer_is_stop_stem(cs_analyzer_t *an, const char *stem, size_t len)
{
    if (!an || !stem || !an->stopwords)
        return 0;
    if (_cs_stopset_contains(an->stopwords, stem, len))
        return 1;
    if (!an->stop_stems)
        an->stop_stems = _cs_stopset_map(an->stopwords, stem_word, an);
    if (!an->stop_stems)
        return -1;
    return _cs_stopset_contains(an->stop_stems, stem, len);
}

/* Snowball's stem of @term, or NULL (then the stem is the term itself). */
static const char *snowball(cs_analyzer_t *an, const char *term, size_t len,
                            size_t *stem_len)
{
    if (!an->stemmer || len > INT_MAX)
        return NULL;
    const sb_symbol *s = sb_stemmer_stem(an->stemmer, (const sb_symbol *)term,
                                         (int)len);
    if (!s)
        return NULL;
    *stem_len = (size_t)sb_stemmer_length(an->stemmer);
    return (const char *)s;
}

size_t cs_analyzer_stem(cs_analyzer_t *an, const char *term, size_t len,
                        char *buf, size_t size)
{
    if (!an || !buf || (!term && len > 0))
        return (size_t)-1;
    size_t n = len;
    const char *s = snowball(an, term, len, &n);
    if (!s)
        s = term, n = len;
    if (n >= size)
        return (size_t)-1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return n;
}

void _cs_analyzer_stem_token(cs_analyzer_t *an, cs_token_t *token,
                             uint32_t hash)
{
    token->stem = token->term;
    token->stem_len = token->term_len;
    if (!an->stemmer) {
        if (_cs_stopset_contains(an->stopwords, token->term, token->term_len))
            token->flags |= CS_TOKEN_STOPWORD;
        return;
    }

    size_t n;
    int stop;
    const char *cached = _cs_stem_cache_get(an->cache, hash, token->term,
                                            token->term_len, &n, &stop,
                                            &token->seen);
    if (cached) {
        token->stem = cached;
        token->stem_len = n;
    } else {
        stop = _cs_stopset_contains(an->stopwords, token->term,
                                    token->term_len);
        const char *s = snowball(an, token->term, token->term_len, &n);
        if (s && n > 0 && n <= CS_STEM_MAX) {
            memcpy(an->stem, s, n);
            an->stem[n] = '\0';
            token->stem = an->stem;
            token->stem_len = n;
        }
        token->seen = _cs_stem_cache_put(an->cache, hash, token->term,
                                         token->term_len, token->stem,
                                         token->stem_len, stop);
    }
    if (stop)
        token->flags |= CS_TOKEN_STOPWORD;
}
