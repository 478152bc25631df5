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
    _cs_buf_init(&w->field_terms);
    _cs_buf_init(&w->field_bytes);
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
    _cs_buf_free(&w->field_terms);
    _cs_buf_free(&w->field_bytes);
    free(w->values);
    w->values = NULL;
    free(w->at);
    w->at = NULL;
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
    w->err.status = CS_ERR_NOMEM;
    snprintf(w->err.message, sizeof w->err.message, "out of memory");
    return CS_ERR_NOMEM;
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
 * expand over words, and the index holds only their stems. */
static cs_status_t add_word(cs_writer_t *w, const cs_token_t *tok)
{
    int added = _cs_strset_add(&w->words, tok->term, tok->term_len);
    if (added <= 0)
        return added < 0 ? out_of_memory(w) : CS_OK;
    cs_buf_t *k = &w->word_key;
    _cs_buf_reset(k);
    _cs_buf_append_str(k, CS_META_WORD_PREFIX);
    _cs_buf_append(k, tok->term, tok->term_len);
    _cs_buf_append_char(k, ' ');
    _cs_buf_append(k, tok->stem, tok->stem_len);
    if (k->failed)
        return out_of_memory(w);
    return xc_db_set_metadata(w->db, k->data, "1", 1, &w->err);
}

/* A word of the passage: its term (an offset into w->terms until sorted,
 * then a pointer) and its position. */
struct term_at {
    size_t offset;
    const char *term;
    uint32_t position;
};

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
    w->at[w->n_at++] = (struct term_at){ w->terms.len, NULL, tok->position };
    _cs_buf_append_str(&w->terms, CS_PREFIX_STEM);
    _cs_buf_append(&w->terms, tok->stem, tok->stem_len);
    _cs_buf_append_char(&w->terms, '\0');
    if (w->terms.failed)
        pc->status = out_of_memory(w);
    if (!pc->status)
        pc->status = add_word(w, tok);
    return pc->status != CS_OK;
}

static int by_term_then_position(const void *a, const void *b)
{
    const struct term_at *x = a, *y = b;
    int c = strcmp(x->term, y->term);
    return c ? c : (x->position > y->position) - (x->position < y->position);
}

/* Each distinct term with its positions, its impact as the wdf (added with
 * the first position: a separate xc_doc_add_term costs another lookup). */
static cs_status_t add_terms(passage_ctx_t *pc)
{
    cs_writer_t *w = pc->w;
    for (size_t i = 0; i < w->n_at; i++)
        w->at[i].term = w->terms.data + w->at[i].offset;
    if (w->n_at)  /* a passage of one overlong "word" has no terms, and at is NULL */
        qsort(w->at, w->n_at, sizeof *w->at, by_term_then_position);
    cs_status_t st = CS_OK;
    for (size_t i = 0, next; i < w->n_at && !st; i = next) {
        const char *term = w->at[i].term;
        size_t len = strlen(term);
        for (next = i + 1; next < w->n_at && strcmp(w->at[next].term, term) == 0; next++)
            ;
        uint32_t impact = _cs_bm25_impact((uint32_t)(next - i), (uint32_t)w->n_at);
        for (size_t k = i; k < next && !st; k++)
            st = xc_doc_add_posting(pc->doc, term, len, w->at[k].position, k == i ? impact : 0,
                                    &w->err);
    }
    return st;
}

/* ---- metadata fields ---------------------------------------------------- */

/* A value slot of the file being indexed: field_bytes[offset, +len). */
struct field_value {
    unsigned slot;
    size_t offset, len;
};

static int add_value(cs_writer_t *w, int slot, const void *bytes, size_t len)
{
    if (w->n_values == w->cap_values) {
        size_t cap = w->cap_values ? 2 * w->cap_values : 16;
        struct field_value *grown = realloc(w->values, cap * sizeof *grown);
        if (!grown)
            return 0;
        w->values = grown;
        w->cap_values = cap;
    }
    w->values[w->n_values++] = (struct field_value){ (unsigned)slot, w->field_bytes.len, len };
    _cs_buf_append(&w->field_bytes, bytes, len);
    return !w->field_bytes.failed;
}

static int add_title_word(void *ctx, const cs_token_t *tok)
{
    cs_writer_t *w = ctx;
    _cs_buf_append_char(&w->field_terms, '\1');
    _cs_buf_append_str(&w->field_terms, CS_PREFIX_TITLE);
    _cs_buf_append(&w->field_terms, tok->stem, tok->stem_len);
    _cs_buf_append_char(&w->field_terms, '\0');
    return 0;
}

/* One field value of the file as its passages store it (fields.h). */
static int prepare_field(cs_writer_t *w, const cs_field_t *f, const char *value,
                         const char *file_key)
{
    char term[CS_FIELD_VALUE_MAX + 80];
    size_t term_len = _cs_field_term(f, value, term, sizeof term);
    if (term_len) {
        _cs_buf_append(&w->field_terms, term, term_len);
        _cs_buf_append_char(&w->field_terms, '\0');
    }
    if (f->type == CS_FIELD_WORDS)
        cs_analyzer_tokenize(w->analyzer, value, strlen(value), 1, add_title_word, w);
    double lo, hi;
    if (f->slot >= 0 && _cs_field_range(f, value, &lo, &hi)) {
        char sortable[18];
        if (!add_value(w, f->slot, sortable, xc_sortable_serialise(lo, sortable)))
            return 0;
    }
    if (f->facet_slot >= 0) {
        /* the value as shown (a country as its code), NUL, the file key */
        const char *shown = f->facet_slot == CS_SLOT_FACET_COUNTRY
                                ? _cs_country_code(value, strlen(value)) : value;
        if (!shown)
            return 1;
        char both[CS_FIELD_VALUE_MAX + 1 + CS_FILE_KEY_HEX];
        size_t len = strlen(shown);
        if (len > CS_FIELD_VALUE_MAX)
            len = CS_FIELD_VALUE_MAX;
        memcpy(both, shown, len);
        both[len] = '\0';
        memcpy(both + len + 1, file_key, CS_FILE_KEY_HEX);
        return add_value(w, f->facet_slot, both, len + 1 + CS_FILE_KEY_HEX);
    }
    return !w->field_terms.failed;
}

/* The terms and values every passage of file @f stores for its fields;
 * a date defaults to the year. */
static cs_status_t prepare_fields(cs_writer_t *w, const cs_file_facts_t *f)
{
    _cs_buf_reset(&w->field_terms);
    _cs_buf_reset(&w->field_bytes);
    w->n_values = 0;
    if (!f->fields)
        return CS_OK;
    size_t cursor = 0;
    const char *name, *value;
    int ok = 1;
    while (ok && _cs_doc_fields_next(f->fields, &cursor, &name, &value)) {
        cs_field_t field;
        if (_cs_field_lookup(w->user_fields, name, strlen(name), &field))
            ok = prepare_field(w, &field, value, f->key);
    }
    const char *year = _cs_doc_fields_get(f->fields, "year");
    cs_field_t date;
    if (ok && year && !_cs_doc_fields_get(f->fields, "date") &&
        _cs_field_lookup(NULL, "date", 4, &date))
        ok = prepare_field(w, &date, year, f->key);
    return ok && !w->field_terms.failed ? CS_OK : out_of_memory(w);
}

/* The file's field terms (each with the passage's word count as its wdf,
 * so a term's collection frequency counts the words of its value) and
 * values. */
static cs_status_t add_fields(passage_ctx_t *pc)
{
    cs_writer_t *w = pc->w;
    cs_status_t st = CS_OK;
    uint32_t words = (uint32_t)(w->n_at ? w->n_at : 1);
    for (size_t at = 0; at < w->field_terms.len && !st;) {
        const char *term = w->field_terms.data + at;
        size_t len = strlen(term);
        at += len + 1;
        if (*term == '\1')
            st = xc_doc_add_boolean_term(pc->doc, term + 1, len - 1, &w->err);
        else
            st = xc_doc_add_term(pc->doc, term, len, words, &w->err);
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

    char term[sizeof CS_PREFIX_FILE + CS_FILE_KEY_HEX];
    snprintf(term, sizeof term, "%s%s", CS_PREFIX_FILE, f->key);
    cs_span_t at = _cs_cite_span(&pc->map, t0, t1);
    _cs_buf_reset(&w->segs);
    _cs_segs_encode(&pc->map, t0, t1, &w->segs);
    const char *strs = ex->strs.data;
    cs_passage_record_t rec = {
        .root = f->root, .path = f->rel, .path_len = strlen(f->rel),
        .start = at.start, .end = at.end, .line = at.line, .col = at.col,
        .file_size = (uint64_t)f->st->st_size, .file_mtime_ns = mtime_ns(f->st),
        .file_hash = f->hash,
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
    cs_status_t st = xc_doc_add_boolean_term(pc->doc, term, strlen(term), &w->err);
    if (!st)
        st = xc_doc_set_value(pc->doc, CS_SLOT_FILE, f->key, CS_FILE_KEY_HEX, &w->err);
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
    _cs_buf_reset(&w->scratch);
    _cs_file_record_encode(&rec, &w->scratch);
    if (w->scratch.failed)
        return out_of_memory(w);
    char key[sizeof CS_META_FILE_PREFIX + CS_FILE_KEY_HEX];
    snprintf(key, sizeof key, "%s%s", CS_META_FILE_PREFIX, f->key);
    cs_status_t st = xc_db_set_metadata(w->db, key, w->scratch.data, w->scratch.len, &w->err);
    return st ? st : count_in_batch(w, 0);
}

cs_status_t _cs_writer_remove(cs_writer_t *w, const char *file_key)
{
    char term[sizeof CS_PREFIX_FILE + CS_FILE_KEY_HEX];
    char key[sizeof CS_META_FILE_PREFIX + CS_FILE_KEY_HEX];
    snprintf(term, sizeof term, "%s%s", CS_PREFIX_FILE, file_key);
    snprintf(key, sizeof key, "%s%s", CS_META_FILE_PREFIX, file_key);
    cs_status_t st = xc_db_delete_documents_by_term(w->db, term, &w->err);
    if (!st)
        st = xc_db_set_metadata(w->db, key, "", 0, &w->err);
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

cs_status_t _cs_writer_set_meta(cs_writer_t *w, const char *key, const char *value)
{
    return xc_db_set_metadata(w->db, key, value, strlen(value), &w->err);
}
