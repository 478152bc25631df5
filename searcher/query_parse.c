/* query_parse.c - the query language: a hand-written recursive-descent
 * parser from the query string to a cs_qnode_t tree, and the tree's
 * canonical one-line description.
 *
 * The grammar and the shape of the trees are documented in query_parse.h.
 * No analysis happens here: words keep their text as typed, and the query
 * builder runs them through the index's analyzer later.
 *
 * Layout: byte classes, lexer (one token of lookahead, scanned lazily so
 * the first problem from the left is the one reported), node lists, the
 * parser proper (or -> and -> unary -> near -> primary), the entry point,
 * then cs_qnode_free and cs_qnode_describe.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_parse.h"

enum {
    DEFAULT_NEAR_DISTANCE = 10,
    SNIPPET_MAX_BYTES = 40      /* query text quoted in an error message */
};

/* ------------------------------------------------------------------ */
/* Byte classes                                                        */
/* ------------------------------------------------------------------ */

/* Length of the whitespace character at @s, or 0.  Besides ASCII, the
 * Unicode spaces that pasted text brings (no-break space from PDFs above
 * all) separate words too. */
static size_t space_length(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    switch (u[0]) {
    case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
        return 1;
    case 0xC2:                                          /* U+00A0 */
        return u[1] == 0xA0 ? 2 : 0;
    case 0xE1:                                          /* U+1680 */
        return u[1] == 0x9A && u[2] == 0x80 ? 3 : 0;
    case 0xE2:
        if (u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8A) || /* U+2000-200A */
                             u[2] == 0xA8 || u[2] == 0xA9 ||   /* U+2028/9 */
                             u[2] == 0xAF))                    /* U+202F */
            return 3;
        return u[1] == 0x81 && u[2] == 0x9F ? 3 : 0;   /* U+205F */
    case 0xE3:                                          /* U+3000 */
        return u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
    default:
        return 0;
    }
}

/* Length of the quote character at @s, or 0: '"' and the curly quotes
 * U+201C/U+201D that word processors substitute. */
static size_t quote_length(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    if (u[0] == '"')
        return 1;
    if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x9C || u[2] == 0x9D))
        return 3;
    return 0;
}

static bool is_sign(char c)
{
    return c == '+' || c == '-';
}

/* True when the byte at @s can continue a word. */
static bool is_word_byte(const char *s)
{
    return *s != '\0' && *s != '(' && *s != ')' && space_length(s) == 0 &&
           quote_length(s) == 0;
}

/* Characters, not bytes, in @s[0, len): invalid UTF-8 counts a byte each. */
static size_t utf8_char_count(const char *s, size_t len)
{
    size_t count = 0;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static bool is_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool ascii_equal_nocase(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

static char *copy_text(const char *s, size_t len)
{
    char *copy = malloc(len + 1);

    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

/* Checks a field value; returns NULL when it is fine, else what is wrong. */
typedef const char *(*field_check_fn)(const char *value, size_t len);

/* One year bound: empty (open) or four digits. */
static bool is_year_bound(const char *s, size_t len)
{
    return len == 0 || (len == 4 && is_digits(s, len));
}

static const char *check_year(const char *value, size_t len)
{
    static const char usage[] = "use YYYY, YYYY..YYYY, ..YYYY or YYYY..";
    const char *dots = NULL;

    for (size_t i = 0; i + 1 < len; i++)
        if (value[i] == '.' && value[i + 1] == '.') {
            dots = value + i;
            break;
        }
    if (!dots)
        return len == 4 && is_digits(value, len) ? NULL : usage;

    size_t low_len = (size_t)(dots - value);
    const char *high = dots + 2;
    size_t high_len = len - low_len - 2;

    if (!is_year_bound(value, low_len) || !is_year_bound(high, high_len) ||
        low_len + high_len == 0)
        return usage;
    if (low_len && high_len && memcmp(value, high, 4) > 0)
        return "the range is reversed";
    return NULL;
}

typedef struct field_def {
    const char *name;       /* canonical, lower case */
    field_check_fn check;   /* NULL: any non-empty value */
} field_def_t;

/* The known fields: adding one is one line here (and one in the builder). */
static const field_def_t known_fields[] = {
    { "path", NULL },        /* a glob over the path below its root */
    { "year", check_year },
};

/* The field named by @word[0, name_len), or NULL if it is no known field. */
static const field_def_t *find_field(const char *word, size_t name_len)
{
    for (size_t i = 0; i < sizeof known_fields / sizeof known_fields[0]; i++)
        if (strlen(known_fields[i].name) == name_len &&
            ascii_equal_nocase(known_fields[i].name, word, name_len))
            return &known_fields[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Parser state and errors                                             */
/* ------------------------------------------------------------------ */

typedef enum token_kind {
    TOK_END, TOK_WORD, TOK_PHRASE, TOK_LPAREN, TOK_RPAREN,
    TOK_PLUS, TOK_MINUS, TOK_AND, TOK_OR, TOK_NOT, TOK_NEAR
} token_kind_t;

typedef struct token {
    token_kind_t kind;
    size_t start, end;           /* the token's bytes in the query */
    size_t text_start, text_end; /* PHRASE: between the quotes; else = above */
    unsigned distance;           /* NEAR */
} token_t;

typedef struct parser {
    const char *query;
    size_t pos;            /* where scanning for the next token resumes */
    token_t tok;           /* the current token (one token of lookahead) */
    bool after_sign;       /* the next word is a term even if it reads "OR" */
    int depth;             /* open parentheses and prefix operators */
    cs_status_t status;    /* sticky: the first failure wins */
    size_t err_offset;
    char *errmsg;
} parser_t;

/* Copy up to SNIPPET_MAX_BYTES of the query into @out for a message,
 * with control bytes replaced so the message stays on one line. */
static void format_snippet(const parser_t *p, size_t start, size_t end,
                           char *out, size_t out_size)
{
    size_t len = end - start, n = 0;
    bool truncated = len > SNIPPET_MAX_BYTES;

    if (truncated) {
        len = SNIPPET_MAX_BYTES;
        /* Do not cut a UTF-8 sequence in half. */
        while (len > 0 && ((unsigned char)p->query[start + len] & 0xC0) == 0x80)
            len--;
    }
    for (size_t i = 0; i < len && n + 1 < out_size; i++) {
        unsigned char c = (unsigned char)p->query[start + i];
        out[n++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (truncated && n + 4 < out_size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* Record a syntax error at @offset (the first one only); returns NULL so
 * parse functions can `return fail(...)`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void *fail(parser_t *p, size_t offset, const char *format, ...)
{
    char message[256];
    va_list args;

    if (p->status != CS_OK)
        return NULL;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    p->status = CS_ERR_BAD_QUERY;
    p->err_offset = offset;
    p->errmsg = copy_text(message, strlen(message));
    return NULL;
}

static void *fail_nomem(parser_t *p)
{
    if (p->status == CS_OK)
        p->status = CS_ERR_NOMEM;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */
/* ------------------------------------------------------------------ */

static void set_token(parser_t *p, token_kind_t kind, size_t start, size_t end)
{
    p->tok = (token_t){ .kind = kind, .start = start, .end = end,
                        .text_start = start, .text_end = end };
    p->pos = end;
}

static void skip_spaces(parser_t *p)
{
    size_t n;

    while ((n = space_length(p->query + p->pos)) > 0)
        p->pos += n;
}

/* A signed run ("-", "+-") that no term follows is punctuation
 * ("Russia - China", "a --"): true when the run at p->pos is one. */
static bool sign_is_stray(const parser_t *p)
{
    const char *s = p->query + p->pos;

    while (is_sign(*s))
        s++;
    return *s == '\0' || *s == ')' || space_length(s) > 0;
}

/* Move p->pos past whitespace and stray signs to where a token starts. */
static void skip_separators(parser_t *p)
{
    for (;;) {
        skip_spaces(p);
        if (!is_sign(p->query[p->pos]) || !sign_is_stray(p))
            return;
        while (is_sign(p->query[p->pos]))
            p->pos++;
    }
}

/* Scan the phrase whose opening quote is at @start into p->tok. */
static bool lex_phrase(parser_t *p, size_t start)
{
    size_t text_start = start + quote_length(p->query + start);
    size_t i = text_start, n = 0;

    while (p->query[i] != '\0' && (n = quote_length(p->query + i)) == 0)
        i++;
    if (p->query[i] == '\0') {
        fail(p, start, "unbalanced quote");
        return false;
    }
    set_token(p, TOK_PHRASE, start, i + n);
    p->tok.text_start = text_start;
    p->tok.text_end = i;
    return true;
}

/* "NEAR" or "NEAR/N" in p->tok: read the distance into the token. */
static bool read_near_distance(parser_t *p, size_t digits_start)
{
    const token_t *t = &p->tok;
    const char *digits = p->query + digits_start;
    size_t len = t->end - digits_start;
    unsigned long value = 0;
    char shown[SNIPPET_MAX_BYTES + 8];

    if (len == 0 || !is_digits(digits, len)) {
        format_snippet(p, t->start, t->end, shown, sizeof shown);
        fail(p, t->start, "bad NEAR distance in '%s': use NEAR/N with N "
             "from 1 to %d", shown, CS_QUERY_MAX_NEAR_DISTANCE);
        return false;
    }
    for (size_t i = 0; i < len && value <= CS_QUERY_MAX_NEAR_DISTANCE; i++)
        value = value * 10 + (unsigned long)(digits[i] - '0');
    if (value > CS_QUERY_MAX_NEAR_DISTANCE) {
        format_snippet(p, t->start, t->end, shown, sizeof shown);
        fail(p, t->start, "NEAR distance in '%s' is over %d", shown,
             CS_QUERY_MAX_NEAR_DISTANCE);
        return false;
    }
    if (value == 0) {
        /* two words cannot stand at one position */
        fail(p, t->start, "NEAR/0 can never match: use a \"phrase\" for adjacent "
             "words, or NEAR/1 to NEAR/%d", CS_QUERY_MAX_NEAR_DISTANCE);
        return false;
    }
    p->tok.distance = (unsigned)value;
    return true;
}

static bool word_is(const parser_t *p, const char *keyword)
{
    size_t len = strlen(keyword);

    return p->tok.end - p->tok.start == len &&
           memcmp(p->query + p->tok.start, keyword, len) == 0;
}

/* Turn the word in p->tok into an operator token when it spells one. */
static bool classify_word(parser_t *p)
{
    token_t *t = &p->tok;

    if (word_is(p, "AND"))
        t->kind = TOK_AND;
    else if (word_is(p, "OR"))
        t->kind = TOK_OR;
    else if (word_is(p, "NOT"))
        t->kind = TOK_NOT;
    else if (word_is(p, "NEAR")) {
        t->kind = TOK_NEAR;
        t->distance = DEFAULT_NEAR_DISTANCE;
    } else if (t->end - t->start >= 5 &&
               memcmp(p->query + t->start, "NEAR/", 5) == 0) {
        t->kind = TOK_NEAR;
        return read_near_distance(p, t->start + 5);
    }
    return true;
}

/* A word; right after a sign it is a term even if it spells "OR". */
static bool lex_word(parser_t *p, bool literal)
{
    size_t end = p->pos;

    while (is_word_byte(p->query + end))
        end++;
    set_token(p, TOK_WORD, p->pos, end);
    return literal || classify_word(p);
}

/* Scan the next token into p->tok.  False (with the error recorded) on an
 * unbalanced quote or a bad NEAR distance. */
static bool advance(parser_t *p)
{
    if (p->status != CS_OK)
        return false;
    skip_separators(p);

    const char *s = p->query + p->pos;
    bool literal = p->after_sign;

    p->after_sign = is_sign(*s);
    if (is_sign(*s))
        set_token(p, *s == '+' ? TOK_PLUS : TOK_MINUS, p->pos, p->pos + 1);
    else if (*s == '\0')
        set_token(p, TOK_END, p->pos, p->pos);
    else if (*s == '(')
        set_token(p, TOK_LPAREN, p->pos, p->pos + 1);
    else if (*s == ')')
        set_token(p, TOK_RPAREN, p->pos, p->pos + 1);
    else if (quote_length(s))
        return lex_phrase(p, p->pos);
    else
        return lex_word(p, literal);
    return true;
}

/* ------------------------------------------------------------------ */
/* Nodes and node lists                                                */
/* ------------------------------------------------------------------ */

static cs_qnode_t *node_new(parser_t *p, cs_qnode_kind_t kind, size_t offset)
{
    cs_qnode_t *node = calloc(1, sizeof *node);

    if (!node)
        return fail_nomem(p);
    node->kind = kind;
    node->offset = offset;
    return node;
}

static cs_qnode_t *node_new_text(parser_t *p, cs_qnode_kind_t kind,
                                 size_t offset, size_t start, size_t end)
{
    cs_qnode_t *node = node_new(p, kind, offset);

    if (node && !(node->text = copy_text(p->query + start, end - start))) {
        free(node);
        return fail_nomem(p);
    }
    return node;
}

/* A growing array of children, handed over to a node when complete. */
typedef struct node_list {
    cs_qnode_t **items;
    size_t n, cap;
} node_list_t;

static void list_free(node_list_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        cs_qnode_free(list->items[i]);
    free(list->items);
    *list = (node_list_t){ 0 };
}

static bool list_reserve(parser_t *p, node_list_t *list, size_t more)
{
    if (list->n + more <= list->cap)
        return true;
    size_t cap = list->cap ? list->cap : 4;
    while (cap < list->n + more)
        cap *= 2;
    cs_qnode_t **items = realloc(list->items, cap * sizeof *items);
    if (!items) {
        fail_nomem(p);
        return false;
    }
    list->items = items;
    list->cap = cap;
    return true;
}

/* Append @child (owned by the list from now on, freed on failure).  An
 * unmarked child of the same AND/OR kind gives its children instead, so
 * "a (b c)" is AND(a, b, c). */
static bool list_push(parser_t *p, node_list_t *list, cs_qnode_t *child,
                      cs_qnode_kind_t parent_kind)
{
    bool splice = (parent_kind == CS_Q_AND || parent_kind == CS_Q_OR) &&
                  child->kind == parent_kind && child->mod == CS_QMOD_NONE;
    size_t more = splice ? child->n_children : 1;

    if (!list_reserve(p, list, more)) {
        cs_qnode_free(child);
        return false;
    }
    if (!splice) {
        list->items[list->n++] = child;
        return true;
    }
    if (more > 0)   /* an empty AND from elsewhere: nothing to splice */
        memcpy(list->items + list->n, child->children,
               more * sizeof *list->items);
    list->n += more;
    free(child->children);
    free(child);
    return true;
}

/* The list as one node: its single item, or a @kind node over all of
 * them.  The list is emptied either way. */
static cs_qnode_t *node_from_list(parser_t *p, cs_qnode_kind_t kind,
                                  size_t offset, node_list_t *list)
{
    if (list->n == 1) {
        cs_qnode_t *only = list->items[0];
        free(list->items);
        *list = (node_list_t){ 0 };
        return only;
    }
    cs_qnode_t *node = node_new(p, kind, offset);
    if (!node) {
        list_free(list);
        return NULL;
    }
    node->children = list->items;
    node->n_children = list->n;
    *list = (node_list_t){ 0 };
    return node;
}

/* NOT(@kept, @excluded); @kept may be NULL (everything).  Takes both. */
static cs_qnode_t *node_not(parser_t *p, size_t offset, cs_qnode_t *kept,
                            cs_qnode_t *excluded)
{
    cs_qnode_t *node = node_new(p, CS_Q_NOT, offset);

    if (node && !(node->children = malloc(2 * sizeof *node->children))) {
        free(node);
        node = fail_nomem(p);
    }
    if (!node) {
        cs_qnode_free(kept);
        cs_qnode_free(excluded);
        return NULL;
    }
    node->children[0] = kept;
    node->children[1] = excluded;
    node->n_children = 2;
    return node;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static cs_qnode_t *parse_or(parser_t *p);

static bool starts_primary(token_kind_t kind)
{
    return kind == TOK_WORD || kind == TOK_PHRASE || kind == TOK_LPAREN;
}

static bool starts_unary(token_kind_t kind)
{
    return starts_primary(kind) || kind == TOK_PLUS || kind == TOK_MINUS ||
           kind == TOK_NOT;
}

/* A term was expected and p->tok cannot start one, with no operator
 * before it to blame: say what is wrong with the token itself. */
static void *fail_no_term(parser_t *p)
{
    const token_t *t = &p->tok;
    char shown[SNIPPET_MAX_BYTES + 8];

    switch (t->kind) {
    case TOK_END:
        return fail(p, 0, "nothing to search for");
    case TOK_RPAREN:
        return fail(p, t->start, "unmatched ')'");
    default:
        format_snippet(p, t->start, t->end, shown, sizeof shown);
        return fail(p, t->start, "'%s' needs a term before it", shown);
    }
}

/* Consume the operator p->tok and check that something @starts_ok can
 * follow it; blames the operator when not ("consensus AND"). */
static bool take_operator(parser_t *p, bool (*starts_ok)(token_kind_t))
{
    token_t op = p->tok;
    char shown[SNIPPET_MAX_BYTES + 8];

    if (!advance(p))
        return false;
    if (!starts_ok(p->tok.kind)) {
        format_snippet(p, op.start, op.end, shown, sizeof shown);
        fail(p, op.start, "'%s' needs a term after it", shown);
        return false;
    }
    return true;
}

/* Count one nesting level opened at @offset; false past the cap so deep
 * input cannot exhaust the stack. */
static bool enter_nesting(parser_t *p, size_t offset)
{
    if (++p->depth > CS_QUERY_MAX_NESTING) {
        fail(p, offset, "too deeply nested (over %d levels)",
             CS_QUERY_MAX_NESTING);
        return false;
    }
    return true;
}

/* "(" or_expr ")" */
static cs_qnode_t *parse_group(parser_t *p)
{
    size_t open = p->tok.start;

    if (!enter_nesting(p, open) || !advance(p))
        return NULL;
    if (p->tok.kind == TOK_END)
        return fail(p, open, "unbalanced '('");
    if (p->tok.kind == TOK_RPAREN)
        return fail(p, open, "empty parentheses");

    cs_qnode_t *inner = parse_or(p);
    if (!inner)
        return NULL;
    if (p->tok.kind != TOK_RPAREN) {
        cs_qnode_free(inner);
        return fail(p, open, "unbalanced '('");
    }
    p->depth--;
    if (!advance(p)) {
        cs_qnode_free(inner);
        return NULL;
    }
    return inner;
}

static cs_qnode_t *parse_phrase(parser_t *p)
{
    token_t t = p->tok;
    size_t i = t.text_start, n;

    while (i < t.text_end && (n = space_length(p->query + i)) > 0)
        i += n;
    if (i == t.text_end)
        return fail(p, t.start, "empty phrase");

    cs_qnode_t *node = node_new_text(p, CS_Q_PHRASE, t.start, t.text_start,
                                     t.text_end);
    if (node && !advance(p)) {
        cs_qnode_free(node);
        return NULL;
    }
    return node;
}

/* NAME:VALUE with a known NAME in the word p->tok; the value may be a
 * quoted string right after the colon (path:"Session 79*"). */
static cs_qnode_t *parse_field(parser_t *p, const field_def_t *field,
                               size_t colon)
{
    size_t start = p->tok.start, value_start = colon + 1, value_end;
    char shown[SNIPPET_MAX_BYTES + 8];

    if (value_start == p->tok.end && quote_length(p->query + value_start)) {
        if (!lex_phrase(p, value_start))
            return NULL;
        value_start = p->tok.text_start;
    }
    value_end = p->tok.kind == TOK_PHRASE ? p->tok.text_end : p->tok.end;
    if (value_start == value_end)
        return fail(p, start, "missing value after '%s:'", field->name);

    const char *problem = field->check
        ? field->check(p->query + value_start, value_end - value_start) : NULL;
    if (problem) {
        format_snippet(p, value_start, value_end, shown, sizeof shown);
        return fail(p, value_start, "bad %s value '%s': %s", field->name,
                    shown, problem);
    }

    cs_qnode_t *node = node_new_text(p, CS_Q_FIELD, start, value_start,
                                     value_end);
    if (!node)
        return NULL;
    if (!(node->field = copy_text(field->name, strlen(field->name)))) {
        cs_qnode_free(node);
        return fail_nomem(p);
    }
    return node;
}

/* A word ending in '*': the part before the stars, at least two
 * characters so one letter cannot expand to half the vocabulary. */
static cs_qnode_t *parse_prefix(parser_t *p)
{
    size_t start = p->tok.start, end = p->tok.end;

    while (end > start && p->query[end - 1] == '*')
        end--;
    if (utf8_char_count(p->query + start, end - start) < 2)
        return fail(p, start, "wildcard prefix too short");
    const char *inner = memchr(p->query + start, '*', end - start);
    if (inner)
        return fail(p, (size_t)(inner - p->query),
                    "a wildcard goes at the end of a word only (prefix*)");
    return node_new_text(p, CS_Q_PREFIX, start, start, end);
}

/* WORD, WORD"*" or FIELD:VALUE (then the lookahead moves on). */
static cs_qnode_t *parse_word(parser_t *p)
{
    const token_t t = p->tok;
    const char *colon = memchr(p->query + t.start, ':', t.end - t.start);
    const field_def_t *field =
        colon ? find_field(p->query + t.start,
                           (size_t)(colon - (p->query + t.start))) : NULL;
    cs_qnode_t *node;

    const char *star = memchr(p->query + t.start, '*', t.end - t.start);
    if (field)
        node = parse_field(p, field, (size_t)(colon - p->query));
    else if (star == p->query + t.start && strspn(star, "*") < t.end - t.start)
        return fail(p, t.start, "a wildcard goes at the end of a word only: "
                    "'*word' and other leading wildcards are not supported");
    else if (star)
        node = parse_prefix(p);
    else
        node = node_new_text(p, CS_Q_WORD, t.start, t.start, t.end);
    if (node && !advance(p)) {
        cs_qnode_free(node);
        return NULL;
    }
    return node;
}

static cs_qnode_t *parse_primary(parser_t *p)
{
    switch (p->tok.kind) {
    case TOK_WORD: return parse_word(p);
    case TOK_PHRASE: return parse_phrase(p);
    case TOK_LPAREN: return parse_group(p);
    default: return fail_no_term(p);
    }
}

/* primary ("NEAR/N" primary)*: one flat NEAR for a whole chain. */
static cs_qnode_t *parse_near(parser_t *p)
{
    size_t start = p->tok.start;
    cs_qnode_t *first = parse_primary(p);

    if (!first || p->tok.kind != TOK_NEAR)
        return first;

    unsigned distance = p->tok.distance;
    node_list_t operands = { 0 };
    if (!list_push(p, &operands, first, CS_Q_NEAR))
        return NULL;
    while (p->tok.kind == TOK_NEAR) {
        if (p->tok.distance != distance) {
            list_free(&operands);
            return fail(p, p->tok.start, "NEAR distances differ in one chain "
                        "(%u and %u)", distance, p->tok.distance);
        }
        cs_qnode_t *next = NULL;
        if (!take_operator(p, starts_primary) || !(next = parse_primary(p)) ||
            !list_push(p, &operands, next, CS_Q_NEAR)) {
            list_free(&operands);
            return NULL;
        }
    }
    cs_qnode_t *node = node_from_list(p, CS_Q_NEAR, start, &operands);
    if (node)
        node->distance = distance;
    return node;
}

/* ("+" | "-" | "NOT") unary | near */
static cs_qnode_t *parse_unary(parser_t *p)
{
    token_t op = p->tok;

    if (op.kind != TOK_PLUS && op.kind != TOK_MINUS && op.kind != TOK_NOT)
        return parse_near(p);
    if (!enter_nesting(p, op.start) || !take_operator(p, starts_unary))
        return NULL;

    cs_qnode_t *operand = parse_unary(p);
    if (!operand)
        return NULL;
    p->depth--;
    if (op.kind == TOK_PLUS) {
        operand->mod = CS_QMOD_REQUIRED;
        return operand;
    }
    return node_not(p, op.start, NULL, operand);
}

/* The items of one and_expr, sorted into what must match and what must
 * not. */
typedef struct and_group {
    size_t offset;
    node_list_t positives;
    node_list_t exclusions;
} and_group_t;

/* One item: an optional AND, then "-x" / "NOT x" (an exclusion) or a
 * positive unary. */
static bool parse_and_item(parser_t *p, and_group_t *group)
{
    if (p->tok.kind == TOK_AND && !take_operator(p, starts_unary))
        return false;

    bool excluded = p->tok.kind == TOK_MINUS || p->tok.kind == TOK_NOT;
    if (excluded && !take_operator(p, starts_unary))
        return false;

    cs_qnode_t *item = parse_unary(p);
    if (!item)
        return false;
    if (excluded)
        return list_push(p, &group->exclusions, item, CS_Q_OR);
    return list_push(p, &group->positives, item, CS_Q_AND);
}

/* NOT(AND(positives), OR(exclusions)), leaving out what is empty. */
static cs_qnode_t *finish_and_group(parser_t *p, and_group_t *group)
{
    cs_qnode_t *kept = NULL, *excluded = NULL;

    if (group->positives.n > 0 &&
        !(kept = node_from_list(p, CS_Q_AND, group->offset,
                                &group->positives))) {
        list_free(&group->exclusions);
        return NULL;
    }
    if (group->exclusions.n == 0)
        return kept;
    if (!(excluded = node_from_list(p, CS_Q_OR, group->exclusions.items[0]->offset,
                                    &group->exclusions))) {
        cs_qnode_free(kept);
        return NULL;
    }
    return node_not(p, group->offset, kept, excluded);
}

static cs_qnode_t *parse_and(parser_t *p)
{
    and_group_t group = { .offset = p->tok.start };

    if (!starts_unary(p->tok.kind))
        return fail_no_term(p);
    do {
        if (!parse_and_item(p, &group)) {
            list_free(&group.positives);
            list_free(&group.exclusions);
            return NULL;
        }
    } while (p->tok.kind == TOK_AND || starts_unary(p->tok.kind));
    return finish_and_group(p, &group);
}

static cs_qnode_t *parse_or(parser_t *p)
{
    size_t start = p->tok.start;
    node_list_t alternatives = { 0 };
    cs_qnode_t *first = parse_and(p);

    if (!first || p->tok.kind != TOK_OR)
        return first;
    if (!list_push(p, &alternatives, first, CS_Q_OR))
        return NULL;
    while (p->tok.kind == TOK_OR) {
        cs_qnode_t *next = NULL;
        if (!take_operator(p, starts_unary) || !(next = parse_and(p)) ||
            !list_push(p, &alternatives, next, CS_Q_OR)) {
            list_free(&alternatives);
            return NULL;
        }
    }
    return node_from_list(p, CS_Q_OR, start, &alternatives);
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

cs_status_t cs_query_parse(const char *query, cs_qnode_t **out,
                           size_t *err_offset, char **errmsg)
{
    parser_t p = { .query = query };
    cs_qnode_t *tree = NULL;

    if (err_offset)
        *err_offset = 0;
    if (errmsg)
        *errmsg = NULL;
    if (!out)
        return CS_ERR_INVALID;
    *out = NULL;
    if (!query)
        return CS_ERR_INVALID;

    /* parse_or stops only at the end or at a ')' it did not open. */
    if (advance(&p) && (tree = parse_or(&p)) && p.tok.kind != TOK_END)
        fail(&p, p.tok.start, "unmatched ')'");

    if (p.status != CS_OK) {
        cs_qnode_free(tree);
        if (p.status == CS_ERR_BAD_QUERY && !p.errmsg)
            p.status = CS_ERR_NOMEM;    /* the message itself did not fit */
        if (err_offset)
            *err_offset = p.err_offset;
        if (errmsg)
            *errmsg = p.errmsg;
        else
            free(p.errmsg);
        return p.status;
    }
    *out = tree;
    return CS_OK;
}

void cs_qnode_free(cs_qnode_t *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n_children; i++)
        cs_qnode_free(node->children[i]);
    free(node->children);
    free(node->text);
    free(node->field);
    free(node);
}

/* ------------------------------------------------------------------ */
/* Description                                                         */
/* ------------------------------------------------------------------ */

typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool failed;
} strbuf_t;

static void sb_append(strbuf_t *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_puts(strbuf_t *b, const char *s)
{
    sb_append(b, s, strlen(s));
}

/* Text as typed, except control bytes as \xNN: the description is one
 * line even for a phrase pasted across lines. */
static void sb_put_text(strbuf_t *b, const char *text)
{
    const char *run = text ? text : "";

    for (const char *s = run; ; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7F)
            continue;
        sb_append(b, run, (size_t)(s - run));
        if (c == '\0')
            return;
        char escape[5];
        snprintf(escape, sizeof escape, "\\x%02x", c);
        sb_puts(b, escape);
        run = s + 1;
    }
}

static void describe_into(strbuf_t *b, const cs_qnode_t *node);

/* The children of an n-ary node, comma-separated; children of an AND (OR)
 * that are themselves unmarked ANDs (ORs) are spliced in. */
static void describe_children(strbuf_t *b, const cs_qnode_t *node,
                              bool *first)
{
    for (size_t i = 0; i < node->n_children; i++) {
        const cs_qnode_t *child = node->children[i];
        bool splice = child && child->kind == node->kind &&
                      child->mod == CS_QMOD_NONE &&
                      (node->kind == CS_Q_AND || node->kind == CS_Q_OR);
        if (splice) {
            describe_children(b, child, first);
            continue;
        }
        if (!*first)
            sb_puts(b, ", ");
        *first = false;
        describe_into(b, child);
    }
}

static void describe_compound(strbuf_t *b, const cs_qnode_t *node,
                              const char *name)
{
    bool first = true;

    sb_puts(b, name);
    sb_puts(b, "(");
    describe_children(b, node, &first);
    sb_puts(b, ")");
}

static void describe_into(strbuf_t *b, const cs_qnode_t *node)
{
    char near_name[32];

    if (!node) {
        sb_puts(b, "*");
        return;
    }
    if (node->mod == CS_QMOD_REQUIRED)
        sb_puts(b, "+");
    else if (node->mod == CS_QMOD_EXCLUDED)
        sb_puts(b, "-");

    switch (node->kind) {
    case CS_Q_WORD:
        sb_puts(b, "word:");
        sb_put_text(b, node->text);
        break;
    case CS_Q_PREFIX:
        sb_puts(b, "prefix:");
        sb_put_text(b, node->text);
        sb_puts(b, "*");
        break;
    case CS_Q_PHRASE:
        sb_puts(b, "phrase:\"");
        sb_put_text(b, node->text);
        sb_puts(b, "\"");
        break;
    case CS_Q_FIELD:
        sb_puts(b, "field:");
        sb_put_text(b, node->field);
        sb_puts(b, "=");
        sb_put_text(b, node->text);
        break;
    case CS_Q_AND:
        describe_compound(b, node, "AND");
        break;
    case CS_Q_OR:
        describe_compound(b, node, "OR");
        break;
    case CS_Q_NOT:
        describe_compound(b, node, "NOT");
        break;
    case CS_Q_NEAR:
        snprintf(near_name, sizeof near_name, "NEAR/%u", node->distance);
        describe_compound(b, node, near_name);
        break;
    default:
        sb_puts(b, "?");
        break;
    }
}

char *cs_qnode_describe(const cs_qnode_t *node)
{
    strbuf_t b = { 0 };

    describe_into(&b, node);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
