/*
 * The application behind `rolefit serve`; see app.h. This file opens and
 * closes it, holds the helpers every flow shares (app_flow.h), the setup
 * token and the catalogue (skills, roles, bank overview). The flows have
 * rooms of their own: app_accounts.c (setup, sign-in, accounts),
 * app_invites.c, app_tests.c and app_followup.c (adaptive tests),
 * app_reports.c, app_postings.c (postings and ranking). Permission checks
 * happen in the flows, in one place per flow.
 */
#include "server/app.h"

#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/bank.h"
#include "bank/skills.h"
#include "base/config.h"
#include "base/escape.h"
#include "base/mem.h"
#include "careers/data.h"
#include "cat/pool.h"
#include "irt/quad.h"
#include "server/app_flow.h"
#include "server/auth.h"
#include "server/sesscache.h"
#include "store/store.h"

int64_t rf_app_now_s(void)
{
    return (int64_t)time(NULL);
}

/* Wall-clock milliseconds of response times (cfg.clock_ms, or the system's). */
int64_t rf_app_wall_ms(const struct rf_app *a)
{
    if (a->cfg.clock_ms)
        return a->cfg.clock_ms();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rf_app_log(struct rf_app *a, const char *fmt, ...)
{
    if (!a->cfg.log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    rf_text_sanitize_line(line); /* a label with a newline must not forge a log line */
    a->cfg.log(line);
}

rf_status(rf_app_fail)(struct rf_app_error *e, rf_status rc, const char *field, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[RF_ERRMSG_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->field = field;
    e->reason = NULL;
    e->nargs = 0;
    return rf_err_set(&e->err, rc, "%s", msg);
}

rf_status(rf_app_refuse)(struct rf_app_error *e, rf_status rc, const char *field,
                         const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[RF_ERRMSG_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->field = field;
    e->reason = reason;
    e->nargs = 0;
    return rf_err_set(&e->err, rc, "%s", msg);
}

/* The next free argument of e's refusal, named name; NULL when all are taken
 * (a programmer's error: each refusal names at most RF_APP_ERROR_ARGS). */
static struct rf_app_error_arg *next_arg(struct rf_app_error *e, const char *name)
{
    assert(e->nargs < RF_APP_ERROR_ARGS);
    if (e->nargs >= RF_APP_ERROR_ARGS)
        return NULL;
    struct rf_app_error_arg *x = &e->args[e->nargs++];
    memset(x, 0, sizeof *x);
    x->name = name;
    return x;
}

void rf_app_error_num(struct rf_app_error *e, const char *name, long long v)
{
    struct rf_app_error_arg *x = next_arg(e, name);
    if (x)
        x->num = v;
}

void rf_app_error_text(struct rf_app_error *e, const char *name, const char *v)
{
    struct rf_app_error_arg *x = next_arg(e, name);
    if (x) {
        x->is_text = 1;
        snprintf(x->text, sizeof x->text, "%s", v ? v : "");
    }
}

json_t *rf_app_error_detail(const struct rf_app_error *e)
{
    if (!e->reason)
        return NULL;
    json_t *d = json_object();
    for (size_t i = 0; d && i < e->nargs && i < RF_APP_ERROR_ARGS; i++) {
        const struct rf_app_error_arg *x = &e->args[i];
        json_object_set_new(d, x->name,
                            x->is_text ? json_string(x->text) : json_integer((json_int_t)x->num));
    }
    return d;
}

/* A required string field of a request object, trimmed length 1..max. */
rf_status rf_app_req_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e)
{
    const json_t *v = json_object_get(req, key);
    if (!v)
        return rf_app_fail(e, RF_EINVAL, key, "missing field '%s'", key);
    if (!json_is_string(v))
        return rf_app_fail(e, RF_EINVAL, key, "field '%s' must be a string", key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0)
        return rf_app_fail(e, RF_EINVAL, key, "field '%s' must not be empty", key);
    if (n > max)
        return rf_app_fail(e, RF_EINVAL, key, "field '%s' is longer than %zu bytes", key, max);
    if (strlen(s) != n)
        return rf_app_fail(e, RF_EINVAL, key, "field '%s' contains a NUL byte", key);
    /* Labels a person reads or a log records: no control characters, and no
     * bidirectional overrides that would make them render as something else.
     * Long texts (postings) may have line breaks; passwords are not shown. */
    size_t bad = strcmp(key, "password") ? rf_text_unsafe_at(s, max > 256) : 0;
    if (bad)
        return rf_app_fail(e, RF_EINVAL, key,
                           "field '%s' contains a control or bidirectional formatting character at "
                           "byte %zu",
                           key, bad - 1);
    *out = s;
    return RF_OK;
}

rf_status rf_app_opt_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e)
{
    *out = NULL;
    const json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v))
        return RF_OK;
    return rf_app_req_string(req, key, max, out, e);
}

int rf_app_valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>\"");
}

int rf_app_is_staff(const struct rf_principal *p)
{
    return p->user_id && (!strcmp(p->role, "admin") || !strcmp(p->role, "recruiter"));
}

static void sha_file_list(struct rf_app *a)
{
    /* bank version: hash of every item's id and parameters */
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < a->bank.n; i++) {
        const struct rf_item *it = &a->bank.items[i];
        char buf[512];
        snprintf(buf, sizeof buf, "%s|%s|%.9g|%.9g|%.9g|%d|%d", it->id, it->skill, it->irt.a,
                 it->irt.b, it->irt.c, it->key, it->retired);
        for (const char *s = buf; *s; s++) {
            h ^= (unsigned char)*s;
            h *= 1099511628211ULL;
        }
    }
    snprintf(a->bank_hash, sizeof a->bank_hash, "%016llx-%zu", h, a->bank.n);
}

rf_status rf_app_open(const struct rf_app_config *cfg, struct rf_app **out, struct rf_err *err)
{
    struct rf_app *a = calloc(1, sizeof *a);
    if (!a)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    pthread_mutex_init(&a->rjmu, NULL);
    pthread_cond_init(&a->rjcv, NULL);
    a->cfg = *cfg;
    atomic_init(&a->nstarted, 0);
    rf_bank_init(&a->bank);
    rf_status rc = rf_auth_init(err);
    if (!rc)
        rc = rf_careers_load(cfg->data_dir, &a->car, err);
    if (!rc)
        rc = rf_app_teams_load(a, err);
    if (!rc)
        rc = rf_app_interviews_load(a, err);
    if (!rc) {
        char path[4096];
        snprintf(path, sizeof path, "%s/common-passwords.txt", cfg->data_dir);
        rc = rf_auth_pwpolicy_load(&a->pw, path,
                                   cfg->password_min ? cfg->password_min : RF_PASSWORD_MIN, err);
    }
    if (!rc)
        rc = rf_bank_load_dir(cfg->bank_dir, &a->bank, err);
    if (!rc && a->bank.n == 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: the item bank is empty", cfg->bank_dir);
    if (!rc)
        rc = rf_quad_init_default(&a->q, err);
    /* The bundled bank carries authors' prior parameters: usable until
     * calibration replaces them; retired items and items a rater must score
     * never are. Revision 0 of the bank is the file as loaded; the active
     * revision is read from the store below (app_bankver.c). */
    if (!rc)
        rc = rf_app_bank_init(a, err);
    if (!rc && cfg->exposure) {
        size_t limited = 0;
        for (size_t i = 0; i < a->pool->n; i++)
            limited += (a->pool->usable[i] || a->opool->usable[i]) && a->pool->sh[i] < 1.0;
        rf_app_log(a, "exposure control: %zu items given with probability below 1 (%s)", limited,
                   cfg->exposure);
    }
    if (!rc)
        rc = rf_sesscache_new(RF_WEB_SESSION_CACHE, &a->live, err);
    if (!rc)
        rc = rf_whocache_new(RF_WEB_SESSION_CACHE, &a->who, err);
    if (!rc)
        rc = rf_store_open_opts(cfg->db, &(struct rf_store_options){.pool = cfg->db_pool},
                                &a->store, err);
    if (!rc) {
        sha_file_list(a);
        rc = rf_store_bank_version(a->store, a->bank_hash, (int64_t)a->bank.n, &a->bank_version,
                                   err);
    }
    const struct rf_app_bankver *cur;
    if (!rc)
        rc = rf_app_bank_current(a, &cur, err);
    if (rc) {
        rf_app_close(a);
        return rc;
    }
    *out = a;
    return RF_OK;
}

void rf_app_close(struct rf_app *a)
{
    if (!a)
        return;
    rf_app_recal_join(a); /* it reads the store and the bank versions */
    pthread_mutex_destroy(&a->rjmu);
    pthread_cond_destroy(&a->rjcv);
    rf_store_close(a->store);
    rf_sesscache_free(a->live);
    rf_whocache_free(a->who);
    rf_app_bank_free(a);
    rf_quad_cleanup(&a->q);
    rf_bank_cleanup(&a->bank);
    rf_team_spec_cleanup(&a->team);
    rf_readiness_cleanup(&a->readiness);
    rf_app_interviews_free(a);
    rf_careers_cleanup(&a->car);
    rf_auth_pwpolicy_cleanup(&a->pw);
    free(a);
}

const struct rf_app_config *rf_app_config(const struct rf_app *a)
{
    return &a->cfg;
}

struct rf_store *rf_app_store(const struct rf_app *a)
{
    return a->store;
}

/* ---- setup token (setup itself: app_accounts.c) ---- */

rf_status rf_app_setup_token(struct rf_app *a, char out[RF_TOKEN_LEN], struct rf_err *err)
{
    out[0] = '\0';
    int64_t n;
    rf_status rc = rf_store_user_count(a->store, &n, err);
    if (rc || n > 0)
        return rc;
    /* Every process that starts before setup prints its own token, and every
     * printed token works (several `rolefit serve` on one fresh database): each
     * token is its own setting, and "setup_state" lets only one setup through. */
    char h[RF_TOKEN_HASH_LEN], key[sizeof RF_SETUP_TOKEN_KEY + RF_TOKEN_HASH_LEN];
    rf_auth_token(out);
    rf_auth_token_hash(out, h);
    snprintf(key, sizeof key, "%s%s", RF_SETUP_TOKEN_KEY, h);
    char *state = NULL;
    if (!(rc = rf_store_setting_get(a->store, "setup_state", &state, err)) && !state)
        rc = rf_store_setting_set(a->store, "setup_state", "open", err);
    free(state);
    if (!rc)
        rc = rf_store_setting_set(a->store, key, "open", err);
    if (rc)
        out[0] = '\0';
    return rc;
}

/* ---- catalogue ---- */

json_t *rf_app_skills(struct rf_app *a, enum rf_lang lang)
{
    const struct rf_taxonomy *tax = &a->car.tax;
    json_t *arr = json_array();
    for (size_t i = 0; i < tax->nskills; i++) {
        const struct rf_skill *s = &tax->skills[i];
        size_t idx, n = 0;
        if (rf_cat_pool_skill(a->pool, s->id, &idx) == RF_OK)
            n = a->pool->nusable[idx];
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:I}", "id", s->id, "name",
                           rf_lang_pick(lang, s->name, s->name_ja), "task", s->task, "description",
                           rf_lang_pick(lang, s->description, s->description_ja), "items",
                           (json_int_t)n));
    }
    json_t *levels = json_array();
    for (int i = 0; i < RF_NLEVELS; i++)
        json_array_append_new(levels,
                              json_string(rf_lang_pick(lang, tax->levels[i], tax->levels_ja[i])));
    json_t *tasks = json_array();
    for (size_t i = 0; i < tax->ntasks; i++) {
        const struct rf_task *t = &tax->tasks[i];
        json_array_append_new(tasks, json_pack("{s:s,s:s,s:s}", "id", t->id, "name",
                                               rf_lang_pick(lang, t->name, t->name_ja),
                                               "description",
                                               rf_lang_pick(lang, t->description,
                                                            t->description_ja)));
    }
    return json_pack("{s:s,s:o,s:o,s:o}", "lang", rf_lang_code(lang), "skills", arr, "tasks",
                     tasks, "levels", levels);
}

json_t *rf_app_roles(struct rf_app *a, enum rf_lang lang)
{
    const struct rf_taxonomy *tax = &a->car.tax;
    json_t *arr = json_array();
    for (size_t r = 0; r < a->car.roles.n; r++) {
        const struct rf_role *ro = &a->car.roles.roles[r];
        json_t *reqs = json_array();
        for (size_t k = 0; k < ro->nreqs; k++) {
            const struct rf_role_req *q = &ro->reqs[k];
            const struct rf_skill *sk = &tax->skills[q->skill];
            json_array_append_new(
                reqs, json_pack("{s:s,s:s,s:s,s:b,s:f}", "skill", sk->id, "name",
                                rf_lang_pick(lang, sk->name, sk->name_ja), "level",
                                rf_lang_pick(lang, tax->levels[q->level], tax->levels_ja[q->level]),
                                "core", q->core, "weight", q->weight));
        }
        json_t *loop = json_array();
        for (size_t k = 0; k < ro->nloop; k++)
            json_array_append_new(
                loop, json_pack("{s:s,s:s}", "stage",
                                rf_lang_pick(lang, ro->loop[k].stage, ro->loop[k].stage_ja),
                                "what", rf_lang_pick(lang, ro->loop[k].what, ro->loop[k].what_ja)));
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", ro->id, "name",
                           rf_lang_pick(lang, ro->name, ro->name_ja), "kind", ro->kind,
                           "description", rf_lang_pick(lang, ro->description, ro->description_ja),
                           "requires", reqs, "loop", loop));
    }
    return json_pack("{s:s,s:o}", "lang", rf_lang_code(lang), "roles", arr);
}

rf_status rf_app_bank_overview(struct rf_app *a, const struct rf_principal *p, json_t **out,
                               struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see the bank");
    json_t *skills = json_array();
    size_t total = 0, calibrated = 0, retired = 0;
    for (size_t s = 0; s < a->car.tax.nskills; s++) {
        const char *sid = a->car.tax.skills[s].id;
        size_t band[3] = {0, 0, 0}, n = 0, cal = 0, ret = 0;
        for (size_t i = 0; i < a->bank.n; i++) {
            const struct rf_item *it = &a->bank.items[i];
            if (strcmp(it->skill, sid) != 0)
                continue;
            n++;
            cal += it->calibrated != 0;
            ret += it->retired != 0;
            enum rf_difficulty d = rf_difficulty_parse(it->difficulty);
            if (d >= RF_DIFF_EASY && d <= RF_DIFF_EXPERT) /* expert counts as hard here */
                band[d == RF_DIFF_EXPERT ? RF_DIFF_HARD : d]++;
        }
        total += n;
        calibrated += cal;
        retired += ret;
        json_array_append_new(skills,
                              json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "id", sid, "name",
                                        a->car.tax.skills[s].name, "name_ja",
                                        rf_lang_pick(RF_JA, a->car.tax.skills[s].name,
                                                     a->car.tax.skills[s].name_ja),
                                        "items", (json_int_t)n, "easy",
                                        (json_int_t)band[0], "medium", (json_int_t)band[1], "hard",
                                        (json_int_t)band[2], "calibrated", (json_int_t)cal,
                                        "retired", (json_int_t)ret));
    }
    *out = json_pack("{s:o,s:I,s:I,s:I,s:s,s:I}", "skills", skills, "items", (json_int_t)total,
                     "calibrated", (json_int_t)calibrated, "retired", (json_int_t)retired,
                     "version", a->bank_hash, "version_id", (json_int_t)a->bank_version);
    return RF_OK;
}
