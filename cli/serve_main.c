/* serve_main.c - cybersearch-serve, the program behind `cybersearch serve`.
 *
 * The server is a program of its own so that the command line does not
 * load an HTTP server and, through it, a TLS stack (eleven libraries in
 * Debian's libmicrohttpd) at every search: that doubled the time of a
 * cold one-query process. */
#include "cli.h"

const char *cli_program = "cybersearch";

int main(int argc, char **argv)
{
    return cli_serve(argc, argv);
}
