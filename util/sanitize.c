/* sanitize.c - file names and messages made safe to print.
 *
 * A corpus is written by others: a file name may hold a newline (which
 * would forge an output line), an escape sequence (which a terminal would
 * obey), bytes that are not UTF-8, or bidi controls that reorder what a
 * reader sees.  Everything printed that comes from the corpus goes through
 * here.  A backslash is kept as it is, so that ordinary names still read
 * and paste as themselves.
 */
#include <string.h>

#include "util.h"

static const char hex[] = "0123456789abcdef";

int _cs_codepoint_is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||   /* C0, DEL, C1 */
           cp == 0x061c || cp == 0x200e || cp == 0x200f ||             /* marks */
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069); /* bidi */
}

/* The escape for the character or invalid byte at @s (@n bytes, 0 when
 * invalid) into @out (at least 7 bytes); 0 when it needs none. */
static size_t escape(const unsigned char *s, size_t n, char *out)
{
    uint32_t cp = n ? _cs_utf8_decode(s, n) : 0;
    if (n && !_cs_codepoint_is_control(cp))
        return 0;
    out[0] = '\\';
    if (n == 1 && (cp == '\n' || cp == '\t' || cp == '\r')) {
        out[1] = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
        return 2;
    }
    if (n <= 1) {  /* an invalid byte, or an ASCII control */
        out[1] = 'x';
        out[2] = hex[s[0] >> 4];
        out[3] = hex[s[0] & 15];
        return 4;
    }
    out[1] = 'u';
    for (int i = 0; i < 4; i++)
        out[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
    return 6;
}

void _cs_buf_append_safe(cs_buf_t *buf, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(s + i, len - i);
        char esc[8];
        size_t e = escape(s + i, n, esc);
        if (e)
            _cs_buf_append(buf, esc, e);
        else
            _cs_buf_append(buf, s + i, n);
        i += n ? n : 1;
    }
}

int _cs_text_is_safe(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(s + i, len - i);
        char esc[8];
        if (escape(s + i, n, esc))
            return 0;
        i += n;
    }
    return 1;
}

void _cs_fputs_safe(FILE *out, const char *text)
{
    cs_buf_t buf;
    _cs_buf_init(&buf);
    _cs_buf_append_safe(&buf, text, strlen(text));
    if (buf.failed) {  /* no memory for a copy: print what is plainly safe */
        for (const char *p = text; *p; p++)
            fputc((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ? '?' : *p, out);
    } else if (buf.len) {
        fwrite(buf.data, 1, buf.len, out);
    }
    _cs_buf_free(&buf);
}
