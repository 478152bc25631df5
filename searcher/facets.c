/* facets.c - exact counts of field values over a whole match set.
 *
 * A passage's file slot holds its file key and its file's facet values
 * (lib/store.h).  One match spy on it (xc_count_values), run over every
 * matching passage, yields each matching file once with its passage count:
 * a value's passages are the sum over the files that have it, its files
 * their number.  The words of a value
 * (on request: a lookup per value) are its term's collection frequency:
 * the writer gives a field term the passage's word count as its wdf.
 * Spies and collection frequencies both work on remote and combined
 * databases. */
#include <stdlib.h>
#include <string.h>

#include "results.h"

typedef struct facet_run {
    cs_facet_t *facets;
    cs_strset_t *seen;          /* each facet's values, numbered as its buckets */
    const unsigned *facet_ids;  /* each facet's field's facet_slot */
    size_t n;
    int nomem;
} facet_run_t;

static cs_facet_bucket_t *new_bucket(cs_facet_t *f, const char *value, size_t len)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 32;
        cs_facet_bucket_t *grown = realloc(f->buckets, cap * sizeof *grown);
        if (!grown)
            return NULL;
        f->buckets = grown;
        f->cap = cap;
    }
    char *copy = strndup(value, len);
    if (!copy)
        return NULL;
    cs_facet_bucket_t *b = &f->buckets[f->count++];
    memset(b, 0, sizeof *b);
    b->value = b->label = copy;
    return b;
}

/* One matching file, with its @count matching passages: a file more for
 * each of its facet values.  The files come in key order, which says
 * nothing of their values, so each value finds its bucket by its number
 * in the facet's set: one bucket per value, made when it is first seen. */
static int on_file(void *ctx, size_t slot_index, const char *file, size_t len, uint64_t count)
{
    (void)slot_index;
    facet_run_t *run = ctx;
    for (size_t i = 0; i < run->n; i++) {
        cs_facet_t *f = &run->facets[i];
        const char *value;
        size_t value_len, id;
        if (!_cs_store_file_value_facet(file, len, (int)run->facet_ids[i], &value, &value_len))
            continue;
        int added = _cs_strset_intern(&run->seen[i], value, value_len, &id);
        if (added < 0 || (added && !new_bucket(f, value, value_len))) {
            run->nomem = 1;
            return 1;
        }
        f->passages += count;
        f->files++;
        f->buckets[id].passages += count;
        f->buckets[id].files++;
    }
    return 0;
}

/* Comparators for qsort_r; @field is the facet's field. */
static int by_value(const void *a, const void *b, void *field)
{
    const cs_facet_bucket_t *x = a, *y = b;
    if (((const cs_field_t *)field)->type == CS_FIELD_NUMBER) {
        long u = strtol(x->value, NULL, 10), v = strtol(y->value, NULL, 10);
        if (u != v)
            return u < v ? -1 : 1;
    }
    return strcmp(x->value, y->value);
}

static int by_count(const void *a, const void *b, void *field)
{
    const cs_facet_bucket_t *x = a, *y = b;
    if (x->passages != y->passages)
        return x->passages > y->passages ? -1 : 1;
    return by_value(a, b, field);
}

/* Sort, then fold the buckets past @limit into "other". */
static void order_and_cut(cs_facet_t *f, const cs_field_t *field, cs_facet_order_t order,
                         size_t limit)
{
    int value_order = order == CS_FACET_ORDER_VALUE ||
                      (order == CS_FACET_ORDER_DEFAULT && (field->flags & CS_FIELD_BY_VALUE));
    void *ctx = (void *)field;
    /* the limit keeps the largest buckets, shown in the requested order */
    if (limit && f->count > limit) {
        qsort_r(f->buckets, f->count, sizeof *f->buckets, by_count, ctx);
        cs_facet_bucket_t other = { .value = "other", .label = "other", .other = 1 };
        for (size_t i = limit; i < f->count; i++) {
            other.passages += f->buckets[i].passages;
            other.files += f->buckets[i].files;
            other.words += f->buckets[i].words;
            free((char *)f->buckets[i].value);
        }
        f->count = limit;
        if (value_order)
            qsort_r(f->buckets, f->count, sizeof *f->buckets, by_value, ctx);
        other.per_million = other.words ? 1e6 * (double)other.passages / (double)other.words : 0;
        f->buckets[f->count++] = other;
    } else if (f->count > 1) {
        qsort_r(f->buckets, f->count, sizeof *f->buckets, value_order ? by_value : by_count,
                ctx);
    }
}

/* The labels, and with @words the words per value. */
static cs_status_t add_words(cs_index_t *index, cs_facet_t *f, const cs_field_t *field,
                             int words)
{
    for (size_t i = 0; i < f->count; i++) {
        cs_facet_bucket_t *b = &f->buckets[i];
        char term[CS_FIELD_VALUE_MAX + 80];
        size_t len = words ? _cs_field_term(field, b->value, term, sizeof term) : 0;
        xc_error_t err;
        if (len && xc_db_collection_freq(index->db, term, &b->words, &err))
            return _cs_index_fail(index, err.status, "%s", err.message);
        b->per_million = b->words ? 1e6 * (double)b->passages / (double)b->words : 0;
        const char *name = _cs_field_is_country(field) ? _cs_country_name(b->value) : NULL;
        if (name)
            b->label = name;
    }
    return CS_OK;
}

/* Resolve the requested fields; each must facet. */
static cs_status_t resolve(cs_index_t *index, const cs_search_options_t *o, cs_field_t *fields,
                           unsigned *slots)
{
    for (size_t i = 0; i < o->n_facets; i++) {
        const char *name = o->facets[i] ? o->facets[i] : "";
        if (!_cs_field_lookup(index->user_fields, name, strlen(name), &fields[i]) ||
            fields[i].facet_slot < 0) {
            cs_buf_t names;
            _cs_buf_init(&names);
            cs_field_t f;
            size_t n;
            const cs_field_t *builtin = _cs_fields_builtin(&n);
            for (size_t k = 0; k < n; k++)
                if (builtin[k].facet_slot >= 0)
                    _cs_buf_printf(&names, "%s%s", names.len ? ", " : "", builtin[k].name);
            for (const char *u = index->user_fields; u && *u;) {
                const char *nl = strchr(u, '\n');
                size_t len = nl ? (size_t)(nl - u) : strlen(u);
                if (_cs_field_lookup(index->user_fields, u, len, &f))
                    _cs_buf_printf(&names, ", %.*s", (int)len, u);
                u += len + (nl != NULL);
            }
            cs_status_t st = _cs_index_fail(index, CS_ERR_INVALID,
                                            "cannot count '%s': facets are %s", name,
                                            names.data ? names.data : "");
            _cs_buf_free(&names);
            return st;
        }
        slots[i] = (unsigned)fields[i].facet_slot;
    }
    return CS_OK;
}

cs_status_t _cs_facets_collect(cs_index_t *index, const xc_query_t *query,
                               const cs_search_options_t *o, cs_results_t *r)
{
    size_t n = o->n_facets;
    cs_field_t *fields = calloc(n, sizeof *fields);
    unsigned *slots = calloc(n, sizeof *slots);
    cs_strset_t *seen = calloc(n, sizeof *seen);  /* all zero: empty sets */
    r->facets = calloc(n, sizeof *r->facets);
    cs_status_t st = fields && slots && seen && r->facets
                         ? CS_OK : _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
    if (!st && !o->facets)
        st = _cs_index_fail(index, CS_ERR_INVALID, "n_facets is set but facets is NULL");
    if (!st)
        st = resolve(index, o, fields, slots);
    if (!st) {
        r->n_facets = n;
        for (size_t i = 0; i < n; i++)
            r->facets[i].field = fields[i].name == fields[i].user_name
                                     ? strdup(fields[i].user_name) : strdup(fields[i].name);
        facet_run_t run = { r->facets, seen, slots, n, 0 };
        xc_error_t err;
        uint64_t matched = 0;
        unsigned file_slot = _cs_store_file_slot();
        if (xc_count_values(index->db, query, &file_slot, 1, on_file, &run, &matched, &err))
            st = _cs_index_fail(index, err.status, "%s", err.message);
        else if (run.nomem)
            st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
        r->facet_passages = matched;
    }
    for (size_t i = 0; i < n && !st; i++) {
        if (!r->facets[i].field)
            st = _cs_index_fail(index, CS_ERR_NOMEM, "out of memory");
        if (!st)
            st = add_words(index, &r->facets[i], &fields[i], o->facet_words);
        if (!st)
            order_and_cut(&r->facets[i], &fields[i], o->facet_order, o->facet_limit);
    }
    for (size_t i = 0; seen && i < n; i++)
        _cs_strset_free(&seen[i]);
    free(seen);
    free(fields);
    free(slots);
    return st;
}

/* The files follow from any facet without another pass: a file has one
 * value of a field, so a facet's files are the files of its passages with
 * a value, and each of the other passages may be a file more.  Exact once
 * a facet's field is on every matching passage (year on the UN corpus). */
void _cs_facets_counts(cs_results_t *r)
{
    uint64_t all = r->facet_passages, lower = 0, upper = all;
    for (size_t i = 0; i < r->n_facets; i++) {
        const cs_facet_t *f = &r->facets[i];
        if (f->files > lower)
            lower = f->files;
        if (f->files + (all - f->passages) < upper)
            upper = f->files + (all - f->passages);
    }
    r->passages = (cs_count_t){ all, all, all };
    r->files = (cs_count_t){ lower, lower, upper };
}

void _cs_facets_free(cs_results_t *r)
{
    for (size_t i = 0; i < r->n_facets; i++) {
        cs_facet_t *f = &r->facets[i];
        for (size_t k = 0; k < f->count; k++)
            if (!f->buckets[k].other)
                free((char *)f->buckets[k].value);
        free(f->buckets);
        free(f->field);
    }
    free(r->facets);
    r->facets = NULL;
    r->n_facets = 0;
}

size_t cs_results_facet_count(const cs_results_t *r) { return r ? r->n_facets : 0; }

const cs_facet_t *cs_results_facet(const cs_results_t *r, size_t i)
{
    return r && i < r->n_facets ? &r->facets[i] : NULL;
}

const char *cs_facet_field(const cs_facet_t *f) { return f ? f->field : ""; }
uint64_t cs_facet_passages(const cs_facet_t *f) { return f ? f->passages : 0; }
uint64_t cs_facet_files(const cs_facet_t *f) { return f ? f->files : 0; }
size_t cs_facet_bucket_count(const cs_facet_t *f) { return f ? f->count : 0; }

const cs_facet_bucket_t *cs_facet_bucket(const cs_facet_t *f, size_t i)
{
    return f && i < f->count ? &f->buckets[i] : NULL;
}
