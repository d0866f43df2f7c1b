/* Backend-independent parts of the store: freeing records. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

void rf_store_user_cleanup(struct rf_user *u)
{
    free(u->email);
    free(u->name);
    free(u->role);
    free(u->pw_hash);
    memset(u, 0, sizeof *u);
}

void rf_store_auth_cleanup(struct rf_auth *a)
{
    free(a->csrf);
    memset(a, 0, sizeof *a);
}

void rf_store_candidate_cleanup(struct rf_candidate *c)
{
    free(c->name);
    free(c->email);
    memset(c, 0, sizeof *c);
}

void rf_store_invite_cleanup(struct rf_invite *v)
{
    free(v->role);
    free(v->label);
    memset(v, 0, sizeof *v);
}

void rf_store_test_cleanup(struct rf_test *t)
{
    free(t->scope);
    free(t->state);
    free(t->status);
    free(t->profile);
    memset(t, 0, sizeof *t);
}

void rf_store_posting_cleanup(struct rf_posting *p)
{
    free(p->title);
    free(p->text);
    free(p->parsed);
    memset(p, 0, sizeof *p);
}
