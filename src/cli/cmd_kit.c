/* `rolefit kit`: a role's interview kit (its loop of rounds, each with
 * questions, follow-ups and an anchored rubric, and its take-home project),
 * and the checks of data/interviews.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/lang.h"
#include "careers/data.h"
#include "careers/i18n.h"
#include "careers/kits.h"
#include "careers/report_text.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit kit ROLE [--json] [--lang en|ja] [--data DIR]\n"
    "       rolefit kit --lint [--data DIR]\n\n"
    "Prints the interview kit of a role from DIR/interviews.json: the rounds of its\n"
    "loop in order (how many of each, minutes, the skills each measures), each round's\n"
    "questions with follow-up probes and its rubric, whose criteria are anchored at every\n"
    "point of the scale by what an answer at that point looks like, and the role's\n"
    "take-home project with its rubric.\n"
    "--lint checks the kits beyond what loading requires (anchors that say too little,\n"
    "anchors alike, technical roles without a take-home) and that the loops of\n"
    "roles.json follow them (the same rounds in order, the same counts and take-home,\n"
    "and the role requires what each round tests first), and that every question,\n"
    "follow-up, rubric anchor and take-home has its Japanese: one line per finding,\n"
    "exit 1 when there is any.\n\n"
    "  --json      print JSON instead of text\n"
    "  --lang L    the kit's language: en (default) or ja (ids and numbers stay the same)\n"
    "  --lint      check the kits\n"
    "  --data DIR  folder with skills.json, roles.json and interviews.json (default data)\n";

/* A field of a kit entry in lang (English where it has no translation). */
#define L(lang, x, f) rf_lang_pick(lang, (x)->f, (x)->f##_ja)

/* The words of the text output: whole messages of the report tables
 * ("kit.*", careers/report_text.h), numbers formatted here. */
static void say(enum rf_lang lang, const char *key, size_t n, const char *const *args)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 20);
    if (rf_report_msg_put(&b, RF_MSG_TEXT, lang, key, args, n) == RF_OK)
        fputs(rf_buf_str(&b), stdout);
    rf_buf_cleanup(&b);
}

static const char *skill_name(const struct rf_kits *k, size_t s, enum rf_lang lang)
{
    return L(lang, &k->careers->tax.skills[s], name);
}

static void print_rubric(const struct rf_kits *k, const struct rf_kit_criterion *cr, size_t n,
                         enum rf_lang lang)
{
    for (size_t i = 0; i < n; i++) {
        printf("    ");
        say(lang, "kit.criterion", 2,
            (const char *[]){L(lang, &cr[i], name), skill_name(k, cr[i].skill, lang)});
        printf("\n");
        for (int p = k->min; p <= k->max; p++)
            printf("      %d: %s\n", p,
                   rf_lang_pick(lang, cr[i].anchors[p - k->min], cr[i].anchors_ja[p - k->min]));
    }
}

static void print_kit(const struct rf_kits *k, const struct rf_role *role,
                      const struct rf_kit_loop *l, enum rf_lang lang)
{
    char a[32], b[32], c[32];
    size_t total = 0;
    for (size_t i = 0; i < l->nsteps; i++)
        total += l->steps[i].count;
    snprintf(a, sizeof a, "%zu", total);
    say(lang, "kit.title", 2, (const char *[]){L(lang, role, name), a});
    printf("\n\n");
    say(lang, "kit.scale", 0, NULL);
    printf("\n");
    for (int p = k->min; p <= k->max; p++)
        printf("  %d  %s\n", p, rf_lang_pick(lang, k->meaning[p - k->min], k->meaning_ja[p - k->min]));
    for (size_t i = 0; i < l->nsteps; i++) {
        const struct rf_kit_round *r = &k->rounds[l->steps[i].round];
        snprintf(a, sizeof a, "%zu", i + 1);
        snprintf(b, sizeof b, "%zu", l->steps[i].count);
        snprintf(c, sizeof c, "%g", r->minutes);
        printf("\n");
        if (l->steps[i].count > 1)
            say(lang, "kit.round_n", 4, (const char *[]){a, L(lang, r, name), b, c});
        else
            say(lang, "kit.round", 3, (const char *[]){a, L(lang, r, name), c});
        struct rf_buf sk;
        rf_buf_init(&sk, (size_t)64 * 1024);
        for (size_t s = 0; s < r->nskills; s++) {
            if (s)
                (void)rf_report_msg_put(&sk, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
            (void)rf_buf_puts(&sk, skill_name(k, r->skills[s], lang));
        }
        printf("\n   ");
        say(lang, "kit.measures", 1, (const char *[]){rf_buf_str(&sk)});
        rf_buf_cleanup(&sk);
        printf("\n   ");
        say(lang, "kit.questions", 0, NULL);
        printf("\n");
        for (size_t q = 0; q < r->nquestions; q++) {
            const struct rf_kit_question *qu = &r->questions[q];
            printf("    - %s\n", L(lang, qu, prompt));
            for (size_t f = 0; f < qu->nfollow; f++) {
                printf("        ");
                say(lang, "kit.then", 1,
                    (const char *[]){rf_lang_pick(lang, qu->follow_ups[f], qu->follow_ups_ja[f])});
                printf("\n");
            }
        }
        printf("   ");
        say(lang, "kit.rubric", 0, NULL);
        printf("\n");
        print_rubric(k, r->rubric, r->ncriteria, lang);
    }
    if (l->take_home != (size_t)-1) {
        const struct rf_kit_take_home *t = &k->take_homes[l->take_home];
        snprintf(a, sizeof a, "%g", t->hours);
        printf("\n");
        say(lang, "kit.take_home", 2, (const char *[]){L(lang, t, name), a});
        printf("\n   ");
        say(lang, "kit.data", 1, (const char *[]){L(lang, t, data)});
        printf("\n   ");
        say(lang, "kit.task", 1, (const char *[]){L(lang, t, task)});
        printf("\n   ");
        say(lang, "kit.hand_in", 1, (const char *[]){L(lang, t, hand_in)});
        printf("\n   ");
        say(lang, "kit.rubric", 0, NULL);
        printf("\n");
        print_rubric(k, t->rubric, t->ncriteria, lang);
    }
}

static json_t *rubric_json(const struct rf_kits *k, const struct rf_kit_criterion *cr, size_t n,
                           enum rf_lang lang)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *an = json_object();
        for (int p = k->min; an && p <= k->max; p++) {
            char key[8];
            snprintf(key, sizeof key, "%d", p);
            json_object_set_new(an, key,
                                json_string(rf_lang_pick(lang, cr[i].anchors[p - k->min],
                                                         cr[i].anchors_ja[p - k->min])));
        }
        json_t *o = json_pack("{sssssssO}", "id", cr[i].id, "name", L(lang, &cr[i], name),
                              "skill", k->careers->tax.skills[cr[i].skill].id, "anchors", an);
        json_decref(an);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

static json_t *skills_json(const struct rf_kits *k, const size_t *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(k->careers->tax.skills[s[i]].id));
    return a;
}

static json_t *kit_json(const struct rf_kits *k, const struct rf_role *role,
                        const struct rf_kit_loop *l, enum rf_lang lang)
{
    json_t *rounds = json_array(), *th = json_null();
    for (size_t i = 0; rounds && i < l->nsteps; i++) {
        const struct rf_kit_round *r = &k->rounds[l->steps[i].round];
        json_t *qs = json_array();
        for (size_t q = 0; qs && q < r->nquestions; q++) {
            json_t *f = json_array();
            const struct rf_kit_question *qu = &r->questions[q];
            for (size_t j = 0; f && j < qu->nfollow; j++)
                json_array_append_new(
                    f, json_string(rf_lang_pick(lang, qu->follow_ups[j], qu->follow_ups_ja[j])));
            json_array_append_new(qs, json_pack("{sssO}", "prompt", L(lang, qu, prompt),
                                                "follow_ups", f));
            json_decref(f);
        }
        json_t *sk = skills_json(k, r->skills, r->nskills),
               *ru = rubric_json(k, r->rubric, r->ncriteria, lang);
        json_array_append_new(rounds, json_pack("{sssssssIsfsOsOsO}", "id", r->id, "name",
                                                L(lang, r, name), "kind", r->kind, "count",
                                                (json_int_t)l->steps[i].count, "minutes",
                                                r->minutes, "skills", sk, "questions", qs,
                                                "rubric", ru));
        json_decref(sk);
        json_decref(ru);
        json_decref(qs);
    }
    if (l->take_home != (size_t)-1) {
        const struct rf_kit_take_home *t = &k->take_homes[l->take_home];
        json_t *sk = skills_json(k, t->skills, t->nskills),
               *ru = rubric_json(k, t->rubric, t->ncriteria, lang);
        th = json_pack("{sssssfsssssssOsO}", "id", t->id, "name", L(lang, t, name), "hours",
                       t->hours, "data", L(lang, t, data), "task", L(lang, t, task), "hand_in",
                       L(lang, t, hand_in), "skills", sk, "rubric", ru);
        json_decref(sk);
        json_decref(ru);
    }
    json_t *o = json_pack("{sssssss{sisi}sOso}", "role", role->id, "lang", rf_lang_code(lang),
                          "name", L(lang, role, name), "scale", "min", k->min, "max", k->max,
                          "rounds", rounds, "take_home", th);
    json_decref(rounds);
    return o;
}

static void print_line(void *ctx, const char *line)
{
    fprintf(stdout, "%s: %s\n", (const char *)ctx, line);
}

/* A problem of the Japanese, whose message names the file already. */
static void print_ja(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stdout, "%s\n", line);
}

int rf_cmd_kit(int argc, char **argv)
{
    const char *cmd = "kit", *data = rf_cli_default_path("data"), *lang = "en";
    int json = 0, help = 0, lint = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json},
                                {"data", 1, &data, NULL},
                                {"lint", 0, NULL, &lint},
                                {"lang", 1, &lang, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    enum rf_lang rl;
    if (rf_lang_parse(lang, &rl))
        return rf_cli_usage_error(cmd, "--lang: unknown language '%s' (%s)", lang, RF_LANG_CODES);
    if (lint == (npos == 1))
        return rf_cli_usage_error(cmd, lint ? "--lint takes no role"
                                            : "expected a role id (see 'rolefit roles')");
    struct rf_careers c;
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/interviews.json", data);
    if ((rc = rf_kits_load(path, &c, &k, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (lint) {
        size_t n = rf_kits_lint(&k, print_line, "interviews.json") +
                   rf_kits_check_roles(&k, print_line, "roles.json");
        /* both languages complete: every field of the kits has its Japanese */
        json_t *root = NULL;
        if (rf_json_load_file(path, &root, &err) == RF_OK)
            n += rf_i18n_lint_json("interviews.json", root, print_ja, NULL);
        json_decref(root);
        printf("kit: %zu finding%s\n", n, n == 1 ? "" : "s");
        ec = n ? RF_EXIT_DATA : RF_EXIT_OK;
    } else {
        const struct rf_role *role = rf_roles_find(&c.roles, pos[0]);
        if (!role) {
            rf_err_set(&err, RF_ENOTFOUND, "no role '%.64s' (see 'rolefit roles')", pos[0]);
            ec = rf_cli_fail(cmd, RF_ENOTFOUND, err.msg);
        } else {
            const struct rf_kit_loop *l = rf_kits_loop(&k, (size_t)(role - c.roles.roles));
            if (json) {
                json_t *j = kit_json(&k, role, l, rl);
                if (!j)
                    ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
                else
                    rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                json_decref(j);
            } else {
                print_kit(&k, role, l, rl);
            }
        }
    }
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
    return ec;
}
