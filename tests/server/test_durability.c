/* Durability: SIGKILL the server in the middle of a stream of answers,
 * restart it on the same database, and find every acknowledged answer and
 * intact, resumable sessions. */
#include <criterion/criterion.h>

#include "fixture.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

static char dir[64], db[128];

static const char *binary(void)
{
    static char path[256];
    const char *b = getenv("BUILD");
    snprintf(path, sizeof path, "%s/rolefit", b && b[0] ? b : "build");
    return path;
}

/* Starts `rolefit serve` on a free port; returns its pid and port. */
static pid_t spawn(unsigned *port)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execl(binary(), "rolefit", "serve", "--port", "0", "--db", db, "--quiet", "--practice-pow", "0",
              "--answer-rate", "0", "--rate", "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[1024];
    *port = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "listening on http://127.0.0.1:");
        if (p) {
            *port = (unsigned)atoi(p + strlen("listening on http://127.0.0.1:"));
            break;
        }
    }
    /* keep reading the pipe in the background is not needed: the server logs little */
    cr_assert(*port > 0, "server did not start (%s)", binary());
    return pid;
}

#define NTESTS 4

Test(durability, sigkill_loses_no_acknowledged_answer)
{
    strcpy(dir, "/tmp/rf-dur-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/d.db", dir);
    unsigned port;
    pid_t pid = spawn(&port);
    struct http_client c[NTESTS];
    long long id[NTESTS];
    char item[NTESTS][160];
    int acked[NTESTS] = {0};
    for (int t = 0; t < NTESTS; t++) {
        struct http_client z = {port, "", ""};
        c[t] = z;
        struct http_result r;
        cr_assert_eq(client_do(&c[t], "POST", "/api/tests", "{\"skills\":[\"deep_learning\",\"ml_fundamentals\"]}", &r), 0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        id[t] = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
        snprintf(item[t], sizeof item[t], "%s",
                 json_string_value(json_object_get(json_object_get(r.json, "question"), "item")));
        http_result_free(&r);
    }
    /* a stream of answers over the tests in turn; the kill lands right after a
     * request is sent, before its reply is read */
    int total = 0;
    const int kill_after = 37;
    for (int k = 0; k < 200; k++) {
        int t = k % NTESTS;
        char path[64], body[256];
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id[t]);
        fixture_answer_body(item[t], k % 4 == 0, body, sizeof body);
        if (total == kill_after) {
            /* send without waiting, then kill */
            pid_t child = fork();
            if (child == 0) {
                struct http_result r;
                client_do(&c[t], "POST", path, body, &r);
                _exit(0);
            }
            usleep(2000);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            waitpid(child, NULL, 0);
            break;
        }
        struct http_result r;
        cr_assert_eq(client_do(&c[t], "POST", path, body, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        acked[t]++;
        total++;
        snprintf(item[t], sizeof item[t], "%s",
                 json_string_value(json_object_get(json_object_get(r.json, "question"), "item")));
        http_result_free(&r);
    }
    cr_assert_eq(total, kill_after);
    /* restart on the same file */
    pid = spawn(&port);
    for (int t = 0; t < NTESTS; t++) {
        c[t].port = port;
        char path[64];
        snprintf(path, sizeof path, "/api/tests/%lld", id[t]);
        struct http_result r;
        cr_assert_eq(client_do(&c[t], "GET", path, NULL, &r), 0);
        cr_assert_eq(r.status, 200, "test %lld after restart: %s", id[t], r.body);
        long long answered =
            json_integer_value(json_object_get(json_object_get(r.json, "test"), "answered"));
        /* the in-flight answer may or may not have committed; none acknowledged is lost */
        cr_assert(answered == acked[t] || answered == acked[t] + 1,
                  "test %lld: %lld answers stored, %d acknowledged", id[t], answered, acked[t]);
        const json_t *q = json_object_get(r.json, "question");
        cr_assert(json_is_object(q), "the session resumes with a question");
        /* and takes the next answer */
        char body[256];
        fixture_answer_body(json_string_value(json_object_get(q, "item")), 0, body, sizeof body);
        http_result_free(&r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id[t]);
        cr_assert_eq(client_do(&c[t], "POST", path, body, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "test"), "answered")),
                     answered + 1);
        http_result_free(&r);
    }
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "graceful stop on SIGTERM");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
