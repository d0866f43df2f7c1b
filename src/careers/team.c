/*
 * Team coverage over the deployment roles and lifecycle tasks, single points
 * of failure and the next hire (careers/team.h).
 */
#include "careers/team.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/fit.h"
#include "careers/profile.h"

void rf_team_spec_cleanup(struct rf_team_spec *s)
{
    if (!s)
        return;
    free(s->roles);
    free(s->tasks);
    memset(s, 0, sizeof *s);
}

rf_status rf_team_spec_load_mem(const char *name, const char *data, size_t len,
                                const struct rf_careers *c, struct rf_team_spec *out,
                                struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_team_spec tmp = {0};
    int present = 0;
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    if (!rc)
        rc = rf_careers_refs(c, root, "deployment_roles", RF_REF_ROLE, &tmp.roles, &tmp.nroles,
                             name, err);
    if (!rc)
        rc = rf_careers_refs(c, root, "lifecycle_tasks", RF_REF_TASK, &tmp.tasks, &tmp.ntasks,
                             name, err);
    if (!rc)
        rc = rf_json_get_number(root, "task_weight", 1, &tmp.task_weight, &present, name, err);
    if (!rc && !(tmp.task_weight > 0 && tmp.task_weight <= 1))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'task_weight': expected a share in (0, 1]",
                        name);
    for (size_t i = 0; !rc && i < tmp.ntasks; i++) { /* every task has a role that carries it */
        size_t carriers = 0;
        for (size_t r = 0; r < c->roles.n; r++)
            carriers += c->roles.roles[r].task_weights[tmp.tasks[i]] >= tmp.task_weight;
        if (!carriers)
            rc = rf_err_set(err, RF_EINVAL,
                            "%s: lifecycle_tasks[%zu]: no role gives task '%s' a share of %g "
                            "or more, so no one could carry it",
                            name, i, c->tax.tasks[tmp.tasks[i]].id, tmp.task_weight);
    }
    json_decref(root);
    if (rc) {
        rf_team_spec_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_team_spec_load(const char *path, const struct rf_careers *c, struct rf_team_spec *out,
                            struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    rc = rf_team_spec_load_mem(base ? base + 1 : path, data, len, c, out, err);
    free(data);
    return rc;
}

/* Whether profile p measured every core skill of role ro. */
static int core_measured(const struct rf_profile *p, const struct rf_roles *roles,
                         const struct rf_role *ro)
{
    for (size_t k = 0; k < ro->nreqs; k++)
        if (ro->reqs[k].core &&
            !rf_profile_find(p, roles->tax->skills[ro->reqs[k].skill].id))
            return 0;
    return 1;
}

rf_status rf_team_member_roles(const struct rf_profile *p, const struct rf_roles *roles,
                               double *prob, int *measured, struct rf_err *err)
{
    /* a role whose core skills the profile lacks is not met (no fit needed);
     * the others are fitted together, the profile's model built once */
    size_t need = 0;
    for (size_t r = 0; r < roles->n; r++) {
        int all = core_measured(p, roles, &roles->roles[r]);
        prob[r] = 0;
        if (measured)
            measured[r] = all;
        need += all;
    }
    if (!need)
        return RF_OK;
    struct rf_role_fit *f;
    rf_status rc = rf_fit_all(p, roles, &f, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < roles->n; i++) {
        size_t r = (size_t)(f[i].role - roles->roles);
        if (core_measured(p, roles, f[i].role))
            prob[r] = f[i].p_core;
    }
    rf_fit_free_all(f, roles->n);
    return RF_OK;
}

double rf_team_member_task(const struct rf_careers *c, const struct rf_team_spec *s,
                           const double *pm_row, size_t t)
{
    double best = 0;
    for (size_t r = 0; r < c->roles.n; r++)
        if (c->roles.roles[r].task_weights[t] >= s->task_weight && pm_row[r] > best)
            best = pm_row[r];
    return best;
}

void rf_team_coverage(const struct rf_careers *c, const struct rf_team_spec *s, const double *pm,
                      size_t nm, size_t skip, double *role_cov, double *task_cov)
{
    size_t nr = c->roles.n;
    for (size_t r = 0; r < nr; r++) {
        double none = 1;
        for (size_t m = 0; m < nm; m++)
            if (m != skip)
                none *= 1 - pm[m * nr + r];
        role_cov[r] = 1 - none;
    }
    for (size_t t = 0; t < c->tax.ntasks; t++)
        task_cov[t] = 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        size_t t = s->tasks[i];
        double none = 1;
        for (size_t m = 0; m < nm; m++)
            if (m != skip)
                none *= 1 - rf_team_member_task(c, s, pm + m * nr, t);
        task_cov[t] = 1 - none;
    }
}

double rf_team_score(const struct rf_team_spec *s, const double *role_cov)
{
    double sum = 0;
    for (size_t i = 0; i < s->nroles; i++)
        sum += role_cov[s->roles[i]];
    return sum / (double)s->nroles;
}

int rf_team_hire_meets(const struct rf_role *h, const struct rf_role *r)
{
    for (size_t k = 0; k < r->nreqs; k++) {
        if (!r->reqs[k].core)
            continue;
        const struct rf_role_req *q = rf_role_req_find(h, r->reqs[k].skill);
        if (!q || q->level < r->reqs[k].level)
            return 0;
    }
    return 1;
}

static double task_sum(const struct rf_team_spec *s, const double *task_cov)
{
    double sum = 0;
    for (size_t i = 0; i < s->ntasks; i++)
        sum += task_cov[s->tasks[i]];
    return sum;
}

static int by_gain(const void *x, const void *y)
{
    const struct rf_team_hire *a = x, *b = y;
    /* gains are compared to 1e-12 so that rounding cannot reorder equal hires */
    if (fabs(a->gain - b->gain) > 1e-12)
        return a->gain < b->gain ? 1 : -1;
    if (fabs(a->task_gain - b->task_gain) > 1e-12)
        return a->task_gain < b->task_gain ? 1 : -1;
    return (a->role > b->role) - (a->role < b->role);
}

rf_status rf_team_next_hires(const struct rf_careers *c, const struct rf_team_spec *s,
                             const double *pm, size_t nm, struct rf_team_hire *out,
                             struct rf_err *err)
{
    size_t nr = c->roles.n, nt = c->tax.ntasks;
    double *with = rf_calloc_array((nm + 1) * nr, sizeof *with);
    double *rc0 = rf_calloc_array(nr, sizeof *rc0), *rc1 = rf_calloc_array(nr, sizeof *rc1);
    double *tc0 = rf_calloc_array(nt, sizeof *tc0), *tc1 = rf_calloc_array(nt, sizeof *tc1);
    rf_status rc = RF_OK;
    if (!with || !rc0 || !rc1 || !tc0 || !tc1) {
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
        goto out;
    }
    if (nm)
        memcpy(with, pm, nm * nr * sizeof *with);
    rf_team_coverage(c, s, pm, nm, (size_t)-1, rc0, tc0);
    double base = rf_team_score(s, rc0), tbase = task_sum(s, tc0);
    for (size_t i = 0; i < s->nroles; i++) {
        const struct rf_role *h = &c->roles.roles[s->roles[i]];
        for (size_t r = 0; r < nr; r++)
            with[nm * nr + r] = rf_team_hire_meets(h, &c->roles.roles[r]);
        rf_team_coverage(c, s, with, nm + 1, (size_t)-1, rc1, tc1);
        out[i].role = s->roles[i];
        out[i].gain = rf_team_score(s, rc1) - base;
        out[i].task_gain = task_sum(s, tc1) - tbase;
    }
    qsort(out, s->nroles, sizeof *out, by_gain);
out:
    free(with);
    free(rc0);
    free(rc1);
    free(tc0);
    free(tc1);
    return rc;
}

size_t rf_team_single_point(const struct rf_careers *c, const struct rf_team_spec *s,
                            const double *pm, size_t nm, size_t t)
{
    size_t nr = c->roles.n, who = (size_t)-1, likely = 0;
    for (size_t m = 0; m < nm; m++)
        if (rf_team_member_task(c, s, pm + m * nr, t) >= 0.5) {
            likely++;
            who = m;
        }
    if (likely != 1)
        return (size_t)-1;
    double none = 1;
    for (size_t m = 0; m < nm; m++)
        if (m != who)
            none *= 1 - rf_team_member_task(c, s, pm + m * nr, t);
    return 1 - none < 0.5 ? who : (size_t)-1;
}

void rf_team_view_cleanup(struct rf_team_view *v)
{
    if (!v)
        return;
    free(v->pm);
    free(v->measured);
    free(v->role_cov);
    free(v->task_cov);
    free(v->hires);
    memset(v, 0, sizeof *v);
}

rf_status rf_team_view_build(const struct rf_careers *c, const struct rf_team_spec *s,
                             const struct rf_profile *prof, size_t nm, struct rf_team_view *v,
                             struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    size_t nr = c->roles.n, k = nm ? nm : 1;
    v->nm = nm;
    rf_status rc = RF_OK;
    if (!(v->pm = rf_calloc_array(k * nr, sizeof *v->pm)) ||
        !(v->measured = rf_calloc_array(k * nr, sizeof *v->measured)) ||
        !(v->role_cov = rf_calloc_array(nr, sizeof *v->role_cov)) ||
        !(v->task_cov = rf_calloc_array(c->tax.ntasks, sizeof *v->task_cov)) ||
        !(v->hires = rf_calloc_array(s->nroles, sizeof *v->hires)))
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    for (size_t m = 0; !rc && m < nm; m++)
        rc = rf_team_member_roles(&prof[m], &c->roles, v->pm + m * nr, v->measured + m * nr, err);
    if (!rc) {
        rf_team_coverage(c, s, v->pm, nm, (size_t)-1, v->role_cov, v->task_cov);
        rc = rf_team_next_hires(c, s, v->pm, nm, v->hires, err);
    }
    if (rc)
        rf_team_view_cleanup(v);
    return rc;
}

static const char *call_of(double p)
{
    return p >= RF_FIT_MET ? "covered" : p <= RF_FIT_BELOW ? "not covered" : "undecided";
}

/* What hire h closes: the deployment roles it meets that the team does not
 * cover, and the lifecycle tasks whose coverage it raises. */
static json_t *closes_json(const struct rf_careers *c, const struct rf_team_spec *s,
                           const struct rf_team_view *v, size_t h)
{
    const struct rf_role *hr = &c->roles.roles[h];
    json_t *roles = json_array(), *tasks = json_array();
    for (size_t i = 0; roles && i < s->nroles; i++) {
        size_t r = s->roles[i];
        if (v->role_cov[r] < RF_FIT_MET && rf_team_hire_meets(hr, &c->roles.roles[r]))
            json_array_append_new(roles, json_pack("{ssss}", "role", c->roles.roles[r].id,
                                                   "name", c->roles.roles[r].name));
    }
    for (size_t i = 0; tasks && i < s->ntasks; i++) {
        size_t t = s->tasks[i];
        if (v->task_cov[t] < 1 - 1e-9 && hr->task_weights[t] >= s->task_weight)
            json_array_append_new(tasks, json_pack("{ssss}", "task", c->tax.tasks[t].id, "name",
                                                   c->tax.tasks[t].name));
    }
    return json_pack("{soso}", "roles", roles ? roles : json_array(), "tasks",
                     tasks ? tasks : json_array());
}

json_t *rf_team_view_json(const struct rf_careers *c, const struct rf_team_spec *s,
                          const struct rf_team_view *v, const char *const *names)
{
    size_t nr = c->roles.n;
    json_t *o = json_object(), *roles = json_array(), *tasks = json_array(),
           *hires = json_array(), *members = json_array();
    if (!o || !roles || !tasks || !hires || !members) {
        json_decref(o);
        json_decref(roles);
        json_decref(tasks);
        json_decref(hires);
        json_decref(members);
        return NULL;
    }
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "roles", roles);
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "score", json_real(rf_team_score(s, v->role_cov)));
    json_object_set_new(o, "hires", hires);
    for (size_t m = 0; m < v->nm; m++)
        json_array_append_new(members, json_string(names[m]));
    for (size_t i = 0; i < s->nroles; i++) {
        size_t r = s->roles[i], unmeasured = 0;
        json_t *by = json_array();
        for (size_t m = 0; by && m < v->nm; m++) {
            unmeasured += !v->measured[m * nr + r];
            json_array_append_new(by, json_pack("{sssfsb}", "member", names[m], "prob",
                                                v->pm[m * nr + r], "measured",
                                                v->measured[m * nr + r]));
        }
        json_array_append_new(roles, json_pack("{sssssfsssIsO}", "role", c->roles.roles[r].id,
                                               "name", c->roles.roles[r].name, "prob",
                                               v->role_cov[r], "call", call_of(v->role_cov[r]),
                                               "unmeasured", (json_int_t)unmeasured, "members",
                                               by));
        json_decref(by);
    }
    for (size_t i = 0; i < s->ntasks; i++) {
        size_t k = s->tasks[i];
        size_t who = rf_team_single_point(c, s, v->pm, v->nm, k);
        json_array_append_new(tasks, json_pack("{sssssfssso}", "task", c->tax.tasks[k].id,
                                               "name", c->tax.tasks[k].name, "prob",
                                               v->task_cov[k], "call", call_of(v->task_cov[k]),
                                               "single_point",
                                               who == (size_t)-1 ? json_null()
                                                                 : json_string(names[who])));
    }
    for (size_t i = 0; i < s->nroles; i++) {
        size_t h = v->hires[i].role;
        json_array_append_new(hires, json_pack("{sssssfsfso}", "role", c->roles.roles[h].id,
                                               "name", c->roles.roles[h].name, "gain",
                                               v->hires[i].gain, "task_gain",
                                               v->hires[i].task_gain, "closes",
                                               closes_json(c, s, v, h)));
    }
    return o;
}
