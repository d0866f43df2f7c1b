/* Agreement statistics (interview/agree.h, interview/sim.h): quadratic-weighted
 * kappa, ICC(1,1) and Spearman against small cases computed by hand, and the
 * calibration report's pairing and "does not separate" rule. */
#include <criterion/criterion.h>
#include <math.h>

#include "interview/agree.h"
#include "interview/sim.h"

#define TOL 1e-9

Test(agree, weighted_kappa_matches_a_hand_computed_table)
{
    /* Pairs (0,0) (1,1) (2,1) (0,2) on 3 points, both orders: pooled counts
     * 0:3 1:3 2:2 of 8. Observed sum of (i-j)^2 = 2 (0 + 0 + 1 + 4) = 10.
     * Expected: sum_ij (i-j)^2 m_i m_j / 8 = (2*1*3*3 + 2*4*3*2 + 2*1*3*2) / 8
     * = 78/8 = 9.75, so kappa = 1 - 10/9.75 = -1/39. */
    size_t x[] = {0, 1, 2, 0}, y[] = {0, 1, 1, 2};
    double k = rf_iv_qwk(x, y, 4, 3);
    cr_assert(fabs(k - (-1.0 / 39.0)) < TOL, "kappa %.12f, want %.12f", k, -1.0 / 39.0);
    /* The order within a pair does not matter. */
    cr_assert(fabs(rf_iv_qwk(y, x, 4, 3) - k) < TOL);
}

Test(agree, weighted_kappa_of_full_agreement_is_one_and_of_one_point_undefined)
{
    size_t x[] = {0, 1, 2, 3, 3}, y[] = {0, 1, 2, 3, 3};
    cr_assert(fabs(rf_iv_qwk(x, y, 5, 4) - 1) < TOL);
    size_t z[] = {2, 2, 2};
    cr_assert(isnan(rf_iv_qwk(z, z, 3, 4)));
    cr_assert(isnan(rf_iv_qwk(x, y, 0, 4)));
}

Test(agree, weighted_kappa_second_hand_case_with_disagreement)
{
    /* (0,1) (1,0) (3,3) (2,3) on 4 points: counts 0:2 1:2 2:1 3:3 of 8;
     * observed 2 (1 + 1 + 0 + 1) = 6; expected sum over i != j of
     * (i-j)^2 m_i m_j / 8: pairs (0,1) 1*2*2, (0,2) 4*2*1, (0,3) 9*2*3,
     * (1,2) 1*2*1, (1,3) 4*2*3, (2,3) 1*1*3, doubled: 2 (4 + 8 + 54 + 2 + 24
     * + 3) / 8 = 190/8 = 23.75; kappa = 1 - 6/23.75. */
    size_t x[] = {0, 1, 3, 2}, y[] = {1, 0, 3, 3};
    double k = rf_iv_qwk(x, y, 4, 4), want = 1 - 6 / 23.75;
    cr_assert(fabs(k - want) < TOL, "kappa %.12f, want %.12f", k, want);
}

Test(agree, icc_one_way_matches_a_hand_computed_case)
{
    /* Pairs (1,2) (3,3) (5,4): means 1.5, 3, 4.5, grand 3; SSB = 2 (2.25 + 0
     * + 2.25) = 9, MSB = 4.5; SSW = 0.5 + 0 + 0.5 = 1, MSW = 1/3;
     * ICC = (4.5 - 1/3) / (4.5 + 1/3) = 25/29. */
    double x[] = {1, 3, 5}, y[] = {2, 3, 4};
    double icc = rf_iv_icc(x, y, 3);
    cr_assert(fabs(icc - 25.0 / 29.0) < TOL, "icc %.12f", icc);
    double same[] = {2, 2};
    cr_assert(isnan(rf_iv_icc(same, same, 2)));
    cr_assert(isnan(rf_iv_icc(x, y, 1)));
    /* Raters who disagree as much as targets differ: ICC near or below 0. */
    double a[] = {1, 4, 1, 4}, b[] = {4, 1, 4, 1};
    cr_assert(rf_iv_icc(a, b, 4) < 0);
}

Test(agree, spearman_with_ties_uses_mean_ranks)
{
    /* x ranks 0,1,2,3; y = (1, 3, 3, 4) ranks 0, 1.5, 1.5, 3: Pearson of the
     * ranks = 4.5 / sqrt(5 * 4.5). */
    double x[] = {10, 20, 30, 40}, y[] = {1, 3, 3, 4}, w[8];
    double r = rf_iv_spearman(x, y, 4, w);
    cr_assert(fabs(r - 4.5 / sqrt(5 * 4.5)) < TOL, "rho %.12f", r);
    double rev[] = {4, 3, 2, 1};
    cr_assert(fabs(rf_iv_spearman(x, rev, 4, w) + 1) < TOL);
}

/* A bank of one rubric with two 4-point criteria on skill 0. */
static void small_bank(struct rf_iv_bank *b, struct rf_iv_crit *crit, char **ids, char **rids,
                       size_t *first)
{
    double thr[] = {-1, 0, 1};
    for (size_t j = 0; j < 2; j++) {
        crit[j].skill = 0;
        crit[j].rubric = 0;
        rf_irt_item_grm(&crit[j].it, 1.2, thr, 4);
    }
    ids[0] = "r.a";
    ids[1] = "r.b";
    rids[0] = "r";
    first[0] = 0;
    first[1] = 2;
    *b = (struct rf_iv_bank){
        .ncrit = 2, .crit = crit, .ids = ids, .nrubrics = 1, .rubric_ids = rids, .first = first};
}

Test(agree, report_pairs_double_scored_slots_and_flags_flat_criteria)
{
    struct rf_iv_bank b;
    struct rf_iv_crit crit[2];
    char *ids[2], *rids[1];
    size_t first[2];
    small_bank(&b, crit, ids, rids, first);
    /* 30 persons, one slot each, two raters: criterion 0 varies and the raters
     * agree exactly; criterion 1 is always scored 2 (flat). */
    struct rf_iv_rating r[120];
    size_t n = 0;
    for (size_t p = 0; p < 30; p++)
        for (size_t rr = 0; rr < 2; rr++) {
            r[n++] = (struct rf_iv_rating){p, 0, 0, rr + (p % 3), p % 4, 0};
            r[n++] = (struct rf_iv_rating){p, 0, 1, rr + (p % 3), 2, 0};
        }
    struct rf_iv_report rep;
    struct rf_err err;
    cr_assert_eq(rf_iv_report(&b, NULL, r, n, &rep, &err), RF_OK);
    cr_assert_eq(rep.rubric[0].ratings, 120);
    cr_assert_eq(rep.rubric[0].pairs, 60);
    cr_assert_eq(rep.crit[0].flat, 0);
    cr_assert_eq(rep.crit[1].flat, 1);
    cr_assert_null(rep.crit[0].code);
    cr_assert_str_eq(rep.crit[1].code, "one_point", "the reason's code, for a page to word");
    cr_assert_eq(rep.crit[1].top_share, 1.0);
    cr_assert_eq(rep.rubric[0].nflat, 1);
    /* Criterion 0's pairs agree exactly, criterion 1's are constant: the
     * pooled kappa is 1 (no disagreement at all). */
    cr_assert(fabs(rep.rubric[0].kappa - 1) < TOL, "kappa %g", rep.rubric[0].kappa);
    rf_iv_report_cleanup(&rep);
}
