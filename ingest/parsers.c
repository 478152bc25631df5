/* parsers.c - the parsers of the formats cybersearch-extract reads, by
 * extractor name (the library's table names them without a parser). */
#include <string.h>

#include "ingest.h"

/* the helper runs only their extract functions: the library's table
 * (ingest.c) has their names, sniffers and isolate flags */
static const struct {
    const char *name;
    cs_extract_fn extract;
} parsers[] = {
    { "pdf", _cs_pdf_extract },
    { "docx", _cs_docx_extract },
};

cs_extract_fn _cs_ingest_parser(const char *name)
{
    for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++)
        if (strcmp(parsers[i].name, name) == 0)
            return parsers[i].extract;
    return NULL;
}
