/*
 * The application behind `rolefit serve`: what the HTTP handlers call. It owns
 * the store, the loaded bank, taxonomy, roles and adaptive item pool, and
 * implements every flow with its permission checks: first-start setup,
 * accounts and cookie sessions, invites, adaptive tests (start, question,
 * answer, report), postings and ranking, and the bank overview. Handlers only
 * translate HTTP to these calls and back.
 *
 * Results are JSON objects built here (owned by the caller). What a candidate
 * receives during a test never contains an item's key, explanation or
 * parameters: the question payload is built in one function (question_json).
 *
 * Every function is thread-safe; errors carry a message and, where the fault
 * is one field of the request, the field's name.
 */
#ifndef RF_SERVER_APP_H
#define RF_SERVER_APP_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/lang.h"
#include "server/auth.h"

struct rf_app_config {
    const char *db;       /* store URL or SQLite file path */
    size_t db_pool;       /* PostgreSQL connections kept open (0: RF_STORE_PG_POOL) */
    const char *bank_dir; /* item bank folder */
    const char *data_dir; /* skills.json, roles.json, skill_aliases.json, learning data */
    const char *web_dir;  /* static files */
    int practice;         /* open practice mode: anyone may take a test */
    double rate_ip, rate_burst, rate_answers, rate_login; /* <= 0 disables a limit */
    /* Sympson-Hetter exposure parameters ('rolefit simulate --sh-out'); NULL:
     * none. Loaded at open (every item listed must be in the bank, K in
     * (0, 1]); tests started then select items under exposure control exactly
     * as the engine does (cat/session.h). */
    const char *exposure;
    /* 0: each test's RNG seed comes from the system's generator. Otherwise the
     * n-th test started (n from 0) is seeded with the first rf_rng_next of
     * rf_rng_substream(seed, n): reproducible tests and demos only, since
     * anyone knowing it can predict the questions. */
    uint64_t seed;
    /* Unscored pretest items per organization's test (docs/calibration.md
     * "Pretest items"): 0 RF_WEB_PRETEST, -1 none, else 1..RF_CAT_MAX_PRETEST. */
    int pretest;
    /* Pretest batches (cat/pretest.h): live pretest items per skill (0
     * RF_WEB_PRETEST_BATCH, -1 every item live, else 1..1000);
     * answers after which an item leaves its batch (0 RF_WEB_PRETEST_TARGET,
     * -1 no target). */
    int pretest_batch;
    long long pretest_target;
    /* Shortest new password (0: RF_PASSWORD_MIN; below it is refused at open).
     * The list of common passwords is data_dir/common-passwords.txt. */
    size_t password_min;
    void (*log)(const char *line); /* one line per event, may be NULL */
    /* Fairness reports (docs/fairness.md "In the product"): no adverse-impact
     * figure of a group below fair_min_group people or fair_min_cell selected
     * or not selected, no DIF figure of an item below dif_min_group answers
     * in each group (0: RF_IMPACT_MIN_GROUP, RF_IMPACT_MIN_CELL,
     * RF_DIF_MIN_GROUP). Set by the operator; no request lowers them. */
    size_t fair_min_group, fair_min_cell, dif_min_group;
    /* Wall-clock milliseconds since the epoch that response times are measured
     * on (docs/integrity.md); NULL: the system's clock. Tests give their own. */
    int64_t (*clock_ms)(void);
    /* Seconds a calibrate request waits for the re-estimate it started
     * before replying without it (0: RF_REVIEW_RECAL_WAIT; see config.h). */
    double recal_wait;
};

/* Who is calling: from the cookie session, or nobody. */
struct rf_principal {
    int64_t user_id, org_id, candidate_id;
    char role[16];   /* "admin", "recruiter", "interviewer", "candidate" or "" (anonymous) */
    char csrf[RF_TOKEN_LEN];
};

/* What a refusal is about, for a page to say it in its reader's language:
 * named numbers and short texts (a run, a revision, an item id), sent as the
 * error's "detail" object (docs/api.md "Errors"). */
#define RF_APP_ERROR_ARGS 4
struct rf_app_error_arg {
    const char *name; /* static */
    int is_text;
    long long num;
    char text[RF_MAX_ID_LEN + 1];
};

/* An application error: the record (status and English message), the
 * request field at fault and, for a refusal a page words in its own way,
 * a stable reason code (docs/api.md lists them) with its arguments. */
struct rf_app_error {
    struct rf_err err;
    const char *field;  /* static string or NULL */
    const char *reason; /* static stable code or NULL; set by rf_app_refuse */
    size_t nargs;
    struct rf_app_error_arg args[RF_APP_ERROR_ARGS];
};

/* The "detail" object of e's refusal (new reference), {} without arguments;
 * NULL when e has no reason code (or out of memory). */
json_t *rf_app_error_detail(const struct rf_app_error *e);

struct rf_app;

rf_status rf_app_open(const struct rf_app_config *cfg, struct rf_app **out, struct rf_err *err);
void rf_app_close(struct rf_app *a);
const struct rf_app_config *rf_app_config(const struct rf_app *a);
/* The application's store (the server keeps its shared limits there). */
struct rf_store *rf_app_store(const struct rf_app *a);

/* When no account exists: a fresh one-time setup token (its hash is stored;
 * printing it is the caller's business). *out is "" when setup is done. */
/* The settings key prefix of a setup token's hash (one per process start). */
#define RF_SETUP_TOKEN_KEY "setup_token:"
rf_status rf_app_setup_token(struct rf_app *a, char out[RF_TOKEN_LEN], struct rf_err *err);

/* Creates the first organization and admin with the setup token. */
rf_status rf_app_setup(struct rf_app *a, const json_t *req, int64_t *user_id,
                       struct rf_app_error *e);

/* A sign-in request ({email, password, organization?}) as read: the
 * strings borrowed from the request. */
struct rf_app_signin {
    const char *email, *password, *org; /* org: as given, or NULL */
    int64_t org_id;                     /* 0: no organization of that name */
    char account[512]; /* the sign-in throttle's key: organization and address, case folded */
};

/* Reads a sign-in request and finds its organization: by the name given
 * (case-insensitively), or the server's only one. Without a name on a server
 * of two or more, RF_EINVAL with field "organization", whatever the address:
 * the answer tells nothing about accounts. */
rf_status rf_app_signin_read(struct rf_app *a, const json_t *req, struct rf_app_signin *in,
                             struct rf_app_error *e);

/* Checks the password of the organization's account with that address;
 * *user_id on success, RF_EPERM otherwise, with the same work and answer
 * whether the organization and the account exist or not. */
rf_status rf_app_login(struct rf_app *a, const struct rf_app_signin *in, int64_t *user_id,
                       struct rf_app_error *e);

/* A new cookie session for a user or a candidate: the cookie token and its CSRF token. */
rf_status rf_app_session_new(struct rf_app *a, int64_t user_id, int64_t candidate_id,
                             char token[RF_TOKEN_LEN], char csrf[RF_TOKEN_LEN], struct rf_err *err);
/* Resolves a cookie token (NULL or unknown: anonymous). */
rf_status rf_app_principal(struct rf_app *a, const char *token, struct rf_principal *p,
                           struct rf_err *err);
/* The principal of a candidate's session as this process last read it (no
 * read; sesscache.h rf_whocache): 1, *p and the session's token hash in
 * hash when remembered and not expired; else 0 (read it: rf_app_principal).
 * Only for a request whose write checks the session (rf_app_test_answer_session). */
int rf_app_principal_remembered(struct rf_app *a, const char *token, struct rf_principal *p,
                                char hash[RF_TOKEN_HASH_LEN]);
rf_status rf_app_logout(struct rf_app *a, const char *token, struct rf_err *err);
/* {"user": {...}} or {"candidate": id} or {} for anonymous, plus csrf and practice flag.
 * A user's "lang" is the language the account chose (rf_app_me_lang), or null. */
json_t *rf_app_me(struct rf_app *a, const struct rf_principal *p);

/* Staff: the account's language, remembered across browsers and used for
 * the staff's views when a request names none (reports, teams, rankings):
 * {"lang": "en" | "ja"}; the reply is {"lang"}. Kept in the store's settings
 * (key "user_lang:ID", so it moves with db export and import). RF_EPERM
 * unless signed in with an account (admin, recruiter or interviewer);
 * another language: RF_EINVAL
 * naming "lang". */
rf_status rf_app_me_lang(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                         json_t **out, struct rf_app_error *e);

/* Adds an account to the caller's organization: an admin adds a recruiter,
 * an admin or an interviewer ({"role"}, default recruiter); a recruiter
 * adds interviewers only. */
rf_status rf_app_user_add(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                          json_t **out, struct rf_app_error *e);

/* ---- interviews (app_interviews.c; issue 17, docs/interviews.md "Scorecards
 * in the product") ----
 * Staff add interviewers (rf_app_user_add, role "interviewer": a recruiter
 * may add interviewers only) and assign them to a candidate's held rounds;
 * an interviewer sees only the candidates assigned to them. 404 for anyone
 * who may not see the candidate or assignment (another organization's
 * staff or interviewer, an interviewer not assigned, a candidate).
 * rf_app_interviewers: {"interviewers": [{"id", "name", "email"}]} (staff).
 * rf_app_assignment_add: {"invite", "round" (a round kit's or take-home's
 * id), "slot" (1.., default 1), "interviewer" (an interviewer's id)} (staff);
 * 400 naming the field, 404 "invite" / "interviewer" of another
 * organization, 409 already assigned or the held round locked.
 * rf_app_assignments: {"assignments": [...]}: staff every one of the
 * organization, an interviewer theirs; each with its scorecard's state,
 * never its content.
 * rf_app_interview_get: candidate id (an invite) with its assignments, the
 * kits of their rounds, the scale and the recommendations; a scorecard's
 * content is shown to its interviewer, to staff once submitted, and to the
 * other interviewers of its held round once theirs is submitted too; an
 * interviewer sees only the held rounds they are on.
 * rf_app_scorecard_save: the caller's scorecard of candidate id: {"round",
 * "slot" (default 1), "scores": {"criterion": point}, "notes",
 * "recommendation": "strong_no" | "no" | "yes" | "strong_yes", "submit":
 * bool}; a draft may be partial, a submission scores every criterion and
 * recommends. 400 naming the field (a score off the scale: "scores"), 403
 * "round" when that held round is not assigned to the caller, 409 "submit"
 * when submitted already; nothing stored then.
 * rf_app_scorecard_history: every save of assignment id's scorecard with
 * its author, time and the content it replaced (staff, or its interviewer). */
rf_status rf_app_interviewers(struct rf_app *a, const struct rf_principal *p, json_t **out,
                              struct rf_app_error *e);
rf_status rf_app_assignment_add(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                json_t **out, struct rf_app_error *e);
rf_status rf_app_assignments(struct rf_app *a, const struct rf_principal *p, json_t **out,
                             struct rf_app_error *e);
rf_status rf_app_interview_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               json_t **out, struct rf_app_error *e);
rf_status rf_app_scorecard_save(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                const json_t *req, json_t **out, struct rf_app_error *e);
rf_status rf_app_scorecard_history(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                   json_t **out, struct rf_app_error *e);

/* The hiring packet and the interviewer calibration report (app_hiring.c;
 * staff only, 403 for anyone else; docs/interviews.md "In the product").
 * Both read every submitted scorecard of the organization; the criteria stay
 * at the kits' defaults and the interviewers' severities are estimated.
 * rf_app_interview_calibration: interview/view.h's report, each interviewer
 * with its account "id", plus "scorecards", "skipped" (scores no criterion
 * of the kits takes) and "criteria": "kit defaults".
 * rf_app_hiring_packet: candidate id (an invite; 404 of another
 * organization) for role role_id (NULL: the invite's; 400 naming "role"
 * when unknown or none): interview/view.h's packet from the profile of the
 * invite's latest finished test ("test": its id, or null) and the
 * candidate's submitted scorecards ("ratings"), each requirement with its
 * "skill_name" and the round that would settle it by name
 * ("settled_by_name"); "calibration": the report it used. */
rf_status rf_app_interview_calibration(struct rf_app *a, const struct rf_principal *p,
                                       json_t **out, struct rf_app_error *e);
rf_status rf_app_hiring_packet(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               const char *role_id, json_t **out, struct rf_app_error *e);
/* The staff report's "interviews" section (issue 17 "One scale"): NULL in
 * *out when candidate (invite) invite of organization org has no submitted
 * scorecard; else {"scorecards", "ratings", "agree_z", "disagree", "skills":
 * [{"skill", "test", "interviews", "combined", "agree"}]} over the skills the
 * scorecards measure, each source {"mean", "sd"} (test null when test did
 * not measure the skill): "interviews" the scorecards alone, "combined" test
 * joined with them (interview/packet.h rf_iv_sources, severities calibrated
 * over the organization as for the packet), "agree" rf_iv_agree (null
 * without the test). Callers show it to staff only, never to the candidate. */
struct rf_profile;

/* The organization's submitted scorecards calibrated once, to join many
 * candidates' ratings to their profiles (a posting's ranking,
 * docs/interviews.md "In rankings"): open reads and calibrates as the
 * packet does; join adds the ratings of the invite's candidate to pr
 * (interview/rater.h rf_iv_combine) and sets *n to how many it joined (0,
 * pr unchanged: none). close frees it (NULL is fine). */
struct rf_app_iv_join;
rf_status rf_app_iv_join_open(struct rf_app *a, int64_t org, struct rf_app_iv_join **out,
                              struct rf_app_error *e);
int rf_app_iv_join_has(const struct rf_app_iv_join *j, int64_t invite);
rf_status rf_app_iv_join(const struct rf_app_iv_join *j, int64_t invite, struct rf_profile *pr,
                         size_t *n, struct rf_err *err);
void rf_app_iv_join_close(struct rf_app_iv_join *j);

rf_status rf_app_interview_evidence(struct rf_app *a, int64_t org, int64_t invite,
                                    const struct rf_profile *test, json_t **out,
                                    struct rf_app_error *e);
/* Self-reported group membership and the fairness reports (app_fairness.c;
 * docs/fairness.md "In the product").
 * rf_app_groups_get / _put / _withdraw: the signed-in candidate's own answer,
 * for the candidate alone (anyone else: RF_EPERM): {"reported", "declined",
 * "values": {gender, age_band, first_language, country}, "choices", "use"}.
 * _put takes {"declined": true} or any of the four fields (a value or null;
 * unknown fields and values are RF_EINVAL naming the field) and replaces the
 * earlier answer; _withdraw deletes it.
 * rf_app_fair_impact: adverse impact of posting id's decisions by group
 * (by: a dimension name, NULL: gender), for an admin of the posting's
 * organization (a recruiter: RF_EPERM; another organization's posting:
 * RF_ENOTFOUND): {"posting", "by", "applicants", "reported", "min_group",
 * "min_cell", "decisions": [{"decision", "label", "rule", "groups":
 * [calib/impact.h rows]}]}, or with csv the CSV export (*csv_out).
 * rf_app_fair_dif_run: {"by"?, "reference"?, "focal"?: [...]} runs DIF over
 * every finished test's answers, stored as a review run of kind "dif"
 * (admins of the bank's organization, as the review queue); replies as
 * rf_app_fair_dif, the latest run ({"run": null} before the first), or its
 * CSV export. Without "reference" the run takes the dimension's reference
 * as the scheduled run does (below); RF_ECONFLICT when nobody reported a
 * group of it. */
rf_status rf_app_groups_get(struct rf_app *a, const struct rf_principal *p, json_t **out,
                            struct rf_app_error *e);
rf_status rf_app_groups_put(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                            json_t **out, struct rf_app_error *e);
rf_status rf_app_groups_withdraw(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                 struct rf_app_error *e);
rf_status rf_app_fair_impact(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const char *by, int csv, json_t **json_out, char **csv_out,
                             struct rf_app_error *e);
rf_status rf_app_fair_dif_run(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                              json_t **out, struct rf_app_error *e);
rf_status rf_app_fair_dif(struct rf_app *a, const struct rf_principal *p, int csv,
                          json_t **json_out, char **csv_out, struct rf_app_error *e);
/* The reference group of each dimension for the scheduled DIF run (and a
 * run on request without "reference"), chosen by the bank's admins and kept
 * in the store's settings ("dif_reference:<dimension>").
 * rf_app_fair_references: {"min_group", "dimensions": [{"by", "chosen"
 * (null: none), "largest" (null: nobody reported one), "reference" (what a
 * run would take now), "reference_source" ("chosen" or "largest"), "groups"
 * (the values reported)}]}.
 * rf_app_fair_references_put: {"gender"?: value or null, ...} sets the
 * named dimensions (null: back to the largest group); every field is checked
 * before any is stored (RF_EINVAL naming it); replies as the GET. Admins of
 * the bank's organization, as the DIF run. */
rf_status rf_app_fair_references(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                 struct rf_app_error *e);
rf_status rf_app_fair_references_put(struct rf_app *a, const struct rf_principal *p,
                                     const json_t *req, json_t **out, struct rf_app_error *e);
/* The schedule's DIF run (rf_app_review_scheduled): every dimension on
 * which candidates reported two groups or more, each against its reference:
 * the group the admins chose for it (rf_app_fair_references_put) when it
 * has cfg.dif_min_group members or more, else its largest group (the first
 * by name on a tie); each of "dimensions" says which ("reference_source"
 * "chosen" or "largest", and "chosen"). Every other group is focal, over every
 * finished test's answers at the active version; stored as one review run
 * of kind "dif" made by nobody (created_by 0), whose items carry their
 * "by" and "reference", and whose "dimensions" list what was compared.
 * *stored 0 (and a log line) when no dimension has two groups. The minimum
 * group size is cfg.dif_min_group, as for a run on request. */
rf_status rf_app_fair_dif_scheduled(struct rf_app *a, int *stored, struct rf_app_error *e);

/* Lists of the catalogue (public), their text in lang (names, descriptions,
 * level names, the interview loop; English where the data has no
 * translation); ids, kinds and numbers are the same in both. The reply names
 * its language ("lang"). */
json_t *rf_app_skills(struct rf_app *a, enum rf_lang lang);
json_t *rf_app_roles(struct rf_app *a, enum rf_lang lang);
/* Admin: items per skill and difficulty band, calibrated share, bank version. */
rf_status rf_app_bank_overview(struct rf_app *a, const struct rf_principal *p, json_t **out,
                               struct rf_app_error *e);

/* The review queue and the bank's versions (app_review.c; docs/calibration.md
 * "Review and bank versions"). Admins of the organization that keeps the
 * bank (the first, made at setup) only: anyone else who is not an admin is
 * refused (RF_EPERM), an admin of another organization finds nothing
 * (RF_ENOTFOUND).
 * rf_app_review: the latest calibration run of the pretest items, each with
 * its estimates, SEs, fit, verdict ("ready", "note": the rules it fails),
 * "state" in the active version (pretest, operational, practice, retired),
 * "promotable" and the staff's "decision" on it (null when none; only a
 * decision that stands in the active version counts: made at or making the
 * active revision or one it descends from, so a rollback takes back the
 * decisions of the revisions it leaves and a roll forward restores them);
 * {"revision" (active), "run" (null before the first), "items", "rules"}.
 * "recal": the latest re-estimate of the items in use (null before the
 * first): "changed" items of "in_use", the largest and median changes of a,
 * b and c ("change"), the fitted hyperparameters ("hyper"), the held-out
 * log-likelihood per answer now and proposed ("heldout"), "accept", "why",
 * the RECAL_SHOWN largest changes ("items": "from" and "to" parameters),
 * its "run", "decision", "stale" and "applicable". "recal_running": a
 * re-estimate is being computed (its result replaces "recal" when stored).
 * rf_app_review_calibrate: a new run over every finished test's answers at
 * the active version (`rolefit calibrate --pretest` in the server, drift
 * and the re-estimate of the items in use), stored; replies as
 * rf_app_review. The re-estimate runs on a thread of its own (one at a
 * time: while one runs, none is started): the request waits for it at most
 * cfg.recal_wait seconds, then replies with "recal_running" true.
 * rf_app_review_decide: {"item", "action": "promote" | "keep" | "retire",
 * "note"?}. Promote (only a ready item of the latest run that is still a
 * pretest item) and retire make a new revision, made active; keep records
 * the decision only. 400 naming the field; 409 when the item is not
 * promotable (the reason named) or the bank changed meanwhile. Nothing is
 * stored on a refusal. {"item", "action", "revision", "previous"}.
 * rf_app_bank_versions: {"active", "file": {"id", "hash"}, "versions":
 * [newest first], "decisions": [newest first]}.
 * rf_app_bank_rollback: {"revision": N (0: the bank file), "note"?} makes an
 * earlier (or later) revision active again, exactly as it was. */
rf_status rf_app_review(struct rf_app *a, const struct rf_principal *p, json_t **out,
                        struct rf_app_error *e);
rf_status rf_app_review_calibrate(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                  json_t **out, struct rf_app_error *e);
/* The live pretest items (app_pretest.c; docs/calibration.md "Pretest
 * batches"), to the same admins as rf_app_review: {"revision", "per_test",
 * "batch" (0: every pretest item live), "target" (0: none), "run" (the
 * latest pretest calibration run's id, or null), "skills": [{"skill",
 * "pretest" (its pretest items), "waiting" (not live), "live": [{"id",
 * "answers" (in finished tests: what calibration will have), "calibrated":
 * null, or the run's {"n", "se_a", "se_b", "ready"}}]}]}, skills in the
 * order of their first pretest item, items in bank order. */
rf_status rf_app_review_pretest(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                struct rf_app_error *e);
/* The review queue's scheduled runs (server/schedule.h; docs/calibration.md
 * "Schedule"): the pretest calibration and drift runs of
 * rf_app_review_calibrate, then rf_app_fair_dif_scheduled, each stored as
 * made by nobody. Errors: the store's, or RF_ENOMEM. */
rf_status rf_app_review_scheduled(struct rf_app *a, struct rf_app_error *e);
rf_status rf_app_review_decide(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e);
/* rf_app_review_reestimate: {"run": N, "action": "apply" | "dismiss",
 * "note"?} on the latest re-estimate of the items in use (rf_app_review's
 * "recal"; docs/calibration.md "Re-estimating operational items in the
 * product"). Apply makes one new revision, made active, with every changed
 * item's proposed parameters; it is refused (409, nothing stored) when the
 * estimator did not accept the proposal, when the proposal was computed
 * against another revision than the active one (naming both), when it was
 * decided already, or when a newer run replaced it. Dismiss records the
 * decision only. 400 naming the field ("run", "action", "note"). {"run",
 * "action", "revision", "previous", "items"}. */
rf_status rf_app_review_reestimate(struct rf_app *a, const struct rf_principal *p,
                                   const json_t *req, json_t **out, struct rf_app_error *e);
/* rf_app_review_latent: {"run": N, "action": "apply" | "dismiss", "note"?}
 * on the latest latent run (rf_app_review's "latent"; docs/calibration.md
 * "Each test kind's latent distribution and the loadings"). Apply makes one
 * new revision, made active, whose overlay's "prior" holds each accepted
 * kind's proposed skills and the accepted loadings; new tests of each kind
 * start from it, tests in flight keep theirs. Refused (409, nothing stored)
 * when nothing was accepted by the held-out checks (their reasons), when the
 * run was computed against another revision than the active one (naming
 * both), when it was decided already, or when a newer run replaced it.
 * Dismiss records the decision only. 400 naming the field ("run", "action",
 * "note"). {"run", "action", "revision", "previous", "kinds", "loadings"}. */
rf_status rf_app_review_latent(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e);
rf_status rf_app_bank_versions(struct rf_app *a, const struct rf_principal *p, json_t **out,
                               struct rf_app_error *e);
rf_status rf_app_bank_rollback(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e);

/* Recruiter: invite links. */
rf_status rf_app_invite_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e);
rf_status rf_app_invites(struct rf_app *a, const struct rf_principal *p, json_t **out,
                         struct rf_app_error *e);
/* Recruiter: a top-up link for finished test {"test": id} of the
 * organization: its test measures the skills of posting id's requirements
 * that the test did not measure (and the bank has questions for), as a
 * follow-up of that test whose evidence joins the same profile. 404 (posting
 * or test not the organization's), 409 (test not finished, or nothing left
 * to measure), 400 (test). */
rf_status rf_app_invite_topup(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              const json_t *req, json_t **out, struct rf_app_error *e);
/* Public, with the link: {"code": resume code} opens a session of the
 * invite's candidate in this browser (token and csrf to set, as a test start
 * does) and says which test it is: {"test", "status"}. A wrong code is 403
 * and counted; after RF_RESUME_MAX_FAILS in a row the invite takes none for
 * RF_RESUME_LOCK_S seconds (403 with *retry_s > 0: the caller answers 429). */
rf_status rf_app_invite_resume(struct rf_app *a, const char *token, const json_t *req,
                               char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN],
                               int64_t *retry_s, json_t **out, struct rf_app_error *e);
/* Public: what an invite is for (no secrets), before accepting it; the role's
 * and skills' names in lang. */
rf_status rf_app_invite_info(struct rf_app *a, const char *token, enum rf_lang lang, json_t **out,
                             struct rf_app_error *e);

/* Candidates: start a test (practice: {"role": id} or {"skills": [...]}; or
 * {"invite": token}). Creates the candidate and its cookie session when the
 * caller has none: *new_token / *new_csrf are set then (else ""). */
rf_status rf_app_test_start(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                            char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN],
                            json_t **out, struct rf_app_error *e);
/* The test's state and current question (owner only). */
rf_status rf_app_test_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          json_t **out, struct rf_app_error *e);
/* Answers the current question: {"item": id, "choice": k}; durable on return. */
/* "Measure this skill further": starts a short session (RF_FOLLOWUP_MAX_ITEMS)
 * on the skills of req {"skills": [...]} for the candidate of finished test
 * id; items the candidate saw in the test (and its earlier follow-ups) on
 * those skills are not asked again. When it finishes, its profile is the
 * test's profile with the follow-up's evidence added (rf_profile_combine),
 * listing the sessions it rests on; the test's own profile is left as it
 * was. 404 (not the caller's test), 409 (not finished), 400 (skills). */
rf_status rf_app_test_followup(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               const json_t *req, json_t **out, struct rf_app_error *e);

/* "Confirm your role": the confirm stage of finished find-my-role test id
 * (or of a follow-up of one), for its candidate. req {} or {"role": id}
 * (default: the closest role of the test's profile). A follow-up session
 * (as rf_app_test_followup: scope {"role", "skills", "followup_of",
 * "confirm": true}) of at most RF_CONFIRM_MAX_ITEMS items on the role's
 * requirements still undecided, each settled as a role test settles it,
 * chosen by information at the requirement's cut, with the earlier answers
 * carried (server/roletest.h rf_roletest_confirm); when it finishes, its
 * profile is the combined one and its report the combined verdict on the
 * role. 404 (not the caller's test), 409 (not finished; nothing left to
 * decide), 400 (not a find-my-role test, an unknown role or field). */
rf_status rf_app_test_confirm(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              const json_t *req, json_t **out, struct rf_app_error *e);

rf_status rf_app_test_answer(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const json_t *req, json_t **out, struct rf_app_error *e);
/* The same for a principal remembered, not read (rf_app_principal_remembered,
 * session its token hash; NULL: p was read): the answer's write checks the
 * session (rf_store_answer_session); when the answer cannot be made from the
 * live session this process holds, or its write is refused, the session is
 * read as for any request (gone: 404, as for no session) and the answer made
 * as rf_app_test_answer makes it. */
rf_status rf_app_test_answer_session(struct rf_app *a, const struct rf_principal *p,
                                     const char *session, int64_t id, const json_t *req,
                                     json_t **out, struct rf_app_error *e);
/* The same with the reply written as JSON text appended to *out (the bytes
 * rf_json_dumps_out gives for rf_app_test_answer_session's *out, built
 * without a jansson tree: the answer route's); *finished: the answer ended
 * the test. */
rf_status rf_app_test_answer_text(struct rf_app *a, const struct rf_principal *p,
                                  const char *session, int64_t id, const json_t *req,
                                  struct rf_buf *out, int *finished, struct rf_app_error *e);
/* The report of a finished test: JSON, or self-contained HTML when html (1),
 * or Markdown when html is RF_APP_REPORT_MD (careers/report.h
 * rf_report_markdown, into *html_out). The candidate who took it, or a
 * recruiter/admin of the organization it was taken for. */
#define RF_APP_REPORT_MD 2
rf_status rf_app_test_report(struct rf_app *a, const struct rf_principal *p, int64_t id, int html,
                             json_t **json_out, char **html_out, struct rf_app_error *e);

/* Same in language lang ("en" or "ja"; 400 naming 'lang' otherwise): the
 * report's words and the data's names (careers/report.h). lang NULL: the
 * candidate reads the test's language, staff read English. The questions
 * reviewed stay in the language they were asked in. */
rf_status rf_app_test_report_lang(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  int html, const char *lang, json_t **json_out, char **html_out,
                                  struct rf_app_error *e);

/* Teams (app_teams.c, issue 18); staff of the team's organization only (a
 * team of another organization is 404). {"name"} makes one. */
rf_status rf_app_team_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                             json_t **out, struct rf_app_error *e);
rf_status rf_app_teams(struct rf_app *a, const struct rf_principal *p, json_t **out,
                       struct rf_app_error *e);
/* The team: its members (label, test, state, whether they share), how many
 * count, a note when some add nothing, the coverage of careers/team.h's
 * rf_team_view_json over the members who share a finished test, and the
 * readiness: the latest assessment in full with the trend of all (null when
 * none). Names, calls' words, the note and the band in lang ("en", "ja";
 * NULL: "en"; another: RF_EINVAL naming "lang"); "lang" says which. */
rf_status rf_app_team_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          const char *lang, json_t **out, struct rf_app_error *e);
/* A member: an invite of the organization, {"label", "role"} or {"label",
 * "find_role": true}; the reply is the invite's (link and token) with
 * "member". */
rf_status rf_app_team_member_add(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const json_t *req, json_t **out, struct rf_app_error *e);
/* The candidate of test id (a team member's test) shares it with the team or
 * stops: {"share": true | false}. 404 for another's test or a test not taken
 * for a team. */
rf_status rf_app_test_share(struct rf_app *a, const struct rf_principal *p, int64_t id,
                            const json_t *req, json_t **out, struct rf_app_error *e);
/* A readiness self-assessment from the raw request body ({"date":
 * "YYYY-MM-DD" (default today, UTC), "scores": {"test_id": 0 | 0.5 | 1}}):
 * an unknown test, another score or a test scored twice is 400 naming it. */
rf_status rf_app_team_assessment_add(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                     const char *body, size_t len, json_t **out,
                                     struct rf_app_error *e);
rf_status rf_app_team_assessments(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  json_t **out, struct rf_app_error *e);
/* A posting for a hire ({"role"}, default the suggested one; {"lang": "en" |
 * "ja"}): title and text, editable, ready for POST /api/postings, and what the
 * posting reader makes of the text ("reads_as"). */
rf_status rf_app_team_posting_draft(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                    const json_t *req, json_t **out, struct rf_app_error *e);
/* The team report: the document of rf_app_team_get as JSON, or as
 * self-contained HTML with SVG charts (html != 0), in lang as there. */
rf_status rf_app_team_report(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             int html, const char *lang, json_t **json_out, char **html_out,
                             struct rf_app_error *e);

/* The ML Test Score's tests by section (public): {"lang", "sections": [{"id",
 * "name", "tests": [{"id", "title", "what", "manual", "automated"}]}]}, the
 * text in lang. */
json_t *rf_app_readiness_tests(struct rf_app *a, enum rf_lang lang);

/* Recruiters: postings and ranking. */
rf_status rf_app_posting_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                json_t **out, struct rf_app_error *e);
rf_status rf_app_postings(struct rf_app *a, const struct rf_principal *p, json_t **out,
                          struct rf_app_error *e);
/* Replaces posting id's requirements with the edited ones of req
 * ({"required": [...], "preferred": [...]}, careers/posting_edit.h) and
 * records the edit (who, when, what in words, before and after). 400 naming
 * the field ("required[1].level: unknown level 'guru'"); 404. Replies with
 * the posting's new reading and {"edit": {"id", "summary"}}. */
rf_status rf_app_posting_edit(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              const json_t *req, json_t **out, struct rf_app_error *e);
/* The edits of posting id, oldest first: {"posting", "edits": [{"id", "at",
 * "by", "user_id", "summary", "before", "after"}]}. */
rf_status rf_app_posting_edits(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               json_t **out, struct rf_app_error *e);
rf_status rf_app_posting_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             json_t **out, struct rf_app_error *e);
/* A page of a long list as the query gives it: offset (NULL: 0) and limit
 * (NULL: the list's default), both decimal text. */
struct rf_app_page {
    const char *offset, *limit;
};
/* Ranks finished tests against posting id with the arithmetic of `rolefit
 * match` (each skill's stored posterior on its grid). scope NULL or "posting":
 * the tests taken from the posting's invites (its applicants); "org": every
 * finished test of the organization. Any other scope: RF_EINVAL, field "scope".
 * At most the RF_RANK_MAX_TESTS latest finished tests are read ("capped" says
 * when there were more); the reply holds one page of the ranking: limit rows
 * (page NULL or its limit NULL: RF_RANK_PAGE; at most RF_RANK_PAGE_MAX) from
 * offset; a bad offset or limit: RF_EINVAL naming it.
 * {"posting", "scope", "candidates": [best first], "total", "offset", "limit",
 *  "next" (the next page's offset, or null), "capped", "skipped"}; each
 * candidate's one-line "reason" in lang ("en", "ja"; NULL: the account's
 * language, else English; another: RF_EINVAL naming "lang"). */
rf_status rf_app_posting_ranking(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const char *scope, const struct rf_app_page *page,
                                 const char *lang, json_t **out, struct rf_app_error *e);

#endif
