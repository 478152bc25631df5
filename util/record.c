/* record.c - reading the varint records that cs_buf_t writes. */
#include "util.h"

void _cs_reader_init(cs_reader_t *r, const void *data, size_t len)
{
    r->p = data;
    r->end = r->p + len;
    r->bad = 0;
}

uint64_t _cs_reader_varint(cs_reader_t *r)
{
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            break;
        unsigned char byte = *r->p++;
        value |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
    r->bad = 1;
    return 0;
}

const char *_cs_reader_bytes(cs_reader_t *r, size_t *len)
{
    uint64_t n = _cs_reader_varint(r);
    if (r->bad || n > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        *len = 0;
        return "";
    }
    const char *s = (const char *)r->p;
    r->p += n;
    *len = (size_t)n;
    return s;
}
