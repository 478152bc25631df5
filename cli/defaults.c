/* defaults.c - what the commands share when no option says otherwise. */
#include <stdlib.h>

#include "cli.h"

const char *cli_default_index(void)
{
    const char *env = getenv("CYBERSEARCH_INDEX");
    return env && *env ? env : "index";
}
