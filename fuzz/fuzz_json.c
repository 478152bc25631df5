/* fuzz_json.c - libFuzzer target for what the CLI prints from the corpus:
 * JSON strings (cli/json.c) and safe text (util/sanitize.c).
 *
 * Any bytes are a file name or snippet.  Invariants:
 *  - cli_json_write_string() writes one valid JSON string literal (checked
 *    by a strict reader here) holding no raw control, C1 or bidi character;
 *    decoded, it gives back the input when the input is valid UTF-8
 *    without NUL, and U+FFFD for each invalid byte or NUL otherwise;
 *  - cli_json_percent_bytes() decodes back to exactly the input bytes;
 *  - _cs_buf_append_safe() gives valid UTF-8 with no control character and
 *    no newline, and leaves input that needs no escape as it was.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *cli_program = "fuzz_json";

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void put_utf8(cs_buf_t *b, uint32_t cp)
{
    char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1)
        u[0] = (char)cp;
    else {
        for (size_t i = n - 1; i > 0; i--, cp >>= 6)
            u[i] = (char)(0x80 | (cp & 0x3F));
        u[0] = (char)((0xF00 >> n) | cp);
    }
    _cs_buf_append(b, u, n);
}

/* Decode the JSON string literal @s (@len bytes) into @out; asserts that it
 * is valid and holds no raw control character. */
static void read_json_string(const char *s, size_t len, cs_buf_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    assert(len >= 2 && p[0] == '"' && p[len - 1] == '"');
    for (size_t i = 1; i < len - 1;) {
        size_t n = _cs_utf8_valid_len(p + i, len - 1 - i);
        assert(n > 0);
        uint32_t cp = _cs_utf8_decode(p + i, n);
        assert(!_cs_codepoint_is_control(cp));
        if (cp == '"')
            assert(!"unescaped quote inside the string");
        if (cp != '\\') {
            _cs_buf_append(out, p + i, n);
            i += n;
            continue;
        }
        assert(i + 1 < len - 1);
        char e = (char)p[i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (simple && e) {
            static const char to[] = "\"\\/\b\f\n\r\t";
            _cs_buf_append_char(out, to[simple - "\"\\/bfnrt"]);
            i += 2;
            continue;
        }
        assert(e == 'u' && i + 6 <= len - 1);
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
            int h = hexval(p[i + 2 + k]);
            assert(h >= 0);
            v = v << 4 | (uint32_t)h;
        }
        assert(v < 0xD800 || v > 0xDFFF);  /* we never write surrogate pairs */
        put_utf8(out, v);
        i += 6;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *printed = NULL;
    size_t printed_len = 0;
    cs_buf_t decoded, want, safe;
    _cs_buf_init(&decoded);
    _cs_buf_init(&want);
    _cs_buf_init(&safe);

    /* the JSON string */
    FILE *out = open_memstream(&printed, &printed_len);
    assert(out);
    cli_json_write_string(out, in, size);
    fclose(out);
    read_json_string(printed, printed_len, &decoded);
    const unsigned char *p = data;
    for (size_t i = 0; i < size;) {
        size_t n = _cs_utf8_valid_len(p + i, size - i);
        if (n && p[i])
            _cs_buf_append(&want, p + i, n);
        else
            _cs_buf_append(&want, "\xEF\xBF\xBD", 3);
        i += n ? n : 1;
    }
    assert(decoded.len == want.len && (!want.len || !memcmp(decoded.data, want.data, want.len)));
    free(printed);

    /* the percent-encoded bytes */
    json_object *bytes = cli_json_percent_bytes(in, size);
    assert(bytes);
    out = open_memstream(&printed, &printed_len);
    assert(out);
    fputs(cli_json_text(bytes), out);
    fclose(out);
    json_object_put(bytes);
    assert(printed_len >= 2 && printed[0] == '"' && printed[printed_len - 1] == '"');
    size_t back = 0;
    for (size_t i = 1; i < printed_len - 1; back++) {
        unsigned char c = (unsigned char)printed[i];
        assert(c > 0x20 && c < 0x7f && c != '"' && c != '\\');
        if (c == '%') {
            assert(i + 2 < printed_len - 1);
            int hi = hexval(printed[i + 1]), lo = hexval(printed[i + 2]);
            assert(hi >= 0 && lo >= 0);
            c = (unsigned char)(hi << 4 | lo);
            i += 3;
        } else {
            i++;
        }
        assert(back < size && c == p[back]);
    }
    assert(back == size);
    free(printed);

    /* safe text */
    _cs_buf_append_safe(&safe, in, size);
    assert(!safe.failed);
    const unsigned char *s = (const unsigned char *)safe.data;
    for (size_t i = 0; i < safe.len;) {
        size_t n = _cs_utf8_valid_len(s + i, safe.len - i);
        assert(n > 0 && !_cs_codepoint_is_control(_cs_utf8_decode(s + i, n)));
        i += n;
    }
    if (_cs_text_is_safe(in, size))
        assert(safe.len == size && (size == 0 || !memcmp(safe.data, in, size)));

    _cs_buf_free(&decoded);
    _cs_buf_free(&want);
    _cs_buf_free(&safe);
    return 0;
}
