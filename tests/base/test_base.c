/* Base room: CSV reader, capped buffers, RNG, strict number parsing, JSON getters, errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/escape.h"
#include "base/file.h"
#include "base/json.h"
#include "base/rng.h"

static const char *next(struct rf_csv *c, size_t want_fields)
{
    int eof;
    rf_status rc = rf_csv_next(c, &eof);
    cr_assert_eq(rc, RF_OK, "%s", c->err.msg);
    cr_assert_eq(eof, 0);
    cr_assert_eq(c->nfields, want_fields, "got %zu fields", c->nfields);
    return c->fields[0];
}

Test(csv, quoting_crlf_bom_and_blank_lines)
{
    const char *text = "\xEF\xBB\xBFid,\"a,b\",c\r\n\r\n1,\"say \"\"hi\"\"\",\r\n\"multi\nline\",x,\"\"\n";
    struct rf_csv c;
    cr_assert_eq(rf_csv_open_mem(&c, "t.csv", text, strlen(text)), RF_OK);
    cr_assert_str_eq(next(&c, 3), "id");
    cr_assert_str_eq(c.fields[1], "a,b");
    cr_assert_eq(c.rec_line, 1);
    cr_assert_str_eq(next(&c, 3), "1");
    cr_assert_str_eq(c.fields[1], "say \"hi\"");
    cr_assert_str_eq(c.fields[2], "");
    cr_assert_eq(c.rec_line, 3);
    cr_assert_str_eq(next(&c, 3), "multi\nline");
    cr_assert_eq(c.rec_line, 4);
    cr_assert_str_eq(c.fields[2], "");
    int eof;
    cr_assert_eq(rf_csv_next(&c, &eof), RF_OK);
    cr_assert_eq(eof, 1);
    rf_csv_cleanup(&c);
}

Test(csv, errors_name_file_and_line)
{
    struct rf_csv c;
    int eof;
    const char *t1 = "a,b\n1,\"open\n";
    cr_assert_eq(rf_csv_open_mem(&c, "r.csv", t1, strlen(t1)), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_EINVAL);
    cr_assert_str_eq(c.err.msg, "r.csv:2: column 2: unterminated quoted field");
    rf_csv_cleanup(&c);
    const char *t2 = "a,b\n\"x\"y,1\n";
    cr_assert_eq(rf_csv_open_mem(&c, "s.csv", t2, strlen(t2)), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_EINVAL);
    cr_assert(strstr(c.err.msg, "s.csv:2: column 1: text after closing quote"), "%s", c.err.msg);
    rf_csv_cleanup(&c);
    const char *t3 = "a,b\n1,x\"y\n";
    cr_assert_eq(rf_csv_open_mem(&c, "u.csv", t3, strlen(t3)), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_OK);
    cr_assert_eq(rf_csv_next(&c, &eof), RF_EINVAL);
    cr_assert(strstr(c.err.msg, "u.csv:2: column 2: quote inside"), "%s", c.err.msg);
    rf_csv_cleanup(&c);
    cr_assert_eq(rf_csv_open_file(&c, "/nonexistent/x.csv"), RF_EIO);
    cr_assert(strstr(c.err.msg, "/nonexistent/x.csv: cannot open"), "%s", c.err.msg);
    rf_csv_cleanup(&c);
}

Test(buf, grows_and_respects_cap)
{
    struct rf_buf b;
    rf_buf_init(&b, 10);
    cr_assert_str_eq(rf_buf_str(&b), "");
    cr_assert_eq(rf_buf_puts(&b, "hello"), RF_OK);
    cr_assert_eq(rf_buf_printf(&b, "%d", 1234), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "hello1234");
    cr_assert_eq(rf_buf_puts(&b, "xy"), RF_ETOOBIG);
    cr_assert_str_eq(rf_buf_str(&b), "hello1234", "unchanged after a refused append");
    cr_assert_eq(rf_buf_printf(&b, "%s", "ab"), RF_ETOOBIG);
    cr_assert_eq(rf_buf_putc(&b, '!'), RF_OK);
    cr_assert_eq(b.len, 10);
    char *s = rf_buf_take(&b);
    cr_assert_str_eq(s, "hello1234!");
    free(s);
    cr_assert_eq(b.len, 0);
    rf_buf_cleanup(&b);
}

Test(rng, deterministic_and_well_distributed)
{
    struct rf_rng a, b;
    rf_rng_seed(&a, 42);
    rf_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(rf_rng_next(&a), rf_rng_next(&b));
    rf_rng_seed(&b, 43);
    cr_assert_neq(rf_rng_next(&a), rf_rng_next(&b));
    double s = 0, s2 = 0;
    int n = 200000, counts[7] = {0};
    for (int i = 0; i < n; i++) {
        double z = rf_rng_normal(&a);
        s += z;
        s2 += z * z;
        counts[rf_rng_below(&a, 7)]++;
        double u = rf_rng_uniform(&a);
        cr_assert(u >= 0 && u < 1);
    }
    /* 5-sigma bounds: mean SE = 1/sqrt(n) ~ 0.0022, var SE ~ sqrt(2/n) ~ 0.0032 */
    cr_assert(fabs(s / n) < 0.012, "mean %g", s / n);
    cr_assert(fabs(s2 / n - 1) < 0.016, "var %g", s2 / n);
    for (int k = 0; k < 7; k++)
        cr_assert(abs(counts[k] - n / 7) < 600, "bucket %d: %d", k, counts[k]);
    struct rf_rng s1, s2b, s3;
    rf_rng_substream(&s1, 9, 0);
    rf_rng_substream(&s2b, 9, 1);
    rf_rng_substream(&s3, 9, 0);
    uint64_t x = rf_rng_next(&s1);
    cr_assert_neq(x, rf_rng_next(&s2b));
    cr_assert_eq(x, rf_rng_next(&s3));
}

Test(parse, strict_numbers)
{
    double d;
    size_t z;
    cr_assert_eq(rf_parse_double(" 1.5e2 ", &d), RF_OK);
    cr_assert_float_eq(d, 150.0, 0);
    cr_assert_eq(rf_parse_double("1.5x", &d), RF_EINVAL);
    cr_assert_eq(rf_parse_double("", &d), RF_EINVAL);
    cr_assert_eq(rf_parse_double("nan", &d), RF_EINVAL);
    cr_assert_eq(rf_parse_double("inf", &d), RF_EINVAL);
    cr_assert_eq(rf_parse_double("1e999", &d), RF_EINVAL);
    cr_assert_eq(rf_parse_size("42", &z), RF_OK);
    cr_assert_eq(z, 42);
    cr_assert_eq(rf_parse_size("-1", &z), RF_EINVAL);
    cr_assert_eq(rf_parse_size("4.2", &z), RF_EINVAL);
    cr_assert_eq(rf_parse_size("99999999999999999999999", &z), RF_EINVAL);
}

Test(json, text_and_number_readers_default)
{
    json_t *o = json_pack("{s:s, s:f, s:i}", "name", "ML engineer", "p", 0.25, "n", 3);
    cr_assert_str_eq(rf_json_text(o, "name"), "ML engineer");
    cr_assert_str_eq(rf_json_text(o, "p"), "", "not a string");
    cr_assert_str_eq(rf_json_text(o, "absent"), "");
    cr_assert_str_eq(rf_json_text(NULL, "name"), "");
    cr_assert_eq(rf_json_num(o, "p"), 0.25);
    cr_assert_eq(rf_json_num(o, "n"), 3, "integers read as numbers");
    cr_assert_eq(rf_json_num(o, "name"), 0, "not a number");
    cr_assert_eq(rf_json_num(o, "absent"), 0);
    json_decref(o);
}

Test(json, positioned_errors_and_typed_getters)
{
    json_t *j;
    struct rf_err err;
    const char *bad = "{\n  \"a\": 1,\n  \"a\": 2\n}";
    cr_assert_eq(rf_json_load_mem("x.json", bad, strlen(bad), &j, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "x.json:3:"), "%s", err.msg);
    const char *ok = "{\"a\": 1.5, \"s\": \"t\", \"n\": 3, \"bad\": \"x\"}";
    cr_assert_eq(rf_json_load_mem("y.json", ok, strlen(ok), &j, &err), RF_OK);
    double d = 0;
    int present;
    cr_assert_eq(rf_json_get_number(j, "a", 1, &d, &present, "y.json: item 'q'", &err), RF_OK);
    cr_assert_float_eq(d, 1.5, 0);
    cr_assert_eq(rf_json_get_number(j, "bad", 1, &d, NULL, "y.json: item 'q'", &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, "y.json: item 'q': field 'bad': expected a number, got a string");
    cr_assert_eq(rf_json_get_number(j, "zz", 1, &d, NULL, "y.json", &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, "y.json: missing field 'zz'");
    cr_assert_eq(rf_json_get_number(j, "zz", 0, &d, &present, "y.json", &err), RF_OK);
    cr_assert_eq(present, 0);
    /* found by clang-tidy: on a value that is not an object, *present was set from an
     * uninitialized pointer */
    json_t *arr = json_array();
    present = 1;
    cr_assert_eq(rf_json_get_number(arr, "a", 0, &d, &present, "z.json", &err), RF_EINVAL);
    cr_assert_eq(present, 0, "a field of a non-object is absent");
    json_decref(arr);
    size_t n;
    cr_assert_eq(rf_json_get_size(j, "n", 1, &n, "y.json", &err), RF_OK);
    cr_assert_eq(n, 3);
    const char *s;
    cr_assert_eq(rf_json_get_string(j, "s", 1, &s, "y.json", &err), RF_OK);
    cr_assert_str_eq(s, "t");
    json_decref(j);
    cr_assert_eq(rf_json_load_file("/nonexistent.json", &j, &err), RF_EIO);
}

Test(err, prefix_and_clear)
{
    struct rf_err e;
    rf_err_clear(&e);
    cr_assert_str_eq(rf_err_msg(&e), "ok");
    cr_assert_eq(rf_err_set(&e, RF_EINVAL, "field '%s'", "a"), RF_EINVAL);
    rf_err_prefix(&e, "f.json:%d", 3);
    cr_assert_str_eq(e.msg, "f.json:3: field 'a'");
    cr_assert_str_eq(rf_strerror(RF_ENOMEM), "out of memory");
}

Test(file, atomic_write_then_read)
{
    char path[] = "/tmp/rf-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    struct rf_err err;
    cr_assert_eq(rf_file_write_atomic(path, "hello\n", 6, &err), RF_OK);
    char *data;
    size_t len;
    cr_assert_eq(rf_file_read(path, 100, &data, &len, &err), RF_OK);
    cr_assert_eq(len, 6);
    cr_assert_str_eq(data, "hello\n");
    free(data);
    cr_assert_eq(rf_file_read(path, 3, &data, &len, &err), RF_ETOOBIG);
    cr_assert(strstr(err.msg, "larger than 3 bytes"), "%s", err.msg);
    unlink(path);
}

/* Control characters and bidirectional formatting characters are found,
 * replaced in log lines, and dropped from markup; ordinary text passes. */
Test(escape, unsafe_text)
{
    cr_assert_eq(rf_text_unsafe_at("山田 花子 / José\tok", 0), 0);
    cr_assert_eq(rf_text_unsafe_at("a\nb", 0), 2);
    cr_assert_eq(rf_text_unsafe_at("a\nb\r\n", 1), 0);
    cr_assert_eq(rf_text_unsafe_at("ab\x7f", 1), 3);
    cr_assert_eq(rf_text_unsafe_at("x\xe2\x80\xae" "exe", 1), 2, "U+202E");
    cr_assert_eq(rf_text_unsafe_at("\xe2\x81\xa6", 0), 1, "U+2066");
    cr_assert_eq(rf_text_unsafe_at("\xc2\x85", 0), 1, "U+0085");
    cr_assert_eq(rf_text_unsafe_at("\xe2\x80\x94 dash", 0), 0, "U+2014 is fine");
    char line[] = "org\n2026 forged\xe2\x80\xae!";
    rf_text_sanitize_line(line);
    cr_assert_str_eq(line, "org?2026 forged?!");
    struct rf_buf b;
    rf_buf_init(&b, 1024);
    cr_assert_eq(rf_buf_put_xml(&b, "<a>\xe2\x80\xaeZ\x01&"), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "&lt;a&gt;Z&amp;");
    rf_buf_cleanup(&b);
}

Test(json, output_writer_prints_the_digits_numbers_mean)
{
    json_t *j = json_pack("{s:f,s:f,s:f,s:[f,f],s:{s:f},s:f,s:f}", "weight", 0.65, "theta",
                          0.123456789, "p", 0.000123456, "weights", 0.1 + 0.2, 1.0 / 3.0,
                          "nested", "fit", 0.87654321, "se", 1e-9 / 3.0, "b", -2.0);
    cr_assert_not_null(j);
    char *s = rf_json_dumps_out(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "{\"weight\":0.65,\"theta\":0.123457,\"p\":0.0001235,"
                        "\"weights\":[0.3,0.3333],\"nested\":{\"fit\":0.8765},"
                        "\"se\":3.33333e-10,\"b\":-2.0}");
    free(s);
    /* the writer leaves its input untouched */
    cr_expect_float_eq(json_real_value(json_object_get(j, "theta")), 0.123456789, 1e-15);
    json_decref(j);
    cr_expect_float_eq(rf_round_sig(123456.0, 4), 123500.0, 1e-9);
    cr_expect_float_eq(rf_round_sig(-0.0123456, 3), -0.0123, 1e-15);
    cr_expect(isinf(rf_round_sig(INFINITY, 4)));
    cr_expect(rf_json_is_prob_key("p_wrong") && !rf_json_is_prob_key("theta") &&
              !rf_json_is_prob_key(NULL));
}
