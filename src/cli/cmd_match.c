/* `rolefit match`: rank candidate profiles against a job posting, one line of reasons each. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit match --posting FILE --profiles DIR [--top N] [--json] [--data DIR]\n\n"
    "Ranks the skill profiles DIR/*.json against the posting FILE with the role-fit\n"
    "arithmetic: each requirement's probability of being met (an OR-group is met by any\n"
    "of its skills), averaged with the posting's positional weights. Each candidate gets\n"
    "one line of reasons: what is met with confidence, the largest gaps, and what was\n"
    "not measured. A malformed profile stops the run with a one-line error naming it.\n\n"
    "  --posting FILE  the job posting (Markdown or text, English or Japanese)\n"
    "  --profiles DIR  folder of profiles (docs/profile-format.md)\n"
    "  --top N         show the best N (default 10)\n"
    "  --json          print JSON instead of text\n"
    "  --data DIR      folder with skills.json and skill_aliases.json (default data)\n";

struct cand {
    char *file;
    struct rf_profile prof;
    struct rf_posting_fit fit;
    double *p;
    size_t *measured;
};

static int by_fit(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->fit.fit != b->fit.fit)
        return a->fit.fit > b->fit.fit ? -1 : 1;
    if (a->fit.p_required != b->fit.p_required)
        return a->fit.p_required > b->fit.p_required ? -1 : 1;
    return strcmp(a->file, b->file);
}

static int name_order(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The *.json names of dir, sorted. */
static rf_status list_dir(const char *dir, char ***out, size_t *n, struct rf_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return rf_err_set(err, RF_EIO, "%s: cannot open folder", dir);
    char **v = NULL;
    size_t k = 0, cap = 0;
    struct dirent *e;
    rf_status rc = RF_OK;
    while (!rc && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        if (k == cap) {
            cap = cap ? 2 * cap : 64;
            char **nv = rf_realloc_array(v, cap, sizeof *nv);
            if (!nv) {
                rc = rf_err_set(err, RF_ENOMEM, "out of memory");
                break;
            }
            v = nv;
        }
        size_t pl = strlen(dir) + l + 2;
        if (!(v[k] = malloc(pl)))
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
        else
            snprintf(v[k++], pl, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (rc) {
        for (size_t i = 0; i < k; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    if (k)
        qsort(v, k, sizeof *v, name_order);
    *out = v;
    *n = k;
    return RF_OK;
}

static const char *who(const struct cand *c)
{
    if (c->prof.person)
        return c->prof.person;
    const char *s = strrchr(c->file, '/');
    return s ? s + 1 : c->file;
}

int rf_cmd_match(int argc, char **argv)
{
    const char *cmd = "match", *data = "data", *posting = NULL, *dir = NULL, *top_s = NULL;
    int json = 0, help = 0;
    struct rf_cli_opt opts[] = {{"posting", 1, &posting, NULL}, {"profiles", 1, &dir, NULL},
                                {"top", 1, &top_s, NULL},       {"json", 0, NULL, &json},
                                {"data", 1, &data, NULL}};
    const char *pos[1];
    size_t npos, top = 10;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!posting)
        return rf_cli_usage_error(cmd, "--posting is required (see 'rolefit match --help')");
    if (!dir)
        return rf_cli_usage_error(cmd, "--profiles is required (see 'rolefit match --help')");
    if (top_s && (ec = rf_cli_size(cmd, "top", top_s, 1, 1000000, &top)))
        return ec;
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    struct rf_parsed_posting post;
    char **files = NULL;
    size_t nfiles = 0, ncand = 0;
    struct cand *cands = NULL;
    json_t *j = NULL;
    if ((rc = rf_posting_load(posting, &c.aliases, &c.tax, &post, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (post.nreqs == 0) {
        rc = rf_err_set(&err, RF_EINVAL, "%s: no requirement maps to a skill rolefit measures "
                                         "(see 'rolefit posting parse')", posting);
        goto out;
    }
    if ((rc = list_dir(dir, &files, &nfiles, &err)))
        goto out;
    if (!(cands = rf_calloc_array(nfiles ? nfiles : 1, sizeof *cands))) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nfiles; i++, ncand++) {
        struct cand *k = &cands[i];
        k->file = files[i];
        if ((rc = rf_profile_load(files[i], &k->prof, &err)))
            goto out;
        k->p = rf_alloc_array(post.nreqs, sizeof *k->p);
        k->measured = rf_alloc_array(post.nreqs, sizeof *k->measured);
        if (!k->p || !k->measured) {
            ncand++;
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        rf_posting_fit(&post, &c.tax, &k->prof, k->p, k->measured, &k->fit);
    }
    qsort(cands, ncand, sizeof *cands, by_fit);
    size_t shown = ncand < top ? ncand : top;
    char reason[512];
    if (json) {
        json_t *ranked = json_array();
        j = json_pack("{sssIso}", "posting", post.title, "candidates", (json_int_t)ncand,
                      "ranked", ranked);
        for (size_t i = 0; j && i < shown; i++) {
            const struct cand *k = &cands[i];
            rf_posting_reason(&post, k->p, k->measured, reason, sizeof reason);
            json_t *reqs = json_array();
            for (size_t r = 0; reqs && r < post.nreqs; r++)
                json_array_append_new(reqs, json_pack("{sssfsb}", "label", post.reqs[r].label,
                                                      "p", k->p[r], "measured",
                                                      k->measured[r] > 0));
            json_array_append_new(ranked,
                                  json_pack("{sIsssssfsfsfssso}", "rank", (json_int_t)(i + 1),
                                            "person", who(k), "file", k->file, "fit", k->fit.fit,
                                            "sd", k->fit.sd, "p_required", k->fit.p_required,
                                            "reason", reason, "requirements", reqs));
        }
        if (!j) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        fputc('\n', stdout);
    } else {
        printf("%s: %zu candidates, best %zu\n\n", post.title, ncand, shown);
        for (size_t i = 0; i < shown; i++) {
            const struct cand *k = &cands[i];
            rf_posting_reason(&post, k->p, k->measured, reason, sizeof reason);
            printf("%3zu. %-24s fit %.2f ± %.2f  %s\n", i + 1, who(k), k->fit.fit, k->fit.sd,
                   reason);
        }
    }
out:
    json_decref(j);
    for (size_t i = 0; i < ncand; i++) {
        rf_profile_cleanup(&cands[i].prof);
        free(cands[i].p);
        free(cands[i].measured);
    }
    free(cands);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    rf_posting_cleanup(&post);
    rf_careers_cleanup(&c);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
