/* trend.c - `cybersearch trend`: one series per query over a field's values. */
#include "cli.h"

int cli_trend(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
