/* main.c - cybersearch: search a cited-passage index, or build one.
 *
 *   cybersearch QUERY                 search (the default command)
 *   cybersearch search [OPTION]... QUERY
 *   cybersearch index [--corpus DIR]... [--index DIR]
 *   cybersearch stats [--index DIR]
 *   cybersearch serve [--index DIR] [--bind ADDR] [--port N]
 */
#include <string.h>

#include "cli.h"

const char *cli_program = "cybersearch";

static int usage(FILE *out)
{
    fprintf(out,
            "Usage: %s QUERY                 search the index (same as `search`)\n"
            "       %s search [OPTION]... QUERY\n"
            "       %s index [--corpus DIR]... [--index DIR] [--rebuild]\n"
            "       %s stats [--index DIR]\n"
            "       %s serve [--index DIR] [--bind ADDR] [--port N] [--threads N]\n"
            "       %s --version | --help\n\n"
            "`%s COMMAND --help` describes each command.\n",
            cli_program, cli_program, cli_program, cli_program, cli_program, cli_program,
            cli_program);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return usage(stdout);
    if (strcmp(cmd, "--version") == 0) {
        printf("cybersearch %s\n", cs_version());
        return 0;
    }
    if (strcmp(cmd, "index") == 0)
        return cli_index(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cli_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "search") == 0)
        return cli_search(argc - 1, argv + 1);
    /* no command: everything is the search's (options and the query) */
    return cli_search(argc, argv);
}
