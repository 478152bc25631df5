/* check_ingest.c - documents, not only UTF-8 text: each format's extractor
 * through the indexer and the searcher, every citation checked against the
 * fixture's known truth (its bytes, its line:col, its page, its box). */
#include <check.h>
#include <math.h>
#include <poppler.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "cybersearch.h"
#include "ingest.h"
#include "pdf_fixture.h"
#include "testutil.h"

static char work[] = "/tmp/cs-check-ingest-XXXXXX";
static char corpus[512], index_dir[512];

static void setup(void)
{
    strcpy(work, "/tmp/cs-check-ingest-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(work));
    snprintf(corpus, sizeof corpus, "%s/corpus", work);
    snprintf(index_dir, sizeof index_dir, "%s/index", work);
    ck_assert_int_eq(mkdir(corpus, 0755), 0);
}

static void teardown(void)
{
    if (!getenv("CS_KEEP_TEST_DIR"))
        test_remove_tree(work);
}

static const char *in_corpus(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", corpus, rel);
    return path;
}

/* Write a string literal (which may hold NULs) to corpus file @rel. */
#define PUT_LITERAL(rel, literal) put(rel, literal, sizeof literal - 1)

static void put(const char *rel, const void *bytes, size_t len)
{
    FILE *f = fopen(in_corpus(rel), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* The whole of corpus file @rel; *len gets its size. */
static char *slurp(const char *rel, size_t *len)
{
    struct stat st;
    ck_assert_int_eq(stat(in_corpus(rel), &st), 0);
    *len = (size_t)st.st_size;
    return test_read_range(in_corpus(rel), 0, (uint64_t)st.st_size);
}

/* The warnings of the last indexing run, one per line. */
static char warnings[8192];

static int on_update(void *ctx, const char *message, const cs_update_stats_t *stats)
{
    if (message)
        snprintf(warnings + strlen(warnings), sizeof warnings - strlen(warnings), "%s\n",
                 message);
    return 0;
}

static void index_corpus(cs_update_stats_t *stats)
{
    cs_update_options_t opt;
    cs_update_options_init(&opt);
    opt.callback = on_update;
    /* several writer threads: the PDF worker is spawned with exec, so no
     * thread's lock (a sanitizer's allocator's) reaches it */
    opt.threads = 3;
    warnings[0] = '\0';
    char *msg = NULL;
    cs_status_t st = test_index_folder(index_dir, corpus, &opt, stats, &msg);
    ck_assert_msg(st == CS_OK, "index: %s", msg ? msg : "");
    free(msg);
}

static size_t format_count(const cs_update_stats_t *s, const char *name)
{
    for (size_t i = 0; cs_format_name(i); i++)
        if (strcmp(cs_format_name(i), name) == 0)
            return (size_t)s->files_by_format[i];
    ck_abort_msg("no format %s", name);
    return 0;
}

static cs_results_t *search(cs_index_t **ix, const char *query)
{
    ck_assert_int_eq(cs_index_open(index_dir, ix, NULL), CS_OK);
    cs_search_options_t o;
    cs_search_options_init(&o);
    o.limit = 50;
    o.per_file = 0;
    cs_results_t *r = NULL;
    ck_assert_int_eq(cs_search(*ix, query, &o, &r), CS_OK);
    return r;
}

/* ---- encodings ----------------------------------------------------------- */

/* @utf8 as UTF-16 (BMP only) with a BOM; *len gets the size. */
static char *utf16(const char *utf8, int big_endian, size_t *len)
{
    char *out = malloc(2 * strlen(utf8) + 2);
    size_t n = 0;
    out[n++] = big_endian ? '\xFE' : '\xFF';
    out[n++] = big_endian ? '\xFF' : '\xFE';
    for (const unsigned char *s = (const unsigned char *)utf8; *s;) {
        unsigned cp = *s++;
        if (cp >= 0xE0) {
            cp = (cp & 0x0F) << 12 | (s[0] & 0x3Fu) << 6 | (s[1] & 0x3Fu);
            s += 2;
        } else if (cp >= 0xC0) {
            cp = (cp & 0x1F) << 6 | (s[0] & 0x3Fu);
            s++;
        }
        out[n++] = (char)(big_endian ? cp >> 8 : cp & 0xFF);
        out[n++] = (char)(big_endian ? cp & 0xFF : cp >> 8);
    }
    *len = n;
    return out;
}

typedef struct enc_case {
    const char *rel;
    const char *encoding;    /* as cs_hit_encoding() names it */
    const char *word;        /* "délégation" in the file's bytes */
    size_t word_len;
    unsigned line, col;      /* where it is (col in bytes) */
} enc_case_t;

START_TEST(test_encodings_cite_original_bytes)
{
    const char *latin1 = "Premi\xE8re ligne\nLa d\xE9l\xE9gation fran\xE7""aise.\n";
    put("latin1.txt", latin1, strlen(latin1));
    const char *cp1252 = "\x93Guillemets\x94 \x96 tiret\nThe d\xE9l\xE9gation\x85\n";
    put("cp1252.txt", cp1252, strlen(cp1252));
    const char *text = "Premi\xC3\xA8re ligne\nLa d\xC3\xA9l\xC3\xA9gation russe.\n";
    size_t n;
    char *le = utf16(text, 0, &n);
    put("utf16le.txt", le, n);
    free(le);
    char *be = utf16(text, 1, &n);
    put("utf16be.txt", be, n);
    free(be);
    const char *bom8 = "\xEF\xBB\xBFLa d\xC3\xA9l\xC3\xA9gation suisse.\n";
    put("bom8.txt", bom8, strlen(bom8));
    PUT_LITERAL("README", "Une d\xC3\xA9l\xC3\xA9gation.\n");

    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(format_count(&s, "text"), 6);
    ck_assert_uint_eq(s.files_skipped, 0);

    static const enc_case_t cases[] = {
        { "latin1.txt", "WINDOWS-1252", "d\xE9l\xE9gation", 10, 2, 4 },
        { "cp1252.txt", "WINDOWS-1252", "d\xE9l\xE9gation", 10, 2, 5 },
        { "utf16le.txt", "UTF-16LE", "d\0\xE9\0l\0\xE9\0g\0""a\0t\0i\0o\0n\0", 20, 2, 7 },
        { "utf16be.txt", "UTF-16BE", "\0d\0\xE9\0l\0\xE9\0g\0""a\0t\0i\0o\0n", 20, 2, 7 },
        { "bom8.txt", "UTF-8", "d\xC3\xA9l\xC3\xA9gation", 12, 1, 7 },
        { "README", "UTF-8", "d\xC3\xA9l\xC3\xA9gation", 12, 1, 5 },
    };
    cs_index_t *ix;
    cs_results_t *r = search(&ix, "d\xC3\xA9l\xC3\xA9gation");
    ck_assert_uint_eq(cs_results_count(r), 6);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const enc_case_t *k = &cases[c];
        const cs_hit_t *hit = NULL;
        for (size_t i = 0; i < cs_results_count(r); i++)
            if (strcmp(cs_hit_path(cs_results_get(r, i)), k->rel) == 0)
                hit = cs_results_get(r, i);
        ck_assert_msg(hit != NULL, "no hit in %s", k->rel);
        ck_assert_str_eq(cs_hit_format(hit), "text");
        ck_assert_str_eq(cs_hit_encoding(hit), k->encoding);
        ck_assert_uint_eq(cs_hit_highlight_count(hit), 1);
        cs_span_t h = cs_hit_highlight(hit, 0);
        size_t len;
        char *file = slurp(k->rel, &len);
        const char *at = memmem(file, len, k->word, k->word_len);
        ck_assert_ptr_nonnull(at);
        ck_assert_uint_eq(h.start, (uint64_t)(at - file));
        ck_assert_uint_eq(h.end - h.start, k->word_len);
        ck_assert_msg(memcmp(file + h.start, k->word, k->word_len) == 0, "%s", k->rel);
        ck_assert_uint_eq(h.line, k->line);
        ck_assert_uint_eq(h.col, k->col);
        /* the passage's range is the file's too: it ends at its last word */
        cs_span_t p = cs_hit_passage(hit);
        ck_assert_uint_le(p.end, len);
        ck_assert_uint_le(p.start, h.start);
        /* the snippet is UTF-8 whatever the file's encoding */
        ck_assert_ptr_nonnull(strstr(cs_hit_snippet(hit), "d\xC3\xA9l\xC3\xA9gation"));
        free(file);
    }
    cs_results_destroy(r);
    cs_index_close(ix);
}
END_TEST

START_TEST(test_unknown_formats_skipped_with_reason)
{
    PUT_LITERAL("notes.txt", "The delegation spoke.\n");
    PUT_LITERAL("image.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    PUT_LITERAL("notes.odt", "PK\3\4\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text");
    PUT_LITERAL("blob.bin", "abc\0def");
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(s.files_total, 4);
    ck_assert_uint_eq(s.files_added, 1);
    ck_assert_uint_eq(s.files_skipped, 3);
    ck_assert_uint_eq(format_count(&s, "text"), 1);
    ck_assert_msg(strstr(warnings, "image.png: no extractor for PNG images\n"), "%s", warnings);
    ck_assert_msg(strstr(warnings, "notes.odt: no extractor for OpenDocument text\n"), "%s",
                  warnings);
    ck_assert_msg(strstr(warnings, "blob.bin: no extractor for binary data"), "%s", warnings);
}
END_TEST

/* The one hit of @query in @rel, checked to cite its own bytes: the
 * highlight's source bytes equal @source (or the query when NULL) and its
 * line:col are those of its offset. */
static const cs_hit_t *only_hit(const cs_results_t *r, const char *rel, const char *source)
{
    ck_assert_uint_eq(cs_results_count(r), 1);
    const cs_hit_t *hit = cs_results_get(r, 0);
    ck_assert_str_eq(cs_hit_path(hit), rel);
    ck_assert_uint_ge(cs_hit_highlight_count(hit), 1);
    cs_span_t h = cs_hit_highlight(hit, 0);
    char *bytes = test_read_range(in_corpus(rel), h.start, h.end);
    if (source)
        ck_assert_str_eq(bytes, source);
    free(bytes);
    unsigned line, col;
    test_line_col(corpus, rel, h.start, &line, &col);
    ck_assert_uint_eq(h.line, line);
    ck_assert_uint_eq(h.col, col);
    return hit;
}

static size_t count_hits(const char *query)
{
    cs_index_t *ix;
    cs_results_t *r = search(&ix, query);
    size_t n = cs_results_count(r);
    cs_results_destroy(r);
    cs_index_close(ix);
    return n;
}

/* Corpus file @rel's metadata, as its extractor reads it, are these. */
static void expect_meta(const char *rel, const char *title, const char *author,
                        const char *date)
{
    size_t len;
    char *data = slurp(rel, &len);
    const cs_extractor_t *x = _cs_ingest_choose(rel, data, len, NULL, 0);
    ck_assert_ptr_nonnull(x);
    cs_extract_t ex;
    ck_assert_int_eq(_cs_ingest_extract(x, data, len, &ex), CS_OK);
    const char *want[3] = { title, author, date }, *keys[3] = { "title", "author", "date" };
    for (int i = 0; i < 3; i++) {
        const char *got = _cs_extract_meta_get(&ex, keys[i]);
        if (want[i])
            ck_assert_msg(got && !strcmp(got, want[i]), "%s %s: %s", rel, keys[i], got);
        else
            ck_assert_ptr_null(got);
    }
    _cs_extract_free(&ex);
    free(data);
}

/* CJK words are indexed as overlapping bigrams: a query's bigrams mark one
 * highlight, citing the word's bytes (this crashed the snippet before). */
START_TEST(test_cjk_bigrams_highlight_once)
{
    PUT_LITERAL("zh.txt", "\xE5\x90\x88\xE4\xBD\x9C\xE7\xBD\x91\xE7\xBB\x9C"
                          "\xE5\xAE\x89\xE5\x85\xA8\n");  /* 合作网络安全 */
    cs_update_stats_t s;
    index_corpus(&s);
    cs_index_t *ix;
    cs_results_t *r = search(&ix, "\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8");
    const cs_hit_t *hit = only_hit(r, "zh.txt", "\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8");
    ck_assert_uint_eq(cs_hit_highlight_count(hit), 1);
    size_t start, end;
    cs_hit_snippet_mark(hit, 0, &start, &end);
    ck_assert_uint_eq(end - start, 12);
    cs_results_destroy(r);
    cs_index_close(ix);
}
END_TEST

/* ---- HTML ---------------------------------------------------------------- */

static const char statement_html[] =
    "<!DOCTYPE html>\r\n"
    "<html><head><title>Statement by the  delegation</title>\n"
    "<meta name=\"author\" content=\"Permanent Mission\">\n"
    "<style>.x { color: red } stylewords</style>\n"
    "<script>var consensus = \"scriptwords\";</script></head>\n"
    "<body>\n<nav>Home navmenu</nav>\n"
    "<h1 id=\"top\">Statement at the OEWG</h1>\n"
    "<p>Mr. Chair, the delegation of Fran&ccedil;e welcomes the <b>consensus</b> report "
    "&amp; its norms.</p>\n"
    "<h2 id=\"norms\">Norms of responsible behaviour</h2>\n"
    "<div><p>Capacity   building\r\n   matters<p>Unclosed paragraph about ransomware\n"
    "<h3>Sub heading</h3>\n"
    "<table><tr><td>cellone<td>celltwo</table>\n"
    "<p>Deep text on sovereignty.</p>\n"
    "<template><p>templatewords</p></template>\n"
    "<p hidden>hiddenwords</p><p style=\"display: none\">hiddenstyle</p>\n"
    "</body></html>\n";

START_TEST(test_html_visible_text_sections_and_exact_bytes)
{
    put("statement.html", statement_html, strlen(statement_html));
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(format_count(&s, "html"), 1);

    cs_index_t *ix;
    cs_results_t *r = search(&ix, "consensus");
    const cs_hit_t *hit = only_hit(r, "statement.html", "consensus");
    ck_assert_str_eq(cs_hit_format(hit), "html");
    ck_assert_str_eq(cs_hit_section(hit), "Statement at the OEWG");
    ck_assert_str_eq(cs_hit_anchor(hit), "top");
    ck_assert_uint_eq(cs_hit_page(hit), 0);
    /* the passage is the paragraph's source range: from "Mr." to "norms." */
    cs_span_t p = cs_hit_passage(hit);
    char *passage = test_read_range(in_corpus("statement.html"), p.start, p.end);
    ck_assert_str_eq(passage, "Mr. Chair, the delegation of Fran&ccedil;e welcomes the "
                              "<b>consensus</b> report &amp; its norms.");
    free(passage);
    ck_assert_ptr_nonnull(strstr(cs_hit_snippet(hit), "Fran\xC3\xA7""e"));
    ck_assert_ptr_nonnull(strstr(cs_hit_snippet(hit), "report & its"));
    cs_results_destroy(r);

    cs_index_close(ix);

    static const struct {
        const char *query, *source, *section, *not_in_snippet;
    } cases[] = {
        /* an entity decodes for the search; the citation is its source */
        { "Fran\xC3\xA7""e", "Fran&ccedil;e", "Statement at the OEWG", NULL },
        /* folded white space and a CRLF inside a paragraph */
        { "matters", "matters", "Statement at the OEWG > Norms of responsible behaviour",
          "ransomware" },
        /* an unclosed <p> ends at the next block */
        { "ransomware", "ransomware", "Statement at the OEWG > Norms of responsible behaviour",
          "Capacity" },
        { "sovereignty", "sovereignty",
          "Statement at the OEWG > Norms of responsible behaviour > Sub heading", NULL },
        /* table cells are blocks of their own */
        { "cellone", "cellone",
          "Statement at the OEWG > Norms of responsible behaviour > Sub heading", "celltwo" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        r = search(&ix, cases[i].query);
        hit = only_hit(r, "statement.html", cases[i].source);
        ck_assert_str_eq(cs_hit_section(hit), cases[i].section);
        ck_assert_str_eq(cs_hit_anchor(hit), i ? "norms" : "top");
        if (cases[i].not_in_snippet)
            ck_assert_ptr_null(strstr(cs_hit_snippet(hit), cases[i].not_in_snippet));
        cs_results_destroy(r);
        cs_index_close(ix);
    }

    static const char *const invisible[] = { "stylewords", "scriptwords", "navmenu",
                                             "templatewords", "hiddenwords", "hiddenstyle" };
    for (size_t i = 0; i < sizeof invisible / sizeof *invisible; i++)
        ck_assert_msg(count_hits(invisible[i]) == 0, "%s was indexed", invisible[i]);
}
END_TEST

/* An old page in Windows-1252 is decoded, and cited in its own bytes. */
START_TEST(test_html_windows_1252)
{
    PUT_LITERAL("old.html", "<html><head><title>Ancien</title></head><body>\n"
                            "<h1 id=\"t\">D\xE9""claration</h1>\n"
                            "<p>La d\xE9l\xE9gation fran\xE7""aise &amp; \x93ses\x94 partenaires.</p>"
                            "</body></html>\n");
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(format_count(&s, "html"), 1);
    cs_index_t *ix;
    cs_results_t *r = search(&ix, "d\xC3\xA9l\xC3\xA9gation");
    const cs_hit_t *hit = only_hit(r, "old.html", "d\xE9l\xE9gation");
    ck_assert_str_eq(cs_hit_section(hit), "D\xC3\xA9""claration");
    ck_assert_ptr_nonnull(strstr(cs_hit_snippet(hit), "\xE2\x80\x9Cses\xE2\x80\x9D"));
    cs_results_destroy(r);
    cs_index_close(ix);
}
END_TEST

START_TEST(test_html_metadata)
{
    put("s.html", statement_html, strlen(statement_html));
    expect_meta("s.html", "Statement by the delegation", "Permanent Mission", NULL);
}
END_TEST

static void make_docx(const char *path);

/* ---- PDF ----------------------------------------------------------------- */

/* The box poppler finds for @word on page @page (1-based) of @path, in PDF
 * user space like the highlights' boxes. */
static void poppler_box(const char *path, uint32_t page, const char *word, double box[4])
{
    char *uri = g_filename_to_uri(path, NULL, NULL);
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
    g_free(uri);
    ck_assert_ptr_nonnull(doc);
    PopplerPage *p = poppler_document_get_page(doc, (int)page - 1);
    GList *found = poppler_page_find_text(p, word);
    ck_assert_msg(found != NULL, "poppler finds no %s on page %u", word, page);
    PopplerRectangle *r = found->data;
    box[0] = r->x1;
    box[1] = r->y1;
    box[2] = r->x2;
    box[3] = r->y2;
    g_list_free_full(found, (GDestroyNotify)poppler_rectangle_free);
    g_object_unref(p);
    g_object_unref(doc);
}

/* Hit @query once in statement.pdf, on @page at @line, its first
 * highlight's box that of @box_word as poppler finds it. */
static void expect_pdf_hit(const char *query, uint32_t page, uint32_t line, const char *box_word)
{
    cs_index_t *ix;
    cs_results_t *r = search(&ix, query);
    ck_assert_msg(cs_results_count(r) == 1, "%s: %zu hits", query, cs_results_count(r));
    const cs_hit_t *hit = cs_results_get(r, 0);
    ck_assert_str_eq(cs_hit_format(hit), "pdf");
    ck_assert_uint_eq(cs_hit_page(hit), page);
    ck_assert_str_eq(cs_hit_page_label(hit), fixture_page_labels[page - 1]);
    ck_assert_uint_ge(cs_hit_highlight_count(hit), 1);
    cs_span_t h = cs_hit_highlight(hit, 0);
    ck_assert_uint_eq(h.line, line);
    uint32_t hpage = 0;
    double box[4], want[4];
    ck_assert(cs_hit_highlight_box(hit, 0, &hpage, box));
    ck_assert_uint_eq(hpage, page);
    poppler_box(in_corpus("statement.pdf"), page, box_word, want);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(fabs(box[i] - want[i]) < 0.05, "%s box[%d] %.2f, poppler %.2f", query, i,
                      box[i], want[i]);
    cs_results_destroy(r);
    cs_index_close(ix);
}

START_TEST(test_pdf_pages_lines_boxes)
{
    fixture_statement_pdf(in_corpus("statement.pdf"));
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(format_count(&s, "pdf"), 1);
    ck_assert_uint_eq(s.files_skipped, 0);
    /* the header is line 1 of each page */
    expect_pdf_hit("consensus", 1, 2, "consensus");
    /* "cyber-" / "security": indexed whole, cited at its first part */
    expect_pdf_hit("cybersecurity", 1, 3, "cyber");
    /* the Cyrillic line, and the left column read before the right one */
    expect_pdf_hit("\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD0\xB8", 2, 5, "\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD0\xB8");
    expect_pdf_hit("\"begins here with alphaword\"", 2, 2, "begins");
    /* 网络安全 */
    expect_pdf_hit("\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8", 2, 6,
                   "\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8");
    expect_pdf_hit("ransomware", 3, 2, "ransomware");
    /* a passage in context keeps its locator */
    cs_index_t *ix;
    cs_results_t *r = search(&ix, "ransomware");
    char id[CS_PASSAGE_ID_SIZE];
    cs_hit_passage_id(cs_results_get(r, 0), id, sizeof id);
    cs_results_destroy(r);
    size_t focus;
    ck_assert_int_eq(cs_passage_context(ix, id, "ransomware", NULL, 1, &r, &focus), CS_OK);
    const cs_hit_t *hit = cs_results_get(r, focus);
    ck_assert_str_eq(cs_hit_format(hit), "pdf");
    ck_assert_uint_eq(cs_hit_page(hit), 3);
    ck_assert_str_eq(cs_hit_page_label(hit), "v");
    uint32_t page;
    double box[4];
    ck_assert(cs_hit_highlight_box(hit, 0, &page, box));
    ck_assert_uint_eq(page, 3);
    cs_results_destroy(r);
    cs_index_close(ix);
    /* the running header and footer are no passages */
    ck_assert_uint_eq(count_hits("PV"), 0);
    ck_assert_uint_eq(count_hits("25186"), 0);
    ck_assert_uint_eq(count_hits("Assembly"), 0);
    ck_assert_uint_eq(count_hits("cyber"), 0);  /* no fragment of the hyphenated word */
}
END_TEST

static int first_hit_stale(const char *query)
{
    cs_index_t *ix;
    cs_results_t *r = search(&ix, query);
    ck_assert_uint_ge(cs_results_count(r), 1);
    int stale = cs_hit_stale(cs_results_get(r, 0));
    cs_results_destroy(r);
    cs_index_close(ix);
    return stale;
}

START_TEST(test_pdf_staleness)
{
    fixture_statement_pdf(in_corpus("statement.pdf"));
    make_docx(in_corpus("draft.docx"));
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(s.files_added, 2);
    ck_assert(!first_hit_stale("ransomware"));
    FILE *f = fopen(in_corpus("statement.pdf"), "ab");  /* an incremental update */
    fputs("% appended\n", f);
    fclose(f);
    ck_assert(first_hit_stale("omegaword"));
    ck_assert_int_eq(unlink(in_corpus("draft.docx")), 0);
    ck_assert(first_hit_stale("diplomats"));
}
END_TEST

/* The text of the PDF at @path as the extractor reads it (malloc'd). */
static char *pdf_text(const char *path)
{
    char *data = test_read_range(path, 0, 1 << 24);
    ck_assert_ptr_nonnull(data);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    cs_extract_t ex;
    ck_assert_int_eq(_cs_pdf_extract(data, (size_t)st.st_size, (_cs_extract_init(&ex), &ex)),
                     CS_OK);
    char *text = strndup(ex.text, ex.len);
    _cs_extract_free(&ex);
    free(data);
    return text;
}

/* The committed corpus PDF is what tests/make_corpus_pdf.c draws. */
START_TEST(test_corpus_pdf_matches_its_generator)
{
    char committed[1024];
    snprintf(committed, sizeof committed, "%s/documents/sample-verbatim-record.pdf",
             getenv("top_srcdir") ? getenv("top_srcdir") : "..");
    fixture_corpus_record_pdf(in_corpus("fresh.pdf"));
    char *want = pdf_text(in_corpus("fresh.pdf")), *got = pdf_text(committed);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_nonnull(strstr(got, "cybersecurity products"));
    ck_assert_ptr_null(strstr(got, "SAMPLE/PV.1"));  /* the running header is gone */
    free(want);
    free(got);
}
END_TEST

START_TEST(test_pdf_metadata)
{
    fixture_statement_pdf(in_corpus("statement.pdf"));
    expect_meta("statement.pdf", "Verbatim record A/76/PV.3", "General Assembly",
                "2021-09-21T10:00:00Z");
}
END_TEST

START_TEST(test_pdf_unreadable_ones_skipped_with_reason)
{
    fixture_statement_pdf(in_corpus("statement.pdf"));
    fixture_image_only_pdf(in_corpus("scan.pdf"));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "qpdf --encrypt secret owner 256 -- '%s/statement.pdf' "
             "'%s/locked.pdf'", corpus, corpus);
    ck_assert_msg(system(cmd) == 0, "qpdf failed: install the Debian package qpdf");
    size_t len;
    char *data = slurp("statement.pdf", &len);
    put("truncated.pdf", data, len / 3);
    PUT_LITERAL("garbage.pdf", "%PDF-1.7\nnot really a PDF at all\n");
    free(data);
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_msg(strstr(warnings, "locked.pdf: encrypted"), "%s", warnings);
    ck_assert_msg(strstr(warnings, "scan.pdf: no text layer"), "%s", warnings);
    ck_assert_msg(strstr(warnings, "garbage.pdf: not a readable PDF"), "%s", warnings);
    /* a truncated PDF is either repaired or skipped with a reason: counted */
    ck_assert_uint_eq(s.files_total, 5);
    ck_assert_uint_eq(s.files_added + s.files_skipped, 5);
    ck_assert_uint_eq(format_count(&s, "pdf"), s.files_added);
    ck_assert_uint_eq(count_hits("consensus"), s.files_added);
}
END_TEST

/* ---- the worker: what a hostile document costs ------------------------ */

static cs_status_t crashing(const char *data, size_t len, cs_extract_t *x)
{
    raise(SIGSEGV);
    return CS_OK;
}

static cs_status_t spinning(const char *data, size_t len, cs_extract_t *x)
{
    for (volatile unsigned long i = 0;; i++)
        ;
    return CS_OK;
}

static cs_status_t sleeping(const char *data, size_t len, cs_extract_t *x)
{
    sleep(30);
    return CS_OK;
}

static cs_status_t hoarding(const char *data, size_t len, cs_extract_t *x)
{
    for (;;) {
        char *p = malloc(16 << 20);
        if (!p)
            return CS_ERR_NOMEM;
        memset(p, 1, 16 << 20);
    }
}

static cs_status_t working(const char *data, size_t len, cs_extract_t *x)
{
    x->unit_kind = "page";
    _cs_extract_mapped(x, data, len, 0, len, 1, 1, 1);
    _cs_extract_block(x, 0, 7, _cs_extract_str(x, "vii", 3), 0, 0);
    _cs_extract_meta(x, "title", "T");
    return CS_OK;
}

static int no_sniff(const unsigned char *h, size_t n, const char *e) { return 0; }

static const cs_extractor_t crash = { "crash", no_sniff, crashing, 1 };
static const cs_extractor_t spin = { "spin", no_sniff, spinning, 1 };
static const cs_extractor_t hang = { "hang", no_sniff, sleeping, 1 };
static const cs_extractor_t hoard = { "hoard", no_sniff, hoarding, 1 };
static const cs_extractor_t work_ = { "work", no_sniff, working, 1 };

/* This program serves as the worker's helper for these extractors (main). */
static cs_extract_fn test_extractor(const char *name)
{
    const cs_extractor_t *const all[] = { &crash, &spin, &hang, &hoard, &work_ };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i]->extract;
    return _cs_ingest_parser(name);
}

START_TEST(test_worker_contains_crash_hang_and_memory)
{
    /* each limit alone, the others generous: the machine may be loaded */
    _cs_ingest_set_limits(60, 120, (size_t)256 << 20);
    _cs_ingest_set_helper("/proc/self/exe");
    cs_extract_t ex;
    ck_assert_int_eq(_cs_ingest_extract(&crash, "x", 1, &ex), CS_ERR_INVALID);
    ck_assert_msg(strstr(ex.why, "the crash extractor crashed (Segmentation fault)"), "%s", ex.why);
    _cs_extract_free(&ex);
    _cs_ingest_set_limits(1, 120, (size_t)256 << 20);
    ck_assert_int_eq(_cs_ingest_extract(&spin, "x", 1, &ex), CS_ERR_INVALID);
    ck_assert_msg(strstr(ex.why, "more than 1 s of CPU"), "%s", ex.why);
    _cs_extract_free(&ex);
    _cs_ingest_set_limits(60, 2, (size_t)256 << 20);
    ck_assert_int_eq(_cs_ingest_extract(&hang, "x", 1, &ex), CS_ERR_INVALID);
    ck_assert_msg(strstr(ex.why, "took more than 2 s"), "%s", ex.why);
    _cs_extract_free(&ex);
    _cs_ingest_set_limits(60, 120, (size_t)256 << 20);
#if !defined(__SANITIZE_ADDRESS__)
    ck_assert_int_eq(_cs_ingest_extract(&hoard, "x", 1, &ex), CS_ERR_INVALID);
    ck_assert_msg(strstr(ex.why, "out of memory"), "%s", ex.why);
    _cs_extract_free(&ex);
#else
    (void)hoard;
#endif
    /* and a good result comes back whole */
    ck_assert_int_eq(_cs_ingest_extract(&work_, "hello world", 11, &ex), CS_OK);
    ck_assert_uint_eq(ex.len, 11);
    ck_assert(memcmp(ex.text, "hello world", 11) == 0);
    ck_assert_str_eq(ex.unit_kind, "page");
    ck_assert_uint_eq(ex.n_blocks, 1);
    ck_assert_uint_eq(ex.blocks[0].unit, 7);
    ck_assert_str_eq(ex.strs.data + ex.blocks[0].label, "vii");
    ck_assert_uint_eq(ex.n_segs, 1);
    ck_assert_str_eq(_cs_extract_meta_get(&ex, "title"), "T");
    _cs_extract_free(&ex);
    /* a helper that is not there: the file is skipped, saying so */
    _cs_ingest_set_helper("/nonexistent/cybersearch-extract");
    ck_assert_int_eq(_cs_ingest_extract(&work_, "x", 1, &ex), CS_ERR_INVALID);
    ck_assert_msg(strstr(ex.why, "cannot run the work extractor /nonexistent/cybersearch-extract:"
                                 " No such file or directory"), "%s", ex.why);
    _cs_extract_free(&ex);
    _cs_ingest_set_helper(NULL);
}
END_TEST

/* ---- DOCX ---------------------------------------------------------------- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static void put_member(zip_t *za, const char *name, const char *text)
{
    zip_source_t *src = zip_source_buffer(za, text, strlen(text), 0);
    ck_assert_ptr_nonnull(src);
    ck_assert_int_ge(zip_file_add(za, name, src, ZIP_FL_OVERWRITE), 0);
}

/* A Word document whose first heading style has a French id. */
static void make_docx(const char *path)
{
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    ck_assert_ptr_nonnull(za);
    put_member(za, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
    put_member(za, "word/styles.xml",
            "<?xml version=\"1.0\"?><w:styles " W_NS ">"
            "<w:style w:type=\"paragraph\" w:styleId=\"Titre1\"><w:name w:val=\"heading 1\"/></w:style>"
            "<w:style w:type=\"paragraph\" w:styleId=\"Titre2\"><w:name w:val=\"heading 2\"/></w:style>"
            "</w:styles>");
    put_member(za, "docProps/core.xml",
            "<?xml version=\"1.0\"?><cp:coreProperties "
            "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
            "<dc:title>Draft statement</dc:title><dc:creator>Permanent Mission</dc:creator>"
            "<dcterms:created>2022-03-01T09:00:00Z</dcterms:created></cp:coreProperties>");
    put_member(za, "word/document.xml",
            "<?xml version=\"1.0\"?><w:document " W_NS "><w:body>"
            "<w:p><w:pPr><w:pStyle w:val=\"Titre1\"/></w:pPr><w:r><w:t>Draft statement</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space=\"preserve\">The delegation supports the </w:t></w:r>"
            "<w:r><w:rPr><w:b/></w:rPr><w:t>consensus</w:t></w:r>"
            "<w:r><w:t xml:space=\"preserve\"> report.</w:t></w:r></w:p>"
            "<w:p/>"
            "<w:p><w:pPr><w:pStyle w:val=\"Titre2\"/></w:pPr><w:r><w:t>Capacity building</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space=\"preserve\">Training for </w:t></w:r>"
            "<w:del><w:r><w:delText>deletedword</w:delText></w:r></w:del>"
            "<w:r><w:t>diplomats</w:t></w:r><w:r><w:tab/><w:t>and ransomware.</w:t></w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell on sovereignty</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            "</w:body></w:document>");
    ck_assert_int_eq(zip_close(za), 0);
}

static void expect_docx_hit(const char *query, uint32_t paragraph, uint32_t col,
                            const char *section)
{
    cs_index_t *ix;
    cs_results_t *r = search(&ix, query);
    ck_assert_msg(cs_results_count(r) == 1, "%s: %zu hits", query, cs_results_count(r));
    const cs_hit_t *hit = cs_results_get(r, 0);
    ck_assert_str_eq(cs_hit_format(hit), "docx");
    ck_assert_uint_eq(cs_hit_paragraph(hit), paragraph);
    ck_assert_str_eq(cs_hit_section(hit), section);
    cs_span_t h = cs_hit_highlight(hit, 0);
    ck_assert_uint_eq(h.line, paragraph);
    ck_assert_uint_eq(h.col, col);
    cs_results_destroy(r);
    cs_index_close(ix);
}

START_TEST(test_docx_paragraphs_and_headings)
{
    make_docx(in_corpus("draft.docx"));
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_msg(format_count(&s, "docx") == 1, "%s", warnings);
    expect_docx_hit("consensus", 2, 29, "Draft statement");
    expect_docx_hit("ransomware", 4, 28, "Draft statement > Capacity building");
    expect_docx_hit("sovereignty", 5, 9, "Draft statement > Capacity building");
    expect_docx_hit("\"capacity building\"", 3, 1, "Draft statement > Capacity building");
    ck_assert_uint_eq(count_hits("deletedword"), 0);
    ck_assert_uint_eq(count_hits("\"diplomats and ransomware\""), 1);
    expect_meta("draft.docx", "Draft statement", "Permanent Mission", "2022-03-01T09:00:00Z");
}
END_TEST

START_TEST(test_docx_broken_ones_skipped_with_reason)
{
    int err;
    zip_t *za = zip_open(in_corpus("empty.docx"), ZIP_CREATE | ZIP_TRUNCATE, &err);
    put_member(za, "word/other.xml", "<x/>");
    ck_assert_int_eq(zip_close(za), 0);
    PUT_LITERAL("cut.docx", "PK\3\4\x14\0\0\0\0\0");
    cs_update_stats_t s;
    index_corpus(&s);
    ck_assert_uint_eq(s.files_skipped, 2);
    ck_assert_msg(strstr(warnings, "empty.docx: no word/document.xml"), "%s", warnings);
    ck_assert_msg(strstr(warnings, "cut.docx: not a readable zip archive"), "%s", warnings);
}
END_TEST

/* ---- hostile input: extractors in the indexer's own process ------------- */

/* What every extraction must hold, whatever the input: blocks and segments
 * in order inside the text, segments' sources inside the file, and every
 * citation inside the file too. */
static void check_invariants(const cs_extract_t *x, size_t file_len, int text_file)
{
    for (size_t i = 0; i < x->n_blocks; i++) {
        ck_assert_uint_lt(x->blocks[i].t0, x->blocks[i].t1);
        ck_assert_uint_le(x->blocks[i].t1, x->len);
        ck_assert_uint_lt(x->blocks[i].section, x->strs.len + 1);
    }
    for (size_t i = 0; i < x->n_segs; i++) {
        ck_assert_uint_le(x->segs[i].t0, x->len);
        ck_assert(i == 0 || x->segs[i].t0 >= x->segs[i - 1].t0);
        ck_assert_uint_le(x->segs[i].s0, x->segs[i].s1);
        ck_assert_uint_le(x->segs[i].s1, file_len);
    }
    cs_cite_map_t m;
    _cs_cite_map_init(&m, x->text, x->len, x->encoding, x->segs, x->n_segs, x->base, 1, 1);
    for (size_t i = 0; i < x->n_blocks; i++) {
        cs_span_t s = _cs_cite_span(&m, x->blocks[i].t0, x->blocks[i].t1);
        ck_assert_uint_le(s.start, s.end);
        if (text_file || x->n_segs) {
            ck_assert_msg(s.end <= file_len, "%s: block %zu ends at %llu of %zu",
                          text_file ? "text" : "html", i, (unsigned long long)s.end, file_len);
        }
    }
}

START_TEST(test_mutated_input_keeps_citations_in_bounds)
{
    unsigned seed = 12345;
    size_t base_len = strlen(statement_html);
    char *buf = malloc(base_len + 64);
    static const char inserts[] = "&<>;\0\r\n\xC3\xFF#x";
    for (int round = 0; round < 1500; round++) {
        memcpy(buf, statement_html, base_len);
        size_t len = base_len;
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            switch ((seed >> 4) % 3) {
            case 0: buf[at] = inserts[(seed >> 16) % (sizeof inserts - 1)]; break;
            case 1: buf[at] = (char)(seed >> 20); break;
            default: len = at + 1; break;  /* truncate */
            }
        }
        cs_extract_t x;
        _cs_extract_init(&x);
        if (_cs_html_extract(buf, len, &x) == CS_OK)
            check_invariants(&x, len, 0);
        _cs_extract_free(&x);
        /* the same bytes as a text file, with and without byte order marks */
        static const char *const boms[] = { "", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF" };
        const char *bom = boms[round % 4];
        size_t bl = strlen(bom);
        memmove(buf + bl, buf, len);
        memcpy(buf, bom, bl);
        _cs_extract_init(&x);
        if (_cs_text_extract(buf, len + bl, &x) == CS_OK)
            check_invariants(&x, len + bl, 1);
        _cs_extract_free(&x);
        /* and as a passage record's segments */
        cs_seg_t *segs;
        size_t n;
        if (_cs_segs_decode(buf, len < 40 ? len : 40, 0, &segs, &n))
            free(segs);
    }
    free(buf);
}
END_TEST

/* A test case of @s with the corpus fixture and @timeout seconds. */
static TCase *add_case(Suite *s, const char *name, int timeout)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, timeout);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *ingest_suite(void)
{
    Suite *s = suite_create("ingest");
    TCase *text = add_case(s, "text", 60);
    tcase_add_test(text, test_encodings_cite_original_bytes);
    tcase_add_test(text, test_unknown_formats_skipped_with_reason);
    tcase_add_test(text, test_cjk_bigrams_highlight_once);
    TCase *html = add_case(s, "html", 60);
    tcase_add_test(html, test_html_visible_text_sections_and_exact_bytes);
    tcase_add_test(html, test_html_metadata);
    tcase_add_test(html, test_html_windows_1252);
    tcase_add_test(html, test_mutated_input_keeps_citations_in_bounds);
    TCase *pdf = add_case(s, "pdf", 120);
    tcase_add_test(pdf, test_pdf_pages_lines_boxes);
    tcase_add_test(pdf, test_pdf_metadata);
    tcase_add_test(pdf, test_pdf_staleness);
    tcase_add_test(pdf, test_corpus_pdf_matches_its_generator);
    tcase_add_test(pdf, test_pdf_unreadable_ones_skipped_with_reason);
    tcase_add_test(pdf, test_worker_contains_crash_hang_and_memory);
    TCase *docx = add_case(s, "docx", 60);
    tcase_add_test(docx, test_docx_paragraphs_and_headings);
    tcase_add_test(docx, test_docx_broken_ones_skipped_with_reason);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--worker") == 0)
        return _cs_ingest_worker_main(argc, argv, test_extractor);
    return test_run(ingest_suite());
}
