/*
 * Calibration output: bank-ready JSON built through jansson (item fields by
 * rf_params_to_json, so rf_params_load and `rolefit score --params` read it
 * back) and CSV, one row per item. Values that do not exist (SEs of fixed
 * items, fit not computed) are JSON null and empty CSV cells, never NaN.
 */
#include <math.h>
#include <string.h>

#include "calib/calib.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int is_grm(const struct rf_calib_item *ri)
{
    return ri->it.model == RF_MODEL_GRM;
}

rf_status rf_calib_result_to_json(const struct rf_calib_result *res, json_t **out)
{
    json_t *root = json_object(), *items = json_array(), *sum = json_object();
    int bad = !root || !items || !sum;
    for (size_t j = 0; j < res->nitems && !bad; j++) {
        const struct rf_calib_item *ri = &res->items[j];
        json_t *o = json_object(), *se = json_object();
        bad |= !o || !se;
        if (bad) {
            json_decref(o);
            json_decref(se);
            break;
        }
        bad |= json_object_set_new(o, "id", json_string(res->ids[j]));
        bad |= rf_params_to_json(&ri->it, o) != RF_OK;
        if (is_grm(ri)) {
            json_t *d = json_array(), *sb = json_array(), *sd = json_array();
            for (size_t k = 0; k + 1 < ri->it.ncat; k++) {
                bad |= json_array_append_new(d, json_real(-ri->it.a * ri->it.thr[k]));
                bad |= json_array_append_new(sb, num(ri->se_b[k]));
                bad |= json_array_append_new(sd, num(ri->se_d[k]));
            }
            bad |= json_object_set_new(o, "intercepts", d);
            bad |= json_object_set_new(se, "thresholds", sb);
            bad |= json_object_set_new(se, "intercepts", sd);
        } else {
            bad |= json_object_set_new(se, "b", num(ri->se_b[0]));
            bad |= json_object_set_new(se, "d", num(ri->se_d[0]));
            if (ri->it.model == RF_MODEL_3PL)
                bad |= json_object_set_new(se, "c", num(ri->se_c));
        }
        bad |= json_object_set_new(se, "a", num(ri->se_a));
        bad |= json_object_set_new(o, "se", se);
        bad |= json_object_set_new(o, "fixed", json_boolean(ri->fixed));
        bad |= json_object_set_new(o, "n", json_integer((json_int_t)ri->n));
        if (isfinite(ri->sx2)) {
            json_t *fit = json_object();
            bad |= json_object_set_new(fit, "sx2", json_real(ri->sx2));
            bad |= json_object_set_new(fit, "df", json_integer((json_int_t)ri->sx2_df));
            bad |= json_object_set_new(fit, "p", num(ri->sx2_p));
            bad |= json_object_set_new(o, "fit", fit);
        }
        bad |= json_array_append_new(items, o);
    }
    if (!bad) {
        bad |= json_object_set_new(sum, "model",
                                   json_string(res->per_item ? "per item"
                                                             : rf_irt_model_name(res->model)));
        bad |= json_object_set_new(sum, "persons", json_integer((json_int_t)res->npersons));
        bad |= json_object_set_new(sum, "persons_without_responses",
                                   json_integer((json_int_t)res->npersons_empty));
        bad |= json_object_set_new(sum, "patterns", json_integer((json_int_t)res->npatterns));
        bad |= json_object_set_new(sum, "kernel", json_string(res->kernel));
        bad |= json_object_set_new(sum, "loglik", num(res->loglik));
        bad |= json_object_set_new(sum, "aic", num(res->aic));
        bad |= json_object_set_new(sum, "bic", num(res->bic));
        bad |= json_object_set_new(sum, "parameters", json_integer((json_int_t)res->npar));
        bad |= json_object_set_new(sum, "iterations", json_integer((json_int_t)res->iterations));
        bad |= json_object_set_new(sum, "converged", json_boolean(res->converged));
        bad |= json_object_set_new(sum, "max_change", num(res->max_change));
        bad |= json_object_set_new(sum, "reliability", num(res->reliability));
        json_t *quad = json_object(), *lat = json_object();
        bad |= json_object_set_new(quad, "nodes", json_integer((json_int_t)res->nquad));
        bad |= json_object_set_new(quad, "lo", json_real(res->lo));
        bad |= json_object_set_new(quad, "hi", json_real(res->hi));
        bad |= json_object_set_new(sum, "quadrature", quad);
        bad |= json_object_set_new(lat, "mean", json_real(res->latent_mean));
        bad |= json_object_set_new(lat, "sd", json_real(res->latent_sd));
        bad |= json_object_set_new(sum, "latent", lat);
        bad |= json_object_set_new(sum, "standard_errors",
                                   json_string(res->se_ok ? "cross-product" : "none"));
        if (res->fit_note)
            bad |= json_object_set_new(sum, "fit_note", json_string(res->fit_note));
        bad |= json_object_set_new(root, "items", items);
        bad |= json_object_set_new(root, "summary", sum);
        items = sum = NULL;
    }
    if (bad) {
        json_decref(items);
        json_decref(sum);
        json_decref(root);
        return RF_ENOMEM;
    }
    *out = root;
    return RF_OK;
}

/* One CSV cell: quoted when it holds a comma, quote or line break. */
static rf_status cell(struct rf_buf *b, const char *s, int first)
{
    rf_status rc = first ? RF_OK : rf_buf_putc(b, ',');
    if (rc || !s[0])
        return rc;
    if (!strpbrk(s, ",\"\r\n"))
        return rf_buf_puts(b, s);
    rc = rf_buf_putc(b, '"');
    for (const char *p = s; *p && !rc; p++)
        rc = *p == '"' ? rf_buf_puts(b, "\"\"") : rf_buf_putc(b, *p);
    return rc ? rc : rf_buf_putc(b, '"');
}

static rf_status cell_num(struct rf_buf *b, double v)
{
    if (!isfinite(v))
        return rf_buf_putc(b, ',');
    return rf_buf_printf(b, ",%.6f", v);
}

rf_status rf_calib_result_to_csv(const struct rf_calib_result *res, struct rf_buf *b)
{
    size_t K = 0; /* thresholds of the widest graded item */
    for (size_t j = 0; j < res->nitems; j++)
        if (is_grm(&res->items[j]) && res->items[j].it.ncat - 1 > K)
            K = res->items[j].it.ncat - 1;
    rf_status rc = rf_buf_puts(b, "id,model,a,b,c,d");
    for (size_t k = 1; k <= K && !rc; k++)
        rc = rf_buf_printf(b, ",b%zu,d%zu", k, k);
    if (!rc)
        rc = rf_buf_puts(b, ",se_a,se_b,se_c,se_d");
    for (size_t k = 1; k <= K && !rc; k++)
        rc = rf_buf_printf(b, ",se_b%zu,se_d%zu", k, k);
    if (!rc)
        rc = rf_buf_puts(b, ",n,sx2,df,p\n");
    for (size_t j = 0; j < res->nitems && !rc; j++) {
        const struct rf_calib_item *ri = &res->items[j];
        const struct rf_irt_item *it = &ri->it;
        int g = is_grm(ri);
        rc = cell(b, res->ids[j], 1);
        if (!rc)
            rc = rf_buf_printf(b, ",%s", rf_irt_model_name(it->model));
        if (!rc)
            rc = cell_num(b, it->a);
        if (!rc)
            rc = cell_num(b, g ? NAN : it->b);
        if (!rc)
            rc = cell_num(b, g ? NAN : it->c);
        if (!rc)
            rc = cell_num(b, g ? NAN : -it->a * it->b);
        for (size_t k = 0; k < K && !rc; k++) {
            int has = g && k + 1 < it->ncat;
            rc = cell_num(b, has ? it->thr[k] : NAN);
            if (!rc)
                rc = cell_num(b, has ? -it->a * it->thr[k] : NAN);
        }
        if (!rc)
            rc = cell_num(b, ri->se_a);
        if (!rc)
            rc = cell_num(b, g ? NAN : ri->se_b[0]);
        if (!rc)
            rc = cell_num(b, ri->se_c);
        if (!rc)
            rc = cell_num(b, g ? NAN : ri->se_d[0]);
        for (size_t k = 0; k < K && !rc; k++) {
            int has = g && k + 1 < it->ncat;
            rc = cell_num(b, has ? ri->se_b[k] : NAN);
            if (!rc)
                rc = cell_num(b, has ? ri->se_d[k] : NAN);
        }
        if (!rc)
            rc = rf_buf_printf(b, ",%zu", ri->n);
        if (!rc)
            rc = cell_num(b, ri->sx2);
        if (!rc)
            rc = isfinite(ri->sx2) ? rf_buf_printf(b, ",%zu", ri->sx2_df) : rf_buf_putc(b, ',');
        if (!rc)
            rc = cell_num(b, ri->sx2_p);
        if (!rc)
            rc = rf_buf_putc(b, '\n');
    }
    return rc;
}
