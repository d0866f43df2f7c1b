/*
 * Bank loading and the id index. Items live in one growing array; the index
 * is an open-addressing hash table (FNV-1a, linear probing) of item index + 1
 * rebuilt after each file, so lookups stay O(1) expected. A file is loaded
 * into the bank's tail and either wholly kept or wholly rolled back.
 */
#include "bank/bank.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

void rf_bank_init(struct rf_bank *b)
{
    memset(b, 0, sizeof *b);
}

void rf_bank_cleanup(struct rf_bank *b)
{
    for (size_t i = 0; i < b->n; i++)
        rf_item_cleanup(&b->items[i]);
    free(b->items);
    for (size_t i = 0; i < b->nfiles; i++)
        free(b->files[i]);
    free(b->files);
    free(b->slots);
    memset(b, 0, sizeof *b);
}

static size_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

rf_status rf_bank_find(const struct rf_bank *b, const char *id, size_t *idx)
{
    if (!b->nslots)
        return RF_ENOTFOUND;
    size_t mask = b->nslots - 1;
    for (size_t s = hash_id(id) & mask;; s = (s + 1) & mask) {
        size_t v = b->slots[s];
        if (!v)
            return RF_ENOTFOUND;
        if (strcmp(b->items[v - 1].id, id) == 0) {
            *idx = v - 1;
            return RF_OK;
        }
    }
}

/* Inserts item i into the index; the table has room (load <= 1/2). Returns
 * the index of an item with the same id, or (size_t)-1 when inserted. */
static size_t index_put(size_t *slots, size_t nslots, const struct rf_item *items, size_t i)
{
    size_t mask = nslots - 1;
    for (size_t s = hash_id(items[i].id) & mask;; s = (s + 1) & mask) {
        size_t v = slots[s];
        if (!v) {
            slots[s] = i + 1;
            return (size_t)-1;
        }
        if (strcmp(items[v - 1].id, items[i].id) == 0)
            return v - 1;
    }
}

/* Builds a fresh index of the first n items into *slots_out; reports the
 * first duplicate id. */
static rf_status index_build(const struct rf_bank *b, size_t n, size_t **slots_out,
                             size_t *nslots_out, struct rf_err *err)
{
    size_t ns = 16;
    while (ns < 2 * n) {
        if (ns > SIZE_MAX / 4)
            return rf_err_set(err, RF_ETOOBIG, "bank too large (%zu items)", n);
        ns *= 2;
    }
    size_t *slots = rf_calloc_array(ns, sizeof *slots);
    if (!slots)
        return rf_err_set(err, RF_ENOMEM, "out of memory indexing %zu items", n);
    for (size_t i = 0; i < n; i++) {
        size_t d = index_put(slots, ns, b->items, i);
        if (d != (size_t)-1) {
            const struct rf_item *x = &b->items[i], *y = &b->items[d];
            free(slots);
            return rf_err_set(err, RF_ECONFLICT,
                              "%s: item '%s': field 'id': duplicate id (also in %s)",
                              x->file ? x->file : "<memory>", x->id,
                              y->file ? y->file : "<memory>");
        }
    }
    *slots_out = slots;
    *nslots_out = ns;
    return RF_OK;
}

static rf_status reserve(struct rf_bank *b, size_t extra, struct rf_err *err)
{
    if (b->n + extra <= b->cap)
        return RF_OK;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < b->n + extra) {
        if (nc > SIZE_MAX / 2)
            return rf_err_set(err, RF_ETOOBIG, "bank too large");
        nc *= 2;
    }
    struct rf_item *items = rf_realloc_array(b->items, nc, sizeof *items);
    if (!items)
        return rf_err_set(err, RF_ENOMEM, "out of memory for %zu items", nc);
    b->items = items;
    b->cap = nc;
    return RF_OK;
}

/* Drops items n0.. and files f0.. (roll back of a failed load). */
static void truncate_bank(struct rf_bank *b, size_t n0, size_t f0)
{
    for (size_t i = n0; i < b->n; i++)
        rf_item_cleanup(&b->items[i]);
    b->n = n0;
    for (size_t i = f0; i < b->nfiles; i++)
        free(b->files[i]);
    b->nfiles = f0;
}

/* Commits the first b->n items: rebuilds the index or reports a duplicate. */
static rf_status reindex(struct rf_bank *b, struct rf_err *err)
{
    size_t *slots = NULL, ns = 0;
    rf_status rc = index_build(b, b->n, &slots, &ns, err);
    if (rc)
        return rc;
    free(b->slots);
    b->slots = slots;
    b->nslots = ns;
    return RF_OK;
}

static rf_status add_file_name(struct rf_bank *b, const char *name, struct rf_err *err)
{
    char **f = rf_realloc_array(b->files, b->nfiles + 1, sizeof *f);
    if (!f)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    b->files = f;
    if (!(f[b->nfiles] = rf_strdup(name)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    b->nfiles++;
    return RF_OK;
}

/* Adds the items of one parsed bank file (root: consumed). */
static rf_status load_root(const char *name, json_t *root, struct rf_bank *b, struct rf_err *err)
{
    rf_status rc;
    const json_t *arr = json_is_array(root) ? root : json_object_get(root, "items");
    if (!json_is_array(arr)) {
        json_decref(root);
        return rf_err_set(err, RF_EINVAL,
                          "%s: expected an object with an array 'items' (or an array of items)",
                          name);
    }
    size_t n0 = b->n, f0 = b->nfiles, m = json_array_size(arr);
    if ((rc = add_file_name(b, name, err)) || (rc = reserve(b, m, err)))
        goto fail;
    const char *file = b->files[b->nfiles - 1];
    for (size_t i = 0; i < m; i++) {
        if ((rc = rf_item_from_json(json_array_get(arr, i), file, i, &b->items[b->n], err)))
            goto fail;
        b->n++;
    }
    if ((rc = reindex(b, err)))
        goto fail;
    json_decref(root);
    return RF_OK;
fail:
    truncate_bank(b, n0, f0);
    json_decref(root);
    return rc;
}

rf_status rf_bank_load_mem(const char *name, const char *data, size_t len, struct rf_bank *b,
                           struct rf_err *err)
{
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    return rc ? rc : load_root(name, root, b, err);
}

rf_status rf_bank_load_file(const char *path, struct rf_bank *b, struct rf_err *err)
{
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_bank_load_mem(path, data, len, b, err);
    free(data);
    return rc;
}

rf_status rf_bank_add(struct rf_bank *b, const struct rf_item *it, struct rf_err *err)
{
    size_t dup;
    if (rf_bank_find(b, it->id, &dup) == RF_OK)
        return rf_err_set(err, RF_ECONFLICT, "%s: item '%s': field 'id': duplicate id",
                          it->file ? it->file : "<memory>", it->id);
    rf_status rc = reserve(b, 1, err);
    if (rc)
        return rc;
    if (rf_item_copy(it, &b->items[b->n]))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    b->n++;
    if ((rc = reindex(b, err))) {
        truncate_bank(b, b->n - 1, b->nfiles);
        return rc;
    }
    return RF_OK;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int ends_with_json(const char *s)
{
    size_t n = strlen(s);
    return n > 5 && strcmp(s + n - 5, ".json") == 0;
}

/* Reading and parsing the files of a directory: the JSON parse is nearly all
 * of a bank's load time (bench/bank.c), and the files are independent
 * (jansson keeps no mutable global state), so up to RF_BANK_LOAD_THREADS
 * threads parse them, each taking the next file; the items are then added
 * in name order, so ids, order and the first error reported are those of a
 * sequential load. */
#define RF_BANK_LOAD_THREADS 4

struct parse_job {
    char **names;
    size_t n;
    atomic_size_t next;
    json_t **roots;        /* per file, NULL on failure */
    struct rf_err *errs;   /* per file */
    rf_status *rcs;        /* per file */
};

static void *parse_worker(void *arg)
{
    struct parse_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
        char *data;
        size_t len;
        rf_err_clear(&j->errs[i]);
        j->rcs[i] = rf_file_read(j->names[i], RF_MAX_JSON_BYTES, &data, &len, &j->errs[i]);
        if (!j->rcs[i]) {
            j->rcs[i] = rf_json_load_mem(j->names[i], data, len, &j->roots[i], &j->errs[i]);
            free(data);
        }
    }
    return NULL;
}

static rf_status load_files(char **names, size_t n, struct rf_bank *b, struct rf_err *err)
{
    if (n == 0)
        return RF_OK;
    struct parse_job j = {names, n, 0, calloc(n, sizeof(json_t *)),
                          calloc(n, sizeof(struct rf_err)), calloc(n, sizeof(rf_status))};
    rf_status rc = RF_OK;
    if (!j.roots || !j.errs || !j.rcs) {
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
        goto out;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus < 1 ? 1 : (size_t)cpus;
    nt = nt > RF_BANK_LOAD_THREADS ? RF_BANK_LOAD_THREADS : nt;
    nt = nt > n ? n : nt;
    pthread_t th[RF_BANK_LOAD_THREADS];
    size_t started = 0;
    for (size_t t = 1; t < nt; t++) /* this thread is worker 0 */
        if (pthread_create(&th[started], NULL, parse_worker, &j) == 0)
            started++;
    parse_worker(&j);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    for (size_t i = 0; !rc && i < n; i++) {
        if (j.rcs[i]) {
            rc = j.rcs[i];
            *err = j.errs[i];
        } else {
            rc = load_root(names[i], j.roots[i], b, err);
            j.roots[i] = NULL; /* consumed */
        }
    }
out:
    for (size_t i = 0; j.roots && i < n; i++)
        json_decref(j.roots[i]);
    free(j.roots);
    free(j.errs);
    free(j.rcs);
    return rc;
}

rf_status rf_bank_load_dir(const char *dir, struct rf_bank *b, struct rf_err *err)
{
    rf_bank_init(b);
    DIR *d = opendir(dir);
    if (!d)
        return rf_err_set(err, RF_EIO, "%s: cannot open directory: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    rf_status rc = RF_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !ends_with_json(e->d_name))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            char **nn = rf_realloc_array(names, nc, sizeof *nn);
            if (!nn) {
                rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", dir);
                break;
            }
            names = nn;
            cap = nc;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", dir);
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        names[n++] = p;
    }
    closedir(d);
    if (!rc && n)
        qsort(names, n, sizeof *names, cmp_str);
    if (!rc)
        rc = load_files(names, n, b, err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc)
        rf_bank_cleanup(b);
    return rc;
}

rf_status rf_bank_use_lang(struct rf_bank *b, const char *lang, size_t *untranslated)
{
    size_t missing = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct rf_item *it = &b->items[i], v;
        char *opts[RF_BANK_MAX_OPTIONS];
        if (!rf_item_in_lang(it, lang, &v, opts)) {
            missing += !it->retired && strcmp(lang, it->lang ? it->lang : "en") != 0;
            continue;
        }
        char *stem = rf_strdup(v.stem), *expl = rf_strdup(v.explanation);
        char *unit = rf_strdup(v.unit ? v.unit : ""), *l = rf_strdup(lang);
        char **o = it->noptions ? calloc(it->noptions, sizeof *o) : NULL;
        int bad = !stem || !expl || !unit || !l || (it->noptions && !o);
        for (size_t k = 0; !bad && k < it->noptions; k++)
            bad = !(o[k] = rf_strdup(opts[k]));
        if (bad) {
            for (size_t k = 0; o && k < it->noptions; k++)
                free(o[k]);
            free(o);
            free(stem);
            free(expl);
            free(unit);
            free(l);
            return RF_ENOMEM;
        }
        free(it->stem);
        free(it->explanation);
        free(it->unit);
        free(it->lang);
        it->stem = stem;
        it->explanation = expl;
        it->unit = unit;
        it->lang = l;
        if (it->noptions) {
            for (size_t k = 0; k < it->noptions; k++)
                free(it->options[k]);
            free(it->options);
            it->options = o;
        }
    }
    if (untranslated)
        *untranslated = missing;
    return RF_OK;
}
