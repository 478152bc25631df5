/* status.c - status codes and the library version. */
#include "config.h"

#include "cybersearch.h"

static const char *const status_strings[CS_STATUS_LAST] = {
    [CS_OK] = "success",
    [CS_ERR_NOMEM] = "out of memory",
    [CS_ERR_INVALID] = "invalid argument",
    [CS_ERR_IO] = "input/output error",
    [CS_ERR_NOT_FOUND] = "not found",
    [CS_ERR_OPENING] = "the database could not be opened",
    [CS_ERR_LOCKED] = "the index is locked by another writer",
    [CS_ERR_CORRUPT] = "the database is corrupt",
    [CS_ERR_MODIFIED] = "the index changed during the read; try again",
    [CS_ERR_VERSION] = "the index has an unsupported version",
    [CS_ERR_BAD_QUERY] = "malformed query",
    [CS_ERR_TOO_BROAD] = "wildcard expands to too many terms",
    [CS_ERR_LANGUAGE] = "unknown stemming language",
    [CS_ERR_NETWORK] = "network error talking to a remote index",
    [CS_ERR_BACKEND] = "database backend error",
    [CS_ERR_INTERNAL] = "internal error",
    [CS_ERR_PERMISSION] = "permission denied",
    [CS_ERR_NO_SPACE] = "no space left on the device",
};

const char *cs_status_to_string(cs_status_t status)
{
    if ((unsigned)status >= CS_STATUS_LAST || !status_strings[status])
        return "unknown status";
    return status_strings[status];
}

const char *cs_version(void)
{
    return PACKAGE_VERSION;
}
