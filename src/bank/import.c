/*
 * Completing items read from foreign formats. Every item goes through the
 * bank's own JSON reader (rf_item_from_json) at the end, so an imported item
 * satisfies exactly the invariants of a loaded one.
 */
#include "bank/import.h"

#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

void rf_import_init(struct rf_import *im, const char *skill)
{
    memset(im, 0, sizeof *im);
    im->skill = skill;
}

void rf_import_cleanup(struct rf_import *im)
{
    for (size_t i = 0; i < im->n; i++)
        rf_item_cleanup(&im->items[i]);
    free(im->items);
    for (size_t i = 0; i < im->nnotes; i++)
        free(im->notes[i]);
    free(im->notes);
    memset(im, 0, sizeof *im);
}

rf_status rf_import_note(struct rf_import *im, const char *fmt, ...)
{
    if (im->nnotes >= RF_IMPORT_MAX_NOTES) {
        im->dropped_notes++;
        return RF_OK;
    }
    if (im->nnotes == im->capnotes) {
        size_t nc = im->capnotes ? 2 * im->capnotes : 16;
        char **n = rf_realloc_array(im->notes, nc, sizeof *n);
        if (!n)
            return RF_ENOMEM;
        im->notes = n;
        im->capnotes = nc;
    }
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!(im->notes[im->nnotes] = rf_strdup(msg)))
        return RF_ENOMEM;
    im->nnotes++;
    return RF_OK;
}

/* Identifier characters rolefit ids use: letters, digits, '_', '.', '-'. */
static int id_ok(const char *s)
{
    if (!s || !s[0] || strlen(s) > RF_MAX_ID_LEN)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

static int id_taken(const struct rf_import *im, const char *id)
{
    for (size_t i = 0; i < im->n; i++)
        if (strcmp(im->items[i].id, id) == 0)
            return 1;
    return 0;
}

static char *fresh_id(const struct rf_import *im, const char *skill)
{
    char buf[RF_MAX_ID_LEN + 32];
    for (size_t k = 1;; k++) {
        snprintf(buf, sizeof buf, "%.*s.imported.%03zu", RF_MAX_ID_LEN - 16, skill, k);
        if (!id_taken(im, buf))
            return rf_strdup(buf);
    }
}

/* What the foreign format carries itself (its question type, text and
 * answers); everything else travels in the rolefit metadata block. */
static const char *const carried[] = {"id",  "stem", "options",   "key", "explanation",
                                      "type", "keys", "answer", "tolerance"};

rf_status rf_import_meta_of(const struct rf_item *it, json_t **out)
{
    json_t *o;
    if (rf_item_to_json(it, &o))
        return RF_ENOMEM;
    for (size_t i = 0; i < sizeof carried / sizeof carried[0]; i++)
        json_object_del(o, carried[i]);
    *out = o;
    return RF_OK;
}

/* Chooses the item's skill; NULL when there is none. */
static const char *pick_skill(const struct rf_import *im, const struct rf_item *it,
                              const json_t *meta, const char *fallback, char *buf, size_t cap)
{
    if (im->skill)
        return im->skill;
    const json_t *ms = meta ? json_object_get(meta, "skill") : NULL;
    if (json_is_string(ms) && json_string_value(ms)[0])
        return json_string_value(ms);
    if (it->skill && it->skill[0])
        return it->skill;
    if (id_ok(it->id)) {
        const char *dot = strchr(it->id, '.');
        if (dot && dot > it->id && (size_t)(dot - it->id) < cap) {
            memcpy(buf, it->id, (size_t)(dot - it->id));
            buf[dot - it->id] = '\0';
            return buf;
        }
    }
    return fallback && fallback[0] ? fallback : NULL;
}

rf_status rf_import_add(struct rf_import *im, struct rf_item *it, const json_t *meta,
                        const char *fallback_skill, const char *where, struct rf_err *err)
{
    rf_status rc = RF_OK;
    json_t *o = NULL;
    if (im->n >= RF_IMPORT_MAX_ITEMS) {
        rf_item_cleanup(it);
        return rf_err_set(err, RF_ETOOBIG, "%s: more than %d items", where, RF_IMPORT_MAX_ITEMS);
    }
    if (it->type == RF_ITEM_NUMERIC) {
        if (!isfinite(it->answer) || !(it->tolerance >= 0) || !isfinite(it->tolerance)) {
            rc = rf_import_note(im, "%s: a numeric answer needs a finite value and a tolerance "
                                    ">= 0, skipped",
                                where);
            goto out;
        }
    } else if (it->type == RF_ITEM_MULTI) {
        if (it->noptions < 2 || it->noptions > RF_BANK_MAX_OPTIONS || it->nkeys < 1 ||
            it->nkeys >= it->noptions || it->nkeys + 1 > RF_MAX_CATEGORIES) {
            rc = rf_import_note(im, "%s: a multiple-select question needs 2 to %d options and "
                                    "1 to options - 1 correct ones, skipped",
                                where, RF_BANK_MAX_OPTIONS);
            goto out;
        }
    } else if (it->noptions < 2 || it->noptions > RF_BANK_MAX_OPTIONS || it->key < 0 ||
               (size_t)it->key >= it->noptions) {
        rc = rf_import_note(im, "%s: needs 2 to %d options and one correct answer, skipped", where,
                            RF_BANK_MAX_OPTIONS);
        goto out;
    }
    char sbuf[RF_MAX_ID_LEN + 1];
    const char *skill = pick_skill(im, it, meta, fallback_skill, sbuf, sizeof sbuf);
    if (!skill) {
        rc = rf_import_note(im, "%s: no skill (give --skill, a category or a skill.topic.NNN "
                                "id), skipped",
                            where);
        goto out;
    }
    char *s = rf_strdup(skill);
    if (!s)
        goto nomem;
    free(it->skill);
    it->skill = s;
    if (!id_ok(it->id) || id_taken(im, it->id)) {
        char *id = fresh_id(im, it->skill);
        if (!id)
            goto nomem;
        if (it->id && it->id[0] &&
            (rc = rf_import_note(im, "%s: id '%s' %s; imported as '%s'", where, it->id,
                                 id_ok(it->id) ? "is taken" : "is not a usable id", id))) {
            free(id);
            goto out;
        }
        free(it->id);
        it->id = id;
    }
    if (it->type != RF_ITEM_NUMERIC && it->type != RF_ITEM_MULTI)
        it->type = RF_ITEM_MCQ;
    if (it->type != RF_ITEM_MCQ)
        it->key = -1;
    if (!it->unit && !(it->unit = rf_strdup("")))
        goto nomem;
    if (!it->explanation && !(it->explanation = rf_strdup("")))
        goto nomem;
    if (!it->lang && !(it->lang = rf_strdup("en")))
        goto nomem;
    if (!it->difficulty || rf_difficulty_parse(it->difficulty) == RF_DIFF_NONE) {
        free(it->difficulty);
        if (!(it->difficulty = rf_strdup("medium")))
            goto nomem;
    }
    rf_item_prior_params(it, &it->irt);
    it->calibrated = 0;
    if (rf_item_to_json(it, &o))
        goto nomem;
    if (meta) {
        /* the metadata of an earlier export; the id, stem, options, key and
         * explanation of the foreign item win */
        json_t *m = json_deep_copy(meta);
        if (!m)
            goto nomem;
        for (size_t i = 0; i < sizeof carried / sizeof carried[0]; i++)
            json_object_del(m, carried[i]);
        json_object_del(m, "skill");
        if (json_object_update(o, m)) {
            json_decref(m);
            goto nomem;
        }
        json_decref(m);
    }
    struct rf_item fresh;
    struct rf_err e;
    rf_err_clear(&e);
    if (rf_item_from_json(o, NULL, 0, &fresh, &e)) {
        if (e.rc == RF_ENOMEM)
            goto nomem;
        const char *msg = strstr(e.msg, "': ") ? strstr(e.msg, "': ") + 3 : e.msg;
        rc = rf_import_note(im, "%s: rolefit metadata rejected (%s), skipped", where, msg);
        goto out;
    }
    if (im->n == im->cap) {
        size_t nc = im->cap ? 2 * im->cap : 64;
        struct rf_item *n = rf_realloc_array(im->items, nc, sizeof *n);
        if (!n) {
            rf_item_cleanup(&fresh);
            goto nomem;
        }
        im->items = n;
        im->cap = nc;
    }
    im->items[im->n++] = fresh;
    goto out;
nomem:
    rc = RF_ENOMEM;
out:
    if (o)
        json_decref(o);
    rf_item_cleanup(it);
    if (rc)
        return rf_err_set(err, rc, "%s: out of memory", where);
    return RF_OK;
}

rf_status rf_import_to_json(const struct rf_import *im, json_t **out)
{
    json_t *root = json_object(), *arr = json_array();
    int bad = !root || !arr;
    const char *skill = im->n ? im->items[0].skill : im->skill;
    for (size_t i = 0; !bad && i < im->n; i++) {
        json_t *o;
        if (rf_item_to_json(&im->items[i], &o)) {
            bad = 1;
            break;
        }
        bad |= json_array_append_new(arr, o);
        if (skill && strcmp(skill, im->items[i].skill) != 0)
            skill = NULL;
    }
    if (!bad && skill)
        bad |= json_object_set_new(root, "skill", json_string(skill));
    if (!bad) {
        bad |= json_object_set_new(root, "items", arr);
        arr = NULL;
    }
    if (arr)
        json_decref(arr);
    if (bad) {
        if (root)
            json_decref(root);
        return RF_ENOMEM;
    }
    *out = root;
    return RF_OK;
}
