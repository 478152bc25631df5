/* check_passages.c - the paragraph splitter on each of the three layouts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passages.h"
#include "testutil.h"

#define MAX_PASSAGES 16

typedef struct collected {
    cs_passage_t items[MAX_PASSAGES];
    size_t count;
    const char *text;
} collected_t;

static int collect(void *ctx, const cs_passage_t *p)
{
    collected_t *c = ctx;
    if (c->count < MAX_PASSAGES)
        c->items[c->count] = *p;
    c->count++;
    return 0;
}

static int split(const char *text, collected_t *c, size_t max_words)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    return cs_split_passages(text, strlen(text), max_words, collect, c);
}

/* The text of passage i, for readable assertions. */
static char *passage_text(const collected_t *c, size_t i)
{
    static char buf[4096];
    size_t n = c->items[i].end - c->items[i].start;
    memcpy(buf, c->text + c->items[i].start, n);
    buf[n] = '\0';
    return buf;
}

/* ---- table: input -> expected passages "text|line:col" ------------------ */

typedef struct split_case {
    const char *name;
    const char *input;
    int layout;
    const char *expected[6];  /* "text@line:col", NULL-terminated */
} split_case_t;

/* Eight short lines of a hard-wrapped file, width about 40. */
#define WRAPPED \
    "The General Assembly met today in its\n" \
    "regular session on the report.\n" \
    "It adopted the resolution by consensus\n" \
    "after a long debate among the members of\n" \
    "the Committee on security questions and\n" \
    "on the use of ICTs by States in times of\n" \
    "peace and of war.\n" \
    "Delegations then turned to the agenda.\n"

static const split_case_t cases[] = {
    { "one paragraph per line", "First paragraph here.\nSecond one.\nThird.\n",
      CS_LAYOUT_LINES, { "First paragraph here.@1:1", "Second one.@2:1", "Third.@3:1" } },
    { "blank lines separate", "Alpha beta.\n\nGamma delta.\n",
      CS_LAYOUT_LINES, { "Alpha beta.@1:1", "Gamma delta.@3:1" } },
    { "whitespace-only line separates", "Alpha.\n \t \nBeta.",
      CS_LAYOUT_LINES, { "Alpha.@1:1", "Beta.@3:1" } },
    { "leading spaces trimmed, column counts bytes", "   indented text\n",
      CS_LAYOUT_LINES, { "indented text@1:4" } },
    { "CRLF line ends", "One.\r\nTwo.\r\n\r\nThree.\r\n",
      CS_LAYOUT_LINES, { "One.@1:1", "Two.@2:1", "Three.@4:1" } },
    { "old Mac line ends split but stay on line 1", "One.\rTwo.\rThree.",
      CS_LAYOUT_LINES, { "One.@1:1", "Two.@1:6", "Three.@1:11" } },
    { "LF CR pairs are one line end", "One.\n\rTwo.\n\rThree.",
      CS_LAYOUT_LINES, { "One.@1:1", "Two.@2:2", "Three.@3:2" } },
    { "byte-order mark skipped", "\xEF\xBB\xBFHello world.\nNext.",
      CS_LAYOUT_LINES, { "Hello world.@1:4", "Next.@2:1" } },
    { "empty input", "", CS_LAYOUT_LINES, { NULL } },
    { "only white space", " \n\t\n  ", CS_LAYOUT_LINES, { NULL } },
    { "no trailing newline", "Last line", CS_LAYOUT_LINES, { "Last line@1:1" } },
    { "hard-wrapped joins lines into paragraphs", WRAPPED, CS_LAYOUT_WRAPPED,
      { "The General Assembly met today in its\nregular session on the report.@1:1",
        "It adopted the resolution by consensus\nafter a long debate among the members of\n"
        "the Committee on security questions and\non the use of ICTs by States in times of\n"
        "peace and of war.@3:1",
        "Delegations then turned to the agenda.@8:1" } },
};

START_TEST(test_split_table)
{
    const split_case_t *t = &cases[_i];
    collected_t c;
    int layout = split(t->input, &c, 300);
    ck_assert_msg(layout == t->layout, "%s: layout %d, want %d", t->name, layout, t->layout);
    size_t want = 0;
    while (want < 6 && t->expected[want])
        want++;
    ck_assert_msg(c.count == want, "%s: %zu passages, want %zu", t->name, c.count, want);
    for (size_t i = 0; i < want; i++) {
        char expect[4200];
        snprintf(expect, sizeof expect, "%s@%u:%u", passage_text(&c, i), c.items[i].line,
                 c.items[i].col);
        ck_assert_msg(strcmp(expect, t->expected[i]) == 0, "%s: passage %zu is '%s', want '%s'",
                      t->name, i, expect, t->expected[i]);
    }
}
END_TEST

/* A page break (blank lines, page number) in the middle of a sentence does
 * not end the paragraph in a hard-wrapped file. */
START_TEST(test_wrapped_page_break_mid_sentence)
{
    const char *text = WRAPPED "We turn to this world family, as an\n"
                               "institution dedicated to the cause\n\n\n"
                               "of humanity and of peace for all.\n";
    collected_t c;
    ck_assert_int_eq(split(text, &c, 300), CS_LAYOUT_WRAPPED);
    /* "agenda." + "We" would not have fitted in 40 columns: no break there */
    ck_assert_uint_eq(c.count, 3);
    ck_assert_str_eq(passage_text(&c, 2), "Delegations then turned to the agenda.\n"
                                          "We turn to this world family, as an\n"
                                          "institution dedicated to the cause\n\n\n"
                                          "of humanity and of peace for all.");
}
END_TEST

/* A paragraph over the word limit splits at a sentence end. */
START_TEST(test_long_paragraph_splits_at_sentence)
{
    char text[4096] = "";
    for (int s = 0; s < 6; s++)
        strcat(text, "one two three four five six seven eight nine ten. ");
    collected_t c;
    split(text, &c, 25);
    ck_assert_uint_ge(c.count, 2);
    for (size_t i = 0; i < c.count && i < MAX_PASSAGES; i++) {
        const char *p = passage_text(&c, i);
        if (i + 1 < c.count)
            ck_assert_msg(p[strlen(p) - 1] == '.', "passage %zu does not end a sentence: %s", i, p);
        size_t words = 1;
        for (const char *q = p; *q; q++)
            words += *q == ' ';
        ck_assert_uint_le(words, 25);
    }
    /* passages cover the text without overlap */
    for (size_t i = 1; i < c.count && i < MAX_PASSAGES; i++)
        ck_assert_uint_ge(c.items[i].start, c.items[i - 1].end);
}
END_TEST

/* With no sentence end at all, a long paragraph is still cut, at a word. */
START_TEST(test_long_paragraph_without_sentences)
{
    char text[8192] = "";
    for (int i = 0; i < 400; i++)
        strcat(text, "word ");
    collected_t c;
    split(text, &c, 300);
    ck_assert_uint_eq(c.count, 2);
    ck_assert_uint_eq(c.items[0].start, 0);
    ck_assert_uint_eq(c.items[0].end, 300 * 5 - 1);
}
END_TEST

static int stop_after_one(void *ctx, const cs_passage_t *p)
{
    (void)p;
    ++*(int *)ctx;
    return 1;
}

START_TEST(test_callback_stops)
{
    int calls = 0;
    cs_split_passages("a.\nb.\nc.\n", 9, 300, stop_after_one, &calls);
    ck_assert_int_eq(calls, 1);
}
END_TEST

static Suite *passages_suite(void)
{
    Suite *s = suite_create("passages");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_split_table, 0, sizeof cases / sizeof *cases);
    tcase_add_test(core, test_wrapped_page_break_mid_sentence);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_long_paragraph_splits_at_sentence);
    tcase_add_test(limits, test_long_paragraph_without_sentences);
    tcase_add_test(limits, test_callback_stops);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return test_run(passages_suite());
}
