/* search.c - the smallest complete program on libcybersearch: open an
 * index, print its size, run one query, print each hit with its citation
 * and highlights.
 *
 *   cc search.c $(pkg-config --cflags --libs cybersearch) -o search
 *   ./search INDEX "consensus report"
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <cybersearch.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
        return 2;
    }
    cs_index_t *index;
    char *msg = NULL;
    cs_status_t st = cs_index_open(argv[1], &index, &msg);
    if (st != CS_OK) {
        fprintf(stderr, "%s: %s\n", cs_status_to_string(st), msg ? msg : "");
        free(msg);  /* the caller owns the message */
        return 2;
    }

    /* the index's facts; its strings belong to the index */
    cs_index_info_t info;
    if (cs_index_get_info(index, &info) == CS_OK)
        printf("index: %" PRIu64 " passages, %" PRIu64 " files, %d shard%s\n", info.passages,
               info.files, info.shards, info.shards == 1 ? "" : "s");

    cs_search_options_t options;
    cs_search_options_init(&options);
    options.limit = 5;
    cs_results_t *results;
    st = cs_search(index, argv[2], &options, &results);
    if (st != CS_OK) {
        fprintf(stderr, "%s: %s (at byte %ld)\n", cs_status_to_string(st),
                cs_index_last_error(index), cs_index_error_offset(index));
        cs_index_close(index);
        return 2;
    }
    /* results own every hit and string; they stay valid after the index closes */
    cs_index_close(index);

    /* counts over the whole index, exact when their bounds meet */
    cs_count_t passages = cs_results_passages(results), files = cs_results_files(results);
    printf("%s%" PRIu64 " matching passages in %s%" PRIu64 " files\n",
           passages.lower == passages.upper ? "" : "about ", passages.estimate,
           files.lower == files.upper ? "" : "at least ", files.lower);
    for (size_t i = 0; i < cs_results_count(results); i++) {
        const cs_hit_t *hit = cs_results_get(results, i);
        cs_span_t p = cs_hit_passage(hit);
        /* staleness is unknown where the corpus is not reachable (since 0.3) */
        printf("%zu. %s:%" PRIu32 ":%" PRIu32 " [%" PRIu64 ",%" PRIu64 ") %.2f%s%s\n",
               cs_hit_rank(hit), cs_hit_path(hit), p.line, p.col, p.start, p.end,
               cs_hit_score(hit), cs_hit_stale(hit) ? " (stale)" : "",
               cs_hit_stale_unknown(hit) ? " (staleness unknown)" : "");
        /* a PDF hit cites its page; a DOCX one its paragraph (since 0.2) */
        if (cs_hit_page(hit))
            printf("   %s page %" PRIu32 " %s\n", cs_hit_format(hit), cs_hit_page(hit),
                   cs_hit_page_label(hit));
        else if (cs_hit_paragraph(hit))
            printf("   %s paragraph %" PRIu32 "\n", cs_hit_format(hit), cs_hit_paragraph(hit));
        printf("   %s\n", cs_hit_snippet(hit));
        for (size_t k = 0; k < cs_hit_highlight_count(hit); k++) {
            cs_span_t h = cs_hit_highlight(hit, k);
            printf("   match %" PRIu32 ":%" PRIu32 " [%" PRIu64 ",%" PRIu64 ")", h.line, h.col,
                   h.start, h.end);
            uint32_t page;
            double box[4];
            if (cs_hit_highlight_box(hit, k, &page, box))  /* PDF points, origin bottom-left */
                printf(" page %" PRIu32 " box %.1f %.1f %.1f %.1f", page, box[0], box[1], box[2],
                       box[3]);
            putchar('\n');
        }
    }
    int found = cs_results_count(results) > 0;
    cs_results_destroy(results);
    return found ? 0 : 1;
}
