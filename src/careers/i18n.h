/*
 * The Japanese of the careers data files, checked. Every object of a data
 * file with prose carries a "ja" object beside it that mirrors its
 * translatable fields: the same keys, a string for a string, an array of the
 * same length for an array, an object with the same keys for an object
 * (docs/i18n.md lists the fields per file). The loaders read what is there
 * (a field without Japanese shows in English); this lint makes it 100% or an
 * error: a translatable field without its Japanese, a shape that differs, a
 * "ja" key that is not a translatable field, a "ja" object where no field is
 * translatable, or a translation with no Japanese character in it.
 */
#ifndef RF_CAREERS_I18N_H
#define RF_CAREERS_I18N_H

#include <jansson.h>
#include <stddef.h>

/* Called once per problem with a one-line message naming the file and the
 * JSON path ("roles.json: roles[3].ja.description: missing"). */
typedef void rf_i18n_line_fn(void *ctx, const char *msg);

/* Lints root, the contents of the data file named file (its base name:
 * "skills.json", "roles.json", "learning.json", "readiness.json",
 * "team.json", "interviews.json" or "concepts.json"; any other name has no translatable
 * fields, so any "ja" in it is a problem). Returns the number of problems. */
size_t rf_i18n_lint_json(const char *file, const json_t *root, rf_i18n_line_fn *line, void *ctx);

/* Lints those files of the data folder dir: skills.json and roles.json must
 * be there, the others are linted when present. A file that cannot be read
 * or parsed is one problem. Returns the number of problems. */
size_t rf_i18n_lint_dir(const char *dir, rf_i18n_line_fn *line, void *ctx);

/* The number of translatable fields (leaf strings, counting each element of
 * an array or object) of root and how many of them have their Japanese; for
 * coverage figures. */
void rf_i18n_count(const char *file, const json_t *root, size_t *fields, size_t *translated);

#endif
