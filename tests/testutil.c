/* testutil.c - helpers shared by the Check programs. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

int test_run(Suite *suite)
{
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void test_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *test_read_range(const char *path, uint64_t start, uint64_t end)
{
    FILE *f = fopen(path, "rb");
    if (!f || end < start)
        return NULL;
    char *buf = malloc(end - start + 1);
    size_t got = 0;
    if (buf && fseek(f, (long)start, SEEK_SET) == 0)
        got = fread(buf, 1, end - start, f);
    fclose(f);
    if (!buf)
        return NULL;
    buf[got] = '\0';
    return buf;
}

void test_line_col(const char *root, const char *rel, uint64_t offset, unsigned *line,
                   unsigned *col)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *prefix = test_read_range(path, 0, offset);
    *line = 1;
    *col = 1;
    for (uint64_t i = 0; prefix && i < offset; i++) {
        if (prefix[i] == '\n') {
            ++*line;
            *col = 1;
        } else
            ++*col;
    }
    free(prefix);
}

void test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

cs_status_t test_index_folder(const char *index, const char *corpus,
                              const cs_update_options_t *options, cs_update_stats_t *stats,
                              char **msg)
{
    const char *roots[] = { corpus };
    cs_update_options_t opt;
    if (options)
        opt = *options;
    else
        cs_update_options_init(&opt);
    opt.roots = roots;
    opt.n_roots = 1;
    return cs_index_update(index, &opt, stats, msg);
}
