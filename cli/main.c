/* main.c - cybersearch: search a cited-passage index, or build one.
 *
 *   cybersearch QUERY                 search (the default command)
 *   cybersearch search [OPTION]... QUERY
 *   cybersearch index [--corpus DIR]... [--index DIR]
 *   cybersearch stats [--index DIR]
 *   cybersearch serve [--index DIR] [--bind ADDR] [--port N]
 *   cybersearch trend QUERY... [--by FIELD] [--svg FILE]
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
            "       %s trend [--by FIELD] [--per-million] [--svg FILE] QUERY...\n"
            "       %s --version | --help\n\n"
            "`%s COMMAND --help` describes each command.\n",
            cli_program, cli_program, cli_program, cli_program, cli_program, cli_program,
            cli_program, cli_program);
    return 0;
}

/* `serve` and `trend` run programs of their own, installed beside this one
 * (in the build tree, beside the real binary libtool's wrapper runs), so
 * that a search loads neither an HTTP server nor a graphics library. */
static int run_beside(const char *program, const char *command, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "%s: cannot find where this program is: %s\n", cli_program,
                strerror(errno));
        return 2;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - self) : 1,
             slash ? self : ".", program);
    argv[0] = (char *)command;   /* what getopt's messages name */
    execv(path, argv);
    fprintf(stderr, "%s: cannot run %s: %s (it is installed beside cybersearch)\n",
            cli_program, path, strerror(errno));
    return 2;
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
        return run_beside("cybersearch-serve", "cybersearch serve", argv + 1);
    if (strcmp(cmd, "trend") == 0)
        return run_beside("cybersearch-trend", "cybersearch trend", argv + 1);
    if (strcmp(cmd, "search") == 0)
        return cli_search(argc - 1, argv + 1);
    /* no command: everything is the search's (options and the query) */
    return cli_search(argc, argv);
}
