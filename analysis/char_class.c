/* char_class.c - decode one UTF-8 character and say how it splits words.
 *
 * Decoding uses utf8proc_iterate(), which rejects overlong forms, encoded
 * surrogates, code points above U+10FFFF and truncated sequences; any such
 * byte becomes a one-byte separator so offsets stay exact.
 */
#include "analyzer_private.h"

#include <utf8proc.h>

#define S CS_CC_SEP
#define L CS_CC_LETTER
#define D CS_CC_DIGIT
#define A CS_CC_APOS
#define P CS_CC_DOT

/* NUL and the other controls are separators like any punctuation. */
const uint8_t _cs_ascii_class[128] = {
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x00 */
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x10 */
    S, S, S, S, S, S, S, A, S, S, S, S, S, S, P, S, /* ' ! " ... ' . / */
    D, D, D, D, D, D, D, D, D, D, S, S, S, S, S, S, /* 0-9 */
    S, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* @ A-O */
    L, L, L, L, L, L, L, L, L, L, L, S, S, S, S, S, /* P-Z */
    A, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* ` a-o */
    L, L, L, L, L, L, L, L, L, L, L, S, S, S, S, S, /* p-z */
};

#undef S
#undef L
#undef D
#undef A
#undef P

/* Han, Hiragana, Katakana and Hangul blocks (letters and digits in them are
 * CJK; their marks and punctuation are classified by category). */
static int in_cjk_block(int32_t cp)
{
    if (cp < 0x1100)
        return 0;
    if (cp <= 0x11FF)                      /* Hangul Jamo */
        return 1;
    if (cp < 0x3000)
        return 0;
    if (cp <= 0x30FF)                      /* CJK symbols (々 〆 〇), kana */
        return 1;
    if (cp >= 0x3130 && cp <= 0x318F)      /* Hangul Compatibility Jamo */
        return 1;
    if (cp >= 0x31F0 && cp <= 0x31FF)      /* Katakana Phonetic Extensions */
        return 1;
    if (cp >= 0x3400 && cp <= 0x4DBF)      /* CJK Extension A */
        return 1;
    if (cp >= 0x4E00 && cp <= 0x9FFF)      /* CJK Unified Ideographs */
        return 1;
    if (cp >= 0xA960 && cp <= 0xA97F)      /* Hangul Jamo Extended-A */
        return 1;
    if (cp >= 0xAC00 && cp <= 0xD7FF)      /* Hangul Syllables, Jamo Ext-B */
        return 1;
    if (cp >= 0xF900 && cp <= 0xFAFF)      /* CJK Compatibility Ideographs */
        return 1;
    if (cp >= 0xFF66 && cp <= 0xFFDC)      /* halfwidth Katakana and Hangul */
        return 1;
    if (cp >= 0x1B000 && cp <= 0x1B16F)    /* Kana Supplement, extensions */
        return 1;
    if (cp >= 0x20000 && cp <= 0x323AF)    /* CJK Extensions B-H, compat */
        return 1;
    return 0;
}

enum cs_char_class _cs_char_class(int32_t cp)
{
    /* General Punctuation holds the most frequent non-ASCII characters of
     * English text (curly quotes, dashes); none of it is a letter. */
    if (cp >= 0x2000 && cp <= 0x206F) {
        switch (cp) {
        case 0x2018: case 0x2019: case 0x201B: case 0x2032:
            return CS_CC_APOS;
        case 0x200C: case 0x200D: case 0x2060:
            return CS_CC_JOINER;
        default:
            return CS_CC_SEP;
        }
    }
    switch (cp) {
    case 0x00AD:            /* soft hyphen: an invisible break hint */
        return CS_CC_JOINER;
    case 0x00B4: case 0x02BC: case 0xFF07:
        return CS_CC_APOS;
    case 0xFF9E: case 0xFF9F: /* halfwidth voiced marks: NFKC makes them
                                 the combining U+3099/U+309A */
        return CS_CC_MARK;
    default:
        break;
    }

    utf8proc_category_t cat = utf8proc_category(cp);
    switch (cat) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return in_cjk_block(cp) ? CS_CC_CJK : CS_CC_LETTER;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return in_cjk_block(cp) ? CS_CC_CJK : CS_CC_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return CS_CC_MARK;
    default:
        return CS_CC_SEP;
    }
}

void _cs_char_decode_slow(const uint8_t *s, size_t avail, cs_char_t *c)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(
        s, avail > 4 ? 4 : (utf8proc_ssize_t)avail, &cp);
    if (n <= 0) {
        c->cp = -1;
        c->len = 1;
        c->cls = CS_CC_SEP;
        return;
    }
    c->cp = cp;
    c->len = (uint32_t)n;
    c->cls = _cs_char_class(cp);
}
