/* check_query_parse.c - unit tests of the query parser (searcher/query_parse.c).
 *
 * The core is one table of queries with the canonical description each
 * must parse to, or the error offset and a substring of the message it
 * must be rejected with; tcase_add_loop_test runs one test per row.
 * Further tests cover the tree itself (offsets, NULL children, mods), the
 * API edges, and limits (deep nesting, long queries, odd bytes).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_parse.h"
#include "testutil.h"

typedef struct parse_case {
    const char *query;
    const char *description;   /* expected; NULL when the query is an error */
    size_t err_offset;
    const char *err_message;   /* a substring of the expected message */
} parse_case_t;

#define OK(query, description) { query, description, 0, NULL }
#define BAD(query, offset, message) { query, NULL, offset, message }

static const parse_case_t cases[] = {
    /* Words: everything but spaces, quotes and parentheses. */
    OK("consensus", "word:consensus"),
    OK("consensus report", "AND(word:consensus, word:report)"),
    OK("  consensus\t report\n", "AND(word:consensus, word:report)"),
    OK("U.S.-Russia", "word:U.S.-Russia"),
    OK("Open\xe2\x80\x91" "Ended ICTs 2021\xe2\x80\x93" "2025",
       "AND(word:Open\xe2\x80\x91" "Ended, word:ICTs, word:2021\xe2\x80\x93" "2025)"),
    OK("and or not near", "AND(word:and, word:or, word:not, word:near)"),
    OK("ANDROID ORBIT NOTE NEARBY",
       "AND(word:ANDROID, word:ORBIT, word:NOTE, word:NEARBY)"),
    OK("Tallinn\xc2\xa0Manual", "AND(word:Tallinn, word:Manual)"),
    OK("a\xe3\x80\x80" "b", "AND(word:a, word:b)"),
    OK("a+b e-mail", "AND(word:a+b, word:e-mail)"),
    OK("http://x note:this", "AND(word:http://x, word:note:this)"),
    OK("a\xff\xfe" "b \xe2\x80", "AND(word:a\xff\xfe" "b, word:\xe2\x80)"),
    OK("tab\x01" "ctl", "word:tab\\x01ctl"),

    /* AND, OR, grouping; nested ANDs and ORs are flattened. */
    OK("a AND b", "AND(word:a, word:b)"),
    OK("a OR b", "OR(word:a, word:b)"),
    OK("a OR b c", "OR(word:a, AND(word:b, word:c))"),
    OK("a b OR c AND d", "OR(AND(word:a, word:b), AND(word:c, word:d))"),
    OK("a OR b OR c", "OR(word:a, word:b, word:c)"),
    OK("(a OR b) c", "AND(OR(word:a, word:b), word:c)"),
    OK("a (b c) d", "AND(word:a, word:b, word:c, word:d)"),
    OK("((a))", "word:a"),
    OK("(a OR b) OR (c OR d)", "OR(word:a, word:b, word:c, word:d)"),
    OK("a(b)c", "AND(word:a, word:b, word:c)"),

    /* NOT, '-' and '+'. */
    OK("a NOT b", "NOT(word:a, word:b)"),
    OK("a b -c", "NOT(AND(word:a, word:b), word:c)"),
    OK("NOT a", "NOT(*, word:a)"),
    OK("-a", "NOT(*, word:a)"),
    OK("-sanctions Russia", "NOT(word:Russia, word:sanctions)"),
    OK("a -b -c", "NOT(word:a, OR(word:b, word:c))"),
    OK("-a -b", "NOT(*, OR(word:a, word:b))"),
    OK("a AND NOT b", "NOT(word:a, word:b)"),
    OK("a AND -b", "NOT(word:a, word:b)"),
    OK("a OR NOT b", "OR(word:a, NOT(*, word:b))"),
    OK("a NOT (b OR c)", "NOT(word:a, OR(word:b, word:c))"),
    OK("(a -b) c", "AND(NOT(word:a, word:b), word:c)"),
    OK("+a b", "AND(+word:a, word:b)"),
    OK("+(a b) c", "AND(+AND(word:a, word:b), word:c)"),
    OK("-\"draft resolution\" UN", "NOT(word:UN, phrase:\"draft resolution\")"),
    OK("Russia - China", "AND(word:Russia, word:China)"),
    OK("a -- b +", "AND(word:a, word:b)"),
    OK("-NOT +OR", "NOT(+word:OR, word:NOT)"),
    OK("a --b", "NOT(word:a, NOT(*, word:b))"),
    OK("NOT NOT a", "NOT(*, NOT(*, word:a))"),

    /* Phrases, straight or curly quotes, raw text inside. */
    OK("\"open-ended working group\"", "phrase:\"open-ended working group\""),
    OK("\xe2\x80\x9cOpen-Ended Working Group\xe2\x80\x9d",
       "phrase:\"Open-Ended Working Group\""),
    OK("\xe2\x80\x9cmixed quotes\"", "phrase:\"mixed quotes\""),
    OK("\"a (b) OR c*\"", "phrase:\"a (b) OR c*\""),
    OK("\"line\nbreak\"", "phrase:\"line\\x0abreak\""),
    OK("say\"so\"", "AND(word:say, phrase:\"so\")"),

    /* Wildcards: at least two characters before the '*'. */
    OK("cyber*", "prefix:cyber*"),
    OK("cyber* norms", "AND(prefix:cyber*, word:norms)"),
    OK("\xc3\xa9\xc3\xa9*", "prefix:\xc3\xa9\xc3\xa9*"),
    OK("cyber**", "prefix:cyber*"),
    OK("+cy* a", "AND(+prefix:cy*, word:a)"),
    OK("+cy*", "+prefix:cy*"),

    /* NEAR: default 10, chains are one flat node. */
    OK("OEWG NEAR/5 GGE", "NEAR/5(word:OEWG, word:GGE)"),
    OK("a NEAR b", "NEAR/10(word:a, word:b)"),
    OK("a NEAR/3 b NEAR/3 c", "NEAR/3(word:a, word:b, word:c)"),
    OK("\"due diligence\" NEAR/1 state",
       "NEAR/1(phrase:\"due diligence\", word:state)"),
    OK("a NEAR/007 b", "NEAR/7(word:a, word:b)"),
    OK("a NEAR/1000 b", "NEAR/1000(word:a, word:b)"),
    OK("a b NEAR/2 c", "AND(word:a, NEAR/2(word:b, word:c))"),
    OK("-a NEAR/2 b", "NOT(*, NEAR/2(word:a, word:b))"),
    OK("(a OR b) NEAR/4 cy*", "NEAR/4(OR(word:a, word:b), prefix:cy*)"),
    OK("-NEAR/x", "NOT(*, word:NEAR/x)"),

    /* Fields. */
    OK("year:1998", "field:year=1998"),
    OK("year:2019..2024 cyber*", "AND(field:year=2019..2024, prefix:cyber*)"),
    OK("year:..2000", "field:year=..2000"),
    OK("year:2019..", "field:year=2019.."),
    OK("year:2019..2019", "field:year=2019..2019"),
    OK("year:\"2021\"", "field:year=2021"),
    OK("path:\"Session 79*\"", "field:path=Session 79*"),
    OK("path:corpus/un/*.txt", "field:path=corpus/un/*.txt"),
    OK("Year:2020 PATH:x", "AND(field:year=2020, field:path=x)"),
    OK("-path:drafts/* norms", "NOT(word:norms, field:path=drafts/*)"),
    OK("path:AND", "field:path=AND"),
    OK("year:2019 OR year:2021",
       "OR(field:year=2019, field:year=2021)"),

    /* Nothing to search for. */
    BAD("", 0, "nothing to search for"),
    BAD("   ", 0, "nothing to search for"),
    BAD("-", 0, "nothing to search for"),
    BAD(" + - ", 0, "nothing to search for"),
    BAD("\"\"", 0, "empty phrase"),
    BAD("a \"  \"", 2, "empty phrase"),
    BAD("()", 0, "empty parentheses"),
    BAD("a ( ) b", 2, "empty parentheses"),
    BAD("(-)", 0, "empty parentheses"),

    /* Quotes and parentheses. */
    BAD("a \"open ended", 2, "unbalanced quote"),
    BAD("\xe2\x80\x9copen ended", 0, "unbalanced quote"),
    BAD("(a b", 0, "unbalanced '('"),
    BAD("a (b (c) d", 2, "unbalanced '('"),
    BAD("(", 0, "unbalanced '('"),
    BAD("a b)", 3, "unmatched ')'"),
    BAD(")", 0, "unmatched ')'"),
    BAD("(a) ) (b)", 4, "unmatched ')'"),

    /* Dangling operators: the operator is blamed. */
    BAD("consensus AND", 10, "'AND' needs a term after it"),
    BAD("OR report", 0, "'OR' needs a term before it"),
    BAD("NEAR/5 x", 0, "'NEAR/5' needs a term before it"),
    BAD("a NOT", 2, "'NOT' needs a term after it"),
    BAD("a AND OR b", 2, "'AND' needs a term after it"),
    BAD("(a OR)", 3, "'OR' needs a term after it"),
    BAD("(AND a)", 1, "'AND' needs a term before it"),
    BAD("a NEAR/2 -b", 2, "'NEAR/2' needs a term after it"),
    BAD("a NEAR", 2, "'NEAR' needs a term after it"),

    /* NEAR distances. */
    BAD("a NEAR/x b", 2, "bad NEAR distance in 'NEAR/x'"),
    BAD("a NEAR/ b", 2, "bad NEAR distance"),
    BAD("a NEAR/-1 b", 2, "bad NEAR distance"),
    BAD("a NEAR/100000 b", 2, "is over 1000"),
    BAD("a NEAR/1001 b", 2, "is over 1000"),
    BAD("a NEAR/99999999999999999999999999 b", 2, "is over 1000"),
    BAD("a NEAR/3 b NEAR/4 c", 11, "NEAR distances differ"),

    /* Wildcards. */
    BAD("*", 0, "wildcard prefix too short"),
    /* only prefix wildcards; NEAR/0 could never match */
    BAD("a*b", 1, "end of a word only"),
    BAD("x *ab", 2, "leading wildcards are not supported"),
    BAD("*security", 0, "leading wildcards are not supported"),
    BAD("\"due diligence\" NEAR/0 state", 16, "NEAR/0 can never match"),
    BAD("a c*", 2, "wildcard prefix too short"),
    BAD("\xc3\xa9*", 0, "wildcard prefix too short"),
    BAD("(x -**)", 4, "wildcard prefix too short"),

    /* Field values. */
    BAD("year:20x9", 5, "bad year value '20x9'"),
    BAD("year:2024..2019", 5, "the range is reversed"),
    BAD("year:..", 5, "bad year value"),
    BAD("year:19", 5, "bad year value"),
    BAD("year:2019...2020", 5, "bad year value"),
    BAD("norms year:\"20x9\"", 12, "bad year value"),
    BAD("path:", 0, "missing value after 'path:'"),
    BAD("x path: \"y\"", 2, "missing value after 'path:'"),
    BAD("path:\"\"", 0, "missing value after 'path:'"),
    BAD("path:\"unclosed", 5, "unbalanced quote"),
};

enum { N_CASES = sizeof cases / sizeof cases[0] };

/* Parse @query and return its description, or NULL after checking that
 * the parse failed; the error goes to @offset / @message (caller frees). */
static char *parse_describe(const char *query, cs_status_t *status,
                            size_t *offset, char **message)
{
    cs_qnode_t *tree = NULL;
    char *description = NULL;

    *status = cs_query_parse(query, &tree, offset, message);
    if (*status == CS_OK) {
        ck_assert_ptr_nonnull(tree);
        ck_assert_ptr_null(*message);
        description = cs_qnode_describe(tree);
        ck_assert_ptr_nonnull(description);
        cs_qnode_free(tree);
    } else {
        ck_assert_ptr_null(tree);
    }
    return description;
}

START_TEST(test_table)
{
    const parse_case_t *c = &cases[_i];
    cs_status_t status;
    size_t offset = 12345;
    char *message = NULL;
    char *description = parse_describe(c->query, &status, &offset, &message);

    if (c->description) {
        ck_assert_msg(status == CS_OK, "'%s' failed at %zu: %s", c->query,
                      offset, message ? message : "(no message)");
        ck_assert_str_eq(description, c->description);
    } else {
        ck_assert_msg(status == CS_ERR_BAD_QUERY, "'%s' parsed to %s",
                      c->query, description ? description : "?");
        ck_assert_ptr_nonnull(message);
        ck_assert_msg(offset == c->err_offset, "'%s': offset %zu, not %zu (%s)",
                      c->query, offset, c->err_offset, message);
        ck_assert_msg(strstr(message, c->err_message) != NULL,
                      "'%s': message '%s' lacks '%s'", c->query, message,
                      c->err_message);
        ck_assert_uint_le(offset, strlen(c->query));
    }
    free(description);
    free(message);
}
END_TEST

static void assert_one_line(const char *query)
{
    cs_qnode_t *tree = NULL;
    size_t offset;
    char *message = NULL;

    ck_assert_int_eq(cs_query_parse(query, &tree, &offset, &message),
                     CS_ERR_BAD_QUERY);
    ck_assert_ptr_nonnull(message);
    ck_assert_uint_gt(strlen(message), 0);
    ck_assert_msg(strpbrk(message, "\n\r\v\f") == NULL,
                  "message of '%s' spans lines: %s", query, message);
    for (const char *s = message; *s; s++)
        ck_assert_msg((unsigned char)*s >= 0x20 && *s != 0x7F,
                      "control byte in message of '%s'", query);
    free(message);
}

START_TEST(test_messages_are_one_line)
{
    for (size_t i = 0; i < N_CASES; i++)
        if (!cases[i].description)
            assert_one_line(cases[i].query);
    /* Query text quoted in messages, with control bytes in it. */
    assert_one_line("a NEAR/\x01\x02\x7f b");
    assert_one_line("year:19\x1b[31m");
    assert_one_line("a NEAR/1\x01" "2 b");
    assert_one_line("\"\n\n");
}
END_TEST

START_TEST(test_message_quotes_are_short)
{
    char query[4096] = "year:";
    size_t offset;
    char *message = NULL;
    cs_qnode_t *tree = NULL;

    memset(query + 5, '9', sizeof query - 6);
    query[sizeof query - 1] = '\0';
    ck_assert_int_eq(cs_query_parse(query, &tree, &offset, &message),
                     CS_ERR_BAD_QUERY);
    ck_assert_uint_eq(offset, 5);
    ck_assert_uint_lt(strlen(message), 200);
    free(message);
}
END_TEST

START_TEST(test_free_and_describe_null)
{
    cs_qnode_free(NULL);
    char *description = cs_qnode_describe(NULL);
    ck_assert_str_eq(description, "*");
    free(description);
}
END_TEST

START_TEST(test_invalid_arguments)
{
    cs_qnode_t *tree = (cs_qnode_t *)&tree;
    size_t offset = 7;
    char *message = (char *)"x";

    ck_assert_int_eq(cs_query_parse(NULL, &tree, &offset, &message),
                     CS_ERR_INVALID);
    ck_assert_ptr_null(tree);
    ck_assert_ptr_null(message);
    ck_assert_int_eq(cs_query_parse("a", NULL, NULL, NULL), CS_ERR_INVALID);
}
END_TEST

START_TEST(test_optional_error_outputs)
{
    cs_qnode_t *tree = NULL;

    ck_assert_int_eq(cs_query_parse("a AND", &tree, NULL, NULL),
                     CS_ERR_BAD_QUERY);
    ck_assert_ptr_null(tree);
    ck_assert_int_eq(cs_query_parse("a b", &tree, NULL, NULL), CS_OK);
    cs_qnode_free(tree);
}
END_TEST

static cs_qnode_t *parse_ok(const char *query)
{
    cs_qnode_t *tree = NULL;
    size_t offset;
    char *message = NULL;
    cs_status_t status = cs_query_parse(query, &tree, &offset, &message);

    ck_assert_msg(status == CS_OK, "'%s': %s", query, message ? message : "");
    return tree;
}

START_TEST(test_tree_shape)
{
    cs_qnode_t *tree = parse_ok("  NOT \"a b\"");
    ck_assert_int_eq(tree->kind, CS_Q_NOT);
    ck_assert_uint_eq(tree->n_children, 2);
    ck_assert_ptr_null(tree->children[0]);
    ck_assert_int_eq(tree->children[1]->kind, CS_Q_PHRASE);
    ck_assert_str_eq(tree->children[1]->text, "a b");
    ck_assert_uint_eq(tree->children[1]->offset, 6);
    cs_qnode_free(tree);

    tree = parse_ok("x +cyber* YEAR:2019..");
    ck_assert_int_eq(tree->kind, CS_Q_AND);
    ck_assert_uint_eq(tree->n_children, 3);
    ck_assert_uint_eq(tree->children[0]->offset, 0);
    ck_assert_int_eq(tree->children[1]->kind, CS_Q_PREFIX);
    ck_assert_int_eq(tree->children[1]->mod, CS_QMOD_REQUIRED);
    ck_assert_str_eq(tree->children[1]->text, "cyber");
    ck_assert_uint_eq(tree->children[1]->offset, 3);
    ck_assert_int_eq(tree->children[2]->kind, CS_Q_FIELD);
    ck_assert_str_eq(tree->children[2]->field, "year");
    ck_assert_str_eq(tree->children[2]->text, "2019..");
    ck_assert_uint_eq(tree->children[2]->offset, 10);
    cs_qnode_free(tree);

    tree = parse_ok("a NEAR b NEAR c");
    ck_assert_int_eq(tree->kind, CS_Q_NEAR);
    ck_assert_uint_eq(tree->distance, 10);
    ck_assert_uint_eq(tree->n_children, 3);
    ck_assert_str_eq(tree->children[2]->text, "c");
    cs_qnode_free(tree);
}
END_TEST

/* Trees built by hand (not by the parser): marks and unflattened nests. */
START_TEST(test_describe_hand_built)
{
    cs_qnode_t a = { .kind = CS_Q_WORD, .text = (char *)"a",
                     .mod = CS_QMOD_EXCLUDED };
    cs_qnode_t b = { .kind = CS_Q_WORD, .text = NULL };
    cs_qnode_t *inner_children[] = { &a, &b };
    cs_qnode_t inner = { .kind = CS_Q_OR, .children = inner_children,
                         .n_children = 2 };
    cs_qnode_t c = { .kind = CS_Q_PHRASE, .text = (char *)"x y" };
    cs_qnode_t *outer_children[] = { &inner, &c };
    cs_qnode_t outer = { .kind = CS_Q_OR, .children = outer_children,
                         .n_children = 2 };
    char *description = cs_qnode_describe(&outer);

    ck_assert_str_eq(description, "OR(-word:a, word:, phrase:\"x y\")");
    free(description);
}
END_TEST

/* @levels_ok copies of @open around @middle parse; one more fails at
 * byte @fail_at of the last copy. */
static void assert_nesting_cap(const char *open, const char *middle,
                               const char *close, int levels_ok,
                               size_t fail_at)
{
    size_t unit = strlen(open), closing = strlen(close);
    size_t size = (size_t)(levels_ok + 1) * (unit + closing) + strlen(middle) + 1;
    char *query = malloc(size);
    cs_qnode_t *tree = NULL;
    size_t offset;
    char *message = NULL;

    for (int levels = levels_ok; levels <= levels_ok + 1; levels++) {
        char *q = query;
        for (int i = 0; i < levels; i++, q += unit)
            memcpy(q, open, unit);
        memcpy(q, middle, strlen(middle));
        q += strlen(middle);
        for (int i = 0; i < levels; i++, q += closing)
            memcpy(q, close, closing);
        *q = '\0';
        cs_status_t status = cs_query_parse(query, &tree, &offset, &message);
        if (levels == levels_ok) {
            ck_assert_msg(status == CS_OK, "%d levels: %s", levels, message);
            cs_qnode_free(tree);
        } else {
            ck_assert_int_eq(status, CS_ERR_BAD_QUERY);
            ck_assert_ptr_nonnull(strstr(message, "too deeply nested"));
            ck_assert_uint_eq(offset, (size_t)levels_ok * unit + fail_at);
            free(message);
        }
    }
    free(query);
}

START_TEST(test_nesting_cap)
{
    assert_nesting_cap("(", "a", ")", CS_QUERY_MAX_NESTING, 0);
    /* The first '-' of a group is an exclusion item; each further one nests. */
    assert_nesting_cap("-", "-a", "", CS_QUERY_MAX_NESTING, 1);
    assert_nesting_cap("NOT (", "a", ")", CS_QUERY_MAX_NESTING, 4);
}
END_TEST

/* Much deeper than the cap: an error, not a stack overflow. */
START_TEST(test_very_deep_input)
{
    size_t n = 200000;
    char *query = malloc(2 * n + 2);
    cs_qnode_t *tree = NULL;
    size_t offset;
    char *message = NULL;

    memset(query, '(', n);
    query[n] = 'a';
    memset(query + n + 1, ')', n);
    query[2 * n + 1] = '\0';
    ck_assert_int_eq(cs_query_parse(query, &tree, &offset, &message),
                     CS_ERR_BAD_QUERY);
    free(message);

    memset(query, '+', 2 * n);
    query[2 * n] = 'a';
    query[2 * n + 1] = '\0';
    ck_assert_int_eq(cs_query_parse(query, &tree, &offset, &message),
                     CS_ERR_BAD_QUERY);
    ck_assert_ptr_nonnull(strstr(message, "too deeply nested"));
    free(message);
    free(query);
}
END_TEST

/* @count copies of @unit (then @last instead of the final unit's tail). */
static char *repeat(const char *unit, size_t count, const char *last)
{
    size_t len = strlen(unit);
    char *query = malloc(len * count + strlen(last) + 1);
    char *q = query;

    for (size_t i = 0; i < count; i++, q += len)
        memcpy(q, unit, len);
    strcpy(q, last);
    return query;
}

static void assert_children(const char *query, cs_qnode_kind_t kind,
                            size_t n_children)
{
    cs_qnode_t *tree = parse_ok(query);

    ck_assert_int_eq(tree->kind, kind);
    ck_assert_uint_eq(tree->n_children, n_children);
    char *description = cs_qnode_describe(tree);
    ck_assert_ptr_nonnull(description);
    free(description);
    cs_qnode_free(tree);
}

START_TEST(test_long_queries)
{
    enum { N = 100000 };
    char *query;

    query = repeat("norms ", N, "x");
    assert_children(query, CS_Q_AND, N + 1);
    free(query);

    query = repeat("a OR ", N, "b");
    assert_children(query, CS_Q_OR, N + 1);
    free(query);

    query = repeat("a NEAR/2 ", N, "b");
    assert_children(query, CS_Q_NEAR, N + 1);
    free(query);

    query = repeat("x -y ", N, "");
    cs_qnode_t *tree = parse_ok(query);
    ck_assert_int_eq(tree->kind, CS_Q_NOT);
    ck_assert_uint_eq(tree->children[0]->n_children, N);
    ck_assert_uint_eq(tree->children[1]->n_children, N);
    cs_qnode_free(tree);
    free(query);

    query = repeat("(a) ", N, "");
    assert_children(query, CS_Q_AND, N);
    free(query);

    query = repeat("word ", N, "\"");
    query[0] = '"';     /* "ord word ... word " */
    tree = parse_ok(query);
    ck_assert_int_eq(tree->kind, CS_Q_PHRASE);
    cs_qnode_free(tree);
    free(query);
}
END_TEST

/* Deterministic random queries from pieces that stress the grammar:
 * every one parses or fails cleanly, in bounds, on one line. */
START_TEST(test_random_pieces)
{
    static const char *const pieces[] = {
        "a", "Norms", " ", "  ", "(", ")", "\"", "\xe2\x80\x9c", "\xe2\x80\x9d",
        "AND", "OR", "NOT", "NEAR", "NEAR/3", "NEAR/x", "+", "-", "*", "ab*",
        "year:", "2019", "..", "path:", "\xc2\xa0", "\xff", "\xe2\x80", ":",
        "\n", "\t", "e\xcc\x81", "NEAR/0", "x:y",
    };
    enum { N_PIECES = sizeof pieces / sizeof pieces[0] };
    unsigned long seed = 12345;
    char query[256];

    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int count = (int)(seed % 12);
        for (int i = 0; i < count; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            const char *piece = pieces[(seed >> 33) % N_PIECES];
            if (len + strlen(piece) + 1 >= sizeof query)
                break;
            memcpy(query + len, piece, strlen(piece));
            len += strlen(piece);
        }
        query[len] = '\0';
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;

        cs_qnode_t *tree = NULL;
        size_t offset = 0;
        char *message = NULL;
        cs_status_t status = cs_query_parse(query, &tree, &offset, &message);
        if (status == CS_OK) {
            char *description = cs_qnode_describe(tree);
            ck_assert_ptr_nonnull(description);
            ck_assert_ptr_null(strchr(description, '\n'));
            free(description);
            cs_qnode_free(tree);
        } else {
            ck_assert_int_eq(status, CS_ERR_BAD_QUERY);
            ck_assert_uint_le(offset, len);
            ck_assert_ptr_null(strchr(message, '\n'));
            free(message);
        }
    }
}
END_TEST

static Suite *query_parse_suite(void)
{
    Suite *suite = suite_create("query_parse");
    TCase *core = tcase_create("core");
    TCase *limits = tcase_create("limits");

    tcase_add_loop_test(core, test_table, 0, N_CASES);
    tcase_add_test(core, test_messages_are_one_line);
    tcase_add_test(core, test_message_quotes_are_short);
    tcase_add_test(core, test_free_and_describe_null);
    tcase_add_test(core, test_invalid_arguments);
    tcase_add_test(core, test_optional_error_outputs);
    tcase_add_test(core, test_tree_shape);
    tcase_add_test(core, test_describe_hand_built);
    suite_add_tcase(suite, core);

    tcase_add_test(limits, test_nesting_cap);
    tcase_add_test(limits, test_very_deep_input);
    tcase_add_test(limits, test_long_queries);
    tcase_add_test(limits, test_random_pieces);
    tcase_set_timeout(limits, 120);
    suite_add_tcase(suite, limits);
    return suite;
}

int main(void)
{
    return test_run(query_parse_suite());
}
