/* chart_svg.c - a trend as an SVG line chart, drawn with cairo: a y axis
 * with round ticks and grid lines, the field's values along x (thinned to
 * fit), one coloured line with markers per query, and a legend. */
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WIDTH 800.0
#define HEIGHT 480.0
#define LEFT 70.0
#define RIGHT 40.0
#define TOP 40.0
#define FONT "sans-serif"

/* Colour-blind-safe (Okabe and Ito). */
static const double palette[][3] = {
    { 0.000, 0.447, 0.698 }, { 0.835, 0.369, 0.000 }, { 0.000, 0.620, 0.451 },
    { 0.800, 0.475, 0.655 }, { 0.337, 0.706, 0.914 }, { 0.902, 0.624, 0.000 },
};

/* A round step for about @ticks ticks up to @top: 1, 2 or 5 times 10^k. */
static double tick_step(double top, int ticks)
{
    double raw = top / ticks, unit = pow(10, floor(log10(raw)));
    double m = raw / unit;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * unit;
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - align * e.x_advance, y);
    cairo_show_text(cr, s);
}

/* Legend rows under the plot; returns the height it needs. */
static double legend_height(const cli_trend_t *t)
{
    return 22.0 * (double)t->n_queries + 10.0;
}

static void draw_legend(cairo_t *cr, const cli_trend_t *t, double y0)
{
    cairo_set_font_size(cr, 12);
    for (size_t q = 0; q < t->n_queries; q++) {
        double y = y0 + 22.0 * (double)q;
        const double *c = palette[q % 6];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
        cairo_set_line_width(cr, 2.5);
        cairo_move_to(cr, LEFT, y - 4);
        cairo_line_to(cr, LEFT + 28, y - 4);
        cairo_stroke(cr);
        cairo_arc(cr, LEFT + 14, y - 4, 3.5, 0, 2 * M_PI);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, LEFT + 38, y, t->queries[q], 0);
    }
}

static void draw(cairo_t *cr, const cli_trend_t *t, double plot_bottom)
{
    double top = 0;
    for (size_t v = 0; v < t->n_values; v++)
        for (size_t q = 0; q < t->n_queries; q++)
            if (cli_trend_measure(t, v, q) > top)
                top = cli_trend_measure(t, v, q);
    if (top <= 0)
        top = 1;
    double step = tick_step(top, 5), ymax = ceil(top / step) * step;
    double pw = WIDTH - LEFT - RIGHT, ph = plot_bottom - TOP;
    /* numbers (years) stand at their value, other values evenly */
    int numeric = t->n_values > 1;
    for (size_t v = 0; v < t->n_values && numeric; v++)
        numeric = strspn(t->values[v], "0123456789") == strlen(t->values[v]) && *t->values[v];
    double first = numeric ? atof(t->values[0]) : 0;
    double span = numeric ? atof(t->values[t->n_values - 1]) - first
                          : (double)(t->n_values > 1 ? t->n_values - 1 : 1);
    if (span <= 0)
        span = 1;
#define POS(v) (numeric ? atof(t->values[v]) - first : (double)(v))
#define X(v) (LEFT + (t->n_values > 1 ? pw * POS(v) / span : pw / 2))
#define Y(m) (plot_bottom - ph * (m) / ymax)

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    /* title */
    char title[256];
    snprintf(title, sizeof title, "Passages by %s%s", t->by,
             t->per_million ? " (per million words)" : "");
    cairo_set_font_size(cr, 15);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, LEFT, TOP - 16, title, 0);

    /* y grid, ticks and labels */
    cairo_set_font_size(cr, 11);
    for (double m = 0; m <= ymax + step / 2; m += step) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, LEFT, Y(m));
        cairo_line_to(cr, LEFT + pw, Y(m));
        cairo_stroke(cr);
        char label[32];
        snprintf(label, sizeof label, step < 1 ? "%.1f" : "%.0f", m);
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        text_at(cr, LEFT - 8, Y(m) + 4, label, 1);
    }
    /* axes */
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, LEFT, TOP);
    cairo_line_to(cr, LEFT, plot_bottom);
    cairo_line_to(cr, LEFT + pw, plot_bottom);
    cairo_stroke(cr);
    /* x labels, thinned so that they do not overlap */
    double last_label = -1e9;
    for (size_t v = 0; v < t->n_values; v++) {
        if (X(v) - last_label < 44)
            continue;
        last_label = X(v);
        cairo_move_to(cr, X(v), plot_bottom);
        cairo_line_to(cr, X(v), plot_bottom + 4);
        cairo_stroke(cr);
        text_at(cr, X(v), plot_bottom + 17, t->values[v], 0.5);
    }
    text_at(cr, LEFT + pw / 2, plot_bottom + 34, t->by, 0.5);
    cairo_save(cr);
    cairo_translate(cr, 16, TOP + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, t->per_million ? "passages per million words" : "passages", 0.5);
    cairo_restore(cr);

    /* the series */
    for (size_t q = 0; q < t->n_queries; q++) {
        const double *c = palette[q % 6];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
        cairo_set_line_width(cr, 2.2);
        for (size_t v = 0; v < t->n_values; v++) {
            double m = cli_trend_measure(t, v, q);
            if (v == 0)
                cairo_move_to(cr, X(v), Y(m));
            else
                cairo_line_to(cr, X(v), Y(m));
        }
        cairo_stroke(cr);
        for (size_t v = 0; v < t->n_values; v++) {
            cairo_arc(cr, X(v), Y(cli_trend_measure(t, v, q)), 3, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
#undef POS
#undef X
#undef Y
}

int cli_trend_svg(const cli_trend_t *t, const char *path)
{
    double height = HEIGHT + legend_height(t);
    cairo_surface_t *surface = cairo_svg_surface_create(path, WIDTH, height);
    cairo_status_t st = cairo_surface_status(surface);
    if (st == CAIRO_STATUS_SUCCESS) {
        cairo_t *cr = cairo_create(surface);
        double plot_bottom = HEIGHT - 60;
        draw(cr, t, plot_bottom);
        draw_legend(cr, t, HEIGHT - 6);
        st = cairo_status(cr);
        cairo_destroy(cr);
        cairo_surface_finish(surface);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    /* cairo's font caches and fontconfig's configuration live until
     * freed: free them, so that leak checkers see only our own memory */
    cairo_debug_reset_static_data();
    FcFini();
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "%s: cannot write the chart %s: %s%s%s\n", cli_program, path,
                cairo_status_to_string(st), errno ? ": " : "", errno ? strerror(errno) : "");
        return 0;
    }
    return 1;
}
