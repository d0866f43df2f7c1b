/*
 * Private to the server's flow files (app.c, app_accounts.c, app_invites.c,
 * app_tests.c, app_followup.c, app_reports.c, app_postings.c, app_rank.c): the
 * application's state and the helpers every flow uses to read a request,
 * check who is asking, log and refuse. Nothing outside src/server/app*.c
 * includes it; the public door is app.h.
 */
#ifndef RF_SERVER_APP_FLOW_H
#define RF_SERVER_APP_FLOW_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/err.h"
#include "base/lang.h"
#include "careers/data.h"
#include "careers/kits.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "careers/readiness.h"
#include "careers/roles.h"
#include "careers/team.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "interview/rater.h"
#include "irt/quad.h"
#include "server/app.h"
#include "server/auth.h"
#include "server/sesscache.h"
#include "store/store.h"

/* Invariants: the bank, taxonomy, roles and pool are loaded once by
 * rf_app_open and never change while the server runs, so flows read them
 * without locks; everything mutable lives in the store (or, between
 * requests, in the session cache). */
struct rf_app {
    struct rf_app_config cfg;
    struct rf_store *store;
    struct rf_bank bank;
    struct rf_careers car; /* taxonomy, roles, learning guidance */
    struct rf_team_spec team;        /* what a team is measured against (data/team.json) */
    struct rf_readiness readiness;   /* the ML Test Score (data/readiness.json) */
    struct rf_kits kits;             /* interview kits (data/interviews.json) */
    struct rf_iv_bank ivb;           /* their rubrics' criteria as items (interview/rater.h) */
    struct rf_pwpolicy pw; /* what a new password must satisfy */
    struct rf_quad q;
    /* The pools of the bank file (docs/bank-format.md "Pools"): pool holds
     * the practice items, which open practice tests ask and whose reports
     * disclose; opool the operational items, which an organization's tests
     * (invites, postings, their follow-ups) ask and never disclose. Both hold
     * every bank item in bank order (indices, ids, skills and parameters
     * agree); only usable differs. They are revision 0's (bv[0]); every
     * revision's pools have the same layout, so indices, ids and skills read
     * from these serve every version. */
    struct rf_cat_pool *pool, *opool;
    /* The versions of the bank loaded so far (app_bankver.c): revision 0 and
     * each staff revision a test started with; built once, freed at close,
     * so that a test keeps the version it started with. cur: the active one
     * as last read from the store. */
    pthread_mutex_t bvmu;
    struct rf_app_bankver **bv;
    size_t nbv, capbv;
    _Atomic(struct rf_app_bankver *) cur;
    struct rf_sesscache *live; /* sessions between requests (sesscache.h) */
    struct rf_whocache *who;   /* who candidates' login sessions are (sesscache.h) */
    char bank_hash[RF_TOKEN_HASH_LEN];
    int64_t bank_version;
    atomic_uint_fast64_t nstarted; /* tests seeded so far (cfg.seed) */
    /* The re-estimate's thread (app_review.c): one at a time; rjmu guards
     * the rest, rjcv signals its end. rf_app_close joins it. */
    pthread_mutex_t rjmu;
    pthread_cond_t rjcv;
    pthread_t rjth;
    int rj_running, rj_joinable;
};

/* Starts the re-estimate of the items in use at version v on its own thread
 * unless one is running, then waits for it at most wait seconds (< 0: until
 * it ends). 1 when it is still running. (app_review.c) */
int rf_app_recal_start(struct rf_app *a, const struct rf_app_bankver *v, int64_t user, double wait);
/* Waits for a running re-estimate to end and joins its thread (rf_app_close). */
void rf_app_recal_join(struct rf_app *a);

/* ---- bank versions (app_bankver.c; docs/calibration.md "Review and bank versions") ---- */

/* A version of the bank the server scores with: the bank file with a
 * revision's overlay (store.h "bank revisions"). Read-only once built. */
struct rf_app_bankver {
    int64_t revision;                 /* 0: the bank file alone */
    struct rf_cat_pool *pool, *opool; /* practice and operational, as rf_app's */
    size_t npretest;
    uint32_t *pretest;   /* the version's pretest items (pool indices) */
    struct rf_item *items; /* the bank's items with the overlay applied (a shallow copy:
                              strings are a->bank's) */
    struct rf_bank view;   /* a->bank with items: bank lookups at this version's
                              parameters and pools; never cleaned up as a bank */
    /* The prior staff applied from the store (the overlay's "prior";
     * docs/calibration.md "Each test kind's latent distribution and the
     * loadings"), by taxonomy skill: each kind's takers N(kmu, ksd^2)
     * ([RF_TEST_NKINDS * taxonomy skills], ksd 0: not applied, N(0, 1)) and
     * each skill's loading (lambda, below 0: not applied, the taxonomy's). */
    double *kmu, *ksd, *lambda;
    int has_prior;
    uint64_t prior_from; /* one after the newest test the applied prior read (0: none) */
};

/* Gives design d of a new test of that kind (enum rf_test_kind,
 * server/recal_data.h) on pool p the prior of p's version: each scope
 * skill's population N(mu, sd^2) where the version applies one for the
 * kind, and the version's loading for every scope skill the design already
 * loads on g (loadings_assumed then recomputed: a loading applied from the
 * store is calibrated). Designs of versions without a prior are unchanged. */
void rf_app_prior_apply(struct rf_app *a, const struct rf_cat_pool *p, int kind,
                        struct rf_cat_design *d);

/* The staff's decision on review run `run` (no item: a re-estimate's or a
 * latent run's apply or dismiss) that stands in version v: the newest whose
 * revision is on v's lineage, as {"id", "action": "apply" | "dismiss",
 * "revision", "run", "note", "user", "at"}; *out NULL when none. */
rf_status rf_app_review_run_decision(struct rf_app *a, const struct rf_app_bankver *v, int64_t run,
                                     json_t **out, struct rf_app_error *e);

/* The latent run (app_latent.c): each test kind's latent distribution and
 * the loadings from the re-estimate's data d (server/recal_data.h) at
 * version v, stored as a review run of kind "latent" made by user. */
struct rf_recal_data;
rf_status rf_app_latent_run(struct rf_app *a, const struct rf_app_bankver *v,
                            const struct rf_recal_data *d, int64_t user, struct rf_app_error *e);

/* GET /api/review's "latent" for the active version v (*out NULL before the
 * first run). */
rf_status rf_app_latent_view(struct rf_app *a, const struct rf_app_bankver *v, json_t **out,
                             struct rf_app_error *e);

/* Builds revision 0 and makes it current (rf_app_open). */
rf_status rf_app_bank_init(struct rf_app *a, struct rf_err *err);
void rf_app_bank_free(struct rf_app *a);

/* The active version: the store's active revision, built when first seen
 * (and made current). Errors: the store, or an overlay that does not load. */
rf_status rf_app_bank_current(struct rf_app *a, const struct rf_app_bankver **out,
                              struct rf_err *err);

/* rf_app_bank_current for its effect: rf_app_pool then serves the active
 * version (called as a new session's design begins). */
rf_status rf_app_bank_refresh(struct rf_app *a, struct rf_err *err);

/* Version revision (built when first asked for). RF_ENOTFOUND when the store
 * has no such revision. */
rf_status rf_app_bank_get(struct rf_app *a, int64_t revision, const struct rf_app_bankver **out,
                          struct rf_err *err);

/* The version a stored test was started with (its scope's "bank", absent:
 * revision 0). */
rf_status rf_app_bank_of_test(struct rf_app *a, const struct rf_test *t,
                              const struct rf_app_bankver **out, struct rf_err *err);

/* The revision whose pool p is (p from rf_app_pool or a version), or 0. */
int64_t rf_app_pool_revision(struct rf_app *a, const struct rf_cat_pool *p);

/* The pool of the current version an operational (rf_app_test_operational)
 * or practice test starts on. */
struct rf_cat_pool *rf_app_pool(struct rf_app *a, int operational);

/* A version's pool for a test (operational or practice). */
static inline struct rf_cat_pool *rf_app_bv_pool(const struct rf_app_bankver *v, int operational)
{
    return operational ? v->opool : v->pool;
}

/* ---- every flow (app.c) ---- */

/* Seconds since the epoch (expiry of sessions and invites). */
int64_t rf_app_now_s(void);
/* rf_app_principal of the session whose token hash is h (read). */
rf_status rf_app_principal_of_hash(struct rf_app *a, const char *h, struct rf_principal *p,
                                   struct rf_err *err);

/* Wall-clock milliseconds of response times (cfg.clock_ms, or the system's). */
int64_t rf_app_wall_ms(const struct rf_app *a);

/* One line to cfg.log (nothing when there is none), control characters
 * replaced so that a label cannot forge a log line; truncated at 1 KiB. */
void rf_app_log(struct rf_app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records an error with the request field at fault (NULL: none) in *e and
 * returns rc. */
rf_status rf_app_fail(struct rf_app_error *e, rf_status rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As rf_app_fail, with the stable reason code of the refusal (a static
 * string listed in docs/api.md "Errors" and worded by the pages as
 * "reason.<code>" in web/i18n). Its arguments, if any, follow through
 * rf_app_error_num and rf_app_error_text (after this call, which clears
 * them). */
rf_status rf_app_refuse(struct rf_app_error *e, rf_status rc, const char *field, const char *reason,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#ifdef __clang_analyzer__
/* As for rf_err_set (base/err.h): the analyzer does not follow variadic calls. */
#define rf_app_fail(e, rc, ...) (rf_app_fail((e), (rc), __VA_ARGS__), (rc))
#define rf_app_refuse(e, rc, ...) (rf_app_refuse((e), (rc), __VA_ARGS__), (rc))
#endif
/* A named number or text (copied, cut at RF_MAX_ID_LEN bytes) of the refusal
 * last recorded in e by rf_app_refuse; at most RF_APP_ERROR_ARGS of them. */
void rf_app_error_num(struct rf_app_error *e, const char *name, long long v);
void rf_app_error_text(struct rf_app_error *e, const char *name, const char *v);

/* A required string field of a request object, length 1..max bytes, no NUL,
 * no control or bidirectional formatting character (line breaks allowed when
 * max > 256; a "password" is not checked). *out points into req. RF_EINVAL
 * naming the field otherwise. */
rf_status rf_app_req_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e);

/* As rf_app_req_string, but absent or null gives *out = NULL and RF_OK. */
rf_status rf_app_opt_string(const json_t *req, const char *key, size_t max, const char **out,
                            struct rf_app_error *e);

/* 1 when s looks like an e-mail address (one '@' with text on both sides, no
 * spaces, angle brackets or quotes). */
int rf_app_valid_email(const char *s);

/* 1 when the caller is signed in as an admin or recruiter. */
int rf_app_is_staff(const struct rf_principal *p);

/* The language of a view: code when given (RF_EINVAL naming "lang" when it
 * is not one), else the staff account's chosen language (rf_app_me_lang),
 * else dflt. */
rf_status rf_app_view_lang(struct rf_app *a, const struct rf_principal *p, const char *code,
                           enum rf_lang dflt, enum rf_lang *out, struct rf_app_error *e);

/* ---- shared by the test flows (app_tests.c, app_followup.c) ---- */

/* The scope of a new test: a role's skills, every skill some role requires
 * ("find my role": find != 0), or a list of skills. For role and find tests
 * the skills are filled in by the test's design (app_tests.c). */
struct rf_app_scope {
    const struct rf_role *role;
    int find;
    const char *lang; /* the questions' language: "en" or "ja" (bank/item.h) */
    size_t n;
    const char *skills[RF_CAT_MAX_SCOPE];
};

/* The scope a test request asks for: "role", "skills" or "find_role": true. */
rf_status rf_app_scope_from_request(struct rf_app *a, const json_t *req, struct rf_app_scope *sc,
                                    struct rf_app_error *e);

/* The optional "lang" of a test request: "en" (default) or "ja"; 400 naming
 * the field for any other value. *lang is a static string. */
rf_status rf_app_lang_from_request(const json_t *req, const char **lang, struct rf_app_error *e);

/* The questions' language of a stored test: its scope's "lang", else "en".
 * A static string. */
const char *rf_app_test_lang(const struct rf_test *t);

/* The RNG seed of a new test (see cfg.seed in app.h). */
uint64_t rf_app_session_seed(struct rf_app *a);

/* Seeds d (an organization's test over the current version's opool) with
 * up to cfg.pretest of that version's pretest items of its scope skills, drawn uniformly, at uniform
 * random positions (cat/session.h), from a stream of the session's seed
 * apart from the session's own; none when the bank has none. */
void rf_app_pretest_seed(struct rf_app *a, struct rf_cat_design *d, uint64_t seed);

/* The pretest settings in force (app_pretest.c; cfg.pretest, pretest_batch,
 * pretest_target with their defaults applied): pretest items per test (at
 * most RF_CAT_MAX_PRETEST), live items per skill (0: all), answers an item
 * leaves its batch at (0: no target). */
void rf_app_pretest_settings(const struct rf_app *a, size_t *per_test, size_t *batch,
                             int64_t *target);

/* Admins of the organization that keeps the bank only (app_pretest.c): a
 * signed-in admin of another organization RF_ENOTFOUND ("not found"), anyone
 * else RF_EPERM. */
rf_status rf_app_bank_admin(struct rf_app *a, const struct rf_principal *p, struct rf_app_error *e);

/* A session's state as compact JSON (*out, caller frees). */
rf_status rf_app_session_state(const struct rf_cat_session *s, char **out, struct rf_err *err);

/* Keeps session s of test id, just created as *t (borrowed: its ids, scope
 * and served_ms are copied), in the live cache (sesscache.h) with state, the
 * state s was saved as; s and state are taken. */
void rf_app_live_keep(struct rf_app *a, int64_t id, const struct rf_test *t,
                      struct rf_cat_session *s, char *state);
/* Loads a test the caller may act on as its candidate (404 otherwise, so that
 * other people's test ids reveal nothing); *t is cleaned up by the caller on
 * RF_OK. */
rf_status rf_app_own_test(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          struct rf_test *t, struct rf_app_error *e);

/* Whether a test is operational: an organization's (an invited test or a
 * follow-up of one), as opposed to open practice. An operational test never
 * discloses its questions' keys or explanations, and while it runs it shows
 * no skill's precision (docs/security.md, "Harvesting"). */
int rf_app_test_operational(const struct rf_test *t);

/* The response to a test request: the test and its current question (*out).
 * operational: the test is operational (rf_app_test_operational): while it
 * is active every skill's "se" and "done" are null and progress is the share
 * of the item limit answered, so that nothing after an answer tells whether
 * it was right. lang: the questions' language (rf_app_test_lang). */
rf_status rf_app_test_reply(struct rf_app *a, int64_t id, struct rf_cat_session *s,
                            const char *status, int operational, const char *lang, json_t **out,
                            struct rf_app_error *e);

/* The same reply written to *out as text (appended), byte for byte what
 * rf_json_dumps_out(reply, JSON_COMPACT | JSON_ENSURE_ASCII) gives for the
 * reply of rf_app_test_reply, without building a jansson tree (an answer's
 * reply: docs/scale.md "The serve process's CPU"); *out is as it was on
 * failure. tests/server/test_reply.c holds the two to the same bytes. */
rf_status rf_app_test_reply_text(struct rf_app *a, int64_t id, struct rf_cat_session *s,
                                 const char *status, int operational, const char *lang,
                                 struct rf_buf *out, struct rf_app_error *e);

/* A finished follow-up's profile: the profile of the test it follows with
 * the follow-up's evidence added (rf_profile_combine), the sessions listed
 * ("test-ID"). *profile and the packed copy are replaced; a test that is not
 * a follow-up is left alone (app_followup.c). */
rf_status rf_app_followup_combine(struct rf_app *a, const struct rf_test *t, char **profile,
                                  unsigned char **packed, size_t *npacked, struct rf_err *err);

/* Starts a follow-up session of finished test t (for t's candidate) over
 * scope sc with design d: never a question the candidate has seen in t and
 * its earlier follow-ups; its scope names followup_of (and posting when
 * posting_id is not 0), and the new test carries posting_id and invite_id
 * (a top-up's: 0 for a candidate's own follow-up). *out as rf_app_test_reply,
 * with "followup_of" (app_followup.c). */
rf_status rf_app_followup_begin(struct rf_app *a, const struct rf_test *t,
                                const struct rf_app_scope *sc, const struct rf_cat_design *d,
                                int64_t posting_id, int64_t invite_id, json_t **out,
                                struct rf_app_error *e);

/* The confirm stage a find-my-role report offers (app_followup.c), for its
 * profile pr: {"role", "name" (the closest role), "undecided" (its
 * requirements a confirm test would settle: P(meets) between
 * 1 - RF_ROLETEST_DECIDE_P and RF_ROLETEST_DECIDE_P), "max_items",
 * "offered" (false when no role resembles the answers or nothing is
 * undecided), "reason" (why not, when not)}; NULL on error. */
json_t *rf_app_confirm_offer(struct rf_app *a, const struct rf_profile *pr);

/* How far the calls of test t's report go (careers/report.h
 * rf_report_mark_readings): *find_role when the first test of its chain of
 * follow-ups is a find-my-role test; then the role a confirm test of the
 * chain settled (the nearest one, t itself first) into confirmed (size n,
 * "" when none). A chain that cannot be read counts as what t's own scope
 * says. */
void rf_app_chain_reading(struct rf_app *a, const struct rf_test *t, int *find_role,
                          char *confirmed, size_t n);

/* ---- invites (app_invites.c) ---- */

/* Stores a new invite v (its token and expiry are made here) and writes the
 * reply: id, token, link, expires and what the invite is for (posting_title:
 * the title of v's posting, or NULL). With team_id (0: none) the invite is
 * a member of that team, made in the same transaction as the invite, and the
 * reply adds "member" and "team". */
rf_status rf_app_invite_new(struct rf_app *a, struct rf_invite *v, const char *posting_title,
                            int64_t team_id, json_t **out, struct rf_app_error *e);

/* A new resume code for invite_id ("ABCD-EFGH", RF_RESUME_CODE_CHARS letters
 * and digits and a dash): its hash is stored with the invite, replacing any
 * earlier code; the code itself is shown once, to the candidate. */
rf_status rf_app_resume_code_new(struct rf_app *a, int64_t invite_id,
                                 char code[RF_RESUME_CODE_CHARS + 2], struct rf_err *err);

/* ---- teams (app_teams.c) ---- */

/* The role of a team member's invite to a find-my-role test (not a role id:
 * role ids have no such name). */
#define RF_INVITE_FIND_ROLE "find_role"
/* Steps of the readiness plan a team's page shows. */
#define RF_TEAM_PLAN_STEPS 5

/* Whether the organization's staff may read test t's report: not when t was
 * taken from a team member's invite, or from a top-up of a member's test,
 * and the member does not share it (nor when the store cannot tell). */
int rf_app_team_staff_may_read(struct rf_app *a, const struct rf_test *t);

/* The invites of the organization's team members who do not share their
 * tests, and of those members' top-ups (*ids malloc'd, *n of them, in
 * increasing order): rankings and the invite list leave their tests out. */
rf_status rf_app_team_private_invites(struct rf_app *a, int64_t org_id, int64_t **ids, size_t *n,
                                      struct rf_err *err);
/* Whether id is among ids[0..n-1] (increasing). */
int rf_app_ids_have(const int64_t *ids, size_t n, int64_t id);

/* Loads data_dir's team.json and readiness.json into a->team and
 * a->readiness (after the careers data). */
rf_status rf_app_teams_load(struct rf_app *a, struct rf_err *err);

/* The team section of test t's report for its candidate: {"id", "name",
 * "shared"} when t was taken from a team member's invite, else NULL. */
json_t *rf_app_team_of_test(struct rf_app *a, const struct rf_test *t);

/* ---- interviews (app_interviews.c) ---- */

/* Loads data_dir's interviews.json into a->kits and its criteria into
 * a->ivb (after the careers data); rf_app_interviews_free releases them. */
rf_status rf_app_interviews_load(struct rf_app *a, struct rf_err *err);
void rf_app_interviews_free(struct rf_app *a);

/* ---- postings (app_postings.c) ---- */

/* A posting of the caller's organization (RF_EPERM for a candidate,
 * RF_ENOTFOUND for another organization's); *po is the caller's to clean up
 * on RF_OK. */
rf_status rf_app_own_posting(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             struct rf_posting *po, struct rf_app_error *e);

/* The requirements a stored posting is read by: the edited ones when a
 * recruiter corrected them, else the reader's reading of its text (field
 * "text" on a refusal). *pp is the caller's to clean up on RF_OK. */
rf_status rf_app_posting_reading(struct rf_app *a, const struct rf_posting *po,
                                 struct rf_parsed_posting *pp, struct rf_app_error *e);

/* The posting section of a report: the profile against posting's current
 * requirements ({"id", "title", "fit", "sd", "p_required", "measured",
 * "reason", "requirements": [{"label", "section", "level", "weight", "call",
 * "p" (null when not measured)}]}), the reason and level names in lang; NULL
 * when the posting cannot be read. */
json_t *rf_app_posting_report(struct rf_app *a, int64_t posting, const struct rf_profile *pr,
                              enum rf_lang lang);

/* ---- ranking (app_rank.c) ---- */

/* One applicant of a posting as a ranking reads it: the latest test of a
 * candidate, its fit, and per requirement of the reading P(meets) and
 * whether it was measured (borrowed for the call). */
struct rf_app_applicant {
    int64_t test, candidate;
    const struct rf_posting_fit *f;
    const double *p;        /* pp->nreqs */
    const size_t *measured; /* pp->nreqs */
};

/* Calls fn for each applicant of posting posting_id (of organization
 * org_id) read by pp, exactly the rows its ranking ranks (a team member's
 * unshared test left out), in no particular order. */
rf_status rf_app_posting_applicants(struct rf_app *a, int64_t org_id, int64_t posting_id,
                                    const struct rf_parsed_posting *pp,
                                    void (*fn)(void *ud, const struct rf_app_applicant *r),
                                    void *ud, struct rf_err *err);

#endif
