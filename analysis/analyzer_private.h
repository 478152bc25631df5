/* analyzer_private.h - what the files of analysis/ share with each other.
 *
 * Not installed and not used outside analysis/ (the tests and the fuzzer
 * link the sources directly but only call the public analyzer.h API).
 * Cross-file private functions carry the _cs_ prefix.
 */
#ifndef CS_ANALYZER_PRIVATE_H
#define CS_ANALYZER_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

struct sb_stemmer;

/* ------------------------------------------------------------------ */
/* Interface to code in char_class.c                                   */
/* ------------------------------------------------------------------ */

/* What one code point does to word splitting. */
enum cs_char_class {
    CS_CC_SEP = 0, /* splits words: space, punctuation, symbols, invalid */
    CS_CC_LETTER,  /* L* outside the CJK scripts */
    CS_CC_DIGIT,   /* N* outside the CJK scripts */
    CS_CC_MARK,    /* M*: continues the word or CJK character before it */
    CS_CC_CJK,     /* a Han, Hiragana, Katakana or Hangul letter or digit */
    CS_CC_JOINER,  /* soft hyphen, ZWJ, ZWNJ, word joiner: inside words only */
    CS_CC_APOS,    /* an apostrophe variant (splits; ends a possessive) */
    CS_CC_DOT      /* '.', which joins the letters of an acronym */
};

/* Classes of the 128 ASCII bytes, so the hot loop needs no call. */
extern const uint8_t _cs_ascii_class[128];

/* The class of a non-ASCII code point (cp >= 0x80). */
enum cs_char_class _cs_char_class(int32_t cp);

/* A decoded character: its code point (-1 when the bytes are not valid
 * UTF-8), its length in bytes (>= 1) and its class. */
typedef struct cs_char {
    int32_t cp;
    uint32_t len;
    enum cs_char_class cls;
} cs_char_t;

/* Decode and classify the character at @s (@avail > 0 bytes available).
 * Invalid, overlong, surrogate and truncated sequences give one byte of
 * class CS_CC_SEP, so a scanner always advances and never reads past the
 * end. */
void _cs_char_decode_slow(const uint8_t *s, size_t avail, cs_char_t *c);

static inline void _cs_char_at(const uint8_t *s, size_t avail, cs_char_t *c)
{
    if (s[0] < 0x80) {
        c->cp = s[0];
        c->len = 1;
        c->cls = (enum cs_char_class)_cs_ascii_class[s[0]];
        return;
    }
    _cs_char_decode_slow(s, avail, c);
}

/* Non-zero for the classes that form (or continue) a word. */
static inline int _cs_class_is_word(enum cs_char_class cls)
{
    return cls == CS_CC_LETTER || cls == CS_CC_DIGIT || cls == CS_CC_MARK ||
           cls == CS_CC_CJK;
}

/* ------------------------------------------------------------------ */
/* Interface to code in normalize.c                                    */
/* ------------------------------------------------------------------ */

/* Code points of scratch space that _cs_normalize() needs to produce a
 * term of at most @size - 1 bytes. */
#define CS_NORMALIZE_SCRATCH(size) (3 * (size) + 8)

/* cs_analyzer_normalize() with caller-provided scratch space of @cap code
 * points (at least CS_NORMALIZE_SCRATCH(size)).  *@number (if not NULL)
 * is set to non-zero when the term is all digits. */
size_t _cs_normalize(const uint8_t *text, size_t len, char *buf, size_t size,
                     int32_t *scratch, size_t cap, int *number);

/* ------------------------------------------------------------------ */
/* Interface to code in stopwords.c                                    */
/* ------------------------------------------------------------------ */

/* The stop list of @language (a libstemmer name), or NULL if it has none.
 * The set is static and read-only, so analyzers in many threads share it. */
typedef struct cs_stopset cs_stopset_t;
const cs_stopset_t *_cs_stopset_for(const char *language);
int _cs_stopset_contains(const cs_stopset_t *set, const char *term,
                         size_t len);

/* A set of @fn's image of each word of @set (@fn writes it into a buffer of
 * the given size, NUL-terminated, and returns its length, or 0 or
 * (size_t)-1 to leave the word out), owned by the caller: free it with
 * _cs_stopset_free.  NULL when out of memory. */
typedef size_t (*cs_stopset_map_fn)(void *ctx, const char *word, size_t len,
                                    char *buf, size_t size);
cs_stopset_t *_cs_stopset_map(const cs_stopset_t *set, cs_stopset_map_fn fn,
                              void *ctx);
void _cs_stopset_free(cs_stopset_t *set);

/* ------------------------------------------------------------------ */
/* Interface to code in stem_cache.c                                   */
/* ------------------------------------------------------------------ */

/* A direct-mapped cache of recent term -> (stem, stop flag) results, so
 * the frequent words of a text are stemmed once, not every time. */
typedef struct cs_stem_cache cs_stem_cache_t;
cs_stem_cache_t *_cs_stem_cache_new(void);
void _cs_stem_cache_free(cs_stem_cache_t *cache);

/* The hash the cache files @term under: FNV-1a, which the tokenizer's ASCII
 * path computes while it lower-cases, sparing a second pass. */
#define CS_HASH_INIT 2166136261u
#define CS_HASH_STEP(h, byte) (((h) ^ (uint8_t)(byte)) * 16777619u)
static inline uint32_t _cs_term_hash(const char *term, size_t len)
{
    uint32_t h = CS_HASH_INIT;
    for (size_t i = 0; i < len; i++)
        h = CS_HASH_STEP(h, term[i]);
    return h;
}

/* The cached stem of @term (hashed to @hash), *@stop, and in *@seen the
 * mark of its entry (cs_token_t.seen), or NULL.  A mark belongs to its
 * entry's term and is 0 whenever a term enters the cache anew. */
const char *_cs_stem_cache_get(cs_stem_cache_t *cache, uint32_t hash,
                               const char *term, size_t len, size_t *stem_len,
                               int *stop, uint8_t **seen);
/* Cache @term's stem; returns the new entry's mark (0), or NULL when the
 * term or stem is too long to cache. */
uint8_t *_cs_stem_cache_put(cs_stem_cache_t *cache, uint32_t hash,
                            const char *term, size_t len, const char *stem,
                            size_t stem_len, int stop);

/* ------------------------------------------------------------------ */
/* Interface to code in analyzer.c                                     */
/* ------------------------------------------------------------------ */

/* Room for a stem: Snowball stems are rarely longer than their word. */
#define CS_STEM_MAX (2 * CS_TERM_MAX)

struct cs_analyzer {
    char *language;                  /* canonical name, or "none" */
    struct sb_stemmer *stemmer;      /* NULL for "none" */
    const cs_stopset_t *stopwords;   /* NULL: no stop list */
    cs_stopset_t *stop_stems;        /* their stems, made when first asked */
    cs_stem_cache_t *cache;          /* NULL for "none" */
    char term[CS_TERM_MAX + 1];      /* the current token's term */
    char stem[CS_STEM_MAX + 1];      /* and its stem */
    int32_t scratch[CS_NORMALIZE_SCRATCH(CS_TERM_MAX + 1)];
};

/* Stem and stop-check the term of @token (its term fields already set;
 * @hash is _cs_term_hash() of the term). */
void _cs_analyzer_stem_token(cs_analyzer_t *an, cs_token_t *token,
                             uint32_t hash);

#endif /* CS_ANALYZER_PRIVATE_H */
