/* pdf_fixture.c - PDFs drawn with cairo's PDF surface, so that the tests
 * know which word is on which page and line. */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "pdf_fixture.h"

const char *const fixture_page_labels[FIXTURE_PAGES] = { "iii", "iv", "v" };

/* LeakSanitizer: fontconfig, which cairo draws the fixtures' text with,
 * keeps its caches until the process ends.  (Exported: the build hides
 * symbols by default, and LeakSanitizer looks this one up.) */
__attribute__((visibility("default"), used)) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static void line(cairo_t *cr, double x, double y, const char *text)
{
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

void fixture_statement_pdf(const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Verbatim record A/76/PV.3");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "General Assembly");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2021-09-21T10:00:00Z");
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    for (int p = 0; p < FIXTURE_PAGES; p++) {
        char footer[64];
        snprintf(footer, sizeof footer, "21-25186 %d/30", p + 3);
        cairo_pdf_surface_set_page_label(s, fixture_page_labels[p]);
        line(cr, 72, 40, "A/76/PV.3 General Assembly");
        line(cr, 72, 810, footer);
        if (p == 0) {
            line(cr, 72, 100, "The consensus report was adopted by the Working Group.");
            line(cr, 72, 114, "Delegations spoke about cyber-");
            line(cr, 72, 128, "security of critical infrastructure.");
            line(cr, 72, 170, "A second paragraph mentions capacity building.");
        } else if (p == 1) {
            line(cr, 72, 100, "Left column begins here");
            line(cr, 72, 114, "with alphaword betaword");
            line(cr, 72, 128, "ending the left side.");
            line(cr, 340, 100, "Right column omegaword");
            line(cr, 340, 114, "another right line");
            line(cr, 340, 128, "closing right words.");
            line(cr, 72, 200, "\xD0\x94\xD0\xB5\xD0\xBB\xD0\xB5\xD0\xB3\xD0\xB0\xD1\x86\xD0\xB8"
                              "\xD1\x8F \xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD0\xB8"); /* Делегация России */
            /* 网络安全合作 ("cybersecurity cooperation"), in a CJK font */
            cairo_select_font_face(cr, "WenQuanYi Micro Hei", CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_NORMAL);
            line(cr, 72, 230, "\xE7\xBD\x91\xE7\xBB\x9C\xE5\xAE\x89\xE5\x85\xA8"
                              "\xE5\x90\x88\xE4\xBD\x9C");
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_NORMAL);
        } else {
            line(cr, 72, 100, "The final page mentions ransomware.");
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_surface_destroy(s);
}

void fixture_image_only_pdf(const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_rectangle(cr, 100, 100, 300, 200);
    cairo_fill(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

/* ---- the bundled corpus's sample verbatim record ------------------------ */

/* An illustrative statement written for the corpus (not a UN record), set
 * as a verbatim record: "" starts a new paragraph, "\f" a new page. */
static const char *const record_lines[] = {
    "Open-ended working group on security of and in the use of information",
    "and communications technologies, sample meeting (illustrative record)",
    "",
    "The Chair: I now give the floor to the representative of Norland.",
    "",
    "Mr. Arnesen (Norland): Thank you, Chair. My delegation welcomes the adoption",
    "by consensus of the annual progress report, and we thank you and your team for",
    "the patient work that made the consensus report possible. The report is not",
    "everything we hoped for, but it records common ground on the framework of",
    "responsible State behaviour in the use of information and communications",
    "technologies, and it keeps all States around one table.",
    "",
    "First, on existing and potential threats. Ransomware attacks on hospitals,",
    "water utilities and energy grids have grown in number and in effect. Such",
    "attacks on critical infrastructure put lives at risk. We support the call of",
    "the report for States to share information on threats and on incidents, and to",
    "protect the public core of the Internet.",
    "",
    "Second, on rules, norms and principles. The eleven voluntary norms endorsed by",
    "the General Assembly remain the basis of our work. My delegation supports",
    "further guidance on their implementation, including a checklist that States",
    "may use on a voluntary basis, and we see value in a discussion of how the",
    "norms apply to the protection of supply chains and to the integrity of cyber-",
    "security products.",
    "",
    "\f",
    "Third, on international law. International law, and in particular the Charter",
    "of the United Nations, applies in its entirety to cyberspace. We welcome the",
    "growing number of national positions on how international law applies, and we",
    "encourage States that have not yet done so to publish theirs. International",
    "humanitarian law applies to cyber operations during armed conflict.",
    "",
    "Fourth, on confidence-building measures. The global points of contact",
    "directory is now operational. My delegation has nominated its diplomatic and",
    "technical points of contact, and we call on all States to do the same and to",
    "take part in the ping tests proposed in the report.",
    "",
    "Fifth, on capacity building. Capacity building is a shared responsibility.",
    "It should be demand-driven, gender-sensitive and sustainable. Norland will",
    "continue to fund training for diplomats from developing countries, so that",
    "every delegation can take part in these negotiations on an equal footing.",
    "",
    "Finally, on regular institutional dialogue. We support a single, permanent,",
    "action-oriented mechanism under the auspices of the United Nations after the",
    "working group concludes its work, built by consensus and open to all States.",
    "",
    "The Chair: I thank the representative of Norland for the statement.",
    NULL,
};

void fixture_corpus_record_pdf(const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                   "Open-ended working group, sample meeting (illustrative record)");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "cybersearch sample corpus");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2024-03-05T10:00:00Z");
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    int page = 1;
    double y = 0;
    for (size_t i = 0;; i++) {
        const char *text = record_lines[i];
        if (y == 0) {  /* a new page: the running header and footer */
            char footer[64];
            snprintf(footer, sizeof footer, "24-00000 %d/2", page);
            cairo_set_font_size(cr, 9);
            line(cr, 72, 50, "SAMPLE/PV.1 Open-ended working group (illustrative record)");
            line(cr, 72, 800, footer);
            cairo_set_font_size(cr, 10.5);
            y = 100;
        }
        if (!text || *text == '\f') {
            cairo_show_page(cr);
            y = 0;
            page++;
            if (!text)
                break;
            continue;
        }
        if (*text)
            line(cr, 72, y, text);
        y += *text ? 14 : 8;
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_surface_destroy(s);
}
