/* `rolefit posting parse`: a job posting as measurable requirements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/textwidth.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "careers/posting_eval.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit posting parse FILE [--json] [--data DIR]\n"
    "       rolefit posting eval DIR [--verbose] [--json] [--data DIR]\n"
    "       rolefit posting simulate FILE|DIR [--examinees N] [--seed S] [--threads T]\n"
    "                                [--truth-loading L] [--calibrated-bank | --hidden-truth]\n"
    "                                [--items N]\n"
    "                                [--bank DIR] [--data DIR] [--json]\n\n"
    "Turns a job posting (Markdown or plain text, English or Japanese, UTF-8) into\n"
    "required and preferred requirements on the skills rolefit measures. Section\n"
    "headings (Requirements / Must have / 必須 / 応募資格; Preferred / Nice to have /\n"
    "歓迎) decide which is which; under headings it does not know, or none, a list is\n"
    "read as requirements or as description (duties, company, benefits) by its\n"
    "wording. Japanese is split into words by MeCab (IPA dictionary).\n"
    "Terms map to skills through DIR/skill_aliases.json. \"X or Y\", \"X/Y\" and\n"
    "\"X または Y\" form one requirement met by either (an OR-group). Required items\n"
    "1-2 weigh 3, item 3 weighs 2, later items 1, preferred items 0.5. Text that maps\n"
    "to no skill is listed as not measured, with its line; every other line is listed\n"
    "as heading or description. A posting in another language is read as far as\n"
    "the known terms go, with a note saying so.\n\n"
    "'eval' scores the reader against labelled postings (DIR/NAME.md or .txt beside\n"
    "NAME.labels; tests/fixtures/postings/README.md): line recall, skill precision and\n"
    "recall per line, required/preferred accuracy, prose read as requirements and\n"
    "lines silently dropped, for the tuned postings and those in DIR/holdout.txt.\n\n"
    "'simulate' gives simulated applicants the posting's test and reports how often\n"
    "the ranking puts the true best third in its top third (see 'rolefit posting\n"
    "simulate --help' for its options).\n\n"
    "  --json      print JSON instead of text\n"
    "  --verbose   (eval) list every disagreement with the labels on stderr\n"
    "  --data DIR  folder with skills.json and skill_aliases.json (default data)\n";

/* Prints s and spaces up to width terminal columns (base/textwidth: CJK
 * characters take two); s as it is when already that wide. */
static void pad(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = rf_text_width(s); w < width; w++)
        fputc(' ', stdout);
}

/* The label column's width in display columns: the widest requirement label,
 * at most LABEL_MAX (a wider label stands on its own line, see print_req). */
enum { LABEL_MAX = 44 };

static size_t label_width(const struct rf_parsed_posting *p)
{
    size_t w = 10;
    for (size_t i = 0; i < p->nreqs; i++) {
        size_t n = rf_text_width(p->reqs[i].label);
        w = n > w ? n : w;
    }
    return w < LABEL_MAX ? w : LABEL_MAX;
}

/* Prints "title 1-3, 7, 9-12" for sorted line numbers (plural "lines" when
 * there are several); nothing when there are none. */
static void print_ranges(const char *title, const size_t *v, size_t n)
{
    if (n == 0)
        return;
    printf("%s%s ", title, n > 1 ? "s" : "");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        printf(j > i ? "%s%zu-%zu" : "%s%zu", i ? ", " : "", v[i], v[j]);
        i = j + 1;
    }
    printf("\n");
}

static void print_req(const struct rf_careers *c, const struct rf_posting_req *r,
                      size_t width)
{
    const char *label = r->label ? r->label : "";
    printf("  %2zu. ", r->position);
    if (rf_text_width(label) > width) /* the rest of the row under the column */
        printf("%s\n      ", label), label = "";
    pad(label, width);
    fputc(' ', stdout);
    pad(c->tax.levels[r->level], 11);
    printf(" w=%-4g", r->weight);
    for (size_t k = 0; k < r->nskills; k++)
        printf("%s%s", k ? " | " : "  -> ", c->tax.skills[r->skills[k]].id);
    printf("\n");
}

static void note_err(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "%s\n", msg);
}

static json_t *score_json(const struct rf_posting_score *s)
{
    return json_pack("{sIsIsfsfsfsfsIsI}", "postings", (json_int_t)s->postings, "lines",
                     (json_int_t)s->lines, "line_recall", rf_posting_eval_ratio(s->found, s->lines),
                     "skill_precision", rf_posting_eval_ratio(s->tp, s->tp + s->fp), "skill_recall",
                     rf_posting_eval_ratio(s->tp, s->tp + s->fn), "section_accuracy",
                     rf_posting_eval_ratio(s->section_right, s->found), "from_prose",
                     (json_int_t)s->from_prose, "dropped", (json_int_t)s->dropped);
}

static void score_text(const char *name, const struct rf_posting_score *s)
{
    printf("%-9s %3zu %5zu  %5.1f%%  %5.1f%% %5.1f%%  %5.1f%%  %5zu %7zu\n", name, s->postings,
           s->lines, 100 * rf_posting_eval_ratio(s->found, s->lines),
           100 * rf_posting_eval_ratio(s->tp, s->tp + s->fp),
           100 * rf_posting_eval_ratio(s->tp, s->tp + s->fn),
           100 * rf_posting_eval_ratio(s->section_right, s->found), s->from_prose, s->dropped);
}

static int eval(const char *cmd, const struct rf_careers *c, const char *dir, int json,
                int verbose)
{
    struct rf_posting_score t, h, all;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_posting_eval_dir(dir, &c->aliases, &c->tax, &t, &h,
                                       verbose ? note_err : NULL, NULL, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    all = t;
    all.postings += h.postings;
    all.lines += h.lines;
    all.found += h.found;
    all.section_right += h.section_right;
    all.tp += h.tp;
    all.fp += h.fp;
    all.fn += h.fn;
    all.from_prose += h.from_prose;
    all.dropped += h.dropped;
    if (json) {
        json_t *j = json_pack("{sososo}", "tuned", score_json(&t), "held_out", score_json(&h),
                              "all", score_json(&all));
        if (!j)
            return rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
    } else {
        printf("postings  n  lines  line-R  skill-P skill-R  req/pref  prose dropped\n");
        score_text("tuned", &t);
        score_text("held-out", &h);
        score_text("all", &all);
    }
    return RF_EXIT_OK;
}

int rf_cmd_posting(int argc, char **argv)
{
    const char *cmd = "posting", *data = rf_cli_default_path("data");
    if (argc > 1 && strcmp(argv[1], "simulate") == 0)
        return rf_posting_simulate("posting simulate", argc - 1, argv + 1);
    int json = 0, help = 0, verbose = 0;
    struct rf_cli_opt opts[] = {
        {"json", 0, NULL, &json}, {"data", 1, &data, NULL}, {"verbose", 0, NULL, &verbose}};
    const char *pos[2];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 2, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos != 2 || (strcmp(pos[0], "parse") != 0 && strcmp(pos[0], "eval") != 0))
        return rf_cli_usage_error(cmd, "expected 'parse FILE' or 'eval DIR' (see 'rolefit "
                                       "posting --help')");
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    if (strcmp(pos[0], "eval") == 0) {
        int ec2 = eval(cmd, &c, pos[1], json, verbose);
        rf_careers_cleanup(&c);
        return ec2;
    }
    struct rf_parsed_posting p;
    if ((rc = rf_posting_load(pos[1], &c.aliases, &c.tax, &p, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (json) {
        json_t *j = NULL;
        if (!(rc = rf_posting_to_json(&p, &c.tax, &j, &err))) {
            rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        }
        json_decref(j);
    } else {
        size_t width = label_width(&p);
        printf("%s\n\nRequired:\n", p.title);
        for (size_t i = 0; i < p.nreqs; i++)
            if (p.reqs[i].section == RF_SEC_REQUIRED)
                print_req(&c, &p.reqs[i], width);
        if (p.nrequired == 0)
            printf("  (none)\n");
        printf("\nPreferred:\n");
        for (size_t i = 0; i < p.nreqs; i++)
            if (p.reqs[i].section == RF_SEC_PREFERRED)
                print_req(&c, &p.reqs[i], width);
        if (p.nreqs == p.nrequired)
            printf("  (none)\n");
        printf("\nNot measured by rolefit:\n");
        for (size_t i = 0; i < p.nunmapped; i++)
            printf("  line %zu (%s): %s\n", p.unmapped[i].line,
                   p.unmapped[i].section == RF_SEC_PREFERRED ? "preferred" : "required",
                   p.unmapped[i].text);
        if (p.nunmapped == 0)
            printf("  (none)\n");
        print_ranges("\nRead as headings or description, not requirements: line", p.prose,
                     p.nprose);
        if (!p.sectioned)
            printf("\nNo Requirements/Preferred headings found: lists were read as requirements "
                   "or description by their wording.\n");
        if (p.dropped)
            printf("\n%zu further entries beyond the caps (%d requirements, %d lines) were not "
                   "listed.\n",
                   p.dropped, RF_POSTING_MAX_REQS, RF_POSTING_MAX_LINES);
        if (rf_posting_note(&p))
            printf("\nNote: %s.\n", rf_posting_note(&p));
    }
    rf_posting_cleanup(&p);
    rf_careers_cleanup(&c);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
