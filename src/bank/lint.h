/*
 * The bank linter: every check of `rolefit bank lint` over bank files as
 * JSON, reporting all faults rather than stopping at the first. Checks and
 * their severity are listed in docs/bank-lint.md. A fault in the content is a
 * diagnostic, never a failing status; statuses report only the linter's own
 * trouble (no memory, unreadable directory).
 *
 * Use: rf_lint_init, rf_lint_add_dir / _file / _mem for each input,
 * rf_lint_finish (cross-item and per-skill checks, diagnostics sorted by file
 * and item), read l->diags, rf_lint_cleanup.
 */
#ifndef RF_BANK_LINT_H
#define RF_BANK_LINT_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/buf.h"
#include "base/err.h"

enum rf_lint_level { RF_LINT_ERROR, RF_LINT_WARNING };

struct rf_lint_diag {
    enum rf_lint_level level;
    char *file;  /* owned; the file (or bank directory for bank-wide findings) */
    char *item;  /* owned item id (or "items[3]" when the id is unusable), or NULL */
    char *field; /* owned field name, or NULL */
    char *msg;   /* owned */
    size_t file_idx, pos, seq; /* sort key */
};

struct rf_lint_rec; /* per-item record for the cross-item checks (lint_bankwide.h) */

struct rf_lint {
    const struct rf_taxonomy *tax; /* borrowed, may be NULL: skills not checked */
    char *root;                    /* name used for bank-wide findings */
    size_t ndiags, cap_diags, nerrors, nwarnings, dropped;
    struct rf_lint_diag *diags;
    size_t nfiles, nitems;
    size_t nrecs, cap_recs;
    struct rf_lint_rec *recs;
    char **files; /* owned names of the files seen */
};

/* Starts a lint run; tax (borrowed, may be NULL) is the skill taxonomy. */
rf_status rf_lint_init(struct rf_lint *l, const struct rf_taxonomy *tax);

/* Lints every *.json file of dir in name order. RF_EIO when dir cannot be read. */
rf_status rf_lint_add_dir(struct rf_lint *l, const char *dir, struct rf_err *err);

/* Lints one file; an unreadable file is a diagnostic, not a failure. */
rf_status rf_lint_add_file(struct rf_lint *l, const char *path, struct rf_err *err);

/* Lints JSON text in memory as if it were the file name (fuzz-friendly). */
rf_status rf_lint_add_mem(struct rf_lint *l, const char *name, const char *data, size_t len,
                          struct rf_err *err);

/* Runs the checks across items (duplicate ids and stems, near-duplicate
 * stems: O(n^2) shingle comparisons) and per skill (count, difficulty
 * spread), then sorts the diagnostics by file, item, order of finding. */
rf_status rf_lint_finish(struct rf_lint *l, struct rf_err *err);

/* Appends one diagnostic as one line, without newline:
 * "FILE: item 'ID': field 'F': error: MESSAGE". */
rf_status rf_lint_diag_format(const struct rf_lint_diag *d, struct rf_buf *out);

void rf_lint_cleanup(struct rf_lint *l);

#endif
