/* check_state_text (statetext.h). */
#include "statetext.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cat/sessfile.h"

void check_state_text(const struct rf_cat_pool *p, const struct rf_cat_session *s, size_t *old_len,
                      size_t *new_len)
{
    struct rf_err err;
    rf_err_clear(&err);
    json_t *tree;
    cr_assert_eq(rf_cat_session_to_json_compact(s, &tree, &err), RF_OK, "%s", err.msg);
    char *old = json_dumps(tree, JSON_COMPACT); /* what the server stored before */
    json_decref(tree);
    cr_assert_not_null(old);
    struct rf_buf b;
    rf_buf_init(&b, 1 << 22);
    cr_assert_eq(rf_buf_puts(&b, "kept"), RF_OK);
    cr_assert_eq(rf_cat_session_state_text(s, &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(strncmp(b.data, "kept", 4), 0, "the text is appended");
    const char *text = b.data + 4;
    size_t tlen = b.len - 4;
    json_error_t je;
    json_t *back = json_loads(text, 0, &je);
    cr_assert_not_null(back, "the text is not JSON: %s at %d: %s", je.text, je.position, text);
    char *again = json_dumps(back, JSON_COMPACT);
    cr_assert_str_eq(again, old, "the text reads back as another tree:\n text %s\n tree %s", text,
                     old);
    cr_assert_leq(tlen, strlen(old), "the text (%zu bytes) is longer than the tree's (%zu)", tlen,
                  strlen(old));
    /* restored from the text, the session writes the same text */
    struct rf_cat_session *r;
    cr_assert_eq(rf_cat_session_from_json(p, back, "text", &r, &err), RF_OK, "%s", err.msg);
    struct rf_buf b2;
    rf_buf_init(&b2, 1 << 22);
    cr_assert_eq(rf_cat_session_state_text(r, &b2, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(b2.data, text, "restored, the session writes another text");
    if (old_len)
        *old_len += strlen(old);
    if (new_len)
        *new_len += tlen;
    rf_buf_cleanup(&b2);
    rf_cat_session_free(r);
    json_decref(back);
    free(again);
    free(old);
    rf_buf_cleanup(&b);
}
