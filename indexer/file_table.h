/* file_table.h - the indexer's in-memory view of the indexed files. */
#ifndef CS_FILE_TABLE_H
#define CS_FILE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

CS_BEGIN_DECLS

typedef struct cs_file_entry {
    char key[CS_FILE_KEY_HEX + 1];
    cs_file_record_t rec;   /* rec.path points at path */
    char *path;             /* malloc'd */
    int seen;               /* found by this run's walk */
} cs_file_entry_t;

/* Open-addressing hash table keyed by the file key. */
typedef struct cs_file_table {
    cs_file_entry_t **slots;
    size_t cap, count;
} cs_file_table_t;

/* Load every file record of @db (of all its shards).  Malformed records are left out (the
 * files are then indexed afresh). */
cs_status_t _cs_file_table_load(cs_file_table_t *table, xc_db_t *db,
                                xc_error_t *err);
void _cs_file_table_free(cs_file_table_t *table);
cs_file_entry_t *_cs_file_table_find(const cs_file_table_t *table,
                                     const char *key);

CS_END_DECLS

#endif /* CS_FILE_TABLE_H */
