/* make-queries - draw the benchmark's fixed query set from a corpus.
 *
 *   make-queries PASSAGES SEED > queries.tsv
 *
 * PASSAGES is export-passages' output ("id NUL text NUL" records).  Prints
 * "qid<TAB>type<TAB>query" lines; the same input and SEED always give the
 * same output (own PRNG, candidates sorted by name, no hash-order effects).
 *
 * Words are ASCII letter-only tokens, lower-cased; a token is a run of
 * non-blanks with simple punctuation stripped from its ends, so "nation's"
 * or "co-operation" are never words here (engines tokenize those
 * differently).  Document frequency (df) counts passages.  With N passages:
 *
 *   rare      one word, df 3..30, >= 5 letters
 *   medium    one word, df N/1000..N/100
 *   frequent  one word, df >= N/20
 *   and2      two words of one passage, all required: "a b"
 *   phrase    2, 3 or 4 consecutive words of a passage, no punctuation
 *             inside, first and last not stop words: "\"a b c\""
 *   natural   5..10 consecutive words of a passage, any word may match
 *   bool-and  "a AND b", a and b from one passage
 *   bool-or   "a OR b", two medium words
 *   bool-not  "a NOT b", b from a passage that holds a
 *
 * Single, two-word and boolean words are never stop words nor one of the
 * query operators (and, or, not, near); two words of a query never share a
 * 5-letter prefix (so they do not stem alike).
 *
 * Benchmark tool (bench/), not part of the product.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 40
#define MAX_TOKENS 4096

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("make-queries: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- PRNG: splitmix64 --------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % (uint64_t)n);
}

/* ---- words ------------------------------------------------------------- */

typedef struct word {
    char text[MAX_WORD + 1];
    size_t df;
    size_t last_passage;   /* + 1; 0: never seen */
    int stop;
} word_t;

static word_t *words;
static size_t n_words, cap_words;
static uint32_t *table;    /* open addressing, word index + 1 */
static size_t table_size;

static const char *const stop_list[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
    "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "may", "me", "more", "most", "must", "my", "myself", "near", "no",
    "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "same", "shall", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon",
    "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    "yourselves",
};

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
    return h;
}

static void table_grow(void)
{
    size_t size = table_size ? 2 * table_size : 1u << 16;
    uint32_t *t = calloc(size, sizeof *t);
    if (!t)
        die("out of memory");
    for (size_t w = 0; w < n_words; w++) {
        size_t i = hash_str(words[w].text, strlen(words[w].text)) & (size - 1);
        while (t[i])
            i = (i + 1) & (size - 1);
        t[i] = (uint32_t)(w + 1);
    }
    free(table);
    table = t;
    table_size = size;
}

/* Index of the word @s[0..n) (lower case), added when @add; SIZE_MAX if absent. */
static size_t word_find(const char *s, size_t n, int add)
{
    if (!table_size || 2 * (n_words + 1) > table_size)
        table_grow();
    size_t i = hash_str(s, n) & (table_size - 1);
    for (; table[i]; i = (i + 1) & (table_size - 1)) {
        word_t *w = &words[table[i] - 1];
        if (strlen(w->text) == n && memcmp(w->text, s, n) == 0)
            return table[i] - 1;
    }
    if (!add)
        return SIZE_MAX;
    if (n_words == cap_words) {
        cap_words = cap_words ? 2 * cap_words : 65536;
        words = xrealloc(words, cap_words * sizeof *words);
    }
    word_t *w = &words[n_words];
    memset(w, 0, sizeof *w);
    memcpy(w->text, s, n);
    table[i] = (uint32_t)(n_words + 1);
    return n_words++;
}

/* ---- tokens ------------------------------------------------------------ */

typedef struct token {
    size_t word;      /* SIZE_MAX: not a clean letter-only word */
    int lead, trail;  /* punctuation was stripped before / after */
} token_t;

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Tokens of @text[0..len); at most MAX_TOKENS.  Words are added to the
 * table when @add, else looked up. */
static size_t tokenize(const char *text, size_t len, int add, token_t *out)
{
    static const char lead_punct[] = "(\"[", trail_punct[] = ".,;:!?)\"]";
    size_t n = 0, i = 0;
    while (i < len && n < MAX_TOKENS) {
        while (i < len && is_blank((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        size_t s = i;
        while (i < len && !is_blank((unsigned char)text[i]))
            i++;
        size_t e = i;
        token_t t = { SIZE_MAX, 0, 0 };
        while (s < e && strchr(lead_punct, text[s]))
            s++, t.lead = 1;
        while (e > s && strchr(trail_punct, text[e - 1]))
            e--, t.trail = 1;
        int clean = e > s && e - s <= MAX_WORD;
        char lower[MAX_WORD];
        for (size_t k = s; clean && k < e; k++) {
            if (!is_alpha((unsigned char)text[k]))
                clean = 0;
            else
                lower[k - s] = (char)(text[k] | 0x20);
        }
        if (clean)
            t.word = word_find(lower, e - s, add);
        out[n++] = t;
    }
    return n;
}

/* ---- the corpus -------------------------------------------------------- */

typedef struct passage {
    const char *text;
    size_t len;
} passage_t;

static passage_t *passages;
static size_t n_passages;

static void load(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        die("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1u << 24, len = 0, got;
    char *data = xrealloc(NULL, cap);
    while ((got = fread(data + len, 1, cap - len, in)) > 0) {
        len += got;
        if (len == cap)
            data = xrealloc(data, cap *= 2);
    }
    if (ferror(in))
        die("cannot read %s", path);
    fclose(in);
    size_t cap_p = 0;
    for (size_t pos = 0; pos < len;) {
        const char *id_end = memchr(data + pos, '\0', len - pos);
        if (!id_end)
            die("%s: record %zu has no NUL after its id", path, n_passages + 1);
        size_t t = (size_t)(id_end - data) + 1;
        const char *text_end = memchr(data + t, '\0', len - t);
        if (!text_end)
            die("%s: record %zu has no NUL after its text", path, n_passages + 1);
        if (n_passages == cap_p)
            passages = xrealloc(passages, (cap_p = cap_p ? 2 * cap_p : 65536) * sizeof *passages);
        passages[n_passages++] = (passage_t){ data + t, (size_t)(text_end - data) - t };
        pos = (size_t)(text_end - data) + 1;
    }
    if (!n_passages)
        die("%s holds no passages", path);
}

static void count_df(void)
{
    static token_t toks[MAX_TOKENS];
    for (size_t s = 0; s < sizeof stop_list / sizeof *stop_list; s++) {
        size_t w = word_find(stop_list[s], strlen(stop_list[s]), 1);
        words[w].stop = 1;
    }
    for (size_t p = 0; p < n_passages; p++) {
        size_t n = tokenize(passages[p].text, passages[p].len, 1, toks);
        for (size_t k = 0; k < n; k++) {
            word_t *w = toks[k].word == SIZE_MAX ? NULL : &words[toks[k].word];
            if (w && w->last_passage != p + 1) {
                w->last_passage = p + 1;
                w->df++;
            }
        }
    }
}

/* ---- queries ----------------------------------------------------------- */

static char **emitted;
static size_t n_emitted, qid;

static int emit(const char *type, const char *query)
{
    for (size_t i = 0; i < n_emitted; i++)
        if (strcmp(emitted[i], query) == 0)
            return 0;
    emitted = xrealloc(emitted, (n_emitted + 1) * sizeof *emitted);
    emitted[n_emitted] = strdup(query);
    if (!emitted[n_emitted++])
        die("out of memory");
    printf("q%03zu\t%s\t%s\n", ++qid, type, query);
    return 1;
}

static int cmp_word(const void *a, const void *b)
{
    return strcmp(words[*(const size_t *)a].text, words[*(const size_t *)b].text);
}

static int usable(size_t w, size_t min_len)
{
    return w != SIZE_MAX && !words[w].stop && strlen(words[w].text) >= min_len;
}

/* Words with df in [lo, hi], sorted by name. */
static size_t band(size_t lo, size_t hi, size_t min_len, size_t **out)
{
    size_t *v = NULL, n = 0;
    for (size_t w = 0; w < n_words; w++)
        if (usable(w, min_len) && words[w].df >= lo && words[w].df <= hi) {
            v = xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = w;
        }
    if (n)
        qsort(v, n, sizeof *v, cmp_word);
    *out = v;
    return n;
}

static void singles(const char *type, size_t lo, size_t hi, size_t min_len, size_t count)
{
    size_t *v, n = band(lo, hi, min_len, &v);
    if (n < count)
        die("only %zu %s words (df %zu..%zu); the corpus is too small", n, type, lo, hi);
    for (size_t made = 0; made < count;) {
        size_t pick = made + rng_below(n - made);   /* partial Fisher-Yates */
        size_t w = v[pick];
        v[pick] = v[made];
        v[made] = w;
        made += (size_t)emit(type, words[w].text);
    }
    free(v);
}

static int related(size_t a, size_t b)
{
    const char *x = words[a].text, *y = words[b].text;
    return a == b || strncmp(x, y, 5) == 0 ||
           strncmp(x, y, strlen(x)) == 0 || strncmp(x, y, strlen(y)) == 0;
}

/* Two unrelated usable words of one random passage, both with df in [lo, hi]. */
static void pair_from_passage(size_t lo, size_t hi, size_t *a, size_t *b)
{
    static token_t toks[MAX_TOKENS];
    size_t cand[MAX_TOKENS];
    for (;;) {
        const passage_t *p = &passages[rng_below(n_passages)];
        size_t n = tokenize(p->text, p->len, 0, toks), m = 0;
        for (size_t k = 0; k < n; k++) {
            size_t w = toks[k].word;
            if (usable(w, 4) && words[w].df >= lo && words[w].df <= hi)
                cand[m++] = w;
        }
        if (m < 2)
            continue;
        *a = cand[rng_below(m)];
        *b = cand[rng_below(m)];
        if (!related(*a, *b))
            return;
    }
}

static void pairs(const char *type, const char *fmt, size_t lo, size_t hi, size_t count)
{
    char q[2 * MAX_WORD + 16];
    for (size_t made = 0; made < count;) {
        size_t a, b;
        pair_from_passage(lo, hi, &a, &b);
        snprintf(q, sizeof q, fmt, words[a].text, words[b].text);
        made += (size_t)emit(type, q);
    }
}

static void or_pairs(size_t lo, size_t hi, size_t count)
{
    size_t *v, n = band(lo, hi, 4, &v);
    if (n < 2)
        die("too few words for bool-or");
    char q[2 * MAX_WORD + 16];
    for (size_t made = 0; made < count;) {
        size_t a = v[rng_below(n)], b = v[rng_below(n)];
        if (related(a, b))
            continue;
        snprintf(q, sizeof q, "%s OR %s", words[a].text, words[b].text);
        made += (size_t)emit("bool-or", q);
    }
    free(v);
}

/* @k consecutive clean words of a random passage, with punctuation only
 * before the first and after the last; written into @q (quoted when
 * @quote).  Returns 0 to retry. */
static int window(size_t k, int quote, size_t min_content, char *q, size_t qcap)
{
    static token_t toks[MAX_TOKENS];
    const passage_t *p = &passages[rng_below(n_passages)];
    size_t n = tokenize(p->text, p->len, 0, toks);
    if (n < k)
        return 0;
    size_t s = rng_below(n - k + 1), content = 0;
    for (size_t i = s; i < s + k; i++) {
        const token_t *t = &toks[i];
        if (t->word == SIZE_MAX || (t->lead && i != s) || (t->trail && i != s + k - 1))
            return 0;
        content += !words[t->word].stop;
    }
    if (content < min_content)
        return 0;
    if (quote && (words[toks[s].word].stop || words[toks[s + k - 1].word].stop))
        return 0;
    size_t len = 0;
    if (quote)
        q[len++] = '"';
    for (size_t i = s; i < s + k; i++) {
        const char *w = words[toks[i].word].text;
        size_t wl = strlen(w);
        if (len + wl + 3 >= qcap)
            return 0;
        if (i > s)
            q[len++] = ' ';
        memcpy(q + len, w, wl);
        len += wl;
    }
    if (quote)
        q[len++] = '"';
    q[len] = '\0';
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        die("usage: make-queries PASSAGES SEED > queries.tsv");
    char *end;
    errno = 0;
    unsigned long long seed = strtoull(argv[2], &end, 10);
    if (errno || *end || end == argv[2])
        die("SEED must be a non-negative integer, not '%s'", argv[2]);
    rng_state = (uint64_t)seed;
    load(argv[1]);
    count_df();
    const size_t N = n_passages;

    singles("rare", 3, 30, 5, 25);
    singles("medium", N / 1000, N / 100, 3, 25);
    singles("frequent", N / 20, SIZE_MAX, 3, 25);
    pairs("and2", "%s %s", N / 4000, N / 20, 30);
    char q[1024];
    for (size_t made = 0; made < 40;)
        if (window(2 + made % 3, 1, 2, q, sizeof q))
            made += (size_t)emit("phrase", q);
    for (size_t made = 0; made < 30;)
        if (window(5 + rng_below(6), 0, 3, q, sizeof q))
            made += (size_t)emit("natural", q);
    pairs("bool-and", "%s AND %s", N / 4000, N / 20, 15);
    or_pairs(N / 1000, N / 100, 15);
    pairs("bool-not", "%s NOT %s", N / 4000, N / 20, 15);

    fprintf(stderr, "make-queries: %zu queries from %zu passages, %zu distinct words, seed %llu\n",
            qid, N, n_words, seed);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("cannot write the queries: %s", strerror(errno));
    return 0;
}
