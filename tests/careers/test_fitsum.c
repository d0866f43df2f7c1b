/* Kept fits (careers/fitsum.h): a summary gives back rf_posting_fit's
 * doubles exactly, refuses bytes that are not a summary of the posting's
 * requirements, and its key changes with everything the fit is computed
 * from and with nothing else. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "careers/data.h"
#include "careers/fitsum.h"
#include "careers/posting.h"
#include "careers/rank.h"

static struct rf_careers c;

static void setup(void)
{
    struct rf_err err;
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_careers_cleanup(&c);
}

TestSuite(fitsum, .init = setup, .fini = teardown);

static const char text[] = "## Requirements\n- Python\n- PyTorch or TensorFlow\n- SQL\n\n"
                           "## Nice to have\n- Statistics\n";

static void parse(const char *t, struct rf_parsed_posting *pp)
{
    struct rf_err err;
    cr_assert_eq(rf_posting_parse("posting", t, strlen(t), &c.aliases, &c.tax, pp, &err), RF_OK,
                 "%s", err.msg);
}

Test(fitsum, round_trip_is_exact_and_bad_bytes_are_refused)
{
    struct rf_parsed_posting pp;
    parse(text, &pp);
    size_t n = pp.nreqs;
    cr_assert_geq(n, 3);
    struct rf_posting_fit f = {0.123456789012345678, 1.0 / 3.0, 1e-300, 0.75, 2};
    double p[8], p2[8];
    size_t m[8], m2[8];
    for (size_t r = 0; r < n; r++) {
        p[r] = nextafter(0.1 * (double)(r + 1), 1.0);
        m[r] = r % 3;
    }
    unsigned char buf[256];
    cr_assert_leq(rf_fitsum_size(n), sizeof buf);
    rf_fitsum_pack(&f, p, m, n, buf);
    struct rf_posting_fit g;
    struct rf_err err;
    cr_assert_eq(rf_fitsum_unpack(buf, rf_fitsum_size(n), n, &g, p2, m2, &err), RF_OK);
    cr_assert(memcmp(&f.fit, &g.fit, sizeof f.fit) == 0 && f.sd == g.sd &&
              f.p_required == g.p_required && f.measured == g.measured &&
              f.nunmeasured == g.nunmeasured);
    for (size_t r = 0; r < n; r++)
        cr_assert(p2[r] == p[r] && m2[r] == m[r], "requirement %zu", r);
    /* not a summary of these requirements */
    cr_assert_eq(rf_fitsum_unpack(buf, rf_fitsum_size(n), n + 1, &g, p2, m2, &err), RF_EINVAL);
    cr_assert_eq(rf_fitsum_unpack(buf, rf_fitsum_size(n) - 1, n, &g, p2, m2, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "fit summary"), "%s", err.msg);
    buf[0] = 'X';
    cr_assert_eq(rf_fitsum_unpack(buf, rf_fitsum_size(n), n, &g, p2, m2, &err), RF_EINVAL);
    rf_posting_cleanup(&pp);
}

Test(fitsum, key_follows_what_the_fit_reads)
{
    struct rf_parsed_posting a, b;
    parse(text, &a);
    parse(text, &b);
    int64_t k = rf_fitsum_key(&a, &c.tax);
    cr_assert_eq(rf_fitsum_key(&b, &c.tax), k, "the same reading, the same key");
    /* labels and texts are not read by the fit */
    free(b.reqs[0].label);
    b.reqs[0].label = strdup("renamed");
    cr_assert_eq(rf_fitsum_key(&b, &c.tax), k);
    b.reqs[0].weight *= 1.0000001;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a weight");
    b.reqs[0].weight = a.reqs[0].weight;
    b.reqs[1].level = b.reqs[1].level == 1 ? 2 : 1;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a level");
    b.reqs[1].level = a.reqs[1].level;
    b.reqs[2].section = b.reqs[2].section == RF_SEC_REQUIRED ? RF_SEC_PREFERRED : RF_SEC_REQUIRED;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a section");
    b.reqs[2].section = a.reqs[2].section;
    b.reqs[0].skills[0] = (b.reqs[0].skills[0] + 1) % c.tax.nskills;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a skill");
    b.reqs[0].skills[0] = a.reqs[0].skills[0];
    cr_assert_eq(rf_fitsum_key(&b, &c.tax), k);
    double *cut = &c.tax.skills[a.reqs[0].skills[0]].cuts[a.reqs[0].level - 1];
    double was = *cut;
    *cut += 0.01;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a cut point of the taxonomy");
    *cut = was;
    cr_assert_eq(rf_fitsum_key(&b, &c.tax), k);
    b.nreqs--;
    cr_assert_neq(rf_fitsum_key(&b, &c.tax), k, "a requirement fewer");
    b.nreqs++;
    rf_posting_cleanup(&a);
    rf_posting_cleanup(&b);
}
