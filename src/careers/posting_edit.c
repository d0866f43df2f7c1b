/*
 * Edited requirements and stored parses read back (see posting_edit.h).
 * Every reader here builds its result aside and swaps it in only when the
 * whole input is valid, so a failed edit leaves the posting as it was.
 */
#include "careers/posting_edit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/mem.h"

static const char *const sec_key[] = {"required", "preferred"};

static void free_reqs(struct rf_posting_req *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].label);
        free(r[i].text);
    }
    free(r);
}

/* The positional weight of the item at 1-based position pos of section sec. */
static double positional_weight(enum rf_section sec, size_t pos)
{
    if (sec == RF_SEC_PREFERRED)
        return RF_POSTING_W_PREFERRED;
    return pos <= 2 ? RF_POSTING_W_TOP : pos == 3 ? RF_POSTING_W_THIRD : RF_POSTING_W_REST;
}

/* Level index 1..RF_NLEVELS-1 of a level name. */
static int level_of(const struct rf_taxonomy *tax, const char *name, size_t *out)
{
    for (size_t l = 1; l < RF_NLEVELS; l++)
        if (tax->levels[l] && strcmp(tax->levels[l], name) == 0) {
            *out = l;
            return 1;
        }
    return 0;
}

/* "Skill A or Skill B": the label of an entry that gives none. */
static char *default_label(const struct rf_taxonomy *tax, const struct rf_posting_req *r)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)RF_POSTING_LABEL_MAX * 4);
    rf_status rc = RF_OK;
    for (size_t k = 0; !rc && k < r->nskills; k++)
        rc = rf_buf_printf(&b, "%s%s", k ? " or " : "", tax->skills[r->skills[k]].name);
    if (rc == RF_ETOOBIG)
        rc = RF_OK; /* a long label is cut, not refused */
    char *s = rc ? NULL : rf_strdup(rf_buf_str(&b));
    rf_buf_cleanup(&b);
    return s;
}

/* Reads one requirement entry e (at where, e.g. "required[2]") into r. */
static rf_status read_req(const char *name, const char *where, const json_t *e,
                          enum rf_section sec, size_t pos, const struct rf_taxonomy *tax,
                          struct rf_posting_req *r, struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    r->section = sec;
    r->position = pos;
    if (!json_is_object(e))
        return rf_err_set(err, RF_EINVAL, "%s%s: expected an object", name, where);
    const json_t *sk = json_object_get(e, "skills");
    if (!json_is_array(sk) || json_array_size(sk) == 0)
        return rf_err_set(err, RF_EINVAL, "%s%s.skills: expected a non-empty array of skill ids",
                          name, where);
    if (json_array_size(sk) > RF_POSTING_MAX_ALTS)
        return rf_err_set(err, RF_EINVAL, "%s%s.skills: at most %d skills in one requirement",
                          name, where, RF_POSTING_MAX_ALTS);
    for (size_t k = 0; k < json_array_size(sk); k++) {
        const char *id = json_string_value(json_array_get(sk, k));
        size_t idx;
        if (!id)
            return rf_err_set(err, RF_EINVAL, "%s%s.skills[%zu]: expected a skill id", name,
                              where, k);
        if (rf_taxonomy_find(tax, id, &idx) != RF_OK)
            return rf_err_set(err, RF_EINVAL, "%s%s.skills[%zu]: unknown skill '%.60s'", name,
                              where, k, id);
        for (size_t j = 0; j < r->nskills; j++)
            if (r->skills[j] == idx)
                return rf_err_set(err, RF_EINVAL, "%s%s.skills[%zu]: '%s' is listed twice", name,
                                  where, k, id);
        r->skills[r->nskills++] = idx;
    }
    const json_t *lv = json_object_get(e, "level");
    const char *lname = json_string_value(lv);
    if (!lname)
        return rf_err_set(err, RF_EINVAL, "%s%s.level: expected a level name (%s, %s, %s, %s)",
                          name, where, tax->levels[1], tax->levels[2], tax->levels[3],
                          tax->levels[4]);
    if (!level_of(tax, lname, &r->level))
        return rf_err_set(err, RF_EINVAL, "%s%s.level: unknown level '%.40s' (%s, %s, %s, %s)",
                          name, where, lname, tax->levels[1], tax->levels[2], tax->levels[3],
                          tax->levels[4]);
    const json_t *w = json_object_get(e, "weight");
    if (w && !json_is_null(w)) {
        double v = json_number_value(w);
        if (!json_is_number(w) || !isfinite(v) || v <= 0 || v > RF_POSTING_EDIT_MAX_WEIGHT)
            return rf_err_set(err, RF_EINVAL, "%s%s.weight: expected a number above 0 and at most %g",
                              name, where, RF_POSTING_EDIT_MAX_WEIGHT);
        r->weight = v;
    } else {
        r->weight = positional_weight(sec, pos);
    }
    const json_t *ln = json_object_get(e, "line");
    if (ln && !json_is_null(ln)) {
        if (!json_is_integer(ln) || json_integer_value(ln) < 0)
            return rf_err_set(err, RF_EINVAL, "%s%s.line: expected a line number", name, where);
        r->line = (size_t)json_integer_value(ln);
    }
    const char *fields[] = {"label", "text"};
    const size_t caps[] = {(size_t)RF_POSTING_LABEL_MAX * 4, RF_POSTING_EDIT_MAX_TEXT};
    char *val[2] = {NULL, NULL};
    for (size_t f = 0; f < 2; f++) {
        const json_t *v = json_object_get(e, fields[f]);
        if (!v || json_is_null(v))
            continue;
        const char *s = json_string_value(v);
        if (!s || strlen(s) > caps[f]) {
            free(val[0]);
            return rf_err_set(err, RF_EINVAL, "%s%s.%s: expected text of at most %zu bytes", name,
                              where, fields[f], caps[f]);
        }
        if (*s && !(val[f] = rf_strdup(s))) {
            free(val[0]);
            return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
        }
    }
    r->label = val[0] ? val[0] : default_label(tax, r);
    r->text = val[1] ? val[1] : rf_strdup("");
    if (!r->label || !r->text) {
        free(r->label);
        free(r->text);
        r->label = r->text = NULL;
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    }
    return RF_OK;
}

/* Reads the "required" and "preferred" arrays of j into a new array. */
static rf_status read_reqs(const char *name, const json_t *j, const struct rf_taxonomy *tax,
                           struct rf_posting_req **out, size_t *n, size_t *nrequired,
                           struct rf_err *err)
{
    if (!json_is_object(j))
        return rf_err_set(err, RF_EINVAL, "%sexpected an object with 'required' and 'preferred'",
                          name);
    size_t total = 0;
    for (size_t s = 0; s < 2; s++) {
        const json_t *a = json_object_get(j, sec_key[s]);
        if (a && !json_is_null(a) && !json_is_array(a))
            return rf_err_set(err, RF_EINVAL, "%s%s: expected an array", name, sec_key[s]);
        total += json_array_size(a);
    }
    if (total == 0)
        return rf_err_set(err, RF_EINVAL, "%srequired: a posting needs at least one requirement",
                          name);
    if (total > RF_POSTING_MAX_REQS)
        return rf_err_set(err, RF_ETOOBIG, "%srequired: at most %d requirements, got %zu", name,
                          RF_POSTING_MAX_REQS, total);
    struct rf_posting_req *r = rf_calloc_array(total, sizeof *r);
    if (!r)
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    size_t k = 0, nreq = 0;
    for (size_t s = 0; s < 2; s++) {
        const json_t *a = json_object_get(j, sec_key[s]);
        for (size_t i = 0; i < json_array_size(a); i++) {
            char where[48];
            snprintf(where, sizeof where, "%s[%zu]", sec_key[s], i);
            rf_status rc = read_req(name, where, json_array_get(a, i),
                                    s == 0 ? RF_SEC_REQUIRED : RF_SEC_PREFERRED, i + 1, tax, &r[k],
                                    err);
            if (rc) {
                free_reqs(r, k);
                return rc;
            }
            k++;
        }
        if (s == 0)
            nreq = k;
    }
    *out = r;
    *n = k;
    *nrequired = nreq;
    return RF_OK;
}

rf_status rf_posting_set_requirements(struct rf_parsed_posting *p, const json_t *edit,
                                      const struct rf_taxonomy *tax, struct rf_err *err)
{
    struct rf_posting_req *r;
    size_t n, nreq;
    rf_status rc = read_reqs("", edit, tax, &r, &n, &nreq, err);
    if (rc)
        return rc;
    free_reqs(p->reqs, p->nreqs);
    p->reqs = r;
    p->nreqs = n;
    p->nrequired = nreq;
    return RF_OK;
}

static enum rf_section section_of(const char *s)
{
    if (s && strcmp(s, "required") == 0)
        return RF_SEC_REQUIRED;
    if (s && strcmp(s, "preferred") == 0)
        return RF_SEC_PREFERRED;
    return RF_SEC_NONE;
}

/* The optional arrays of a stored parse: not-measured parts, requirement
 * lines, prose lines. Entries that do not have the stored shape are
 * skipped (they are for reading, not ranking). */
static rf_status read_extras(const json_t *j, const struct rf_taxonomy *tax,
                             struct rf_parsed_posting *o, struct rf_err *err)
{
    const json_t *un = json_object_get(j, "unmapped"), *ln = json_object_get(j, "lines"),
                 *pr = json_object_get(j, "prose_lines");
    size_t nun = json_array_size(un), nln = json_array_size(ln), npr = json_array_size(pr);
    o->unmapped = rf_calloc_array(nun ? nun : 1, sizeof *o->unmapped);
    o->lines = rf_calloc_array(nln ? nln : 1, sizeof *o->lines);
    o->prose = rf_calloc_array(npr ? npr : 1, sizeof *o->prose);
    if (!o->unmapped || !o->lines || !o->prose)
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    for (size_t i = 0; i < nun; i++) {
        const json_t *e = json_array_get(un, i);
        const char *t = json_string_value(json_object_get(e, "text"));
        if (!t)
            continue;
        struct rf_posting_unmapped *u = &o->unmapped[o->nunmapped];
        u->section = section_of(json_string_value(json_object_get(e, "section")));
        u->line = (size_t)json_integer_value(json_object_get(e, "line"));
        if (!(u->text = rf_strdup(t)))
            return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
        o->nunmapped++;
    }
    for (size_t i = 0; i < nln; i++) {
        const json_t *e = json_array_get(ln, i), *sk = json_object_get(e, "skills");
        struct rf_posting_line *l = &o->lines[o->nlines++];
        l->line = (size_t)json_integer_value(json_object_get(e, "line"));
        l->section = section_of(json_string_value(json_object_get(e, "section")));
        for (size_t k = 0; k < json_array_size(sk) && l->nskills < RF_POSTING_MAX_ALTS; k++) {
            size_t idx;
            const char *id = json_string_value(json_array_get(sk, k));
            if (id && rf_taxonomy_find(tax, id, &idx) == RF_OK)
                l->skills[l->nskills++] = idx;
        }
    }
    for (size_t i = 0; i < npr; i++)
        if (json_is_integer(json_array_get(pr, i)))
            o->prose[o->nprose++] = (size_t)json_integer_value(json_array_get(pr, i));
    return RF_OK;
}

rf_status rf_posting_from_json(const char *name, const json_t *j, const struct rf_taxonomy *tax,
                               struct rf_parsed_posting *out, struct rf_err *err)
{
    struct rf_parsed_posting o;
    memset(&o, 0, sizeof o);
    char pre[80];
    snprintf(pre, sizeof pre, "%.60s: ", name);
    rf_status rc = read_reqs(pre, j, tax, &o.reqs, &o.nreqs, &o.nrequired, err);
    if (rc)
        return rc;
    const char *title = json_string_value(json_object_get(j, "title"));
    const char *lang = json_string_value(json_object_get(j, "language"));
    o.language = lang && strcmp(lang, "ja") == 0   ? RF_LANG_JA
                 : lang && strcmp(lang, "other") == 0 ? RF_LANG_OTHER
                                                      : RF_LANG_EN;
    o.sectioned = json_is_true(json_object_get(j, "sectioned"));
    o.dropped = (size_t)json_integer_value(json_object_get(j, "dropped"));
    if (!(o.title = rf_strdup(title ? title : "")))
        rc = rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    if (!rc)
        rc = read_extras(j, tax, &o, err);
    if (rc) {
        rf_posting_cleanup(&o);
        return rc;
    }
    *out = o;
    return RF_OK;
}

/* Whether a and b name the same skills (in any order). */
static int same_skills(const struct rf_posting_req *a, const struct rf_posting_req *b)
{
    if (a->nskills != b->nskills)
        return 0;
    for (size_t i = 0; i < a->nskills; i++) {
        size_t j = 0;
        while (j < b->nskills && b->skills[j] != a->skills[i])
            j++;
        if (j == b->nskills)
            return 0;
    }
    return 1;
}

static const char *sec_word(enum rf_section s)
{
    return s == RF_SEC_PREFERRED ? "preferred" : "required";
}

/* Appends {"field", "from", "to"} to fields (to omitted when NULL). */
static int put_field(json_t *fields, const char *field, json_t *from, json_t *to)
{
    json_t *o = json_pack("{s:s,s:o,s:o*}", "field", field, "from", from, "to", to);
    return o && json_array_append_new(fields, o) == 0;
}

rf_status rf_posting_changes(const struct rf_parsed_posting *before,
                             const struct rf_parsed_posting *after, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err)
{
    json_t *arr = json_array();
    int ok = arr != NULL;
    unsigned char used[RF_POSTING_MAX_REQS] = {0};
    for (size_t i = 0; ok && i < after->nreqs; i++) {
        const struct rf_posting_req *a = &after->reqs[i];
        /* its earlier self: the same skills, preferably in the same section
         * and under the same label */
        size_t j = before->nreqs;
        int best = -1;
        for (size_t k = 0; k < before->nreqs; k++) {
            const struct rf_posting_req *o = &before->reqs[k];
            if (used[k] || !same_skills(o, a))
                continue;
            int score = 2 * (o->section == a->section) + (strcmp(o->label, a->label) == 0);
            if (score > best) {
                best = score;
                j = k;
            }
        }
        if (j == before->nreqs) {
            json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:f}", "what", "added", "label", a->label,
                                  "section", sec_word(a->section), "level",
                                  tax->levels[a->level], "weight", a->weight);
            ok = o && json_array_append_new(arr, o) == 0;
            continue;
        }
        used[j] = 1;
        const struct rf_posting_req *o = &before->reqs[j];
        json_t *fields = json_array();
        ok = fields != NULL;
        if (ok && o->section != a->section)
            ok = put_field(fields, "section", json_string(sec_word(o->section)),
                           json_string(sec_word(a->section)));
        if (ok && o->level != a->level)
            ok = put_field(fields, "level", json_string(tax->levels[o->level]),
                           json_string(tax->levels[a->level]));
        if (ok && fabs(o->weight - a->weight) > 1e-9)
            ok = put_field(fields, "weight", json_real(o->weight), json_real(a->weight));
        if (ok && strcmp(o->label, a->label) != 0)
            ok = put_field(fields, "label", json_string(o->label), NULL);
        if (ok && json_array_size(fields)) {
            json_t *c = json_pack("{s:s,s:s,s:O}", "what", "changed", "label", a->label, "fields",
                                  fields);
            ok = c && json_array_append_new(arr, c) == 0;
        }
        json_decref(fields);
    }
    for (size_t j = 0; ok && j < before->nreqs; j++)
        if (!used[j]) {
            json_t *o = json_pack("{s:s,s:s}", "what", "removed", "label", before->reqs[j].label);
            ok = o && json_array_append_new(arr, o) == 0;
        }
    if (!ok) {
        json_decref(arr);
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    }
    *out = arr;
    return RF_OK;
}

/* A number as %g writes it, from a JSON number. */
static const char *num_g(char *buf, size_t cap, const json_t *v)
{
    snprintf(buf, cap, "%g", json_number_value(v));
    return buf;
}

static const char *field_text(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

rf_status rf_posting_changes_words(const json_t *changes, char **out, struct rf_err *err)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)64 * 1024);
    rf_status rc = RF_OK;
    const char *sep = "";
    size_t i;
    const json_t *c;
    json_array_foreach(changes, i, c)
    {
        const char *what = field_text(c, "what"), *label = field_text(c, "label");
        char w1[32], w2[32];
        if (strcmp(what, "added") == 0) {
            rc = rf_buf_printf(&b, "%sadded %s (%s, %s, weight %s)", sep, label,
                               field_text(c, "section"), field_text(c, "level"),
                               num_g(w1, sizeof w1, json_object_get(c, "weight")));
        } else if (strcmp(what, "removed") == 0) {
            rc = rf_buf_printf(&b, "%sremoved %s", sep, label);
        } else {
            rc = rf_buf_printf(&b, "%s%s: ", sep, label);
            size_t k;
            const json_t *f;
            json_array_foreach(json_object_get(c, "fields"), k, f)
            {
                const char *field = field_text(f, "field");
                const char *ks = k ? ", " : "";
                if (rc)
                    break;
                if (strcmp(field, "section") == 0)
                    rc = rf_buf_printf(&b, "%s%s -> %s", ks, field_text(f, "from"),
                                       field_text(f, "to"));
                else if (strcmp(field, "level") == 0)
                    rc = rf_buf_printf(&b, "%slevel %s -> %s", ks, field_text(f, "from"),
                                       field_text(f, "to"));
                else if (strcmp(field, "weight") == 0)
                    rc = rf_buf_printf(&b, "%sweight %s -> %s", ks,
                                       num_g(w1, sizeof w1, json_object_get(f, "from")),
                                       num_g(w2, sizeof w2, json_object_get(f, "to")));
                else
                    rc = rf_buf_printf(&b, "%slabel was '%s'", ks, field_text(f, "from"));
            }
        }
        sep = "; ";
        if (rc)
            break;
    }
    if (!rc && b.len == 0)
        rc = rf_buf_puts(&b, "no change");
    if (rc == RF_ETOOBIG)
        rc = RF_OK; /* a very long summary is cut */
    char *s = rc ? NULL : rf_strdup(rf_buf_str(&b));
    rf_buf_cleanup(&b);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory");
    *out = s;
    return RF_OK;
}

rf_status rf_posting_diff(const struct rf_parsed_posting *before,
                          const struct rf_parsed_posting *after, const struct rf_taxonomy *tax,
                          char **out, struct rf_err *err)
{
    json_t *changes = NULL;
    rf_status rc = rf_posting_changes(before, after, tax, &changes, err);
    if (!rc)
        rc = rf_posting_changes_words(changes, out, err);
    json_decref(changes);
    return rc;
}
