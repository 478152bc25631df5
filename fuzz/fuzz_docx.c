/* fuzz_docx.c - libFuzzer target for the DOCX extractor (libzip and libxml2), run in
 * process as its helper (cybersearch-extract) runs it.  The whole input is
 * the file; an extraction that succeeds obeys extract_check.h's contract,
 * its segments citing offsets in its own text.  A crash, a hang (-timeout)
 * or a memory hoard (-rss_limit_mb) here is one the helper's limits
 * contain in production, but each is still a finding.
 */
#include "extract_check.h"

EXTRACTOR_FUZZ_TARGET(_cs_docx_extract)
