/*
 * The application behind `rolefit serve`; see app.h. Invariants: the bank,
 * taxonomy, roles and pool are loaded once at start and never change while
 * the server runs, so handlers read them without locks; everything mutable
 * lives in the store. Permission checks happen here, in one place per flow.
 */
#include "server/app.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bank/bank.h"
#include "bank/skills.h"
#include "base/mem.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "irt/quad.h"
#include "store/store.h"

struct rf_app {
    struct rf_app_config cfg;
    struct rf_store *store;
    struct rf_bank bank;
    struct rf_taxonomy tax;
    struct rf_roles roles;
    struct rf_quad q;
    struct rf_cat_pool *pool;
    char bank_hash[RF_TOKEN_HASH_LEN];
    int64_t bank_version;
};

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
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
    rf_bank_init(&a->bank);
    rf_status rc = rf_auth_init(err);
    char path[4096];
    if (!rc) {
        snprintf(path, sizeof path, "%s/skills.json", cfg->data_dir);
        rc = rf_taxonomy_load(path, &a->tax, err);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s/roles.json", cfg->data_dir);
        rc = rf_roles_load(path, &a->tax, &a->roles, err);
    }
    if (!rc)
        rc = rf_bank_load_dir(cfg->bank_dir, &a->bank, err);
    if (!rc && a->bank.n == 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: the item bank is empty", cfg->bank_dir);
    if (!rc)
        rc = rf_quad_init_default(&a->q, err);
    if (!rc) {
        struct rf_cat_item *ci = rf_calloc_array(a->bank.n, sizeof *ci);
        if (!ci) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
        } else {
            /* The bundled bank carries authors' prior parameters: usable until
             * calibration replaces them; retired items never are. */
            for (size_t i = 0; i < a->bank.n; i++) {
                ci[i].id = a->bank.items[i].id;
                ci[i].skill = a->bank.items[i].skill;
                ci[i].irt = a->bank.items[i].irt;
                ci[i].usable = !a->bank.items[i].retired &&
                               a->bank.items[i].type == RF_ITEM_MCQ;
            }
            rc = rf_cat_pool_new(ci, a->bank.n, &a->q, &a->pool, err);
            free(ci);
        }
    }
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
    rf_cat_pool_free(a->pool);
    rf_quad_cleanup(&a->q);
    rf_bank_cleanup(&a->bank);
    rf_roles_cleanup(&a->roles);
    rf_taxonomy_cleanup(&a->tax);
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
    char *stored = NULL;
    if ((rc = rf_store_setting_get(a->store, "setup_token_hash", &stored, &e->err)))
        return rc;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    int ok = stored && rf_auth_equal(stored, h);
    free(stored);
    if (!ok)
        return fail(e, RF_EPERM, "token", "the setup token is not valid (see the server log)");
    if (!valid_email(email))
        return fail(e, RF_EINVAL, "email", "'%s' is not an email address", email);
    char ph[RF_PWHASH_LEN];
    if ((rc = rf_auth_hash_password(password, ph, &e->err))) {
        e->field = "password";
        return rc;
    }
    int64_t org_id;
    if ((rc = rf_store_org_create(a->store, org, &org_id, &e->err)) ||
        (rc = rf_store_user_create(a->store, org_id, email, name, "admin", ph, user_id, &e->err)))
        return rc;
    rf_store_setting_set(a->store, "setup_token_hash", "used", NULL);
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
        rf_auth_check_password("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$"
                               "RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                               password);
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
    if ((rc = rf_auth_hash_password(password, ph, &e->err))) {
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
    for (size_t i = 0; i < a->tax.nskills; i++) {
        const struct rf_skill *s = &a->tax.skills[i];
        size_t idx, n = 0;
        if (rf_cat_pool_skill(a->pool, s->id, &idx) == RF_OK)
            n = a->pool->nusable[idx];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:I}", "id", s->id, "name",
                                             s->name, "task", s->task, "description",
                                             s->description, "items", (json_int_t)n));
    }
    json_t *levels = json_array();
    for (int i = 0; i < RF_NLEVELS; i++)
        json_array_append_new(levels, json_string(a->tax.levels[i]));
    return json_pack("{s:o,s:o}", "skills", arr, "levels", levels);
}

json_t *rf_app_roles(struct rf_app *a)
{
    json_t *arr = json_array();
    for (size_t r = 0; r < a->roles.n; r++) {
        const struct rf_role *ro = &a->roles.roles[r];
        json_t *reqs = json_array();
        for (size_t k = 0; k < ro->nreqs; k++) {
            const struct rf_role_req *q = &ro->reqs[k];
            json_array_append_new(reqs, json_pack("{s:s,s:s,s:s,s:b,s:f}", "skill",
                                                  a->tax.skills[q->skill].id, "name",
                                                  a->tax.skills[q->skill].name, "level",
                                                  a->tax.levels[q->level], "core", q->core,
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
    for (size_t s = 0; s < a->tax.nskills; s++) {
        const char *sid = a->tax.skills[s].id;
        size_t band[3] = {0, 0, 0}, n = 0, cal = 0, ret = 0;
        for (size_t i = 0; i < a->bank.n; i++) {
            const struct rf_item *it = &a->bank.items[i];
            if (strcmp(it->skill, sid) != 0)
                continue;
            n++;
            cal += it->calibrated != 0;
            ret += it->retired != 0;
            enum rf_difficulty d = rf_difficulty_parse(it->difficulty);
            if (d >= RF_DIFF_EASY && d <= RF_DIFF_HARD)
                band[d]++;
        }
        total += n;
        calibrated += cal;
        retired += ret;
        json_array_append_new(skills,
                              json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "id", sid, "name",
                                        a->tax.skills[s].name, "items", (json_int_t)n, "easy",
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
    if (role && !rf_roles_find(&a->roles, role))
        return fail(e, RF_EINVAL, "role", "unknown role '%s'", role);
    if (!posting && !role)
        return fail(e, RF_EINVAL, "role", "an invite needs a target role or a posting");
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
