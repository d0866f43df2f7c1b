/*
 * Scoring the posting reader against labelled postings (rules in
 * posting_eval.h). The reader's view of a line is the union of what the parse
 * says about it: requirements and per-line records on that line, and
 * not-measured entries; a line in none of them, and not read as description,
 * is silently dropped.
 */
#include "careers/posting_eval.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/mem.h"

double rf_posting_eval_ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : 1.0;
}

static int label_order(const void *x, const void *y)
{
    const struct rf_posting_label *a = x, *b = y;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Parses one label line s (NUL-terminated, no newline) into l. */
static rf_status label_line(const char *path, size_t ln, char *s, const struct rf_taxonomy *tax,
                            struct rf_posting_label *l, struct rf_err *err)
{
    char *f[3];
    size_t nf = 0;
    for (char *save = NULL, *t = strtok_r(s, "\t", &save); t && nf < 3;
         t = strtok_r(NULL, "\t", &save))
        f[nf++] = t;
    if (nf != 3)
        return rf_err_set(err, RF_EINVAL, "%s:%zu: expected LINE, section and skills separated by tabs",
                          path, ln);
    char *end;
    unsigned long v = strtoul(f[0], &end, 10);
    if (*end || v == 0)
        return rf_err_set(err, RF_EINVAL, "%s:%zu: field 'line': expected a line number, got '%s'",
                          path, ln, f[0]);
    memset(l, 0, sizeof *l);
    l->line = v;
    if (strcmp(f[1], "required") == 0)
        l->section = RF_SEC_REQUIRED;
    else if (strcmp(f[1], "preferred") == 0)
        l->section = RF_SEC_PREFERRED;
    else
        return rf_err_set(err, RF_EINVAL,
                          "%s:%zu: field 'section': expected required or preferred, got '%s'",
                          path, ln, f[1]);
    if (strcmp(f[2], "-") == 0)
        return RF_OK;
    for (char *save = NULL, *t = strtok_r(f[2], ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t k;
        if (rf_taxonomy_find(tax, t, &k))
            return rf_err_set(err, RF_EINVAL, "%s:%zu: field 'skills': unknown skill '%s'", path,
                              ln, t);
        if (l->nskills == RF_POSTING_MAX_ALTS)
            return rf_err_set(err, RF_EINVAL, "%s:%zu: field 'skills': more than %d skills", path,
                              ln, RF_POSTING_MAX_ALTS);
        l->skills[l->nskills++] = k;
    }
    return RF_OK;
}

rf_status rf_posting_labels_load(const char *path, const struct rf_taxonomy *tax,
                                 struct rf_posting_label **labels, size_t *n, struct rf_err *err)
{
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_POSTING_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += data[i] == '\n';
    struct rf_posting_label *l = rf_calloc_array(cap, sizeof *l);
    size_t k = 0, ln = 0;
    if (!l)
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", path);
    for (char *s = data; !rc && s && *s;) {
        char *e = strchr(s, '\n');
        if (e)
            *e = '\0';
        ln++;
        if (*s && *s != '#' && (rc = label_line(path, ln, s, tax, &l[k], err)) == RF_OK)
            k++;
        s = e ? e + 1 : NULL;
    }
    if (!rc)
        qsort(l, k, sizeof *l, label_order);
    for (size_t i = 1; !rc && i < k; i++)
        if (l[i].line == l[i - 1].line)
            rc = rf_err_set(err, RF_EINVAL, "%s: line %zu is labelled twice", path, l[i].line);
    free(data);
    if (rc) {
        free(l);
        return rc;
    }
    *labels = l;
    *n = k;
    return RF_OK;
}

/* What the reader says about line ln: whether it was read as a requirement
 * line, its section, its skills (a set over the taxonomy), and whether it is
 * in any list at all. */
struct view {
    int found, listed;
    enum rf_section section;
    unsigned char *has; /* tax->nskills flags */
};

static void add_skills(struct view *v, const size_t *sk, size_t n, enum rf_section sec)
{
    if (!v->found)
        v->section = sec;
    v->found = v->listed = 1;
    for (size_t i = 0; i < n; i++)
        v->has[sk[i]] = 1;
}

static void view_of(const struct rf_parsed_posting *p, size_t ln, size_t nskills, struct view *v)
{
    memset(v->has, 0, nskills);
    v->found = v->listed = 0;
    v->section = RF_SEC_NONE;
    for (size_t i = 0; i < p->nlines; i++)
        if (p->lines[i].line == ln)
            add_skills(v, p->lines[i].skills, p->lines[i].nskills, p->lines[i].section);
    for (size_t i = 0; i < p->nreqs; i++)
        if (p->reqs[i].line == ln)
            add_skills(v, p->reqs[i].skills, p->reqs[i].nskills, p->reqs[i].section);
    for (size_t i = 0; i < p->nunmapped; i++)
        if (p->unmapped[i].line == ln)
            add_skills(v, NULL, 0, p->unmapped[i].section);
    for (size_t i = 0; i < p->nprose && !v->listed; i++)
        v->listed = p->prose[i] == ln;
}

static void notef(void (*note)(void *, const char *), void *ud, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void notef(void (*note)(void *, const char *), void *ud, const char *fmt, ...)
{
    if (!note)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    note(ud, buf);
}

void rf_posting_eval_add(const struct rf_parsed_posting *p, const struct rf_posting_label *labels,
                         size_t n, const struct rf_taxonomy *tax, struct rf_posting_score *s,
                         void (*note)(void *ud, const char *msg), void *ud)
{
    unsigned char *has = calloc(tax->nskills ? tax->nskills : 1, 1);
    struct view v = {.has = has};
    if (!has)
        return; /* out of memory: the posting is not counted */
    s->postings++;
    for (size_t i = 0; i < n; i++) {
        const struct rf_posting_label *l = &labels[i];
        view_of(p, l->line, tax->nskills, &v);
        s->lines++;
        s->dropped += !v.listed;
        if (!v.found) {
            s->fn += l->nskills;
            notef(note, ud, "line %zu: not read as a requirement%s", l->line,
                  v.listed ? " (read as description)" : " (in no list: dropped)");
            continue;
        }
        s->found++;
        s->section_right += v.section == l->section;
        if (v.section != l->section)
            notef(note, ud, "line %zu: read as %s", l->line,
                  v.section == RF_SEC_REQUIRED ? "required" : "preferred");
        for (size_t k = 0; k < l->nskills; k++) {
            if (has[l->skills[k]]) {
                s->tp++;
                has[l->skills[k]] = 2;
            } else {
                s->fn++;
                notef(note, ud, "line %zu: missed %s", l->line, tax->skills[l->skills[k]].id);
            }
        }
        for (size_t k = 0; k < tax->nskills; k++)
            if (has[k] == 1) {
                s->fp++;
                notef(note, ud, "line %zu: invented %s", l->line, tax->skills[k].id);
            }
    }
    /* Lines the reader read as requirements that carry no label: prose. */
    size_t last = 0;
    for (;;) {
        size_t next = (size_t)-1;
        for (size_t i = 0; i < p->nlines; i++)
            if (p->lines[i].line > last && p->lines[i].line < next)
                next = p->lines[i].line;
        for (size_t i = 0; i < p->nreqs; i++)
            if (p->reqs[i].line > last && p->reqs[i].line < next)
                next = p->reqs[i].line;
        for (size_t i = 0; i < p->nunmapped; i++)
            if (p->unmapped[i].line > last && p->unmapped[i].line < next)
                next = p->unmapped[i].line;
        if (next == (size_t)-1)
            break;
        last = next;
        size_t i = 0;
        while (i < n && labels[i].line != next)
            i++;
        if (i < n)
            continue;
        view_of(p, next, tax->nskills, &v);
        s->from_prose++;
        for (size_t k = 0; k < tax->nskills; k++)
            s->fp += has[k] != 0;
        notef(note, ud, "line %zu: prose read as a requirement", next);
    }
    free(has);
}

static int name_order(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Whether name is listed in the holdout file text (one name per line). */
static int held_out(const char *list, const char *name)
{
    size_t nl = strlen(name);
    for (const char *s = list; s && *s;) {
        const char *e = strchr(s, '\n');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (l == nl && memcmp(s, name, nl) == 0)
            return 1;
        s = e ? e + 1 : NULL;
    }
    return 0;
}

rf_status rf_posting_eval_dir(const char *dir, const struct rf_aliases *al,
                              const struct rf_taxonomy *tax, struct rf_posting_score *tuned,
                              struct rf_posting_score *held,
                              void (*note)(void *ud, const char *msg), void *ud,
                              struct rf_err *err)
{
    memset(tuned, 0, sizeof *tuned);
    memset(held, 0, sizeof *held);
    DIR *d = opendir(dir);
    if (!d)
        return rf_err_set(err, RF_EIO, "%s: cannot open folder", dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    rf_status rc = RF_OK;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 8 || strcmp(e->d_name + l - 7, ".labels") != 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = rf_realloc_array(names, cap, sizeof *nn);
            if (!nn) {
                rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", dir);
                break;
            }
            names = nn;
        }
        if (!(names[n] = rf_strndup(e->d_name, l - 7)))
            rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", dir);
        else
            n++;
    }
    closedir(d);
    if (!rc && n == 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: no .labels files", dir);
    if (!rc)
        qsort(names, n, sizeof *names, name_order);
    char path[4096], *hold = NULL;
    size_t hl;
    snprintf(path, sizeof path, "%s/holdout.txt", dir);
    if (!rc && rf_file_read(path, RF_POSTING_MAX_BYTES, &hold, &hl, NULL))
        hold = NULL;
    for (size_t i = 0; !rc && i < n; i++) {
        struct rf_posting_label *labels = NULL;
        size_t nl = 0;
        snprintf(path, sizeof path, "%s/%s.labels", dir, names[i]);
        if ((rc = rf_posting_labels_load(path, tax, &labels, &nl, err)))
            break;
        snprintf(path, sizeof path, "%s/%s.md", dir, names[i]);
        if (access(path, F_OK) != 0)
            snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
        struct rf_parsed_posting p;
        if (!(rc = rf_posting_load(path, al, tax, &p, err))) {
            notef(note, ud, "%s", path);
            rf_posting_eval_add(&p, labels, nl, tax, held_out(hold, names[i]) ? held : tuned, note,
                                ud);
            rf_posting_cleanup(&p);
        }
        free(labels);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(hold);
    return rc;
}
