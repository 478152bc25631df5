/* search_private.h - interfaces between the searcher's files. */
#ifndef CS_SEARCH_PRIVATE_H
#define CS_SEARCH_PRIVATE_H

#include "cs_private.h"
#include "query_parse.h"

CS_BEGIN_DECLS

/* ---- Interface to code in searcher/highlight.c --------------------------
 * What a snippet highlights: the stems a query looks for (of its words,
 * phrases, NEAR operands and wildcard expansions), each with the query word
 * it came from. */
typedef struct cs_match {
    char *text;        /* the stem, malloc'd */
    char *word;        /* the query word as typed, for "missing" lists */
    double weight;     /* rarer words weigh more (idf) */
    int ranking;       /* a required bag-of-words word (for relaxed results) */
} cs_match_t;

typedef struct cs_matchset {
    cs_match_t *items;
    size_t count, cap;
} cs_matchset_t;

void _cs_matchset_free(cs_matchset_t *set);
/* Add a match (copies the strings); returns 0 when out of memory.  A
 * duplicate of an existing match is not added again. */
int _cs_matchset_add(cs_matchset_t *set, const char *text,
                     size_t len, const char *word, int ranking);
/* Index of the first match for a token, or -1. */
int _cs_matchset_lookup(const cs_matchset_t *set, const cs_token_t *token);
/* Weigh each match by its stem's idf among @docs passages, with the term
 * frequencies the match @mset gathered. */
void _cs_matchset_weigh(cs_matchset_t *set, const xc_mset_t *mset, uint64_t docs);

/* ---- Interface to code in searcher/query_build.c --------------------- */

/* The bare words of a query, as exact terms in query order, for the
 * proximity boost (count < 2: no boost). */
typedef struct cs_proximity {
    char **words;
    size_t count;
} cs_proximity_t;

typedef struct cs_built_query {
    xc_query_t *query;      /* what must match */
    xc_query_t *relaxed;    /* any-word variant for the fallback, or NULL */
    cs_matchset_t matches;  /* what to highlight */
    cs_proximity_t proximity;
} cs_built_query_t;

/* Turn the parsed @tree into a Xapian query with the index's analyzer.
 * @any: bare words are optional.  On error the index's last error is set. */
cs_status_t _cs_query_build(cs_index_t *index, const cs_qnode_t *tree, int any,
                            cs_built_query_t *out);
void _cs_built_query_free(cs_built_query_t *built);

/* ---- Interface to code in searcher/snippet.c -------------------------- */

typedef struct cs_snippet {
    cs_buf_t text;          /* sanitized UTF-8 with "…" where cut */
    size_t *marks;          /* 2 per highlight: [start, end) in text */
    cs_span_t *highlights;  /* per highlight: range in the source file */
    cs_box_t *boxes;        /* per highlight: its PDF box (page 0: none) */
    size_t count, cap;
    unsigned char *found;   /* per match in the set: seen in the passage */
} cs_snippet_t;

/* Build the snippet of @rec: the window of about @window_words words that
 * holds the most and rarest matches.  Returns 0 when out of memory. */
int _cs_snippet_make(cs_analyzer_t *analyzer, const cs_matchset_t *matches,
                     const cs_passage_record_t *rec, int window_words, cs_snippet_t *out);

/* How closely @prox's words stand together in @text, 0..1: for each pair
 * of consecutive query words, 1 side by side in order, 0.5 within a few
 * words; averaged over the pairs.  Returns 0 when out of memory. */
int _cs_passage_proximity(cs_analyzer_t *analyzer, const cs_proximity_t *prox,
                          const char *text, size_t len, double *out);
void _cs_snippet_free(cs_snippet_t *snippet);

/* Append @len bytes of corpus text to @out as safe UTF-8: invalid bytes
 * become U+FFFD, control characters and white space runs one space. */
void _cs_append_sanitized(cs_buf_t *out, const char *text, size_t len);

CS_END_DECLS

#endif /* CS_SEARCH_PRIVATE_H */
