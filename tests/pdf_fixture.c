/* pdf_fixture.c - PDFs drawn with cairo's PDF surface, so that the tests
 * know which word is on which page and line. */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "pdf_fixture.h"

const char *const fixture_page_labels[FIXTURE_PAGES] = { "iii", "iv", "v" };

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
