/*
 * JSON and CSV of the fairness reports (calib/dif.h, calib/impact.h).
 * Figures that do not exist are JSON null and empty CSV cells, never NaN;
 * a hidden item or group carries its reason and no figure at all, not even
 * its count.
 */
#include <math.h>

#include "base/csv.h"
#include "calib/dif.h"
#include "calib/dif_poly.h"
#include "calib/impact.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *letter(char c)
{
    char s[2] = {c, '\0'};
    return c == '-' ? json_null() : json_string(s);
}

json_t *rf_dif_item_json(const char *id, const struct rf_dif_item *it, const struct rf_dif_opts *o)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int bad = json_object_set_new(j, "id", json_string(id));
    bad |= json_object_set_new(j, "shown", json_boolean(it->shown));
    if (!it->shown) {
        char why[96];
        snprintf(why, sizeof why, "fewer than %zu answers in a group", o->min_group);
        bad |= json_object_set_new(j, "reason", json_string(why));
        if (bad) {
            json_decref(j);
            return NULL;
        }
        return j;
    }
    bad |= json_object_set_new(j, "n_reference", json_integer((json_int_t)it->n_ref));
    bad |= json_object_set_new(j, "n_focal", json_integer((json_int_t)it->n_focal));
    json_t *mh = json_object();
    if (mh) {
        bad |= json_object_set_new(mh, "alpha", num(it->mh.alpha_mh));
        bad |= json_object_set_new(mh, "d_dif", num(it->mh.d_dif));
        bad |= json_object_set_new(mh, "se", num(it->mh.se_d));
        bad |= json_object_set_new(mh, "chi2", num(it->mh.chi2));
        bad |= json_object_set_new(mh, "p", num(it->mh.p));
        bad |= json_object_set_new(mh, "class", letter(it->mh.ets));
    }
    bad |= json_object_set_new(j, "mh", mh);
    if (o->logistic) {
        json_t *lr = json_object();
        if (lr) {
            const struct rf_lr_result *r = &it->lr;
            bad |= json_object_set_new(lr, "converged", json_boolean(r->converged));
            bad |= json_object_set_new(lr, "chi2_uniform", num(r->chi2_uniform));
            bad |= json_object_set_new(lr, "p_uniform", num(r->p_uniform));
            bad |= json_object_set_new(lr, "chi2_nonuniform", num(r->chi2_nonuniform));
            bad |= json_object_set_new(lr, "p_nonuniform", num(r->p_nonuniform));
            bad |= json_object_set_new(lr, "chi2_total", num(r->chi2_total));
            bad |= json_object_set_new(lr, "p_total", num(r->p_total));
            bad |= json_object_set_new(lr, "r2_delta", num(r->r2_delta));
            bad |= json_object_set_new(lr, "beta_group", num(r->beta_group));
            bad |= json_object_set_new(lr, "se_beta_group", num(r->se_beta));
            bad |= json_object_set_new(lr, "class", letter(r->effect));
        }
        bad |= json_object_set_new(j, "logistic", lr);
    }
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* ",value" (or "," alone for a missing value) in the CSV's number format. */
static rf_status cell(struct rf_buf *b, double v)
{
    return isfinite(v) ? rf_buf_printf(b, ",%.6g", v) : rf_buf_putc(b, ',');
}

static rf_status text_cell(struct rf_buf *b, const char *s)
{
    rf_status rc = rf_buf_putc(b, ',');
    return rc ? rc : rf_csv_put_field(b, s);
}

rf_status rf_dif_csv_header(struct rf_buf *b)
{
    return rf_buf_puts(b, "by,reference,focal,id,shown,n_reference,n_focal,mh_alpha,mh_d_dif,"
                          "mh_se,mh_chi2,mh_p,mh_class,lr_chi2_uniform,lr_p_uniform,"
                          "lr_chi2_nonuniform,lr_p_nonuniform,lr_chi2_total,lr_p_total,"
                          "lr_r2_delta,lr_class\n");
}

rf_status rf_dif_item_csv(struct rf_buf *b, const char *by, const char *reference,
                          const char *focal, const char *id, const struct rf_dif_item *it)
{
    rf_status rc = rf_csv_put_field(b, by);
    if (!rc)
        rc = text_cell(b, reference);
    if (!rc)
        rc = text_cell(b, focal);
    if (!rc)
        rc = text_cell(b, id);
    if (!rc && !it->shown) {
        rc = rf_buf_puts(b, ",0");
        for (int k = 0; !rc && k < 15; k++) /* n_reference .. lr_r2_delta */
            rc = rf_buf_putc(b, ',');
        return rc ? rc : rf_buf_puts(b, ",\n"); /* lr_class */
    }
    if (!rc)
        rc = rf_buf_printf(b, ",1,%zu,%zu", it->n_ref, it->n_focal);
    const double v[] = {it->mh.alpha_mh, it->mh.d_dif, it->mh.se_d, it->mh.chi2, it->mh.p};
    for (size_t k = 0; !rc && k < sizeof v / sizeof v[0]; k++)
        rc = cell(b, v[k]);
    if (!rc)
        rc = it->mh.ets == '-' ? rf_buf_putc(b, ',') : rf_buf_printf(b, ",%c", it->mh.ets);
    const struct rf_lr_result *r = &it->lr;
    const double w[] = {r->chi2_uniform, r->p_uniform, r->chi2_nonuniform, r->p_nonuniform,
                        r->chi2_total,   r->p_total,   r->r2_delta};
    for (size_t k = 0; !rc && k < sizeof w / sizeof w[0]; k++)
        rc = cell(b, r->converged ? w[k] : NAN);
    if (!rc)
        rc = r->effect == '-' ? rf_buf_putc(b, ',') : rf_buf_printf(b, ",%c", r->effect);
    return rc ? rc : rf_buf_putc(b, '\n');
}

json_t *rf_impact_row_json(const struct rf_impact_group *g, const struct rf_impact_row *r)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    int bad = json_object_set_new(j, "group", json_string(g->name));
    bad |= json_object_set_new(j, "shown", json_boolean(r->hidden == RF_IMPACT_SHOWN));
    if (r->hidden) {
        bad |= json_object_set_new(j, "reason", json_string(rf_impact_hidden_text(r->hidden)));
    } else {
        bad |= json_object_set_new(j, "n", json_integer((json_int_t)g->n));
        bad |= json_object_set_new(j, "selected", json_integer((json_int_t)g->selected));
        bad |= json_object_set_new(j, "rate", num(r->rate));
        bad |=
            json_object_set_new(j, "rate_ci", json_pack("[oo]", num(r->rate_lo), num(r->rate_hi)));
        bad |= json_object_set_new(j, "highest", json_boolean(r->highest));
        bad |= json_object_set_new(j, "ratio", num(r->ratio));
        bad |= json_object_set_new(
            j, "ratio_ci",
            r->highest ? json_null() : json_pack("[oo]", num(r->ratio_lo), num(r->ratio_hi)));
        bad |= json_object_set_new(j, "four_fifths", json_boolean(r->four_fifths));
        bad |= json_object_set_new(j, "z", num(r->z));
        bad |= json_object_set_new(j, "p", num(r->p));
    }
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

rf_status rf_impact_csv_header(struct rf_buf *b)
{
    return rf_buf_puts(b, "decision,by,group,shown,n,selected,rate,rate_lo,rate_hi,highest,ratio,"
                          "ratio_lo,ratio_hi,four_fifths,z,p,reason\n");
}

rf_status rf_impact_row_csv(struct rf_buf *b, const char *decision, const char *by,
                            const struct rf_impact_group *g, const struct rf_impact_row *r)
{
    rf_status rc = rf_csv_put_field(b, decision);
    if (!rc)
        rc = text_cell(b, by);
    if (!rc)
        rc = text_cell(b, g->name);
    if (!rc && r->hidden) {
        rc = rf_buf_puts(b, ",0");
        for (int k = 0; !rc && k < 12; k++) /* n .. p */
            rc = rf_buf_putc(b, ',');
        if (!rc)
            rc = text_cell(b, rf_impact_hidden_text(r->hidden));
        return rc ? rc : rf_buf_putc(b, '\n');
    }
    if (!rc)
        rc = rf_buf_printf(b, ",1,%zu,%zu", g->n, g->selected);
    const double v[] = {r->rate, r->rate_lo, r->rate_hi};
    for (size_t k = 0; !rc && k < 3; k++)
        rc = cell(b, v[k]);
    if (!rc)
        rc = rf_buf_printf(b, ",%d", r->highest);
    const double w[] = {r->ratio, r->ratio_lo, r->ratio_hi};
    for (size_t k = 0; !rc && k < 3; k++)
        rc = cell(b, w[k]);
    if (!rc)
        rc = rf_buf_printf(b, ",%d", r->four_fifths);
    if (!rc)
        rc = cell(b, r->z);
    if (!rc)
        rc = cell(b, r->p);
    return rc ? rc : rf_buf_puts(b, ",\n");
}

json_t *rf_dif_poly_json(const char *id, const struct rf_dif_poly_result *r)
{
    json_t *j = json_pack("{s:s,s:b,s:b,s:I,s:I,s:{s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o},s:{s:o,s:o},"
                          "s:o}",
                          "id", id, "shown", 1, "graded", 1, "n_reference", (json_int_t)r->n_ref,
                          "n_focal", (json_int_t)r->n_focal, "la", "alpha", num(r->alpha_la), "ln",
                          num(r->ln_la), "se", num(r->se_ln_la), "d_dif", num(r->d_la), "se_d",
                          num(r->se_d_la), "mantel", "chi2", num(r->mantel_chi2), "p", num(r->p),
                          "smd", "smd", num(r->smd), "ratio", num(r->smd_ratio), "class",
                          letter(r->ets));
    return j;
}

rf_status rf_dif_poly_csv(struct rf_buf *b, const char *by, const char *reference,
                          const char *focal, const char *id, const struct rf_dif_poly_result *r)
{
    rf_status rc = rf_csv_put_field(b, by);
    if (!rc)
        rc = text_cell(b, reference);
    if (!rc)
        rc = text_cell(b, focal);
    if (!rc)
        rc = text_cell(b, id);
    if (!rc)
        rc = rf_buf_printf(b, ",1,%zu,%zu", r->n_ref, r->n_focal);
    const double v[] = {r->alpha_la, r->d_la, r->se_d_la, r->mantel_chi2, r->p};
    for (size_t k = 0; !rc && k < sizeof v / sizeof v[0]; k++)
        rc = cell(b, v[k]);
    if (!rc)
        rc = r->ets == '-' ? rf_buf_putc(b, ',') : rf_buf_printf(b, ",%c", r->ets);
    for (int k = 0; !rc && k < 8; k++) /* lr_chi2_uniform .. lr_class */
        rc = rf_buf_putc(b, ',');
    return rc ? rc : rf_buf_putc(b, '\n');
}
