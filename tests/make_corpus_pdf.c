/* make_corpus_pdf.c - write the bundled sample PDF (documents/):
 *   make -C build/tests make_corpus_pdf && build/tests/make_corpus_pdf \
 *       documents/sample-verbatim-record.pdf
 * check_ingest checks that the committed file holds what this draws. */
#include <stdio.h>

#include "pdf_fixture.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus_pdf OUT.pdf\n");
        return 2;
    }
    fixture_corpus_record_pdf(argv[1]);
    return 0;
}
