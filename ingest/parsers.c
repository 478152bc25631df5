/* parsers.c - the parsers of the formats cybersearch-extract reads, by
 * extractor name (the library's table names them without a parser). */
#include <string.h>

#include "ingest.h"

static const cs_extractor_t parsers[] = {
    { "pdf", _cs_pdf_sniff, _cs_pdf_extract, 1 },
    { "docx", _cs_docx_sniff, _cs_docx_extract, 1 },
};

const cs_extractor_t *_cs_ingest_parser(const char *name)
{
    for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++)
        if (strcmp(parsers[i].name, name) == 0)
            return &parsers[i];
    return NULL;
}
