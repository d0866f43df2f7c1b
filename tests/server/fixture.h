/* The server under test: the real rolefit server in-process on a free
 * loopback port, with a temporary database, the bundled bank and data, and
 * the first-start setup token captured from its log. */
#ifndef RF_TEST_FIXTURE_H
#define RF_TEST_FIXTURE_H

#include "client.h"
#include "server/routes.h"

struct fixture {
    char dir[64];          /* temporary folder holding the database */
    char db[128];          /* database path */
    char setup_token[128]; /* from the "first start" log line */
    struct rf_server *srv;
    unsigned port;
};

/* One server per test process (Criterion runs each test in its own process). */
extern struct fixture fx;

/* Starts the server; practice opens tests to anyone; rate_ip 0 disables the
 * per-address limit (answers and sign-ins are not limited). */
void fixture_start(int practice, double rate_ip);
/* The clock of the servers under test (rate limits, practice slots): it
 * stands still until fixture_advance moves it, so no test depends on how
 * fast the machine is. */
double fixture_clock(void);
void fixture_advance(double seconds);
/* Whether any line the server logged so far contains needle. */
int fixture_log_contains(const char *needle);

/* The configuration fixture_start uses, over database db. */
void fixture_config(struct rf_server_config *cfg, const char *db, int practice, double rate_ip);
/* The same, with tweak (may be NULL) changing the configuration before the start. */
void fixture_start_with(int practice, double rate_ip, void (*tweak)(struct rf_server_config *cfg));
void fixture_stop(void);

/* Creates the organization and its admin with the setup token; a signed-in client. */
struct http_client fixture_admin(void);

/* A second organization ("Other") with its own recruiter, olga@other.test,
 * written straight into the server's database; a signed-in client. */
struct http_client fixture_other_recruiter(void);
/* The same with an account of that role ("recruiter" or "admin"). */
struct http_client fixture_other_account(const char *role);

/* The body of an answer to item (of data/bank) in the field its type takes:
 * the right answer (full credit) when right, else one that scores 0. */
void fixture_answer_body(const char *item, int right, char *body, size_t cap);
/* The number of options of item (0 for a numeric item). */
size_t fixture_noptions(const char *item);

#endif
