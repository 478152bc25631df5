/* check_passage.c - passage ids and passages in context (cs_hit_passage_id,
 * cs_passage_context) and reopening a handle (cs_index_reopen), on a small
 * corpus written here. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cybersearch.h"
#include "testutil.h"

static char dir[] = "/tmp/cs-check-passage-XXXXXX";
static char corpus[4096], index_dir[4096], file[4096];

/* Six paragraphs; the fourth names the treaty. */
static const char text[] =
    "Alpha paragraph about norms.\n\n"
    "Bravo paragraph about capacity.\n\n"
    "Charlie paragraph about confidence.\n\n"
    "Delta paragraph: the treaty on cyber crime, and the treaty again.\n\n"
    "Echo paragraph about attribution.\n\n"
    "Foxtrot paragraph about <script>alert(1)</script> text.\n";

static void build(void)
{
    char *msg = NULL;
    ck_assert_msg(test_index_folder(index_dir, corpus, NULL, NULL, &msg) == CS_OK, "index: %s", msg);
}

static void setup(void)
{
    ck_assert(mkdtemp(dir));
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    snprintf(file, sizeof file, "%s/talk.txt", corpus);
    mkdir(corpus, 0755);
    test_write_file(file, text);
    build();
}

static void teardown(void)
{
    test_remove_tree(dir);
}

static cs_index_t *open_index(void)
{
    cs_index_t *index;
    char *msg = NULL;
    ck_assert_msg(cs_index_open(index_dir, &index, &msg) == CS_OK, "open: %s", msg);
    return index;
}

/* The id of the first hit of @query. */
static void first_id(cs_index_t *index, const char *query, char id[CS_PASSAGE_ID_SIZE])
{
    cs_results_t *r = NULL;
    ck_assert_int_eq(cs_search(index, query, NULL, &r), CS_OK);
    ck_assert_uint_ge(cs_results_count(r), 1);
    size_t len = cs_hit_passage_id(cs_results_get(r, 0), id, CS_PASSAGE_ID_SIZE);
    ck_assert_uint_eq(len, strlen(id));
    cs_results_destroy(r);
}

START_TEST(context_marks_every_match)
{
    cs_index_t *index = open_index();
    char id[CS_PASSAGE_ID_SIZE];
    first_id(index, "treaty", id);
    cs_results_t *r = NULL;
    size_t focus = 99;
    ck_assert_int_eq(cs_passage_context(index, id, "treaty", NULL, 1, &r, &focus), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 3);      /* Charlie, Delta, Echo */
    ck_assert_uint_eq(focus, 1);
    ck_assert_uint_eq(cs_results_estimate(r), 6);   /* passages in the file */
    const cs_hit_t *hit = cs_results_get(r, focus);
    ck_assert_uint_eq(cs_hit_rank(hit), 4);
    ck_assert_str_eq(cs_hit_snippet(hit),
                     "Delta paragraph: the treaty on cyber crime, and the treaty again.");
    ck_assert_uint_eq(cs_hit_highlight_count(hit), 2);  /* both, not a window's */
    for (size_t i = 0; i < 2; i++) {
        cs_span_t s = cs_hit_highlight(hit, i);
        char *bytes = test_read_range(file, s.start, s.end);
        ck_assert_str_eq(bytes, "treaty");
        free(bytes);
    }
    ck_assert_str_eq(cs_hit_snippet(cs_results_get(r, 0)), "Charlie paragraph about confidence.");
    ck_assert_uint_eq(cs_hit_highlight_count(cs_results_get(r, 0)), 0);
    char again[CS_PASSAGE_ID_SIZE];
    cs_hit_passage_id(hit, again, sizeof again);
    ck_assert_str_eq(again, id);   /* the id round-trips */
    cs_results_destroy(r);
    cs_index_close(index);
}
END_TEST

START_TEST(context_at_the_file_edges)
{
    cs_index_t *index = open_index();
    char id[CS_PASSAGE_ID_SIZE];
    first_id(index, "alpha", id);
    cs_results_t *r = NULL;
    size_t focus;
    ck_assert_int_eq(cs_passage_context(index, id, NULL, NULL, 2, &r, &focus), CS_OK);
    ck_assert_uint_eq(focus, 0);
    ck_assert_uint_eq(cs_results_count(r), 3);
    cs_results_destroy(r);
    first_id(index, "foxtrot", id);
    ck_assert_int_eq(cs_passage_context(index, id, NULL, NULL, 2, &r, &focus), CS_OK);
    ck_assert_uint_eq(focus, 2);      /* the last passage: two before, none after */
    ck_assert_uint_eq(cs_results_count(r), 3);
    cs_results_destroy(r);
    ck_assert_int_eq(cs_passage_context(index, id, "", NULL, 0, &r, &focus), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 1);
    ck_assert_str_eq(cs_hit_snippet(cs_results_get(r, 0)),
                     "Foxtrot paragraph about <script>alert(1)</script> text.");
    cs_results_destroy(r);
    cs_index_close(index);
}
END_TEST

START_TEST(bad_ids_and_queries)
{
    cs_index_t *index = open_index();
    char id[CS_PASSAGE_ID_SIZE];
    first_id(index, "treaty", id);
    cs_results_t *r = (cs_results_t *)1;
    size_t focus;
    static const char *const bad[] = { "", "../../etc/passwd", "0123456789abcdef",
                                       "0123456789abcdef-", "0123456789ABCDEF-0",
                                       "0123456789abcdef-01", "0123456789abcdef-1x",
                                       "0123456789abcdef-99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(cs_passage_context(index, bad[i], NULL, NULL, 1, &r, &focus),
                         CS_ERR_INVALID);
        ck_assert_ptr_null(r);
    }
    /* well formed, but no such file, or no passage starting there */
    ck_assert_int_eq(cs_passage_context(index, "0123456789abcdef-0", NULL, NULL, 1, &r, &focus),
                     CS_ERR_NOT_FOUND);
    char shifted[CS_PASSAGE_ID_SIZE + 1];
    snprintf(shifted, sizeof shifted, "%.*s1", (int)strlen(id), id);
    ck_assert_int_eq(cs_passage_context(index, shifted, NULL, NULL, 1, &r, &focus),
                     CS_ERR_NOT_FOUND);
    ck_assert_int_eq(cs_passage_context(index, id, "\"treaty", NULL, 1, &r, &focus),
                     CS_ERR_BAD_QUERY);
    ck_assert_int_eq(cs_index_error_offset(index), 0);
    cs_index_close(index);
}
END_TEST

START_TEST(reopen_sees_a_reindex)
{
    cs_index_t *index = open_index();
    cs_results_t *r = NULL;
    ck_assert_int_eq(cs_search(index, "golf", NULL, &r), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 0);
    cs_results_destroy(r);
    char more[4096];
    snprintf(more, sizeof more, "%s/more.txt", corpus);
    test_write_file(more, "Golf paragraph about the treaty.\n");
    build();
    ck_assert_int_eq(cs_index_reopen(index), CS_OK);
    ck_assert_int_eq(cs_search(index, "golf", NULL, &r), CS_OK);
    ck_assert_uint_eq(cs_results_count(r), 1);
    cs_results_destroy(r);
    ck_assert_int_eq(cs_index_reopen(NULL), CS_ERR_INVALID);
    cs_index_close(index);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("passage");
    TCase *tc = tcase_create("passage");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, context_marks_every_match);
    tcase_add_test(tc, context_at_the_file_edges);
    tcase_add_test(tc, bad_ids_and_queries);
    tcase_add_test(tc, reopen_sees_a_reindex);
    suite_add_tcase(s, tc);
    return test_run(s);
}
