/* json.c - JSON string escaping for --json output. */
#include <stdint.h>

#include "cli.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at s, or 0 (kept local: the CLI uses
 * only the public API). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n <= 1 || avail < n)
        return n <= avail ? n : 0;
    uint32_t cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void cli_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(p + i, len - i);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        unsigned char c = p[i];
        if (n == 1 && (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)) {
            switch (c) {
            case '"': fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default: fprintf(out, "\\u%04x", c); break;
            }
        } else if (n > 1 && _cs_codepoint_is_control(_cs_utf8_decode(p + i, n))) {
            /* valid JSON either way, but a terminal showing it would obey
             * a C1 or bidi control: escaped, the value is the same */
            fprintf(out, "\\u%04x", (unsigned)_cs_utf8_decode(p + i, n));
        } else {
            fwrite(p + i, 1, n, out);
        }
        i += n;
    }
    fputc('"', out);
}

void cli_json_percent_bytes(FILE *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '%' || c == '"' || c == '\\')
            fprintf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
        else
            fputc(c, out);
    }
    fputc('"', out);
}
