/* helper_formats.c - the formats parsed in cybersearch-extract (PDF and
 * DOCX): how a file is recognized as one, in the library, and which parser
 * reads it, in the helper.  The parsers (pdf.c, docx.c, with poppler,
 * libzip and libxml2) are linked into the helper only (libparsers), so a
 * search or a text-only run loads none of those libraries.
 */
#include <string.h>
#include <strings.h>

#include "ingest.h"

int _cs_pdf_sniff(const unsigned char *head, size_t len, const char *ext)
{
    size_t n = len < 1024 ? len : 1024;
    if (memmem(head, n, "%PDF-", 5))
        return 2;
    return strcasecmp(ext, "pdf") == 0;
}

int _cs_docx_sniff(const unsigned char *head, size_t len, const char *ext)
{
    if (len < 4 || memcmp(head, "PK\3\4", 4) != 0)
        return 0;
    return !strcasecmp(ext, "docx") || memmem(head, len, "word/", 5) ? 2 : 0;
}
