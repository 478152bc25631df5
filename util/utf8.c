/* utf8.c - strict UTF-8 validation (no overlongs, surrogates or > U+10FFFF). */
#include "util.h"

size_t _cs_utf8_valid_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;          /* beyond U+10FFFF */
    } else
        return 0;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

size_t _cs_utf8_invalid_bytes(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(s + i, len - i);
        if (n == 0) {
            bad++;
            i++;
        } else
            i += n;
    }
    return bad;
}

uint32_t _cs_utf8_decode(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}
