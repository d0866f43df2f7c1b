/*
 * Ranking candidates by fit to a posting (app.h): the posting's applicants
 * or every finished test of the organization, one row per candidate (the
 * latest test), best fit first, in pages.
 *
 * A test's fit to a posting is computed once from its posterior
 * (rf_posting_fit) and kept in the store with the key of the posting's
 * reading (careers/fitsum.h); later rankings read the kept fits (an index
 * and a small row a test) and sort. A test without a kept fit under the
 * current key (new, or the posting was edited, or the taxonomy changed) is
 * computed from its profile as before and kept for the next ranking. Either
 * way a row holds the same doubles, so rankings do not depend on what was
 * kept. Rankings run on the server's heavy-request workers (http.c), away
 * from the threads that serve candidates.
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/lang.h"
#include "base/mem.h"
#include "careers/fitsum.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "careers/report_text.h"
#include "server/app_flow.h"
#include "store/store.h"

/* One ranked row: what its JSON needs, made only for the rows of the page. */
struct rank_row {
    double fit;
    int64_t test, candidate;
    struct rf_posting_fit f;
    int applicant;
    int64_t finished;
    char *label; /* owned; NULL when none */
    size_t k;    /* its requirements' p and measured at c->p + k * nreqs */
    size_t interviews; /* ratings of its candidate's scorecards joined to the test's profile */
};

struct rank_ctx {
    struct rf_app *a;
    const struct rf_app_iv_join *iv; /* the organization's scorecards (a staff ranking), or NULL */
    enum rf_lang lang; /* of the reasons */
    const struct rf_parsed_posting *pp;
    int64_t posting;
    struct rank_row *rows;
    size_t n, cap;
    size_t seen;    /* finished tests the store gave, read or not */
    size_t skipped; /* stored profiles that could not be read */
    /* tests read from JSON, packed here and stored after the read (backfill) */
    int64_t *fill_ids;
    unsigned char **fill;
    size_t *nfill, nfilled;
    size_t nreqs;     /* the posting's requirements (at least 1, the room per row) */
    double *p;        /* nreqs per row */
    size_t *measured; /* nreqs per row */
    /* team members' invites whose tests are not shared (sorted): never ranked */
    int64_t *private_inv;
    size_t nprivate;
    /* fits computed here, kept after the read (rf_store_test_fits_put) */
    int64_t key;    /* the posting's reading (rf_fitsum_key) */
    size_t sumsize; /* bytes of one summary */
    int64_t *keep_ids, *keep_fin;
    unsigned char *keep; /* keep_cap summaries back to back */
    size_t nkeep, keep_cap;
    rf_status rc;
    struct rf_err err;
};

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* A finished test's profile as `rolefit match` and `rolefit report --session`
 * see it: every skill's posterior on its grid, from the packed form the test
 * was stored with or, for tests finished before there was one, from its JSON
 * (the same doubles either way, rf_profile_pack). */
static rf_status stored_profile(const struct rf_store_ranked *t, struct rf_profile *pr,
                                struct rf_err *err)
{
    if (t->packed)
        return rf_profile_unpack(t->packed, t->npacked, pr, err);
    if (!t->profile) {
        rf_profile_init_default(pr);
        return rf_err_set(err, RF_EINVAL, "no stored profile");
    }
    return rf_profile_parse("stored profile", t->profile, strlen(t->profile), pr, err);
}

/* Room for one more row (and its requirements' figures); 0 out of memory. */
static int rank_grow(struct rank_ctx *c)
{
    if (c->n < c->cap)
        return 1;
    size_t nc = c->cap ? 2 * c->cap : 256;
    struct rank_row *nr = rf_realloc_array(c->rows, nc, sizeof *nr);
    if (nr)
        c->rows = nr;
    double *np = nr ? rf_realloc_array(c->p, nc * c->nreqs, sizeof *np) : NULL;
    if (np)
        c->p = np;
    size_t *nm = np ? rf_realloc_array(c->measured, nc * c->nreqs, sizeof *nm) : NULL;
    if (!nm)
        return 0;
    c->measured = nm;
    c->cap = nc;
    return 1;
}

/* Room for one more fit to keep; 0 when the request's budget
 * (RF_RANK_FITS_BYTES) is spent or memory is short: the fit is then not
 * kept, only used. */
static int keep_grow(struct rank_ctx *c)
{
    if (c->nkeep < c->keep_cap)
        return 1;
    size_t nc = c->keep_cap ? 2 * c->keep_cap : 256;
    if (nc * c->sumsize > (size_t)RF_RANK_FITS_BYTES)
        nc = (size_t)RF_RANK_FITS_BYTES / c->sumsize;
    if (nc <= c->keep_cap)
        return 0;
    unsigned char *nk = rf_realloc_array(c->keep, nc, c->sumsize);
    if (nk)
        c->keep = nk;
    int64_t *ni = nk ? rf_realloc_array(c->keep_ids, nc, sizeof *ni) : NULL;
    if (ni)
        c->keep_ids = ni;
    int64_t *nf = ni ? rf_realloc_array(c->keep_fin, nc, sizeof *nf) : NULL;
    if (!nf)
        return 0;
    c->keep_fin = nf;
    c->keep_cap = nc;
    return 1;
}

/* Row r's fit from t's profile, as `rolefit match` computes it; the fit
 * is kept for the next ranking when there is room. RF_OK, or a profile
 * that cannot be read (skipped, logged). */
static rf_status fit_from_profile(struct rank_ctx *c, const struct rf_store_ranked *t,
                                  struct rank_row *r)
{
    struct rf_profile pr;
    struct rf_err perr;
    if (stored_profile(t, &pr, &perr)) {
        rf_app_log(c->a, "ranking: test %lld skipped: %s", (long long)t->id, perr.msg);
        return perr.rc ? perr.rc : RF_EINVAL;
    }
    if (!t->packed && c->fill && c->nfilled < RF_RANK_BACKFILL_MAX &&
        rf_profile_pack(&pr, &c->fill[c->nfilled], &c->nfill[c->nfilled], &perr) == RF_OK)
        c->fill_ids[c->nfilled++] = t->id;
    /* the candidate's scorecards, joined after the packing: the stored
     * profile stays the test's; the fit with them is not kept (it changes
     * with every scorecard) */
    r->interviews = 0;
    if (c->iv && t->invite_id && rf_app_iv_join(c->iv, t->invite_id, &pr, &r->interviews, &perr)) {
        rf_app_log(c->a, "ranking: test %lld: scorecards not joined: %s", (long long)t->id,
                   perr.msg);
        r->interviews = 0;
    }
    double *p = c->p + r->k * c->nreqs;
    size_t *m = c->measured + r->k * c->nreqs;
    rf_posting_fit(c->pp, &c->a->car.tax, &pr, p, m, &r->f);
    rf_profile_cleanup(&pr);
    if (!r->interviews && keep_grow(c)) {
        rf_fitsum_pack(&r->f, p, m, c->pp->nreqs, c->keep + c->nkeep * c->sumsize);
        c->keep_ids[c->nkeep] = t->id;
        c->keep_fin[c->nkeep++] = t->finished;
    }
    return RF_OK;
}

static void rank_test(void *ud, const struct rf_store_ranked *t)
{
    struct rank_ctx *c = ud;
    if (c->rc || ++c->seen > RF_RANK_MAX_TESTS)
        return;
    if (t->invite_id && c->nprivate &&
        bsearch(&t->invite_id, c->private_inv, c->nprivate, sizeof *c->private_inv, cmp_id))
        return; /* a team member's own profile, not shared (app_teams.c) */
    char *label = t->label ? rf_strdup(t->label) : NULL;
    if (!rank_grow(c) || (t->label && !label)) {
        free(label);
        c->rc = rf_err_set(&c->err, RF_ENOMEM, "out of memory");
        return;
    }
    struct rank_row *r = &c->rows[c->n];
    r->k = c->n;
    struct rf_err serr;
    int rated = c->iv && t->invite_id && rf_app_iv_join_has(c->iv, t->invite_id);
    r->interviews = 0;
    int kept = !rated && t->summary && rf_fitsum_unpack(t->summary, t->nsummary, c->pp->nreqs, &r->f,
                                              c->p + r->k * c->nreqs, c->measured + r->k * c->nreqs,
                                              &serr) == RF_OK;
    if (!kept && fit_from_profile(c, t, r)) {
        free(label);
        c->skipped++;
        return;
    }
    c->n++;
    r->fit = r->f.fit;
    r->test = t->id;
    r->candidate = t->candidate_id;
    r->applicant = t->posting_id == c->posting;
    r->finished = t->finished;
    r->label = label;
}

/* A row's JSON, with its one-line reason. */
static json_t *rank_json(const struct rank_ctx *c, const struct rank_row *r)
{
    char reason[512];
    rf_posting_reason_lang(c->pp, c->p + r->k * c->nreqs, c->measured + r->k * c->nreqs, c->lang,
                           reason, sizeof reason);
    struct rf_buf b;
    rf_buf_init(&b, sizeof reason + 512);
    rf_buf_puts(&b, reason);
    if (r->interviews) { /* the reason says the interviews were counted */
        char n[32];
        snprintf(n, sizeof n, "%zu", r->interviews);
        rf_report_msg_put(&b, RF_MSG_TEXT, c->lang, "rank.interviews", (const char *[]){n}, 1);
    }
    json_t *o = json_pack("{s:I,s:I,s:s?,s:f,s:f,s:f,s:f,s:I,s:s,s:b,s:I,s:I}", "test",
                          (json_int_t)r->test, "candidate", (json_int_t)r->candidate, "label",
                          r->label, "fit", r->f.fit, "sd", r->f.sd, "p_required", r->f.p_required,
                          "measured", r->f.measured, "not_measured", (json_int_t)r->f.nunmeasured,
                          "reason", rf_buf_str(&b), "applicant", r->applicant, "finished",
                          (json_int_t)r->finished, "interviews", (json_int_t)r->interviews);
    rf_buf_cleanup(&b);
    return o;
}

/* By candidate, the latest test first. */
static int by_candidate(const void *x, const void *y)
{
    const struct rank_row *a = x, *b = y;
    if (a->candidate != b->candidate)
        return a->candidate < b->candidate ? -1 : 1;
    return (a->test < b->test) - (a->test > b->test);
}

/* Keeps one row per candidate: the latest test, whose profile holds every
 * follow-up and top-up added to the first (rf_app_followup_combine). */
static size_t latest_per_candidate(struct rank_row *rows, size_t n)
{
    if (n == 0)
        return 0;
    qsort(rows, n, sizeof *rows, by_candidate);
    size_t m = 1;
    for (size_t i = 1; i < n; i++) {
        if (rows[i].candidate == rows[m - 1].candidate) {
            free(rows[i].label);
            continue;
        }
        rows[m++] = rows[i];
    }
    return m;
}

/* Best fit first; ties: the earlier test first. */
static int by_fit(const void *x, const void *y)
{
    const struct rank_row *a = x, *b = y;
    if (a->fit != b->fit)
        return a->fit < b->fit ? 1 : -1;
    return (a->test > b->test) - (a->test < b->test);
}

/* A page's offset or limit from its query text: def when NULL; RF_EINVAL
 * naming it when it is not a whole number from lo to hi (limits above hi are
 * taken as hi when clamp). */
static rf_status page_arg(const char *text, const char *name, size_t def, size_t lo, size_t hi,
                          int clamp, size_t *out, struct rf_app_error *e)
{
    *out = def;
    if (!text)
        return RF_OK;
    size_t v;
    if (rf_parse_size(text, &v) || v < lo || (v > hi && !clamp))
        return rf_app_fail(e, RF_EINVAL, name, "%s must be a whole number from %zu to %zu", name,
                           lo, hi);
    *out = v > hi ? hi : v;
    return RF_OK;
}

/* Reads the fits of a posting's tests into *c (zeroed here): the posting's
 * applicants, or with org_wide every finished test of organization org_id;
 * one row per test (latest_per_candidate makes it one per candidate). Fits
 * computed here are kept for the next reading. c is the caller's to free
 * with rank_free whatever the result. Reasons are written in lang. */
static rf_status rank_collect(struct rf_app *a, int64_t org_id, int64_t id, int org_wide,
                              const struct rf_parsed_posting *pp, enum rf_lang lang,
                              const struct rf_app_iv_join *iv, struct rank_ctx *c,
                              struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    rf_status rc = RF_OK;
    c->a = a;
    c->iv = iv;
    c->lang = lang;
    c->pp = pp;
    c->posting = id;
    c->nreqs = pp->nreqs ? pp->nreqs : 1;
    c->key = rf_fitsum_key(pp, &a->car.tax);
    c->sumsize = rf_fitsum_size(pp->nreqs);
    /* room to pack tests stored without a packed profile; without it they are
     * still ranked, only not packed for next time */
    c->fill_ids = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c->fill_ids);
    c->fill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c->fill);
    c->nfill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c->nfill);
    if (!c->fill_ids || !c->nfill) {
        free(c->fill);
        c->fill = NULL;
    }
    if (!rc &&
        !(rc = rf_app_team_private_invites(a, org_id, &c->private_inv, &c->nprivate, err)) &&
        c->nprivate)
        qsort(c->private_inv, c->nprivate, sizeof *c->private_inv, cmp_id);
    if (!rc)
        rc = rf_store_tests_ranked(a->store, org_id, org_wide ? 0 : id, id, c->key, c->sumsize,
                                   rank_test, c, err);
    if (!rc && c->rc)
        rc = rf_err_set(err, c->rc, "%s", c->err.msg);
    struct rf_err ferr;
    if (c->nfilled &&
        rf_store_tests_set_packed(a->store, c->nfilled, c->fill_ids, c->fill, c->nfill, &ferr) ==
            RF_OK)
        rf_app_log(a, "ranking: stored the packed profile of %zu older tests", c->nfilled);
    else if (c->nfilled)
        rf_app_log(a, "ranking: could not store packed profiles: %s", ferr.msg);
    /* after the packing, which drops the packed tests' kept fits */
    if (!rc && c->nkeep &&
        rf_store_test_fits_put(a->store, id, c->key, c->nkeep, c->keep_ids, c->keep_fin,
                               c->sumsize, c->keep, &ferr) != RF_OK)
        rf_app_log(a, "ranking: could not keep the fits: %s", ferr.msg);
    return rc;
}

static void rank_free(struct rank_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->rows[i].label);
    for (size_t i = 0; i < c->nfilled; i++)
        free(c->fill[i]);
    free(c->fill);
    free(c->fill_ids);
    free(c->nfill);
    free(c->rows);
    free(c->p);
    free(c->private_inv);
    free(c->measured);
    free(c->keep);
    free(c->keep_ids);
    free(c->keep_fin);
}

rf_status rf_app_posting_ranking(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const char *scope, const struct rf_app_page *page,
                                 const char *lang, json_t **out, struct rf_app_error *e)
{
    enum rf_lang rl;
    rf_status lrc = rf_app_view_lang(a, p, lang, RF_EN, &rl, e);
    if (lrc)
        return lrc;
    int org_wide = scope && strcmp(scope, "org") == 0;
    if (scope && !org_wide && strcmp(scope, "posting") != 0) {
        char got[41]; /* on one line, valid UTF-8: anything but printable ASCII becomes '?' */
        size_t n = 0;
        for (; n < sizeof got - 1 && scope[n]; n++)
            got[n] = scope[n] >= 0x20 && scope[n] < 0x7f ? scope[n] : '?';
        got[n] = '\0';
        return rf_app_fail(
            e, RF_EINVAL, "scope",
            "scope must be 'posting' (its applicants) or 'org' (every finished test of "
            "the organization), got '%s'",
            got);
    }
    size_t offset, limit;
    rf_status rc =
        page_arg(page ? page->offset : NULL, "offset", 0, 0, RF_RANK_MAX_TESTS, 0, &offset, e);
    if (!rc)
        rc = page_arg(page ? page->limit : NULL, "limit", RF_RANK_PAGE, 1, RF_RANK_PAGE_MAX, 1,
                      &limit, e);
    if (rc)
        return rc;
    struct rf_posting po;
    if ((rc = rf_app_own_posting(a, p, id, &po, e)))
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = rf_app_posting_reading(a, &po, &pp, e))) {
        rf_store_posting_cleanup(&po);
        return rc;
    }
    struct rank_ctx c;
    struct rf_app_iv_join *iv = NULL; /* staff only, as every ranking */
    if ((rc = rf_app_iv_join_open(a, p->org_id, &iv, e))) {
        rf_posting_cleanup(&pp);
        rf_store_posting_cleanup(&po);
        return rc;
    }
    rc = rank_collect(a, p->org_id, id, org_wide, &pp, rl, iv, &c, &e->err);
    json_t *sorted = rc ? NULL : json_array();
    if (!rc && !sorted)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc) {
        c.n = latest_per_candidate(c.rows, c.n);
        if (c.n)
            qsort(c.rows, c.n, sizeof *c.rows, by_fit);
        for (size_t i = offset; i < c.n && i < offset + limit && !rc; i++)
            if (json_array_append_new(sorted, rank_json(&c, &c.rows[i])))
                rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        size_t end = offset + limit;
        json_t *next = end < c.n ? json_integer((json_int_t)end) : json_null();
        *out = rc ? NULL
                  : json_pack("{s:{s:I,s:s},s:s,s:o,s:I,s:I,s:I,s:o,s:b,s:I}", "posting", "id",
                              (json_int_t)po.id, "title", po.title, "scope",
                              org_wide ? "org" : "posting", "candidates", sorted, "total",
                              (json_int_t)c.n, "offset", (json_int_t)offset, "limit",
                              (json_int_t)limit, "next", next, "capped", c.seen > RF_RANK_MAX_TESTS,
                              "skipped", (json_int_t)c.skipped);
        if (rc) {
            json_decref(sorted);
            json_decref(next);
        } else if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    rank_free(&c);
    rf_app_iv_join_close(iv);
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    return rc;
}

rf_status rf_app_posting_applicants(struct rf_app *a, int64_t org_id, int64_t posting_id,
                                    const struct rf_parsed_posting *pp,
                                    void (*fn)(void *ud, const struct rf_app_applicant *r),
                                    void *ud, struct rf_err *err)
{
    struct rank_ctx c;
    rf_status rc = rank_collect(a, org_id, posting_id, 0, pp, RF_EN, NULL, &c, err);
    if (!rc) {
        c.n = latest_per_candidate(c.rows, c.n);
        for (size_t i = 0; i < c.n; i++) {
            const struct rank_row *r = &c.rows[i];
            struct rf_app_applicant ap = {r->test, r->candidate, &r->f, c.p + r->k * c.nreqs,
                                          c.measured + r->k * c.nreqs};
            fn(ud, &ap);
        }
    }
    rank_free(&c);
    return rc;
}
