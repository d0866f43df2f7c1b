/* Postings over HTTP (issue 15): a recruiter corrects the requirements (each
 * edit recorded with who and when, bad edits refused naming the field),
 * invites for the posting (the test measures the posting's skills), the
 * candidate resumes from another browser with the resume code (a wrong code
 * refused, too many locked out), the ranking says how much of the posting
 * was measured, and a top-up measures what the test did not and joins the
 * same profile. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "fixture.h"

static void setup(void)
{
    fixture_start(0, 0);
}

static void teardown(void)
{
    fixture_stop();
}

TestSuite(posting_flow, .init = setup, .fini = teardown);

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Answers the test in *r until it finishes (all right); returns how many. */
static int finish(struct http_client *c, long long id, struct http_result *r)
{
    int n = 0;
    while (json_is_object(json_object_get(r->json, "question"))) {
        char item[160], path[64], body[512];
        snprintf(item, sizeof item, "%s", str(json_object_get(r->json, "question"), "item"));
        http_result_free(r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        fixture_answer_body(item, 1, body, sizeof body);
        cr_assert_eq(client_do(c, "POST", path, body, r), 0);
        cr_assert_eq(r->status, 200, "%s", r->body);
        cr_assert(++n <= RF_WEB_ROLE_MAX_ITEMS, "test %lld: more than %d items", id,
                  RF_WEB_ROLE_MAX_ITEMS);
    }
    return n;
}

static long long create_posting(struct http_client *a)
{
    struct http_result r;
    cr_assert_eq(client_do(a, "POST", "/api/postings",
                           "{\"title\":\"Data engineer\",\"text\":\"# Data engineer\\n\\n"
                           "Requirements\\n- Python\\n- SQL and data pipelines\\n\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    http_result_free(&r);
    return id;
}


/* The structured record of the edit below (Python's level raised; SQL moved
 * to preferred, its weight and label changed; nothing removed): each change
 * names its field with the ids from and to, never English words. */
static void check_changes(const json_t *ch, const char *body)
{
    cr_assert(json_is_array(ch), "changes: %s", body);
    int level = 0, section = 0, weight = 0, label_was = 0, removed = 0;
    size_t i, k;
    const json_t *c, *f;
    json_array_foreach(ch, i, c)
    {
        const char *what = str(c, "what"), *label = str(c, "label");
        cr_assert(what && label, "%s", body);
        if (strcmp(what, "removed") == 0) {
            removed++;
            continue;
        }
        cr_assert_str_eq(what, "changed", "%s", body);
        json_array_foreach(json_object_get(c, "fields"), k, f)
        {
            const char *field = str(f, "field");
            if (strcmp(label, "Python") == 0 && strcmp(field, "level") == 0)
                level += !strcmp(str(f, "from"), "proficient") && !strcmp(str(f, "to"), "advanced");
            if (strcmp(label, "SQL") == 0 && strcmp(field, "section") == 0)
                section += !strcmp(str(f, "from"), "required") && !strcmp(str(f, "to"), "preferred");
            if (strcmp(label, "SQL") == 0 && strcmp(field, "weight") == 0)
                weight += json_number_value(json_object_get(f, "from")) == 3 &&
                          json_number_value(json_object_get(f, "to")) == 0.5;
            if (strcmp(label, "SQL") == 0 && strcmp(field, "label") == 0)
                label_was += !strcmp(str(f, "from"), "SQL, data pipelines");
        }
    }
    cr_assert(level == 1 && section == 1 && weight == 1 && label_was == 1 && removed == 0,
              "level %d section %d weight %d label %d removed %d: %s", level, section, weight,
              label_was, removed, body);
}

/* Edits: refused with the field at fault, recorded when accepted. */
Test(posting_flow, requirements_are_edited_with_an_audit_trail)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    long long pid = create_posting(&a);
    char path[96];
    snprintf(path, sizeof path, "/api/postings/%lld/requirements", pid);
    static const char *const bad[] = {
        "{\"required\":[{\"skills\":[\"cooking\"],\"level\":\"proficient\"}]}",
        "{\"required\":[{\"skills\":[\"software_engineering\"],\"level\":\"guru\"}]}",
        "{\"required\":[]}",
        "{\"title\":\"x\"}",
    };
    static const char *const needle[] = {"required[0].skills[0]: unknown skill 'cooking'",
                                         "required[0].level: unknown level 'guru'",
                                         "at least one requirement", "'required' and 'preferred'"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(client_do(&a, "PUT", path, bad[i], &r), 0);
        cr_assert_eq(r.status, 400, "case %zu: %s", i, r.body);
        cr_assert(strstr(str(r.json, "error"), needle[i]), "case %zu: %s", i, r.body);
        cr_assert_str_eq(str(r.json, "field"), "required", "case %zu", i);
        http_result_free(&r);
    }
    cr_assert_eq(client_do(&a, "PUT", path,
                           "{\"required\":[{\"skills\":[\"software_engineering\"],\"level\":"
                           "\"advanced\",\"label\":\"Python\"}],\"preferred\":[{\"skills\":["
                           "\"data_engineering\"],\"level\":\"proficient\",\"label\":\"SQL\"}]}",
                           &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    const char *sum = str(json_object_get(r.json, "edit"), "summary");
    cr_assert(strstr(sum, "Python: level proficient -> advanced"), "%s", sum);
    cr_assert(strstr(sum, "SQL") && strstr(sum, "required -> preferred"), "%s", sum);
    /* and as data a page words in its language: what, label, field, from, to */
    check_changes(json_object_get(json_object_get(r.json, "edit"), "changes"), r.body);
    http_result_free(&r);
    /* the stored reading is the edited one, and says so */
    snprintf(path, sizeof path, "/api/postings/%lld", pid);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    const json_t *parsed = json_object_get(r.json, "parsed");
    cr_assert_eq(json_array_size(json_object_get(parsed, "required")), 1);
    cr_assert_str_eq(str(json_array_get(json_object_get(parsed, "required"), 0), "level"),
                     "advanced");
    cr_assert(json_is_object(json_object_get(parsed, "edited")), "%s", r.body);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/postings/%lld/edits", pid);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    const json_t *edits = json_object_get(r.json, "edits");
    cr_assert_eq(json_array_size(edits), 1, "the refused edits are not recorded: %s", r.body);
    const json_t *e0 = json_array_get(edits, 0);
    cr_assert_str_eq(str(e0, "by"), "ada@acme.test");
    cr_assert(json_integer_value(json_object_get(e0, "at")) > 0);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(e0, "before"), "required")), 2);
    check_changes(json_object_get(e0, "changes"), r.body);
    http_result_free(&r);
    /* another organization sees none of it */
    struct http_client o = fixture_other_recruiter();
    cr_assert_eq(client_do(&o, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 404);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/postings/%lld/requirements", pid);
    cr_assert_eq(client_do(&o, "PUT", path,
                           "{\"required\":[{\"skills\":[\"python\"],\"level\":\"expert\"}]}", &r),
                 0);
    cr_assert_eq(r.status, 404);
    http_result_free(&r);
}

/* The posting's invite, its test, a resume in another browser, the ranking,
 * and a top-up after the posting gained a requirement. */
Test(posting_flow, invite_resume_rank_and_top_up, .timeout = 120)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    long long pid = create_posting(&a);
    char body[256], path[128];
    snprintf(body, sizeof body, "{\"posting\":%lld,\"label\":\"Bea\"}", pid);
    cr_assert_eq(client_do(&a, "POST", "/api/invites", body, &r), 0);
    cr_assert_eq(r.status, 201, "an invite for a posting needs no role: %s", r.body);
    cr_assert_str_eq(str(json_object_get(r.json, "posting"), "title"), "Data engineer");
    char token[128];
    snprintf(token, sizeof token, "%s", str(r.json, "token"));
    http_result_free(&r);
    /* what the link is for: the posting and the organization */
    struct http_client bea = {fx.port, "", ""};
    snprintf(path, sizeof path, "/api/invites/%s", token);
    cr_assert_eq(client_do(&bea, "GET", path, NULL, &r), 0);
    cr_assert_str_eq(str(r.json, "posting"), "Data engineer");
    cr_assert_str_eq(str(r.json, "org"), "Acme");
    cr_assert_str_eq(str(r.json, "state"), "not used");
    http_result_free(&r);
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", token);
    cr_assert_eq(client_do(&bea, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long tid = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    char code[32];
    snprintf(code, sizeof code, "%s", str(r.json, "resume_code"));
    cr_assert_eq(strlen(code), RF_RESUME_CODE_CHARS + 1, "code '%s'", code);
    /* the test measures the posting's skills */
    const json_t *sk = json_object_get(json_object_get(r.json, "test"), "skills");
    cr_assert_eq(json_array_size(sk), 2, "%s", r.body);
    cr_assert_str_eq(str(json_array_get(sk, 0), "id"), "software_engineering");
    cr_assert_str_eq(str(json_array_get(sk, 1), "id"), "data_engineering");
    /* answer two questions here */
    for (int k = 0; k < 2; k++) {
        char item[160], ab[512];
        snprintf(item, sizeof item, "%s", str(json_object_get(r.json, "question"), "item"));
        http_result_free(&r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", tid);
        fixture_answer_body(item, 1, ab, sizeof ab);
        cr_assert_eq(client_do(&bea, "POST", path, ab, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
    }
    http_result_free(&r);
    cr_assert_eq(client_do(&a, "GET", "/api/invites", NULL, &r), 0);
    const json_t *inv0 = json_array_get(json_object_get(r.json, "invites"), 0);
    cr_assert_str_eq(str(inv0, "state"), "in progress");
    cr_assert_str_eq(str(inv0, "posting_title"), "Data engineer");
    http_result_free(&r);
    /* another browser: the link alone is not enough */
    struct http_client other = {fx.port, "", ""};
    cr_assert_eq(client_do(&other, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 409, "%s", r.body);
    cr_assert_str_eq(str(r.json, "field"), "resume_code");
    /* the generic code stays; the reason says which refusal it is, for the
     * page to word (docs/api.md "Errors") */
    cr_assert_str_eq(str(r.json, "code"), "conflict", "%s", r.body);
    cr_assert_str_eq(str(r.json, "reason"), "invite_started_elsewhere", "%s", r.body);
    cr_assert(json_is_object(json_object_get(r.json, "detail")), "%s", r.body);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/invites/%s/resume", token);
    cr_assert_eq(client_do(&other, "POST", path, "{\"code\":\"AAAA-AAAA\"}", &r), 0);
    cr_assert_eq(r.status, 403, "%s", r.body);
    cr_assert_str_eq(str(r.json, "code"), "forbidden", "%s", r.body);
    cr_assert_str_eq(str(r.json, "reason"), "resume_code_wrong", "%s", r.body);
    http_result_free(&r);
    /* the right code, typed in lower case without the dash */
    char typed[64], lower[16];
    size_t n = 0;
    for (const char *c = code; *c; c++)
        if (*c != '-')
            lower[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    lower[n] = '\0';
    snprintf(typed, sizeof typed, "{\"code\":\"%s\"}", lower);
    cr_assert_eq(client_do(&other, "POST", path, typed, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "test")), tid);
    http_result_free(&r);
    /* the other browser continues where the first left off */
    snprintf(path, sizeof path, "/api/tests/%lld", tid);
    cr_assert_eq(client_do(&other, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "test"), "answered")),
                 2);
    finish(&other, tid, &r);
    http_result_free(&r);
    /* the report reads the candidate against the posting */
    snprintf(path, sizeof path, "/api/tests/%lld/report", tid);
    cr_assert_eq(client_do(&other, "GET", path, NULL, &r), 0);
    const json_t *pr = json_object_get(r.json, "posting");
    cr_assert_str_eq(str(pr, "title"), "Data engineer", "%s", r.body);
    cr_assert_float_eq(json_real_value(json_object_get(pr, "measured")), 1.0, 1e-12);
    size_t nreq = json_array_size(json_object_get(pr, "requirements"));
    cr_assert(nreq > 0);
    http_result_free(&r);
    /* and so does the downloaded HTML: the posting section, a row per requirement */
    snprintf(path, sizeof path, "/api/tests/%lld/report.html", tid);
    cr_assert_eq(client_do(&other, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "Against the posting: Data engineer"), "no posting section");
    cr_assert(strstr(r.body, "of its weight was measured"));
    size_t rows = 0;
    for (const char *q = strstr(r.body, "Probability met"); q && (q = strstr(q + 1, "<tr><td>"));)
        rows += q < strstr(r.body, "</table>");
    cr_assert_eq(rows, nreq, "one row per requirement: %zu of %zu", rows, nreq);
    http_result_free(&r);
    /* the posting gains a requirement the test did not measure */
    snprintf(path, sizeof path, "/api/postings/%lld/requirements", pid);
    cr_assert_eq(client_do(&a, "PUT", path,
                           "{\"required\":[{\"skills\":[\"software_engineering\"],\"level\":"
                           "\"proficient\"},{\"skills\":[\"data_engineering\"],\"level\":"
                           "\"proficient\"},{\"skills\":[\"mlops_monitoring\"],\"level\":\"proficient\"}]}",
                           &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/postings/%lld/ranking", pid);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    const json_t *row = json_array_get(json_object_get(r.json, "candidates"), 0);
    cr_assert_eq(json_array_size(json_object_get(r.json, "candidates")), 1);
    cr_assert_eq(json_integer_value(json_object_get(row, "not_measured")), 1, "%s", r.body);
    double measured = json_real_value(json_object_get(row, "measured"));
    cr_assert_float_eq(measured, 6.0 / 8.0, 1e-9, "weights 3, 3, 2: %s", r.body);
    const char *reason = str(row, "reason");
    cr_assert(strstr(reason, "not measured: ML monitoring and operations"), "%s", reason);
    cr_assert(!strstr(reason, "operations ("), "never met or a gap: %s", reason);
    http_result_free(&r);
    /* a top-up invite for that test measures just that skill */
    snprintf(path, sizeof path, "/api/postings/%lld/topup", pid);
    snprintf(body, sizeof body, "{\"test\":%lld}", tid);
    cr_assert_eq(client_do(&a, "POST", path, body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    cr_assert_eq(json_array_size(json_object_get(r.json, "skills")), 1);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "skills"), 0)),
                     "mlops_monitoring");
    cr_assert_str_eq(str(r.json, "label"), "Bea");
    char token2[128];
    snprintf(token2, sizeof token2, "%s", str(r.json, "token"));
    http_result_free(&r);
    struct http_client bea2 = {fx.port, "", ""};
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", token2);
    cr_assert_eq(client_do(&bea2, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long uid = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "test"),
                                                    "followup_of")),
                 tid);
    finish(&bea2, uid, &r);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/postings/%lld/ranking", pid);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    cr_assert_eq(json_array_size(json_object_get(r.json, "candidates")), 1,
                 "one row per candidate: %s", r.body);
    row = json_array_get(json_object_get(r.json, "candidates"), 0);
    cr_assert_eq(json_integer_value(json_object_get(row, "test")), uid);
    cr_assert_float_eq(json_real_value(json_object_get(row, "measured")), 1.0, 1e-12, "%s",
                       r.body);
    cr_assert(!strstr(str(row, "reason"), "not measured"), "%s", str(row, "reason"));
    http_result_free(&r);
    /* nothing is left to top up */
    snprintf(path, sizeof path, "/api/postings/%lld/topup", pid);
    snprintf(body, sizeof body, "{\"test\":%lld}", uid);
    cr_assert_eq(client_do(&a, "POST", path, body, &r), 0);
    cr_assert_eq(r.status, 409, "%s", r.body);
    http_result_free(&r);
}

/* Wrong resume codes are counted: after RF_RESUME_MAX_FAILS, even the right
 * code waits (429 with Retry-After). */
Test(posting_flow, wrong_resume_codes_are_rate_limited)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"data_engineer\"}", &r), 0);
    char token[128], body[256], path[160], code[32];
    snprintf(token, sizeof token, "%s", str(r.json, "token"));
    http_result_free(&r);
    struct http_client c = {fx.port, "", ""};
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", token);
    cr_assert_eq(client_do(&c, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    snprintf(code, sizeof code, "%s", str(r.json, "resume_code"));
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/invites/%s/resume", token);
    struct http_client x = {fx.port, "", ""};
    for (int i = 0; i < RF_RESUME_MAX_FAILS; i++) {
        cr_assert_eq(client_do(&x, "POST", path, "{\"code\":\"ZZZZ-ZZZZ\"}", &r), 0);
        cr_assert_eq(r.status, 403, "try %d: %s", i, r.body);
        http_result_free(&r);
    }
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    cr_assert_eq(client_do(&x, "POST", path, body, &r), 0);
    cr_assert_eq(r.status, 429, "%s", r.body);
    char retry[32];
    cr_assert(http_header(&r, "Retry-After", retry, sizeof retry));
    http_result_free(&r);
    cr_assert_eq(client_do(&x, "POST", path, "{\"code\":\"\"}", &r), 0);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_null(json_object_get(r.json, "reason"), "a bad field has no reason: %s", r.body);
    cr_assert_null(json_object_get(r.json, "detail"), "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&x, "POST", "/api/invites/no-such-link/resume", body, &r), 0);
    cr_assert_eq(r.status, 404, "%s", r.body);
    http_result_free(&r);
}

/* Resume codes are secrets: one address guessing codes across many invites
 * spends the address's sign-in budget (--rate-login a minute), so the
 * per-invite lock cannot be sidestepped by spreading guesses. */
static void tweak_login_3(struct rf_server_config *cfg)
{
    cfg->app.rate_login = 4; /* the admin's sign-in (same loopback address) takes one */
}

static void with_login_3(void)
{
    fixture_start_with(0, 0, tweak_login_3);
}

Test(resume_limit, guesses_across_invites_share_the_address_budget, .init = with_login_3,
     .fini = teardown)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    struct http_client x = {fx.port, "", ""};
    char path[160];
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"data_engineer\"}", &r), 0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        snprintf(path, sizeof path, "/api/invites/%s/resume", str(r.json, "token"));
        http_result_free(&r);
        cr_assert_eq(client_do(&x, "POST", path, "{\"code\":\"ZZZZ-ZZZZ\"}", &r), 0);
        /* an unclaimed invite has no code yet (409 or 403); the fourth try
         * from the same address is refused before the invite is read */
        if (i < 3)
            cr_assert(r.status != 429, "try %d: %d %s", i, r.status, r.body);
        else
            cr_assert_eq(r.status, 429, "try %d: %s", i, r.body);
        http_result_free(&r);
    }
    char retry[32];
    cr_assert_eq(client_do(&x, "POST", path, "{\"code\":\"ZZZZ-ZZZZ\"}", &r), 0);
    cr_assert_eq(r.status, 429);
    cr_assert(http_header(&r, "Retry-After", retry, sizeof retry));
    cr_assert(strstr(r.body, "resume attempts"), "%s", r.body);
    http_result_free(&r);
    /* a minute later the address has its budget back */
    fixture_advance(61);
    cr_assert_eq(client_do(&x, "POST", path, "{\"code\":\"ZZZZ-ZZZZ\"}", &r), 0);
    cr_assert(r.status != 429, "%d %s", r.status, r.body);
    http_result_free(&r);
}
