/* text.c - plain text in UTF-8 (with or without a BOM), UTF-16 with a BOM,
 * or, when it is not UTF-8, Windows-1252: the identity extractor for UTF-8,
 * iconv for the others.  Decoding keeps one character per source character
 * (an undecodable one becomes U+FFFD), so lib/cite.c finds each character's
 * source bytes from the encoding alone. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"

/* A file with more invalid UTF-8 than this fraction is not text. */
#define MAX_INVALID_FRACTION 0.10

static int is_utf16_bom(const unsigned char *h, size_t n)
{
    return n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF));
}

int _cs_text_sniff(const unsigned char *head, size_t len, const char *ext)
{
    return is_utf16_bom(head, len) || !memchr(head, '\0', len);
}

cs_status_t _cs_decode(const char *data, size_t len, int enc, cs_buf_t *out, char *why,
                       size_t why_size)
{
    iconv_t cd = iconv_open("UTF-8", _cs_encoding_name(enc));
    if (cd == (iconv_t)-1) {
        snprintf(why, why_size, "cannot decode %s: %s", _cs_encoding_name(enc), strerror(errno));
        return CS_ERR_INVALID;
    }
    size_t unit = enc == CS_ENC_CP1252 ? 1 : 2;
    char *in = (char *)data;
    size_t left = len;
    while (left && !out->failed) {
        if (!_cs_buf_reserve(out, 4 * left + 16))
            break;
        char *to = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &left, &to, &room);
        out->len = (size_t)(to - out->data);
        if (r == (size_t)-1 && errno != E2BIG) {
            /* EILSEQ, or a truncated last character; an odd last byte of
             * UTF-16 is no character at all (and U+FFFD would cite two) */
            if (left >= unit)
                _cs_buf_append(out, "\xEF\xBF\xBD", 3);
            size_t skip = left < unit ? left : unit;
            in += skip;
            left -= skip;
        }
    }
    iconv_close(cd);
    if (out->data)
        out->data[out->len] = '\0';
    return out->failed || left ? CS_ERR_NOMEM : CS_OK;
}

/* Decode @len bytes of @enc into x's text. */
static cs_status_t decode(const char *data, size_t len, int enc, cs_extract_t *x)
{
    cs_status_t st = _cs_decode(data, len, enc, &x->owned, x->why, sizeof x->why);
    x->nomem |= st == CS_ERR_NOMEM;
    if (st == CS_ERR_INVALID)
        return st;
    x->text = x->owned.data ? x->owned.data : "";
    x->len = x->owned.len;
    x->encoding = enc;
    return _cs_extract_status(x);
}

/* Valid multi-byte UTF-8 characters of @s: evidence that the file is UTF-8
 * despite some invalid bytes (_cs_is_legacy_8bit). */
static size_t multibyte_chars(const unsigned char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len;) {
        size_t n = s[i] < 0x80 ? 1 : _cs_utf8_valid_len(s + i, len - i);
        count += n > 1;
        i += n ? n : 1;
    }
    return count;
}

int _cs_is_legacy_8bit(const char *s, size_t len)
{
    size_t invalid = _cs_utf8_invalid_bytes(s, len);
    return invalid && multibyte_chars((const unsigned char *)s, len) < invalid;
}

cs_status_t _cs_text_extract(const char *data, size_t len, cs_extract_t *x)
{
    const unsigned char *s = (const unsigned char *)data;
    cs_status_t st = CS_OK;
    if (is_utf16_bom(s, len)) {
        x->base = 2;
        st = decode(data + 2, len - 2, s[0] == 0xFF ? CS_ENC_UTF16LE : CS_ENC_UTF16BE, x);
    } else if (memchr(data, '\0', len)) {
        return _cs_extract_skip(x, "it holds NUL bytes (binary?)");
    } else {
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            x->base = 3;
        const char *text = data + x->base;
        size_t n = len - (size_t)x->base;
        size_t invalid = _cs_utf8_invalid_bytes(text, n);
        if (!x->base && _cs_is_legacy_8bit(text, n)) {
            st = decode(text, n, CS_ENC_CP1252, x);  /* an old Western file */
        } else if ((double)invalid > MAX_INVALID_FRACTION * (double)n) {
            return _cs_extract_skip(x, "it is mostly not valid UTF-8");
        } else {
            x->text = text;  /* the identity: passages are the file's bytes */
            x->len = n;
        }
    }
    if (!st)
        _cs_extract_block(x, 0, 0, 0, 0, 0);
    return st;
}
