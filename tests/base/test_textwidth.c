/* Display width and wrapping for the terminal (base/textwidth.h), on a Japanese stem of the bank.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/textwidth.h"

/* deep_learning.backprop.001 in Japanese, as the bank has it. */
static const char stem_ja[] =
    "次のPyTorchのループで、通常のSGDを用いて訓練すると、学習率が小さくても訓練が進むにつれて"
    "ますます不安定になる。\n\n```python\nmodel.train()\nfor x, y in loader:\n"
    "    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n```\n\n"
    "バグはどれか。";

static const char *closers[] = {"、", "。", "」", "）", "ー", "っ", NULL};

Test(textwidth, columns_of_wide_narrow_and_combining)
{
    cr_assert_eq(rf_text_width(""), 0);
    cr_assert_eq(rf_text_width(NULL), 0);
    cr_assert_eq(rf_text_width("SGD"), 3);
    cr_assert_eq(rf_text_width("過学習"), 6);
    cr_assert_eq(rf_text_width("ＡＢ"), 4, "fullwidth letters take two columns");
    cr_assert_eq(rf_text_width("ｱｲ"), 2, "halfwidth katakana take one");
    cr_assert_eq(rf_text_width("e\xCC\x81"), 1, "a combining accent takes none");
    cr_assert_eq(rf_text_width("が"), 2);
    cr_assert_eq(rf_text_width("\xFF"), 1, "an invalid byte counts one");
    cr_assert_eq(rf_text_width("PyTorchの推論"), 13);
}

Test(textwidth, pad_by_columns)
{
    struct rf_buf b;
    rf_buf_init(&b, 1024);
    cr_assert_eq(rf_text_pad(&b, "線形代数", 10), RF_OK);
    cr_assert_eq(rf_buf_putc(&b, '|'), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "線形代数  |");
    rf_buf_reset(&b);
    cr_assert_eq(rf_text_pad(&b, "長い長い名前", 4), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "長い長い名前", "never cut");
    rf_buf_cleanup(&b);
}

/* Every line of out starts with its prefix and fits width (a line of code
 * excepted); no line starts with a closing mark; with the prefixes and line
 * breaks taken out, the text reads as the input did. */
static void check_wrapped(const char *in, const char *out, size_t width, const char *first,
                          const char *rest)
{
    char *copy = strdup(out), *save = NULL;
    char joined[4096] = "";
    size_t n = 0;
    int code = 0;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
        const char *pre = n == 0 ? first : rest;
        cr_assert(strncmp(line, pre, strlen(pre)) == 0, "line %zu '%s' lacks its prefix", n, line);
        const char *body = line + strlen(pre);
        if (strncmp(body, "```", 3) == 0)
            code ^= 1;
        else if (!code)
            cr_assert_leq(rf_text_width(line), width, "line %zu is %zu columns: '%s'", n,
                          rf_text_width(line), line);
        for (size_t k = 0; closers[k]; k++)
            cr_assert(strncmp(body, closers[k], strlen(closers[k])) != 0,
                      "line %zu starts with %s: '%s'", n, closers[k], line);
        strcat(joined, body);
    }
    free(copy);
    /* the input without line breaks */
    char want[4096] = "";
    for (const char *p = in; *p; p++)
        if (*p != '\n')
            strncat(want, p, 1);
    cr_assert_str_eq(joined, want);
}

Test(textwidth, japanese_stem_wraps_by_columns)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    for (size_t width = 20; width <= 80; width += 7) {
        rf_buf_reset(&b);
        cr_assert_eq(rf_text_wrap(&b, stem_ja, width, "", ""), RF_OK);
        check_wrapped(stem_ja, rf_buf_str(&b), width, "", "");
    }
    /* the first line at 40 columns: 20 wide characters, 'PyTorch' kept whole */
    rf_buf_reset(&b);
    cr_assert_eq(rf_text_wrap(&b, stem_ja, 40, "", ""), RF_OK);
    const char *s = rf_buf_str(&b);
    size_t first = strcspn(s, "\n");
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)first, s);
    cr_assert_geq(rf_text_width(line), 38, "a line is filled: '%s'", line);
    cr_assert(strstr(s, "\n    loss = loss_fn(model(x), y)\n") != NULL, "code is copied as is:\n%s",
              s);
    cr_assert(strstr(s, "PyTorch") != NULL);
    rf_buf_cleanup(&b);
}

Test(textwidth, option_with_hanging_indent)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    const char *opt =
        "勾配消失を防ぐため、ReLU の代わりにシグモイド関数を使う（学習率は変えない）。";
    cr_assert_eq(rf_text_wrap(&b, opt, 26, "  a) ", "     "), RF_OK);
    const char *s = rf_buf_str(&b);
    check_wrapped(opt, s, 26, "  a) ", "     ");
    cr_assert(strncmp(s, "  a) 勾配消失を防ぐため、", strlen("  a) 勾配消失を防ぐため、")) == 0,
              "%s", s);
    cr_assert(strstr(s, "（\n") == NULL, "an opening mark never ends a line:\n%s", s);
    rf_buf_cleanup(&b);
}

Test(textwidth, english_breaks_at_spaces)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    cr_assert_eq(rf_text_wrap(&b, "the quick brown fox jumps over the lazy dog", 16, "", ""),
                 RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "the quick brown\nfox jumps over\nthe lazy dog\n");
    rf_buf_reset(&b);
    cr_assert_eq(rf_text_wrap(&b, "see https://example.com/a/very/long/path now", 12, "", ""),
                 RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "see\nhttps://example.com/a/very/long/path\nnow\n",
                     "a word wider than the line stands alone");
    rf_buf_reset(&b);
    cr_assert_eq(rf_text_wrap(&b, "a\n\nb", 10, "> ", "> "), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "> a\n\n> b\n", "blank lines stay blank");
    rf_buf_cleanup(&b);
}
