/* buf.c - growable byte buffer with sticky allocation failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void _cs_buf_init(cs_buf_t *buf)
{
    buf->data = NULL;
    buf->len = buf->cap = 0;
    buf->failed = 0;
}

void _cs_buf_free(cs_buf_t *buf)
{
    free(buf->data);
    _cs_buf_init(buf);
}

void _cs_buf_reset(cs_buf_t *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

/* Room for @extra more bytes plus the terminating NUL. */
int _cs_buf_reserve(cs_buf_t *buf, size_t extra)
{
    if (buf->failed)
        return 0;
    if (extra > SIZE_MAX / 2 - buf->len) {
        buf->failed = 1;
        return 0;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return 1;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(buf->data, cap);
    if (!data) {
        buf->failed = 1;
        return 0;
    }
    buf->data = data;
    buf->cap = cap;
    return 1;
}

void _cs_buf_append(cs_buf_t *buf, const void *data, size_t len)
{
    if (!_cs_buf_reserve(buf, len))
        return;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void _cs_buf_append_str(cs_buf_t *buf, const char *s)
{
    _cs_buf_append(buf, s, strlen(s));
}

void _cs_buf_append_char(cs_buf_t *buf, char c)
{
    _cs_buf_append(buf, &c, 1);
}

void _cs_buf_printf(cs_buf_t *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !_cs_buf_reserve(buf, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
}

void _cs_buf_append_varint(cs_buf_t *buf, uint64_t value)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = value & 0x7f;
        value >>= 7;
        tmp[n++] = byte | (value ? 0x80 : 0);
    } while (value);
    _cs_buf_append(buf, tmp, n);
}

void _cs_buf_append_bytes(cs_buf_t *buf, const void *data, size_t len)
{
    _cs_buf_append_varint(buf, len);
    _cs_buf_append(buf, data, len);
}

char *_cs_buf_steal(cs_buf_t *buf)
{
    char *data = buf->data;
    if (!data)
        data = calloc(1, 1);
    _cs_buf_init(buf);
    return data;
}
