/* fields.c - the field registry (see fields.h) and a document's values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer.h"
#include "fields.h"
#include "schema.h"  /* prefixes and slots */

/* ---- countries ------------------------------------------------------------ */

typedef struct country {
    const char *code, *name, *aliases;  /* aliases: '|'-separated */
} country_t;

/* Generated from countries.tsv by the Makefile: { code, name, aliases }. */
static const country_t countries[] = {
#include "countries.inc"
};

static int name_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a_len == b_len && strncasecmp(a, b, a_len) == 0;
}

/* The row of @code (upper case), by binary search: countries.tsv is in
 * byte order of the codes (a longer code that @code begins sorts after). */
static const country_t *country_by_code(const char *code, size_t len)
{
    size_t lo = 0, hi = sizeof countries / sizeof *countries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(countries[mid].code, code, len);
        if (c == 0 && countries[mid].code[len] == '\0')
            return &countries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *_cs_country_code(const char *name, size_t len)
{
    size_t n = sizeof countries / sizeof *countries;
    char upper[4];
    for (size_t i = 0; i < len && len <= 3; i++)
        upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
    const country_t *by_code = len >= 2 && len <= 3 ? country_by_code(upper, len) : NULL;
    if (by_code)
        return by_code->code;
    for (size_t i = 0; i < n; i++) {
        if (name_equal(name, len, countries[i].name, strlen(countries[i].name)))
            return countries[i].code;
        for (const char *a = countries[i].aliases; *a;) {
            const char *bar = strchr(a, '|');
            size_t a_len = bar ? (size_t)(bar - a) : strlen(a);
            if (name_equal(name, len, a, a_len))
                return countries[i].code;
            a += a_len + (bar != NULL);
        }
    }
    return NULL;
}

const char *_cs_country_name(const char *code)
{
    const country_t *c = country_by_code(code, strlen(code));
    return c ? c->name : NULL;
}

/* ---- what paths say ------------------------------------------------------- */

int _cs_path_year(const char *path, size_t len)
{
    int year = 0;
    for (size_t i = 0; i < len; i++) {
        if (path[i] < '0' || path[i] > '9')
            continue;
        size_t j = i;
        while (j < len && path[j] >= '0' && path[j] <= '9')
            j++;
        if (j - i == 4 && path[i] >= '1' && path[i] <= '2')
            year = (int)strtol(path + i, NULL, 10);
        i = j;
    }
    return year;
}


static int year_from_path(const char *rel, char *out)
{
    int year = _cs_path_year(rel, strlen(rel));
    return year ? snprintf(out, CS_FIELD_VALUE_MAX, "%d", year) > 0 : 0;
}

/* A UN General Debate file name, "RUS_76_2021.txt": code, session, year.
 * Returns 1 and fills @code and *session when the file name is one. */
static int un_file_name(const char *rel, char code[4], long *session)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    size_t n = 0;
    while (n < 3 && base[n] >= 'A' && base[n] <= 'Z')
        n++;
    if (n < 2 || base[n] != '_')
        return 0;
    char *end;
    long s = strtol(base + n + 1, &end, 10);
    if (end == base + n + 1 || *end != '_' || s <= 0)
        return 0;
    memcpy(code, base, n);
    code[n] = '\0';
    *session = s;
    return 1;
}

static int country_from_path(const char *rel, char *out)
{
    char code[4];
    long session;
    if (!un_file_name(rel, code, &session) || !_cs_country_code(code, strlen(code)))
        return 0;
    snprintf(out, CS_FIELD_VALUE_MAX, "%s", code);
    return 1;
}

static int session_from_path(const char *rel, char *out)
{
    char code[4];
    long session;
    if (!un_file_name(rel, code, &session))
        return 0;
    snprintf(out, CS_FIELD_VALUE_MAX, "%ld", session);
    return 1;
}

/* The format of a plain-text file from its extension; the extractors of
 * other formats set their own. */
static int format_from_path(const char *rel, char *out)
{
    const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
    if (!dot || (slash && dot < slash) || !dot[1])
        return 0;
    if (strcasecmp(dot, ".text") == 0)
        dot = ".txt";
    else if (strcasecmp(dot, ".markdown") == 0)
        dot = ".md";
    size_t i = 0;
    for (const char *p = dot + 1; *p && i < 16; p++)
        out[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    out[i] = '\0';
    return 1;
}

/* ---- the registry ---------------------------------------------------------- */

#define FACETED (CS_FIELD_FILTERS | CS_FIELD_FACETS)
#define RANGED (CS_FIELD_FILTERS | CS_FIELD_SORTS)

static const cs_field_t builtin[] = {
    { .name = "path", .type = CS_FIELD_GLOB, .flags = CS_FIELD_FILTERS, .slot = -1,
      .facet_slot = -1, .source = "the file's path below its corpus root (a folder "
      "matches what is below it)", .example = "path:\"Session 79*\"" },
    { .name = "year", .type = CS_FIELD_NUMBER, .flags = RANGED | FACETED | CS_FIELD_BY_VALUE,
      .prefix = CS_PREFIX_YEAR, .slot = CS_SLOT_YEAR, .facet_slot = CS_SLOT_FACET_YEAR,
      .digits = 4, .from_path = year_from_path,
      .source = "the last four-digit year in the path, or the sidecar",
      .example = "year:2019..2024" },
    { .name = "date", .type = CS_FIELD_DATE, .flags = RANGED, .slot = CS_SLOT_DATE,
      .facet_slot = -1, .source = "the sidecar or the document's metadata, else the year",
      .example = "date:2021-03..2021-12" },
    { .name = "country", .type = CS_FIELD_KEYWORD, .flags = FACETED,
      .prefix = CS_PREFIX_COUNTRY, .slot = -1, .facet_slot = CS_SLOT_FACET_COUNTRY,
      .from_path = country_from_path,
      .source = "ISO 3166 alpha-3, from UN file names (RUS_76_2021.txt) or the sidecar;\n"
      "                     queried by code or English name",
      .example = "country:\"United States\"" },
    { .name = "session", .type = CS_FIELD_NUMBER, .flags = RANGED | FACETED | CS_FIELD_BY_VALUE,
      .prefix = CS_PREFIX_SESSION, .slot = CS_SLOT_SESSION,
      .facet_slot = CS_SLOT_FACET_SESSION, .from_path = session_from_path,
      .source = "the UN session of a UN file name, or the sidecar", .example = "session:70..79" },
    { .name = "lang", .type = CS_FIELD_KEYWORD, .flags = FACETED, .prefix = CS_PREFIX_LANG,
      .slot = -1, .facet_slot = CS_SLOT_FACET_LANG,
      .source = "the document's language: its metadata or the sidecar, else the index's",
      .example = "lang:en" },
    { .name = "format", .type = CS_FIELD_KEYWORD, .flags = FACETED, .prefix = CS_PREFIX_FORMAT,
      .slot = -1, .facet_slot = CS_SLOT_FACET_FORMAT, .from_path = format_from_path,
      .source = "the file's format (txt, md; pdf, html, docx from their extractors)",
      .example = "format:txt" },
    { .name = "title", .type = CS_FIELD_WORDS, .flags = CS_FIELD_FILTERS,
      .prefix = CS_PREFIX_TITLE, .slot = -1, .facet_slot = -1,
      .source = "the document's title: its metadata or the sidecar (words, stemmed)",
      .example = "title:cyber" },
};

const cs_field_t *_cs_fields_builtin(size_t *n)
{
    *n = sizeof builtin / sizeof *builtin;
    return builtin;
}

int _cs_field_lookup(const char *user_fields, const char *name, size_t len, cs_field_t *out)
{
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (name_equal(name, len, builtin[i].name, strlen(builtin[i].name))) {
            *out = builtin[i];
            return 1;
        }
    int place = 0;
    for (const char *u = user_fields; u && *u; place++) {
        const char *nl = strchr(u, '\n');
        size_t u_len = nl ? (size_t)(nl - u) : strlen(u);
        if (name_equal(name, len, u, u_len) && u_len < sizeof out->user_name &&
            place < CS_MAX_USER_FIELDS) {
            memset(out, 0, sizeof *out);
            snprintf(out->user_name, sizeof out->user_name, "%.*s", (int)u_len, u);
            snprintf(out->user_prefix, sizeof out->user_prefix, "%s%s:", CS_PREFIX_USER,
                     out->user_name);
            out->name = out->user_name;
            out->type = CS_FIELD_KEYWORD;
            out->flags = FACETED;
            out->prefix = out->user_prefix;
            out->slot = -1;
            out->facet_slot = CS_SLOT_USER + place;
            out->source = "the corpus's sidecar";
            return 1;
        }
        u += u_len + (nl != NULL);
    }
    return 0;
}

char *_cs_field_names(const char *user_fields)
{
    cs_buf_t b;
    _cs_buf_init(&b);
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        _cs_buf_printf(&b, "%s%s", i ? ", " : "", builtin[i].name);
    for (const char *u = user_fields; u && *u;) {
        const char *nl = strchr(u, '\n');
        size_t len = nl ? (size_t)(nl - u) : strlen(u);
        _cs_buf_printf(&b, ", %.*s", (int)len, u);
        u += len + (nl != NULL);
    }
    return _cs_buf_steal(&b);
}

/* ---- values ------------------------------------------------------------------ */

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len > 0;
}

int _cs_field_bound(const cs_field_t *f, const char *s, size_t len, int high, double *out)
{
    if (f->type == CS_FIELD_NUMBER) {
        if (!all_digits(s, len) || (f->digits ? len != f->digits : len > 9))
            return 0;
        *out = (double)strtol(s, NULL, 10);
        return 1;
    }
    /* YYYY, YYYY-MM or YYYY-MM-DD as the number YYYYMMDD */
    if (!(len == 4 || len == 7 || len == 10) || !all_digits(s, 4))
        return 0;
    long year = strtol(s, NULL, 10), month = high ? 99 : 0, day = high ? 99 : 0;
    if (len >= 7) {
        if (s[4] != '-' || !all_digits(s + 5, 2))
            return 0;
        month = strtol(s + 5, NULL, 10);
        if (month < 1 || month > 12)
            return 0;
    }
    if (len == 10) {
        if (s[7] != '-' || !all_digits(s + 8, 2))
            return 0;
        day = strtol(s + 8, NULL, 10);
        if (day < 1 || day > 31)
            return 0;
    }
    *out = (double)(year * 10000 + month * 100 + day);
    return 1;
}

/* LO..HI, ..HI, LO.. or a single value; fills the bounds (open ones get
 * -1 and 1e12). */
static const char *range_bounds(const cs_field_t *f, const char *v, size_t len, double *lo,
                                double *hi)
{
    const char *usage = f->type == CS_FIELD_DATE
                            ? "use YYYY[-MM[-DD]], or a range FROM..TO, ..TO or FROM.."
                        : f->digits == 4 ? "use YYYY, YYYY..YYYY, ..YYYY or YYYY.."
                                         : "use N, N..M, ..M or N..";
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    if (!dots)
        return _cs_field_bound(f, v, len, 0, lo) && _cs_field_bound(f, v, len, 1, hi) ? NULL
                                                                                     : usage;
    size_t lo_len = (size_t)(dots - v), hi_len = len - lo_len - 2;
    *lo = -1;
    *hi = 1e12;
    if (lo_len + hi_len == 0 || (lo_len && !_cs_field_bound(f, v, lo_len, 0, lo)) ||
        (hi_len && !_cs_field_bound(f, dots + 2, hi_len, 1, hi)))
        return usage;
    return *lo > *hi ? "the range is reversed" : NULL;
}

const char *_cs_field_check(const cs_field_t *f, const char *value, size_t len)
{
    double lo, hi;
    switch (f->type) {
    case CS_FIELD_NUMBER:
    case CS_FIELD_DATE:
        return range_bounds(f, value, len, &lo, &hi);
    case CS_FIELD_KEYWORD:
        if (f->facet_slot == CS_SLOT_FACET_COUNTRY && !_cs_country_code(value, len))
            return "not an ISO 3166 alpha-3 code or English country name";
        return NULL;
    default:
        return NULL;
    }
}

int _cs_field_is_country(const cs_field_t *f)
{
    return f->facet_slot == CS_SLOT_FACET_COUNTRY;
}

int _cs_field_range(const cs_field_t *f, const char *value, double *lo, double *hi)
{
    return range_bounds(f, value, strlen(value), lo, hi) == NULL;
}

size_t _cs_field_term(const cs_field_t *f, const char *value, char *out, size_t size)
{
    if (!f->prefix || f->type == CS_FIELD_WORDS)
        return 0;
    const char *code = f->facet_slot == CS_SLOT_FACET_COUNTRY
                           ? _cs_country_code(value, strlen(value)) : NULL;
    if (f->facet_slot == CS_SLOT_FACET_COUNTRY && !code)
        return 0;
    size_t plen = strlen(f->prefix);
    if (plen + 2 > size)
        return 0;
    memcpy(out, f->prefix, plen);
    if (code) {
        snprintf(out + plen, size - plen, "%s", code);
        return strlen(out);
    }
    if (f->type == CS_FIELD_NUMBER) {
        snprintf(out + plen, size - plen, "%ld", strtol(value, NULL, 10));
        return strlen(out);
    }
    size_t vlen = strlen(value);
    if (vlen > CS_FIELD_VALUE_MAX)
        vlen = CS_FIELD_VALUE_MAX;
    size_t n = cs_analyzer_normalize(value, vlen, out + plen, size - plen);
    return n == (size_t)-1 || n == 0 ? 0 : plen + n;
}

/* ---- a document's values -------------------------------------------------------- */

void _cs_doc_fields_init(cs_doc_fields_t *df)
{
    _cs_buf_init(&df->pairs);
    df->count = 0;
}

void _cs_doc_fields_free(cs_doc_fields_t *df)
{
    _cs_buf_free(&df->pairs);
    df->count = 0;
}

void _cs_doc_fields_reset(cs_doc_fields_t *df)
{
    _cs_buf_reset(&df->pairs);
    df->count = 0;
}

int _cs_doc_fields_next(const cs_doc_fields_t *df, size_t *cursor, const char **name,
                        const char **value)
{
    if (*cursor >= df->pairs.len)
        return 0;
    *name = df->pairs.data + *cursor;
    *value = *name + strlen(*name) + 1;
    *cursor = (size_t)(*value - df->pairs.data) + strlen(*value) + 1;
    return 1;
}

const char *_cs_doc_fields_get(const cs_doc_fields_t *df, const char *name)
{
    size_t cursor = 0;
    const char *n, *v;
    while (_cs_doc_fields_next(df, &cursor, &n, &v))
        if (strcmp(n, name) == 0)
            return v;
    return NULL;
}

int _cs_doc_fields_set(cs_doc_fields_t *df, const char *name, const char *value, size_t len)
{
    char key[64];
    size_t k = 0;
    for (; name[k] && k + 1 < sizeof key; k++)
        key[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] - 'A' + 'a' : name[k]);
    key[k] = '\0';
    /* drop the old pair: move what follows it down */
    size_t cursor = 0, at;
    const char *n, *v;
    while (at = cursor, _cs_doc_fields_next(df, &cursor, &n, &v))
        if (strcmp(n, key) == 0) {
            memmove(df->pairs.data + at, df->pairs.data + cursor, df->pairs.len - cursor);
            df->pairs.len -= cursor - at;
            df->count--;
            break;
        }
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len && (value[len - 1] == ' ' || value[len - 1] == '\t' || value[len - 1] == '\r'))
        len--;
    if (len > CS_FIELD_VALUE_MAX)
        len = CS_FIELD_VALUE_MAX;
    if (!len || memchr(value, '\0', len))
        return 1;
    _cs_buf_append(&df->pairs, key, k + 1);
    _cs_buf_append(&df->pairs, value, len);
    _cs_buf_append_char(&df->pairs, '\0');
    df->count++;
    return !df->pairs.failed;
}

/* ISO 639-1 codes of the stemmer languages. */
static const char *language_code(const char *language)
{
    static const char *const codes[][2] = {
        { "arabic", "ar" }, { "danish", "da" }, { "dutch", "nl" }, { "english", "en" },
        { "finnish", "fi" }, { "french", "fr" }, { "german", "de" }, { "greek", "el" },
        { "hungarian", "hu" }, { "italian", "it" }, { "norwegian", "no" },
        { "portuguese", "pt" }, { "romanian", "ro" }, { "russian", "ru" },
        { "spanish", "es" }, { "swedish", "sv" }, { "turkish", "tr" },
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(language, codes[i][0]) == 0)
            return codes[i][1];
    return NULL;
}

int _cs_doc_fields_from_path(cs_doc_fields_t *df, const char *rel, const char *language)
{
    char value[CS_FIELD_VALUE_MAX + 1];
    int ok = 1;
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin && ok; i++)
        if (builtin[i].from_path && builtin[i].from_path(rel, value))
            ok = _cs_doc_fields_set(df, builtin[i].name, value, strlen(value));
    const char *code = language ? language_code(language) : NULL;
    if (ok && code)
        ok = _cs_doc_fields_set(df, "lang", code, strlen(code));
    return ok;
}

uint64_t _cs_doc_fields_hash(const cs_doc_fields_t *df)
{
    return _cs_hash64(df->pairs.data ? df->pairs.data : "", df->pairs.len, CS_HASH_SEED);
}
