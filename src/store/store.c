/* Backend-independent parts of the store: choosing the backend a URL names,
 * forwarding each call to it (backend.h), freeing records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

int rf_store_is_pg_url(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* Appends text to buf (n bytes, *o used), truncating. */
static void put(char *buf, size_t n, size_t *o, const char *text, size_t len)
{
    for (size_t k = 0; k < len && *o + 1 < n; k++)
        buf[(*o)++] = text[k];
}

void rf_store_url_redacted(const char *url, char *buf, size_t n)
{
    if (!n)
        return;
    int pg = rf_store_is_pg_url(url);
    /* scheme://user:password@host...: the password runs from the first ':'
     * after the scheme to the last '@' of the authority */
    const char *from = NULL, *to = NULL;
    if (pg) {
        const char *auth = strstr(url, "://") + 3;
        size_t alen = strcspn(auth, "/?#");
        for (const char *c = auth; c < auth + alen; c++)
            if (*c == '@')
                to = c;
        from = to ? memchr(auth, ':', (size_t)(to - auth)) : NULL;
    }
    size_t o = 0;
    for (const char *c = url; *c;) {
        if (from && c == from + 1) {
            put(buf, n, &o, "***", 3);
            c = to;
        } else if (pg && c > url && (c[-1] == '?' || c[-1] == '&') && strncmp(c, "password=", 9) == 0) {
            put(buf, n, &o, "password=***", 12);
            c += 9 + strcspn(c + 9, "&#");
        } else {
            put(buf, n, &o, c++, 1);
        }
    }
    buf[o] = '\0';
}

rf_status rf_store_open_opts(const char *url, const struct rf_store_options *opt,
                             struct rf_store **out, struct rf_err *err)
{
    if (rf_store_is_pg_url(url))
        return rf_store_pg_open(url, opt, out, err);
    return rf_store_sqlite_open(strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url, out, err);
}

rf_status rf_store_open(const char *url, struct rf_store **out, struct rf_err *err)
{
    return rf_store_open_opts(url, NULL, out, err);
}

void rf_store_close(struct rf_store *s)
{
    if (s)
        s->ops->close(s);
}

int rf_store_schema_version(struct rf_store *s)
{
    return s->ops->schema_version(s);
}

rf_status rf_store_setting_get(struct rf_store *s, const char *key, char **value,
                               struct rf_err *err)
{
    return s->ops->setting_get(s, key, value, err);
}

rf_status rf_store_setting_set(struct rf_store *s, const char *key, const char *value,
                               struct rf_err *err)
{
    return s->ops->setting_set(s, key, value, err);
}

rf_status rf_store_setting_swap(struct rf_store *s, const char *key, const char *expected,
                                const char *value, struct rf_err *err)
{
    return s->ops->setting_swap(s, key, expected, value, err);
}

rf_status rf_store_org_create(struct rf_store *s, const char *name, int64_t *id,
                              struct rf_err *err)
{
    return s->ops->org_create(s, name, id, err);
}

rf_status rf_store_user_create(struct rf_store *s, int64_t org_id, const char *email,
                               const char *name, const char *role, const char *pw_hash,
                               int64_t *id, struct rf_err *err)
{
    return s->ops->user_create(s, org_id, email, name, role, pw_hash, id, err);
}

rf_status rf_store_user_by_email(struct rf_store *s, int64_t org_id, const char *email,
                                 struct rf_user *u, struct rf_err *err)
{
    return s->ops->user_by_email(s, org_id, email, u, err);
}

rf_status rf_store_user_get(struct rf_store *s, int64_t id, struct rf_user *u,
                            struct rf_err *err)
{
    return s->ops->user_get(s, id, u, err);
}

rf_status rf_store_user_count(struct rf_store *s, int64_t *n, struct rf_err *err)
{
    return s->ops->user_count(s, n, err);
}

rf_status rf_store_auth_create(struct rf_store *s, const char *token_hash,
                               const struct rf_auth *a, struct rf_err *err)
{
    return s->ops->auth_create(s, token_hash, a, err);
}

rf_status rf_store_auth_get(struct rf_store *s, const char *token_hash, int64_t now,
                            struct rf_auth *a, struct rf_err *err)
{
    return s->ops->auth_get(s, token_hash, now, a, err);
}

rf_status rf_store_auth_delete(struct rf_store *s, const char *token_hash, struct rf_err *err)
{
    return s->ops->auth_delete(s, token_hash, err);
}

rf_status rf_store_candidate_create(struct rf_store *s, int64_t org_id, const char *name,
                                    const char *email, int64_t *id, struct rf_err *err)
{
    return s->ops->candidate_create(s, org_id, name, email, id, err);
}

rf_status rf_store_candidate_get(struct rf_store *s, int64_t id, struct rf_candidate *c,
                                 struct rf_err *err)
{
    return s->ops->candidate_get(s, id, c, err);
}

rf_status rf_store_org_name(struct rf_store *s, int64_t id, char **name, struct rf_err *err)
{
    return s->ops->org_name(s, id, name, err);
}

rf_status rf_store_org_find(struct rf_store *s, const char *name, int64_t *id, struct rf_err *err)
{
    int64_t n = 1;
    rf_status rc = s->ops->org_find(s, name, id, &n, err);
    if (rc || name)
        return rc;
    if (n == 0)
        return rf_err_set(err, RF_ENOTFOUND, "no organization");
    if (n > 1)
        return rf_err_set(err, RF_ECONFLICT, "%lld organizations: name one", (long long)n);
    return RF_OK;
}

rf_status rf_store_org_first(struct rf_store *s, int64_t *id, struct rf_err *err)
{
    int64_t n = 0;
    *id = 0;
    rf_status rc = s->ops->org_find(s, NULL, id, &n, err);
    if (!rc && n == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "no organization");
    return rc;
}

rf_status rf_store_invite_set_resume(struct rf_store *s, int64_t invite_id, const char *hash,
                                     struct rf_err *err)
{
    return s->ops->invite_set_resume(s, invite_id, hash, err);
}

rf_status rf_store_invite_resume_result(struct rf_store *s, int64_t invite_id, int ok, int64_t now,
                                        struct rf_err *err)
{
    return s->ops->invite_resume_result(s, invite_id, ok, now, err);
}

rf_status rf_store_posting_edit(struct rf_store *s, const char *parsed,
                                const struct rf_posting_edit *e, int64_t *id, struct rf_err *err)
{
    return s->ops->posting_edit(s, parsed, e, id, err);
}

rf_status rf_store_posting_edits_list(struct rf_store *s, int64_t posting_id,
                                      void (*fn)(void *ud, const struct rf_posting_edit *e),
                                      void *ud, struct rf_err *err)
{
    return s->ops->posting_edits_list(s, posting_id, fn, ud, err);
}

rf_status rf_store_invite_create(struct rf_store *s, const char *token_hash,
                                 const struct rf_invite *v, int64_t *id, struct rf_err *err)
{
    return s->ops->invite_create(s, token_hash, v, id, err);
}

rf_status rf_store_invite_by_token(struct rf_store *s, const char *token_hash,
                                   struct rf_invite *v, struct rf_err *err)
{
    return s->ops->invite_by_token(s, token_hash, v, err);
}

rf_status rf_store_invite_get(struct rf_store *s, int64_t id, struct rf_invite *v,
                              struct rf_err *err)
{
    return s->ops->invite_get(s, id, v, err);
}

rf_status rf_store_invite_claim(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                                struct rf_err *err)
{
    return s->ops->invite_claim(s, invite_id, candidate_id, err);
}

rf_status rf_store_invite_unclaim(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                                  struct rf_err *err)
{
    return s->ops->invite_unclaim(s, invite_id, candidate_id, err);
}

rf_status rf_store_invites_list(struct rf_store *s, int64_t org_id,
                                void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                struct rf_err *err)
{
    return s->ops->invites_list(s, org_id, fn, ud, err);
}

rf_status rf_store_test_create(struct rf_store *s, const struct rf_test *t, int64_t *id,
                               struct rf_err *err)
{
    return s->ops->test_create(s, t, id, err);
}

rf_status rf_store_test_get(struct rf_store *s, int64_t id, struct rf_test *t,
                            struct rf_err *err)
{
    return s->ops->test_get(s, id, t, err);
}

rf_status rf_store_test_by_invite(struct rf_store *s, int64_t invite_id, struct rf_test *t,
                                  struct rf_err *err)
{
    return s->ops->test_by_invite(s, invite_id, t, err);
}

rf_status rf_store_answer(struct rf_store *s, const struct rf_answer *a, const char *new_state,
                          const char *profile, struct rf_err *err)
{
    return s->ops->answer_signals(s, a, NULL, NULL, 0, new_state, profile, NULL, 0, err);
}

rf_status rf_store_answer_packed(struct rf_store *s, const struct rf_answer *a,
                                 const char *new_state, const char *profile,
                                 const unsigned char *packed, size_t npacked, struct rf_err *err)
{
    return s->ops->answer_signals(s, a, NULL, NULL, 0, new_state, profile, packed, npacked, err);
}

rf_status rf_store_answer_signals(struct rf_store *s, const struct rf_answer *a,
                                  const struct rf_answer_signals *sig, const char *new_state,
                                  const char *profile, const unsigned char *packed,
                                  size_t npacked, struct rf_err *err)
{
    return s->ops->answer_signals(s, a, sig, NULL, 0, new_state, profile, packed, npacked, err);
}

rf_status rf_store_answer_session(struct rf_store *s, const struct rf_answer *a,
                                  const struct rf_answer_signals *sig, const char *session,
                                  int64_t now, const char *new_state, const char *profile,
                                  const unsigned char *packed, size_t npacked, struct rf_err *err)
{
    return s->ops->answer_signals(s, a, sig, session, now, new_state, profile, packed, npacked,
                                  err);
}

rf_status rf_store_answers_list(struct rf_store *s, int64_t test_id,
                                void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                struct rf_err *err)
{
    return s->ops->answers_list(s, test_id, fn, ud, err);
}

rf_status rf_store_answers_signals(struct rf_store *s, int64_t test_id,
                                   void (*fn)(void *ud, const struct rf_answer *a,
                                              const struct rf_answer_signals *sig),
                                   void *ud, struct rf_err *err)
{
    return s->ops->answers_signals(s, test_id, fn, ud, err);
}

rf_status rf_store_item_answer_counts(struct rf_store *s, size_t n, const char *const *item_ids,
                                      int64_t *counts, struct rf_err *err)
{
    return s->ops->item_answer_counts(s, n, item_ids, counts, err);
}

rf_status rf_store_item_stats(struct rf_store *s, const char *item_id,
                              struct rf_store_item_stats *out, struct rf_err *err)
{
    return s->ops->item_stats(s, item_id, out, err);
}

rf_status rf_store_item_wrong(struct rf_store *s, const char *item_id, size_t max,
                              void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                              struct rf_err *err)
{
    return s->ops->item_wrong(s, item_id, max, fn, ud, err);
}

rf_status rf_store_tests_finished(struct rf_store *s, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                  struct rf_err *err)
{
    return s->ops->tests_finished(s, org_id, fn, ud, err);
}

rf_status rf_store_tests_ranked(struct rf_store *s, int64_t org_id, int64_t posting_id,
                                int64_t fit_posting, int64_t fit_key, size_t fit_size,
                                void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                struct rf_err *err)
{
    return s->ops->tests_ranked(s, org_id, posting_id, fit_posting, fit_key, fit_size, fn, ud,
                                err);
}

rf_status rf_store_test_fits_put(struct rf_store *s, int64_t posting_id, int64_t fit_key,
                                 size_t n, const int64_t *ids, const int64_t *finished,
                                 size_t size, const unsigned char *summaries, struct rf_err *err)
{
    if (!n)
        return RF_OK;
    return s->ops->test_fits_put(s, posting_id, fit_key, n, ids, finished, size, summaries, err);
}

rf_status rf_store_tests_set_packed(struct rf_store *s, size_t n, const int64_t *ids,
                                    unsigned char *const *packed, const size_t *npacked,
                                    struct rf_err *err)
{
    return s->ops->tests_set_packed(s, n, ids, packed, npacked, err);
}

rf_status rf_store_posting_create(struct rf_store *s, const struct rf_posting *p, int64_t *id,
                                  struct rf_err *err)
{
    return s->ops->posting_create(s, p, id, err);
}

rf_status rf_store_posting_get(struct rf_store *s, int64_t id, struct rf_posting *p,
                               struct rf_err *err)
{
    return s->ops->posting_get(s, id, p, err);
}

rf_status rf_store_postings_list(struct rf_store *s, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                 struct rf_err *err)
{
    return s->ops->postings_list(s, org_id, fn, ud, err);
}

rf_status rf_store_bank_version(struct rf_store *s, const char *hash, int64_t nitems, int64_t *id,
                                struct rf_err *err)
{
    return s->ops->bank_version(s, hash, nitems, id, err);
}

rf_status rf_store_limits_take(struct rf_store *s, double now, int strict,
                               struct rf_store_take *v, size_t n, struct rf_err *err)
{
    return n ? s->ops->limits_take(s, now, strict, v, n, err) : RF_OK;
}

rf_status rf_store_counter(struct rf_store *s, const char *key, int op, double now, int64_t *n,
                           double *at, struct rf_err *err)
{
    int64_t n0 = 0;
    double at0 = 0;
    return s->ops->counter(s, key, op, now, n ? n : &n0, at ? at : &at0, err);
}

rf_status rf_store_slot_take(struct rf_store *s, const struct rf_store_slot_ask *q,
                             int64_t *slot, int *per_key, double *retry_after,
                             struct rf_err *err)
{
    *slot = 0;
    *per_key = 0;
    *retry_after = 0;
    return s->ops->slot_take(s, q, slot, per_key, retry_after, err);
}

int rf_store_slot_decide(const struct rf_store_slot_ask *q, int64_t all, int64_t mine,
                         double first_all, double first_mine, int *per_key,
                         double *retry_after)
{
    int full_key = q->max_per_key > 0 && mine >= q->max_per_key;
    /* the last fifth of the slots is kept for keys that hold none */
    int reserved = mine > 0 && all + q->max_total / 5 >= q->max_total;
    if (!full_key && !reserved && all < q->max_total)
        return 1;
    double t = full_key ? first_mine : first_all;
    *retry_after = t < 1 ? 1 : t;
    *per_key = full_key;
    return 0;
}

rf_status rf_store_slots_update(struct rf_store *s, const struct rf_store_slot_change *c,
                                size_t n, struct rf_err *err)
{
    return n ? s->ops->slots_update(s, c, n, err) : RF_OK;
}

void rf_store_user_cleanup(struct rf_user *u)
{
    free(u->email);
    free(u->name);
    free(u->role);
    free(u->pw_hash);
    memset(u, 0, sizeof *u);
}

void rf_store_auth_cleanup(struct rf_auth *a)
{
    free(a->csrf);
    free(a->role);
    memset(a, 0, sizeof *a);
}

void rf_store_candidate_cleanup(struct rf_candidate *c)
{
    free(c->name);
    free(c->email);
    memset(c, 0, sizeof *c);
}

void rf_store_invite_cleanup(struct rf_invite *v)
{
    free(v->role);
    free(v->label);
    free(v->skills);
    free(v->resume_hash);
    memset(v, 0, sizeof *v);
}

void rf_store_test_cleanup(struct rf_test *t)
{
    free(t->scope);
    free(t->state);
    free(t->status);
    free(t->profile);
    memset(t, 0, sizeof *t);
}

void rf_store_posting_cleanup(struct rf_posting *p)
{
    free(p->title);
    free(p->text);
    free(p->parsed);
    memset(p, 0, sizeof *p);
}

void rf_store_posting_edit_cleanup(struct rf_posting_edit *e)
{
    free(e->user);
    free(e->summary);
    free(e->before);
    free(e->after);
    memset(e, 0, sizeof *e);
}

/* ---- interviews ---- */

rf_status rf_store_assignment_add(struct rf_store *s, const struct rf_assignment *a, int64_t *id,
                                  struct rf_err *err)
{
    return s->ops->assignment_add(s, a, id, err);
}

rf_status rf_store_assignment_get(struct rf_store *s, int64_t id, struct rf_assignment *a,
                                  struct rf_err *err)
{
    return s->ops->assignment_get(s, id, a, err);
}

rf_status rf_store_assignments_list(struct rf_store *s, int64_t org_id, int64_t invite_id,
                                    int64_t interviewer_id,
                                    void (*fn)(void *ud, const struct rf_assignment *a), void *ud,
                                    struct rf_err *err)
{
    return s->ops->assignments_list(s, org_id, invite_id, interviewer_id, fn, ud, err);
}

rf_status rf_store_scorecard_save(struct rf_store *s, const struct rf_scorecard_save *w,
                                  char state[16], struct rf_err *err)
{
    char tmp[16];
    return s->ops->scorecard_save(s, w, state ? state : tmp, err);
}

rf_status rf_store_scorecard_edits_list(struct rf_store *s, int64_t assignment_id,
                                        void (*fn)(void *ud, const struct rf_scorecard_edit *e),
                                        void *ud, struct rf_err *err)
{
    return s->ops->scorecard_edits_list(s, assignment_id, fn, ud, err);
}

rf_status rf_store_users_list(struct rf_store *s, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_user *u), void *ud,
                              struct rf_err *err)
{
    return s->ops->users_list(s, org_id, fn, ud, err);
}

void rf_store_assignment_cleanup(struct rf_assignment *a)
{
    free(a->round);
    free(a->interviewer);
    free(a->email);
    free(a->state);
    free(a->scores);
    free(a->notes);
    free(a->recommendation);
    memset(a, 0, sizeof *a);
}

void rf_store_scorecard_edit_cleanup(struct rf_scorecard_edit *e)
{
    free(e->user);
    free(e->action);
    free(e->state);
    free(e->scores);
    free(e->notes);
    free(e->recommendation);
    memset(e, 0, sizeof *e);
}

/* ---- teams ---- */

rf_status rf_store_team_create(struct rf_store *s, const struct rf_team *t, int64_t *id,
                               struct rf_err *err)
{
    return s->ops->team_create(s, t, id, err);
}

rf_status rf_store_team_get(struct rf_store *s, int64_t id, struct rf_team *t, struct rf_err *err)
{
    return s->ops->team_get(s, id, t, err);
}

rf_status rf_store_teams_list(struct rf_store *s, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_team *t), void *ud,
                              struct rf_err *err)
{
    return s->ops->teams_list(s, org_id, fn, ud, err);
}

rf_status rf_store_team_member_add(struct rf_store *s, int64_t team_id, int64_t invite_id,
                                   int64_t *id, struct rf_err *err)
{
    return s->ops->team_member_add(s, team_id, invite_id, id, err);
}

rf_status rf_store_team_member_invite(struct rf_store *s, int64_t team_id, const char *token_hash,
                                      const struct rf_invite *v, int64_t *invite_id,
                                      int64_t *member_id, struct rf_err *err)
{
    return s->ops->team_member_invite(s, team_id, token_hash, v, invite_id, member_id, err);
}

rf_status rf_store_team_members_list(struct rf_store *s, int64_t team_id,
                                     void (*fn)(void *ud, const struct rf_team_member *m),
                                     void *ud, struct rf_err *err)
{
    return s->ops->team_members_list(s, team_id, fn, ud, err);
}

rf_status rf_store_team_member_by_invite(struct rf_store *s, int64_t invite_id,
                                         struct rf_team_member *m, struct rf_err *err)
{
    return s->ops->team_member_by_invite(s, invite_id, m, err);
}

rf_status rf_store_team_member_share(struct rf_store *s, int64_t id, int shared, int64_t now,
                                     struct rf_err *err)
{
    return s->ops->team_member_share(s, id, shared, now, err);
}

rf_status rf_store_team_assessment_add(struct rf_store *s, const struct rf_team_assessment *a,
                                       int64_t *id, struct rf_err *err)
{
    return s->ops->team_assessment_add(s, a, id, err);
}

rf_status rf_store_team_assessments_list(struct rf_store *s, int64_t team_id,
                                         void (*fn)(void *ud, const struct rf_team_assessment *a),
                                         void *ud, struct rf_err *err)
{
    return s->ops->team_assessments_list(s, team_id, fn, ud, err);
}

void rf_store_team_cleanup(struct rf_team *t)
{
    free(t->name);
    memset(t, 0, sizeof *t);
}

void rf_store_team_member_cleanup(struct rf_team_member *m)
{
    free(m->label);
    free(m->role);
    memset(m, 0, sizeof *m);
}

void rf_store_team_assessment_cleanup(struct rf_team_assessment *a)
{
    free(a->date);
    free(a->scores);
    memset(a, 0, sizeof *a);
}

/* ---- bank revisions and the review queue ---- */

void rf_store_bank_revision_cleanup(struct rf_bank_revision *r)
{
    free(r->overlay);
    free(r->summary);
    memset(r, 0, sizeof *r);
}

void rf_store_review_decision_cleanup(struct rf_review_decision *d)
{
    free(d->item);
    free(d->action);
    free(d->note);
    memset(d, 0, sizeof *d);
}

void rf_store_review_run_cleanup(struct rf_review_run *r)
{
    free(r->kind);
    free(r->result);
    memset(r, 0, sizeof *r);
}

rf_status rf_store_bank_revision_active(struct rf_store *s, int64_t *id, struct rf_err *err)
{
    *id = 0;
    return s->ops->bank_revision_active(s, id, err);
}

rf_status rf_store_bank_revision_add(struct rf_store *s, const struct rf_bank_revision *r,
                                     const struct rf_review_decision *d, int64_t *id,
                                     struct rf_err *err)
{
    return s->ops->bank_revision_add(s, r, d, id, err);
}

rf_status rf_store_bank_revision_activate(struct rf_store *s, int64_t expected,
                                          const struct rf_review_decision *d, struct rf_err *err)
{
    return s->ops->bank_revision_activate(s, expected, d, err);
}

rf_status rf_store_bank_revision_get(struct rf_store *s, int64_t id, struct rf_bank_revision *r,
                                     struct rf_err *err)
{
    return s->ops->bank_revision_get(s, id, r, err);
}

rf_status rf_store_bank_revisions_list(struct rf_store *s,
                                       void (*fn)(void *ud, const struct rf_bank_revision *r),
                                       void *ud, struct rf_err *err)
{
    return s->ops->bank_revisions_list(s, fn, ud, err);
}

rf_status rf_store_review_decision_add(struct rf_store *s, const struct rf_review_decision *d,
                                       int64_t *id, struct rf_err *err)
{
    return s->ops->review_decision_add(s, d, id, err);
}

rf_status rf_store_review_decisions_list(struct rf_store *s,
                                         void (*fn)(void *ud, const struct rf_review_decision *d),
                                         void *ud, struct rf_err *err)
{
    return s->ops->review_decisions_list(s, fn, ud, err);
}

rf_status rf_store_review_run_add(struct rf_store *s, const struct rf_review_run *r, int64_t *id,
                                  struct rf_err *err)
{
    return s->ops->review_run_add(s, r, id, err);
}

rf_status rf_store_review_run_latest(struct rf_store *s, const char *kind,
                                     struct rf_review_run *r, struct rf_err *err)
{
    return s->ops->review_run_latest(s, kind, r, err);
}
