/* query_parse.h - the query language: parsing text into a syntax tree.
 *
 * Grammar (operators are upper case only; "and"/"or" are words):
 *   query   := or_expr
 *   or_expr := and_expr ("OR" and_expr)*
 *   and_expr:= unary (["AND"] unary | "NOT" unary)*      (juxtaposition = implicit)
 *   unary   := ("+" | "-" | "NOT") unary | near
 *   near    := primary ("NEAR/" N primary)*              (N >= 0; "NEAR" alone = 10)
 *   primary := WORD | WORD"*" | "\"" words "\"" | FIELD ":" VALUE | "(" or_expr ")"
 *   FIELD   := "path" | "year" | ... (a known field name); VALUE is a word,
 *              a quoted string, or for year "A..B".
 * Words are kept as raw text here; analysis (normalizing, stemming, splitting
 * "U.S.-Russia" into several tokens) happens when the tree is turned into a
 * Xapian query (query_build.c), with exactly the index's analyzer.
 */
#ifndef CS_QUERY_PARSE_H
#define CS_QUERY_PARSE_H

#include <stddef.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

typedef enum cs_qnode_kind {
    CS_Q_WORD,    /* text: a word as typed */
    CS_Q_PREFIX,  /* text: the part before '*' */
    CS_Q_PHRASE,  /* text: the words between the quotes */
    CS_Q_FIELD,   /* field: name; text: the value as typed */
    CS_Q_AND,     /* implicit or explicit AND of children */
    CS_Q_OR,
    CS_Q_NOT,     /* children[0] AND NOT children[1]; a lone NOT/- has
                     children[0] == NULL (match all, minus children[1]) */
    CS_Q_NEAR     /* children[0] within `distance` words of children[1] */
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
 * *out is owned by the caller: free it with cs_qnode_free(). */
cs_status_t cs_query_parse(const char *query, cs_qnode_t **out,
                           size_t *err_offset, char **errmsg);
void cs_qnode_free(cs_qnode_t *node);

/* A canonical one-line description of the tree, malloc'd, e.g.
 *   AND(word:consensus, word:report)
 *   NOT(phrase:"open-ended working group", word:russia)
 *   NEAR/5(word:OEWG, word:GGE)
 *   AND(prefix:cyber*, field:year=2019..2024)
 * Used by tests and by `cybersearch --explain`. */
char *cs_qnode_describe(const cs_qnode_t *node);

CS_END_DECLS

#endif /* CS_QUERY_PARSE_H */
