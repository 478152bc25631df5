/* analyzer.h - the one analyzer shared by the indexer and the query parser.
 *
 * It splits UTF-8 text into tokens and gives each its normalized term
 * (NFKC, case-folded, diacritics removed), its Snowball stem, its word
 * position and its exact byte range [start, end) in the input.  The
 * normalization changes the term only, never the offsets.
 *
 * Rules (see analysis/README.md for the why):
 *  - Invalid UTF-8, overlong forms, encoded surrogates and NUL act as
 *    separators; a leading UTF-8 BOM is skipped.
 *  - Letters, digits and combining marks form words.  Dashes, slashes,
 *    apostrophes and all other punctuation split words; "U.S." style
 *    acronyms (single letters joined by dots) become one term ("us");
 *    a possessive 's is dropped.
 *  - Acronyms keep their case so that they do not collide with words: a
 *    word of 2 to 6 upper-case ASCII letters ("US", "OEWG"), with perhaps
 *    a plural "s" ("ICTs"), or upper-case letters joined by dots ("U.S.",
 *    "U.N."), gets the upper-case letters as its stem ("US", "ICT"), which
 *    no lower-case word has, and is never a stop word.  A run of three or
 *    more such words is a heading or shouting, not acronyms: its words are
 *    ordinary.  The term stays normalized (lower case).
 *  - Han, Hiragana, Katakana and Hangul runs become overlapping character
 *    bigrams (a lone character is a unigram), each one position.
 *  - A term longer than CS_TERM_MAX bytes is skipped (the position is kept).
 */
#ifndef CS_ANALYZER_H
#define CS_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

#define CS_TERM_MAX 64  /* longest term in bytes */

enum cs_token_flags {
    CS_TOKEN_STOPWORD = 1 << 0, /* term is on the language's stop list */
    CS_TOKEN_CJK = 1 << 1,      /* a CJK bigram or unigram (not stemmed) */
    CS_TOKEN_NUMBER = 1 << 2,   /* all digits */
    CS_TOKEN_ACRONYM = 1 << 3   /* an acronym: the stem is its upper-case form */
};

typedef struct cs_token {
    const char *term;   /* normalized, NUL-terminated; owned by the analyzer,
                           valid only during the callback */
    size_t term_len;
    const char *stem;   /* Snowball stem of term (== term for CJK/numbers) */
    size_t stem_len;
    uint32_t position;  /* word ordinal: first token gets first_position */
    size_t start;       /* byte offset of the token in the input */
    size_t end;         /* one past its last byte */
    unsigned flags;     /* cs_token_flags */
    uint8_t *seen;      /* NULL, or a byte kept with this term and stem in
                           the analyzer's stem cache, for the caller to set:
                           non-zero means the caller set it for this very
                           term and stem; 0 promises nothing (a word that
                           leaves the cache comes back unmarked).  The
                           indexer marks the words its vocabulary holds. */
} cs_token_t;

/* Called once per token in order; return non-zero to stop tokenizing. */
typedef int (*cs_token_fn)(void *ctx, const cs_token_t *token);

typedef struct cs_analyzer cs_analyzer_t;

/* Create an analyzer for @language (a libstemmer name such as "english",
 * or "none" for no stemming).  On CS_ERR_LANGUAGE, *errmsg (if errmsg is
 * not NULL) is a malloc'd message listing the available languages. */
cs_status_t cs_analyzer_new(const char *language, cs_analyzer_t **out,
                            char **errmsg);
void cs_analyzer_free(cs_analyzer_t *an);
const char *cs_analyzer_language(const cs_analyzer_t *an);

/* Tokenize @len bytes of @text.  Positions start at @first_position.
 * Returns the position after the last token (so a caller can continue),
 * or stops early when @fn returns non-zero. */
uint32_t cs_analyzer_tokenize(cs_analyzer_t *an, const char *text, size_t len,
                              uint32_t first_position, cs_token_fn fn,
                              void *ctx);

/* Non-zero when the normalized @term is a stop word of the language. */
int cs_analyzer_is_stopword(const cs_analyzer_t *an, const char *term,
                            size_t len);

/* Is @stem a stop word or the stem of one ("onli" from "only")?  1 if so,
 * 0 if not, -1 when out of memory.  The stop words'
 * stems are made when first asked for, once per analyzer. */
int cs_analyzer_is_stop_stem(cs_analyzer_t *an, const char *stem, size_t len);

/* Normalize @len bytes of @text as a single term would be (NFKC, case fold,
 * diacritics removed), into @buf of @size bytes, NUL-terminated.  Returns
 * the term's length, or (size_t)-1 when it does not fit.  Used for wildcard
 * prefixes and for checking highlights against query terms. */
size_t cs_analyzer_normalize(const char *text, size_t len, char *buf,
                             size_t size);

/* Stem the normalized @term into @buf; returns the length or (size_t)-1. */
size_t cs_analyzer_stem(cs_analyzer_t *an, const char *term, size_t len,
                        char *buf, size_t size);

/* NULL-terminated list of the available stemming languages (static). */
const char *const *cs_analyzer_languages(void);

CS_END_DECLS

#endif /* CS_ANALYZER_H */
