/* The list records both backends hand over; see lists.h. */
#include "store/lists.h"

#include <stdlib.h>

#include "store/groups.h"

static void invite_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_invite *))c->fn)(c->ud, rec);
}

static void invite_clean(void *rec)
{
    rf_store_invite_cleanup(rec);
}

const struct rf_store_read rf_store_read_invite = {invite_call, invite_clean};

static void test_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_test *))c->fn)(c->ud, rec);
}

static void test_clean(void *rec)
{
    rf_store_test_cleanup(rec);
}

const struct rf_store_read rf_store_read_test = {test_call, test_clean};

static void posting_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_posting *))c->fn)(c->ud, rec);
}

static void posting_clean(void *rec)
{
    rf_store_posting_cleanup(rec);
}

const struct rf_store_read rf_store_read_posting = {posting_call, posting_clean};

static void posting_edit_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_posting_edit *))c->fn)(c->ud, rec);
}

static void posting_edit_clean(void *rec)
{
    rf_store_posting_edit_cleanup(rec);
}

const struct rf_store_read rf_store_read_posting_edit = {posting_edit_call, posting_edit_clean};

static void ranked_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_store_ranked *))c->fn)(c->ud, rec);
}

/* A ranked row borrows from the backend's row: nothing to free. */
static void nothing_clean(void *rec)
{
    (void)rec;
}

const struct rf_store_read rf_store_read_ranked = {ranked_call, nothing_clean};

static void answer_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_answer *))c->fn)(
        c->ud, &((const struct rf_store_answer_row *)rec)->a);
}

static void answer_signals_call(const struct rf_store_cb *c, const void *rec)
{
    const struct rf_store_answer_row *r = rec;
    ((void (*)(void *, const struct rf_answer *, const struct rf_answer_signals *))c->fn)(
        c->ud, &r->a, &r->sig);
}

static void answer_clean(void *rec)
{
    struct rf_store_answer_row *r = rec;
    free(r->item);
    free(r->response);
    r->item = r->response = NULL;
}

const struct rf_store_read rf_store_read_answer = {answer_call, answer_clean};
const struct rf_store_read rf_store_read_answer_signals = {answer_signals_call, answer_clean};

static void team_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_team *))c->fn)(c->ud, rec);
}

static void team_clean(void *rec)
{
    rf_store_team_cleanup(rec);
}

const struct rf_store_read rf_store_read_team = {team_call, team_clean};

static void team_member_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_team_member *))c->fn)(c->ud, rec);
}

static void team_member_clean(void *rec)
{
    rf_store_team_member_cleanup(rec);
}

const struct rf_store_read rf_store_read_team_member = {team_member_call, team_member_clean};

static void team_assessment_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_team_assessment *))c->fn)(c->ud, rec);
}

static void team_assessment_clean(void *rec)
{
    rf_store_team_assessment_cleanup(rec);
}

const struct rf_store_read rf_store_read_team_assessment = {team_assessment_call,
                                                            team_assessment_clean};

static void bank_revision_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_bank_revision *))c->fn)(c->ud, rec);
}

static void bank_revision_clean(void *rec)
{
    rf_store_bank_revision_cleanup(rec);
}

const struct rf_store_read rf_store_read_bank_revision = {bank_revision_call,
                                                          bank_revision_clean};

static void review_decision_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_review_decision *))c->fn)(c->ud, rec);
}

static void review_decision_clean(void *rec)
{
    rf_store_review_decision_cleanup(rec);
}

const struct rf_store_read rf_store_read_review_decision = {review_decision_call,
                                                            review_decision_clean};

static void assignment_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_assignment *))c->fn)(c->ud, rec);
}

static void assignment_clean(void *rec)
{
    rf_store_assignment_cleanup(rec);
}

const struct rf_store_read rf_store_read_assignment = {assignment_call, assignment_clean};

static void scorecard_edit_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_scorecard_edit *))c->fn)(c->ud, rec);
}

static void scorecard_edit_clean(void *rec)
{
    rf_store_scorecard_edit_cleanup(rec);
}

const struct rf_store_read rf_store_read_scorecard_edit = {scorecard_edit_call,
                                                           scorecard_edit_clean};

static void user_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_user *))c->fn)(c->ud, rec);
}

static void user_clean(void *rec)
{
    rf_store_user_cleanup(rec);
}

const struct rf_store_read rf_store_read_user = {user_call, user_clean};
static void group_report_call(const struct rf_store_cb *c, const void *rec)
{
    ((void (*)(void *, const struct rf_group_report *))c->fn)(c->ud, rec);
}

static void group_report_clean(void *rec)
{
    rf_store_group_report_cleanup(rec);
}

const struct rf_store_read rf_store_read_group_report = {group_report_call, group_report_clean};
