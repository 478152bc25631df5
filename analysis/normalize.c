/* normalize.c - turn the bytes of a token into its term.
 *
 * The term is NFKC + full case folding + diacritics stripped, the result of
 * utf8proc_map(COMPOSE | COMPAT | CASEFOLD | STRIPMARK), computed one code
 * point at a time into caller-provided scratch space so the tokenizer never
 * allocates.  Two deliberate differences (analysis/README.md says why):
 *  - characters that are not letters or digits after NFKC are dropped, so
 *    "U.S." normalizes to "us" (as the acronym's term) and "½" to "12";
 *  - the kana voicing marks U+3099/U+309A are kept (and recomposed), since
 *    "バス" (bus) and "ハス" (lotus) are different words.
 */
#include "analyzer_private.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Longest full decomposition in Unicode is 18 code points (U+FDFA). */
#define DECOMP_MAX 32

static int is_kana(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= 0x1B000 && cp <= 0x1B16F);
}

static int is_kept_mark(int32_t cp)
{
    return cp == 0x3099 || cp == 0x309A;
}

static int is_ascii_alnum(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
           (b >= 'A' && b <= 'Z');
}

/* The common case: every byte is ASCII, so NFKC is the identity and case
 * folding is tolower(). */
static size_t normalize_ascii(const uint8_t *text, size_t len, char *buf,
                              size_t size, int *number)
{
    size_t n = 0;
    int digits = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = text[i];
        if (!is_ascii_alnum(b))
            continue;
        if (n + 1 >= size)
            return (size_t)-1;
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + ('a' - 'A'));
        if (b > '9')
            digits = 0;
        buf[n++] = (char)b;
    }
    buf[n] = '\0';
    if (number)
        *number = n > 0 && digits;
    return n;
}

size_t _cs_normalize(const uint8_t *text, size_t len, char *buf, size_t size,
                     int32_t *scratch, size_t cap, int *number)
{
    if (size == 0)
        return (size_t)-1;

    size_t i = 0;
    while (i < len && text[i] < 0x80)
        i++;
    if (i == len)
        return normalize_ascii(text, len, buf, size, number);

    size_t n = 0;
    int digits = 1;
    int composable = 0; /* a Hangul jamo or a kept mark: needs composing */
    i = 0;
    while (i < len) {
        int32_t one[DECOMP_MAX];
        utf8proc_ssize_t k;
        utf8proc_int32_t cp;

        if (text[i] < 0x80) {
            unsigned char b = text[i++];
            if (!is_ascii_alnum(b))
                continue;
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b + ('a' - 'A'));
            one[0] = b;
            k = 1;
        } else {
            utf8proc_ssize_t step = utf8proc_iterate(
                text + i, len - i > 4 ? 4 : (utf8proc_ssize_t)(len - i), &cp);
            if (step <= 0) {        /* invalid bytes separate, like spaces */
                i++;
                continue;
            }
            i += (size_t)step;
            int boundclass = 0;
            utf8proc_option_t opt = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                    UTF8PROC_CASEFOLD;
            if (!is_kana(cp))
                opt |= UTF8PROC_STRIPMARK;
            k = utf8proc_decompose_char(cp, one, DECOMP_MAX, opt, &boundclass);
            if (k < 0 || k > DECOMP_MAX)
                continue;
        }

        for (utf8proc_ssize_t j = 0; j < k; j++) {
            utf8proc_category_t cat = utf8proc_category(one[j]);
            int letter = cat >= UTF8PROC_CATEGORY_LU &&
                         cat <= UTF8PROC_CATEGORY_LO;
            int digit = cat >= UTF8PROC_CATEGORY_ND &&
                        cat <= UTF8PROC_CATEGORY_NO;
            if (!letter && !digit && !is_kept_mark(one[j]))
                continue;
            if (n >= cap)
                return (size_t)-1;  /* cannot fit @size even composed */
            if (!digit)
                digits = 0;
            if ((one[j] >= 0x1100 && one[j] <= 0x11FF) || is_kept_mark(one[j]))
                composable = 1;
            scratch[n++] = one[j];
        }
    }

    /* Marks other than the kept ones are gone, so only Hangul jamo and kana
     * voicing marks can compose (every character with a non-zero combining
     * class is a mark): skip the composition pass when neither is there. */
    utf8proc_ssize_t m = (utf8proc_ssize_t)n;
    if (composable) {
        m = utf8proc_normalize_utf32(scratch, m, UTF8PROC_COMPOSE);
        if (m < 0)
            return (size_t)-1;
    }

    size_t out = 0;
    for (utf8proc_ssize_t j = 0; j < m; j++) {
        uint8_t enc[4];
        utf8proc_ssize_t b = utf8proc_encode_char(scratch[j], enc);
        if (out + (size_t)b >= size)
            return (size_t)-1;
        memcpy(buf + out, enc, (size_t)b);
        out += (size_t)b;
    }
    buf[out] = '\0';
    if (number)
        *number = out > 0 && digits;
    return out;
}

size_t cs_analyzer_normalize(const char *text, size_t len, char *buf,
                             size_t size)
{
    int32_t local[1024];
    int32_t *scratch = local;
    size_t cap = CS_NORMALIZE_SCRATCH(size);

    if (!buf || size == 0 || (!text && len > 0))
        return (size_t)-1;
    if (cap / 3 < size)             /* CS_NORMALIZE_SCRATCH overflowed */
        cap = SIZE_MAX / sizeof(int32_t);
    /* No input byte yields more than DECOMP_MAX code points. */
    if (len < SIZE_MAX / DECOMP_MAX && cap > DECOMP_MAX * len + 8)
        cap = DECOMP_MAX * len + 8;
    if (cap > sizeof local / sizeof local[0]) {
        scratch = malloc(cap * sizeof *scratch);
        if (!scratch)
            return (size_t)-1;
    }
    size_t n = _cs_normalize((const uint8_t *)text, len, buf, size, scratch,
                             cap, NULL);
    if (scratch != local)
        free(scratch);
    return n;
}
