/* Bank statistics: counts, information curves against direct sums, and the SVG chart. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "bank/stats.h"
#include "base/escape.h"

Test(stats, counts_and_information)
{
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_taxonomy tax;
    struct rf_bank b;
    cr_assert_eq(rf_taxonomy_load("tests/fixtures/bank/skills.json", &tax, &err), RF_OK);
    cr_assert_eq(rf_bank_load_dir("tests/fixtures/bank/small", &b, &err), RF_OK, "%s", err.msg);
    struct rf_bank_stats s;
    cr_assert_eq(rf_bank_stats_compute(&b, &tax, -3, 3, 61, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(s.nskills, 4); /* the taxonomy's four, in its order */
    cr_assert_str_eq(s.skills[0].skill, "linear_algebra");
    cr_assert_str_eq(s.skills[1].skill, "probability_statistics");
    cr_assert_eq(s.n, 4);
    cr_assert_eq(s.active, 3);
    cr_assert_eq(s.calibrated, 0); /* the calibrated item is retired */
    const struct rf_skill_stats *la = &s.skills[0], *ps = &s.skills[1];
    cr_assert_eq(la->active, 2);
    cr_assert_eq(la->band[0], 1);
    cr_assert_eq(la->band[2], 1);
    cr_assert_eq(ps->retired, 1);
    cr_assert_eq(ps->band[1], 1);
    cr_assert_eq(s.skills[2].active, 0);
    cr_assert_float_eq(s.theta[30], 0.0, 1e-12);
    cr_assert_float_eq(s.theta[60], 3.0, 1e-12);
    /* information = sum over the active items of the skill, at every grid point
     * (same arithmetic, so agreement to rounding: 1e-12) */
    for (size_t q = 0; q < 61; q += 10) {
        double want = rf_irt_info(&b.items[0].irt, s.theta[q]) + rf_irt_info(&b.items[1].irt, s.theta[q]);
        cr_assert_float_eq(la->info[q], want, 1e-12, "theta %g", s.theta[q]);
        cr_assert_float_eq(ps->info[q], rf_irt_info(&b.items[2].irt, s.theta[q]), 1e-12);
        cr_assert_float_eq(s.skills[3].info[q], 0.0, 0.0);
    }
    rf_bank_stats_cleanup(&s);
    cr_assert_eq(rf_bank_stats_compute(&b, &tax, 1, 1, 61, &s, &err), RF_EINVAL);
    cr_assert_eq(rf_bank_stats_compute(&b, &tax, -3, 3, 1, &s, &err), RF_EINVAL);
    rf_bank_cleanup(&b);
    rf_taxonomy_cleanup(&tax);
}

static size_t count_elements(xmlNode *n, const char *name)
{
    size_t c = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            c++;
        c += count_elements(n->children, name);
    }
    return c;
}

Test(stats, svg_is_well_formed_and_escapes_names)
{
    /* an unknown skill whose name needs escaping, without a taxonomy */
    const char *json = "[{\"id\":\"a<&>.t.001\",\"skill\":\"a<&>\\\"'\",\"type\":\"mcq\","
                       "\"stem\":\"s\",\"options\":[\"x\",\"y\"],\"key\":0,\"model\":\"2pl\","
                       "\"a\":1.5,\"b\":0.5}]";
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    struct rf_bank_stats s;
    cr_assert_eq(rf_bank_stats_compute(&b, NULL, -3, 3, 61, &s, &err), RF_OK);
    cr_assert_eq(s.nskills, 1);
    cr_assert_eq(s.skills[0].in_taxonomy, 0);
    /* 2PL information peaks at b with a^2/4 */
    cr_assert_float_eq(s.skills[0].info[35], 1.5 * 1.5 / 4, 1e-12);
    struct rf_buf out;
    rf_buf_init(&out, 1 << 20);
    cr_assert_eq(rf_bank_stats_svg(&s, &out), RF_OK);
    cr_assert(strstr(rf_buf_str(&out), "a&lt;&amp;&gt;&quot;&#39; (1)"), "%s", rf_buf_str(&out));
    cr_assert_null(strstr(rf_buf_str(&out), "href"), "self-contained: no links");
    xmlDoc *doc = xmlReadMemory(out.data, (int)out.len, "chart.svg", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "the SVG does not parse");
    xmlNode *root = xmlDocGetRootElement(doc);
    cr_assert_str_eq((const char *)root->name, "svg");
    cr_assert_eq(count_elements(root, "polyline"), 1);
    xmlFreeDoc(doc);
    /* a cap too small for the chart is an error, not a truncated success */
    struct rf_buf small;
    rf_buf_init(&small, 200);
    cr_assert_eq(rf_bank_stats_svg(&s, &small), RF_ETOOBIG);
    rf_buf_cleanup(&small);
    rf_buf_cleanup(&out);
    rf_bank_stats_cleanup(&s);
    rf_bank_cleanup(&b);
}

Test(escape, xml_entities_and_control_bytes)
{
    struct rf_buf b;
    rf_buf_init(&b, 1024);
    cr_assert_eq(rf_buf_put_xml(&b, "a<b & \"c\" 'd'>\x01\tz\xc3\xa9"), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;\tz\xc3\xa9");
    rf_buf_reset(&b);
    cr_assert_eq(rf_buf_put_xml(&b, ""), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "");
    rf_buf_cleanup(&b);
}
