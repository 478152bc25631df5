/* highlight.c - the set of words a query highlights. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_private.h"

void _cs_matchset_free(cs_matchset_t *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].text);
        free(set->items[i].word);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}

int _cs_matchset_put(cs_matchset_t *set, const char *text, size_t len, const char *word,
                     int ranking)
{
    for (size_t i = 0; i < set->count; i++) {
        cs_match_t *m = &set->items[i];
        if (strlen(m->text) == len &&
            memcmp(m->text, text, len) == 0) {
            m->ranking |= ranking;
            return (int)i;
        }
    }
    if (set->count == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 8;
        cs_match_t *items = realloc(set->items, cap * sizeof *items);
        if (!items)
            return -1;
        set->items = items;
        set->cap = cap;
    }
    cs_match_t *m = &set->items[set->count];
    m->text = strndup(text, len);
    m->word = strdup(word ? word : "");
    m->weight = 1.0;
    m->ranking = ranking;
    if (!m->text || !m->word) {
        free(m->text);
        free(m->word);
        return -1;
    }
    return (int)set->count++;
}

int _cs_matchset_add(cs_matchset_t *set, const char *text,
                     size_t len, const char *word, int ranking)
{
    return _cs_matchset_put(set, text, len, word, ranking) >= 0;
}

static int equals(const char *s, const char *p, size_t len)
{
    return strncmp(s, p, len) == 0 && s[len] == '\0';
}

int _cs_matchset_lookup(const cs_matchset_t *set, const cs_token_t *tok)
{
    for (size_t i = 0; i < set->count; i++)
        if (equals(set->items[i].text, tok->stem, tok->stem_len))
            return (int)i;
    return -1;
}

void _cs_matchset_weigh(cs_matchset_t *set, const xc_mset_t *mset, uint64_t docs)
{
    for (size_t i = 0; i < set->count; i++) {
        cs_match_t *m = &set->items[i];
        char term[CS_TERM_MAX * 4 + 8];
        _cs_store_stem_term(m->text, strlen(m->text), term, sizeof term);
        uint64_t freq = xc_mset_termfreq(mset, term);
        m->weight = log(1.0 + (double)(docs + 1) / (double)(freq + 1));
    }
}
