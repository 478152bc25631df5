/* pdf_fixture.h - PDFs drawn by the tests (pdf_fixture.c). */
#ifndef CS_PDF_FIXTURE_H
#define CS_PDF_FIXTURE_H

#define FIXTURE_PAGES 3
/* the printed labels of the statement's pages */
extern const char *const fixture_page_labels[FIXTURE_PAGES];

/* A three-page verbatim record: a running header ("A/76/PV.3 ...") and
 * footer ("21-25186 N/30") on every page; page 1 has "consensus" on line 2
 * (after the header) and "cyber-" / "security" hyphenated over lines 3-4;
 * page 2 has two columns, a Cyrillic line and a Chinese one (in the font
 * of the Debian package fonts-wqy-microhei); page 3 "ransomware". */
void fixture_statement_pdf(const char *path);
/* The bundled documents/sample-verbatim-record.pdf: an
 * illustrative two-page statement (make it with tests/make_corpus_pdf). */
void fixture_corpus_record_pdf(const char *path);
/* One page with a filled rectangle and no text. */
void fixture_image_only_pdf(const char *path);

#endif
