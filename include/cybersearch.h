/* cybersearch.h - public API of libcybersearch.
 *
 * libcybersearch indexes a corpus of text files as passages in a Xapian
 * database and answers ranked queries with highlighted snippets and exact
 * citation offsets (byte ranges, line and column) into the source files.
 *
 * Conventions:
 *  - Every fallible call returns a cs_status_t; CS_OK is 0.
 *  - Handles are opaque.  Objects returned through an out-pointer are owned
 *    by the caller and freed with the matching _close/_destroy call.
 *  - Strings returned by accessors are owned by the object they came from
 *    and stay valid until that object is destroyed, unless stated otherwise.
 *  - Offsets are byte offsets into the source file; [start, end) ranges.
 *    Lines and columns are 1-based; a column counts bytes (as ripgrep and
 *    vim do); only '\n' ends a line.
 */
#ifndef CYBERSEARCH_H
#define CYBERSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define CS_BEGIN_DECLS extern "C" {
#define CS_END_DECLS }
#else
#define CS_BEGIN_DECLS
#define CS_END_DECLS
#endif

#if defined(__GNUC__)
#define CS_PUBLIC __attribute__((visibility("default")))
#else
#define CS_PUBLIC
#endif

CS_BEGIN_DECLS

#define CS_VERSION_MAJOR 0
#define CS_VERSION_MINOR 2
#define CS_VERSION_PATCH 0

/** True when the library headers are at least version major.minor.patch. */
#define CS_CHECK_VERSION(major, minor, patch)                                   \
    (CS_VERSION_MAJOR > (major) ||                                              \
     (CS_VERSION_MAJOR == (major) && CS_VERSION_MINOR > (minor)) ||             \
     (CS_VERSION_MAJOR == (major) && CS_VERSION_MINOR == (minor) &&             \
      CS_VERSION_PATCH >= (patch)))

/** Status codes returned by every fallible call. @since 0.1 */
typedef enum cs_status {
    CS_OK = 0,            /**< Success. */
    CS_ERR_NOMEM,         /**< Out of memory. */
    CS_ERR_INVALID,       /**< Invalid argument (NULL handle, bad option). */
    CS_ERR_IO,            /**< A file or directory could not be read or written. */
    CS_ERR_NOT_FOUND,     /**< The index (or a named object) does not exist. */
    CS_ERR_OPENING,       /**< The database could not be opened. */
    CS_ERR_LOCKED,        /**< Another writer holds the index's write lock. */
    CS_ERR_CORRUPT,       /**< The database is corrupt. */
    CS_ERR_MODIFIED,      /**< The index changed under a reader; retrying may succeed. */
    CS_ERR_VERSION,       /**< Database format or index schema of another version. */
    CS_ERR_BAD_QUERY,     /**< The query could not be parsed. */
    CS_ERR_TOO_BROAD,     /**< A wildcard expands to too many terms. */
    CS_ERR_LANGUAGE,      /**< Unknown stemming language. */
    CS_ERR_NETWORK,       /**< Remote backend unreachable or failed. */
    CS_ERR_BACKEND,       /**< Any other error reported by Xapian. */
    CS_ERR_INTERNAL,      /**< A bug: an unexpected exception or state. */
    CS_ERR_PERMISSION,    /**< Permission denied, or a read-only file system. @since 0.2 */
    CS_ERR_NO_SPACE,      /**< The disk (or the user's quota) is full. @since 0.2 */
    CS_STATUS_LAST        /**< Not a status: the number of statuses. */
} cs_status_t;

/** A static English description of @p status; never NULL. @since 0.1 */
CS_PUBLIC const char *cs_status_to_string(cs_status_t status);

/** The library's version string, "MAJOR.MINOR.PATCH". @since 0.1 */
CS_PUBLIC const char *cs_version(void);

/* ------------------------------------------------------------------ */
/* Index handle                                                        */
/* ------------------------------------------------------------------ */

/** An open index.  Not thread-safe: use one handle per thread. */
typedef struct cs_index cs_index_t;

/**
 * Open an existing index for searching.
 *
 * @param path   the index directory (a Xapian database, or a folder holding
 *               the Xapian stub file of a sharded index); a stub file, whose
 *               lines "auto PATH" and "remote HOST:PORT" name shards that
 *               are searched as one index; or, for a remote index served
 *               by xapian-tcpsrv, "tcp://HOST:PORT".
 * @param out    receives the handle; set to NULL on failure.
 * @param errmsg if not NULL, receives a malloc'd message on failure that
 *               the caller frees (NULL on success).
 *
 * Return value: CS_OK; CS_ERR_NOT_FOUND when there is no index at @p path;
 * CS_ERR_VERSION when the index was built by another schema version (rebuild
 * it); CS_ERR_CORRUPT, CS_ERR_OPENING, CS_ERR_NOMEM otherwise.
 * @since 0.1
 */
CS_PUBLIC cs_status_t cs_index_open(const char *path, cs_index_t **out,
                                    char **errmsg);

/** Close @p index and free everything it owns.  NULL is a no-op. @since 0.1 */
CS_PUBLIC void cs_index_close(cs_index_t *index);

/**
 * The message of the last failed call on @p index, or "" if none.
 * Owned by the index; valid until the next call on it.  @since 0.1
 */
CS_PUBLIC const char *cs_index_last_error(const cs_index_t *index);

/** Index-wide facts, filled by cs_index_get_info(). @since 0.1 */
typedef struct cs_index_info {
    uint64_t passages;        /**< Documents (passages) in the index. */
    uint64_t files;           /**< Source files indexed. */
    uint64_t terms;           /**< Distinct words ever indexed (the vocabulary). */
    uint64_t disk_bytes;      /**< Size of the index on disk (0 if remote). */
    const char *language;     /**< Stemming language. */
    const char *roots;        /**< Corpus roots, one per line. */
    const char *last_run;     /**< Summary of the last indexing run, or "". */
    int schema_version;       /**< Index schema version. */
    int shards;               /**< Databases searched as one (1 unsharded;
                                   a stub's lines). @since 0.3 */
} cs_index_info_t;

/**
 * Fill @p info.  Its strings are owned by @p index and stay valid until the
 * next call on it.  @since 0.1
 */
CS_PUBLIC cs_status_t cs_index_get_info(cs_index_t *index, cs_index_info_t *info);

/**
 * Move @p index to the latest committed revision of its database, so that a
 * long-lived handle (a server's) sees what an indexer committed since it
 * was opened; the language and corpus roots are read again.  Results
 * already returned are not affected.
 *
 * Return value: CS_OK; CS_ERR_VERSION when the index was rebuilt by another
 * schema; CS_ERR_NOT_FOUND, CS_ERR_OPENING, CS_ERR_CORRUPT, CS_ERR_MODIFIED
 * otherwise (an index being replaced by a rebuild may fail for a moment:
 * close the handle and open it again).  The message is on the handle.
 * @since 0.2
 */
CS_PUBLIC cs_status_t cs_index_reopen(cs_index_t *index);

/* ------------------------------------------------------------------ */
/* Indexing                                                            */
/* ------------------------------------------------------------------ */

/** Room in cs_update_stats_t for per-format counts. @since 0.2 */
#define CS_FORMATS_MAX 8

/**
 * The name of the file format the indexer reads as number @p i ("text",
 * "html", "pdf", "docx", ...), or NULL past the last.  Static.  @since 0.2
 */
CS_PUBLIC const char *cs_format_name(size_t i);

/** Progress and outcome counters of one indexing run. @since 0.1 */
typedef struct cs_update_stats {
    uint64_t files_added, files_changed, files_removed, files_unchanged;
    uint64_t files_skipped;   /**< No extractor for the format, unreadable, or
                                   otherwise skipped (each with a warning). */
    uint64_t passages;        /**< Passages written in this run. */
    uint64_t bytes;           /**< Bytes read in this run. */
    uint64_t files_seen;      /**< Files examined so far (for progress). */
    uint64_t files_total;     /**< Files found by the walk (for progress). */
    uint64_t bytes_total;     /**< Their size in bytes (for progress). */
    uint64_t bytes_seen;      /**< Bytes of the files examined so far. */
    double seconds;           /**< Wall time of the run. */
    /** Files indexed in this run (added or changed) per format: slot i
     *  counts the format cs_format_name(i).  @since 0.2 */
    uint64_t files_by_format[CS_FORMATS_MAX];
} cs_update_stats_t;

/**
 * Called for warnings (a skipped file) with a one-line message, and for
 * progress with @p message NULL.  Return 0 to go on.  @since 0.1
 */
typedef int (*cs_update_callback_t)(void *ctx, const char *message,
                                    const cs_update_stats_t *stats);

/** Options for cs_index_update(); initialise with cs_update_options_init(). */
typedef struct cs_update_options {
    const char *const *roots; /**< Corpus roots to index (NULL: the recorded ones). */
    size_t n_roots;
    const char *language;     /**< Stemming language for a new index (default "english"). */
    int rebuild;              /**< Non-zero: discard the index and build afresh. */
    int threads;              /**< Writer threads for a full build (0: as many as cores). */
    cs_update_callback_t callback; /**< Optional warnings and progress. */
    void *callback_ctx;
    /** Non-zero: a root that holds no files may empty the index of the
     *  files it held.  By default such a run fails (CS_ERR_IO) and leaves
     *  the index as it was: an empty folder is what an unmounted share
     *  looks like.  @since 0.2 */
    int allow_empty;
    /** Non-zero: a run may remove more than half of a root's indexed
     *  files (when that is 20 or more).  By default such a run fails
     *  (CS_ERR_IO) and leaves the index as it was, as backup tools guard
     *  against mass deletion: a moved folder or a share mounted in part
     *  looks like deleted files.  A rebuild is not held back.  @since 0.2 */
    int allow_deletions;
    /** Shards of a new index or a rebuild (1 to 16; 0: the index's own
     *  count, 1 for a new index).  A file's passages go to the shard its
     *  path picks, so an incremental run rewrites only the shards whose
     *  files changed; the shards are built in parallel and named by a
     *  Xapian stub file in the index folder.  Changing the count of an
     *  existing index needs @c rebuild (else CS_ERR_INVALID).  @since 0.3 */
    int shards;
    /** Files larger than this many bytes are skipped with a warning (a
     *  file is read whole into memory, once per writer thread at work):
     *  0 means CS_DEFAULT_MAX_FILE_BYTES, UINT64_MAX no limit.  A file
     *  that grew past it loses its old passages, as one that changed
     *  into a format no extractor reads.  @since 0.3 */
    uint64_t max_file_bytes;
} cs_update_options_t;

/** The default of cs_update_options_t.max_file_bytes: 1 GiB. @since 0.3 */
#define CS_DEFAULT_MAX_FILE_BYTES ((uint64_t)1 << 30)

/** Set @p options to the defaults. @since 0.1 */
CS_PUBLIC void cs_update_options_init(cs_update_options_t *options);

/**
 * Bring the index at @p index_path up to date with its corpus roots,
 * creating it if needed.  Unchanged files (same size and mtime) are not
 * read; changed files have their passages replaced; deleted files lose
 * theirs.  Nothing is dropped for want of seeing it: a root that is
 * missing, unreadable, or empty where it held files (see
 * options->allow_empty), or that lost most of its files (see
 * options->allow_deletions), fails the run with the index left as it was, and
 * the files under a folder that cannot be read keep their passages (a
 * warning; a --rebuild fails instead).  The run commits in transactions: if it is killed, the index
 * stays at an earlier committed state and the next run completes the work.
 * A new index (or options->rebuild) is built by several threads, then
 * compacted into a new version folder inside the index, which one rename
 * of the index's stub file switches searches to.
 *
 * @param stats  if not NULL, receives the run's counters.
 * @param errmsg if not NULL, receives a malloc'd message on failure.
 *
 * Return value: CS_OK (files may have been skipped: see
 * stats->files_skipped); CS_ERR_LOCKED when another indexer runs;
 * CS_ERR_INVALID for a bad option, a change of options->shards without
 * options->rebuild, or a rebuild through "tcp://"; CS_ERR_CORRUPT when the
 * shard count (or order) the index records does not match its stub file;
 * CS_ERR_LANGUAGE, CS_ERR_VERSION, CS_ERR_IO otherwise.
 * @since 0.1
 */
CS_PUBLIC cs_status_t cs_index_update(const char *index_path,
                                      const cs_update_options_t *options,
                                      cs_update_stats_t *stats, char **errmsg);

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

typedef struct cs_results cs_results_t;
typedef struct cs_hit cs_hit_t;
typedef struct cs_facet cs_facet_t;

/** How the buckets of a facet are ordered.  @since 0.2 */
typedef enum cs_facet_order {
    CS_FACET_ORDER_DEFAULT = 0, /**< The field's own: by value for year and
                                     session, by count for the others. */
    CS_FACET_ORDER_COUNT,       /**< Most passages first (ties by value). */
    CS_FACET_ORDER_VALUE        /**< By value (numbers numerically). */
} cs_facet_order_t;

/** Options for cs_search(); initialise with cs_search_options_init(). */
typedef struct cs_search_options {
    size_t limit;            /**< Hits to return (default 10). */
    size_t offset;           /**< Hits to skip (default 0). */
    int any;                 /**< Non-zero: bare words are optional (OR). */
    int per_file;            /**< Most passages from one file (default 3; 0: no limit). */
    int snippet_words;       /**< Snippet window in words (default 40). */
    int plain;               /**< Non-zero: the query is plain words; quotes,
                                  parentheses and AND/OR/NOT are only text. */
    int no_snippets;         /**< Non-zero: no snippets, highlights or missing
                                  words (faster, for ranked lists of files);
                                  the file count is then not made. */
    int exact_count;         /**< Non-zero: count every matching passage and
                                  file exactly (slower on frequent words).
                                  @since 0.2 */
    /** Fields to count over the whole set of matching passages (not only
     *  the page, and regardless of per_file): see cs_results_facet().  The
     *  array and its strings are the caller's and only read during
     *  cs_search().  NULL: none.  @since 0.2 */
    const char *const *facets;
    size_t n_facets;         /**< Entries in @c facets.  @since 0.2 */
    size_t facet_limit;      /**< Most buckets per facet; the rest are summed
                                  into one "other" bucket (0: all).  @since 0.2 */
    cs_facet_order_t facet_order; /**< @since 0.2 */
    int facet_words;         /**< Non-zero: also fill each bucket's words and
                                  per_million (one lookup per value; 0 and 0
                                  otherwise).  @since 0.2 */
    int expand;              /**< Non-zero: pseudo-relevance feedback: the
                                  query also searches the words that best
                                  mark its first top passages (Xapian's
                                  expansion set), weighed below its own.
                                  About 3-10 times slower.  @since 0.3 */
    int file_evidence;       /**< Non-zero: a passage's score also counts a
                                  share of the best other passage of its
                                  file among the top 1000 (a file is judged
                                  by more than one paragraph); reads those
                                  candidates, so slower.  @since 0.3 */
    int explain;             /**< Non-zero: explain each hit's score, see
                                  cs_hit_explanation() (a few small
                                  searches per hit).  @since 0.3 */
} cs_search_options_t;

/** Set @p options to the defaults. @since 0.1 */
CS_PUBLIC void cs_search_options_init(cs_search_options_t *options);

/**
 * Run @p query against @p index.
 *
 * @param out receives the results, owned by the caller and freed with
 *            cs_results_destroy(); it may outlive @p index.
 *
 * Return value: CS_OK (possibly with no hits); CS_ERR_BAD_QUERY or
 * CS_ERR_TOO_BROAD for a query that cannot run: cs_index_last_error() has
 * the message and cs_index_error_offset() the offending byte offset;
 * CS_ERR_MODIFIED if the index kept changing during the search; other
 * codes as for cs_index_open().
 * @since 0.1
 */
CS_PUBLIC cs_status_t cs_search(cs_index_t *index, const char *query,
                                const cs_search_options_t *options,
                                cs_results_t **out);

/**
 * Byte offset in the query of the last CS_ERR_BAD_QUERY on @p index, or -1.
 * @since 0.1
 */
CS_PUBLIC long cs_index_error_offset(const cs_index_t *index);

/** Free @p results and every hit and string it owns.  NULL is a no-op. */
CS_PUBLIC void cs_results_destroy(cs_results_t *results);

/** Number of hits held (at most options->limit). @since 0.1 */
CS_PUBLIC size_t cs_results_count(const cs_results_t *results);

/** Estimated number of matching passages in the whole index. @since 0.1 */
CS_PUBLIC uint64_t cs_results_estimate(const cs_results_t *results);

/** A count and its bounds: exact when @c lower == @c upper. @since 0.2 */
typedef struct cs_count {
    uint64_t lower;      /**< At least this many. */
    uint64_t estimate;   /**< Best estimate, between the bounds. */
    uint64_t upper;      /**< At most this many. */
} cs_count_t;

/**
 * How many passages match in the whole index (not only the page): exact
 * for a single word, for a query of filters alone (year:2020, NOT cyber;
 * since 0.3), for phrase and NEAR queries up to 1,000 matches, and for
 * any query with cs_search_options_t.exact_count; otherwise Xapian's
 * estimate within proven bounds.  @since 0.2
 */
CS_PUBLIC cs_count_t cs_results_passages(const cs_results_t *results);

/**
 * How many files hold a matching passage: exact when the candidates read
 * were all the matches, when the passages are exactly known and at most
 * 200, for a query of filters alone (since 0.3), or with exact_count
 * (counting files costs a lookup per match);
 * otherwise the lower bound and estimate are the files of the candidates
 * read and the upper bound the passages' upper bound.  @since 0.2
 */
CS_PUBLIC cs_count_t cs_results_files(const cs_results_t *results);

/**
 * Non-zero when no passage held every required word and the hits are the
 * best partial matches instead (see cs_hit_missing()).  @since 0.1
 */
CS_PUBLIC int cs_results_relaxed(const cs_results_t *results);

/** The query as the engine understood it (for debugging); owned by results. */
CS_PUBLIC const char *cs_results_query_description(const cs_results_t *results);

/** Hit @p i (0-based, < cs_results_count()); owned by @p results. */
CS_PUBLIC const cs_hit_t *cs_results_get(const cs_results_t *results, size_t i);

/* ------------------------------------------------------------------ */
/* Fields and facets                                                   */
/* ------------------------------------------------------------------ */

/** A metadata field (see cybersearch(1), "Fields").  @since 0.2 */
typedef struct cs_field_info {
    const char *name;         /**< As queried: NAME:VALUE, --facet NAME. */
    const char *type;         /**< "keyword", "number", "date", "path" or "words". */
    int filters;              /**< Usable in queries. */
    int sorts;                /**< Has a sortable value (ranges). */
    int facets;               /**< Can be counted with a facet. */
    const char *source;       /**< Where its values come from. */
    const char *example;      /**< A query using it ("" for a sidecar's). */
} cs_field_info_t;

/**
 * Describe field @p i (0-based) of @p index: the built-in fields first,
 * then those the index's sidecars brought (@p index may be NULL for the
 * built-in ones only).  The strings are static or owned by @p index.
 * Returns 0 when @p i is past the last field.  @since 0.2
 */
CS_PUBLIC int cs_field_get(const cs_index_t *index, size_t i, cs_field_info_t *info);

/** One value of a facet and its counts.  @since 0.2 */
typedef struct cs_facet_bucket {
    const char *value;        /**< The value as stored (a country's code);
                                   "other" for the bucket beyond facet_limit. */
    const char *label;        /**< For display: a country's English name, else
                                   the value. */
    int other;                /**< Non-zero for the "other" bucket. */
    uint64_t passages;        /**< Matching passages with the value (exact). */
    uint64_t files;           /**< Matching files with the value (exact). */
    uint64_t words;           /**< Words the whole index holds for the value
                                   (with options->facet_words, else 0). */
    double per_million;       /**< passages per million of those words (0
                                   without facet_words, or when the field
                                   does not count words: date, title). */
} cs_facet_bucket_t;

/** Facets computed (one per options->facets entry, in order). @since 0.2 */
CS_PUBLIC size_t cs_results_facet_count(const cs_results_t *results);
/** Facet @p i, owned by @p results; NULL when @p i is out of range. @since 0.2 */
CS_PUBLIC const cs_facet_t *cs_results_facet(const cs_results_t *results, size_t i);
/** The facet's field name (lower case), owned by the results.  @since 0.2 */
CS_PUBLIC const char *cs_facet_field(const cs_facet_t *facet);
/** Matching passages and files in all, each counted once.  @since 0.2 */
CS_PUBLIC uint64_t cs_facet_passages(const cs_facet_t *facet);
CS_PUBLIC uint64_t cs_facet_files(const cs_facet_t *facet);
/** Buckets, in the requested order, "other" last.  @since 0.2 */
CS_PUBLIC size_t cs_facet_bucket_count(const cs_facet_t *facet);
/** Bucket @p i, owned by the results (strings too); NULL when out of
 *  range.  @since 0.2 */
CS_PUBLIC const cs_facet_bucket_t *cs_facet_bucket(const cs_facet_t *facet, size_t i);

/** A byte range in a source file with the line and column of its start. */
typedef struct cs_span {
    uint64_t start;   /**< First byte, from the start of the file. */
    uint64_t end;     /**< One past the last byte. */
    uint32_t line;    /**< 1-based line of @c start. */
    uint32_t col;     /**< 1-based byte column of @c start. */
} cs_span_t;

/** 1-based rank of the hit among all results (offset included). */
CS_PUBLIC size_t cs_hit_rank(const cs_hit_t *hit);
/** Relevance score (higher is better; comparable within one result set). */
CS_PUBLIC double cs_hit_score(const cs_hit_t *hit);
/** Path of the source file relative to its corpus root. */
CS_PUBLIC const char *cs_hit_path(const cs_hit_t *hit);
/** The corpus root the path is relative to (absolute). */
CS_PUBLIC const char *cs_hit_root(const cs_hit_t *hit);
/** The passage's range in the source file. */
CS_PUBLIC cs_span_t cs_hit_passage(const cs_hit_t *hit);
/**
 * Non-zero when the source file changed (or vanished) since it was indexed:
 * offsets then describe the indexed version, not the file on disk.
 */
CS_PUBLIC int cs_hit_stale(const cs_hit_t *hit);
/**
 * Non-zero when staleness could not be checked because the file's corpus
 * folder is not reachable here (a remote index, or one copied from another
 * machine): cs_hit_stale() is then 0, and the offsets are those of the
 * indexed version, whose text the hit still carries.  @since 0.3
 */
CS_PUBLIC int cs_hit_stale_unknown(const cs_hit_t *hit);
/** Number of highlighted matches in the snippet. */
CS_PUBLIC size_t cs_hit_highlight_count(const cs_hit_t *hit);
/** Match @p i's range in the source file. */
CS_PUBLIC cs_span_t cs_hit_highlight(const cs_hit_t *hit, size_t i);
/**
 * The snippet: the passage's best window, as valid UTF-8 with control
 * characters replaced, and "…" where it was cut.  Owned by the results.
 */
CS_PUBLIC const char *cs_hit_snippet(const cs_hit_t *hit);
/** Match @p i's [start, end) byte range within cs_hit_snippet(). */
CS_PUBLIC void cs_hit_snippet_mark(const cs_hit_t *hit, size_t i,
                                   size_t *start, size_t *end);
/**
 * For a relaxed result set, the query words this hit lacks, separated by
 * spaces ("" when none).  Owned by the results.
 */
CS_PUBLIC const char *cs_hit_missing(const cs_hit_t *hit);
/**
 * With cs_search_options_t.explain, the parts that add up to the hit's
 * score, as text: each scoring part of the query (words, phrases, added
 * feedback terms) with its BM25 weight, the file evidence and the proximity
 * boost, e.g. "12.3 = (BM25 10.1 = report 6.2 + consensus 3.9) x proximity
 * 1.22"; "" otherwise.  Owned by the results.  @since 0.3
 */
CS_PUBLIC const char *cs_hit_explanation(const cs_hit_t *hit);

/* ---- Locators in each format's own units (@since 0.2) --------------
 * A hit names its file's format and cites in the units of that format:
 *  - "text": cs_hit_passage() and cs_hit_highlight() are byte ranges and
 *    line:col in the file as stored, whatever its encoding (a UTF-16 or
 *    Windows-1252 file is cited in its own bytes);
 *  - "html": byte ranges and line:col in the HTML source, the heading path
 *    (cs_hit_section()) and the nearest id anchor (cs_hit_anchor());
 *  - "pdf": the page (cs_hit_page(), 1-based, with its printed label from
 *    cs_hit_page_label()), the line on that page as the span's line (the
 *    span's col counts bytes of the extracted line, and start/end are
 *    offsets in the document's extracted UTF-8 text, since a PDF's own
 *    bytes are compressed), and each highlight's box (cs_hit_highlight_box());
 *  - "docx": the paragraph (cs_hit_paragraph(), 1-based, counted over the
 *    document's non-empty paragraphs and headings) and the heading path;
 *    spans are offsets in the extracted text, line:col the paragraph and
 *    the byte column in it.
 * Strings are owned by the results; "" when the format has none.
 */

/** The hit's file format: "text", "html", "pdf", "docx". @since 0.2 */
CS_PUBLIC const char *cs_hit_format(const cs_hit_t *hit);
/** A text file's encoding ("UTF-8", "WINDOWS-1252", "UTF-16LE",
 *  "UTF-16BE"); "" for other formats. @since 0.2 */
CS_PUBLIC const char *cs_hit_encoding(const cs_hit_t *hit);
/** The 1-based page of a PDF hit; 0 for other formats. @since 0.2 */
CS_PUBLIC uint32_t cs_hit_page(const cs_hit_t *hit);
/** The printed label of that page ("iv", "3/30") when the PDF gives
 *  labels, else "". @since 0.2 */
CS_PUBLIC const char *cs_hit_page_label(const cs_hit_t *hit);
/** The 1-based paragraph of a DOCX hit; 0 for other formats. @since 0.2 */
CS_PUBLIC uint32_t cs_hit_paragraph(const cs_hit_t *hit);
/** The headings above the passage, outermost first, joined by " > "
 *  (HTML, DOCX); "" when none. @since 0.2 */
CS_PUBLIC const char *cs_hit_section(const cs_hit_t *hit);
/** The nearest id anchor at or before the passage (HTML), for a link
 *  "file.html#anchor"; "" when none. @since 0.2 */
CS_PUBLIC const char *cs_hit_anchor(const cs_hit_t *hit);
/**
 * The box of highlight @p i of a PDF hit: *@p page (1-based) and @p box
 * (x0, y0, x1, y1): its lower-left and upper-right corners in PDF points,
 * in the page's user space (origin at the bottom-left corner, y up), as
 * PDF annotations and poppler_page_find_text() give boxes.  A word hyphenated over two lines
 * gives the box of its first part.  Returns 0 (leaving the outputs alone)
 * when the hit has no box.  @since 0.2
 */
CS_PUBLIC int cs_hit_highlight_box(const cs_hit_t *hit, size_t i, uint32_t *page,
                                   double box[4]);

/* ------------------------------------------------------------------ */
/* Passages in context                                                 */
/* ------------------------------------------------------------------ */

/** Bytes enough for any passage id with its terminating NUL. @since 0.2 */
#define CS_PASSAGE_ID_SIZE 40

/**
 * Write the id of @p hit's passage into @p buf (at most @p size bytes with
 * the NUL; CS_PASSAGE_ID_SIZE is always enough) and return its length.
 * The id names the file by a hash and the passage by its first byte
 * ("0123456789abcdef-1476"): it names nothing on the file system and stays
 * valid across reindexing for as long as the file's passage is unchanged.
 * @since 0.2
 */
CS_PUBLIC size_t cs_hit_passage_id(const cs_hit_t *hit, char *buf, size_t size);

/**
 * The passage @p passage_id with up to @p context passages before and after
 * it in its file, read from the index (never from the file itself).
 *
 * @param query   if not NULL or "", its matches are marked in every passage
 *                (parsed as cs_search() would, with @p options' any and
 *                plain; other options are ignored).
 * @param out     receives a result set owned by the caller (free it with
 *                cs_results_destroy()): its hits are the passages in file
 *                order, each hit's snippet the whole passage (white space
 *                folded, as in snippets) with its matches marked, its rank
 *                the passage's 1-based place in the file and its score 0;
 *                cs_results_estimate() and cs_results_passages() are the
 *                file's number of passages, cs_results_files() is 1.
 *                Staleness is not checked (cs_hit_stale() is 0): the text is
 *                the indexed one.
 * @param focus   receives the index in @p out of the passage asked for.
 *
 * Return value: CS_OK; CS_ERR_INVALID for a malformed id; CS_ERR_NOT_FOUND
 * when the index holds no such passage; CS_ERR_BAD_QUERY or
 * CS_ERR_TOO_BROAD for @p query, as cs_search(); other codes as cs_search().
 * @since 0.2
 */
CS_PUBLIC cs_status_t cs_passage_context(cs_index_t *index, const char *passage_id,
                                         const char *query,
                                         const cs_search_options_t *options,
                                         size_t context, cs_results_t **out,
                                         size_t *focus);

CS_END_DECLS

#endif /* CYBERSEARCH_H */
