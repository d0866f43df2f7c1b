/*
 * A plain driver for the fuzz targets, built with the normal toolchain (no
 * libFuzzer runtime): runs LLVMFuzzerTestOneInput once on every file named on
 * the command line, or on every regular file of a folder named there, in
 * name order so runs are repeatable. `make test` and `make check` replay each
 * target's seed corpus fuzz/corpus/<target>/ this way (scripts/fuzz-replay),
 * so every input that once crashed stays covered without clang's fuzzer.
 * A target signals a violated invariant by aborting; the sanitizers of
 * `make check` catch memory errors and leaks.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the target on one file; returns 0, or 1 when it cannot be read. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f) || !buf;
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        free(buf);
        return 1;
    }
    /* a copy of exactly len bytes, so reads past the end trip ASan as under libFuzzer */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns the number of failures, *n the runs. */
static int run_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: %s: cannot open folder\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t cnt = 0, cap = 0;
    int bad = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                bad = 1;
                break;
            }
            names = nn;
        }
        size_t l = strlen(dir) + strlen(e->d_name) + 2;
        names[cnt] = malloc(l);
        if (!names[cnt]) {
            bad = 1;
            break;
        }
        snprintf(names[cnt], l, "%s/%s", dir, e->d_name);
        cnt++;
    }
    closedir(d);
    if (cnt)
        qsort(names, cnt, sizeof *names, cmp_name);
    for (size_t i = 0; i < cnt; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            bad += run_file(names[i]);
            (*n)++;
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    int bad = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            bad += run_dir(argv[i], &n);
        } else {
            bad += run_file(argv[i]);
            n++;
        }
    }
    printf("%s: %zu inputs replayed\n", argv[0], n);
    return bad ? 1 : 0;
}
