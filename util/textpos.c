/* textpos.c - line and column of byte offsets. */
#include <string.h>

#include "util.h"

void _cs_linecol_advance(cs_linecol_t *pos, const char *text, size_t text_base,
                         size_t target)
{
    size_t i = pos->offset;
    while (i < target) {
        const char *nl = memchr(text + (i - text_base), '\n', target - i);
        if (!nl) {
            pos->col += (uint32_t)(target - i);
            break;
        }
        size_t at = (size_t)(nl - text) + text_base;
        pos->line++;
        pos->col = 1;
        i = at + 1;
        if (i >= target) {
            pos->col += (uint32_t)(target - i);
            break;
        }
    }
    pos->offset = target;
}
