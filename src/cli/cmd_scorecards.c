/* `rolefit scorecards`: the interviewer calibration report from a scorecards
 * file, and a candidate's hiring packet (interview/calib.h, agree.h,
 * packet.h; docs/interviews.md). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/chance.h"
#include "base/json.h"
#include "careers/data.h"
#include "careers/fit.h"
#include "careers/kits.h"
#include "careers/profile.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "interview/agree.h"
#include "interview/calib.h"
#include "interview/cards.h"
#include "interview/packet.h"
#include "interview/view.h"
#include "irt/quad.h"

static const char usage[] =
    "usage: rolefit scorecards FILE.csv [--data DIR] [--json]\n"
    "       rolefit scorecards FILE.csv --packet CANDIDATE --role ID [--profile P.json]\n"
    "                          [--data DIR] [--json]\n\n"
    "Calibrates the rubric criteria and the interviewers' severities from the scorecards\n"
    "in FILE.csv (columns candidate, interviewer, round, slot, criterion, score; see\n"
    "docs/interviews.md) and prints the interviewer calibration report: each\n"
    "interviewer's severity with its standard error (positive: scores lower than the\n"
    "panel for the same answer), per rubric the agreement of the two interviewers of\n"
    "double-scored rounds (quadratic-weighted kappa, ICC) and the criteria that do not\n"
    "separate candidates.\n"
    "With --packet, the hiring packet of CANDIDATE for role ID under that calibration:\n"
    "per requirement P(meets) from the test (--profile, the test's profile JSON) and the\n"
    "interviews, its call with undecided ones marked, what the test and the interviews\n"
    "each said and whether they agree, the round most likely to settle each open\n"
    "requirement, and the chance that a \"no\" is a false negative.\n\n"
    "  --packet CANDIDATE  the candidate (as in the file's candidate column)\n"
    "  --role ID           the role (see 'rolefit roles')\n"
    "  --profile P.json    the candidate's test profile (default: no test)\n"
    "  --data DIR          folder with skills.json, roles.json, interviews.json (default data)\n"
    "  --json              print JSON instead of text\n";

static void report_text(const struct rf_iv_cards *cards, const struct rf_iv_bank *b,
                        const struct rf_iv_calib *c, const struct rf_iv_report *rep)
{
    printf("%zu scores of %zu candidates by %zu interviewers; calibration %s after %zu cycles\n\n",
           cards->n, cards->npersons, cards->nraters, c->converged ? "converged" : "NOT converged",
           c->iter);
    printf("Interviewers (severity: positive scores lower for the same answer)\n");
    printf("  %-24s %9s %6s %7s\n", "interviewer", "severity", "SE", "scores");
    for (size_t r = 0; r < cards->nraters; r++)
        printf("  %-24s %+9.2f %6.2f %7zu\n", cards->raters[r], c->sev[r], c->sev_se[r],
               c->sev_n[r]);
    printf("\nAgreement on double-scored rounds\n  %-26s %7s %6s %6s %6s\n", "rubric", "scores",
           "pairs", "kappa", "ICC");
    for (size_t u = 0; u < rep->nrubrics; u++) {
        const struct rf_iv_rubric_stats *st = &rep->rubric[u];
        if (!st->ratings)
            continue;
        printf("  %-26s %7zu %6zu %6.2f %6.2f\n", b->rubric_ids[u], st->ratings, st->pairs,
               st->kappa, st->icc);
        for (size_t j = b->first[u]; j < b->first[u + 1]; j++)
            if (rep->crit[j].flat)
                printf("    does not separate candidates: %s (%s)\n", b->ids[j], rep->crit[j].why);
    }
}

static void packet_text(const struct rf_careers *cr, const struct rf_iv_bank *b,
                        const struct rf_iv_packet *pk, const char *who)
{
    printf("Hiring packet: %s for %s\n\n", who, pk->fit.role->name);
    printf("  %-28s %-5s %7s %-13s %6s %6s %-8s %s\n", "requirement", "core", "P(meets)", "call",
           "test", "loop", "agree", "would settle it");
    for (size_t i = 0; i < pk->fit.nreqs; i++) {
        const struct rf_req_fit *rq = &pk->fit.reqs[i];
        const struct rf_iv_packet_req *x = &pk->req[i];
        char pt[16] = "-", pi[16] = "-", st[96] = "", ps[RF_CHANCE_LEN];
        if (x->test_measured)
            snprintf(pt, sizeof pt, "%.2f", x->p_test);
        if (x->iv_measured)
            snprintf(pi, sizeof pi, "%.2f", x->p_iv);
        if (x->settle != (size_t)-1)
            snprintf(st, sizeof st, "%s (%s)", b->rubric_ids[x->settle],
                     rf_chance_pct(ps, sizeof ps, x->p_settle));
        else if (rq->call == RF_CALL_UNDECIDED || rq->call == RF_CALL_NOT_MEASURED)
            snprintf(st, sizeof st, "no round of the loop measures it");
        printf("  %-28s %-5s %7.2f %-13s %6s %6s %-8s %s\n", cr->tax.skills[rq->req->skill].id,
               rq->req->core ? "core" : "", rq->p, rf_call_name(rq->call), pt, pi,
               x->agree < 0 ? "-"
               : x->agree   ? "yes"
                            : "NO",
               st);
    }
    /* what a "no" risks: P(every core requirement met), which says nothing for
     * a role without a core requirement (it is 1 then): left out */
    size_t ncore = 0;
    for (size_t i = 0; i < pk->fit.nreqs; i++)
        ncore += pk->fit.reqs[i].req->core != 0;
    if (pk->nopen)
        printf("\n%zu open requirement%s.", pk->nopen, pk->nopen == 1 ? "" : "s");
    else
        printf("\nNo open requirement: the evidence decides each one.");
    if (ncore)
    {
        char pf[RF_CHANCE_LEN];
        printf(" If the answer is \"no\": a %s chance it is a false negative (P(every core "
               "requirement met)).",
               rf_chance_pct(pf, sizeof pf, pk->p_false_negative));
    }
    printf("\n");
}

/* The candidate's ratings of cards, renumbered as person 0. */
static struct rf_iv_rating *candidate_ratings(const struct rf_iv_cards *cards, size_t who,
                                              size_t *n)
{
    struct rf_iv_rating *r = calloc(cards->n ? cards->n : 1, sizeof *r);
    *n = 0;
    for (size_t i = 0; r && i < cards->n; i++)
        if (cards->r[i].person == who) {
            r[*n] = cards->r[i];
            r[(*n)++].person = 0;
        }
    return r;
}

int rf_cmd_scorecards(int argc, char **argv)
{
    const char *cmd = "scorecards", *data = rf_cli_default_path("data"), *who = NULL,
               *role_id = NULL, *profile = NULL;
    int json = 0, help = 0;
    struct rf_cli_opt opts[] = {{"data", 1, &data, NULL},
                                {"json", 0, NULL, &json},
                                {"packet", 1, &who, NULL},
                                {"role", 1, &role_id, NULL},
                                {"profile", 1, &profile, NULL}};
    const char *pos[1];
    size_t npos;
    int ec =
        rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos != 1)
        return rf_cli_usage_error(cmd, "expected a scorecards file (see --help)");
    if (!who != !role_id)
        return rf_cli_usage_error(cmd, "--packet CANDIDATE and --role ID go together");
    if (profile && !who)
        return rf_cli_usage_error(cmd, "--profile goes with --packet");
    struct rf_careers c;
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/interviews.json", data);
    if ((rc = rf_kits_load(path, &c, &k, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    struct rf_iv_bank b = {0};
    struct rf_iv_cards cards = {0};
    struct rf_iv_calib cal = {0};
    struct rf_iv_report rep = {0};
    struct rf_profile test = {0};
    struct rf_quad q = {0};
    const struct rf_role *role = NULL;
    int have_packet = 0;
    struct rf_iv_packet pk = {0};
    if ((rc = rf_iv_bank_from_kits(&k, &b, &err)) ||
        (rc = rf_iv_cards_load(pos[0], &k, &b, &cards, &err)) ||
        (rc = rf_quad_init_default(&q, &err)))
        goto out;
    if (role_id && !(role = rf_roles_find(&c.roles, role_id))) {
        rc = rf_err_set(&err, RF_ENOTFOUND, "no role '%.64s' (see 'rolefit roles')", role_id);
        goto out;
    }
    size_t wi = (size_t)-1;
    if (who && (wi = rf_iv_cards_index(cards.persons, cards.npersons, who)) == (size_t)-1) {
        rc = rf_err_set(&err, RF_ENOTFOUND, "%s: no scores of candidate '%.64s'", pos[0], who);
        goto out;
    }
    if (who) {
        if (profile)
            rc = rf_profile_load(profile, &test, &err);
        else
            rf_profile_init_default(&test);
        if (rc)
            goto out;
    }
    struct rf_iv_data d = {.npersons = cards.npersons,
                           .nraters = cards.nraters,
                           .nskills = c.tax.nskills,
                           .r = cards.r,
                           .n = cards.n,
                           .q = &q};
    struct rf_iv_calib_opts co;
    rf_iv_calib_opts_init(&co);
    if ((rc = rf_iv_calibrate(b.crit, b.ncrit, &d, &co, &cal, &err)) ||
        (rc = rf_iv_report(&b, &cal, cards.r, cards.n, &rep, &err)))
        goto out;
    if (who) {
        memcpy(b.crit, cal.crit, b.ncrit * sizeof *b.crit);
        size_t n;
        struct rf_iv_rating *r = candidate_ratings(&cards, wi, &n);
        if (!r) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        rc = rf_iv_packet(&test, &c.roles, role, &k, &b, cal.sev, cards.nraters, r, n, &pk, &err);
        free(r);
        if (rc)
            goto out;
        have_packet = 1;
    }
    if (json) {
        json_t *o = rf_iv_report_json(&b, &cal, &rep, (const char *const *)cards.raters,
                                      cards.nraters, cards.npersons, cards.n);
        if (o && have_packet)
            json_object_set_new(o, "packet", rf_iv_packet_json(&c.tax, &b, &pk, who));
        if (!o)
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        else
            rf_json_dumpf_out(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
    } else {
        report_text(&cards, &b, &cal, &rep);
        if (have_packet) {
            printf("\n");
            packet_text(&c, &b, &pk, who);
        }
    }
out:
    ec = rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
    if (have_packet)
        rf_iv_packet_cleanup(&pk);
    rf_profile_cleanup(&test);
    rf_iv_report_cleanup(&rep);
    rf_iv_calib_cleanup(&cal);
    rf_iv_cards_cleanup(&cards);
    rf_iv_bank_cleanup(&b);
    rf_quad_cleanup(&q);
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
    return ec;
}
