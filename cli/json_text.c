/* json_text.c - JSON as text: strings from corpus bytes, and lines printed
 * so that a terminal shows them and does not obey them.  Apart from the
 * result objects (json.c) so that the fuzzer links it alone. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

json_object *cli_json_string(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = _cs_utf8_valid_len(p + i, len - i);
        if (n == 0 || p[i] == 0)
            break;
        i += n;
    }
    if (i == len)
        return json_object_new_string_len(s, (int)len);
    /* invalid UTF-8 (a file name) or a NUL: JSON strings are Unicode */
    char *copy = malloc(3 * len + 1);
    if (!copy)
        return NULL;
    size_t out = 0;
    for (i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(p + i, len - i);
        if (n == 0 || p[i] == 0) {
            memcpy(copy + out, "\xEF\xBF\xBD", 3);
            out += 3;
            i++;
        } else {
            memcpy(copy + out, s + i, n);
            out += n;
            i += n;
        }
    }
    json_object *o = json_object_new_string_len(copy, (int)out);
    free(copy);
    return o;
}

/* @len bytes percent-encoded (RFC 3986: bytes outside printable ASCII, '%',
 * '"' and '\\' as %HH), from which a program gets them back exactly: the
 * path of a file whose name is not UTF-8, which a JSON string cannot hold. */
json_object *cli_json_percent_bytes(const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '%' || c == '"' || c == '\\') {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        } else {
            out[n++] = (char)c;
        }
    }
    json_object *o = json_object_new_string_len(out, (int)n);
    free(out);
    return o;
}

/* Set when an allocation failed while an object was built: json-c returns
 * NULL and says no more, and json_object_object_add() of NULL would write
 * null (a wrong answer) or, into a NULL object, abort.  Per thread: the
 * server builds replies in several. */
static _Thread_local int json_nomem;

void cli_json_add(json_object *o, const char *key, json_object *v)
{
    if (!o || !v || json_object_object_add(o, key, v) != 0) {
        json_nomem = 1;
        json_object_put(v);
    }
}

void cli_json_add_null(json_object *o, const char *key)
{
    if (!o || json_object_object_add(o, key, NULL) != 0)
        json_nomem = 1;
}

void cli_json_push(json_object *a, json_object *v)
{
    if (!a || !v || json_object_array_add(a, v) != 0) {
        json_nomem = 1;
        json_object_put(v);
    }
}

const char *cli_json_text(json_object *o)
{
    int failed = json_nomem;
    json_nomem = 0;
    return o && !failed ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                             JSON_C_TO_STRING_NOSLASHESCAPE)
                        : NULL;
}

/* Write serialized JSON @text.  A C1 or bidi control is valid in a JSON
 * string, but a terminal showing the line would obey it: it is written
 * escaped, which leaves the value the same (only a string can hold such
 * bytes). */
static void write_text(FILE *out, const char *json)
{
    const unsigned char *text = (const unsigned char *)json;
    size_t len = strlen(json);
    for (size_t i = 0; i < len;) {
        size_t n = _cs_utf8_valid_len(text + i, len - i);
        uint32_t cp = n > 1 ? _cs_utf8_decode(text + i, n) : text[i];
        if ((n > 1 && _cs_codepoint_is_control(cp)) || text[i] == 0x7f)
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(text + i, 1, n ? n : 1, out);
        i += n ? n : 1;
    }
}

int cli_json_print(FILE *out, json_object *o)
{
    const char *text = cli_json_text(o);
    if (text) {
        write_text(out, text);
        fputc('\n', out);
    }
    json_object_put(o);
    return text != NULL;
}

int cli_json_write_string(FILE *out, const char *s, size_t len)
{
    json_object *o = cli_json_string(s, len);
    const char *text = cli_json_text(o);
    write_text(out, text ? text : "\"\"");
    json_object_put(o);
    return text != NULL;
}
