/* trend_main.c - cybersearch-trend, the program behind `cybersearch trend`.
 *
 * The trend is a program of its own so that a search does not load cairo
 * and, through it, fontconfig, freetype, pixman, libpng and the X client
 * libraries (18 shared objects in all on Debian 12) for the charts only
 * `trend --svg` draws. */
#include "cli.h"

const char *cli_program = "cybersearch";

int main(int argc, char **argv)
{
    return cli_trend(argc, argv);
}
