/*
 * The bank-wide rules of the bank linter (lint.h, rf_lint_finish): the
 * checks that compare the items lint.c recorded, across files and skills.
 * Unique ids and stems, near-duplicate stems, per skill counts, difficulty
 * spread, key positions and the format targets of issue 14, likely enemies
 * and enemy groups of one. Severity as in lint.c; the rules are listed in
 * docs/bank-lint.md.
 */
#include "bank/lint_bankwide.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/item.h"
#include "bank/text.h"
#include "base/config.h"
#include "base/mem.h"

static int cmp_recs_by_id(const void *x, const void *y, void *arg)
{
    const struct rf_lint_rec *r = arg;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = strcmp(r[a].id, r[b].id);
    return c ? c : (a < b ? -1 : a > b);
}

static int cmp_recs_by_stem(const void *x, const void *y, void *arg)
{
    const struct rf_lint_rec *r = arg;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = strcmp(r[a].stem, r[b].stem);
    return c ? c : (a < b ? -1 : a > b);
}

static const char *rec_name(const struct rf_lint_rec *r, char *buf, size_t cap)
{
    if (r->id)
        return r->id;
    snprintf(buf, cap, "items[%zu]", r->pos);
    return buf;
}

/* Duplicate ids and exact duplicate stems: sort indices, report each later one. */
static rf_status check_duplicates(struct rf_lint *l, size_t *ix)
{
    struct rf_lint_rec *r = l->recs;
    size_t m = 0;
    for (size_t i = 0; i < l->nrecs; i++)
        if (r[i].id)
            ix[m++] = i;
    qsort_r(ix, m, sizeof *ix, cmp_recs_by_id, r);
    for (size_t k = 1; k < m; k++) {
        size_t first = ix[k - 1], dup;
        while (k < m && strcmp(r[ix[k]].id, r[first].id) == 0) {
            dup = ix[k];
            if (rf_lint_diag_add(l, RF_LINT_ERROR, r[dup].file_idx, r[dup].pos, r[dup].id, "id",
                                 "duplicate id (first in %s, items[%zu])",
                                 l->files[r[first].file_idx], r[first].pos))
                return RF_ENOMEM;
            k++;
        }
    }
    m = 0;
    for (size_t i = 0; i < l->nrecs; i++)
        if (r[i].stem && r[i].stem[0])
            ix[m++] = i;
    qsort_r(ix, m, sizeof *ix, cmp_recs_by_stem, r);
    for (size_t k = 1; k < m; k++) {
        size_t first = ix[k - 1];
        while (k < m && strcmp(r[ix[k]].stem, r[first].stem) == 0) {
            size_t dup = ix[k];
            char b1[32], b2[32];
            if (rf_lint_diag_add(l, RF_LINT_ERROR, r[dup].file_idx, r[dup].pos,
                                 rec_name(&r[dup], b1, 32), "stem", "same stem as item '%s' (%s)",
                                 rec_name(&r[first], b2, 32), l->files[r[first].file_idx]))
                return RF_ENOMEM;
            k++;
        }
    }
    return RF_OK;
}

/* Whether records i and j are in one enemy group. */
static int same_enemy(const struct rf_lint_rec *x, const struct rf_lint_rec *y)
{
    return x->enemy && y->enemy && strcmp(x->enemy, y->enemy) == 0;
}

/* Near-duplicate stems: every pair at or above the Jaccard threshold that is
 * not an exact duplicate, reported on the later item. */
static rf_status check_near_duplicates(struct rf_lint *l)
{
    struct rf_lint_rec *r = l->recs;
    for (size_t i = 0; i < l->nrecs; i++) {
        if (!r[i].nsh)
            continue;
        for (size_t j = i + 1; j < l->nrecs; j++) {
            if (!r[j].nsh || strcmp(r[i].stem, r[j].stem) == 0 || same_enemy(&r[i], &r[j]))
                continue; /* exact duplicates are errors; a pair in one group is resolved */
            /* |A n B| <= min, |A u B| >= max: skip pairs that cannot reach the threshold */
            size_t lo = r[i].nsh < r[j].nsh ? r[i].nsh : r[j].nsh;
            size_t hi = r[i].nsh + r[j].nsh - lo;
            if ((double)lo < RF_LINT_NEAR_DUP * (double)hi)
                continue;
            double jac = rf_text_jaccard(r[i].sh, r[i].nsh, r[j].sh, r[j].nsh);
            if (jac >= RF_LINT_NEAR_DUP) {
                char b1[32], b2[32];
                if (rf_lint_diag_add(
                        l, RF_LINT_WARNING, r[j].file_idx, r[j].pos, rec_name(&r[j], b1, 32),
                        "stem", "near-duplicate of item '%s' (%s): word-shingle similarity %.2f",
                        rec_name(&r[i], b2, 32), l->files[r[i].file_idx], jac))
                    return RF_ENOMEM;
            }
        }
    }
    return RF_OK;
}

/* A per-skill finding, reported after the skill's first file. */
static rf_status skill_warn(struct rf_lint *l, const struct rf_lint_rec *first, const char *fmt,
                            ...) __attribute__((format(printf, 3, 4)));

static rf_status skill_warn(struct rf_lint *l, const struct rf_lint_rec *first, const char *fmt,
                            ...)
{
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rf_lint_diag_add(l, RF_LINT_WARNING, first->file_idx, SIZE_MAX, NULL, NULL,
                            "skill '%s': %s", first->skill, msg);
}

/* Per skill, over its active mcq items (from RF_LINT_KEY_MIN_ITEMS of them):
 * the cues a test-wise candidate uses. "Pick the longest option" must score
 * at most RF_LINT_LONGEST_MAX and "pick the shortest" at least
 * RF_LINT_SHORTEST_MIN (a key that is never the shortest is a cue too); and
 * the keys are spread over the positions: no position holds more than
 * RF_LINT_KEY_POS_MAX of the items that have it, and none holds fewer than
 * RF_LINT_KEY_POS_MIN_FAIR of its fair share (sum of 1/k over the items that
 * have it) once that share is at least 3 items. */
static rf_status check_keys(struct rf_lint *l, size_t first)
{
    const struct rf_lint_rec *r = l->recs;
    size_t pos[RF_BANK_MAX_OPTIONS] = {0}, have[RF_BANK_MAX_OPTIONS] = {0}, n = 0;
    double fair[RF_BANK_MAX_OPTIONS] = {0}, longest = 0, shortest = 0;
    for (size_t k = first; k < l->nrecs; k++) {
        /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): first has a skill */
        if (!r[k].skill || strcmp(r[k].skill, r[first].skill) != 0 || r[k].retired || r[k].key < 0)
            continue;
        n++;
        pos[r[k].key]++;
        for (size_t p = 0; p < r[k].nopt; p++) {
            have[p]++;
            fair[p] += 1.0 / (double)r[k].nopt;
        }
        longest += r[k].longest;
        shortest += r[k].shortest;
    }
    if (n < RF_LINT_KEY_MIN_ITEMS)
        return RF_OK;
    int off = 0;
    size_t worst = 0;
    for (size_t p = 0; p < RF_BANK_MAX_OPTIONS && have[p]; p++) {
        int hi = (double)pos[p] > RF_LINT_KEY_POS_MAX * (double)have[p];
        int lo = fair[p] >= 3.0 && (double)pos[p] < RF_LINT_KEY_POS_MIN_FAIR * fair[p];
        if ((hi || lo) && !off)
            worst = p;
        off |= hi || lo;
    }
    if (off) {
        char counts[160];
        size_t m = 0;
        for (size_t p = 0; p < RF_BANK_MAX_OPTIONS && have[p] && m < sizeof counts; p++)
            m += (size_t)snprintf(counts + m, sizeof counts - m, "%s%zu", p ? " / " : "", pos[p]);
        if (skill_warn(l, &r[first],
                       "keys by position %s of %zu mcq items; position %zu holds %zu of the %zu "
                       "items that have it (fair share %.1f): keep every position between %.0f%% "
                       "of its fair share and %.0f%% of the items",
                       counts, n, worst, pos[worst], have[worst], fair[worst],
                       100 * RF_LINT_KEY_POS_MIN_FAIR, 100 * RF_LINT_KEY_POS_MAX))
            return RF_ENOMEM;
    }
    if (longest > RF_LINT_LONGEST_MAX * (double)n &&
        skill_warn(l, &r[first],
                   "\"pick the longest option\" scores %.0f%% over %zu mcq items (at most %.0f%%): "
                   "lengthen distractors or shorten keys",
                   100 * longest / (double)n, n, 100 * RF_LINT_LONGEST_MAX))
        return RF_ENOMEM;
    if (shortest < RF_LINT_SHORTEST_MIN * (double)n &&
        skill_warn(l, &r[first],
                   "\"pick the shortest option\" scores %.0f%% over %zu mcq items (at least "
                   "%.0f%%): let some keys be the shortest option",
                   100 * shortest / (double)n, n, 100 * RF_LINT_SHORTEST_MIN))
        return RF_ENOMEM;
    return RF_OK;
}

/* Per skill: enough items, a difficulty spread near 25/50/25, and the
 * targets of issue 14: a share of formats without guessing, of hard items
 * (b >= RF_LINT_HARD_B) and a number of expert items (b >= RF_LINT_EXPERT_B). */
static rf_status check_skills(struct rf_lint *l)
{
    struct rf_lint_rec *r = l->recs;
    size_t nskills = l->tax ? l->tax->nskills : 0;
    /* skills in order of first appearance, then taxonomy skills without items */
    for (size_t i = 0; i < l->nrecs; i++) {
        if (!r[i].skill)
            continue;
        size_t j = 0;
        while (j < i && !(r[j].skill && strcmp(r[j].skill, r[i].skill) == 0))
            j++;
        if (j < i)
            continue; /* seen */
        size_t n = 0, band[3] = {0, 0, 0}, nonguess = 0, hard = 0, expert = 0, recall = 0;
        size_t pools[RF_NPOOLS] = {0, 0, 0};
        for (size_t k = i; k < l->nrecs; k++) {
            if (!r[k].skill || strcmp(r[k].skill, r[i].skill) != 0 || r[k].retired)
                continue;
            n++;
            if (r[k].diff >= 0) /* expert items count with the hard quarter */
                band[r[k].diff == RF_DIFF_EXPERT ? RF_DIFF_HARD : r[k].diff]++;
            nonguess += r[k].type == RF_ITEM_NUMERIC || r[k].type == RF_ITEM_MULTI;
            recall += r[k].recall != 0;
            if (r[k].type != RF_ITEM_RUBRIC) /* a rater's items are in no test's pool */
                pools[r[k].pool]++;
            hard += r[k].b >= RF_LINT_HARD_B - RF_LINT_B_SLACK;
            expert += r[k].b >= RF_LINT_EXPERT_B - RF_LINT_B_SLACK;
        }
        const char *s = r[i].skill;
        if (n < RF_LINT_MIN_ITEMS &&
            rf_lint_diag_add(l, RF_LINT_WARNING, r[i].file_idx, SIZE_MAX, NULL, NULL,
                             "skill '%s': %zu active item%s, fewer than %d", s, n,
                             n == 1 ? "" : "s", RF_LINT_MIN_ITEMS))
            return RF_ENOMEM;
        size_t rated = band[0] + band[1] + band[2];
        static const double target[3] = {0.25, 0.5, 0.25};
        int off = 0;
        for (int b = 0; b < 3 && rated; b++)
            off |= fabs((double)band[b] / (double)rated - target[b]) > RF_LINT_SPREAD_TOL;
        if (check_keys(l, i))
            return RF_ENOMEM;
        if (off && rf_lint_diag_add(
                       l, RF_LINT_WARNING, r[i].file_idx, SIZE_MAX, NULL, NULL,
                       "skill '%s': difficulty spread easy %zu / medium %zu / hard %zu; aim for "
                       "about a quarter easy, half medium, a quarter hard",
                       s, band[0], band[1], band[2]))
            return RF_ENOMEM;
        if ((double)nonguess < RF_LINT_NONGUESS_MIN_SHARE * (double)n &&
            skill_warn(l, &r[i],
                       "%zu of %zu active items are numeric or multi (%.0f%%), fewer than %.0f%%",
                       nonguess, n, 100.0 * (double)nonguess / (double)n,
                       100 * RF_LINT_NONGUESS_MIN_SHARE))
            return RF_ENOMEM;
        if ((double)hard < RF_LINT_HARD_MIN_SHARE * (double)n &&
            skill_warn(l, &r[i], "%zu of %zu active items have b >= %g (%.0f%%), fewer than %.0f%%",
                       hard, n, RF_LINT_HARD_B, 100.0 * (double)hard / (double)n,
                       100 * RF_LINT_HARD_MIN_SHARE))
            return RF_ENOMEM;
        if ((double)(n - recall) < RF_LINT_APPLIED_MIN_SHARE * (double)n &&
            skill_warn(l, &r[i],
                       "%zu of %zu active items are applied (not marked recall, %.0f%%), fewer "
                       "than %.0f%%",
                       n - recall, n, 100.0 * (double)(n - recall) / (double)n,
                       100 * RF_LINT_APPLIED_MIN_SHARE))
            return RF_ENOMEM;
        if ((pools[RF_POOL_PRACTICE] < RF_LINT_MIN_PRACTICE ||
             pools[RF_POOL_OPERATIONAL] < RF_LINT_MIN_OPERATIONAL) &&
            skill_warn(l, &r[i],
                       "pools: %zu practice, %zu operational, %zu pretest active items; a skill "
                       "needs at least %d practice and %d operational to be measured in both",
                       pools[RF_POOL_PRACTICE], pools[RF_POOL_OPERATIONAL], pools[RF_POOL_PRETEST],
                       RF_LINT_MIN_PRACTICE, RF_LINT_MIN_OPERATIONAL))
            return RF_ENOMEM;
        if (expert < RF_LINT_EXPERT_MIN &&
            skill_warn(l, &r[i], "%zu active item%s with b >= %g (the expert level), fewer than %d",
                       expert, expert == 1 ? "" : "s", RF_LINT_EXPERT_B, RF_LINT_EXPERT_MIN))
            return RF_ENOMEM;
    }
    for (size_t k = 0; l->root && k < nskills; k++) { /* only when linting a whole bank dir */
        const char *s = l->tax->skills[k].id;
        size_t i = 0;
        while (i < l->nrecs && !(r[i].skill && strcmp(r[i].skill, s) == 0))
            i++;
        if (i == l->nrecs && rf_lint_diag_add(l, RF_LINT_WARNING, SIZE_MAX, SIZE_MAX, NULL, NULL,
                                              "skill '%s' of the taxonomy has no items", s))
            return RF_ENOMEM;
    }
    return RF_OK;
}

/* Likely enemies: two active items, in any skills, that are not in one enemy
 * group but have the same tag set, or whose stems share the scenario (the
 * Jaccard similarity of their stems' content words at least
 * RF_LINT_SCENARIO_JACCARD, each stem having RF_LINT_SCENARIO_MIN_WORDS of
 * them). Near-duplicate stems are reported by their own rule, not here.
 * Reported on the later item. */
static rf_status check_enemies(struct rf_lint *l)
{
    struct rf_lint_rec *r = l->recs;
    for (size_t i = 0; i < l->nrecs; i++) {
        if (r[i].retired || !r[i].id)
            continue;
        for (size_t j = i + 1; j < l->nrecs; j++) {
            if (r[j].retired || !r[j].id || same_enemy(&r[i], &r[j]))
                continue;
            char why[160];
            why[0] = '\0';
            if (r[i].tagkey && r[j].tagkey && strcmp(r[i].tagkey, r[j].tagkey) == 0) {
                snprintf(why, sizeof why, "the same tags");
            } else if (r[i].ntok >= RF_LINT_SCENARIO_MIN_WORDS &&
                       r[j].ntok >= RF_LINT_SCENARIO_MIN_WORDS) {
                size_t lo = r[i].ntok < r[j].ntok ? r[i].ntok : r[j].ntok;
                size_t hi = r[i].ntok + r[j].ntok - lo;
                if ((double)lo < RF_LINT_SCENARIO_JACCARD * (double)hi)
                    continue;
                double jac = rf_text_jaccard(r[i].tok, r[i].ntok, r[j].tok, r[j].ntok);
                if (jac < RF_LINT_SCENARIO_JACCARD)
                    continue;
                if (r[i].nsh && r[j].nsh &&
                    rf_text_jaccard(r[i].sh, r[i].nsh, r[j].sh, r[j].nsh) >= RF_LINT_NEAR_DUP)
                    continue; /* a near-duplicate: its own warning */
                snprintf(why, sizeof why,
                         "stems that share the scenario (content-word overlap "
                         "%.2f)",
                         jac);
            } else {
                continue;
            }
            if (rf_lint_diag_add(
                    l, RF_LINT_WARNING, r[j].file_idx, r[j].pos, r[j].id, "enemy",
                    "likely enemy of item '%s' (%s): %s, not in one enemy group; give both "
                    "one group if either gives the other away or both test one concept, else "
                    "tell them apart",
                    r[i].id, l->files[r[i].file_idx], why))
                return RF_ENOMEM;
        }
    }
    return RF_OK;
}

/* Enemy groups of one: an active item whose group no other active item
 * shares keeps nothing apart, which is a partner not yet given the group (or
 * a partner retired). Only when linting a whole bank directory, since the
 * partner may sit in a file not linted. */
static rf_status check_lone_groups(struct rf_lint *l)
{
    struct rf_lint_rec *r = l->recs;
    for (size_t i = 0; l->root && i < l->nrecs; i++) {
        if (r[i].retired || !r[i].id || !r[i].enemy)
            continue;
        size_t j = 0;
        while (j < l->nrecs && (j == i || r[j].retired || !same_enemy(&r[i], &r[j])))
            j++;
        if (j == l->nrecs &&
            rf_lint_diag_add(
                l, RF_LINT_WARNING, r[i].file_idx, r[i].pos, r[i].id, "enemy",
                "no other active item is in enemy group '%s'; give the group to the item it "
                "keeps apart from this one, or drop it",
                r[i].enemy))
            return RF_ENOMEM;
    }
    return RF_OK;
}

rf_status rf_lint_bankwide(struct rf_lint *l)
{
    size_t *ix = rf_alloc_array(l->nrecs ? l->nrecs : 1, sizeof *ix);
    if (!ix)
        return RF_ENOMEM;
    rf_status rc = check_duplicates(l, ix);
    free(ix);
    if (!rc)
        rc = check_near_duplicates(l);
    if (!rc)
        rc = check_skills(l);
    if (!rc)
        rc = check_enemies(l);
    if (!rc)
        rc = check_lone_groups(l);
    return rc;
}
