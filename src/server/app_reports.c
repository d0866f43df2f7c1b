/*
 * Reports (app.h): a finished test's report as JSON or HTML, for its
 * candidate or the organization's staff; staff also see the invite's label
 * and the test-integrity signals. A practice test's report reviews every
 * answer with its key and explanation; an operational (invited) test's lists
 * the concepts missed instead, so its questions stay undisclosed.
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/answer.h"
#include "bank/bank.h"
#include "base/json.h"
#include "base/lang.h"
#include "base/mem.h"
#include "careers/html_report.h"
#include "careers/profile.h"
#include "careers/report.h"
#include "careers/report_text.h"
#include "cat/sessfile.h"
#include "server/app_flow.h"
#include "server/signals.h"
#include "store/store.h"

/* May the caller read this test's report? Its candidate, or staff of the organization. */
static rf_status readable_test(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               struct rf_test *t, struct rf_app_error *e)
{
    rf_status rc = rf_store_test_get(a->store, id, t, &e->err);
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    if (rc)
        return rc;
    int mine = p->candidate_id && t->candidate_id == p->candidate_id;
    /* a team member's test is theirs: staff read it only while it is shared */
    int staff = rf_app_is_staff(p) && t->org_id && t->org_id == p->org_id && !mine &&
                rf_app_team_staff_may_read(a, t);
    if (!mine && !staff) {
        rf_store_test_cleanup(t);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    }
    if (strcmp(t->status, "finished") != 0 || !t->profile) {
        rf_store_test_cleanup(t);
        return rf_app_fail(e, RF_ECONFLICT, NULL, "the test is not finished yet");
    }
    return RF_OK;
}

struct review_ctx {
    struct rf_app *a;
    json_t *arr;
    const char *lang; /* the test's language: the review shows the questions as asked */
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
    struct rf_item view;
    char *topts[RF_BANK_MAX_OPTIONS];
    rf_item_in_lang(&c->a->bank.items[bi], c->lang, &view, topts);
    const struct rf_item *it = &view;
    json_t *opts = json_array(), *tags = json_array(), *tag_names = json_array();
    for (size_t k = 0; k < it->noptions; k++)
        json_array_append_new(opts, json_string(it->options[k]));
    for (size_t k = 0; k < it->ntags; k++) {
        /* the tag's display name in the review's language (data/concepts.json), or the tag */
        enum rf_lang l = RF_EN;
        if (c->lang)
            rf_lang_parse(c->lang, &l);
        const char *name = rf_concepts_name(&c->a->car.concepts, it->tags[k], l);
        json_array_append_new(tags, json_string(it->tags[k]));
        json_array_append_new(tag_names, json_string(name ? name : it->tags[k]));
    }
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
                          "skill", it->skill, "type", rf_item_type_name(it->type), "stem", it->stem,
                          "options", opts, "correct", score >= max, "score", (json_int_t)score,
                          "max_score", (json_int_t)max, "credit", credit, "given", given,
                          "right_answer", right, "explanation", it->explanation, "tags", tags);
    if (!o) {
        json_decref(tag_names);
        return;
    }
    json_object_set_new(o, "tag_names", tag_names);
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

/* Concepts missed of an operational test (rf_app_test_operational): per
 * skill and tag, how many answers got less than full credit. No question,
 * answer, key or explanation: those stay undisclosed. */
struct concepts_ctx {
    struct rf_app *a;
    json_t *by;          /* {"skill\ttag": count} while counting */
    const json_t *state; /* the test's session state: its pretest items are skipped */
};

static void count_missed(void *ud, const struct rf_answer *ans)
{
    struct concepts_ctx *c = ud;
    size_t bi;
    if (rf_cat_state_pretest(c->state, ans->item_id))
        return;
    if (rf_bank_find(&c->a->bank, ans->item_id, &bi))
        return;
    const struct rf_item *it = &c->a->bank.items[bi];
    if (ans->score >= 0 && (size_t)ans->score >= rf_answer_max_score(it))
        return;
    for (size_t k = 0; k < it->ntags; k++) {
        char key[512];
        snprintf(key, sizeof key, "%s\t%s", it->skill, it->tags[k]);
        json_t *n = json_object_get(c->by, key);
        json_object_set_new(c->by, key, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
}

/* A concept and its count while sorting: key is "skill\ttag" (borrowed). */
struct concept {
    const char *key;
    json_int_t missed;
};

static int cmp_concepts(const void *pa, const void *pb)
{
    const struct concept *x = pa, *y = pb;
    size_t lx = strcspn(x->key, "\t"), ly = strcspn(y->key, "\t");
    int c = strncmp(x->key, y->key, lx < ly ? lx : ly);
    if (c || lx != ly)
        return c ? c : (lx < ly ? -1 : 1);
    if (x->missed != y->missed)
        return x->missed > y->missed ? -1 : 1;
    return strcmp(x->key + lx, y->key + ly);
}

/* [{"skill", "concept", "missed"}], by skill, most missed first. */
static rf_status concepts_missed(struct rf_app *a, const struct rf_test *t, enum rf_lang lang,
                                 json_t **out, struct rf_err *err)
{
    int64_t id = t->id;
    json_t *state = t->state ? json_loads(t->state, 0, NULL) : NULL;
    struct concepts_ctx c = {a, json_object(), state};
    if (!c.by)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = rf_store_answers_list(a->store, id, count_missed, &c, err);
    size_t n = json_object_size(c.by), i = 0;
    struct concept *v = rf_calloc_array(n ? n : 1, sizeof *v);
    json_t *arr = json_array(), *cnt;
    const char *key;
    if (!rc && (!v || !arr))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    if (!rc) {
        json_object_foreach(c.by, key, cnt) v[i++] = (struct concept){key, json_integer_value(cnt)};
        qsort(v, i, sizeof *v, cmp_concepts);
    }
    for (size_t k = 0; !rc && k < i; k++) {
        char skill[256];
        size_t ls = strcspn(v[k].key, "\t");
        snprintf(skill, sizeof skill, "%.*s", (int)ls, v[k].key);
        const char *tag = v[k].key + ls + 1;
        if (json_array_append_new(arr, json_pack("{s:s,s:s,s:s?,s:I}", "skill", skill, "concept",
                                                 tag, "name",
                                                 rf_concepts_name(&a->car.concepts, tag, lang),
                                                 "missed", v[k].missed)))
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    free(v);
    json_decref(c.by);
    json_decref(state);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RF_OK;
}

rf_status rf_app_test_report(struct rf_app *a, const struct rf_principal *p, int64_t id, int html,
                             json_t **json_out, char **html_out, struct rf_app_error *e)
{
    return rf_app_test_report_lang(a, p, id, html, NULL, json_out, html_out, e);
}

rf_status rf_app_test_report_lang(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  int html, const char *lang, json_t **json_out, char **html_out,
                                  struct rf_app_error *e)
{
    enum rf_lang rl = RF_EN;
    /* staff without a lang read their account's language (rf_app_me_lang) */
    rf_status rc = rf_app_view_lang(a, p, lang, RF_EN, &rl, e);
    if (rc)
        return rc;
    struct rf_test t;
    rc = readable_test(a, p, id, &t, e);
    if (rc)
        return rc;
    /* Who reads it: the candidate ("Your fit ...") or the organization's staff. */
    int mine = p->candidate_id && t.candidate_id == p->candidate_id;
    /* In which language: the one asked for; else the candidate reads the
     * test's language and staff their account's, else English. */
    if (!lang && mine)
        rf_lang_parse(rf_app_test_lang(&t), &rl);
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    json_t *report = NULL;
    rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile), &pr, &e->err);
    const char *target = NULL;
    json_t *scope = json_loads(t.scope, 0, NULL);
    if (scope && json_is_string(json_object_get(scope, "role")))
        target = json_string_value(json_object_get(scope, "role"));
    if (!rc)
        rc = rf_report_build_lang(&pr, &a->car, target, rl, &report, &e->err);
    if (!rc) {
        if (rf_app_test_operational(&t)) {
            /* an organization's test: concepts missed, never the questions */
            json_t *cm = NULL;
            rc = concepts_missed(a, &t, rl, &cm, &e->err);
            if (!rc) {
                json_object_set_new(report, "concepts_missed", cm);
                json_object_set_new(report, "answers_withheld", json_true());
            }
        } else {
            json_t *rev = json_array();
            struct review_ctx c = {a, rev, rf_app_test_lang(&t)};
            rc = rf_store_answers_list(a->store, id, review_item, &c, &e->err);
            json_object_set_new(report, "answers", rev);
        }
        json_object_set_new(report, "test", json_integer(id));
        json_object_set_new(report, "lang", json_string(rf_app_test_lang(&t)));
        /* The version of the bank that scored it (docs/calibration.md "Review
         * and bank versions"): the revision and the bank file's version id
         * (tests from before revisions: revision 0, file unknown). */
        const json_t *bk = json_object_get(scope, "bank"),
                     *bf = json_object_get(scope, "bank_file");
        json_object_set_new(
            report, "bank_version",
            json_pack("{s:I,s:O?}", "revision",
                      (json_int_t)(json_is_integer(bk) ? json_integer_value(bk) : 0), "file",
                      json_is_integer(bf) ? (json_t *)bf : NULL));
        json_object_set_new(report, "viewer", json_string(mine ? "candidate" : "staff"));
        /* Find my role's calls are a first reading: the report offers the
         * confirm stage; a confirm test's report is the combined verdict. */
        if (scope && json_is_true(json_object_get(scope, "find_role"))) {
            json_object_set_new(report, "find_role", json_true());
            json_t *offer = rf_app_confirm_offer(a, &pr);
            if (offer)
                json_object_set_new(report, "confirm", offer);
        }
        if (scope && json_is_true(json_object_get(scope, "confirm")))
            json_object_set_new(
                report, "confirmed",
                json_pack("{s:O?, s:O?, s:b}", "role", json_object_get(scope, "role"), "of",
                          json_object_get(scope, "followup_of"), "named",
                          json_is_true(json_object_get(scope, "named"))));
        /* Calls on roles the test did not settle are a first reading, not a
         * verdict: every role's after find my role, all but the confirmed
         * role's after its confirm test. */
        if (!rc) {
            /* The chain of follow-ups counts: a follow-up of find my role
             * (or of its confirm test) reads as the test it follows. */
            int find = 0;
            char conf[RF_MAX_ID_LEN + 1];
            rf_app_chain_reading(a, &t, &find, conf, sizeof conf);
            rc = rf_report_mark_readings(report, find, conf[0] ? conf : NULL, &e->err);
        }
        /* A team member's test: the team, and whether the member shares it. */
        json_t *team = rf_app_team_of_test(a, &t);
        if (team)
            json_object_set_new(report, "team", team);
        /* A posting's test reads the candidate against the posting too. */
        json_t *pj = t.posting_id ? rf_app_posting_report(a, t.posting_id, &pr, rl) : NULL;
        if (pj)
            json_object_set_new(report, "posting", pj);
        /* Staff see who it is: the label the recruiter gave the invite. */
        struct rf_invite inv;
        if (!mine && !json_object_get(report, "person") && t.invite_id &&
            rf_store_invite_get(a->store, t.invite_id, &inv, &e->err) == RF_OK) {
            if (inv.label)
                json_object_set_new(report, "person", json_string(inv.label));
            rf_store_invite_cleanup(&inv);
        }
        /* The interviews' evidence beside the test's (issue 17): staff
         * only, never in the candidate's own report. */
        if (!rc && !mine && t.invite_id && t.org_id) {
            json_t *ivj = NULL;
            rc = rf_app_interview_evidence(a, t.org_id, t.invite_id, &pr, &ivj, e);
            if (ivj)
                json_object_set_new(report, "interviews", ivj);
        }
        /* Test-integrity signals: staff only, never in the candidate's own report. */
        if (!rc && !mine) {
            json_t *sig = NULL;
            struct rf_err serr;
            rf_err_clear(&serr);
            if (rf_signals_report(a->store, &a->bank, &a->car.concepts, &t, &pr, &sig, &serr)) {
                rf_app_log(a, "report of test %lld: integrity signals: %s", (long long)id,
                           serr.msg);
                sig = json_pack("{s:s}", "unavailable",
                                "the integrity signals could not be read (see the server log)");
            }
            /* its words in the report's language (the HTML's, from the same table) */
            const char *key = json_object_get(sig, "unavailable") ? "unavailable" : "note";
            struct rf_buf nb;
            rf_buf_init(&nb, (size_t)16 * 1024);
            if (sig && rl != RF_EN &&
                rf_report_msg_put(&nb, RF_MSG_TEXT, rl,
                                  *key == 'u' ? "integrity.unavailable" : "integrity.note", NULL,
                                  0) == RF_OK)
                json_object_set_new(sig, key, json_string(rf_buf_str(&nb)));
            rf_buf_cleanup(&nb);
            json_object_set_new(report, "integrity", sig);
        }
    }
    if (!rc && html) {
        struct rf_buf b;
        rf_buf_init(&b, (size_t)16 * 1024 * 1024);
        rc = html == RF_APP_REPORT_MD ? rf_report_markdown(report, &b) : rf_report_html(report, &b);
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
