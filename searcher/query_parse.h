/* query_parse.h - the query language: parsing text into a syntax tree.
 *
 * Grammar (operators are upper case only; "and"/"or" are words), loosest
 * binding first: OR < AND (explicit, implicit, AND NOT) < unary < NEAR:
 *   query   := or_expr
 *   or_expr := and_expr ("OR" and_expr)*
 *   and_expr:= item (["AND"] item)*           (juxtaposition = implicit AND)
 *   item    := ("-" | "NOT") unary | unary    (an exclusion | a positive)
 *   unary   := ("+" | "-" | "NOT") unary | near
 *   near    := primary ("NEAR/" N primary)*   (1 <= N <= 1000; "NEAR" = 10)
 *   primary := WORD | WORD"*" | "\"" text "\"" | FIELD ":" VALUE | "(" or_expr ")"
 *              (a '*' elsewhere in a WORD is an error: only prefix wildcards)
 *   FIELD   := a field of the registry (lib/fields.h: path, year, date,
 *              country, session, lang, format, title) or of the index's
 *              sidecars, ASCII case-insensitive; VALUE is a word or, with
 *              no space after the ':', a quoted string or a parenthesized
 *              group of values with AND/OR/NOT (country:(RUS OR USA)).
 *              The registry checks values (year: YYYY, YYYY..YYYY, ..YYYY,
 *              YYYY..; date: YYYY[-MM[-DD]] and ranges).  NAME:VALUE with
 *              NAME a letter then letters, digits, '_' or '-' and no field
 *              is an error naming the fields; other words with a colon
 *              ("10:30", "http://x") are words.
 *
 * Tokens: a WORD is a maximal run of bytes that are not whitespace (ASCII
 * and the Unicode spaces U+00A0, U+1680, U+2000-200A, U+2028/9, U+202F,
 * U+205F, U+3000), not a quote (" U+201C U+201D, any of which opens or
 * closes a phrase) and not a parenthesis.  A '+' or '-' that starts a token
 * is a sign; the word right after a sign is never an operator ("-NOT" is
 * the word NOT).  Signs followed by whitespace, ')' or the end are stray
 * punctuation and ignored ("Russia - China" = AND(Russia, China)).
 *
 * Trees built from an and_expr: the positive items become one AND (or a
 * single node); all exclusions of the group ('-x', 'NOT x', 'a NOT x', in
 * any position) become children[1] of a NOT over it, OR'ed together when
 * there are several: "a b -c -d" = NOT(AND(a, b), OR(c, d)).  A group with
 * no positive item gives NOT(NULL, x) = everything except x.  Nested ANDs
 * and ORs without a '+' are flattened.  A chain "a NEAR/3 b NEAR/3 c" is
 * one flat NEAR with three children; distances in a chain must be equal.
 * Nesting (parentheses and prefix operators) is capped at
 * CS_QUERY_MAX_NESTING levels.
 *
 * Words are kept as raw text here; analysis (normalizing, stemming, splitting
 * "U.S.-Russia" into several tokens) happens when the tree is turned into a
 * Xapian query (query_build.c), with exactly the index's analyzer.
 */
#ifndef CS_QUERY_PARSE_H
#define CS_QUERY_PARSE_H

#include <stddef.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

#define CS_QUERY_MAX_NESTING 100        /* parentheses + prefix operators */
#define CS_QUERY_MAX_BYTES 16384        /* checked before any parsing */
#define CS_QUERY_MAX_TERMS 2000         /* index terms, wildcard expansions included */
#define CS_STRINGIFY_(x) #x
#define CS_STRINGIFY(x) CS_STRINGIFY_(x)
#define CS_QUERY_MAX_NEAR_DISTANCE 1000

typedef enum cs_qnode_kind {
    CS_Q_WORD,    /* text: a word as typed */
    CS_Q_PREFIX,  /* text: the part before '*' */
    CS_Q_PHRASE,  /* text: the words between the quotes */
    CS_Q_FIELD,   /* field: name; text: the value as typed */
    CS_Q_AND,     /* implicit or explicit AND of children */
    CS_Q_OR,
    CS_Q_NOT,     /* children[0] AND NOT children[1]; a lone NOT/- has
                     children[0] == NULL (match all, minus children[1]) */
    CS_Q_NEAR     /* children (2 or more, from a chain) within `distance`
                     words of each other, in any order */
} cs_qnode_kind_t;

typedef enum cs_qmod {
    CS_QMOD_NONE = 0,
    CS_QMOD_REQUIRED,  /* leading '+' */
    CS_QMOD_EXCLUDED   /* leading '-' (turned into CS_Q_NOT when possible) */
} cs_qmod_t;

typedef struct cs_qnode cs_qnode_t;
struct cs_qnode {
    cs_qnode_kind_t kind;
    cs_qmod_t mod;
    char *text;           /* WORD, PREFIX, PHRASE, FIELD value (malloc'd) */
    char *field;          /* FIELD name (malloc'd) */
    unsigned distance;    /* NEAR */
    size_t offset;        /* byte offset of the node in the query string */
    cs_qnode_t **children;
    size_t n_children;
};

/* Parse @query.  On CS_ERR_BAD_QUERY, *err_offset gets the byte offset of
 * the problem and *errmsg a malloc'd one-line message (caller frees).
 * *out is owned by the caller: free it with cs_qnode_free().
 * err_offset and errmsg may be NULL.  Returns CS_OK, CS_ERR_BAD_QUERY,
 * CS_ERR_NOMEM (errmsg NULL) or CS_ERR_INVALID (NULL query or out). */
cs_status_t cs_query_parse(const char *query, cs_qnode_t **out,
                           size_t *err_offset, char **errmsg);
/* The same, also knowing the index's user fields (names, one per line, as
 * the index records them; NULL: none). */
cs_status_t cs_query_parse_fields(const char *query, const char *user_fields,
                                  cs_qnode_t **out, size_t *err_offset, char **errmsg);
void cs_qnode_free(cs_qnode_t *node);  /* NULL is a no-op */

/* Plain text (query_plain.c): every blank-separated piece is a CS_Q_WORD
 * under one CS_Q_AND; quotes, parentheses and AND/OR/NOT are only text.
 * CS_ERR_BAD_QUERY when there is no word. */
cs_status_t cs_query_parse_plain(const char *query, cs_qnode_t **out);

/* A canonical one-line description of the tree, malloc'd, e.g.
 *   AND(word:consensus, word:report)
 *   NOT(phrase:"open-ended working group", word:russia)
 *   NEAR/5(word:OEWG, word:GGE)
 *   AND(prefix:cyber*, field:year=2019..2024)
 *   NOT(*, word:draft)          (a NULL node is written "*")
 *   +word:x  -word:x            (CS_QMOD_REQUIRED / CS_QMOD_EXCLUDED)
 * Text is kept as typed; control bytes are written as \xNN so the
 * description stays one line.  NULL only when out of memory.
 * Used by tests and by `cybersearch --explain`. */
char *cs_qnode_describe(const cs_qnode_t *node);

CS_END_DECLS

#endif /* CS_QUERY_PARSE_H */
