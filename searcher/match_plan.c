/* match_plan.c - which words of a passage made it match.
 *
 * A plan mirrors the query's positive structure: a word or wildcard is a
 * set of stems (any occurrence counts), a phrase is a sequence of such
 * sets at consecutive positions, NEAR is operands within Xapian's window,
 * and AND/OR is the union of their parts; what a NOT excludes has no
 * plan.  Highlighting a token that no part of the plan accepts would cite
 * something the query did not find: a stray "of" for "rule of law".
 */
#include <stdlib.h>
#include <string.h>

#include "search_private.h"

cs_plan_t *_cs_plan_new(cs_plan_kind_t kind)
{
    cs_plan_t *p = calloc(1, sizeof *p);
    if (p)
        p->kind = kind;
    return p;
}

void _cs_plan_free(cs_plan_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_children; i++)
        _cs_plan_free(p->children[i]);
    free(p->children);
    free(p->stems);
    free(p);
}

int _cs_plan_add_stem(cs_plan_t *p, int match)
{
    for (size_t i = 0; i < p->n_stems; i++)
        if (p->stems[i] == match)
            return 1;
    int *grown = realloc(p->stems, (p->n_stems + 1) * sizeof *grown);
    if (!grown)
        return 0;
    p->stems = grown;
    p->stems[p->n_stems++] = match;
    return 1;
}

int _cs_plan_add_child(cs_plan_t *p, cs_plan_t *child)
{
    if (!child)
        return 0;
    cs_plan_t **grown = realloc(p->children, (p->n_children + 1) * sizeof *grown);
    if (!grown) {
        _cs_plan_free(child);
        return 0;
    }
    p->children = grown;
    p->children[p->n_children++] = child;
    return 1;
}

/* ---- evaluation over a passage's tokens ------------------------------- */

/* One occurrence of a word or phrase: tokens [from, to), positions
 * [first, last]. */
typedef struct occurrence {
    size_t from, to;
    uint32_t first, last;
} occurrence_t;

typedef struct occurrences {
    occurrence_t *items;
    size_t count, cap;
    int nomem;
} occurrences_t;

static void occ_add(occurrences_t *o, size_t from, size_t to, uint32_t first, uint32_t last)
{
    if (o->count == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 16;
        occurrence_t *items = realloc(o->items, cap * sizeof *items);
        if (!items) {
            o->nomem = 1;
            return;
        }
        o->items = items;
        o->cap = cap;
    }
    o->items[o->count++] = (occurrence_t){ from, to, first, last };
}

static int accepts(const cs_plan_t *terms, int match)
{
    if (match < 0)
        return 0;
    for (size_t i = 0; i < terms->n_stems; i++)
        if (terms->stems[i] == match)
            return 1;
    return 0;
}

/* The occurrences of a word (TERMS) or phrase (PHRASE) among @toks. */
static void occurrences_of(const cs_plan_t *p, const cs_plan_token_t *toks, size_t n,
                           occurrences_t *out)
{
    if (p->kind == CS_PLAN_TERMS) {
        for (size_t i = 0; i < n; i++)
            if (accepts(p, toks[i].match))
                occ_add(out, i, i + 1, toks[i].position, toks[i].position);
        return;
    }
    size_t len = p->n_children;
    for (size_t i = 0; len && i + len <= n; i++) {
        size_t k = 0;
        while (k < len && toks[i + k].position == toks[i].position + k &&
               accepts(p->children[k], toks[i + k].match))
            k++;
        if (k == len)
            occ_add(out, i, i + len, toks[i].position, toks[i + len - 1].position);
    }
}

static void mark_range(unsigned char *marked, size_t from, size_t to)
{
    memset(marked + from, 1, to - from);
}

/* Does operand @j have an occurrence inside positions [lo, hi]? */
static int has_inside(const occurrences_t *o, uint32_t lo, uint32_t hi)
{
    for (size_t i = 0; i < o->count; i++)
        if (o->items[i].first >= lo && o->items[i].last <= hi)
            return 1;
    return 0;
}

/* Is occurrence @oc of operand @j part of a set, one occurrence per
 * operand, that fits in @window positions?  The set's lowest position is
 * the first of one of its members, so only those starts need trying. */
static int in_near_set(const occurrences_t *ops, size_t k, size_t j, const occurrence_t *oc,
                       uint32_t window)
{
    if (oc->last - oc->first >= window)
        return 0;
    for (size_t s = 0; s < k; s++) {
        for (size_t i = 0; i < ops[s].count; i++) {
            uint32_t lo = ops[s].items[i].first;
            if (lo > oc->first || oc->last - lo >= window)
                continue;
            uint32_t hi = lo + window - 1;
            size_t other = 0;
            while (other < k && (other == j || has_inside(&ops[other], lo, hi)))
                other++;
            if (other == k)
                return 1;
        }
    }
    return 0;
}

static int mark_near_operands(const cs_plan_t *p, const cs_plan_token_t *toks, size_t n,
                              unsigned char *marked)
{
    size_t k = p->n_children;
    occurrences_t *ops = calloc(k ? k : 1, sizeof *ops);
    if (!ops)
        return -1;
    int nomem = 0;
    for (size_t j = 0; j < k; j++) {
        occurrences_of(p->children[j], toks, n, &ops[j]);
        nomem |= ops[j].nomem;
    }
    int found = 0;
    for (size_t j = 0; j < k && !nomem; j++)
        for (size_t i = 0; i < ops[j].count; i++)
            if (in_near_set(ops, k, j, &ops[j].items[i], p->window)) {
                mark_range(marked, ops[j].items[i].from, ops[j].items[i].to);
                found = 1;
            }
    for (size_t j = 0; j < k; j++)
        free(ops[j].items);
    free(ops);
    return nomem ? -1 : found;
}

/* NEAR: the words and phrases themselves within the window.  Xapian 1.4
 * takes no phrase inside NEAR, so "human rights" NEAR/10 law matches where
 * the three words fit the window and the phrase stands anywhere in the
 * passage; when no set of whole operands fits, the words that fit are what
 * matched, and they are marked. */
static int mark_near(const cs_plan_t *p, const cs_plan_token_t *toks, size_t n,
                     unsigned char *marked)
{
    int found = mark_near_operands(p, toks, n, marked);
    if (found != 0)
        return found;
    cs_plan_t words = { CS_PLAN_NEAR, NULL, 0, NULL, 0, p->window };
    for (size_t i = 0; i < p->n_children; i++) {
        const cs_plan_t *c = p->children[i];
        size_t m = c->kind == CS_PLAN_PHRASE ? c->n_children : 1;
        for (size_t j = 0; j < m; j++) {
            const cs_plan_t *w = c->kind == CS_PLAN_PHRASE ? c->children[j] : c;
            cs_plan_t **grown = realloc(words.children, (words.n_children + 1) * sizeof *grown);
            if (!grown) {
                free(words.children);
                return -1;
            }
            words.children = grown;
            words.children[words.n_children++] = (cs_plan_t *)w;
        }
    }
    found = words.n_children > p->n_children ? mark_near_operands(&words, toks, n, marked) : 0;
    free(words.children);   /* borrowed children */
    return found;
}

int _cs_plan_mark(const cs_plan_t *p, const cs_plan_token_t *toks, size_t n,
                  unsigned char *marked)
{
    if (!p)
        return 0;
    switch (p->kind) {
    case CS_PLAN_TERMS:
    case CS_PLAN_PHRASE: {
        occurrences_t o = { 0 };
        occurrences_of(p, toks, n, &o);
        for (size_t i = 0; i < o.count; i++)
            mark_range(marked, o.items[i].from, o.items[i].to);
        free(o.items);
        return o.nomem ? -1 : o.count > 0;
    }
    case CS_PLAN_NEAR:
        return mark_near(p, toks, n, marked);
    case CS_PLAN_GROUP: {
        int found = 0;
        for (size_t i = 0; i < p->n_children; i++) {
            int r = _cs_plan_mark(p->children[i], toks, n, marked);
            if (r < 0)
                return -1;
            found |= r;
        }
        return found;
    }
    }
    return 0;
}
