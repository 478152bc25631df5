/* walk.h - finding the files under a corpus root. */
#ifndef CS_WALK_H
#define CS_WALK_H

#include <sys/stat.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

/* A file found by the walk.  Strings are valid during the callback only. */
typedef struct cs_walk_entry {
    const char *path;      /* as opened: root + "/" + rel */
    const char *rel;       /* relative to the root */
    const struct stat *st; /* followed through symbolic links */
} cs_walk_entry_t;

/* Called per candidate file; return non-zero to stop the walk. */
typedef int (*cs_walk_fn)(void *ctx, const cs_walk_entry_t *entry);
/* Called per problem (unreadable folder, link loop); return non-zero to stop.
 * @unreadable is the part of the tree that exists but could not be read,
 * relative to the root ("" for the root itself), so that the caller can keep
 * what it knew of it; NULL for other problems (a link loop, a vanished file). */
typedef int (*cs_walk_warn_fn)(void *ctx, const char *message, const char *unreadable);

/* Walk @root recursively in name order, calling @fn for every regular
 * file, skipping hidden files and folders (version control folders
 * included); symbolic links are followed, and a folder reached twice (a
 * link loop) or a file that is not regular is reported and skipped.  Returns CS_OK, CS_ERR_IO
 * when @root itself cannot be read, or CS_ERR_NOMEM. */
cs_status_t cs_walk(const char *root, cs_walk_fn fn, cs_walk_warn_fn warn,
                    void *ctx);

CS_END_DECLS

#endif /* CS_WALK_H */
