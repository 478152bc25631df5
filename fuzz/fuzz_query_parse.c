/* fuzz_query_parse.c - libFuzzer target for the query parser.
 *
 * Any bytes are a query (cut at the first NUL, as a C string would be).
 * Invariants: parsing never crashes or leaks; a success describes to one
 * line; a failure is CS_ERR_BAD_QUERY (or NOMEM) with the offset inside
 * the query and a one-line message.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *query = malloc(size + 1);
    cs_qnode_t *tree = NULL;
    size_t offset = 0;
    char *message = NULL;

    if (!query)
        return 0;
    memcpy(query, data, size);
    query[size] = '\0';

    cs_status_t status = cs_query_parse(query, &tree, &offset, &message);
    if (status == CS_OK) {
        char *description = cs_qnode_describe(tree);
        assert(tree != NULL && message == NULL);
        assert(description == NULL || strchr(description, '\n') == NULL);
        free(description);
    } else {
        assert(tree == NULL);
        assert(status == CS_ERR_BAD_QUERY || status == CS_ERR_NOMEM);
        assert(offset <= strlen(query));
        assert(status != CS_ERR_BAD_QUERY ||
               (message != NULL && strpbrk(message, "\r\n") == NULL));
    }
    cs_qnode_free(tree);
    free(message);
    free(query);
    return 0;
}
