/* store.c - the storage layer (store.h): metadata, terms and slots, read
 * shard by shard where Xapian would read the first shard only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

cs_status_t _cs_store_nomem(xc_error_t *err, const char *what)
{
    if (err) {
        err->status = CS_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory%s%s", what ? " " : "",
                 what ? what : "");
    }
    return CS_ERR_NOMEM;
}

static const char *const fact_keys[] = {
    [CS_FACT_SCHEMA] = CS_META_SCHEMA,     [CS_FACT_LANGUAGE] = CS_META_LANGUAGE,
    [CS_FACT_ROOTS] = CS_META_ROOTS,       [CS_FACT_FIELDS] = CS_META_FIELDS,
    [CS_FACT_SHARDS] = CS_META_SHARDS,     [CS_FACT_SHARD] = CS_META_SHARD,
    [CS_FACT_LAST_RUN] = CS_META_LAST_RUN,
};

cs_status_t _cs_store_get_fact(xc_db_t *db, cs_fact_t fact, char **value, size_t *len,
                               xc_error_t *err)
{
    *value = NULL;
    size_t n = fact == CS_FACT_LAST_RUN ? xc_db_shard_count(db) : 1;
    size_t best_len = 0;
    for (size_t i = 0; i < n; i++) {
        char *v = NULL;
        size_t v_len = 0;
        xc_db_t *shard = n == 1 ? db : xc_db_shard(db, i);
        cs_status_t st = xc_db_get_metadata(shard, fact_keys[fact], &v, &v_len, err);
        if (st) {
            free(*value);
            *value = NULL;
            return st;
        }
        /* summaries begin with their ISO 8601 time: the greatest is the latest */
        if (!*value || strcmp(v, *value) > 0) {
            free(*value);
            *value = v;
            best_len = v_len;
        } else {
            free(v);
        }
    }
    if (len)
        *len = best_len;
    return CS_OK;
}

cs_status_t _cs_store_set_fact(xc_db_t *db, cs_fact_t fact, const char *value, xc_error_t *err)
{
    char *now = NULL;
    size_t len = 0;
    cs_status_t st = xc_db_get_metadata(db, fact_keys[fact], &now, &len, err);
    int same = !st && len == strlen(value) && memcmp(now, value, len) == 0;
    free(now);
    if (st || same)
        return st;
    return xc_db_set_metadata(db, fact_keys[fact], value, strlen(value), err);
}

/* The facts that tell one index's shards from another's: a stub that
 * combines shards of different indexes would be read by the first one's
 * language and roots, so hits of the others would cite the wrong files.
 * (Two, as each is a round trip to a remote shard.) */
static const cs_fact_t index_facts[] = { CS_FACT_LANGUAGE, CS_FACT_ROOTS };
static const char *const index_fact_names[] = { "language", "roots" };

static void lines_joined(char *s)
{
    for (char *nl = strchr(s, '\n'); nl; nl = strchr(nl, '\n'))
        *nl = nl[1] ? ';' : '\0';
}

/* CS_OK unless the named shards, each at its recorded place among the
 * index's @count, leave one out: a search would then answer for part of the
 * corpus, with counts to match, and say nothing.  Shards of an index made
 * before places were recorded (@places[i] < 0) are not judged. */
static cs_status_t check_every_shard(xc_db_t *db, const long *places, size_t n, long count,
                                     char **errmsg)
{
    if (count <= 0 || count > CS_MAX_SHARDS)
        return CS_OK;
    int seen[CS_MAX_SHARDS] = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (places[i] < 0)
            return CS_OK;
        if (places[i] < count)
            seen[places[i]] = 1;
    }
    for (long k = 0; k < count; k++)
        if (!seen[k]) {
            _cs_set_message(errmsg,
                            "%s is %zu of the %ld shards of its index, without shard %ld "
                            "(shard-%ld in the index's folder): a search would answer for "
                            "part of the corpus; search the whole index (its folder, or a "
                            "stub naming every shard)", xc_db_name(db), n, count, k, k);
            return CS_ERR_OPENING;
        }
    return CS_OK;
}

/* CS_OK when every shard of @db with documents or a schema records what its
 * first shard does, and all of its index's shards are named; else
 * CS_ERR_OPENING naming what is wrong. */
static cs_status_t check_one_index(xc_db_t *db, char **errmsg)
{
    size_t n = xc_db_shard_count(db);
    xc_error_t err;
    cs_status_t st = CS_OK;
    char *first[sizeof index_facts / sizeof *index_facts] = { NULL };
    size_t n_facts = sizeof index_facts / sizeof *index_facts;
    int have_first = 0;
    xc_db_t *first_shard = NULL;
    long count = -1, *places = calloc(n, sizeof *places);
    if (!places) {
        _cs_set_message(errmsg, "out of memory");
        return CS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && !st; i++) {
        xc_db_t *shard = xc_db_shard(db, i);
        char *value[sizeof index_facts / sizeof *index_facts] = { NULL }, *place = NULL;
        uint64_t docs = 0;
        for (size_t f = 0; f < n_facts && !st; f++)
            st = _cs_store_get_fact(shard, index_facts[f], &value[f], NULL, &err);
        if (!st)
            st = _cs_store_get_fact(shard, CS_FACT_SHARD, &place, NULL, &err);
        if (!st)
            st = xc_db_doccount(shard, &docs, &err);
        if (st)
            _cs_set_message(errmsg, "%s: %s", xc_db_name(shard), err.message);
        int empty = !st && docs == 0 && !*value[1];   /* a shard yet unwritten */
        places[i] = place && *place ? strtol(place, NULL, 10) : -1;
        free(place);
        for (size_t f = 0; f < n_facts && !st && !empty && have_first; f++)
            if (strcmp(value[f], first[f]) != 0) {
                lines_joined(value[f]);
                lines_joined(first[f]);
                _cs_set_message(errmsg,
                                "%s and %s are shards of different indexes (%s \"%s\" "
                                "and \"%s\"): a stub may combine only one index's "
                                "shards; search each index on its own",
                                xc_db_name(first_shard), xc_db_name(shard),
                                index_fact_names[f], first[f], value[f]);
                st = CS_ERR_OPENING;
            }
        int keep = !st && !empty && !have_first;
        if (keep) {
            char *recorded = NULL;
            st = _cs_store_get_fact(shard, CS_FACT_SHARDS, &recorded, NULL, &err);
            if (st)
                _cs_set_message(errmsg, "%s: %s", xc_db_name(shard), err.message);
            count = !st && *recorded ? strtol(recorded, NULL, 10) : -1;
            free(recorded);
        }
        for (size_t f = 0; f < n_facts; f++) {
            if (keep) {
                first[f] = value[f];
                value[f] = NULL;
            }
            free(value[f]);
        }
        have_first |= keep;
        first_shard = keep ? shard : first_shard;
    }
    if (!st)
        st = check_every_shard(db, places, n, count, errmsg);
    for (size_t f = 0; f < n_facts; f++)
        free(first[f]);
    free(places);
    return st;
}

cs_status_t _cs_schema_read(xc_db_t *db, int *is_new, char **language,
                            char **roots, char **errmsg)
{
    xc_error_t err;
    char *schema = NULL;
    size_t len;
    uint64_t docs = 0;
    *language = *roots = NULL;
    if (_cs_store_get_fact(db, CS_FACT_SCHEMA, &schema, &len, &err) ||
        xc_db_doccount(db, &docs, &err)) {
        free(schema);
        _cs_set_message(errmsg, "%s", err.message);
        return err.status;
    }
    *is_new = len == 0 && docs == 0;
    if (!*is_new && (len == 0 || atoi(schema) != CS_SCHEMA_VERSION)) {
        _cs_set_message(errmsg,
                        "the index has schema version %s but this cybersearch "
                        "reads version %d: rebuild it with `cybersearch index --rebuild`",
                        len ? schema : "(none)", CS_SCHEMA_VERSION);
        free(schema);
        return CS_ERR_VERSION;
    }
    free(schema);
    if (!*is_new) {
        cs_status_t st = check_one_index(db, errmsg);
        if (st)
            return st;
    }
    if (_cs_store_get_fact(db, CS_FACT_LANGUAGE, language, &len, &err) ||
        _cs_store_get_fact(db, CS_FACT_ROOTS, roots, &len, &err)) {
        free(*language);
        *language = NULL;
        _cs_set_message(errmsg, "%s", err.message);
        return err.status;
    }
    return CS_OK;
}

size_t _cs_store_shard_of(const char *key, size_t n)
{
    /* the key's low 48 bits: already a hash, and the same on every machine */
    return n <= 1 ? 0 : (size_t)(strtoull(key + CS_FILE_KEY_HEX - 12, NULL, 16) % n);
}

/* ---- terms and slots ------------------------------------------------------ */

static size_t prefixed_term(const char *prefix, const char *stem, size_t len, char *out,
                            size_t size)
{
    int n = snprintf(out, size, "%s%.*s", prefix, (int)len, stem);
    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

static void append_prefixed_term(cs_buf_t *b, const char *prefix, const char *stem, size_t len)
{
    _cs_buf_append_str(b, prefix);
    _cs_buf_append(b, stem, len);
}

static const char *stem_after_prefix(const char *term, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(term, prefix, n) == 0 ? term + n : NULL;
}

size_t _cs_store_stem_term(const char *stem, size_t len, char *out, size_t size)
{
    return prefixed_term(CS_PREFIX_STEM, stem, len, out, size);
}

void _cs_store_append_stem_term(cs_buf_t *b, const char *stem, size_t len)
{
    append_prefixed_term(b, CS_PREFIX_STEM, stem, len);
}

size_t _cs_store_title_term(const char *stem, size_t len, char *out, size_t size)
{
    return prefixed_term(CS_PREFIX_TITLE, stem, len, out, size);
}

const char *_cs_store_title_stem_of_term(const char *term)
{
    return stem_after_prefix(term, CS_PREFIX_TITLE);
}

void _cs_store_append_title_term(cs_buf_t *b, const char *stem, size_t len)
{
    append_prefixed_term(b, CS_PREFIX_TITLE, stem, len);
}

const char *_cs_store_stem_prefix(void)
{
    return CS_PREFIX_STEM;
}

/* Stems are lower-case words or upper-case acronyms: no other prefix is a
 * single capital followed by a stem's first byte, so the prefix alone
 * tells a stem term (lib/schema.h). */
const char *_cs_store_stem_of_term(const char *term)
{
    return stem_after_prefix(term, CS_PREFIX_STEM);
}

/* The file term (schema 8): "XF" + the key's 64 bits as 11 digits of 64,
 * where schema 6 spelt its 16 hex digits: a file's passages each hold it
 * in their termlist. */
static void file_term_of(uint64_t key, char out[CS_STORE_FILE_TERM_SIZE])
{
    static const char digit[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    _Static_assert(sizeof CS_PREFIX_FILE - 1 + 11 + 1 == CS_STORE_FILE_TERM_SIZE,
                   "CS_STORE_FILE_TERM_SIZE");
    char *p = out + sizeof CS_PREFIX_FILE - 1;
    memcpy(out, CS_PREFIX_FILE, sizeof CS_PREFIX_FILE - 1);
    for (int i = 10; i >= 0; i--, key >>= 6)
        p[i] = digit[key & 63];
    p[11] = '\0';
}

void _cs_store_file_term(const char *key, char out[CS_STORE_FILE_TERM_SIZE])
{
    uint64_t n;
    if (_cs_file_key_parse(key, &n))
        file_term_of(n, out);
    else
        snprintf(out, CS_STORE_FILE_TERM_SIZE, "%s!", CS_PREFIX_FILE); /* no file's */
}

const char *_cs_store_no_passage_term(void)
{
    return CS_PREFIX_FILE "-no-such-file-";
}

unsigned _cs_store_file_slot(void)
{
    return CS_SLOT_FILE;
}

/* The file slot (schema 8): the file key's 64 bits in FILE_SLOT_KEY bytes,
 * most significant first, then per facet value of the file its facet's
 * number as a byte, the value and a NUL.  Schema 6 held the key's 16 hex
 * digits alone, and each facet value in a slot of its own, each with
 * another copy of the key. */
#define FILE_SLOT_KEY 8
_Static_assert(CS_SLOT_USER + CS_MAX_USER_FIELDS <= 255, "a facet's number is one byte");

void _cs_store_file_value_start(cs_buf_t *b, const char *key)
{
    _cs_buf_reset(b);
    uint64_t n = 0;
    _cs_file_key_parse(key, &n);  /* every key is well-formed (update.c) */
    unsigned char bytes[FILE_SLOT_KEY];
    for (int i = FILE_SLOT_KEY - 1; i >= 0; i--, n >>= 8)
        bytes[i] = (unsigned char)(n & 0xff);
    _cs_buf_append(b, bytes, sizeof bytes);
}

void _cs_store_file_value_add_facet(cs_buf_t *b, int facet, const char *value, size_t len)
{
    _cs_buf_append_char(b, (char)(unsigned char)facet);
    _cs_buf_append(b, value, len);
    _cs_buf_append_char(b, '\0');
}

int _cs_store_file_value_key(const char *value, size_t len, uint64_t *key)
{
    *key = 0;
    if (len < FILE_SLOT_KEY)
        return 0;
    for (int i = 0; i < FILE_SLOT_KEY; i++)
        *key = *key << 8 | (unsigned char)value[i];
    return 1;
}

int _cs_store_file_value_facet(const char *value, size_t len, int facet, const char **out,
                               size_t *out_len)
{
    if (len < FILE_SLOT_KEY)
        return 0;
    const char *p = value + FILE_SLOT_KEY, *end = value + len;
    while (end - p >= 2) {
        const char *nul = memchr(p + 1, '\0', (size_t)(end - p - 1));
        if (!nul)
            return 0;
        if ((unsigned char)*p == (unsigned)facet) {
            *out = p + 1;
            *out_len = (size_t)(nul - p - 1);
            return 1;
        }
        p = nul + 1;
    }
    return 0;
}

cs_status_t _cs_store_tag_passage(xc_doc_t *doc, const cs_buf_t *file_value, xc_error_t *err)
{
    uint64_t key;
    if (file_value->failed || !_cs_store_file_value_key(file_value->data, file_value->len, &key))
        return _cs_store_nomem(err, NULL);
    char term[CS_STORE_FILE_TERM_SIZE];
    file_term_of(key, term);
    cs_status_t st = xc_doc_add_boolean_term(doc, term, strlen(term), err);
    return st ? st : xc_doc_set_value(doc, CS_SLOT_FILE, file_value->data, file_value->len, err);
}

/* ---- files ---------------------------------------------------------------- */

#define FILE_META_SIZE (sizeof CS_META_FILE_PREFIX + CS_FILE_KEY_HEX)

static void file_meta_key(const char *key, char out[FILE_META_SIZE])
{
    snprintf(out, FILE_META_SIZE, "%s%.*s", CS_META_FILE_PREFIX, CS_FILE_KEY_HEX, key);
}

cs_status_t _cs_store_put_file(xc_db_t *db, const char *key, const cs_file_record_t *rec,
                               cs_buf_t *scratch, xc_error_t *err)
{
    _cs_buf_reset(scratch);
    _cs_file_record_encode(rec, scratch);
    if (scratch->failed)
        return _cs_store_nomem(err, NULL);
    char meta[FILE_META_SIZE];
    file_meta_key(key, meta);
    return xc_db_set_metadata(db, meta, scratch->data, scratch->len, err);
}

cs_status_t _cs_store_remove_file(xc_db_t *db, const char *key, xc_error_t *err)
{
    char term[CS_STORE_FILE_TERM_SIZE], meta[FILE_META_SIZE];
    _cs_store_file_term(key, term);
    file_meta_key(key, meta);
    cs_status_t st = xc_db_delete_documents_by_term(db, term, err);
    return st ? st : xc_db_set_metadata(db, meta, "", 0, err);
}

cs_status_t _cs_store_get_file(xc_db_t *db, const char *key, char **value,
                               cs_file_record_t *rec, int *found, xc_error_t *err)
{
    char meta[FILE_META_SIZE];
    file_meta_key(key, meta);
    *value = NULL;
    *found = 0;
    size_t n = xc_db_shard_count(db);
    for (size_t i = 0; i < n && !*found; i++) {
        size_t len = 0;
        free(*value);
        *value = NULL;
        cs_status_t st = xc_db_get_metadata(xc_db_shard(db, i), meta, value, &len, err);
        if (st)
            return st;
        *found = len && _cs_file_record_decode(*value, len, rec);
    }
    return CS_OK;
}

/* Call @fn for each metadata key of @shard that starts with @prefix (the
 * whole key, NUL-terminated, valid during the call); stops at a non-zero
 * return. */
static cs_status_t each_key(xc_db_t *shard, const char *prefix,
                            int (*fn)(void *ctx, xc_db_t *shard, const char *key, size_t len),
                            void *ctx, xc_error_t *err)
{
    xc_keys_t *keys;
    cs_status_t st = xc_db_metadata_keys(shard, prefix, &keys, err);
    if (st)
        return st;
    size_t len;
    const char *key;
    int stop = 0;
    while (!stop && (key = xc_keys_next(keys, &len)))
        stop = fn(ctx, shard, key, len);
    if (!stop)
        st = xc_keys_status(keys, err);  /* the end, or a failure? */
    xc_keys_free(keys);
    return st;
}

typedef struct file_walk {
    cs_store_file_fn fn;
    void *ctx;
    xc_error_t *err;
    cs_status_t status;
    int stopped;
} file_walk_t;

static int visit_file(void *ctx, xc_db_t *shard, const char *meta, size_t len)
{
    file_walk_t *w = ctx;
    if (len != FILE_META_SIZE - 1)
        return 0;
    char *value = NULL;
    size_t value_len = 0;
    cs_file_record_t rec;
    w->status = xc_db_get_metadata(shard, meta, &value, &value_len, w->err);
    if (!w->status && value_len && _cs_file_record_decode(value, value_len, &rec))
        w->stopped = w->fn(w->ctx, meta + sizeof CS_META_FILE_PREFIX - 1, &rec);
    free(value);
    return w->status || w->stopped;
}

cs_status_t _cs_store_each_file(xc_db_t *db, cs_store_file_fn fn, void *ctx, xc_error_t *err)
{
    file_walk_t w = { fn, ctx, err, CS_OK, 0 };
    size_t n = xc_db_shard_count(db);
    for (size_t i = 0; i < n && !w.status && !w.stopped; i++) {
        cs_status_t st = each_key(xc_db_shard(db, i), CS_META_FILE_PREFIX, visit_file, &w, err);
        if (st && !w.status)
            w.status = st;
    }
    return w.status;
}

static int count_one(void *ctx, const char *key, const cs_file_record_t *rec)
{
    (void)key;
    (void)rec;
    ++*(uint64_t *)ctx;
    return 0;
}

cs_status_t _cs_store_count_files(xc_db_t *db, uint64_t *count, xc_error_t *err)
{
    *count = 0;
    return _cs_store_each_file(db, count_one, count, err);
}

/* ---- the vocabulary --------------------------------------------------------- */

/* An entry: "word:" + word + " " + stem, with the value "1". */
cs_status_t _cs_store_put_word(xc_db_t *db, cs_buf_t *key, const char *word, size_t len,
                               const char *stem, size_t stem_len, xc_error_t *err)
{
    _cs_buf_reset(key);
    _cs_buf_append_str(key, CS_META_WORD_PREFIX);
    _cs_buf_append(key, word, len);
    _cs_buf_append_char(key, ' ');
    _cs_buf_append(key, stem, stem_len);
    if (key->failed)
        return _cs_store_nomem(err, NULL);
    return xc_db_set_metadata(db, key->data, "1", 1, err);
}

/* Calling fn with each entry's stem, or (fn NULL) counting the entries. */
typedef struct word_walk {
    cs_store_word_fn fn;
    void *ctx;
    cs_strset_t *distinct;   /* counting several shards: the entries seen, as
                                the same one may be in several */
    uint64_t count;
    int nomem;
} word_walk_t;

static int visit_word(void *ctx, xc_db_t *shard, const char *key, size_t len)
{
    (void)shard;
    word_walk_t *w = ctx;
    const char *entry = key + sizeof CS_META_WORD_PREFIX - 1;
    len -= sizeof CS_META_WORD_PREFIX - 1;
    const char *space = memchr(entry, ' ', len);
    if (!space)
        return 0;  /* not an entry this version writes */
    if (w->fn)
        return w->fn(w->ctx, space + 1, len - (size_t)(space + 1 - entry));
    int added = w->distinct ? _cs_strset_add(w->distinct, entry, len) : 1;
    w->nomem = added < 0;
    w->count += added > 0;
    return w->nomem;
}

static cs_status_t walk_words(xc_db_t *db, const char *prefix, word_walk_t *w, xc_error_t *err)
{
    cs_buf_t key;
    _cs_buf_init(&key);
    _cs_buf_append_str(&key, CS_META_WORD_PREFIX);
    _cs_buf_append_str(&key, prefix);
    cs_status_t st = CS_OK;
    if (key.failed) {
        _cs_buf_free(&key);
        return _cs_store_nomem(err, NULL);
    }
    size_t n = xc_db_shard_count(db);
    for (size_t i = 0; i < n && !st; i++)
        st = each_key(xc_db_shard(db, i), key.data, visit_word, w, err);
    _cs_buf_free(&key);
    return st;
}

cs_status_t _cs_store_each_word(xc_db_t *db, const char *prefix, cs_store_word_fn fn, void *ctx,
                                xc_error_t *err)
{
    word_walk_t w = { .fn = fn, .ctx = ctx };
    return walk_words(db, prefix, &w, err);
}

cs_status_t _cs_store_count_words(xc_db_t *db, uint64_t *count, xc_error_t *err)
{
    cs_strset_t seen;
    _cs_strset_init(&seen);
    word_walk_t w = { .distinct = xc_db_shard_count(db) > 1 ? &seen : NULL };
    cs_status_t st = walk_words(db, "", &w, err);
    if (!st && w.nomem)
        st = _cs_store_nomem(err, "counting the words");
    *count = w.count;
    _cs_strset_free(&seen);
    return st;
}
