/* tokenize.c - split text into tokens with exact byte ranges.
 *
 * One pass over the bytes.  ASCII letters and digits take a fast path that
 * needs no decoding and no utf8proc call; anything else is decoded with
 * utf8proc_iterate() and classified by char_class.c.  Terms are built into
 * the analyzer's buffers, so tokenizing allocates nothing.
 */
#include "analyzer_private.h"

#include <string.h>

typedef struct scan {
    cs_analyzer_t *an;
    const uint8_t *s;
    size_t len;
    uint32_t pos;     /* position of the next token */
    cs_token_fn fn;
    void *ctx;
    int stopped;      /* the callback asked to stop */
} scan_t;

static void deliver(scan_t *sc, cs_token_t *token)
{
    token->position = sc->pos++;
    if (sc->fn(sc->ctx, token) != 0)
        sc->stopped = 1;
}

static void init_token(cs_token_t *token, cs_analyzer_t *an, size_t n,
                       size_t start, size_t end)
{
    token->term = an->term;
    token->term_len = n;
    token->stem = an->term;
    token->stem_len = n;
    token->start = start;
    token->end = end;
    token->flags = 0;
    token->seen = NULL;
}

/* ---- acronyms ---------------------------------------------------------- */

#define ACRONYM_MAX 6      /* letters: "UNESCO"; a longer word in capitals is a word */

static inline int is_upper(uint8_t b) { return b >= 'A' && b <= 'Z'; }
static inline int is_alnum(uint8_t b)
{
    return (b | 0x20) >= 'a' && (b | 0x20) <= 'z' ? 1 : b >= '0' && b <= '9';
}

/* Is [start, end) two or more upper-case ASCII letters and nothing else? */
static int all_caps(const uint8_t *s, size_t start, size_t end)
{
    if (end - start < 2)
        return 0;
    for (size_t i = start; i < end; i++)
        if (!is_upper(s[i]))
            return 0;
    return 1;
}

/* The ASCII word before @at (@dir -1) or after it (@dir 1), across
 * separators other than letters, digits and non-ASCII bytes, as
 * [*from, *to); 0 when there is none. */
static int neighbour(const scan_t *sc, size_t at, int dir, size_t *from, size_t *to)
{
    size_t i = at;
    if (dir < 0) {
        while (i > 0 && sc->s[i - 1] < 0x80 && !is_alnum(sc->s[i - 1]))
            i--;
        *to = i;
        while (i > 0 && sc->s[i - 1] < 0x80 && is_alnum(sc->s[i - 1]))
            i--;
        *from = i;
    } else {
        while (i < sc->len && sc->s[i] < 0x80 && !is_alnum(sc->s[i]))
            i++;
        *from = i;
        while (i < sc->len && sc->s[i] < 0x80 && is_alnum(sc->s[i]))
            i++;
        *to = i;
    }
    return *to > *from;
}

/* Consecutive all-caps words next to [start, end) on one side, at most 2. */
static int caps_neighbours(const scan_t *sc, size_t start, size_t end, int dir)
{
    int n = 0;
    size_t at = dir < 0 ? start : end, from, to;
    while (n < 2 && neighbour(sc, at, dir, &from, &to) && all_caps(sc->s, from, to)) {
        n++;
        at = dir < 0 ? from : to;
    }
    return n;
}

/* If the word [start, end) is an acronym (see analyzer.h), give @token its
 * upper-case stem. */
static void mark_acronym(scan_t *sc, cs_token_t *token, size_t start, size_t end, int dotted)
{
    cs_analyzer_t *an = sc->an;
    size_t n = 0;
    if (dotted) {
        for (size_t i = start; i < end; i++)
            if (sc->s[i] != '.' && !is_upper(sc->s[i]))
                return;   /* "e.g.", or a letter that is not ASCII */
        for (size_t i = start; i < end; i++)
            if (sc->s[i] != '.')
                an->stem[n++] = (char)sc->s[i];
    } else {
        size_t letters = end - start;
        if (letters > 2 && sc->s[end - 1] == 's' && all_caps(sc->s, start, end - 1))
            letters--;   /* "ICTs" */
        else if (!all_caps(sc->s, start, end))
            return;
        if (letters > ACRONYM_MAX ||
            caps_neighbours(sc, start, end, -1) + caps_neighbours(sc, start, end, 1) >= 2)
            return;
        memcpy(an->stem, sc->s + start, letters);
        n = letters;
    }
    an->stem[n] = '\0';
    token->stem = an->stem;
    token->stem_len = n;
    token->seen = NULL;   /* the mark is the cached stem's, not this one's */
    token->flags = (token->flags & ~(unsigned)CS_TOKEN_STOPWORD) | CS_TOKEN_ACRONYM;
}

/* A token of ASCII letters and digits only: its term is the bytes in
 * lower case (digits already have bit 0x20 set). */
static void emit_ascii(scan_t *sc, size_t start, size_t end, int digits)
{
    cs_analyzer_t *an = sc->an;
    size_t n = end - start;
    if (n > CS_TERM_MAX) {
        sc->pos++; /* too long to index, but it keeps its word position */
        return;
    }
    uint32_t hash = CS_HASH_INIT;
    for (size_t k = 0; k < n; k++) {
        char b = (char)(sc->s[start + k] | 0x20);
        an->term[k] = b;
        hash = CS_HASH_STEP(hash, b);
    }
    an->term[n] = '\0';

    cs_token_t token;
    init_token(&token, an, n, start, end);
    if (digits)
        token.flags = CS_TOKEN_NUMBER;
    else {
        _cs_analyzer_stem_token(an, &token, hash);
        if (is_upper(sc->s[start]) && is_upper(sc->s[start + 1 < end ? start + 1 : start]))
            mark_acronym(sc, &token, start, end, 0);
    }
    deliver(sc, &token);
}

/* Any token: its term is cs_analyzer_normalize() of its bytes; @dotted:
 * letters joined by dots ("U.S."). */
static void emit(scan_t *sc, size_t start, size_t end, unsigned flags, int dotted)
{
    cs_analyzer_t *an = sc->an;
    int number = 0;
    size_t n = _cs_normalize(sc->s + start, end - start, an->term,
                             sizeof an->term, an->scratch,
                             sizeof an->scratch / sizeof an->scratch[0],
                             &number);
    if (n == (size_t)-1) {
        sc->pos++; /* too long to index, but it keeps its word position */
        return;
    }
    if (n == 0)    /* nothing but marks or joiners: not a word */
        return;

    cs_token_t token;
    init_token(&token, an, n, start, end);
    token.flags = flags;
    if (!(flags & CS_TOKEN_CJK)) {
        if (number)
            token.flags |= CS_TOKEN_NUMBER;
        else
            _cs_analyzer_stem_token(an, &token, _cs_term_hash(an->term, n));
        if (dotted)
            mark_acronym(sc, &token, start, end, 1);
    }
    deliver(sc, &token);
}

static inline void char_at(const scan_t *sc, size_t i, cs_char_t *c)
{
    _cs_char_at(sc->s + i, sc->len - i, c);
}

/* End of the combining marks that follow offset @i. */
static size_t skip_marks(const scan_t *sc, size_t i)
{
    cs_char_t c;
    while (i < sc->len) {
        char_at(sc, i, &c);
        if (c.cls != CS_CC_MARK)
            break;
        i += c.len;
    }
    return i;
}

/* Non-zero when the character at @i would continue a word. */
static int continues_word(const scan_t *sc, size_t i)
{
    cs_char_t c;
    if (i >= sc->len)
        return 0;
    char_at(sc, i, &c);
    return _cs_class_is_word(c.cls) || c.cls == CS_CC_JOINER;
}

/* If an acronym starts at @i - two or more single letters, each followed
 * by a dot except perhaps the last ("U.S.", "e.g.", "U.S") - return its end
 * (past the last dot), else 0.  A letter followed by another letter or
 * digit is not an acronym letter: "U.Sx" is "u" and "sx". */
static size_t acronym_end(const scan_t *sc, size_t i)
{
    size_t end = 0;
    int letters = 0;
    cs_char_t c;

    while (i < sc->len) {
        char_at(sc, i, &c);
        if (c.cls != CS_CC_LETTER)
            break;
        size_t q = skip_marks(sc, i + c.len);
        if (q < sc->len && sc->s[q] == '.') {
            letters++;
            i = end = q + 1;
            continue;
        }
        if (!continues_word(sc, q) && letters >= 1) {
            letters++;
            end = q;
        }
        break;
    }
    return letters >= 2 ? end : 0;
}

/* After a word ending at @i, skip a possessive "'s" (any apostrophe
 * variant) that is not followed by more of a word. */
static inline size_t skip_possessive(const scan_t *sc, size_t i)
{
    cs_char_t c;
    if (i >= sc->len)
        return i;
    if (sc->s[i] < 0x80 && sc->s[i] != '\'' && sc->s[i] != '`')
        return i; /* the usual case: a space or punctuation */
    char_at(sc, i, &c);
    if (c.cls != CS_CC_APOS)
        return i;
    size_t p = i + c.len;
    if (p >= sc->len || (sc->s[p] != 's' && sc->s[p] != 'S'))
        return i;
    return continues_word(sc, p + 1) ? i : p + 1;
}

/* A word that is not all ASCII, starting at @i; returns where scanning
 * goes on.  Joiners (soft hyphen, ZWJ...) stay inside the word but never
 * start or end it. */
static size_t word_slow(scan_t *sc, size_t i)
{
    cs_char_t c;
    char_at(sc, i, &c);
    if (c.cls == CS_CC_LETTER) {
        size_t a = acronym_end(sc, i);
        if (a) {
            emit(sc, i, a, 0, 1);
            return skip_possessive(sc, a);
        }
    }
    size_t j = i, end = i;
    while (j < sc->len) {
        char_at(sc, j, &c);
        if (c.cls == CS_CC_LETTER || c.cls == CS_CC_DIGIT ||
            c.cls == CS_CC_MARK)
            end = j + c.len;
        else if (c.cls != CS_CC_JOINER)
            break;
        j += c.len;
    }
    emit(sc, i, end, 0, 0);
    return skip_possessive(sc, end);
}

/* A run of CJK characters (each with its marks) starting at @i: overlapping
 * bigrams, or a unigram for a lone character. */
static size_t cjk_run(scan_t *sc, size_t i)
{
    cs_char_t c;
    char_at(sc, i, &c);
    size_t prev = i, prev_end = skip_marks(sc, i + c.len);
    int units = 1;

    while (!sc->stopped && prev_end < sc->len) {
        char_at(sc, prev_end, &c);
        if (c.cls != CS_CC_CJK)
            break;
        size_t cur_end = skip_marks(sc, prev_end + c.len);
        emit(sc, prev, cur_end, CS_TOKEN_CJK, 0);
        units++;
        prev = prev_end;
        prev_end = cur_end;
    }
    if (units == 1)
        emit(sc, prev, prev_end, CS_TOKEN_CJK, 0);
    return prev_end;
}

uint32_t cs_analyzer_tokenize(cs_analyzer_t *an, const char *text, size_t len,
                              uint32_t first_position, cs_token_fn fn,
                              void *ctx)
{
    if (!an || !fn || (!text && len > 0))
        return first_position;

    scan_t sc = {an, (const uint8_t *)text, len, first_position, fn, ctx, 0};
    const uint8_t *s = sc.s;
    size_t i = 0;

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3; /* a byte-order mark is not text, but offsets count it */

    while (i < len && !sc.stopped) {
        uint8_t b = s[i];
        if (b < 0x80) {
            uint8_t cls = _cs_ascii_class[b];
            if (cls != CS_CC_LETTER && cls != CS_CC_DIGIT) {
                i++;
                continue;
            }
            /* The fast path: a run of ASCII letters and digits. */
            int digits = cls == CS_CC_DIGIT;
            size_t j = i + 1;
            while (j < len && s[j] < 0x80) {
                uint8_t k = _cs_ascii_class[s[j]];
                if (k == CS_CC_LETTER)
                    digits = 0;
                else if (k != CS_CC_DIGIT)
                    break;
                j++;
            }
            if (j < len && s[j] >= 0x80) {
                i = word_slow(&sc, i); /* marks, joiners, accented letters */
                continue;
            }
            if (j == i + 1 && cls == CS_CC_LETTER && j < len && s[j] == '.') {
                size_t a = acronym_end(&sc, i);
                if (a) {
                    emit(&sc, i, a, 0, 1);
                    i = skip_possessive(&sc, a);
                    continue;
                }
            }
            emit_ascii(&sc, i, j, digits);
            i = skip_possessive(&sc, j);
            continue;
        }

        cs_char_t c;
        _cs_char_at(s + i, len - i, &c);
        switch (c.cls) {
        case CS_CC_LETTER:
        case CS_CC_DIGIT:
        case CS_CC_MARK:
            i = word_slow(&sc, i);
            break;
        case CS_CC_CJK:
            i = cjk_run(&sc, i);
            break;
        default:
            i += c.len;
            break;
        }
    }
    return sc.pos;
}
