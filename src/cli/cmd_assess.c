/* `rolefit assess`: the adaptive test in a terminal over the bundled bank. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bank/answer.h"
#include "bank/bank.h"
#include "bank/skills.h"
#include "base/chance.h"
#include "base/file.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/lang.h"
#include "base/textwidth.h"
#include "base/mem.h"
#include "careers/closest.h"
#include "careers/fit.h"
#include "careers/profile.h"
#include "careers/report_text.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/quad.h"
#include "server/roletest.h"

static const char usage[] =
    "usage: rolefit assess [--role ROLE | --skills a,b] [--max-items N] [--se X] [--seed S]\n"
    "                      [--save FILE] [--resume FILE] [--feedback] [--profile-out FILE]\n"
    "                      [--person NAME] [--exposure FILE] [--bank DIR] [--taxonomy FILE]\n"
    "                      [--roles FILE] [--lang en|ja]\n\n"
    "The adaptive test in a terminal. Shows one question at a time with its options and\n"
    "reads your choice (a letter or its number; interactive or piped stdin), a number\n"
    "(numeric questions: 0.25, -3, 1e-3) or the letters of every option you select,\n"
    "separated by commas (\"select all that apply\": a,c); a typo is asked again, never\n"
    "counted. Each question is chosen for the skill that most needs\n"
    "it, at the difficulty that tells most about you. At the end prints your profile:\n"
    "per skill theta (EAP), its standard error and your level, and the questions you\n"
    "missed with their answers and explanations.\n\n"
    "  --role ROLE        measure the skills a role requires (data/roles.json ids)\n"
    "  --skills a,b       measure these skills (data/skills.json ids); default: all\n"
    "  --max-items N      at most N questions in all (default 40)\n"
    "  --se X             stop a skill once its standard error is at most X (default 0.30)\n"
    "  --seed S           random seed of the item choice (default: from the clock)\n"
    "  --save FILE        keep the session in FILE after every answer ('q' quits and\n"
    "                     keeps it); --resume FILE continues it (and keeps saving there)\n"
    "  --feedback         after each answer show whether it was right and the explanation\n"
    "  --profile-out FILE write the profile (docs/profile-format.md) to FILE\n"
    "  --person NAME      the person's name in the profile\n"
    "  --exposure FILE    Sympson-Hetter exposure parameters ('rolefit simulate --sh-out')\n"
    "  --bank DIR         the item bank (default data/bank)\n"
    "  --taxonomy FILE    the skill taxonomy (default data/skills.json)\n"
    "  --roles FILE       the roles (default data/roles.json)\n"
    "  --lang en|ja       the language of the questions, options and explanations\n"
    "                     (default en; the rest of the output stays English)\n";

struct assess {
    const char *cmd;
    struct rf_bank bank;
    struct rf_taxonomy tax;
    struct rf_roles roles;
    int have_roles;
    struct rf_quad q;
    struct rf_cat_pool *pool;
    struct rf_cat_session *s;
    const char *save, *role, *person, *roles_path, *exposure;
    int feedback;
    enum rf_lang lang; /* of the questions, and of skill, level and role names */
    struct rf_err err;
};

/* Terminal columns for wrapped text: $COLUMNS when it is a sensible number,
 * else 80. */
static size_t columns(void)
{
    const char *c = getenv("COLUMNS");
    long n = c ? strtol(c, NULL, 10) : 0;
    return n >= 40 && n <= 400 ? (size_t)n : 80;
}

/* Prints s wrapped by display width (Japanese lines break between
 * characters, code blocks are kept), its first line starting with first and
 * the others with rest. */
static void print_wrapped(const char *s, const char *first, const char *rest)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 20);
    if (rf_text_wrap(&b, s, columns(), first, rest) == RF_OK)
        fputs(rf_buf_str(&b), stdout);
    else
        printf("%s%s\n", first, s);
    rf_buf_cleanup(&b);
}

/* The message key in the session's language (careers/report_text.h) as
 * plain text, into b (reset first). */
static const char *msg(const struct assess *a, struct rf_buf *b, const char *key, size_t n,
                       const char *const *args)
{
    rf_buf_reset(b);
    if (rf_report_msg_put(b, RF_MSG_TEXT, a->lang, key, args, n) != RF_OK)
        return key;
    return rf_buf_str(b);
}

/* Prints the message key wrapped to the terminal, each line starting with
 * indent, and a line break. */
static void say(const struct assess *a, const char *key, size_t n, const char *const *args,
                const char *indent)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 16);
    print_wrapped(msg(a, &b, key, n, args), indent, indent);
    rf_buf_cleanup(&b);
}

/* Prints the message key as it is, without a line break (a prompt, a cell). */
static void say_raw(const struct assess *a, const char *key, size_t n, const char *const *args)
{
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 16);
    fputs(msg(a, &b, key, n, args), stdout);
    rf_buf_cleanup(&b);
}

/* Prints s padded to width display columns (names in Japanese take two a
 * character). */
static void print_padded(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = rf_text_width(s); w < width; w++)
        fputc(' ', stdout);
}

/* The questions in language lang, for the whole test; items without a
 * complete translation (bank lint fails a bank with one) stay in English. */
static rf_status use_lang(struct assess *a, const char *lang)
{
    size_t missing = 0;
    if (rf_bank_use_lang(&a->bank, lang, &missing))
        return rf_err_set(&a->err, RF_ENOMEM, "out of memory");
    if (missing)
        fprintf(stderr, "rolefit assess: %zu items have no complete '%s' translation and stay in "
                        "English (rolefit bank lint)\n",
                missing, lang);
    return RF_OK;
}

/* The bank item behind pool item i (the pool is built over the bank in order). */
static const struct rf_item *bank_item(const struct assess *a, size_t i)
{
    return &a->bank.items[i];
}

static const char *skill_name(const struct assess *a, const char *id)
{
    size_t k;
    if (rf_taxonomy_find(&a->tax, id, &k) == RF_OK)
        return rf_lang_pick(a->lang, a->tax.skills[k].name, a->tax.skills[k].name_ja);
    return id;
}

static const char *role_name(const struct assess *a, const struct rf_role *r)
{
    return rf_lang_pick(a->lang, r->name, r->name_ja);
}

/* Saves the session with the assess settings beside it. */
static rf_status save_session(struct assess *a)
{
    if (!a->save)
        return RF_OK;
    json_t *j;
    rf_status rc = rf_cat_session_to_json(a->s, &j, &a->err);
    if (rc)
        return rc;
    json_t *extra = json_pack("{s:s?, s:s?, s:b, s:s?}", "role", a->role, "person", a->person,
                              "feedback", a->feedback, "exposure", a->exposure);
    if (!extra || json_object_set_new(j, "assess", extra)) {
        json_decref(j);
        return rf_err_set(&a->err, RF_ENOMEM, "out of memory");
    }
    char *text = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (!text)
        return rf_err_set(&a->err, RF_ENOMEM, "out of memory");
    rc = rf_file_write_atomic(a->save, text, strlen(text), &a->err);
    free(text);
    return rc;
}

/* Reads one line from stdin into buf; 0 at end of input. */
static int read_line(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return 0;
    size_t n = strlen(buf);
    if (n && buf[n - 1] != '\n' && !feof(stdin)) { /* overlong line: drop the rest */
        int ch;
        while ((ch = getchar()) != EOF && ch != '\n')
            ;
        buf[0] = '\0'; /* treated as invalid */
        return 1;
    }
    while (n &&
           (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    return 1;
}

/* Parses a choice among nopt options: a letter (a..) or a number (1..).
 * Returns the 0-based option, -2 for quit, -1 for invalid. */
static int parse_choice(const char *in, size_t nopt)
{
    while (*in == ' ' || *in == '\t')
        in++;
    if ((in[0] == 'q' || in[0] == 'Q') && in[1] == '\0')
        return -2;
    if (in[0] && in[1] == '\0') {
        char c = in[0];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c >= 'a' && (size_t)(c - 'a') < nopt)
            return c - 'a';
    }
    size_t v;
    if (rf_parse_size(in, &v) == RF_OK && v >= 1 && v <= nopt)
        return (int)v - 1;
    return -1;
}

/* Reads an answer to it from a typed line: 1 and *r on success, -2 for "q"
 * (quit), 0 when the line is no answer (a->err says why for numeric and
 * multi questions). A multi selection takes letters or 1-based numbers. */
static int read_answer(const struct rf_item *it, const char *line, struct rf_response *r,
                       struct rf_err *err)
{
    const char *in = line;
    while (*in == ' ' || *in == '\t')
        in++;
    if ((in[0] == 'q' || in[0] == 'Q') && in[1] == '\0')
        return -2;
    if (it->type == RF_ITEM_NUMERIC)
        return rf_answer_numeric(it, line, r, err) == RF_OK;
    if (it->type == RF_ITEM_MULTI) {
        if (!*in) {
            rf_err_set(err, RF_EINVAL, "type the letters of every option you select, e.g. a,c");
            return 0;
        }
        /* an entry of digits is a 1-based number and becomes its letter: "1, 3" is "a, c" */
        char buf[256];
        size_t o = 0;
        for (const char *p = in; *p && o + 2 < sizeof buf;) {
            const char *e = p;
            while (*e >= '0' && *e <= '9')
                e++;
            const char *t = e;
            while (*t == ' ' || *t == '\t')
                t++;
            int entry = p == in || p[-1] == ',' || p[-1] == ' ' || p[-1] == '\t';
            if (e > p && entry && (*t == ',' || *t == '\0')) {
                size_t v = 0;
                for (const char *d = p; d < e && v < 100; d++)
                    v = v * 10 + (size_t)(*d - '0');
                if (v < 1 || v > it->noptions) {
                    rf_err_set(err, RF_EINVAL, "there is no option %zu: the options are 1 to %zu "
                               "(or a to %c)", v, it->noptions, (char)('a' + it->noptions - 1));
                    return 0;
                }
                buf[o++] = (char)('a' + v - 1);
                p = e;
            } else {
                buf[o++] = *p++;
            }
        }
        buf[o] = '\0';
        return rf_answer_parse_selection(it, buf, 1, r, err) == RF_OK;
    }
    int c = parse_choice(line, it->noptions);
    if (c == -2)
        return -2;
    return c >= 0 && rf_answer_mcq(it, c, r, err) == RF_OK;
}

static void print_question(const struct assess *a, size_t item, size_t number)
{
    const struct rf_item *it = bank_item(a, item);
    const struct rf_cat_design *d = rf_cat_session_design(a->s);
    /* Progress: the mean share of target precision reached, per skill
     * (1/SE^2 - 1) / (1/target^2 - 1) capped at 1, the prior precision being 1. */
    double prog = 0;
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(a->s, j, &r);
        double need = 1 / (d->rule[j].se * d->rule[j].se) - 1;
        double have = r.se > 0 ? 1 / (r.se * r.se) - 1 : need;
        prog += need <= 0 || have >= need ? 1 : have > 0 ? have / need : 0;
    }
    prog /= (double)d->nscope;
    char n1[32], n2[32], n3[32];
    snprintf(n1, sizeof n1, "%zu", number);
    snprintf(n2, sizeof n2, "%zu", d->max_items);
    snprintf(n3, sizeof n3, "%.0f%%", 100 * prog);
    printf("\n");
    say(a, "assess.progress", 4, (const char *[]){n1, n2, n3, skill_name(a, it->skill)}, "");
    printf("\n");
    print_wrapped(it->stem, "", "");
    printf("\n");
    for (size_t o = 0; o < it->noptions; o++) {
        char first[8];
        snprintf(first, sizeof first, "  %c) ", (char)('a' + o));
        print_wrapped(it->options[o], first, "     ");
    }
    if (it->type == RF_ITEM_MULTI) {
        printf("\n");
        say(a, "assess.multi", 0, NULL, "");
    }
}

static void print_profile(const struct assess *a)
{
    const struct rf_cat_design *d = rf_cat_session_design(a->s);
    struct rf_buf b;
    rf_buf_init(&b, 4096);
    printf("\n");
    say(a, "assess.profile", 0, NULL, "");
    printf("\n  ");
    print_padded(msg(a, &b, "assess.col.skill", 0, NULL), 34);
    printf(" ");
    /* the items column: as wide as its label, at least 5 columns */
    const char *items = msg(a, &b, "assess.col.items", 0, NULL);
    size_t iw = rf_text_width(items) > 5 ? rf_text_width(items) : 5;
    for (size_t w = rf_text_width(items); w < iw; w++)
        fputc(' ', stdout);
    printf("%s %7s %6s  ", items, "theta", "SE");
    printf("%s\n", msg(a, &b, "assess.col.level", 0, NULL));
    rf_buf_cleanup(&b);
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(a->s, j, &r);
        const char *id = a->pool->skills[d->scope[j]];
        size_t k;
        const char *level = "";
        if (rf_taxonomy_find(&a->tax, id, &k) == RF_OK)
            level = rf_taxonomy_level_name(&a->tax, rf_skill_level(&a->tax.skills[k], r.theta),
                                           a->lang);
        printf("  ");
        print_padded(skill_name(a, id), 34);
        printf(" %*zu %+7.2f %6.2f  %s\n", (int)iw, r.items, r.theta, r.se, level);
    }
}

/* The missed questions with their keys and explanations (after the test only). */
static void print_missed(const struct assess *a)
{
    size_t nmissed = 0;
    for (size_t i = 0; i < rf_cat_nanswered(a->s); i++) {
        size_t item, k;
        rf_cat_answered(a->s, i, &item, &k);
        const struct rf_item *it = bank_item(a, item);
        if (k >= rf_answer_max_score(it))
            continue;
        if (nmissed++ == 0) {
            printf("\n");
            say(a, "assess.missed", 0, NULL, "");
        }
        char key[1024];
        rf_answer_key_text(it, key, sizeof key);
        printf("\n- %s (%s)\n", it->id, skill_name(a, it->skill));
        print_wrapped(it->stem, "  ", "  ");
        if (it->type == RF_ITEM_MULTI) {
            for (size_t o = 0; o < it->noptions; o++) {
                char first[8];
                snprintf(first, sizeof first, "  %c) ", (char)('a' + o));
                print_wrapped(it->options[o], first, "     ");
            }
            char c1[32], c2[32];
            snprintf(c1, sizeof c1, "%zu", k);
            snprintf(c2, sizeof c2, "%zu", rf_answer_max_score(it));
            say(a, "assess.credit", 2, (const char *[]){c1, c2}, "  ");
        }
        say(a, "assess.answer", 1, (const char *[]){key}, "  ");
        print_wrapped(it->explanation, "  ", "  ");
    }
    if (nmissed == 0 && rf_cat_nanswered(a->s) > 0) {
        printf("\n");
        say(a, "assess.all_right", 0, NULL, "");
    }
}

/* The profile of docs/profile-format.md from the session, into pr (the
 * caller cleans it up, also on failure). */
static rf_status build_profile(struct assess *a, struct rf_profile *pr)
{
    const struct rf_cat_pool *p = a->pool;
    memset(pr, 0, sizeof *pr);
    rf_status rc = rf_profile_init(pr, p->q.x[0], p->q.x[p->q.n - 1], p->q.n, &a->err);
    if (rc)
        return rc;
    const struct rf_cat_design *d = rf_cat_session_design(a->s);
    if ((rc = rf_profile_set_person(pr, a->person, "assess", &a->err)))
        return rc;
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(a->s, j, &r);
        if (r.items == 0)
            continue; /* not measured: absent from the profile (docs/profile-format.md) */
        size_t idx;
        if ((rc = rf_profile_add_posterior(pr, p->skills[d->scope[j]], r.items, r.posterior, &idx,
                                           &a->err)) ||
            (rc = rf_profile_set_random(pr, idx, r.random_lbf, &a->err)))
            return rc;
        for (size_t i = 0; i < rf_cat_nanswered(a->s); i++) {
            size_t item, k;
            rf_cat_answered(a->s, i, &item, &k);
            const struct rf_item *it = bank_item(a, item);
            if (k >= rf_answer_max_score(it) || p->skill[item] != d->scope[j])
                continue;
            /* some credit on a multiple-select item: partly right, not missed */
            if ((rc = (k > 0 ? rf_profile_add_partly : rf_profile_add_missed)(
                     pr, idx, it->id, (const char *const *)it->tags, it->ntags, &a->err)))
                return rc;
        }
    }
    return RF_OK;
}

static void print_req(const struct assess *a, const struct rf_req_fit *rq)
{
    const struct rf_skill *sk = &a->tax.skills[rq->req->skill];
    printf("      ");
    print_padded(rf_lang_pick(a->lang, sk->name, sk->name_ja), 36);
    /* the level padded to 11 columns, as one argument */
    struct rf_buf lv;
    rf_buf_init(&lv, 256);
    char p[32];
    snprintf(p, sizeof p, "%.2f", rq->p);
    rf_text_pad(&lv, rf_taxonomy_level_name(&a->tax, rq->req->level, a->lang), 11);
    printf(" ");
    say_raw(a, "assess.needs", 2, (const char *[]){rf_buf_str(&lv), p});
    rf_buf_cleanup(&lv);
    if (rq->req->core) {
        printf("  ");
        say_raw(a, "assess.core", 0, NULL);
    }
    if (!rq->have) {
        printf("  ");
        say_raw(a, "assess.prior", 0, NULL);
    }
    printf("\n");
}

/* The role-fit summary (careers): the chosen role with its gaps, or the
 * three best-fitting roles. */
static rf_status print_fit(struct assess *a, const struct rf_profile *pr)
{
    rf_status rc;
    if (!a->have_roles) {
        if ((rc = rf_roles_load(a->roles_path, &a->tax, &a->roles, &a->err)))
            return rc;
        a->have_roles = 1;
    }
    struct rf_role_fit *fits;
    if ((rc = rf_fit_all(pr, &a->roles, &fits, &a->err)))
        return rc;
    printf("\n");
    say(a, "assess.fit", 0, NULL, "");
    printf("\n");
    size_t shown = 0;
    for (size_t i = 0; i < a->roles.n; i++) {
        const struct rf_role_fit *f = &fits[i];
        if (a->role ? strcmp(f->role->id, a->role) != 0 : shown >= 3)
            continue;
        shown++;
        printf("  ");
        print_padded(role_name(a, f->role), 34);
        char fit[32], sd[32], core[32];
        snprintf(fit, sizeof fit, "%.2f", f->fit);
        snprintf(sd, sizeof sd, "%.2f", f->sd);
        snprintf(core, sizeof core, "%.2f", f->p_core);
        printf(" ");
        say_raw(a, "assess.fit_row", 3, (const char *[]){fit, sd, core});
        if (f->nunmeasured) {
            printf("   ");
            say_raw(a, "assess.fit_unmeasured", 0, NULL);
        }
        printf("\n");
        size_t idx[RF_CAT_MAX_SCOPE * 2];
        size_t ng = f->nreqs <= sizeof idx / sizeof idx[0] ? rf_fit_gaps(f, idx) : 0;
        if (ng) {
            say(a, "assess.gaps", 0, NULL, "    ");
            for (size_t g = 0; g < ng && g < 3; g++)
                print_req(a, &f->reqs[idx[g]]);
        }
    }
    rf_fit_free_all(fits, a->roles.n);
    struct rf_role_close *cl;
    double none = 0;
    if ((rc = rf_closest_all(pr, &a->roles, &cl, &none, &a->err)))
        return rc;
    printf("\n");
    if (cl[0].nmeasured == 0) {
        say(a, "assess.closest_nothing", 0, NULL, "");
    } else {
        /* the three closest roles with their probabilities, as one argument */
        struct rf_buf list;
        rf_buf_init(&list, 4096);
        for (size_t i = 0; i < a->roles.n && i < 3 && cl[i].nmeasured; i++) {
            if (i)
                rf_report_msg_put(&list, RF_MSG_TEXT, a->lang, "list.sep", NULL, 0);
            char pc[RF_CHANCE_LEN];
            rf_buf_printf(&list, "%s %s", role_name(a, cl[i].role),
                          rf_chance_pct(pc, sizeof pc, cl[i].prob));
        }
        char nr[RF_CHANCE_LEN];
        rf_chance_pct(nr, sizeof nr, none);
        say_raw(a, "assess.closest", 2, (const char *[]){rf_buf_str(&list), nr});
        printf("\n");
        rf_buf_cleanup(&list);
        if (none > cl[0].prob)
            say(a, "assess.no_role", 0, NULL, "  ");
        else if (cl[0].log_bf < 0)
            say(a, "assess.against", 0, NULL, "  ");
    }
    free(cl);
    return RF_OK;
}

/* Builds the design from --role / --skills (or every skill with items). */
static int make_design(struct assess *a, const char *skills_s, size_t maxi, double se,
                       struct rf_cat_design *d)
{
    rf_cat_design_init(d);
    d->max_items = maxi;
    d->stop_unreachable = 0; /* a candidate gets every question the limit allows */
    struct rf_cat_rule r = {se, 1, maxi};
    const char *names[RF_CAT_MAX_SCOPE];
    size_t n = 0;
    char *buf = NULL;
    if (a->role) {
        const struct rf_role *role = rf_roles_find(&a->roles, a->role);
        if (!role) {
            fprintf(stderr, "rolefit %s: unknown role '%s' (roles: ", a->cmd, a->role);
            for (size_t i = 0; i < a->roles.n; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", a->roles.roles[i].id);
            fprintf(stderr, ")\n");
            return RF_EXIT_USAGE;
        }
        for (size_t k = 0; k < role->nreqs && n < RF_CAT_MAX_SCOPE; k++)
            names[n++] = a->tax.skills[role->reqs[k].skill].id;
    } else if (skills_s) {
        buf = rf_strdup(skills_s);
        if (!buf)
            return rf_cli_fail(a->cmd, RF_ENOMEM, "out of memory");
        for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
            if (n == RF_CAT_MAX_SCOPE) {
                free(buf);
                return rf_cli_usage_error(a->cmd, "--skills: more than %d skills",
                                          RF_CAT_MAX_SCOPE);
            }
            names[n++] = t;
        }
        if (n == 0) {
            free(buf);
            return rf_cli_usage_error(a->cmd, "--skills: empty list");
        }
    } else {
        for (size_t k = 0; k < a->pool->nskills && n < RF_CAT_MAX_SCOPE; k++)
            if (a->pool->nusable[k])
                names[n++] = a->pool->skills[k];
    }
    int ec = RF_EXIT_OK;
    for (size_t k = 0; k < n && !ec; k++) {
        size_t t;
        if (!a->role && skills_s && rf_taxonomy_find(&a->tax, names[k], &t) != RF_OK) {
            ec = rf_cli_usage_error(a->cmd, "--skills: unknown skill '%s' (see %s)", names[k],
                                    "data/skills.json");
            break;
        }
        rf_status rc = rf_cat_design_add(d, a->pool, names[k], r, &a->err);
        if (rc)
            ec = rf_cli_fail(a->cmd, rc, a->err.msg);
    }
    if (!ec && d->nscope == 0)
        ec = rf_cli_fail(a->cmd, RF_EINVAL, "empty scope: no skill to test");
    if (!ec && d->max_items < d->nscope) /* each skill gets its one question */
        for (size_t k = 0; k < d->nscope; k++)
            d->rule[k].min = 0;
    if (!ec && a->role) { /* a role test also tells the roles apart (closest roles) */
        rf_status rc = rf_roletest_add_classes(d, a->pool, &a->roles, &a->err);
        if (rc)
            ec = rf_cli_fail(a->cmd, rc, a->err.msg);
    }
    free(buf);
    return ec;
}

/* The question loop. Returns the exit code. */
static int run(struct assess *a)
{
    char line[256];
    int ec = RF_EXIT_OK;
    for (;;) {
        size_t item;
        rf_cat_next(a->s, &item);
        if (item == SIZE_MAX)
            break;
        if (save_session(a))
            return rf_cli_fail(a->cmd, a->err.rc, a->err.msg);
        const struct rf_item *it = bank_item(a, item);
        print_question(a, item, rf_cat_nanswered(a->s) + 1);
        struct rf_response resp;
        for (;;) {
            char last[2] = {(char)('a' + it->noptions - 1), '\0'};
            if (it->type == RF_ITEM_NUMERIC && it->unit[0])
                say_raw(a, "assess.prompt_unit", 1, (const char *[]){it->unit});
            else if (it->type == RF_ITEM_NUMERIC)
                say_raw(a, "assess.prompt_number", 0, NULL);
            else
                say_raw(a, it->type == RF_ITEM_MULTI ? "assess.prompt_multi" : "assess.prompt", 1,
                        (const char *[]){last});
            (void)fflush(stdout); /* the prompt; a write error fails in main() */
            if (!read_line(line, sizeof line)) {
                printf("\n");
                if (a->save) {
                    fprintf(stderr,
                            "rolefit %s: input ended; the session is kept in %s "
                            "(continue with --resume %s)\n",
                            a->cmd, a->save, a->save);
                    return RF_EXIT_OK;
                }
                fprintf(stderr,
                        "rolefit %s: input ended after %zu answers, before the test "
                        "finished\n",
                        a->cmd, rf_cat_nanswered(a->s));
                return RF_EXIT_DATA;
            }
            if (!isatty(STDIN_FILENO))
                printf("%s\n", line); /* echo piped answers so the transcript reads well */
            int got = read_answer(it, line, &resp, &a->err);
            if (got == 1)
                break;
            if (got == -2) {
                if (a->save)
                    say(a, "assess.kept", 1, (const char *[]){a->save}, "");
                else
                    say(a, "assess.stopped", 0, NULL, "");
                return RF_EXIT_OK;
            }
            if (it->type == RF_ITEM_MCQ) {
                char no[32];
                snprintf(no, sizeof no, "%zu", it->noptions);
                say(a, "assess.not_choice", 3, (const char *[]){line, last, no}, "");
            } else
                printf("%s\n", a->err.msg);
        }
        size_t score = rf_answer_score(it, &resp), max = rf_answer_max_score(it);
        rf_status rc = rf_cat_answer(a->s, item, score);
        if (rc)
            return rf_cli_fail(a->cmd, rc, rf_cat_errmsg(a->s));
        if (a->feedback) {
            char key[1024];
            rf_answer_key_text(it, key, sizeof key);
            char s1[32], s2[32];
            snprintf(s1, sizeof s1, "%zu", score);
            snprintf(s2, sizeof s2, "%zu", max);
            if (score >= max)
                say(a, "assess.right", 0, NULL, "");
            else if (score > 0)
                say(a, "assess.partly", 3, (const char *[]){s1, s2, key}, "");
            else
                say(a, "assess.wrong", 1, (const char *[]){key}, "");
            print_wrapped(it->explanation, "", "");
        }
    }
    if (save_session(a))
        return rf_cli_fail(a->cmd, a->err.rc, a->err.msg);
    return ec;
}

int rf_cmd_assess(int argc, char **argv)
{
    struct assess a;
    memset(&a, 0, sizeof a);
    a.cmd = "assess";
    const char *skills_s = NULL, *max_s = NULL, *se_s = NULL, *seed_s = NULL, *resume = NULL,
               *profile_out = NULL, *bank_dir = rf_cli_default_path("data/bank"),
               *tax_path = rf_cli_default_path("data/skills.json"),
               *roles_path = rf_cli_default_path("data/roles.json"), *lang = "en";
    int help = 0;
    struct rf_cli_opt opts[] = {
        {"role", 1, &a.role, NULL},
        {"lang", 1, &lang, NULL},
        {"skills", 1, &skills_s, NULL},
        {"max-items", 1, &max_s, NULL},
        {"se", 1, &se_s, NULL},
        {"seed", 1, &seed_s, NULL},
        {"save", 1, &a.save, NULL},
        {"resume", 1, &resume, NULL},
        {"feedback", 0, NULL, &a.feedback},
        {"profile-out", 1, &profile_out, NULL},
        {"person", 1, &a.person, NULL},
        {"bank", 1, &bank_dir, NULL},
        {"taxonomy", 1, &tax_path, NULL},
        {"roles", 1, &roles_path, NULL},
        {"exposure", 1, &a.exposure, NULL},
    };
    const char *pos[1];
    size_t npos;
    int ec =
        rf_cli_parse(a.cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (a.role && skills_s)
        return rf_cli_usage_error(a.cmd, "give --role or --skills, not both");
    if (!rf_item_lang_known(lang))
        return rf_cli_usage_error(a.cmd, "--lang: unknown language '%s' (%s)", lang,
                                  RF_ITEM_LANGS);
    rf_lang_parse(lang, &a.lang);
    if (resume && (a.role || skills_s || max_s || se_s || seed_s))
        return rf_cli_usage_error(a.cmd, "--resume continues a session as it was: "
                                         "--role, --skills, --max-items, --se and --seed do "
                                         "not apply");
    size_t maxi = RF_CAT_DEFAULT_MAX_ITEMS;
    double se = RF_CAT_DEFAULT_SE;
    unsigned long long seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
    if ((max_s && (ec = rf_cli_size(a.cmd, "max-items", max_s, 1, RF_CAT_MAX_ITEMS, &maxi))) ||
        (se_s && (ec = rf_cli_double(a.cmd, "se", se_s, 0.01, 10, &se))) ||
        (seed_s && (ec = rf_cli_u64(a.cmd, "seed", seed_s, &seed))))
        return ec;
    if (resume && !a.save)
        a.save = resume;
    a.roles_path = roles_path;
    rf_err_clear(&a.err);
    rf_status rc;
    json_t *rj = NULL;
    if ((rc = rf_taxonomy_load(tax_path, &a.tax, &a.err)) ||
        (rc = rf_bank_load_dir(bank_dir, &a.bank, &a.err)) ||
        (rc = use_lang(&a, lang)) || (rc = rf_quad_init_default(&a.q, &a.err)) ||
        (rc = rf_cat_pool_from_bank(&a.bank, RF_CAT_POOL_SCORED, &a.q, &a.pool, &a.err))) {
        ec = rf_cli_fail(a.cmd, rc, a.err.msg);
        goto out;
    }
    if (resume) {
        char *data = NULL;
        size_t len = 0;
        if ((rc = rf_file_read(resume, RF_CAT_MAX_SESSION_BYTES, &data, &len, &a.err)) ||
            (rc = rf_json_load_mem(resume, data, len, &rj, &a.err)) ||
            (rc = rf_cat_session_from_json(a.pool, rj, resume, &a.s, &a.err))) {
            free(data);
            ec = rf_cli_fail(a.cmd, rc, a.err.msg);
            goto out;
        }
        free(data);
        json_t *ex = json_object_get(rj, "assess");
        if (json_is_object(ex)) {
            if (!a.person)
                a.person = json_string_value(json_object_get(ex, "person"));
            a.role = json_string_value(json_object_get(ex, "role"));
            if (!a.feedback)
                a.feedback = json_is_true(json_object_get(ex, "feedback"));
            if (!a.exposure)
                a.exposure = json_string_value(json_object_get(ex, "exposure"));
        }
        if (a.exposure && (rc = rf_cat_exposure_load(a.pool, a.exposure, &a.err))) {
            ec = rf_cli_fail(a.cmd, rc, a.err.msg);
            goto out;
        }
        char na[32];
        snprintf(na, sizeof na, "%zu", rf_cat_nanswered(a.s));
        say(&a, "assess.resuming", 2, (const char *[]){resume, na}, "");
    } else {
        if (a.role) {
            if ((rc = rf_roles_load(roles_path, &a.tax, &a.roles, &a.err))) {
                ec = rf_cli_fail(a.cmd, rc, a.err.msg);
                goto out;
            }
            a.have_roles = 1;
        }
        struct rf_cat_design d;
        if ((ec = make_design(&a, skills_s, maxi, se, &d)))
            goto out;
        if (a.exposure) {
            if ((rc = rf_cat_exposure_load(a.pool, a.exposure, &a.err))) {
                ec = rf_cli_fail(a.cmd, rc, a.err.msg);
                goto out;
            }
            d.exposure = 1;
        }
        if ((rc = rf_cat_session_new(a.pool, &d, seed, &a.s, &a.err))) {
            ec = rf_cli_fail(a.cmd, rc, a.err.msg);
            goto out;
        }
        char mi[32], ns[32];
        snprintf(mi, sizeof mi, "%zu", d.max_items);
        snprintf(ns, sizeof ns, "%zu", d.nscope);
        const struct rf_role *role = a.role ? rf_roles_find(&a.roles, a.role) : NULL;
        if (role)
            say(&a, d.nscope == 1 ? "assess.intro_role_one" : "assess.intro_role", 3,
                (const char *[]){mi, ns, role_name(&a, role)}, "");
        else
            say(&a, d.nscope == 1 ? "assess.intro_one" : "assess.intro", 2,
                (const char *[]){mi, ns}, "");
        say(&a, a.save ? "assess.how_save" : "assess.how", 0, NULL, "");
    }
    if ((ec = run(&a)))
        goto out;
    if (rf_cat_stopped(a.s) == RF_CAT_RUNNING)
        goto out; /* quit or input ended: the profile comes when the test is done */
    print_profile(&a);
    struct rf_profile pr;
    if ((rc = build_profile(&a, &pr)) || (rc = print_fit(&a, &pr)) ||
        (profile_out && (rc = rf_profile_save(&pr, profile_out, &a.err)))) {
        rf_profile_cleanup(&pr);
        ec = rf_cli_fail(a.cmd, rc, a.err.msg);
        goto out;
    }
    rf_profile_cleanup(&pr);
    print_missed(&a);
    if (profile_out) {
        printf("\n");
        say(&a, "assess.written", 1, (const char *[]){profile_out}, "");
    }
out:
    json_decref(rj);
    rf_cat_session_free(a.s);
    rf_cat_pool_free(a.pool);
    rf_quad_cleanup(&a.q);
    if (a.have_roles)
        rf_roles_cleanup(&a.roles);
    rf_bank_cleanup(&a.bank);
    rf_taxonomy_cleanup(&a.tax);
    return ec;
}
