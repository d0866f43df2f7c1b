/*
 * `rolefit match`: rank candidate profiles against a job posting, one line of
 * reasons each. A profile file that cannot be read or is malformed is skipped
 * with a warning naming it (the ranking of the others still prints, and the
 * exit status is 1), or with --strict stops the run before anything is ranked.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/json.h"
#include "base/lang.h"
#include "base/mem.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "careers/report_text.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit match --posting FILE --profiles DIR [--top N] [--json] [--strict]\n"
    "                     [--lang en|ja] [--data DIR]\n\n"
    "Ranks the skill profiles DIR/*.json against the posting FILE with the role-fit\n"
    "arithmetic: each requirement's probability of being met (an OR-group is met by any\n"
    "of its skills), averaged with the posting's positional weights. Each candidate gets\n"
    "one line of reasons: what is met with confidence, the largest gaps, and what was\n"
    "not measured (never called met or a gap), and the share of the posting's weight\n"
    "its profile measured.\n\n"
    "A profile that cannot be read, is malformed or is not a regular file is skipped\n"
    "with a warning on stderr naming it; the others are ranked, a closing line says\n"
    "how many were skipped, and the exit status is 1. With --strict the first bad\n"
    "profile stops the run (exit 1, nothing ranked). A person id found in several\n"
    "files is ranked once per file, with a warning. A folder without *.json files is\n"
    "an error.\n\n"
    "  --posting FILE  the job posting (Markdown or text, English or Japanese)\n"
    "  --profiles DIR  folder of profiles (docs/profile-format.md)\n"
    "  --top N         show the best N (default 10)\n"
    "  --lang L        the output's language: en (default) or ja (the words and each\n"
    "                  one-line reason; the posting's labels and the numbers stay)\n"
    "  --json          print JSON instead of text (skipped files listed with their errors)\n"
    "  --strict        stop at the first bad profile instead of skipping it\n"
    "  --data DIR      folder with skills.json and skill_aliases.json (default data)\n";

struct cand {
    char *file;  /* borrowed from the file list */
    char *error; /* owned: why the file was skipped, or NULL when it is ranked */
    int dup;     /* its person id is also in another file */
    struct rf_profile prof;
    struct rf_posting_fit fit;
    double *p;
    size_t *measured;
};

/* Ranked candidates best first (ties: P(all required met), then file name);
 * skipped files after them, by file name. */
static int by_fit(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (!a->error != !b->error)
        return a->error ? 1 : -1;
    if (!a->error) {
        if (a->fit.fit != b->fit.fit)
            return a->fit.fit > b->fit.fit ? -1 : 1;
        if (a->fit.p_required != b->fit.p_required)
            return a->fit.p_required > b->fit.p_required ? -1 : 1;
    }
    return strcmp(a->file, b->file);
}

static int name_order(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The *.json names of dir (hidden files aside), sorted; *others counts the
 * other entries, so that an empty result can say what was there instead. */
static rf_status list_dir(const char *dir, char ***out, size_t *n, size_t *others,
                          struct rf_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return rf_err_set(err, RF_EIO, "%s: cannot open folder", dir);
    char **v = NULL;
    size_t k = 0, cap = 0;
    struct dirent *e;
    rf_status rc = RF_OK;
    *others = 0;
    while (!rc && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.') {
            *others += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
            continue;
        }
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) {
            ++*others;
            continue;
        }
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

/* Reads one profile file; anything but a regular file is refused before it
 * is opened (a FIFO would block, a folder cannot be read). */
static rf_status load_profile(const char *path, struct rf_profile *p, struct rf_err *err)
{
    struct stat st;
    rf_profile_init_default(p);
    if (stat(path, &st) != 0)
        return rf_err_set(err, RF_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return rf_err_set(err, RF_EINVAL, "%s: not a regular file", path);
    return rf_profile_load(path, p, err);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static const char *who(const struct cand *c)
{
    return c->prof.person ? c->prof.person : base_name(c->file);
}

static int by_person(const void *x, const void *y)
{
    const struct cand *a = *(const struct cand *const *)x, *b = *(const struct cand *const *)y;
    int d = strcmp(a->prof.person, b->prof.person);
    return d ? d : strcmp(a->file, b->file);
}

/* Marks candidates whose person id is also in another file and warns once per
 * such person; all of them stay in the ranking (which test is the right one is
 * the recruiter's call). v has room for n pointers. */
static void mark_duplicates(struct cand *cands, size_t n, const struct cand **v)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!cands[i].error && cands[i].prof.person)
            v[m++] = &cands[i];
    if (m > 1)
        qsort(v, m, sizeof *v, by_person); /* NOLINT(bugprone-sizeof-expression): pointers */
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(v[i]->prof.person, v[j]->prof.person) == 0; j++)
            ;
        if (j - i < 2)
            continue;
        fprintf(stderr, "rolefit match: warning[duplicate-person]: person '%s' is in %zu files (",
                v[i]->prof.person, j - i);
        for (size_t k = i; k < j; k++) {
            ((struct cand *)v[k])->dup = 1;
            fprintf(stderr, "%s%s", k > i ? ", " : "", base_name(v[k]->file));
        }
        fputs("); each is ranked\n", stderr);
    }
}

static rf_status print_json(const struct rf_parsed_posting *post, const struct cand *cands,
                            size_t ncand, size_t nfiles, size_t shown, enum rf_lang lang,
                            struct rf_err *err)
{
    char reason[512];
    json_t *ranked = json_array(), *skipped = json_array();
    json_t *j = json_pack("{sssIsIsoso}", "posting", post->title, "files", (json_int_t)nfiles,
                          "candidates", (json_int_t)ncand, "ranked", ranked, "skipped", skipped);
    for (size_t i = 0; j && i < shown; i++) {
        const struct cand *k = &cands[i];
        rf_posting_reason_lang(post, k->p, k->measured, lang, reason, sizeof reason);
        json_t *reqs = json_array();
        for (size_t r = 0; reqs && r < post->nreqs; r++)
            json_array_append_new(reqs, json_pack("{sssfsb}", "label", post->reqs[r].label, "p",
                                                  k->p[r], "measured", k->measured[r] > 0));
        json_array_append_new(ranked,
                              json_pack("{sIsssssfsfsfsfssso}", "rank", (json_int_t)i + 1,
                                        "person", who(k), "file", k->file, "fit", k->fit.fit,
                                        "sd", k->fit.sd, "p_required", k->fit.p_required,
                                        "measured", k->fit.measured, "reason", reason,
                                        "requirements", reqs));
    }
    for (size_t i = ncand; j && i < nfiles; i++)
        json_array_append_new(skipped, json_pack("{ssss}", "file", cands[i].file, "error",
                                                 cands[i].error));
    if (!j)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    return RF_OK;
}

/* The message key of lang with args, printed (report tables, "match.*"). */
static void say(enum rf_lang lang, const char *key, size_t n, const char *const *args)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)64 * 1024);
    if (rf_report_msg_put(&b, RF_MSG_TEXT, lang, key, args, n) == RF_OK)
        fputs(rf_buf_str(&b), stdout);
    rf_buf_cleanup(&b);
}

static void print_text(const struct rf_parsed_posting *post, const struct cand *cands,
                       size_t ncand, size_t shown, enum rf_lang lang)
{
    char reason[512], a[32], b[32], c[32];
    snprintf(a, sizeof a, "%zu", ncand);
    snprintf(b, sizeof b, "%zu", shown);
    say(lang, "match.head", 3, (const char *[]){post->title, a, b});
    printf("\n\n");
    for (size_t i = 0; i < shown; i++) {
        const struct cand *k = &cands[i];
        rf_posting_reason_lang(post, k->p, k->measured, lang, reason, sizeof reason);
        /* the name column is 24 bytes wide; a person in several files shows its file */
        int w = k->dup ? printf("%3zu. %s (%s)", i + 1, who(k), base_name(k->file))
                       : printf("%3zu. %s", i + 1, who(k));
        printf("%*s ", w < 29 ? 29 - w : 0, "");
        snprintf(a, sizeof a, "%.2f", k->fit.fit);
        snprintf(b, sizeof b, "%.2f", k->fit.sd);
        snprintf(c, sizeof c, "%3.0f", 100 * k->fit.measured);
        say(lang, "match.row", 4, (const char *[]){a, b, c, reason});
        printf("\n");
    }
}

int rf_cmd_match(int argc, char **argv)
{
    const char *cmd = "match", *data = rf_cli_default_path("data"), *posting = NULL, *dir = NULL,
               *top_s = NULL, *lang = "en";
    int json = 0, strict = 0, help = 0;
    struct rf_cli_opt opts[] = {{"posting", 1, &posting, NULL}, {"profiles", 1, &dir, NULL},
                                {"top", 1, &top_s, NULL},       {"json", 0, NULL, &json},
                                {"strict", 0, NULL, &strict},   {"data", 1, &data, NULL},
                                {"lang", 1, &lang, NULL}};
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
    enum rf_lang rl;
    if (rf_lang_parse(lang, &rl))
        return rf_cli_usage_error(cmd, "--lang: unknown language '%s' (%s)", lang, RF_LANG_CODES);
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
    size_t nfiles = 0, others = 0, ncand = 0;
    struct cand *cands = NULL;
    const struct cand **scratch = NULL;
    if ((rc = rf_posting_load(posting, &c.aliases, &c.tax, &post, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (post.nreqs == 0) {
        rc = rf_err_set(&err, RF_EINVAL, "%s: no requirement maps to a skill rolefit measures "
                                         "(see 'rolefit posting parse')", posting);
        goto out;
    }
    if ((rc = list_dir(dir, &files, &nfiles, &others, &err)))
        goto out;
    if (nfiles == 0) {
        rc = rf_err_set(&err, RF_EINVAL, "%s: no profiles (*.json files) in this folder%s", dir,
                        others ? "; its other entries are not read" : "");
        goto out;
    }
    cands = rf_calloc_array(nfiles, sizeof *cands);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, sized as such */
    scratch = rf_calloc_array(nfiles, sizeof *scratch);
    if (!cands || !scratch) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nfiles; i++) {
        struct cand *k = &cands[i];
        k->file = files[i];
        rc = load_profile(files[i], &k->prof, &err);
        if (rc && rc != RF_ENOMEM && strict)
            rc = RF_EINVAL; /* a bad profile is a data error, whatever made it bad */
        if (rc == RF_ENOMEM || (rc && strict))
            goto out;
        if (rc) {
            fprintf(stderr, "rolefit match: warning[skipped]: %s\n", err.msg);
            if (!(k->error = rf_strdup(err.msg))) {
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
                goto out;
            }
            rc = RF_OK;
            continue;
        }
        k->p = rf_alloc_array(post.nreqs, sizeof *k->p);
        k->measured = rf_alloc_array(post.nreqs, sizeof *k->measured);
        if (!k->p || !k->measured) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        rf_posting_fit(&post, &c.tax, &k->prof, k->p, k->measured, &k->fit);
        ncand++;
    }
    mark_duplicates(cands, nfiles, scratch);
    qsort(cands, nfiles, sizeof *cands, by_fit);
    size_t shown = ncand < top ? ncand : top;
    if (json)
        rc = print_json(&post, cands, ncand, nfiles, shown, rl, &err);
    else
        print_text(&post, cands, ncand, shown, rl);
    if (!rc && ncand < nfiles)
        fprintf(stderr, "rolefit match: skipped %zu of %zu profiles\n", nfiles - ncand, nfiles);
out:
    for (size_t i = 0; cands && i < nfiles; i++) {
        rf_profile_cleanup(&cands[i].prof);
        free(cands[i].error);
        free(cands[i].p);
        free(cands[i].measured);
    }
    free(cands);
    free(scratch);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    rf_posting_cleanup(&post);
    rf_careers_cleanup(&c);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return ncand < nfiles ? RF_EXIT_DATA : RF_EXIT_OK;
}
