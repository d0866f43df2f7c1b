/* Language codes; see lang.h. */
#include "base/lang.h"

#include <string.h>

static const char *const codes[RF_NLANGS] = {"en", "ja"};

int rf_lang_parse(const char *code, enum rf_lang *out)
{
    for (int i = 0; code && i < RF_NLANGS; i++)
        if (strcmp(code, codes[i]) == 0) {
            *out = (enum rf_lang)i;
            return 0;
        }
    return -1;
}

const char *rf_lang_code(enum rf_lang lang)
{
    return (unsigned)lang < RF_NLANGS ? codes[lang] : codes[RF_EN];
}
