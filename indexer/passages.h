/* passages.h - splitting a text file into passages (paragraphs).
 *
 * Real corpora mark paragraphs in three ways, and one rule does not fit all
 * (see indexer/README.md):
 *  - paragraphs separated by blank lines;
 *  - one paragraph per line, with no blank lines at all;
 *  - text hard-wrapped at a fixed width, where blank lines mark page breaks
 *    (often mid-sentence) rather than paragraphs.
 * cs_split_passages() detects the hard-wrapped layout from the line lengths
 * and there ends a paragraph where a line ends a sentence and the next
 * line's first word would have fitted on it; otherwise every line end and
 * blank line ends a paragraph.  Paragraphs longer than @max_words are split
 * at sentence boundaries.  Passage ranges are trimmed of surrounding white
 * space and never overlap.
 */
#ifndef CS_PASSAGES_H
#define CS_PASSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "cybersearch.h"

CS_BEGIN_DECLS

#define CS_PASSAGE_MAX_WORDS 300

typedef enum cs_layout {
    CS_LAYOUT_LINES,    /* every line (and blank line) ends a paragraph */
    CS_LAYOUT_WRAPPED   /* hard-wrapped lines joined into paragraphs */
} cs_layout_t;

typedef struct cs_passage {
    size_t start;     /* byte offset of the first character */
    size_t end;       /* one past the last non-space byte */
    uint32_t line;    /* 1-based line of start ('\n' ends lines) */
    uint32_t col;     /* 1-based byte column of start */
} cs_passage_t;

/* Called for each passage in order; return non-zero to stop. */
typedef int (*cs_passage_fn)(void *ctx, const cs_passage_t *passage);

/* Split @len bytes of @text.  Returns the layout used, or -1 when out of
 * memory. */
int cs_split_passages(const char *text, size_t len, size_t max_words,
                      cs_passage_fn fn, void *ctx);

CS_END_DECLS

#endif /* CS_PASSAGES_H */
