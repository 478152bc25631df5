/* extract_main.c - cybersearch-extract, the helper libcybersearch runs each
 * PDF and DOCX file in (ingest/worker.c): a crash, a loop or a memory
 * hoard in a parser costs that one file. */
#include "ingest.h"

int main(int argc, char **argv)
{
    return _cs_ingest_worker_main(argc, argv, _cs_ingest_parser);
}
