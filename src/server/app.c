/*
 * The application behind `rolefit serve`; see app.h. Invariants: the bank,
 * taxonomy, roles and pool are loaded once at start and never change while
 * the server runs, so handlers read them without locks; everything mutable
 * lives in the store. Permission checks happen here, in one place per flow.
 */
#include "server/app.h"

#include <ctype.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bank/answer.h"
#include "bank/bank.h"
#include "bank/skills.h"
#include "base/config.h"
#include "base/escape.h"
#include "base/mem.h"
#include "careers/data.h"
#include "careers/profile.h"
#include "careers/report.h"
#include "careers/html_report.h"
#include "careers/posting.h"
#include "careers/rank.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "cat/pool.h"
#include "base/rng.h"
#include "irt/quad.h"
#include "server/sesscache.h"
#include "server/signals.h"
#include "server/roletest.h"
#include "store/store.h"
#include <sodium.h>

struct rf_app {
    struct rf_app_config cfg;
    struct rf_store *store;
    struct rf_bank bank;
    struct rf_careers car; /* taxonomy, roles, learning guidance */
    struct rf_pwpolicy pw; /* what a new password must satisfy */
    struct rf_quad q;
    struct rf_cat_pool *pool;
    struct rf_sesscache *live; /* sessions between requests (sesscache.h) */
    char bank_hash[RF_TOKEN_HASH_LEN];
    int64_t bank_version;
    atomic_uint_fast64_t nstarted; /* tests seeded so far (cfg.seed) */
};

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* Wall-clock milliseconds of response times (cfg.clock_ms, or the system's). */
static int64_t wall_ms(const struct rf_app *a)
{
    if (a->cfg.clock_ms)
        return a->cfg.clock_ms();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void app_log(struct rf_app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void app_log(struct rf_app *a, const char *fmt, ...)
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

/* Records an error with the request field at fault. */
static rf_status fail(struct rf_app_error *e, rf_status rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static rf_status fail(struct rf_app_error *e, rf_status rc, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[RF_ERRMSG_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->field = field;
    return rf_err_set(&e->err, rc, "%s", msg);
}
#ifdef __clang_analyzer__
/* As for rf_err_set (base/err.h): the analyzer does not follow variadic calls. */
#define fail(e, rc, ...) (fail((e), (rc), __VA_ARGS__), (rc))
#endif

/* A required string field of a request object, trimmed length 1..max. */
static rf_status req_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e)
{
    const json_t *v = json_object_get(req, key);
    if (!v)
        return fail(e, RF_EINVAL, key, "missing field '%s'", key);
    if (!json_is_string(v))
        return fail(e, RF_EINVAL, key, "field '%s' must be a string", key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0)
        return fail(e, RF_EINVAL, key, "field '%s' must not be empty", key);
    if (n > max)
        return fail(e, RF_EINVAL, key, "field '%s' is longer than %zu bytes", key, max);
    if (strlen(s) != n)
        return fail(e, RF_EINVAL, key, "field '%s' contains a NUL byte", key);
    /* Labels a person reads or a log records: no control characters, and no
     * bidirectional overrides that would make them render as something else.
     * Long texts (postings) may have line breaks; passwords are not shown. */
    size_t bad = strcmp(key, "password") ? rf_text_unsafe_at(s, max > 256) : 0;
    if (bad)
        return fail(e, RF_EINVAL, key,
                    "field '%s' contains a control or bidirectional formatting character at "
                    "byte %zu",
                    key, bad - 1);
    *out = s;
    return RF_OK;
}

static rf_status opt_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e)
{
    *out = NULL;
    const json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v))
        return RF_OK;
    return req_string(req, key, max, out, e);
}

static int valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>\"");
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
    a->cfg = *cfg;
    atomic_init(&a->nstarted, 0);
    rf_bank_init(&a->bank);
    rf_status rc = rf_auth_init(err);
    if (!rc)
        rc = rf_careers_load(cfg->data_dir, &a->car, err);
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
     * never are. */
    if (!rc)
        rc = rf_cat_pool_from_bank(&a->bank, RF_CAT_POOL_SCORED, &a->q, &a->pool, err);
    if (!rc && cfg->exposure) {
        rc = rf_cat_exposure_load(a->pool, cfg->exposure, err);
        size_t limited = 0;
        for (size_t i = 0; !rc && i < a->pool->n; i++)
            limited += a->pool->usable[i] && a->pool->sh[i] < 1.0;
        if (!rc)
            app_log(a, "exposure control: %zu items given with probability below 1 (%s)", limited,
                    cfg->exposure);
    }
    if (!rc)
        rc = rf_sesscache_new(RF_WEB_SESSION_CACHE, &a->live, err);
    if (!rc)
        rc = rf_store_open(cfg->db, &a->store, err);
    if (!rc) {
        sha_file_list(a);
        rc = rf_store_bank_version(a->store, a->bank_hash, (int64_t)a->bank.n, &a->bank_version,
                                   err);
    }
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
    rf_store_close(a->store);
    rf_sesscache_free(a->live);
    rf_cat_pool_free(a->pool);
    rf_quad_cleanup(&a->q);
    rf_bank_cleanup(&a->bank);
    rf_careers_cleanup(&a->car);
    rf_auth_pwpolicy_cleanup(&a->pw);
    free(a);
}

const struct rf_app_config *rf_app_config(const struct rf_app *a)
{
    return &a->cfg;
}

/* ---- setup, accounts, cookie sessions ---- */

rf_status rf_app_setup_token(struct rf_app *a, char out[RF_TOKEN_LEN], struct rf_err *err)
{
    out[0] = '\0';
    int64_t n;
    rf_status rc = rf_store_user_count(a->store, &n, err);
    if (rc || n > 0)
        return rc;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token(out);
    rf_auth_token_hash(out, h);
    return rf_store_setting_set(a->store, "setup_token_hash", h, err);
}

rf_status rf_app_setup(struct rf_app *a, const json_t *req, int64_t *user_id,
                       struct rf_app_error *e)
{
    const char *token, *org, *name, *email, *password;
    rf_status rc;
    if ((rc = req_string(req, "token", 128, &token, e)) ||
        (rc = req_string(req, "organization", 200, &org, e)) ||
        (rc = req_string(req, "name", 200, &name, e)) ||
        (rc = req_string(req, "email", 254, &email, e)) ||
        (rc = req_string(req, "password", 256, &password, e)))
        return rc;
    int64_t n;
    if ((rc = rf_store_user_count(a->store, &n, &e->err)))
        return rc;
    if (n > 0)
        return fail(e, RF_ECONFLICT, NULL, "setup is already done; sign in instead");
    if (!valid_email(email))
        return fail(e, RF_EINVAL, "email", "'%s' is not an email address", email);
    char ph[RF_PWHASH_LEN];
    if ((rc = rf_auth_password_check(&a->pw, password, email, &e->err)) ||
        (rc = rf_auth_hash_password(password, ph, &e->err))) {
        e->field = "password";
        return rc;
    }
    /* the token is consumed atomically: of two setups racing, one wins */
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    rc = rf_store_setting_swap(a->store, "setup_token_hash", h, "used", &e->err);
    if (rc == RF_ECONFLICT)
        return fail(e, RF_EPERM, "token", "the setup token is not valid (see the server log)");
    if (rc)
        return rc;
    int64_t org_id;
    if ((rc = rf_store_org_create(a->store, org, &org_id, &e->err)) ||
        (rc = rf_store_user_create(a->store, org_id, email, name, "admin", ph, user_id, &e->err)))
        return rc;
    app_log(a, "setup: created organization '%s' and admin %s", org, email);
    return RF_OK;
}

rf_status rf_app_login(struct rf_app *a, const json_t *req, int64_t *user_id,
                       struct rf_app_error *e)
{
    const char *email, *password;
    rf_status rc;
    if ((rc = req_string(req, "email", 254, &email, e)) ||
        (rc = req_string(req, "password", 256, &password, e)))
        return rc;
    struct rf_user u;
    rc = rf_store_user_by_email(a->store, email, &u, &e->err);
    if (rc == RF_ENOTFOUND) {
        /* same work and answer as a wrong password */
        rf_auth_check_password(rf_auth_dummy_hash(), password);
        return fail(e, RF_EPERM, NULL, "wrong email or password");
    }
    if (rc)
        return rc;
    int ok = rf_auth_check_password(u.pw_hash, password);
    *user_id = u.id;
    rf_store_user_cleanup(&u);
    if (!ok)
        return fail(e, RF_EPERM, NULL, "wrong email or password");
    return RF_OK;
}

rf_status rf_app_session_new(struct rf_app *a, int64_t user_id, int64_t candidate_id,
                             char token[RF_TOKEN_LEN], char csrf[RF_TOKEN_LEN], struct rf_err *err)
{
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token(token);
    rf_auth_token(csrf);
    rf_auth_token_hash(token, h);
    struct rf_auth au = {user_id, candidate_id, csrf, now_s() + RF_AUTH_LIFETIME};
    return rf_store_auth_create(a->store, h, &au, err);
}

rf_status rf_app_principal(struct rf_app *a, const char *token, struct rf_principal *p,
                           struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    if (!token || !token[0] || strlen(token) >= RF_TOKEN_LEN)
        return RF_OK;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    struct rf_auth au;
    rf_status rc = rf_store_auth_get(a->store, h, now_s(), &au, err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    snprintf(p->csrf, sizeof p->csrf, "%s", au.csrf);
    if (au.user_id) {
        struct rf_user u;
        rc = rf_store_user_get(a->store, au.user_id, &u, err);
        if (rc == RF_OK) {
            p->user_id = u.id;
            p->org_id = u.org_id;
            snprintf(p->role, sizeof p->role, "%s", u.role);
            rf_store_user_cleanup(&u);
        }
    } else if (au.candidate_id) {
        struct rf_candidate c;
        rc = rf_store_candidate_get(a->store, au.candidate_id, &c, err);
        if (rc == RF_OK) {
            p->candidate_id = c.id;
            p->org_id = c.org_id;
            snprintf(p->role, sizeof p->role, "candidate");
            rf_store_candidate_cleanup(&c);
        }
    }
    rf_store_auth_cleanup(&au);
    if (rc == RF_ENOTFOUND) {
        memset(p, 0, sizeof *p);
        return RF_OK;
    }
    return rc;
}

rf_status rf_app_logout(struct rf_app *a, const char *token, struct rf_err *err)
{
    if (!token || !token[0])
        return RF_OK;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    return rf_store_auth_delete(a->store, h, err);
}

json_t *rf_app_me(struct rf_app *a, const struct rf_principal *p)
{
    json_t *j = json_object();
    json_object_set_new(j, "practice", json_boolean(a->cfg.practice));
    if (p->user_id) {
        struct rf_user u;
        struct rf_err err;
        if (rf_store_user_get(a->store, p->user_id, &u, &err) == RF_OK) {
            json_object_set_new(j, "user",
                                json_pack("{s:I,s:s,s:s,s:s,s:I}", "id", (json_int_t)u.id,
                                          "email", u.email, "name", u.name, "role", u.role,
                                          "organization", (json_int_t)u.org_id));
            rf_store_user_cleanup(&u);
        }
    } else if (p->candidate_id) {
        json_object_set_new(j, "candidate", json_integer(p->candidate_id));
    }
    if (p->csrf[0])
        json_object_set_new(j, "csrf", json_string(p->csrf));
    int64_t n = 1;
    struct rf_err err;
    if (rf_store_user_count(a->store, &n, &err) == RF_OK)
        json_object_set_new(j, "setup_needed", json_boolean(n == 0));
    return j;
}

static int is_staff(const struct rf_principal *p)
{
    return p->user_id && (!strcmp(p->role, "admin") || !strcmp(p->role, "recruiter"));
}

rf_status rf_app_user_add(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                          json_t **out, struct rf_app_error *e)
{
    if (!p->user_id || strcmp(p->role, "admin") != 0)
        return fail(e, RF_EPERM, NULL, "only an admin can add accounts");
    const char *email, *name, *password, *role;
    rf_status rc;
    if ((rc = req_string(req, "email", 254, &email, e)) ||
        (rc = req_string(req, "name", 200, &name, e)) ||
        (rc = req_string(req, "password", 256, &password, e)) ||
        (rc = opt_string(req, "role", 16, &role, e)))
        return rc;
    if (!role)
        role = "recruiter";
    if (strcmp(role, "admin") && strcmp(role, "recruiter"))
        return fail(e, RF_EINVAL, "role", "role must be 'admin' or 'recruiter'");
    if (!valid_email(email))
        return fail(e, RF_EINVAL, "email", "'%s' is not an email address", email);
    char ph[RF_PWHASH_LEN];
    if ((rc = rf_auth_password_check(&a->pw, password, email, &e->err)) ||
        (rc = rf_auth_hash_password(password, ph, &e->err))) {
        e->field = "password";
        return rc;
    }
    int64_t id;
    if ((rc = rf_store_user_create(a->store, p->org_id, email, name, role, ph, &id, &e->err))) {
        if (rc == RF_ECONFLICT)
            e->field = "email";
        return rc;
    }
    *out = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "email", email, "name", name,
                     "role", role);
    return RF_OK;
}

/* ---- catalogue ---- */

json_t *rf_app_skills(struct rf_app *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < a->car.tax.nskills; i++) {
        const struct rf_skill *s = &a->car.tax.skills[i];
        size_t idx, n = 0;
        if (rf_cat_pool_skill(a->pool, s->id, &idx) == RF_OK)
            n = a->pool->nusable[idx];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:I}", "id", s->id, "name",
                                             s->name, "task", s->task, "description",
                                             s->description, "items", (json_int_t)n));
    }
    json_t *levels = json_array();
    for (int i = 0; i < RF_NLEVELS; i++)
        json_array_append_new(levels, json_string(a->car.tax.levels[i]));
    return json_pack("{s:o,s:o}", "skills", arr, "levels", levels);
}

json_t *rf_app_roles(struct rf_app *a)
{
    json_t *arr = json_array();
    for (size_t r = 0; r < a->car.roles.n; r++) {
        const struct rf_role *ro = &a->car.roles.roles[r];
        json_t *reqs = json_array();
        for (size_t k = 0; k < ro->nreqs; k++) {
            const struct rf_role_req *q = &ro->reqs[k];
            json_array_append_new(reqs, json_pack("{s:s,s:s,s:s,s:b,s:f}", "skill",
                                                  a->car.tax.skills[q->skill].id, "name",
                                                  a->car.tax.skills[q->skill].name, "level",
                                                  a->car.tax.levels[q->level], "core", q->core,
                                                  "weight", q->weight));
        }
        json_t *loop = json_array();
        for (size_t k = 0; k < ro->nloop; k++)
            json_array_append_new(loop, json_pack("{s:s,s:s}", "stage", ro->loop[k].stage, "what",
                                                  ro->loop[k].what));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", ro->id, "name",
                                             ro->name, "kind", ro->kind, "description",
                                             ro->description, "requires", reqs, "loop", loop));
    }
    return json_pack("{s:o}", "roles", arr);
}

rf_status rf_app_bank_overview(struct rf_app *a, const struct rf_principal *p, json_t **out,
                               struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see the bank");
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
                              json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "id", sid, "name",
                                        a->car.tax.skills[s].name, "items", (json_int_t)n, "easy",
                                        (json_int_t)band[0], "medium", (json_int_t)band[1], "hard",
                                        (json_int_t)band[2], "calibrated", (json_int_t)cal,
                                        "retired", (json_int_t)ret));
    }
    *out = json_pack("{s:o,s:I,s:I,s:I,s:s,s:I}", "skills", skills, "items", (json_int_t)total,
                     "calibrated", (json_int_t)calibrated, "retired", (json_int_t)retired,
                     "version", a->bank_hash, "version_id", (json_int_t)a->bank_version);
    return RF_OK;
}

/* ---- invites ---- */

rf_status rf_app_invite_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter to invite candidates");
    const char *label, *role;
    rf_status rc;
    if ((rc = opt_string(req, "label", 200, &label, e)) ||
        (rc = opt_string(req, "role", 64, &role, e)))
        return rc;
    int64_t posting = 0;
    const json_t *pv = json_object_get(req, "posting");
    if (pv && !json_is_null(pv)) {
        if (!json_is_integer(pv))
            return fail(e, RF_EINVAL, "posting", "field 'posting' must be a posting id");
        posting = json_integer_value(pv);
        struct rf_posting po;
        rc = rf_store_posting_get(a->store, posting, &po, &e->err);
        if (rc == RF_ENOTFOUND || (!rc && po.org_id != p->org_id)) {
            if (!rc)
                rf_store_posting_cleanup(&po);
            return fail(e, RF_ENOTFOUND, "posting", "no posting %lld in your organization",
                        (long long)posting);
        }
        if (rc)
            return rc;
        rf_store_posting_cleanup(&po);
    }
    if (role && !rf_roles_find(&a->car.roles, role))
        return fail(e, RF_EINVAL, "role", "unknown role '%s'", role);
    if (!role)
        return fail(e, RF_EINVAL, "role", "an invite needs the target role of the test");
    char token[RF_TOKEN_LEN], h[RF_TOKEN_HASH_LEN];
    rf_auth_token(token);
    rf_auth_token_hash(token, h);
    struct rf_invite v = {0, p->org_id, posting, p->user_id, 0, (char *)role, (char *)label, 0,
                          now_s() + RF_INVITE_LIFETIME};
    int64_t id;
    if ((rc = rf_store_invite_create(a->store, h, &v, &id, &e->err)))
        return rc;
    char link[128];
    snprintf(link, sizeof link, "/invite.html#%s", token);
    *out = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:I}", "id", (json_int_t)id, "token", token, "link",
                     link, "role", role, "label", label, "expires", (json_int_t)v.expires);
    return RF_OK;
}

static void invite_to_json(void *ud, const struct rf_invite *v)
{
    json_array_append_new(ud, json_pack("{s:I,s:s?,s:s?,s:I,s:b,s:I,s:I}", "id", (json_int_t)v->id,
                                        "role", v->role, "label", v->label, "posting",
                                        (json_int_t)v->posting_id, "used", v->candidate_id != 0,
                                        "created", (json_int_t)v->created, "expires",
                                        (json_int_t)v->expires));
}

rf_status rf_app_invites(struct rf_app *a, const struct rf_principal *p, json_t **out,
                         struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter to see invites");
    json_t *arr = json_array();
    rf_status rc = rf_store_invites_list(a->store, p->org_id, invite_to_json, arr, &e->err);
    /* the test of each used invite, so that the recruiter can open its report
     * (looked up after the listing: the store is not re-entrant) */
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_true(json_object_get(v, "used")))
            continue;
        struct rf_test t;
        rf_status trc = rf_store_test_by_invite(
            a->store, (int64_t)json_integer_value(json_object_get(v, "id")), &t, &e->err);
        if (trc == RF_ENOTFOUND)
            continue;
        if (trc) {
            rc = trc;
            break;
        }
        json_object_set_new(v, "test", json_integer(t.id));
        json_object_set_new(v, "status", json_string(t.status));
        json_object_set_new(v, "answered", json_integer(t.answers));
        rf_store_test_cleanup(&t);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "invites", arr);
    return RF_OK;
}

rf_status rf_app_invite_info(struct rf_app *a, const char *token, json_t **out,
                             struct rf_app_error *e)
{
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    struct rf_invite v;
    rf_status rc = rf_store_invite_by_token(a->store, h, &v, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && v.expires < now_s())) {
        if (!rc)
            rf_store_invite_cleanup(&v);
        return fail(e, RF_ENOTFOUND, "invite", "this invite link is not valid or has expired");
    }
    if (rc)
        return rc;
    *out = json_pack("{s:s?,s:s?,s:b}", "role", v.role, "label", v.label, "used",
                     v.candidate_id != 0);
    rf_store_invite_cleanup(&v);
    return RF_OK;
}

/* ---- adaptive tests ---- */

/* The scope of a new test: a role's skills, every skill some role requires
 * ("find my role": find != 0), or a list of skills. For role and find tests
 * the skills are filled in by build_design. */
struct scope {
    const struct rf_role *role;
    int find;
    size_t n;
    const char *skills[RF_CAT_MAX_SCOPE];
};

static rf_status scope_from_role(struct rf_app *a, const char *role_id, struct scope *sc,
                                 struct rf_app_error *e)
{
    const struct rf_role *r = rf_roles_find(&a->car.roles, role_id);
    if (!r)
        return fail(e, RF_EINVAL, "role", "unknown role '%s'", role_id);
    sc->role = r;
    sc->n = 0;
    for (size_t k = 0; k < r->nreqs && sc->n < RF_CAT_MAX_SCOPE; k++)
        sc->skills[sc->n++] = a->car.tax.skills[r->reqs[k].skill].id;
    return RF_OK;
}

static rf_status scope_from_request(struct rf_app *a, const json_t *req, struct scope *sc,
                                    struct rf_app_error *e)
{
    memset(sc, 0, sizeof *sc);
    const char *role;
    rf_status rc = opt_string(req, "role", 64, &role, e);
    if (rc)
        return rc;
    const json_t *find = json_object_get(req, "find_role");
    if (find && !json_is_boolean(find))
        return fail(e, RF_EINVAL, "find_role", "field 'find_role' must be true or false");
    if (json_is_true(find)) {
        if (role || json_object_get(req, "skills"))
            return fail(e, RF_EINVAL, "find_role",
                        "a find-my-role test covers every role: give no role or skills with it");
        sc->find = 1;
        return RF_OK;
    }
    if (role)
        return scope_from_role(a, role, sc, e);
    const json_t *sk = json_object_get(req, "skills");
    if (!sk)
        return fail(e, RF_EINVAL, "role",
                    "choose a target role, a list of skills, or find_role: true");
    if (!json_is_array(sk) || json_array_size(sk) == 0)
        return fail(e, RF_EINVAL, "skills", "field 'skills' must be a non-empty list of skill ids");
    if (json_array_size(sk) > RF_CAT_MAX_SCOPE)
        return fail(e, RF_EINVAL, "skills", "at most %d skills in one test", RF_CAT_MAX_SCOPE);
    for (size_t i = 0; i < json_array_size(sk); i++) {
        const json_t *v = json_array_get(sk, i);
        size_t idx;
        if (!json_is_string(v) || rf_taxonomy_find(&a->car.tax, json_string_value(v), &idx))
            return fail(e, RF_EINVAL, "skills", "skills[%zu]: not a skill id", i);
        for (size_t j = 0; j < sc->n; j++)
            if (!strcmp(sc->skills[j], json_string_value(v)))
                return fail(e, RF_EINVAL, "skills", "skills[%zu]: '%s' appears twice", i,
                            json_string_value(v));
        sc->skills[sc->n++] = a->car.tax.skills[idx].id;
    }
    return RF_OK;
}

static rf_status build_design(struct rf_app *a, struct scope *sc, struct rf_cat_design *d,
                              struct rf_app_error *e)
{
    rf_status rc;
    if (sc->role || sc->find) {
        /* Role and find-my-role tests also tell the roles apart (closest roles). */
        rc = rf_roletest_design(d, a->pool, &a->car.roles, sc->role, &e->err);
        if (rc) {
            e->field = sc->role ? "role" : "find_role";
            return rc;
        }
        sc->n = 0;
        for (size_t j = 0; j < d->nscope; j++)
            sc->skills[sc->n++] = a->pool->skills[d->scope[j]];
    } else {
        rf_cat_design_init(d);
        d->max_items = RF_WEB_MAX_ITEMS;
        /* Use every item the limit allows rather than stop early. */
        d->stop_unreachable = 0;
        for (size_t i = 0; i < sc->n; i++) {
            struct rf_cat_rule r = {RF_CAT_DEFAULT_SE, RF_WEB_MIN_PER_SKILL, RF_WEB_MAX_ITEMS};
            if ((rc = rf_cat_design_add(d, a->pool, sc->skills[i], r, &e->err))) {
                e->field = "skills";
                return rc;
            }
        }
    }
    d->exposure = a->cfg.exposure != NULL;
    return RF_OK;
}

static const char *skill_name(struct rf_app *a, const char *id)
{
    size_t idx;
    return rf_taxonomy_find(&a->car.tax, id, &idx) == RF_OK ? a->car.tax.skills[idx].name : id;
}

/* The question as a candidate may see it: never the key, explanation or parameters. */
static json_t *question_json(struct rf_app *a, size_t pool_item, size_t number)
{
    size_t bi;
    if (rf_bank_find(&a->bank, a->pool->ids[pool_item], &bi))
        return NULL;
    const struct rf_item *it = &a->bank.items[bi];
    json_t *opts = json_array();
    for (size_t k = 0; k < it->noptions; k++)
        json_array_append_new(opts, json_string(it->options[k]));
    json_t *q = json_pack("{s:s,s:{s:s,s:s},s:s,s:s,s:o,s:I,s:s}", "item", it->id, "skill", "id",
                          it->skill, "name", skill_name(a, it->skill), "type",
                          rf_item_type_name(it->type), "stem", it->stem, "options", opts, "number",
                          (json_int_t)number, "lang", it->lang);
    /* numeric: the unit shown after the input box; never the answer or tolerance */
    if (q && it->type == RF_ITEM_NUMERIC && json_object_set_new(q, "unit", json_string(it->unit))) {
        json_decref(q);
        return NULL;
    }
    return q;
}

/* Progress toward the stopping rule: per skill the share of the target
 * precision reached (information is additive: 1/SE^2 grows by each item's
 * information from the prior's 1/sd^2), or 1 once the skill is finished;
 * overall the mean over skills, or the share of the item limit if larger. */
static json_t *test_json(struct rf_app *a, int64_t id, const struct rf_cat_session *s,
                         const char *status)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    json_t *skills = json_array();
    double sum = 0;
    double prior_info = 1.0 / (a->q.sd * a->q.sd);
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        const char *sid = a->pool->skills[d->scope[j]];
        double target = d->rule[j].se, done = r.state != RF_CAT_SKILL_OPEN;
        double need = 1.0 / (target * target) - prior_info;
        double got = 1.0 / (r.se * r.se) - prior_info;
        double pk = done ? 1.0 : need > 0 ? fmin(1.0, fmax(0.0, got / need)) : 1.0;
        sum += pk;
        json_array_append_new(skills, json_pack("{s:s,s:s,s:I,s:f,s:f,s:b}", "id", sid, "name",
                                                skill_name(a, sid), "items", (json_int_t)r.items,
                                                "se", r.se, "target", target, "done", (int)done));
    }
    size_t answered = rf_cat_nanswered(s);
    double progress = d->nscope ? sum / (double)d->nscope : 1.0;
    double by_count = (double)answered / (double)d->max_items;
    if (by_count > progress)
        progress = by_count;
    if (strcmp(status, "active") != 0)
        progress = 1.0;
    return json_pack("{s:I,s:s,s:I,s:I,s:f,s:o}", "id", (json_int_t)id, "status", status,
                     "answered", (json_int_t)answered, "max_items", (json_int_t)d->max_items,
                     "progress", progress, "skills", skills);
}

/* The response to a test request: the test and its current question. */
static rf_status test_reply(struct rf_app *a, int64_t id, struct rf_cat_session *s,
                            const char *status, json_t **out, struct rf_app_error *e)
{
    size_t item = SIZE_MAX;
    if (!strcmp(status, "active"))
        rf_cat_next(s, &item);
    json_t *q = item == SIZE_MAX ? json_null() : question_json(a, item, rf_cat_nanswered(s) + 1);
    if (!q)
        return fail(e, RF_EINVAL, NULL, "the current question is no longer in the bank");
    *out = json_pack("{s:o,s:o}", "test", test_json(a, id, s, status), "question", q);
    return *out ? RF_OK : fail(e, RF_ENOMEM, NULL, "out of memory");
}

static rf_status session_state(const struct rf_cat_session *s, char **out, struct rf_err *err)
{
    json_t *j;
    rf_status rc = rf_cat_session_to_json(s, &j, err);
    if (rc)
        return rc;
    *out = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return *out ? RF_OK : rf_err_set(err, RF_ENOMEM, "out of memory");
}

static rf_status session_restore(struct rf_app *a, const struct rf_test *t,
                                 struct rf_cat_session **s, struct rf_app_error *e)
{
    json_t *j = json_loads(t->state, 0, NULL);
    if (!j)
        return fail(e, RF_EDB, NULL, "test %lld: stored state is not JSON", (long long)t->id);
    char where[64];
    snprintf(where, sizeof where, "test %lld", (long long)t->id);
    rf_status rc = rf_cat_session_from_json(a->pool, j, where, s, &e->err);
    json_decref(j);
    if (rc)
        app_log(a, "%s", e->err.msg);
    return rc;
}

/* Loads a test the caller may act on as its candidate (404 otherwise, so that
 * other people's test ids reveal nothing). */
static rf_status own_test(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          struct rf_test *t, struct rf_app_error *e)
{
    rf_status rc = rf_store_test_get(a->store, id, t, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && (!p->candidate_id || t->candidate_id != p->candidate_id))) {
        if (!rc)
            rf_store_test_cleanup(t);
        return fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    }
    return rc;
}

/* The RNG seed of a new test (see cfg.seed in app.h). */
static uint64_t session_seed(struct rf_app *a)
{
    uint64_t seed;
    if (!a->cfg.seed) {
        randombytes_buf(&seed, sizeof seed);
        return seed;
    }
    struct rf_rng r;
    rf_rng_substream(&r, a->cfg.seed, atomic_fetch_add(&a->nstarted, 1));
    return rf_rng_next(&r);
}

rf_status rf_app_test_start(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                            char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN],
                            json_t **out, struct rf_app_error *e)
{
    new_token[0] = new_csrf[0] = '\0';
    if (p->user_id)
        return fail(e, RF_EPERM, NULL,
                    "you are signed in as staff; sign out (or use a private window) to take a test");
    struct scope sc;
    const char *invite;
    rf_status rc = opt_string(req, "invite", 128, &invite, e);
    if (rc)
        return rc;
    struct rf_invite inv;
    memset(&inv, 0, sizeof inv);
    int64_t org = 0;
    if (invite) {
        char h[RF_TOKEN_HASH_LEN];
        rf_auth_token_hash(invite, h);
        rc = rf_store_invite_by_token(a->store, h, &inv, &e->err);
        if (rc == RF_ENOTFOUND || (!rc && inv.expires < now_s())) {
            rf_store_invite_cleanup(&inv);
            return fail(e, RF_ENOTFOUND, "invite", "this invite link is not valid or has expired");
        }
        if (rc)
            return rc;
        if (inv.candidate_id && inv.candidate_id != p->candidate_id) {
            rf_store_invite_cleanup(&inv);
            return fail(e, RF_ECONFLICT, "invite", "this invite link has already been used");
        }
        if (inv.candidate_id) {
            /* the same candidate opening the link again resumes the test */
            struct rf_test t;
            rc = rf_store_test_by_invite(a->store, inv.id, &t, &e->err);
            rf_store_invite_cleanup(&inv);
            if (rc)
                return rc;
            int64_t tid = t.id;
            rf_store_test_cleanup(&t);
            return rf_app_test_get(a, p, tid, out, e);
        }
        memset(&sc, 0, sizeof sc);
        rc = inv.role ? scope_from_role(a, inv.role, &sc, e)
                      : fail(e, RF_EINVAL, "invite", "this invite names no role");
        org = inv.org_id;
    } else {
        if (!a->cfg.practice) {
            return fail(e, RF_EPERM, NULL,
                        "open practice is switched off here; use the invite link you were sent");
        }
        rc = scope_from_request(a, req, &sc, e);
    }
    struct rf_cat_design d;
    if (!rc)
        rc = build_design(a, &sc, &d, e);
    /* Claiming an invite changes who the caller is: always a new candidate and
     * a new session, never the candidate of a cookie the caller arrived with
     * (someone may have planted it to read the test: session fixation). */
    int64_t cand = invite && !inv.candidate_id ? 0 : p->candidate_id;
    if (!rc && !cand) {
        rc = rf_store_candidate_create(a->store, org, NULL, NULL, &cand, &e->err);
        if (!rc)
            rc = rf_app_session_new(a, 0, cand, new_token, new_csrf, &e->err);
    }
    int claimed = 0;
    if (!rc && invite && !inv.candidate_id) {
        rc = rf_store_invite_claim(a->store, inv.id, cand, &e->err);
        claimed = !rc;
    }
    struct rf_cat_session *s = NULL;
    char *state = NULL, *scope = NULL;
    int64_t id = 0;
    if (!rc)
        rc = rf_cat_session_new(a->pool, &d, session_seed(a), &s, &e->err);
    if (!rc) {
        size_t first;
        rf_cat_next(s, &first); /* the presented item is part of the state */
        rc = session_state(s, &state, &e->err);
    }
    if (!rc) {
        json_t *sj = json_array();
        for (size_t i = 0; i < sc.n; i++)
            json_array_append_new(sj, json_string(sc.skills[i]));
        json_t *scj = json_pack("{s:s?,s:o}", "role", sc.role ? sc.role->id : NULL, "skills", sj);
        if (scj && sc.find)
            json_object_set_new(scj, "find_role", json_true());
        scope = json_dumps(scj, JSON_COMPACT);
        json_decref(scj);
        struct rf_test t;
        memset(&t, 0, sizeof t);
        t.candidate_id = cand;
        t.org_id = org;
        t.posting_id = inv.posting_id;
        t.invite_id = inv.id;
        t.scope = scope;
        t.state = state;
        t.served_ms = wall_ms(a);
        rc = scope ? rf_store_test_create(a->store, &t, &id, &e->err)
                   : fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc)
        rc = test_reply(a, id, s, "active", out, e);
    if (!rc) {
        rf_sesscache_put(a->live, id, s, state); /* the session as stored */
        s = NULL;
        state = NULL;
    }
    if (rc && claimed) /* the link stays usable when starting failed */
        rf_store_invite_unclaim(a->store, inv.id, cand, NULL);
    rf_store_invite_cleanup(&inv);
    rf_cat_session_free(s);
    free(state);
    free(scope);
    return rc;
}

rf_status rf_app_test_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          json_t **out, struct rf_app_error *e)
{
    struct rf_test t;
    rf_status rc = own_test(a, p, id, &t, e);
    if (rc)
        return rc;
    struct rf_cat_session *s = NULL;
    rc = session_restore(a, &t, &s, e);
    if (!rc)
        rc = test_reply(a, id, s, t.status, out, e);
    rf_cat_session_free(s);
    rf_store_test_cleanup(&t);
    return rc;
}

/* ---- follow-up sessions ("measure this skill further") ---- */

/* The test a follow-up's scope names (followup_of), or 0. */
static int64_t followup_parent(const char *scope)
{
    json_t *sj = scope ? json_loads(scope, 0, NULL) : NULL;
    const json_t *v = json_object_get(sj, "followup_of");
    int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
    json_decref(sj);
    return id;
}

struct seen_ctx {
    struct rf_app *a;
    struct rf_cat_session *s;
};

/* Blocks an item the candidate has answered before, when it is in scope. */
static void block_seen(void *ud, const struct rf_answer *ans)
{
    struct seen_ctx *c = ud;
    size_t i;
    if (rf_cat_pool_find(c->a->pool, ans->item_id, &i) == RF_OK && c->a->pool->usable[i]) {
        struct rf_err ignored;
        rf_cat_replay_block(c->s, i, &ignored); /* outside the scope: nothing to block */
    }
}

rf_status rf_app_test_followup(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               const json_t *req, json_t **out, struct rf_app_error *e)
{
    if (!json_is_object(req) || json_object_get(req, "role") || json_object_get(req, "find_role"))
        return fail(e, RF_EINVAL, "skills",
                    "a follow-up measures a list of skills: give 'skills' only");
    const json_t *sk = json_object_get(req, "skills");
    if (json_is_array(sk) && json_array_size(sk) > RF_FOLLOWUP_MAX_SKILLS)
        return fail(e, RF_EINVAL, "skills", "a follow-up measures at most %d skills",
                    RF_FOLLOWUP_MAX_SKILLS);
    struct scope sc;
    rf_status rc = scope_from_request(a, req, &sc, e);
    if (rc)
        return rc;
    struct rf_test t;
    if ((rc = own_test(a, p, id, &t, e)))
        return rc;
    if (strcmp(t.status, "finished") != 0 || !t.profile) {
        rf_store_test_cleanup(&t);
        return fail(e, RF_ECONFLICT, NULL, "finish the test before measuring a skill further");
    }
    /* The design: the skills-list test's, shorter, with the loadings' prior
     * (so that the session keeps its evidence as log-likelihoods). */
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = RF_FOLLOWUP_MAX_ITEMS;
    d.stop_unreachable = 0;
    d.exposure = a->cfg.exposure != NULL;
    for (size_t i = 0; i < sc.n && !rc; i++) {
        struct rf_cat_rule r = {RF_CAT_DEFAULT_SE, RF_FOLLOWUP_MIN_PER_SKILL,
                                RF_FOLLOWUP_MAX_ITEMS};
        size_t k;
        if ((rc = rf_cat_design_add(&d, a->pool, sc.skills[i], r, &e->err))) {
            e->field = "skills";
        } else if (rf_taxonomy_find(&a->car.tax, sc.skills[i], &k) == RF_OK) {
            d.lambda[d.nscope - 1] = a->car.tax.skills[k].loading;
            d.loadings_assumed |= !a->car.tax.skills[k].loading_calibrated;
        }
    }
    struct rf_cat_session *s = NULL;
    char *state = NULL, *scope = NULL;
    int64_t nid = 0;
    if (!rc)
        rc = rf_cat_session_new(a->pool, &d, session_seed(a), &s, &e->err);
    /* Not again: the items of the test and of its earlier follow-ups. */
    struct seen_ctx sx = {a, s};
    for (int64_t x = id, hops = 0; !rc && x && hops < RF_PROFILE_MAX_SESSIONS; hops++) {
        struct rf_test tx;
        if ((rc = rf_store_answers_list(a->store, x, block_seen, &sx, &e->err)))
            break;
        if (x == id) {
            x = followup_parent(t.scope);
        } else if (!(rc = rf_store_test_get(a->store, x, &tx, &e->err))) {
            x = followup_parent(tx.scope);
            rf_store_test_cleanup(&tx);
        }
    }
    if (!rc) {
        size_t first;
        rf_cat_next(s, &first);
        if (first == SIZE_MAX)
            rc = fail(e, RF_EINVAL, "skills",
                      "no question left on these skills that you have not seen");
    }
    if (!rc)
        rc = session_state(s, &state, &e->err);
    if (!rc) {
        json_t *pj = json_loads(t.scope, 0, NULL), *sj = json_array();
        for (size_t i = 0; i < sc.n; i++)
            json_array_append_new(sj, json_string(sc.skills[i]));
        /* The report of a follow-up targets the test's role, as the test's did. */
        const json_t *role = json_object_get(pj, "role");
        json_t *scj = json_pack("{s:O?,s:o,s:I}", "role", json_is_string(role) ? role : NULL,
                                "skills", sj, "followup_of", (json_int_t)id);
        scope = scj ? json_dumps(scj, JSON_COMPACT) : NULL;
        json_decref(scj);
        json_decref(pj);
        struct rf_test nt;
        memset(&nt, 0, sizeof nt);
        nt.candidate_id = t.candidate_id;
        nt.org_id = t.org_id;
        nt.scope = scope;
        nt.state = state;
        nt.served_ms = wall_ms(a);
        rc = scope ? rf_store_test_create(a->store, &nt, &nid, &e->err)
                   : fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc)
        rc = test_reply(a, nid, s, "active", out, e);
    if (!rc) {
        json_object_set_new(json_object_get(*out, "test"), "followup_of", json_integer(id));
        rf_sesscache_put(a->live, nid, s, state);
        s = NULL;
        state = NULL;
    }
    rf_cat_session_free(s);
    free(state);
    free(scope);
    rf_store_test_cleanup(&t);
    return rc;
}

/* A finished follow-up's profile: the profile of the test it follows with
 * the follow-up's evidence added (rf_profile_combine), the sessions listed
 * ("test-ID"). *profile and the packed copy are replaced; a test that is not
 * a follow-up is left alone. */
static rf_status followup_combine(struct rf_app *a, const struct rf_test *t, char **profile,
                                  unsigned char **packed, size_t *npacked, struct rf_err *err)
{
    int64_t pid = followup_parent(t->scope);
    if (!pid)
        return RF_OK;
    struct rf_test pt;
    rf_status rc = rf_store_test_get(a->store, pid, &pt, err);
    if (rc)
        return rc;
    struct rf_profile base, more;
    memset(&base, 0, sizeof base);
    memset(&more, 0, sizeof more);
    char sid[32];
    if (!pt.profile)
        rc = rf_err_set(err, RF_ECONFLICT, "test %lld has no profile", (long long)pid);
    if (!rc)
        rc = rf_profile_parse("profile", pt.profile, strlen(pt.profile), &base, err);
    if (!rc)
        rc = rf_profile_parse("follow-up profile", *profile, strlen(*profile), &more, err);
    if (!rc && !base.nsessions) {
        snprintf(sid, sizeof sid, "test-%lld", (long long)pid);
        rc = rf_profile_add_session(&base, sid, err);
    }
    if (!rc) {
        snprintf(sid, sizeof sid, "test-%lld", (long long)t->id);
        rc = rf_profile_add_session(&more, sid, err);
    }
    if (!rc && !(rc = rf_profile_derive_loglik(&base, err)) &&
        !(rc = rf_profile_derive_loglik(&more, err)))
        rc = rf_profile_combine(&base, &more, err);
    json_t *j = NULL;
    char *text = NULL;
    if (!rc && !(rc = rf_profile_to_json(&base, &j, err)) &&
        !(text = json_dumps(j, JSON_COMPACT)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    json_decref(j);
    rf_profile_cleanup(&base);
    unsigned char *pk = NULL;
    size_t npk = 0;
    /* Packed from the JSON as read back, as session_profile does. */
    if (!rc && !(rc = rf_profile_parse("profile", text, strlen(text), &base, err)))
        rc = rf_profile_pack(&base, &pk, &npk, err);
    rf_profile_cleanup(&base);
    rf_profile_cleanup(&more);
    rf_store_test_cleanup(&pt);
    if (rc) {
        free(text);
        return rc;
    }
    free(*profile);
    free(*packed);
    *profile = text;
    *packed = pk;
    *npacked = npk;
    return RF_OK;
}

/* The profile of a session: per skill the posterior on the grid and the
 * items answered wrongly with their tags, as JSON (*out) and packed for
 * ranking (*packed, *npacked). The packed form is made from the JSON as
 * read back, so that ranking sees the very doubles every reader of the JSON
 * (reports, `rolefit match`, `rolefit report --session`) sees. */
static rf_status session_profile(struct rf_app *a, const struct rf_cat_session *s, char **out,
                                 unsigned char **packed, size_t *npacked, struct rf_err *err)
{
    struct rf_profile pr;
    rf_status rc = rf_profile_init(&pr, a->q.lo, a->q.hi, a->q.n, err);
    if (rc)
        return rc;
    rc = rf_profile_set_person(&pr, NULL, "session", err);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    size_t pidx[RF_CAT_MAX_SCOPE];
    if (!rc)
        rc = rf_roletest_profile(s, &a->car.roles, &pr, pidx, err);
    for (size_t k = 0; k < rf_cat_nanswered(s) && !rc; k++) {
        size_t item, cat;
        rf_cat_answered(s, k, &item, &cat);
        if (cat + 1 >= a->pool->irt[item].ncat)
            continue; /* full credit; anything less names the item's tags */
        size_t bi, j;
        if (rf_bank_find(&a->bank, a->pool->ids[item], &bi))
            continue;
        for (j = 0; j < d->nscope && d->scope[j] != a->pool->skill[item]; j++)
            ;
        if (j == d->nscope || pidx[j] == SIZE_MAX)
            continue;
        const struct rf_item *it = &a->bank.items[bi];
        /* some credit on a multiple-select item: partly right, not missed */
        rc = (cat > 0 ? rf_profile_add_partly : rf_profile_add_missed)(
            &pr, pidx[j], it->id, (const char *const *)it->tags, it->ntags, err);
    }
    json_t *j = NULL;
    char *text = NULL;
    if (!rc)
        rc = rf_profile_to_json(&pr, &j, err);
    if (!rc && !(text = json_dumps(j, JSON_COMPACT)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    json_decref(j);
    rf_profile_cleanup(&pr);
    if (!rc && !(rc = rf_profile_parse("session profile", text, strlen(text), &pr, err)))
        rc = rf_profile_pack(&pr, packed, npacked, err);
    rf_profile_cleanup(&pr);
    if (rc)
        free(text);
    else
        *out = text;
    return rc;
}

/* The candidate's answer to it from the request, in the field its type
 * takes: "choice" (an option index) for mcq, "value" (the number as text) for
 * numeric, "selected" (option indices) for multi. A refusal names the field. */
static rf_status parse_response(const struct rf_item *it, const json_t *req,
                                struct rf_response *r, struct rf_app_error *e)
{
    struct rf_err aerr;
    rf_err_clear(&aerr);
    if (it->type == RF_ITEM_NUMERIC) {
        const json_t *v = json_object_get(req, "value");
        if (!json_is_string(v) || json_string_length(v) != strlen(json_string_value(v)))
            return fail(e, RF_EINVAL, "value",
                        "field 'value' must be the number as text, e.g. \"1.5\"");
        if (rf_answer_numeric(it, json_string_value(v), r, &aerr))
            return fail(e, RF_EINVAL, "value", "field 'value': %s", aerr.msg);
        return RF_OK;
    }
    if (it->type == RF_ITEM_MULTI) {
        const json_t *v = json_object_get(req, "selected");
        if (!json_is_array(v))
            return fail(e, RF_EINVAL, "selected",
                        "field 'selected' must be an array of option indices (0 to %zu)",
                        it->noptions - 1);
        size_t n = json_array_size(v);
        /* Nothing selected is not an answer (the page does not send one):
         * scored 0 it would read as knowledge of which options are wrong. */
        if (n == 0)
            return fail(e, RF_EINVAL, "selected",
                        "field 'selected': select at least one option (0 to %zu)",
                        it->noptions - 1);
        if (n > it->noptions)
            return fail(e, RF_EINVAL, "selected",
                        "field 'selected': %zu options selected but the question has %zu", n,
                        it->noptions);
        long long sel[RF_BANK_MAX_OPTIONS];
        for (size_t i = 0; i < n; i++) {
            const json_t *x = json_array_get(v, i);
            if (!json_is_integer(x))
                return fail(e, RF_EINVAL, "selected",
                            "field 'selected': entry %zu is not an option index", i + 1);
            sel[i] = json_integer_value(x);
        }
        if (rf_answer_multi(it, sel, n, r, &aerr))
            return fail(e, RF_EINVAL, "selected", "field 'selected': %s", aerr.msg);
        return RF_OK;
    }
    const json_t *cv = json_object_get(req, "choice");
    if (!json_is_integer(cv))
        return fail(e, RF_EINVAL, "choice", "field 'choice' must be the index of an option");
    if (rf_answer_mcq(it, json_integer_value(cv), r, &aerr))
        return fail(e, RF_EINVAL, "choice", "%s", aerr.msg);
    return RF_OK;
}

rf_status rf_app_test_answer(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const json_t *req, json_t **out, struct rf_app_error *e)
{
    const char *item_id;
    rf_status rc = req_string(req, "item", RF_MAX_ID_LEN, &item_id, e);
    if (rc)
        return rc;
    /* the shape of the answer before anything is looked up; parse_response
     * checks it against the question's type */
    const json_t *cv = json_object_get(req, "choice"), *vv = json_object_get(req, "value"),
                 *sv = json_object_get(req, "selected");
    if (cv && !json_is_integer(cv))
        return fail(e, RF_EINVAL, "choice", "field 'choice' must be the index of an option");
    if (vv && !json_is_string(vv))
        return fail(e, RF_EINVAL, "value", "field 'value' must be the number as text, e.g. \"1.5\"");
    if (sv && !json_is_array(sv))
        return fail(e, RF_EINVAL, "selected", "field 'selected' must be an array of option indices");
    if (!cv && !vv && !sv)
        return fail(e, RF_EINVAL, "choice",
                    "give the answer: 'choice' (an option), 'value' (a number) or 'selected' "
                    "(options)");
    /* the browser's focus report; the time is the server's own */
    struct rf_answer_signals sig;
    if (rf_signals_parse(req, &sig, &e->err))
        return fail(e, RF_EINVAL, "signals", "%s", e->err.msg);
    sig.at_ms = wall_ms(a);
    struct rf_test t;
    if ((rc = own_test(a, p, id, &t, e)))
        return rc;
    struct rf_cat_session *s = NULL;
    char *state = NULL, *profile = NULL;
    unsigned char *packed = NULL;
    size_t npacked = 0;
    if (strcmp(t.status, "active") != 0) {
        rc = fail(e, RF_ECONFLICT, NULL, "this test is finished; open the report");
        goto out;
    }
    s = rf_sesscache_take(a->live, id, t.state);
    if (!s && (rc = session_restore(a, &t, &s, e)))
        goto out;
    size_t cur;
    rf_cat_next(s, &cur);
    if (cur == SIZE_MAX || strcmp(a->pool->ids[cur], item_id) != 0) {
        rc = fail(e, RF_ECONFLICT, "item", "'%s' is not the question being asked", item_id);
        goto out;
    }
    size_t bi;
    if (rf_bank_find(&a->bank, item_id, &bi)) {
        rc = fail(e, RF_EINVAL, "item", "the question is no longer in the bank");
        goto out;
    }
    const struct rf_item *it = &a->bank.items[bi];
    struct rf_response resp;
    if ((rc = parse_response(it, req, &resp, e)))
        goto out;
    size_t score = rf_answer_score(it, &resp);
    char raw[RF_ANSWER_MAX_TEXT + 1];
    rf_answer_format(&resp, raw, sizeof raw);
    if ((rc = rf_cat_answer(s, cur, score))) {
        rc = fail(e, rc, "item", "%s", rf_cat_errmsg(s));
        goto out;
    }
    size_t next;
    rf_cat_next(s, &next);
    if ((rc = session_state(s, &state, &e->err)))
        goto out;
    if (next == SIZE_MAX && (rc = session_profile(a, s, &profile, &packed, &npacked, &e->err)))
        goto out;
    if (profile && (rc = followup_combine(a, &t, &profile, &packed, &npacked, &e->err)))
        goto out;
    struct rf_answer ans = {id, t.answers, item_id, resp.choice, (int)score, 0, raw};
    rc = rf_store_answer_signals(a->store, &ans, &sig, state, profile, packed, npacked, &e->err);
    if (rc == RF_ECONFLICT)
        rc = fail(e, RF_ECONFLICT, "item", "this question was already answered");
    if (!rc)
        rc = test_reply(a, id, s, profile ? "finished" : "active", out, e);
    if (!rc && !profile) {
        rf_sesscache_put(a->live, id, s, state); /* the session as stored */
        s = NULL;
        state = NULL;
    }
out:
    free(state);
    free(profile);
    free(packed);
    rf_cat_session_free(s);
    rf_store_test_cleanup(&t);
    return rc;
}

/* May the caller read this test's report? Its candidate, or staff of the organization. */
static rf_status readable_test(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               struct rf_test *t, struct rf_app_error *e)
{
    rf_status rc = rf_store_test_get(a->store, id, t, &e->err);
    if (rc == RF_ENOTFOUND)
        return fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    if (rc)
        return rc;
    int mine = p->candidate_id && t->candidate_id == p->candidate_id;
    int staff = is_staff(p) && t->org_id && t->org_id == p->org_id;
    if (!mine && !staff) {
        rf_store_test_cleanup(t);
        return fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    }
    if (strcmp(t->status, "finished") != 0 || !t->profile) {
        rf_store_test_cleanup(t);
        return fail(e, RF_ECONFLICT, NULL, "the test is not finished yet");
    }
    return RF_OK;
}

struct review_ctx {
    struct rf_app *a;
    json_t *arr;
};

/* Every answered question with the candidate's answer, the right answer, the
 * credit given and the explanation: shown only once the test is finished.
 * The credit is the category the engine scored when the answer was given;
 * an answer stored before raw responses were kept (response NULL) is an
 * option index. */
static void review_item(void *ud, const struct rf_answer *ans)
{
    struct review_ctx *c = ud;
    size_t bi;
    if (rf_bank_find(&c->a->bank, ans->item_id, &bi))
        return;
    const struct rf_item *it = &c->a->bank.items[bi];
    json_t *opts = json_array(), *tags = json_array();
    for (size_t k = 0; k < it->noptions; k++)
        json_array_append_new(opts, json_string(it->options[k]));
    for (size_t k = 0; k < it->ntags; k++)
        json_array_append_new(tags, json_string(it->tags[k]));
    struct rf_response r;
    int have = 0;
    if (ans->response)
        have = rf_answer_parse_stored(it, ans->response, &r, NULL) == RF_OK;
    else if (it->type == RF_ITEM_MCQ)
        have = rf_answer_mcq(it, ans->choice, &r, NULL) == RF_OK;
    char given[1024] = "", right[1024], credit[64];
    if (have)
        rf_answer_response_text(it, &r, given, sizeof given);
    rf_answer_key_text(it, right, sizeof right);
    size_t max = rf_answer_max_score(it);
    size_t score = ans->score < 0 ? 0 : (size_t)ans->score;
    snprintf(credit, sizeof credit, "%zu of %zu", score, max);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:I,s:I,s:s,s:s,s:s,s:s,s:o}", "item", it->id,
                          "skill", it->skill, "type", rf_item_type_name(it->type), "stem",
                          it->stem, "options", opts, "correct", score >= max, "score",
                          (json_int_t)score, "max_score", (json_int_t)max, "credit", credit,
                          "given", given, "right_answer", right, "explanation", it->explanation,
                          "tags", tags);
    if (!o)
        return;
    if (it->type == RF_ITEM_MCQ) {
        json_object_set_new(o, "choice", json_integer(have ? r.choice : ans->choice));
        json_object_set_new(o, "key", json_integer(it->key));
    } else if (it->type == RF_ITEM_NUMERIC) {
        json_object_set_new(o, "value", have ? json_string(r.text) : json_null());
        json_object_set_new(o, "answer", json_real(it->answer));
        json_object_set_new(o, "tolerance", json_real(it->tolerance));
        json_object_set_new(o, "unit", json_string(it->unit));
    } else if (it->type == RF_ITEM_MULTI) {
        json_t *sel = json_array(), *keys = json_array();
        for (size_t k = 0; have && k < r.nsel; k++)
            json_array_append_new(sel, json_integer(r.sel[k]));
        for (size_t k = 0; k < it->nkeys; k++)
            json_array_append_new(keys, json_integer(it->keys[k]));
        json_object_set_new(o, "selected", sel);
        json_object_set_new(o, "keys", keys);
    }
    json_array_append_new(c->arr, o);
}

rf_status rf_app_test_report(struct rf_app *a, const struct rf_principal *p, int64_t id, int html,
                             json_t **json_out, char **html_out, struct rf_app_error *e)
{
    struct rf_test t;
    rf_status rc = readable_test(a, p, id, &t, e);
    if (rc)
        return rc;
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    json_t *report = NULL;
    rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile), &pr, &e->err);
    const char *target = NULL;
    json_t *scope = json_loads(t.scope, 0, NULL);
    if (scope && json_is_string(json_object_get(scope, "role")))
        target = json_string_value(json_object_get(scope, "role"));
    if (!rc)
        rc = rf_report_build(&pr, &a->car, target, &report, &e->err);
    if (!rc) {
        json_t *rev = json_array();
        struct review_ctx c = {a, rev};
        rc = rf_store_answers_list(a->store, id, review_item, &c, &e->err);
        json_object_set_new(report, "answers", rev);
        json_object_set_new(report, "test", json_integer(id));
        /* Who reads it: the candidate ("Your fit ...") or the organization's staff. */
        int mine = p->candidate_id && t.candidate_id == p->candidate_id;
        json_object_set_new(report, "viewer", json_string(mine ? "candidate" : "staff"));
        if (scope && json_is_true(json_object_get(scope, "find_role")))
            json_object_set_new(report, "find_role", json_true());
        /* Staff see who it is: the label the recruiter gave the invite. */
        struct rf_invite inv;
        if (!mine && !json_object_get(report, "person") && t.invite_id &&
            rf_store_invite_get(a->store, t.invite_id, &inv, &e->err) == RF_OK) {
            if (inv.label)
                json_object_set_new(report, "person", json_string(inv.label));
            rf_store_invite_cleanup(&inv);
        }
        /* Test-integrity signals: staff only, never in the candidate's own report. */
        if (!rc && !mine) {
            json_t *sig = NULL;
            struct rf_err serr;
            rf_err_clear(&serr);
            if (rf_signals_report(a->store, &a->bank, &t, &pr, &sig, &serr)) {
                app_log(a, "report of test %lld: integrity signals: %s", (long long)id, serr.msg);
                sig = json_pack("{s:s}", "unavailable",
                                "the integrity signals could not be read (see the server log)");
            }
            json_object_set_new(report, "integrity", sig);
        }
    }
    if (!rc && html) {
        struct rf_buf b;
        rf_buf_init(&b, (size_t)16 * 1024 * 1024);
        rc = rf_report_html(report, &b);
        if (rc)
            rf_err_set(&e->err, rc, "report: %s", rf_strerror(rc));
        else
            *html_out = rf_buf_take(&b);
        rf_buf_cleanup(&b);
    } else if (!rc) {
        *json_out = report;
        report = NULL;
    }
    json_decref(report);
    json_decref(scope);
    rf_profile_cleanup(&pr);
    rf_store_test_cleanup(&t);
    return rc;
}

/* ---- postings and ranking ---- */

static rf_status parse_posting(struct rf_app *a, const char *text, struct rf_parsed_posting *pp,
                               struct rf_app_error *e)
{
    rf_status rc = rf_posting_parse("posting", text, strlen(text), &a->car.aliases, &a->car.tax,
                                    pp, &e->err);
    if (rc)
        e->field = "text";
    return rc;
}

rf_status rf_app_posting_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                json_t **out, struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter to add postings");
    const char *title, *text;
    rf_status rc;
    if ((rc = req_string(req, "title", 200, &title, e)) ||
        (rc = req_string(req, "text", RF_HTTP_MAX_POSTING_BODY, &text, e)))
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = parse_posting(a, text, &pp, e)))
        return rc;
    json_t *parsed = NULL;
    char *pj = NULL;
    rc = rf_posting_to_json(&pp, &a->car.tax, &parsed, &e->err);
    if (!rc && pp.nreqs == 0)
        rc = fail(e, RF_EINVAL, "text",
                  "no requirement in this posting names a skill rolefit measures (see the "
                  "unmapped terms)");
    if (!rc && !(pj = json_dumps(parsed, JSON_COMPACT)))
        rc = fail(e, RF_ENOMEM, NULL, "out of memory");
    int64_t id = 0;
    if (!rc) {
        struct rf_posting po = {0, p->org_id, p->user_id, (char *)title, (char *)text, pj, 0};
        rc = rf_store_posting_create(a->store, &po, &id, &e->err);
    }
    if (!rc)
        *out = json_pack("{s:I,s:s,s:O}", "id", (json_int_t)id, "title", title, "parsed", parsed);
    free(pj);
    json_decref(parsed);
    rf_posting_cleanup(&pp);
    return rc;
}

static void posting_item(void *ud, const struct rf_posting *po)
{
    json_t *parsed = po->parsed ? json_loads(po->parsed, 0, NULL) : NULL;
    size_t nreq = parsed ? json_array_size(json_object_get(parsed, "required")) : 0;
    json_array_append_new(ud, json_pack("{s:I,s:s,s:I,s:I}", "id", (json_int_t)po->id, "title",
                                        po->title, "created", (json_int_t)po->created, "required",
                                        (json_int_t)nreq));
    json_decref(parsed);
}

rf_status rf_app_postings(struct rf_app *a, const struct rf_principal *p, json_t **out,
                          struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter to see postings");
    json_t *arr = json_array();
    rf_status rc = rf_store_postings_list(a->store, p->org_id, posting_item, arr, &e->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "postings", arr);
    return RF_OK;
}

/* A posting of the caller's organization (404 otherwise). */
static rf_status own_posting(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             struct rf_posting *po, struct rf_app_error *e)
{
    if (!is_staff(p))
        return fail(e, RF_EPERM, NULL, "sign in as a recruiter to see postings");
    rf_status rc = rf_store_posting_get(a->store, id, po, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && po->org_id != p->org_id)) {
        if (!rc)
            rf_store_posting_cleanup(po);
        return fail(e, RF_ENOTFOUND, NULL, "no posting %lld in your organization", (long long)id);
    }
    return rc;
}

rf_status rf_app_posting_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             json_t **out, struct rf_app_error *e)
{
    struct rf_posting po;
    rf_status rc = own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    json_t *parsed = po.parsed ? json_loads(po.parsed, 0, NULL) : NULL;
    *out = json_pack("{s:I,s:s,s:s,s:o?}", "id", (json_int_t)po.id, "title", po.title, "text",
                     po.text, "parsed", parsed);
    rf_store_posting_cleanup(&po);
    return *out ? RF_OK : fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* One ranked row, kept beside its JSON for sorting. */
struct rank_row {
    double fit;
    int64_t test;
    json_t *json; /* owned */
};

struct rank_ctx {
    struct rf_app *a;
    const struct rf_parsed_posting *pp;
    int64_t posting;
    struct rank_row *rows;
    size_t n, cap;
    size_t skipped; /* stored profiles that could not be read */
    /* tests read from JSON, packed here and stored after the read (backfill) */
    int64_t *fill_ids;
    unsigned char **fill;
    size_t *nfill, nfilled;
    double *p;
    size_t *measured;
    rf_status rc;
    struct rf_err err;
};

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

static void rank_test(void *ud, const struct rf_store_ranked *t)
{
    struct rank_ctx *c = ud;
    if (c->rc)
        return;
    struct rf_profile pr;
    struct rf_err perr;
    if (stored_profile(t, &pr, &perr)) {
        app_log(c->a, "ranking: test %lld skipped: %s", (long long)t->id, perr.msg);
        c->skipped++;
        return;
    }
    if (!t->packed && c->fill && c->nfilled < RF_RANK_BACKFILL_MAX &&
        rf_profile_pack(&pr, &c->fill[c->nfilled], &c->nfill[c->nfilled], &perr) == RF_OK)
        c->fill_ids[c->nfilled++] = t->id;
    struct rf_posting_fit f;
    rf_posting_fit(c->pp, &c->a->car.tax, &pr, c->p, c->measured, &f);
    rf_profile_cleanup(&pr);
    char reason[512];
    rf_posting_reason(c->pp, c->p, c->measured, reason, sizeof reason);
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 256;
        struct rank_row *nr = rf_realloc_array(c->rows, nc, sizeof *nr);
        if (!nr) {
            c->rc = rf_err_set(&c->err, RF_ENOMEM, "out of memory");
            return;
        }
        c->rows = nr;
        c->cap = nc;
    }
    json_t *row = json_pack("{s:I,s:I,s:s?,s:f,s:f,s:f,s:s,s:b,s:I}", "test", (json_int_t)t->id,
                            "candidate", (json_int_t)t->candidate_id, "label", t->label, "fit",
                            f.fit, "sd", f.sd, "p_required", f.p_required, "reason", reason,
                            "applicant", t->posting_id == c->posting, "finished",
                            (json_int_t)t->finished);
    if (!row) {
        c->rc = rf_err_set(&c->err, RF_ENOMEM, "out of memory");
        return;
    }
    c->rows[c->n++] = (struct rank_row){f.fit, t->id, row};
}

/* Best fit first; ties: the earlier test first. */
static int by_fit(const void *x, const void *y)
{
    const struct rank_row *a = x, *b = y;
    if (a->fit != b->fit)
        return a->fit < b->fit ? 1 : -1;
    return (a->test > b->test) - (a->test < b->test);
}

rf_status rf_app_posting_ranking(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const char *scope, json_t **out, struct rf_app_error *e)
{
    int org_wide = scope && strcmp(scope, "org") == 0;
    if (scope && !org_wide && strcmp(scope, "posting") != 0) {
        char got[41]; /* on one line, valid UTF-8: anything but printable ASCII becomes '?' */
        size_t n = 0;
        for (; n < sizeof got - 1 && scope[n]; n++)
            got[n] = scope[n] >= 0x20 && scope[n] < 0x7f ? scope[n] : '?';
        got[n] = '\0';
        return fail(e, RF_EINVAL, "scope",
                    "scope must be 'posting' (its applicants) or 'org' (every finished test of "
                    "the organization), got '%s'",
                    got);
    }
    struct rf_posting po;
    rf_status rc = own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = parse_posting(a, po.text, &pp, e))) {
        rf_store_posting_cleanup(&po);
        return rc;
    }
    struct rank_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.pp = &pp;
    c.posting = id;
    c.p = rf_calloc_array(pp.nreqs ? pp.nreqs : 1, sizeof *c.p);
    c.measured = rf_calloc_array(pp.nreqs ? pp.nreqs : 1, sizeof *c.measured);
    if (!c.p || !c.measured)
        rc = fail(e, RF_ENOMEM, NULL, "out of memory");
    /* room to pack tests stored without a packed profile; without it they are
     * still ranked, only not packed for next time */
    c.fill_ids = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.fill_ids);
    c.fill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.fill);
    c.nfill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.nfill);
    if (!c.fill_ids || !c.nfill) {
        free(c.fill);
        c.fill = NULL;
    }
    if (!rc)
        rc = rf_store_tests_ranked(a->store, p->org_id, org_wide ? 0 : id, rank_test, &c,
                                   &e->err);
    if (!rc && c.rc)
        rc = rf_err_set(&e->err, c.rc, "%s", c.err.msg);
    struct rf_err ferr;
    if (c.nfilled && rf_store_tests_set_packed(a->store, c.nfilled, c.fill_ids, c.fill, c.nfill,
                                               &ferr) == RF_OK)
        app_log(a, "ranking: stored the packed profile of %zu older tests", c.nfilled);
    else if (c.nfilled)
        app_log(a, "ranking: could not store packed profiles: %s", ferr.msg);
    json_t *sorted = rc ? NULL : json_array();
    if (!rc && !sorted)
        rc = fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc) {
        if (c.n)
            qsort(c.rows, c.n, sizeof *c.rows, by_fit);
        for (size_t i = 0; i < c.n; i++) {
            json_array_append_new(sorted, c.rows[i].json);
            c.rows[i].json = NULL;
        }
        *out = json_pack("{s:{s:I,s:s},s:s,s:o,s:I}", "posting", "id", (json_int_t)po.id, "title",
                         po.title, "scope", org_wide ? "org" : "posting", "candidates", sorted,
                         "skipped", (json_int_t)c.skipped);
        if (!*out)
            rc = fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < c.n; i++)
        json_decref(c.rows[i].json);
    for (size_t i = 0; i < c.nfilled; i++)
        free(c.fill[i]);
    free(c.fill);
    free(c.fill_ids);
    free(c.nfill);
    free(c.rows);
    free(c.p);
    free(c.measured);
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    return rc;
}
