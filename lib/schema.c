/* schema.c - encoding of stored records and the schema check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

uint64_t _cs_file_key_number(const char *root, const char *rel, size_t rel_len)
{
    uint64_t h = _cs_hash64(root, strlen(root), CS_HASH_SEED);
    h = _cs_hash64("", 1, h);  /* separator: ("a","bc") != ("ab","c") */
    return _cs_hash64(rel, rel_len, h);
}

void _cs_file_key_format(uint64_t number, char out[CS_FILE_KEY_HEX + 1])
{
    snprintf(out, CS_FILE_KEY_HEX + 1, "%016llx", (unsigned long long)number);
}

void _cs_file_key(const char *root, const char *rel, char out[CS_FILE_KEY_HEX + 1])
{
    _cs_file_key_format(_cs_file_key_number(root, rel, strlen(rel)), out);
}

int _cs_file_key_parse(const char *hex, uint64_t *out)
{
    uint64_t n = 0;
    for (int i = 0; i < CS_FILE_KEY_HEX; i++) {
        char c = hex[i];
        if (c >= '0' && c <= '9')
            n = n << 4 | (uint64_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            n = n << 4 | (uint64_t)(c - 'a' + 10);
        else
            return 0;
    }
    *out = n;
    return 1;
}

/* mtimes may predate 1970: store them zig-zag encoded. */
static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

void _cs_file_record_encode(const cs_file_record_t *rec, cs_buf_t *out)
{
    _cs_buf_append_varint(out, rec->root);
    _cs_buf_append_varint(out, rec->size);
    _cs_buf_append_varint(out, zigzag(rec->mtime_ns));
    _cs_buf_append_varint(out, rec->hash);
    _cs_buf_append_varint(out, rec->passages);
    _cs_buf_append_varint(out, rec->fields_hash);
    _cs_buf_append_bytes(out, rec->path, rec->path_len);
}

int _cs_file_record_decode(const char *data, size_t len, cs_file_record_t *rec)
{
    cs_reader_t r;
    _cs_reader_init(&r, data, len);
    rec->root = (uint32_t)_cs_reader_varint(&r);
    rec->size = _cs_reader_varint(&r);
    rec->mtime_ns = unzigzag(_cs_reader_varint(&r));
    rec->hash = _cs_reader_varint(&r);
    rec->passages = (uint32_t)_cs_reader_varint(&r);
    rec->fields_hash = _cs_reader_varint(&r);
    rec->path = _cs_reader_bytes(&r, &rec->path_len);
    return !r.bad;
}

/* Schema 8: the locator's fields that most passages leave at their
 * defaults (format "text", UTF-8, no unit, label, section, anchor or
 * segments) are present only when set, as a byte of flags says: one byte
 * where schema 6 spent twelve on a passage of a text file. */
enum {
    HAS_FORMAT = 1, HAS_ENCODING = 2, HAS_UNIT_KIND = 4, HAS_UNIT = 8, HAS_LABEL = 16,
    HAS_SECTION = 32, HAS_ANCHOR = 64, HAS_SEGS = 128
};
static const char default_format[] = "text";

void _cs_passage_record_encode(const cs_passage_record_t *rec, cs_buf_t *out)
{
    unsigned flags =
        (rec->format_len != sizeof default_format - 1 ||
                 memcmp(rec->format, default_format, rec->format_len) != 0
             ? HAS_FORMAT : 0) |
        (rec->encoding != CS_ENC_UTF8 ? HAS_ENCODING : 0) |
        (rec->unit_kind_len ? HAS_UNIT_KIND : 0) | (rec->unit ? HAS_UNIT : 0) |
        (rec->label_len ? HAS_LABEL : 0) | (rec->section_len ? HAS_SECTION : 0) |
        (rec->anchor_len ? HAS_ANCHOR : 0) | (rec->segs_len ? HAS_SEGS : 0);
    _cs_buf_append_varint(out, rec->root);
    _cs_buf_append_bytes(out, rec->path, rec->path_len);
    _cs_buf_append_varint(out, rec->start);
    _cs_buf_append_varint(out, rec->end - rec->start);
    _cs_buf_append_varint(out, rec->line);
    _cs_buf_append_varint(out, rec->col);
    _cs_buf_append_char(out, (char)flags);
    if (flags & HAS_FORMAT)
        _cs_buf_append_bytes(out, rec->format, rec->format_len);
    if (flags & HAS_ENCODING)
        _cs_buf_append_varint(out, rec->encoding);
    if (flags & HAS_UNIT_KIND)
        _cs_buf_append_bytes(out, rec->unit_kind, rec->unit_kind_len);
    if (flags & HAS_UNIT)
        _cs_buf_append_varint(out, rec->unit);
    if (flags & HAS_LABEL)
        _cs_buf_append_bytes(out, rec->label, rec->label_len);
    if (flags & HAS_SECTION)
        _cs_buf_append_bytes(out, rec->section, rec->section_len);
    if (flags & HAS_ANCHOR)
        _cs_buf_append_bytes(out, rec->anchor, rec->anchor_len);
    if (flags & HAS_SEGS)
        _cs_buf_append_bytes(out, rec->segs, rec->segs_len);
    _cs_buf_append(out, rec->text, rec->text_len); /* the rest is text */
}

int _cs_passage_record_decode(const char *data, size_t len,
                              cs_passage_record_t *rec)
{
    cs_reader_t r;
    _cs_reader_init(&r, data, len);
    rec->root = (uint32_t)_cs_reader_varint(&r);
    rec->path = _cs_reader_bytes(&r, &rec->path_len);
    rec->start = _cs_reader_varint(&r);
    rec->end = rec->start + _cs_reader_varint(&r);
    rec->line = (uint32_t)_cs_reader_varint(&r);
    rec->col = (uint32_t)_cs_reader_varint(&r);
    uint64_t flags = 0;
    if (r.p < r.end)
        flags = *r.p++;
    else
        r.bad = 1;
    rec->format = default_format;
    rec->format_len = sizeof default_format - 1;
    rec->encoding = CS_ENC_UTF8;
    rec->unit = 0;
    rec->unit_kind = rec->label = rec->section = rec->anchor = rec->segs = "";
    rec->unit_kind_len = rec->label_len = rec->section_len = rec->anchor_len = rec->segs_len = 0;
    if (flags & HAS_FORMAT)
        rec->format = _cs_reader_bytes(&r, &rec->format_len);
    if (flags & HAS_ENCODING)
        rec->encoding = (uint32_t)_cs_reader_varint(&r);
    if (flags & HAS_UNIT_KIND)
        rec->unit_kind = _cs_reader_bytes(&r, &rec->unit_kind_len);
    if (flags & HAS_UNIT)
        rec->unit = (uint32_t)_cs_reader_varint(&r);
    if (flags & HAS_LABEL)
        rec->label = _cs_reader_bytes(&r, &rec->label_len);
    if (flags & HAS_SECTION)
        rec->section = _cs_reader_bytes(&r, &rec->section_len);
    if (flags & HAS_ANCHOR)
        rec->anchor = _cs_reader_bytes(&r, &rec->anchor_len);
    if (flags & HAS_SEGS)
        rec->segs = _cs_reader_bytes(&r, &rec->segs_len);
    rec->text = (const char *)r.p;
    rec->text_len = (size_t)(r.end - r.p);
    /* only a UTF-8 text file's passage is its source bytes */
    int verbatim = rec->segs_len == 0 && rec->encoding == CS_ENC_UTF8;
    return !r.bad && rec->encoding < CS_ENC_COUNT &&
           (!verbatim || rec->text_len == rec->end - rec->start);
}

int _cs_passage_cite_map(const cs_passage_record_t *rec, cs_cite_map_t *map)
{
    cs_seg_t *segs = NULL;
    size_t n = 0;
    int ok = _cs_segs_decode(rec->segs, rec->segs_len, rec->start, &segs, &n);
    _cs_cite_map_init(map, rec->text, rec->text_len, (int)rec->encoding, segs, n, rec->start,
                      rec->line, rec->col);
    map->owned = segs;
    return ok;
}
