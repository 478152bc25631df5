/* check_snippet.c - snippet windows, highlights and sanitizing, on passage
 * records built in memory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"
#include "testutil.h"

static cs_analyzer_t *analyzer;
static cs_matchset_t matches;

static void setup(void)
{
    ck_assert_int_eq(cs_analyzer_new("english", &analyzer, NULL), CS_OK);
    memset(&matches, 0, sizeof matches);
}

static void teardown(void)
{
    _cs_matchset_free(&matches);
    cs_analyzer_free(analyzer);
}

/* Highlight @word by its stem, with @weight. */
static void want_stem(const char *word, double weight)
{
    char stem[CS_TERM_MAX + 1];
    size_t n = cs_analyzer_stem(analyzer, word, strlen(word), stem, sizeof stem);
    ck_assert_uint_ne(n, (size_t)-1);
    ck_assert(_cs_matchset_add(&matches, stem, n, word, 1));
    matches.items[matches.count - 1].weight = weight;
}

static cs_passage_record_t record(const char *text, uint64_t start, uint32_t line, uint32_t col)
{
    cs_passage_record_t rec = { 0 };
    rec.path = "f.txt";
    rec.path_len = 5;
    rec.start = start;
    rec.end = start + strlen(text);
    rec.line = line;
    rec.col = col;
    rec.text = text;
    rec.text_len = strlen(text);
    return rec;
}

static char *marked(const cs_snippet_t *sn, size_t i)
{
    static char buf[256];
    size_t n = sn->marks[2 * i + 1] - sn->marks[2 * i];
    memcpy(buf, sn->text.data + sn->marks[2 * i], n);
    buf[n] = '\0';
    return buf;
}

/* Words "w0 w1 ... w(n-1)" with @insert placed at word @at. */
static char *words_with(int n, int at, const char *insert)
{
    static char buf[16384];
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        char w[32];
        if (i == at)
            strcat(buf, insert);
        else {
            snprintf(w, sizeof w, "w%d", i);
            strcat(buf, w);
        }
        strcat(buf, i + 1 < n ? " " : "");
    }
    return buf;
}

START_TEST(test_short_passage_whole_no_ellipsis)
{
    want_stem("consensus", 1);
    cs_passage_record_t rec = record("The consensus report was adopted.", 0, 1, 1);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 40, &sn));
    ck_assert_str_eq(sn.text.data, "The consensus report was adopted.");
    ck_assert_uint_eq(sn.count, 1);
    ck_assert_str_eq(marked(&sn, 0), "consensus");
    ck_assert_uint_eq(sn.highlights[0].start, 4);
    ck_assert_uint_eq(sn.highlights[0].end, 13);
    _cs_snippet_free(&sn);
}
END_TEST

START_TEST(test_window_moves_to_the_match)
{
    want_stem("consensus", 1);
    char *text = words_with(200, 150, "consensus");
    cs_passage_record_t rec = record(text, 1000, 7, 3);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 40, &sn));
    ck_assert(strncmp(sn.text.data, "\xE2\x80\xA6 ", 4) == 0);                 /* "… " */
    ck_assert_str_eq(sn.text.data + sn.text.len - 4, " \xE2\x80\xA6");         /* " …" */
    ck_assert_uint_eq(sn.count, 1);
    ck_assert_str_eq(marked(&sn, 0), "consensus");
    /* the match keeps a few words of context before it */
    ck_assert_ptr_nonnull(strstr(sn.text.data, "w146 w147 w148 w149 consensus"));
    /* at most 40 words shown */
    int words = 0;
    for (char *p = sn.text.data; *p; p++)
        words += *p == ' ';
    ck_assert_int_le(words, 42);
    /* the source range is the passage start plus the offset in the passage */
    const char *at = strstr(text, "consensus");
    ck_assert_uint_eq(sn.highlights[0].start, 1000 + (uint64_t)(at - text));
    ck_assert_uint_eq(sn.highlights[0].line, 7);
    ck_assert_uint_eq(sn.highlights[0].col, 3 + (uint32_t)(at - text));
    _cs_snippet_free(&sn);
}
END_TEST

/* The window holding two distinct query words beats one holding many
 * repeats of the commoner word. */
START_TEST(test_window_prefers_distinct_rare_words)
{
    want_stem("report", 0.2);
    want_stem("ransomware", 3.0);
    char text[16384];
    snprintf(text, sizeof text, "report report report report %s report ransomware tail",
             words_with(120, -1, ""));
    cs_passage_record_t rec = record(text, 0, 1, 1);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 20, &sn));
    ck_assert_ptr_nonnull(strstr(sn.text.data, "ransomware"));
    ck_assert(sn.found[0] && sn.found[1]);
    _cs_snippet_free(&sn);
}
END_TEST

START_TEST(test_lines_and_columns_across_newlines)
{
    want_stem("group", 1);
    /* starts at line 3 column 5; the match is on the next line, after "é" */
    cs_passage_record_t rec = record("first line\n\xC3\xA9 working group here", 40, 3, 5);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 40, &sn));
    ck_assert_uint_eq(sn.count, 1);
    ck_assert_uint_eq(sn.highlights[0].line, 4);
    ck_assert_uint_eq(sn.highlights[0].col, 1 + 2 + 1 + 8);  /* é is 2 bytes */
    ck_assert_uint_eq(sn.highlights[0].start, 40 + 11 + 11);
    ck_assert_str_eq(sn.text.data, "first line \xC3\xA9 working group here");
    _cs_snippet_free(&sn);
}
END_TEST

START_TEST(test_utf8_marks_cover_whole_characters)
{
    want_stem("philemon", 1);
    cs_passage_record_t rec = record("\xE2\x80\x9CPhil\xC3\xA9mon\xE2\x80\x9D said", 0, 1, 1);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 40, &sn));
    ck_assert_uint_eq(sn.count, 1);
    ck_assert_str_eq(marked(&sn, 0), "Phil\xC3\xA9mon");
    ck_assert_uint_eq(sn.highlights[0].start, 3);
    ck_assert_uint_eq(sn.highlights[0].end, 3 + 9);
    _cs_snippet_free(&sn);
}
END_TEST

/* Found by fuzz/fuzz_snippet.c: two matching CJK bigrams overlap (网络,
 * 络安 in 网络安全); the second one's gap to the first wrapped round and the
 * copy read past the passage.  They make one mark, 网络安. */
START_TEST(test_overlapping_bigram_matches)
{
    want_stem("\xE7\xBD\x91\xE7\xBB\x9C", 1);  /* 网络 */
    want_stem("\xE7\xBB\x9C\xE5\xAE\x89", 1);  /* 络安 */
    cs_passage_record_t rec = record("\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8", 0, 1, 1);
    cs_snippet_t sn;
    ck_assert(_cs_snippet_make(analyzer, &matches, NULL, &rec, 40, &sn));
    ck_assert_uint_eq(sn.count, 1);   /* overlapping bigrams: one mark over both */
    ck_assert_str_eq(marked(&sn, 0), "\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89");
    for (size_t i = 0; i < sn.count; i++) {
        ck_assert_uint_lt(sn.marks[2 * i], sn.marks[2 * i + 1]);
        ck_assert_uint_le(sn.marks[2 * i + 1], sn.text.len);
        ck_assert(i == 0 || sn.marks[2 * i] >= sn.marks[2 * i - 1]);
    }
    ck_assert_uint_eq(sn.text.len, rec.text_len);
    _cs_snippet_free(&sn);
}
END_TEST

typedef struct sanitize_case {
    const char *input;
    const char *expected;
} sanitize_case_t;

static const sanitize_case_t sanitize_cases[] = {
    { "plain text", "plain text" },
    { "tab\tand\nnewline\r\nend", "tab and newline end" },
    { "ansi \033[31mred\033[0m", "ansi [31mred [0m" },             /* ESC removed */
    { "osc \033]0;title\007 bell", "osc ]0;title bell" },
    { "c1 csi \xC2\x9B" "31m", "c1 csi 31m" },                      /* U+009B */
    { "del\x7f" "x", "del x" },
    { "bad \xFF\xFE bytes", "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes" },
    { "overlong \xC0\xAF", "overlong \xEF\xBF\xBD\xEF\xBF\xBD" },
    { "truncated \xE2\x80", "truncated \xEF\xBF\xBD\xEF\xBF\xBD" },
    { "nbsp\xC2\xA0kept", "nbsp\xC2\xA0kept" },
    { "   many    spaces   ", "many spaces " },
    { "report\xE2\x80\xAE" "fdp.exe", "reportfdp.exe" },                /* U+202E RLO */
    { "a\xE2\x81\xA6" "b\xE2\x81\xA9" "c \xE2\x80\x8F" "d", "abc d" },  /* isolates, RLM */
};

START_TEST(test_sanitize_table)
{
    const sanitize_case_t *t = &sanitize_cases[_i];
    cs_buf_t out;
    _cs_buf_init(&out);
    _cs_append_sanitized(&out, t->input, strlen(t->input));
    ck_assert_msg(out.data && strcmp(out.data, t->expected) == 0, "'%s' became '%s', want '%s'",
                  t->input, out.data ? out.data : "", t->expected);
    for (size_t i = 0; i < out.len; i++)
        ck_assert((unsigned char)out.data[i] >= 0x20 && out.data[i] != 0x7f);
    _cs_buf_free(&out);
}
END_TEST

START_TEST(test_proximity_measure)
{
    want_stem("consensus", 1);
    char *words[] = { "consensus", "report" };
    cs_proximity_t prox = { words, 2 };
    const char *texts[] = { "the consensus report", "consensus on the final report",
                            "report and consensus", "consensus w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 report" };
    const double want[] = { 1.0, 0.5, 0.5, 0.0 };
    for (int i = 0; i < 4; i++) {
        cs_passage_record_t rec = record(texts[i], 0, 1, 1);
        double got;
        ck_assert(_cs_rank_proximity(analyzer, &prox, rec.text, rec.text_len, &got));
        ck_assert_msg(got == want[i], "'%s': proximity %g, want %g", texts[i], got, want[i]);
    }
}
END_TEST

static Suite *snippet_suite(void)
{
    Suite *s = suite_create("snippet");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_short_passage_whole_no_ellipsis);
    tcase_add_test(core, test_window_moves_to_the_match);
    tcase_add_test(core, test_window_prefers_distinct_rare_words);
    tcase_add_test(core, test_lines_and_columns_across_newlines);
    tcase_add_test(core, test_utf8_marks_cover_whole_characters);
    tcase_add_test(core, test_overlapping_bigram_matches);
    tcase_add_test(core, test_proximity_measure);
    tcase_add_loop_test(core, test_sanitize_table, 0,
                        sizeof sanitize_cases / sizeof *sanitize_cases);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return test_run(snippet_suite());
}
