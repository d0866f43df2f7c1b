/*
 * The languages rolefit speaks: English (the source language of every data
 * file and item) and Japanese. A language is named by its code ("en", "ja")
 * at every door (CLI --lang, API "lang", report ?lang) and by enum rf_lang
 * inside; translations of data text sit beside the English (docs/i18n.md).
 */
#ifndef RF_BASE_LANG_H
#define RF_BASE_LANG_H

enum rf_lang { RF_EN, RF_JA, RF_NLANGS };

/* The language of code ("en" or "ja", exactly). Returns 0 and sets *out, or
 * -1 for NULL or an unknown code (*out untouched). */
int rf_lang_parse(const char *code, enum rf_lang *out);

/* The code of lang ("en", "ja"); "en" for anything out of range. */
const char *rf_lang_code(enum rf_lang lang);

/* The codes accepted, for messages: "en, ja". */
#define RF_LANG_CODES "en, ja"

/* s in lang: ja when lang is Japanese and a translation is there, else en
 * (English is the data's own text and always there). */
static inline const char *rf_lang_pick(enum rf_lang lang, const char *en, const char *ja)
{
    return lang == RF_JA && ja ? ja : en;
}

#endif
