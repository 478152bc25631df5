/* query_plain.c - plain-text queries: every blank-separated piece is a word.
 *
 * For natural-language queries (relevance test collections, text pasted
 * from documents) where quotes, parentheses and upper-case AND/OR/NOT are
 * only text.  The analyzer later drops the punctuation. */
#include <stdlib.h>
#include <string.h>

#include "query_parse.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static cs_qnode_t *word_node(const char *text, size_t len, size_t offset)
{
    cs_qnode_t *n = calloc(1, sizeof *n);
    if (!n || !(n->text = strndup(text, len))) {
        free(n);
        return NULL;
    }
    n->kind = CS_Q_WORD;
    n->offset = offset;
    return n;
}

cs_status_t cs_query_parse_plain(const char *query, cs_qnode_t **out)
{
    if (!query || !out)
        return CS_ERR_INVALID;
    *out = NULL;
    cs_qnode_t *root = calloc(1, sizeof *root);
    size_t words = 0;
    for (const char *p = query; *p; p++)
        words += !is_blank(*p) && (p == query || is_blank(p[-1]));
    if (!root || !(root->children = calloc(words ? words : 1, sizeof *root->children))) {
        free(root);
        return CS_ERR_NOMEM;
    }
    root->kind = CS_Q_AND;
    for (const char *p = query; *p;) {
        while (*p && is_blank(*p))
            p++;
        const char *start = p;
        while (*p && !is_blank(*p))
            p++;
        if (p == start)
            break;
        cs_qnode_t *w = word_node(start, (size_t)(p - start), (size_t)(start - query));
        if (!w) {
            cs_qnode_free(root);
            return CS_ERR_NOMEM;
        }
        root->children[root->n_children++] = w;
    }
    if (root->n_children == 0) {
        cs_qnode_free(root);
        return CS_ERR_BAD_QUERY;
    }
    *out = root;
    return CS_OK;
}
