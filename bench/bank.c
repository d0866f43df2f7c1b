/*
 * Bank loading: the shipped bank (data/bank) as the server and every command
 * load it. Prints, in one run, the median of several full loads
 * (rf_bank_load_dir: read, parse, validate, index) against the target of
 * issue 14 (at most 100 ms), next to the JSON parse of the same files alone
 * (jansson, no validation), so the loader's own cost shows as a ratio; and
 * `bank lint` of the same directory, whose pairwise stem checks grow with the
 * square of the items.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/bank.h"
#include "bank/lint.h"
#include "bank/skills.h"

#define DIR_BANK "data/bank"
#define RUNS 9
#define TARGET_MS 100.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Parses every *.json file of dir with jansson alone; returns the number of
 * files parsed, 0 on any failure. */
static size_t parse_only(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_error_t je;
        json_t *j = json_load_file(path, 0, &je);
        if (!j)
            bad = 1;
        json_decref(j);
        n++;
    }
    closedir(d);
    return bad ? 0 : n;
}

int main(void)
{
    double load[RUNS], parse[RUNS];
    size_t nitems = 0, nfiles = 0;
    struct rf_err err;
    rf_err_clear(&err);
    for (int k = 0; k < RUNS; k++) {
        struct rf_bank b;
        double t0 = now();
        if (rf_bank_load_dir(DIR_BANK, &b, &err)) {
            fprintf(stderr, "bench bank: %s\n", err.msg);
            return 1;
        }
        load[k] = now() - t0;
        nitems = b.n;
        nfiles = b.nfiles;
        rf_bank_cleanup(&b);
        t0 = now();
        if (!parse_only(DIR_BANK)) {
            fprintf(stderr, "bench bank: %s: cannot parse the files\n", DIR_BANK);
            return 1;
        }
        parse[k] = now() - t0;
    }
    double ml = median(load, RUNS), mp = median(parse, RUNS);

    struct rf_taxonomy tax;
    struct rf_lint l;
    if (rf_taxonomy_load("data/skills.json", &tax, &err)) {
        fprintf(stderr, "bench bank: %s\n", err.msg);
        return 1;
    }
    double t0 = now();
    rf_lint_init(&l, &tax);
    if (rf_lint_add_dir(&l, DIR_BANK, &err) || rf_lint_finish(&l, &err)) {
        fprintf(stderr, "bench bank: %s\n", err.msg);
        return 1;
    }
    double tl = now() - t0;
    size_t nw = l.nwarnings, ne = l.nerrors;
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);

    printf("bank: %s, %zu items in %zu files, median of %d runs\n", DIR_BANK, nitems, nfiles,
           RUNS);
    printf("  load %7.1f ms (target <= %.0f ms: %s)   json parse alone %7.1f ms   load/parse "
           "x%.1f\n",
           1e3 * ml, TARGET_MS, 1e3 * ml <= TARGET_MS ? "met" : "MISSED", 1e3 * mp, ml / mp);
    printf("  lint %7.1f ms (x%.1f of a load; %zu errors, %zu warnings)\n", 1e3 * tl, tl / ml, ne,
           nw);
    return 0;
}
