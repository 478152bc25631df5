/* testutil.h - small helpers shared by the Check programs. */
#ifndef CS_TESTUTIL_H
#define CS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"

typedef struct Suite Suite;

/* Run @suite in Check's default fork mode; the exit status for main(). */
int test_run(Suite *suite);

/* rm -rf @path (test temp folders only). */
void test_remove_tree(const char *path);
/* Bytes [start, end) of the file at @path, NUL-terminated and malloc'd, or NULL. */
char *test_read_range(const char *path, uint64_t start, uint64_t end);
/* Line and byte column (1-based, '\n' ends lines) of @offset in root/rel. */
void test_line_col(const char *root, const char *rel, uint64_t offset, unsigned *line,
                   unsigned *col);
/* Write @text to @path (creating it); aborts on failure. */
void test_write_file(const char *path, const char *text);
/* cs_index_update() of the index at @index from the one folder @corpus,
 * with @options (NULL: the defaults; their roots are ignored). */
cs_status_t test_index_folder(const char *index, const char *corpus,
                              const cs_update_options_t *options, cs_update_stats_t *stats,
                              char **msg);

#endif
