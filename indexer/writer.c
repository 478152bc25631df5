/* writer.c - one database's passages, records and transactions.
 *
 * A file's passages and its record always land in the same transaction, so
 * a run killed at any moment leaves each file either wholly old or wholly
 * new.  Transactions are cut every batch_limit bytes: Xapian buffers a
 * transaction in memory maps whose cost grows with their size. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passages.h"
#include "rank.h"
#include "writer.h"

#define BATCH_FILES 2000

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

cs_status_t _cs_writer_init(cs_writer_t *w, xc_db_t *db, cs_analyzer_t *analyzer,
                            size_t batch_limit)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    w->analyzer = analyzer;
    w->batch_limit = batch_limit;
    _cs_buf_init(&w->terms);
    _cs_buf_init(&w->content);
    _cs_buf_init(&w->scratch);
    _cs_buf_init(&w->segs);
    _cs_buf_init(&w->word_key);
    _cs_buf_init(&w->title_stems);
    _cs_buf_init(&w->heading_bytes);
    _cs_buf_init(&w->field_bytes);
    _cs_buf_init(&w->file_value);
    _cs_strset_init(&w->words);
    return xc_db_begin_transaction(db, &w->err);
}

cs_status_t _cs_writer_finish(cs_writer_t *w, int commit)
{
    cs_status_t st = CS_OK;
    if (w->db) {
        st = commit ? xc_db_commit_transaction(w->db, &w->err)
                    : xc_db_cancel_transaction(w->db, &w->err);
        if (!commit)
            st = CS_OK;  /* cancelling is best effort: the run failed anyway */
    }
    xc_db_free(w->db);
    cs_analyzer_free(w->analyzer);
    _cs_buf_free(&w->content);
    _cs_buf_free(&w->scratch);
    _cs_buf_free(&w->segs);
    _cs_buf_free(&w->word_key);
    _cs_strset_free(&w->words);
    _cs_buf_free(&w->terms);
    _cs_buf_free(&w->title_stems);
    _cs_buf_free(&w->heading_bytes);
    _cs_buf_free(&w->field_bytes);
    _cs_buf_free(&w->file_value);
    free(w->field_terms);
    w->field_terms = NULL;
    free(w->heading_terms);
    w->heading_terms = NULL;
    free(w->values);
    w->values = NULL;
    free(w->at);
    w->at = NULL;
    free(w->term_slots);
    w->term_slots = NULL;
    w->db = NULL;
    w->analyzer = NULL;
    return st;
}

int _cs_writer_read(cs_writer_t *w, const char *path, size_t size_hint)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    _cs_buf_reset(&w->content);
    _cs_buf_reserve(&w->content, size_hint + 1);
    for (;;) {
        if (!_cs_buf_reserve(&w->content, 65536)) {
            close(fd);
            errno = ENOMEM;
            return 0;
        }
        ssize_t n = read(fd, w->content.data + w->content.len,
                         w->content.cap - w->content.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            if (n < 0) {
                errno = e;
                return 0;
            }
            break;
        }
        w->content.len += (size_t)n;
    }
    w->content.data[w->content.len] = '\0';
    return 1;
}

static cs_status_t count_in_batch(cs_writer_t *w, size_t bytes)
{
    w->batch_bytes += bytes;
    w->batch_files++;
    if (w->batch_bytes < w->batch_limit && w->batch_files < BATCH_FILES)
        return CS_OK;
    w->batch_bytes = w->batch_files = 0;
    cs_status_t st = xc_db_commit_transaction(w->db, &w->err);
    return st ? st : xc_db_begin_transaction(w->db, &w->err);
}

static cs_status_t out_of_memory(cs_writer_t *w)
{
    return _cs_store_nomem(&w->err, NULL);
}

/* ---- passages ---------------------------------------------------------- */

typedef struct passage_ctx {
    cs_writer_t *w;
    const cs_file_facts_t *f;
    const cs_extract_t *ex;
    const char *format;
    const cs_block_t *block;
    cs_cite_map_t map;       /* over the whole extracted text */
    uint32_t count;
    xc_doc_t *doc;
    cs_status_t status;
} passage_ctx_t;

/* The vocabulary entry of a word this run has not written yet: wildcards
 * expand over words, and the index holds only their stems.  A word may
 * have two stems ("us", "US"): each pair is an entry, so the vocabulary is
 * the same however the files are split among writers and shards.  The
 * analyzer's stem cache keeps a mark with each cached word: set once
 * w->words holds the pair, it spares most tokens the look-up in that
 * large set (a cache miss or two each: 5% of a build's CPU). */
static cs_status_t add_word(cs_writer_t *w, const cs_token_t *tok)
{
    if (tok->seen && *tok->seen)
        return CS_OK;
    cs_buf_t *pair = &w->word_key;
    _cs_buf_reset(pair);
    _cs_buf_append(pair, tok->term, tok->term_len);
    _cs_buf_append_char(pair, ' ');
    _cs_buf_append(pair, tok->stem, tok->stem_len);
    int added = pair->failed ? -1 : _cs_strset_add(&w->words, pair->data, pair->len);
    if (added < 0)
        return out_of_memory(w);
    cs_status_t st = added ? _cs_store_put_word(w->db, &w->word_key, tok->term, tok->term_len,
                                                tok->stem, tok->stem_len, &w->err)
                           : CS_OK;
    if (!st && tok->seen)
        *tok->seen = 1;
    return st;
}

/* A word of the passage: its term (at offset in w->terms, @len bytes) and
 * its position; for the first word of each term, how many words have the
 * term and the last of them; @next chains them in the passage's order. */
struct term_at {
    size_t offset;
    uint32_t len, position;
    uint32_t next, last, count;
};

#define NO_NEXT UINT32_MAX

/* One term per word: "Z" + stem, with its positions, serves ranking,
 * phrases and NEAR alike.  (Xapian's TermGenerator also adds the unstemmed
 * word with the positions; leaving it out takes a quarter off the build
 * time and a fifth off the index: bench/RESULTS.md.)  The words are
 * gathered first: a term's wdf is its BM25 impact, known once the passage
 * is counted. */
static int add_token(void *ctx, const cs_token_t *tok)
{
    passage_ctx_t *pc = ctx;
    cs_writer_t *w = pc->w;
    if (w->n_at == w->cap_at) {
        size_t cap = w->cap_at ? 2 * w->cap_at : 256;
        struct term_at *at = realloc(w->at, cap * sizeof *at);
        if (!at) {
            pc->status = out_of_memory(w);
            return 1;
        }
        w->at = at;
        w->cap_at = cap;
    }
    size_t offset = w->terms.len;
    _cs_store_append_stem_term(&w->terms, tok->stem, tok->stem_len);
    w->at[w->n_at++] = (struct term_at){ .offset = offset,
                                         .len = (uint32_t)(w->terms.len - offset),
                                         .position = tok->position };
    _cs_buf_append_char(&w->terms, '\0');
    if (w->terms.failed)
        pc->status = out_of_memory(w);
    if (!pc->status)
        pc->status = add_word(w, tok);
    return pc->status != CS_OK;
}

/* Chain each word to the first word of its term (in an open-addressing
 * table at least twice the passage's size), so that each term's words are
 * found without sorting the passage.  Returns the table's size (its slots
 * in w->term_slots), or 0 when out of memory. */
static size_t group_terms(cs_writer_t *w)
{
    size_t cap = 64;
    while (cap < 2 * w->n_at)
        cap *= 2;
    if (cap > w->cap_slots) {
        uint32_t *slots = realloc(w->term_slots, cap * sizeof *slots);
        if (!slots)
            return 0;
        w->term_slots = slots;
        w->cap_slots = cap;
    }
    memset(w->term_slots, 0, cap * sizeof *w->term_slots);
    size_t mask = cap - 1;
    for (size_t i = 0; i < w->n_at; i++) {
        struct term_at *a = &w->at[i];
        const char *term = w->terms.data + a->offset;
        size_t slot = _cs_hash64(term, a->len, CS_HASH_SEED) & mask;
        for (;; slot = (slot + 1) & mask) {
            uint32_t held = w->term_slots[slot];
            if (!held) {
                w->term_slots[slot] = (uint32_t)i + 1;
                *a = (struct term_at){ a->offset, a->len, a->position, NO_NEXT, (uint32_t)i, 1 };
                break;
            }
            struct term_at *first = &w->at[held - 1];
            if (first->len == a->len && !memcmp(w->terms.data + first->offset, term, a->len)) {
                a->next = NO_NEXT;
                w->at[first->last].next = (uint32_t)i;
                first->last = (uint32_t)i;
                first->count++;
                break;
            }
        }
    }
    return cap;
}

/* Each distinct term with its positions, its impact as the wdf (added with
 * the first position: a separate xc_doc_add_term costs another lookup). */
static cs_status_t add_terms(passage_ctx_t *pc)
{
    cs_writer_t *w = pc->w;
    size_t n_slots = group_terms(w);
    if (!n_slots)
        return out_of_memory(w);
    cs_status_t st = CS_OK;
    for (size_t slot = 0; slot < n_slots && !st; slot++) {
        if (!w->term_slots[slot])
            continue;
        const struct term_at *first = &w->at[w->term_slots[slot] - 1];
        const char *term = w->terms.data + first->offset;
        uint32_t impact = _cs_bm25_impact(first->count, (uint32_t)w->n_at);
        for (uint32_t k = w->term_slots[slot] - 1; k != NO_NEXT && !st; k = w->at[k].next) {
            st = xc_doc_add_posting(pc->doc, term, first->len, w->at[k].position, impact,
                                    &w->err);
            impact = 0;
        }
    }
    return st;
}

/* ---- metadata fields ---------------------------------------------------- */

/* A field term of the file being indexed, field_bytes[offset, +len), and
 * its wdf: a title word's impact in the title (at least 1), or 0 for the
 * passage's word count. */
struct field_term {
    size_t offset, len;
    uint32_t wdf;
};

/* A value slot of the file being indexed: field_bytes[offset, +len). */
struct field_value {
    unsigned slot;
    size_t offset, len;
};

/* @items, with room for *@cap of @size bytes each, grown when item @n
 * would not fit; NULL when out of memory (@items is then kept). */
static void *make_room(void *items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return items;
    size_t grown_cap = *cap ? 2 * *cap : 16;
    void *grown = realloc(items, grown_cap * size);
    if (grown)
        *cap = grown_cap;
    return grown;
}

/* Make @bytes[@offset, end) term *@n of @terms (room for *@cap), with the
 * wdf @wdf. */
static int add_term_of(struct field_term **terms, size_t *n, size_t *cap, const cs_buf_t *bytes,
                       size_t offset, uint32_t wdf)
{
    struct field_term *room = make_room(*terms, cap, *n, sizeof *room);
    if (!room)
        return 0;
    *terms = room;
    room[(*n)++] = (struct field_term){ offset, bytes->len - offset, wdf };
    return !bytes->failed;
}

/* Make field_bytes[@offset, end) a field term with the wdf @wdf. */
static int add_field_term(cs_writer_t *w, size_t offset, uint32_t wdf)
{
    return add_term_of(&w->field_terms, &w->n_field_terms, &w->cap_field_terms,
                       &w->field_bytes, offset, wdf);
}

static int add_value(cs_writer_t *w, int slot, const void *bytes, size_t len)
{
    struct field_value *room = make_room(w->values, &w->cap_values, w->n_values, sizeof *room);
    if (!room)
        return 0;
    w->values = room;
    room[w->n_values++] = (struct field_value){ (unsigned)slot, w->field_bytes.len, len };
    _cs_buf_append(&w->field_bytes, bytes, len);
    return !w->field_bytes.failed;
}

static int add_title_word(void *ctx, const cs_token_t *tok)
{
    cs_writer_t *w = ctx;
    _cs_buf_append(&w->title_stems, tok->stem, tok->stem_len);
    _cs_buf_append_char(&w->title_stems, '\0');
    w->title_words++;
    return 0;
}

/* The words of @value, a title or a heading path, as title-field terms onto
 * @bytes and @terms (room for *@cap), each distinct stem once, weighed by
 * its BM25 impact in @value (rank.h), so that it ranks as a field of its
 * own and title:WORD still filters.  Returns 0 when out of memory. */
static int add_title_terms_to(cs_writer_t *w, const char *value, size_t value_len,
                              cs_buf_t *bytes, struct field_term **terms, size_t *n,
                              size_t *cap)
{
    _cs_buf_reset(&w->title_stems);
    w->title_words = 0;
    cs_analyzer_tokenize(w->analyzer, value, value_len, 1, add_title_word, w);
    const char *all = w->title_stems.data;
    for (size_t at = 0; at < w->title_stems.len && !w->title_stems.failed;) {
        const char *stem = all + at;
        size_t len = strlen(stem);
        int seen = 0;
        uint32_t tf = 0;
        for (size_t k = 0; k < w->title_stems.len; k += strlen(all + k) + 1) {
            int same = strcmp(all + k, stem) == 0;
            seen |= same && k < at;
            tf += (uint32_t)same;
        }
        at += len + 1;
        if (seen)
            continue;
        size_t offset = bytes->len;
        _cs_store_append_title_term(bytes, stem, len);
        if (!add_term_of(terms, n, cap, bytes, offset, _cs_rank_title_impact(tf, w->title_words)))
            return 0;
    }
    return !w->title_stems.failed;
}

static int add_title_terms(cs_writer_t *w, const char *value)
{
    return add_title_terms_to(w, value, strlen(value), &w->field_bytes, &w->field_terms,
                              &w->n_field_terms, &w->cap_field_terms);
}

/* The heading terms of a block whose section path (the open headings,
 * "A > B") is strs[@section]: computed once for a run of blocks under the
 * same headings.  Returns 0 when out of memory. */
static int prepare_headings(cs_writer_t *w, const char *strs, size_t section)
{
    if (w->heading_known && w->heading_section == section)
        return 1;
    _cs_buf_reset(&w->heading_bytes);
    w->n_heading_terms = 0;
    w->heading_known = 1;
    w->heading_section = section;
    return !section || add_title_terms_to(w, strs + section, strlen(strs + section),
                                          &w->heading_bytes, &w->heading_terms,
                                          &w->n_heading_terms, &w->cap_heading_terms);
}

/* The title-field term (a wdf of its own) among @n @terms into @data
 * that is @bytes[0, @len), or NULL. */
static const struct field_term *find_title_term(const struct field_term *terms, size_t n,
                                                const char *data, const char *bytes, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (terms[i].wdf && terms[i].len == len && memcmp(data + terms[i].offset, bytes, len) == 0)
            return &terms[i];
    return NULL;
}

/* One field value of the file as its passages store it (fields.h). */
static int prepare_field(cs_writer_t *w, const cs_field_t *f, const char *value)
{
    char term[CS_FIELD_VALUE_MAX + 80];
    size_t term_len = _cs_field_term(f, value, term, sizeof term);
    if (term_len) {
        size_t offset = w->field_bytes.len;
        _cs_buf_append(&w->field_bytes, term, term_len);
        if (!add_field_term(w, offset, 0))
            return 0;
    }
    if (f->type == CS_FIELD_WORDS && !add_title_terms(w, value))
        return 0;
    double lo, hi;
    if (f->slot >= 0 && _cs_field_range(f, value, &lo, &hi)) {
        char sortable[18];
        if (!add_value(w, f->slot, sortable, xc_sortable_serialise(lo, sortable)))
            return 0;
    }
    if (f->facet_slot >= 0) {
        /* the value as shown (a country as its code), in the file slot */
        const char *shown = _cs_field_is_country(f) ? _cs_country_code(value, strlen(value))
                                                    : value;
        if (!shown)
            return 1;
        size_t len = strlen(shown);
        _cs_store_file_value_add_facet(&w->file_value, f->facet_slot, shown,
                                       len > CS_FIELD_VALUE_MAX ? CS_FIELD_VALUE_MAX : len);
        return !w->file_value.failed;
    }
    return 1;
}

/* The terms and values every passage of file @f stores for its fields;
 * a date defaults to the year. */
static cs_status_t prepare_fields(cs_writer_t *w, const cs_file_facts_t *f)
{
    _cs_buf_reset(&w->field_bytes);
    w->n_field_terms = w->n_values = 0;
    w->heading_known = 0;   /* section offsets are the new extraction's */
    _cs_store_file_value_start(&w->file_value, f->key);
    if (!f->fields)
        return CS_OK;
    size_t cursor = 0;
    const char *name, *value;
    int ok = 1;
    while (ok && _cs_doc_fields_next(f->fields, &cursor, &name, &value)) {
        cs_field_t field;
        if (_cs_field_lookup(w->user_fields, name, strlen(name), &field))
            ok = prepare_field(w, &field, value);
    }
    const char *year = _cs_doc_fields_get(f->fields, "year");
    cs_field_t date;
    if (ok && year && !_cs_doc_fields_get(f->fields, "date") &&
        _cs_field_lookup(NULL, "date", 4, &date))
        ok = prepare_field(w, &date, year);
    return ok && !w->field_bytes.failed && !w->file_value.failed ? CS_OK : out_of_memory(w);
}

/* The file's field terms (but for the title's words, each with the
 * passage's word count as its wdf, so a term's collection frequency counts
 * the words of its value), the title field's terms of the headings over
 * the passage (a word in the title and a heading once, with the greater
 * impact), and values. */
static cs_status_t add_fields(passage_ctx_t *pc)
{
    cs_writer_t *w = pc->w;
    cs_status_t st = CS_OK;
    uint32_t words = (uint32_t)(w->n_at ? w->n_at : 1);
    for (size_t i = 0; i < w->n_field_terms && !st; i++) {
        const struct field_term *t = &w->field_terms[i];
        const char *bytes = w->field_bytes.data + t->offset;
        const struct field_term *h = t->wdf ? find_title_term(w->heading_terms,
                                                              w->n_heading_terms,
                                                              w->heading_bytes.data, bytes,
                                                              t->len)
                                            : NULL;
        uint32_t wdf = !t->wdf ? words : h && h->wdf > t->wdf ? h->wdf : t->wdf;
        st = xc_doc_add_term(pc->doc, bytes, t->len, wdf, &w->err);
    }
    for (size_t i = 0; i < w->n_heading_terms && !st; i++) {
        const struct field_term *h = &w->heading_terms[i];
        const char *bytes = w->heading_bytes.data + h->offset;
        if (!find_title_term(w->field_terms, w->n_field_terms, w->field_bytes.data, bytes,
                             h->len))   /* else counted with the title's */
            st = xc_doc_add_term(pc->doc, bytes, h->len, h->wdf, &w->err);
    }
    for (size_t i = 0; i < w->n_values && !st; i++)
        st = xc_doc_set_value(pc->doc, w->values[i].slot,
                              w->field_bytes.data + w->values[i].offset, w->values[i].len,
                              &w->err);
    return st;
}

static cs_status_t fill_document(passage_ctx_t *pc, const cs_passage_t *p)
{
    cs_writer_t *w = pc->w;
    const cs_file_facts_t *f = pc->f;
    const cs_extract_t *ex = pc->ex;
    const cs_block_t *b = pc->block;
    size_t t0 = b->t0 + p->start, t1 = b->t0 + p->end;
    const char *text = ex->text + t0;
    size_t text_len = t1 - t0;
    _cs_buf_reset(&w->terms);
    w->n_at = 0;
    cs_analyzer_tokenize(w->analyzer, text, text_len, 1, add_token, pc);
    if (!pc->status)
        pc->status = add_terms(pc);
    if (pc->status)
        return pc->status;

    cs_span_t at = _cs_cite_span(&pc->map, t0, t1);
    _cs_buf_reset(&w->segs);
    _cs_segs_encode(&pc->map, t0, t1, &w->segs);
    const char *strs = ex->strs.data;
    cs_passage_record_t rec = {
        .root = f->root, .path = f->rel, .path_len = strlen(f->rel),
        .start = at.start, .end = at.end, .line = at.line, .col = at.col,
        .format = pc->format, .format_len = strlen(pc->format),
        .encoding = (uint32_t)ex->encoding,
        .unit_kind = ex->unit_kind, .unit_kind_len = strlen(ex->unit_kind), .unit = b->unit,
        .label = strs + b->label, .label_len = strlen(strs + b->label),
        .section = strs + b->section, .section_len = strlen(strs + b->section),
        .anchor = strs + b->anchor, .anchor_len = strlen(strs + b->anchor),
        .segs = w->segs.data ? w->segs.data : "", .segs_len = w->segs.len,
        .text = text, .text_len = text_len,
    };
    if (w->segs.failed)
        return out_of_memory(w);
    _cs_buf_reset(&w->scratch);
    _cs_passage_record_encode(&rec, &w->scratch);
    if (w->scratch.failed)
        return out_of_memory(w);
    uint32_t docid;
    if (!prepare_headings(w, strs, b->section))
        return out_of_memory(w);
    cs_status_t st = _cs_store_tag_passage(pc->doc, &w->file_value, &w->err);
    if (!st)
        st = add_fields(pc);
    if (!st)
        st = xc_doc_set_data(pc->doc, w->scratch.data, w->scratch.len, &w->err);
    if (!st)
        st = xc_db_add_document(w->db, pc->doc, &docid, &w->err);
    return st;
}

static int add_passage(void *ctx, const cs_passage_t *p)
{
    passage_ctx_t *pc = ctx;
    pc->status = xc_doc_new(&pc->doc, &pc->w->err);
    if (!pc->status)
        pc->status = fill_document(pc, p);
    xc_doc_free(pc->doc);
    pc->doc = NULL;
    pc->count++;
    return pc->status != CS_OK;
}

/* ---- files ------------------------------------------------------------- */

cs_status_t _cs_writer_record(cs_writer_t *w, const cs_file_facts_t *f, uint32_t passages)
{
    cs_file_record_t rec = { f->root, (uint64_t)f->st->st_size, mtime_ns(f->st), f->hash,
                             passages, f->fields_hash, f->rel, strlen(f->rel) };
    cs_status_t st = _cs_store_put_file(w->db, f->key, &rec, &w->scratch, &w->err);
    return st ? st : count_in_batch(w, 0);
}

cs_status_t _cs_writer_remove(cs_writer_t *w, const char *file_key)
{
    cs_status_t st = _cs_store_remove_file(w->db, file_key, &w->err);
    return st ? st : count_in_batch(w, 0);
}

cs_status_t _cs_writer_index(cs_writer_t *w, const cs_file_facts_t *f, const cs_extract_t *ex,
                             const char *format, int replace, uint32_t *passages)
{
    *passages = 0;
    if (replace) {
        cs_status_t st = _cs_writer_remove(w, f->key);
        if (st)
            return st;
    }
    cs_status_t prepared = prepare_fields(w, f);
    if (prepared)
        return prepared;
    passage_ctx_t pc = { .w = w, .f = f, .ex = ex, .format = format };
    /* a text file's offset 0 may follow a byte order mark */
    _cs_cite_map_init(&pc.map, ex->text, ex->len, ex->encoding, ex->segs, ex->n_segs, ex->base,
                      1, 1 + (uint32_t)ex->base);
    for (size_t i = 0; i < ex->n_blocks && !pc.status; i++) {
        pc.block = &ex->blocks[i];
        if (cs_split_passages(ex->text + pc.block->t0, pc.block->t1 - pc.block->t0,
                              CS_PASSAGE_MAX_WORDS, add_passage, &pc) < 0)
            return out_of_memory(w);
    }
    if (pc.status)
        return pc.status;
    *passages = pc.count;
    cs_status_t st = _cs_writer_record(w, f, pc.count);
    return st ? st : count_in_batch(w, w->content.len);
}

cs_status_t _cs_writer_set_fact(cs_writer_t *w, cs_fact_t fact, const char *value)
{
    return _cs_store_set_fact(w->db, fact, value, &w->err);
}
