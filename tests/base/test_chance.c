/* A model's probability as a bounded whole percentage (base/chance.h), on the
 * golden cases it shares with its web twin (tests/fixtures/chance.tsv). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/chance.h"

Test(chance, golden_cases_shared_with_the_web)
{
    FILE *f = fopen("tests/fixtures/chance.tsv", "r");
    cr_assert(f != NULL, "tests/fixtures/chance.tsv: cannot open (run from the repository root)");
    char line[256];
    size_t n = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        cr_assert(tab != NULL, "chance.tsv:%zu: no tab in '%s'", lineno, line);
        *tab = 0;
        char *end;
        double p = strtod(line, &end);
        cr_assert(end != line && *end == 0, "chance.tsv:%zu: '%s' is not a number", lineno, line);
        char buf[RF_CHANCE_LEN];
        const char *got = rf_chance_pct(buf, sizeof buf, p);
        cr_assert_eq(got, buf, "chance.tsv:%zu: returns its buffer", lineno);
        cr_assert_str_eq(got, tab + 1, "chance.tsv:%zu: %s gives '%s', want '%s'", lineno, line,
                         got, tab + 1);
        n++;
    }
    fclose(f);
    cr_assert_geq(n, 15, "chance.tsv: only %zu cases read", n);
}

Test(chance, near_certain_is_never_a_certainty)
{
    char buf[RF_CHANCE_LEN];
    cr_assert_str_eq(rf_chance_pct(buf, sizeof buf, 0.996), ">99%");
    cr_assert_str_eq(rf_chance_pct(buf, sizeof buf, 0.003), "<1%");
    /* no value in [0, 1] on a fine grid prints 100% or 0% */
    for (int i = 0; i <= 100000; i++) {
        double p = i / 100000.0;
        rf_chance_pct(buf, sizeof buf, p);
        cr_assert(strcmp(buf, "100%") != 0 && strcmp(buf, "0%") != 0, "%.5f gives '%s'", p, buf);
        cr_assert_lt(strlen(buf), RF_CHANCE_LEN, "%.5f gives '%s', longer than RF_CHANCE_LEN", p,
                     buf);
    }
}

Test(chance, short_buffer_is_cut_not_overrun)
{
    char buf[4] = {'x', 'y', 'z', 'w'};
    cr_assert_str_eq(rf_chance_pct(buf, 3, 0.996), ">9", "cut to n - 1 bytes");
    cr_assert_eq(buf[3], 'w', "the byte past n untouched");
    char one = 'x';
    rf_chance_pct(&one, 0, 0.5);
    cr_assert_eq(one, 'x', "n == 0 writes nothing");
}
