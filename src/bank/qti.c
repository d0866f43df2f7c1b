/*
 * IMS QTI 2.1 reader and writer (docs/bank-exchange.md). The reader parses
 * with libxml2 (no network, no entity expansion, errors kept, never printed),
 * maps the XHTML of itemBody, simpleChoice and modalFeedback to the bank
 * markup, and reports every construct it does not carry over as a note. The
 * writer emits the inverse mapping through the one escaping writer, so a
 * bank item survives bank -> QTI -> bank with its id, stem, options, key and
 * explanation unchanged (and its other fields through the metadata comment).
 */
#include "bank/qti.h"

#include "bank/answer.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/config.h"
#include "base/escape.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

#define META_PREFIX " rolefit: "
#define TEXT_CAP RF_IMPORT_MAX_BYTES

/* ------------------------------------------------------------------ reading */

struct rd {
    struct rf_import *im;
    const char *name;   /* file name for messages */
    char item[RF_MAX_ID_LEN + 32]; /* "item 'id'" for notes */
    rf_status rc;       /* sticky: ENOMEM / ETOOBIG */
};

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Copies attribute name of n into buf (empty when absent). */
static const char *prop(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    snprintf(buf, cap, "%s", v ? (const char *)v : "");
    xmlFree(v);
    return buf;
}

static void note(struct rd *r, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct rd *r, const xmlNode *n, const char *fmt, ...)
{
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rf_status rc;
    if (n)
        rc = rf_import_note(r->im, "%s:%ld: %s%s%s", r->name, xmlGetLineNo(n), r->item,
                            r->item[0] ? ": " : "", msg);
    else
        rc = rf_import_note(r->im, "%s: %s%s%s", r->name, r->item, r->item[0] ? ": " : "", msg);
    if (rc && !r->rc)
        r->rc = rc;
}

static void put(struct rd *r, struct rf_buf *b, const char *s, size_t n)
{
    rf_status rc = rf_buf_append(b, s, n);
    if (rc && !r->rc)
        r->rc = rc;
}

static void puts_(struct rd *r, struct rf_buf *b, const char *s)
{
    put(r, b, s, strlen(s));
}

/* Appends text with white space runs folded to one space (HTML rendering). */
static void put_text(struct rd *r, struct rf_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            if (b->len && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '\n')
                put(r, b, " ", 1);
            continue;
        }
        put(r, b, s, 1);
    }
}

static void render_inline(struct rd *r, const xmlNode *n, struct rf_buf *b, const xmlNode *skip);
static void render_blocks(struct rd *r, const xmlNode *first, struct rf_buf *b, const char *sep,
                          const xmlNode *skip);

static int is_block(const xmlNode *n)
{
    static const char *const blocks[] = {"p",  "div", "pre", "blockquote", "h1", "h2", "h3",
                                         "h4", "h5",  "h6",  "ul",         "ol", "dl", "table",
                                         "hr", "address", "prompt", "rubricBlock", "feedbackBlock"};
    if (!n || n->type != XML_ELEMENT_NODE)
        return 0;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (strcmp((const char *)n->name, blocks[i]) == 0)
            return 1;
    return ends_with((const char *)n->name, "Interaction");
}

static void render_children_inline(struct rd *r, const xmlNode *n, struct rf_buf *b,
                                   const xmlNode *skip)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        render_inline(r, c, b, skip);
}

/* Inline content: text, code, strong, br; everything else by its text, with a note. */
static void render_inline(struct rd *r, const xmlNode *n, struct rf_buf *b, const xmlNode *skip)
{
    if (n == skip)
        return;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        put_text(r, b, (const char *)n->content);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return; /* comments, processing instructions */
    const char *e = (const char *)n->name;
    if (!strcmp(e, "code") || !strcmp(e, "kbd") || !strcmp(e, "samp") || !strcmp(e, "tt")) {
        xmlChar *t = xmlNodeGetContent(n);
        puts_(r, b, "`");
        puts_(r, b, t ? (const char *)t : "");
        puts_(r, b, "`");
        xmlFree(t);
    } else if (!strcmp(e, "strong") || !strcmp(e, "b")) {
        puts_(r, b, "**");
        render_children_inline(r, n, b, skip);
        puts_(r, b, "**");
    } else if (!strcmp(e, "br")) {
        puts_(r, b, "\n");
    } else if (!strcmp(e, "span") || !strcmp(e, "em") || !strcmp(e, "i") || !strcmp(e, "q") ||
               !strcmp(e, "cite") || !strcmp(e, "dfn") || !strcmp(e, "abbr") ||
               !strcmp(e, "acronym") || !strcmp(e, "var") || !strcmp(e, "small") ||
               !strcmp(e, "big") || !strcmp(e, "u")) {
        render_children_inline(r, n, b, skip);
    } else if (!strcmp(e, "img") || !strcmp(e, "object")) {
        char alt[256];
        note(r, n, "<%s> (%s) not supported, dropped", e,
             prop(n, !strcmp(e, "img") ? "src" : "data", alt, sizeof alt));
    } else if (!strcmp(e, "feedbackInline") || !strcmp(e, "templateInline") ||
               !strcmp(e, "printedVariable")) {
        note(r, n, "<%s> not supported, dropped", e);
    } else if (is_block(n)) {
        render_blocks(r, n->children, b, "\n", skip); /* a block inside inline content */
    } else {
        note(r, n, "<%s> not supported, kept as plain text", e);
        render_children_inline(r, n, b, skip);
    }
}

/* Removes spaces around line breaks and at both ends; returns the length. */
static size_t tidy(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' && (j == 0 || s[j - 1] == '\n' || i + 1 == n || s[i + 1] == '\n'))
            continue;
        s[j++] = s[i];
    }
    while (j && (s[j - 1] == ' ' || s[j - 1] == '\n'))
        j--;
    size_t k = 0;
    while (k < j && s[k] == '\n')
        k++;
    memmove(s, s + k, j - k);
    s[j - k] = '\0';
    return j - k;
}

static void flush_para(struct rd *r, struct rf_buf *para, struct rf_buf *b, const char *sep)
{
    if (!para->len)
        return;
    size_t n = tidy(para->data, para->len);
    if (n) {
        if (b->len)
            puts_(r, b, sep);
        put(r, b, para->data, n);
    }
    rf_buf_reset(para);
}

static void append_block(struct rd *r, struct rf_buf *b, const char *sep, const struct rf_buf *blk)
{
    if (!blk->len)
        return;
    if (b->len)
        puts_(r, b, sep);
    put(r, b, blk->data, blk->len);
}

static void render_pre(struct rd *r, const xmlNode *n, struct rf_buf *out)
{
    char cls[128];
    prop(n, "class", cls, sizeof cls);
    const char *lang = strncmp(cls, "language-", 9) == 0 ? cls + 9 : "";
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    if (*s == '\n')
        s++; /* HTML drops a newline right after <pre> */
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    puts_(r, out, "```");
    puts_(r, out, lang);
    puts_(r, out, "\n");
    put(r, out, s, len);
    puts_(r, out, len ? "\n```" : "```");
    xmlFree(t);
}

/* Block content: paragraphs joined with sep; a <div> joins its own blocks
 * with a single newline (the writer's way of keeping "text\n```code```"). */
static void render_blocks(struct rd *r, const xmlNode *first, struct rf_buf *b, const char *sep,
                          const xmlNode *skip)
{
    struct rf_buf para, blk;
    rf_buf_init(&para, TEXT_CAP);
    rf_buf_init(&blk, TEXT_CAP);
    for (const xmlNode *c = first; c && !r->rc; c = c->next) {
        if (c == skip)
            continue;
        if (!is_block(c)) {
            render_inline(r, c, &para, skip);
            continue;
        }
        flush_para(r, &para, b, sep);
        rf_buf_reset(&blk);
        const char *e = (const char *)c->name;
        if (!strcmp(e, "pre")) {
            render_pre(r, c, &blk);
        } else if (!strcmp(e, "div") || !strcmp(e, "blockquote") || !strcmp(e, "prompt") ||
                   !strcmp(e, "rubricBlock")) {
            if (!strcmp(e, "rubricBlock"))
                note(r, c, "<rubricBlock> imported as part of the text");
            render_blocks(r, c->children, &blk, "\n", skip);
        } else if (!strcmp(e, "ul") || !strcmp(e, "ol") || !strcmp(e, "dl")) {
            note(r, c, "list <%s> not supported, items kept as lines starting with '- '", e);
            for (const xmlNode *li = c->children; li; li = li->next) {
                if (li->type != XML_ELEMENT_NODE)
                    continue;
                struct rf_buf line;
                rf_buf_init(&line, TEXT_CAP);
                render_inline(r, li, &line, skip);
                size_t n = line.len ? tidy(line.data, line.len) : 0;
                if (blk.len)
                    puts_(r, &blk, "\n");
                puts_(r, &blk, "- ");
                put(r, &blk, n ? line.data : "", n);
                rf_buf_cleanup(&line);
            }
        } else if (ends_with(e, "Interaction") || !strcmp(e, "feedbackBlock") ||
                   !strcmp(e, "hr")) {
            if (strcmp(e, "hr"))
                note(r, c, "<%s> not supported, dropped", e);
        } else {
            if (!strcmp(e, "table"))
                note(r, c, "<table> not supported, cells kept as plain text");
            render_inline(r, c, &para, skip); /* p, h1..h6, address, table */
            size_t n = para.len ? tidy(para.data, para.len) : 0;
            put(r, &blk, n ? para.data : "", n);
            rf_buf_reset(&para);
        }
        append_block(r, b, sep, &blk);
    }
    flush_para(r, &para, b, sep);
    rf_buf_cleanup(&para);
    rf_buf_cleanup(&blk);
}

static void count_interactions(const xmlNode *n, const xmlNode **first, size_t *count,
                               struct rf_buf *names, struct rd *r)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (ends_with((const char *)n->name, "Interaction")) {
            if (!*first)
                *first = n;
            if (*count < 8) {
                if (names->len)
                    puts_(r, names, ", ");
                puts_(r, names, (const char *)n->name);
            }
            (*count)++;
        }
        count_interactions(n->children, first, count, names, r);
    }
}

/* s without surrounding spaces (in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static char *take(struct rd *r, struct rf_buf *b)
{
    char *s = rf_buf_take(b);
    if (!s && !r->rc)
        s = rf_strdup("");
    if (!s && !r->rc)
        r->rc = RF_ENOMEM;
    return s;
}

/* Reads the metadata comment of an earlier rolefit export, if any. */
static json_t *read_meta(struct rd *r, const xmlNode *root)
{
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_COMMENT_NODE || !c->content ||
            strncmp((const char *)c->content, META_PREFIX, strlen(META_PREFIX)) != 0)
            continue;
        const char *js = (const char *)c->content + strlen(META_PREFIX);
        json_error_t je;
        json_t *m = json_loads(js, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(m)) {
            note(r, c, "rolefit metadata comment is not a JSON object (%s), ignored", je.text);
            if (m)
                json_decref(m);
            return NULL;
        }
        return m;
    }
    return NULL;
}

static rf_status read_numeric(struct rd *r, const xmlNode *root, const xmlNode *body,
                              const xmlNode *ci, const xmlNode *cr, const char *value,
                              struct rf_err *err);
static rf_status read_choices(struct rd *r, const xmlNode *root, const xmlNode *body,
                              const xmlNode *ci, const xmlNode *cr, char (*values)[128],
                              size_t nvalues, struct rf_err *err);

/* Maps one assessmentItem element to an item, or notes why it cannot. */
static rf_status read_item(struct rd *r, const xmlNode *root, struct rf_err *err)
{
    char id[RF_MAX_ID_LEN + 1], buf[256];
    prop(root, "identifier", id, sizeof id);
    snprintf(r->item, sizeof r->item, "item '%s'", id);
    const xmlNode *body = NULL;
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_el(c, "itemBody"))
            body = c;
        else if (is_el(c, "templateDeclaration") || is_el(c, "templateProcessing"))
            note(r, c, "<%s> (cloned item) not supported, the template text is imported as is",
                 c->name);
    }
    if (!body) {
        note(r, root, "no itemBody, skipped");
        return r->rc;
    }
    const xmlNode *ci = NULL;
    size_t nint = 0;
    struct rf_buf names;
    rf_buf_init(&names, 1024);
    count_interactions(body->children, &ci, &nint, &names, r);
    if (nint != 1 || !(is_el(ci, "choiceInteraction") || is_el(ci, "textEntryInteraction"))) {
        if (nint == 0)
            note(r, body, "no interaction, skipped");
        else if (nint > 1)
            note(r, ci, "%zu interactions (%s): only one choiceInteraction per item is supported, "
                        "skipped",
                 nint, rf_buf_str(&names));
        else
            note(r, ci, "<%s> not supported (choiceInteraction and textEntryInteraction are), "
                        "skipped",
                 ci->name);
        rf_buf_cleanup(&names);
        return r->rc;
    }
    rf_buf_cleanup(&names);
    int numeric = is_el(ci, "textEntryInteraction");
    char maxc[32];
    prop(ci, "maxChoices", maxc, sizeof maxc);
    char rid[128];
    prop(ci, "responseIdentifier", rid, sizeof rid);
    const xmlNode *decl = NULL;
    for (const xmlNode *c = root->children; c; c = c->next)
        if (is_el(c, "responseDeclaration") && !strcmp(prop(c, "identifier", buf, sizeof buf), rid))
            decl = c;
    if (!decl) {
        note(r, ci, "no responseDeclaration '%s', skipped", rid);
        return r->rc;
    }
    prop(decl, "cardinality", buf, sizeof buf);
    int multi = !numeric && strcmp(buf, "multiple") == 0;
    if (strcmp(buf, "single") != 0 && !multi) {
        note(r, decl, "%s (cardinality=%s) not supported, skipped",
             numeric ? "textEntryInteraction" : "choiceInteraction", buf);
        return r->rc;
    }
    if (!multi && !numeric && maxc[0] && strcmp(maxc, "1") != 0) {
        note(r, ci, "multiple-response choiceInteraction (maxChoices=%s) with a single response "
                    "not supported, skipped",
             maxc);
        return r->rc;
    }
    const xmlNode *cr = NULL;
    for (const xmlNode *c = decl->children; c; c = c->next)
        if (is_el(c, "correctResponse"))
            cr = c;
    char correct[128] = "";
    char values[RF_BANK_MAX_OPTIONS][128];
    size_t nvalues = 0;
    for (const xmlNode *c = cr ? cr->children : NULL; c; c = c->next)
        if (is_el(c, "value")) {
            xmlChar *t = xmlNodeGetContent(c);
            snprintf(correct, sizeof correct, "%s", t ? (const char *)t : "");
            xmlFree(t);
            if (nvalues < RF_BANK_MAX_OPTIONS)
                snprintf(values[nvalues], sizeof values[0], "%s", trim(correct));
            nvalues++;
        }
    if (multi && nvalues >= 1 && nvalues <= RF_BANK_MAX_OPTIONS)
        return read_choices(r, root, body, ci, cr, values, nvalues, err);
    char bt[32];
    prop(decl, "baseType", bt, sizeof bt);
    if (numeric && strcmp(bt, "float") != 0 && strcmp(bt, "integer") != 0) {
        note(r, ci, "textEntryInteraction with baseType %s (a text answer) not supported, "
                    "only float or integer (numeric entry), skipped",
             bt[0] ? bt : "(none)");
        return r->rc;
    }
    if (numeric && nvalues == 1)
        return read_numeric(r, root, body, ci, cr, trim(correct), err);
    if (nvalues != 1 || multi) {
        note(r, decl, "%s, skipped",
             nvalues ? "more than one correct value" : "no correctResponse (a key is required)");
        return r->rc;
    }
    char one[1][128];
    snprintf(one[0], sizeof one[0], "%s", trim(correct));
    return read_choices(r, root, body, ci, cr, one, 1, err);
}

/* The stem (itemBody without the interaction, then its prompt) and the
 * explanation (every modalFeedback) of an item into it. */
static void read_texts(struct rd *r, const xmlNode *root, const xmlNode *body,
                       const xmlNode *ci, const xmlNode *prompt, struct rf_item *it)
{
    struct rf_buf t;
    rf_buf_init(&t, TEXT_CAP);
    render_blocks(r, body->children, &t, "\n\n", ci);
    if (prompt) {
        struct rf_buf p;
        rf_buf_init(&p, TEXT_CAP);
        render_blocks(r, prompt->children, &p, "\n\n", NULL);
        append_block(r, &t, "\n\n", &p);
        rf_buf_cleanup(&p);
    }
    it->stem = take(r, &t);
    for (const xmlNode *c = root->children; c && !r->rc; c = c->next)
        if (is_el(c, "modalFeedback")) {
            struct rf_buf f;
            rf_buf_init(&f, TEXT_CAP);
            render_blocks(r, c->children, &f, "\n\n", NULL);
            append_block(r, &t, "\n\n", &f);
            rf_buf_cleanup(&f);
        }
    it->explanation = take(r, &t);
    rf_buf_cleanup(&t);
    xmlChar *lang = xmlNodeGetLang(root);
    if (lang && lang[0]) {
        char l[16];
        snprintf(l, sizeof l, "%.*s", (int)strcspn((const char *)lang, "-_"), (const char *)lang);
        it->lang = rf_strdup(l);
    }
    xmlFree(lang);
}

/* Hands a read item with its metadata comment to the import. */
static rf_status add_item(struct rd *r, const xmlNode *root, const xmlNode *body,
                          struct rf_item *it, struct rf_err *err)
{
    char id[RF_MAX_ID_LEN + 1];
    prop(root, "identifier", id, sizeof id);
    it->id = rf_strdup(id);
    if (r->rc || !it->id || !it->stem || !it->explanation) {
        rf_item_cleanup(it);
        return rf_err_set(err, r->rc ? r->rc : RF_ENOMEM, "%s: %s", r->name,
                          r->rc == RF_ETOOBIG ? "text too large" : "out of memory");
    }
    if (!it->stem[0])
        note(r, body, "empty question text");
    json_t *meta = read_meta(r, root);
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s:%ld: %s", r->name, xmlGetLineNo(root), r->item);
    rf_status rc = rf_import_add(r->im, it, meta, NULL, where, err);
    if (meta)
        json_decref(meta);
    return rc;
}

/* The first element named name under n (depth first), or NULL. */
static const xmlNode *find_el(const xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        if (is_el(n, name))
            return n;
        const xmlNode *f = find_el(n->children, name);
        if (f)
            return f;
    }
    return NULL;
}

/* A textEntryInteraction with a float (or integer) correct value: numeric
 * entry, the tolerance from responseProcessing's <equal toleranceMode=
 * "absolute" tolerance="T T"> (0 without one). */
static rf_status read_numeric(struct rd *r, const xmlNode *root, const xmlNode *body,
                              const xmlNode *ci, const xmlNode *cr, const char *value,
                              struct rf_err *err)
{
    struct rf_item it;
    memset(&it, 0, sizeof it);
    it.key = -1;
    it.type = RF_ITEM_NUMERIC;
    if (rf_answer_parse_number(value, &it.answer, NULL)) {
        note(r, cr, "correct value '%.40s' is not a number, skipped", value);
        return r->rc;
    }
    const xmlNode *rp = NULL;
    for (const xmlNode *c = root->children; c; c = c->next)
        if (is_el(c, "responseProcessing"))
            rp = c;
    const xmlNode *eq = rp ? find_el(rp->children, "equal") : NULL;
    char buf[128];
    if (eq && !strcmp(prop(eq, "toleranceMode", buf, sizeof buf), "absolute")) {
        prop(eq, "tolerance", buf, sizeof buf);
        char *sp = strchr(trim(buf), ' ');
        if (sp)
            *sp = '\0';
        if (rf_answer_parse_number(trim(buf), &it.tolerance, NULL) || it.tolerance < 0) {
            note(r, eq, "tolerance '%.40s' is not a number >= 0, skipped", buf);
            return r->rc;
        }
    } else if (eq && strcmp(buf, "exact") != 0 && buf[0]) {
        note(r, eq, "toleranceMode '%s' not supported, the answer is taken as exact", buf);
    }
    read_texts(r, root, body, ci, NULL, &it);
    return add_item(r, root, body, &it, err);
}

/* A choiceInteraction whose correct values are values[0..nvalues-1]: one
 * (multiple choice) or, with cardinality multiple, the keys of a multiple
 * select (scored by rolefit's rule max(0, keys - non-keys)). */
static rf_status read_choices(struct rd *r, const xmlNode *root, const xmlNode *body,
                              const xmlNode *ci, const xmlNode *cr,
                              char (*values)[128], size_t nvalues, struct rf_err *err)
{
    char buf[256];
    const char *cs = values[0];
    int multi = nvalues > 1 || strcmp(prop(ci, "maxChoices", buf, sizeof buf), "1") != 0;
    struct rf_item it;
    memset(&it, 0, sizeof it);
    it.key = -1;
    size_t nch = 0;
    for (const xmlNode *c = ci->children; c; c = c->next)
        nch += is_el(c, "simpleChoice");
    if (nch > RF_BANK_MAX_OPTIONS) {
        note(r, ci, "%zu choices, more than %d, skipped", nch, RF_BANK_MAX_OPTIONS);
        return r->rc;
    }
    it.options = rf_calloc_array(nch ? nch : 1, sizeof *it.options);
    if (!it.options)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    struct rf_buf t;
    rf_buf_init(&t, TEXT_CAP);
    const xmlNode *prompt = NULL;
    for (const xmlNode *c = ci->children; c && !r->rc; c = c->next) {
        if (is_el(c, "prompt")) {
            prompt = c;
        } else if (is_el(c, "simpleChoice")) {
            prop(c, "identifier", buf, sizeof buf);
            if (!multi && !strcmp(buf, cs))
                it.key = (int)it.noptions;
            for (size_t v = 0; multi && v < nvalues; v++)
                if (!strcmp(buf, values[v]) && it.nkeys < RF_BANK_MAX_OPTIONS)
                    it.keys[it.nkeys++] = (int)it.noptions;
            rf_buf_reset(&t);
            render_blocks(r, c->children, &t, "\n\n", NULL);
            it.options[it.noptions++] = take(r, &t);
        } else if (c->type == XML_ELEMENT_NODE) {
            note(r, c, "<%s> inside choiceInteraction not supported, dropped", c->name);
        }
    }
    rf_buf_cleanup(&t);
    if (multi) {
        it.type = RF_ITEM_MULTI;
        if (it.nkeys != nvalues) {
            note(r, cr, "a correct value is not one of the choices, skipped");
            rf_item_cleanup(&it);
            return r->rc;
        }
    } else if (it.key < 0) {
        note(r, cr, "correct value '%s' is not one of the choices, skipped", cs);
        rf_item_cleanup(&it);
        return r->rc;
    }
    read_texts(r, root, body, ci, prompt, &it);
    return add_item(r, root, body, &it, err);
}

/* The first error libxml2 reports while parsing (the last one is often a
 * consequence, "Premature end of data"). */
struct first_error {
    int set, line, col;
    char msg[256];
};

static void keep_first_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxt *pc = ctx;
    struct first_error *fe = pc ? pc->_private : NULL;
    if (!fe || fe->set || !e || e->level < XML_ERR_ERROR)
        return;
    fe->set = 1;
    fe->line = e->line;
    fe->col = e->int2;
    snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "malformed XML");
}

/* Parses XML without network access or entity expansion, keeping libxml2 quiet. */
static xmlDoc *parse_xml(const char *name, const char *data, size_t len, struct rf_err *err)
{
    if (len > (size_t)RF_IMPORT_MAX_BYTES || len > (size_t)0x7fffffff) {
        rf_err_set(err, RF_ETOOBIG, "%s: larger than %ld bytes", name, (long)RF_IMPORT_MAX_BYTES);
        return NULL;
    }
    xmlParserCtxt *ctx = xmlNewParserCtxt();
    if (!ctx) {
        rf_err_set(err, RF_ENOMEM, "out of memory");
        return NULL;
    }
    struct first_error fe = {0};
    ctx->_private = &fe;
    ctx->sax->serror = keep_first_error;
    xmlDoc *doc = xmlCtxtReadMemory(ctx, data, (int)len, name, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_BIG_LINES);
    if (!doc || !ctx->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        if (!fe.set && e) {
            fe.line = e->line;
            fe.col = e->int2;
            snprintf(fe.msg, sizeof fe.msg, "%s", e->message ? e->message : "malformed XML");
        } else if (!fe.set) {
            snprintf(fe.msg, sizeof fe.msg, "malformed XML");
        }
        size_t n = strlen(fe.msg);
        while (n && (fe.msg[n - 1] == '\n' || fe.msg[n - 1] == ' '))
            fe.msg[--n] = '\0';
        if (fe.line > 0)
            rf_err_set(err, RF_EINVAL, "%s:%d:%d: %s", name, fe.line, fe.col, fe.msg);
        else
            rf_err_set(err, RF_EINVAL, "%s: %s", name, fe.msg);
        if (doc)
            xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctx);
    return doc;
}

/* Reads a parsed document: an item, or a note for anything else. */
static rf_status read_doc(const char *name, xmlDoc *doc, struct rf_import *im, struct rf_err *err)
{
    struct rd r = {.im = im, .name = name};
    const xmlNode *root = xmlDocGetRootElement(doc);
    rf_status rc = RF_OK;
    if (is_el(root, "assessmentItem"))
        rc = read_item(&r, root, err);
    else if (is_el(root, "manifest"))
        note(&r, root, "a content package manifest: import the package (.zip) or the "
                       "imsmanifest.xml file itself");
    else if (is_el(root, "assessmentTest") || is_el(root, "assessmentSection"))
        note(&r, root, "<%s> not supported (import its items), skipped", root->name);
    else
        note(&r, root, "root element <%s> is not a QTI 2.1 assessmentItem, skipped",
             root ? (const char *)root->name : "?");
    if (!rc && r.rc)
        rc = rf_err_set(err, r.rc, "%s: out of memory", name);
    return rc;
}

rf_status rf_qti_read_mem(const char *name, const char *data, size_t len, struct rf_import *im,
                          struct rf_err *err)
{
    xmlDoc *doc = parse_xml(name, data, len, err);
    if (!doc)
        return err ? err->rc : RF_EINVAL;
    rf_status rc = read_doc(name, doc, im, err);
    xmlFreeDoc(doc);
    return rc;
}

/* Where the files of a package come from: a zip archive or a directory. */
struct pkg {
    const char *name; /* the package (zip path) or the manifest's directory */
    zip_t *z;         /* NULL for a directory */
};

/* Reads one zip entry whole, refusing entries beyond the cap. */
static rf_status zip_read(zip_t *z, const char *pkg, zip_int64_t idx, const char *ename,
                          char **out, size_t *len, struct rf_err *err)
{
    zip_stat_t st;
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return rf_err_set(err, RF_EINVAL, "%s: %s: cannot read entry", pkg, ename);
    if (st.size > (zip_uint64_t)RF_IMPORT_MAX_BYTES)
        return rf_err_set(err, RF_ETOOBIG, "%s: %s: entry larger than %ld bytes", pkg, ename,
                          (long)RF_IMPORT_MAX_BYTES);
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f)
        return rf_err_set(err, RF_EINVAL, "%s: %s: %s", pkg, ename, zip_strerror(z));
    char *buf = malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(f);
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    zip_int64_t n = zip_fread(f, buf, st.size);
    /* one more byte must not exist: the declared size is the true size */
    char extra;
    zip_int64_t more = n == (zip_int64_t)st.size ? zip_fread(f, &extra, 1) : 0;
    const char *zerr = n < 0 ? zip_file_strerror(f) : NULL;
    char zmsg[256];
    snprintf(zmsg, sizeof zmsg, "%s", zerr ? zerr : "");
    zip_fclose(f);
    if (n != (zip_int64_t)st.size || more != 0) {
        free(buf);
        return rf_err_set(err, RF_EINVAL, "%s: %s: corrupt entry%s%s", pkg, ename,
                          zmsg[0] ? ": " : "", zmsg);
    }
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return RF_OK;
}

/* Reads the file href of a package. Paths leaving the package are refused. */
static rf_status pkg_read(const struct pkg *pk, const char *href, char **out, size_t *len,
                          struct rf_err *err)
{
    if (!href[0] || href[0] == '/' || strstr(href, "..") || strchr(href, ':'))
        return rf_err_set(err, RF_EINVAL, "%s: href '%s' leaves the package", pk->name, href);
    if (pk->z) {
        zip_int64_t ei = zip_name_locate(pk->z, href, 0);
        if (ei < 0)
            return rf_err_set(err, RF_EINVAL, "%s: href '%s' is not in the package", pk->name,
                              href);
        return zip_read(pk->z, pk->name, ei, href, out, len, err);
    }
    size_t n = strlen(pk->name) + strlen(href) + 2;
    char *path = malloc(n);
    if (!path)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    snprintf(path, n, "%s/%s", pk->name, href);
    rf_status rc = rf_file_read(path, RF_IMPORT_MAX_BYTES, out, len, err);
    free(path);
    return rc;
}

/* Every item resource of a parsed manifest, in manifest order. */
static rf_status read_manifest(const struct pkg *pk, const char *mname, xmlDoc *doc,
                               struct rf_import *im, struct rf_err *err)
{
    struct rd r = {.im = im, .name = mname};
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_el(root, "manifest"))
        return rf_err_set(err, RF_EINVAL, "%s: root element is <%s>, not <manifest>", mname,
                          root ? (const char *)root->name : "?");
    rf_status rc = RF_OK;
    size_t nitems = 0;
    for (const xmlNode *rs = root->children; rs && !rc; rs = rs->next) {
        if (!is_el(rs, "resources"))
            continue;
        for (const xmlNode *res = rs->children; res && !rc; res = res->next) {
            if (!is_el(res, "resource"))
                continue;
            char type[128], href[1024];
            prop(res, "type", type, sizeof type);
            prop(res, "href", href, sizeof href);
            if (strncmp(type, "imsqti_item_xmlv2p", 18) != 0) {
                if (strcmp(type, "webcontent") != 0)
                    note(&r, res, "resource of type '%s' (%s) not supported, skipped", type, href);
                continue;
            }
            char *idata;
            size_t ilen;
            if ((rc = pkg_read(pk, href, &idata, &ilen, err))) {
                rf_err_prefix(err, "%s:%ld", mname, xmlGetLineNo(res));
                break;
            }
            char iname[RF_ERRMSG_LEN];
            snprintf(iname, sizeof iname, "%s%s%s", pk->name, pk->z ? ":" : "/", href);
            rc = rf_qti_read_mem(iname, idata, ilen, im, err);
            free(idata);
            nitems++;
        }
    }
    if (!rc && r.rc)
        rc = rf_err_set(err, r.rc, "out of memory");
    if (!rc && nitems == 0 && rf_import_note(im, "%s: the manifest lists no QTI item resources",
                                             mname))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    return rc;
}

rf_status rf_qti_read_package_mem(const char *name, const void *data, size_t len,
                                  struct rf_import *im, struct rf_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!z) {
        rf_status rc = rf_err_set(err, RF_EINVAL, "%s: not a readable zip package: %s", name,
                                  zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    rf_status rc = RF_OK;
    char *mdata = NULL;
    size_t mlen = 0;
    xmlDoc *doc = NULL;
    char mname[RF_ERRMSG_LEN];
    snprintf(mname, sizeof mname, "%s:imsmanifest.xml", name);
    struct pkg pk = {.name = name, .z = z};
    zip_int64_t mi = zip_name_locate(z, "imsmanifest.xml", ZIP_FL_NOCASE);
    if (zip_get_num_entries(z, 0) > RF_IMPORT_MAX_ZIP_ENTRIES)
        rc = rf_err_set(err, RF_ETOOBIG, "%s: more than %d entries", name,
                        RF_IMPORT_MAX_ZIP_ENTRIES);
    else if (mi < 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: no imsmanifest.xml: not an IMS content package",
                        name);
    else if (!(rc = zip_read(z, name, mi, "imsmanifest.xml", &mdata, &mlen, err))) {
        if (!(doc = parse_xml(mname, mdata, mlen, err)))
            rc = err ? err->rc : RF_EINVAL;
        else
            rc = read_manifest(&pk, mname, doc, im, err);
    }
    if (doc)
        xmlFreeDoc(doc);
    free(mdata);
    zip_discard(z);
    return rc;
}

rf_status rf_qti_read_file(const char *path, struct rf_import *im, struct rf_err *err)
{
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_IMPORT_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        rc = rf_qti_read_package_mem(path, data, len, im, err);
    } else {
        xmlDoc *doc = parse_xml(path, data, len, err);
        if (!doc) {
            rc = err ? err->rc : RF_EINVAL;
        } else if (is_el(xmlDocGetRootElement(doc), "manifest")) {
            /* a loose package: files relative to the manifest's directory */
            char *dir = rf_strdup(path);
            if (!dir) {
                rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            } else {
                char *slash = strrchr(dir, '/');
                if (slash)
                    *slash = '\0';
                struct pkg pk = {.name = slash ? dir : ".", .z = NULL};
                rc = read_manifest(&pk, path, doc, im, err);
                free(dir);
            }
        } else {
            rc = read_doc(path, doc, im, err);
        }
        if (doc)
            xmlFreeDoc(doc);
    }
    free(data);
    return rc;
}

/* ------------------------------------------------------------------ writing */

static rf_status put_esc_n(struct rf_buf *b, const char *s, size_t n)
{
    char *t = rf_strndup(s, n);
    if (!t)
        return RF_ENOMEM;
    rf_status rc = rf_buf_put_xml(b, t);
    free(t);
    return rc;
}

/* One paragraph of bank markup (no blank lines, no fences) as XHTML inline
 * content: `code` -> <code>, **x** -> <strong>, newline -> <br/>, $math$ and
 * \$ verbatim. */
static rf_status write_inline(struct rf_buf *b, const char *s, size_t n)
{
    rf_status rc = RF_OK;
    int strong = 0;
    size_t i = 0, run = 0;
#define FLUSH()                                                                                    \
    do {                                                                                           \
        if (!rc && i > run)                                                                        \
            rc = put_esc_n(b, s + run, i - run);                                                   \
    } while (0)
    while (i < n && !rc) {
        char c = s[i];
        if (c == '\\' && i + 1 < n && s[i + 1] == '$') {
            i += 2;
        } else if (c == '`') {
            const char *e = memchr(s + i + 1, '`', n - i - 1);
            if (!e) {
                i++;
                continue;
            }
            FLUSH();
            size_t j = (size_t)(e - s);
            if (!rc)
                rc = rf_buf_puts(b, "<code>");
            if (!rc)
                rc = put_esc_n(b, s + i + 1, j - i - 1);
            if (!rc)
                rc = rf_buf_puts(b, "</code>");
            i = run = j + 1;
        } else if (c == '$') {
            size_t j = i + 1;
            while (j < n && s[j] != '$')
                j += (s[j] == '\\' && j + 1 < n) ? 2 : 1;
            i = j < n ? j + 1 : n; /* math stays verbatim */
        } else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            FLUSH();
            if (!rc)
                rc = rf_buf_puts(b, strong ? "</strong>" : "<strong>");
            strong = !strong;
            i = run = i + 2;
        } else if (c == '\n') {
            FLUSH();
            if (!rc)
                rc = rf_buf_puts(b, "<br/>");
            i = run = i + 1;
        } else {
            i++;
        }
    }
    FLUSH();
#undef FLUSH
    if (!rc && strong)
        rc = rf_buf_puts(b, "</strong>");
    return rc;
}

static int fence_line(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return n - i >= 3 && strncmp(p + i, "```", 3) == 0;
}

static int blank_line(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* Bank markup as XHTML blocks. Blank lines separate chunks; a chunk that is
 * one text run becomes <p>, one fence <pre>, and a mix a <div> of them. */
static rf_status write_blocks(struct rf_buf *b, const char *s)
{
    rf_status rc = RF_OK;
    const char *p = s;
    while (*p && !rc) {
        /* skip blank lines between chunks */
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (blank_line(p, n)) {
            p = eol ? eol + 1 : p + n;
            continue;
        }
        /* find the chunk's end: a blank line outside a fence */
        const char *q = p;
        int in_fence = 0, segs = 0, prev_text = 0;
        while (*q) {
            const char *e = strchr(q, '\n');
            size_t m = e ? (size_t)(e - q) : strlen(q);
            if (!in_fence && blank_line(q, m))
                break;
            if (fence_line(q, m)) {
                if (!in_fence)
                    segs++;
                in_fence = !in_fence;
                prev_text = 0;
            } else if (!in_fence && !prev_text) {
                segs++;
                prev_text = 1;
            }
            q = e ? e + 1 : q + m;
        }
        if (segs > 1)
            rc = rf_buf_puts(b, "<div>");
        /* emit the segments of [p, q) */
        const char *t = p;
        while (t < q && !rc) {
            const char *e = memchr(t, '\n', (size_t)(q - t));
            size_t m = e ? (size_t)(e - t) : (size_t)(q - t);
            if (fence_line(t, m)) {
                const char *lang = t;
                while (*lang == ' ' || *lang == '\t')
                    lang++;
                lang += 3;
                size_t ll = m - (size_t)(lang - t);
                while (ll && (lang[ll - 1] == ' ' || lang[ll - 1] == '\r'))
                    ll--;
                if (ll) {
                    rc = rf_buf_puts(b, "<pre class=\"language-");
                    if (!rc)
                        rc = put_esc_n(b, lang, ll);
                    if (!rc)
                        rc = rf_buf_puts(b, "\">");
                } else {
                    rc = rf_buf_puts(b, "<pre>");
                }
                const char *c0 = e ? e + 1 : q, *c = c0, *cend = q;
                while (c < q) {
                    const char *ce = memchr(c, '\n', (size_t)(q - c));
                    size_t cm = ce ? (size_t)(ce - c) : (size_t)(q - c);
                    if (fence_line(c, cm)) {
                        cend = c;
                        break;
                    }
                    c = ce ? ce + 1 : q;
                }
                size_t clen = (size_t)(cend - c0);
                if (clen && c0[clen - 1] == '\n')
                    clen--;
                if (!rc)
                    rc = put_esc_n(b, c0, clen);
                if (!rc)
                    rc = rf_buf_puts(b, "</pre>");
                /* past the closing fence line */
                if (cend < q) {
                    const char *ce = memchr(cend, '\n', (size_t)(q - cend));
                    t = ce ? ce + 1 : q;
                } else {
                    t = q;
                }
            } else {
                const char *r0 = t, *r1 = t;
                while (t < q) {
                    const char *te = memchr(t, '\n', (size_t)(q - t));
                    size_t tm = te ? (size_t)(te - t) : (size_t)(q - t);
                    if (fence_line(t, tm))
                        break;
                    r1 = t + tm;
                    t = te ? te + 1 : q;
                }
                rc = rf_buf_puts(b, "<p>");
                if (!rc)
                    rc = write_inline(b, r0, (size_t)(r1 - r0));
                if (!rc)
                    rc = rf_buf_puts(b, "</p>");
            }
        }
        if (!rc && segs > 1)
            rc = rf_buf_puts(b, "</div>");
        p = q;
    }
    return rc;
}

/* Options: plain inline content when they are one line without fences. */
static rf_status write_flow(struct rf_buf *b, const char *s)
{
    if (!strchr(s, '\n'))
        return write_inline(b, s, strlen(s));
    return write_blocks(b, s);
}

/* The metadata comment: JSON without "--" (written "-\u002d", the same string). */
static rf_status write_meta(struct rf_buf *b, const struct rf_item *it)
{
    json_t *m;
    if (rf_import_meta_of(it, &m))
        return RF_ENOMEM;
    char *js = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    json_decref(m);
    if (!js)
        return RF_ENOMEM;
    rf_status rc = rf_buf_puts(b, "<!--" META_PREFIX);
    for (const char *p = js; !rc && *p; p++) {
        if (p[0] == '-' && p[1] == '-')
            rc = rf_buf_puts(b, "-\\u002d"), p++;
        else
            rc = rf_buf_putc(b, *p);
    }
    free(js);
    if (!rc)
        rc = rf_buf_puts(b, " -->\n");
    return rc;
}

/* A number as QTI writes it: the shortest %g spelling that reads back exactly. */
static void num_text(double v, char *buf, size_t cap)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

rf_status rf_qti_write_item(const struct rf_item *it, struct rf_buf *b)
{
    if (it->type != RF_ITEM_MCQ && it->type != RF_ITEM_NUMERIC && it->type != RF_ITEM_MULTI)
        return RF_EINVAL;
    rf_status rc = rf_buf_puts(
        b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imsqti_v2p1 "
           "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd\" identifier=\"");
#define P(s)                                                                                       \
    do {                                                                                           \
        if (!rc)                                                                                   \
            rc = rf_buf_puts(b, s);                                                                \
    } while (0)
#define E(s)                                                                                       \
    do {                                                                                           \
        if (!rc)                                                                                   \
            rc = rf_buf_put_xml(b, s);                                                             \
    } while (0)
    E(it->id);
    P("\" title=\"");
    E(it->id);
    P("\" adaptive=\"false\" timeDependent=\"false\" xml:lang=\"");
    E(it->lang && it->lang[0] ? it->lang : "en");
    P("\">\n");
    if (!rc)
        rc = write_meta(b, it);
    char av[40], tv[40];
    num_text(it->answer, av, sizeof av);
    num_text(it->tolerance, tv, sizeof tv);
    if (!rc && it->type == RF_ITEM_NUMERIC) {
        rc = rf_buf_printf(b,
                           "<responseDeclaration identifier=\"RESPONSE\" cardinality=\"single\" "
                           "baseType=\"float\"><correctResponse><value>%s</value>"
                           "</correctResponse></responseDeclaration>\n",
                           av);
    } else if (!rc && it->type == RF_ITEM_MULTI) {
        /* the mapping scores max(0, keys - non-keys): +1 per key, -1 per other */
        rc = rf_buf_puts(b, "<responseDeclaration identifier=\"RESPONSE\" cardinality=\"multiple\" "
                            "baseType=\"identifier\"><correctResponse>");
        for (size_t k = 0; !rc && k < it->nkeys; k++)
            rc = rf_buf_printf(b, "<value>C%d</value>", it->keys[k]);
        P("</correctResponse><mapping lowerBound=\"0\" defaultValue=\"0\">");
        for (size_t i = 0; !rc && i < it->noptions; i++) {
            int key = 0;
            for (size_t k = 0; k < it->nkeys; k++)
                key |= it->keys[k] == (int)i;
            rc = rf_buf_printf(b, "<mapEntry mapKey=\"C%zu\" mappedValue=\"%d\"/>", i,
                               key ? 1 : -1);
        }
        P("</mapping></responseDeclaration>\n");
    } else if (!rc) {
        rc = rf_buf_printf(b,
                           "<responseDeclaration identifier=\"RESPONSE\" cardinality=\"single\" "
                           "baseType=\"identifier\"><correctResponse><value>C%d</value>"
                           "</correctResponse></responseDeclaration>\n",
                           it->key);
    }
    P("<outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\">"
      "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
      "<outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"single\" "
      "baseType=\"identifier\"/>\n<itemBody>");
    if (!rc)
        rc = write_blocks(b, it->stem);
    if (it->type == RF_ITEM_NUMERIC) {
        /* the unit has no place in QTI: it travels in the metadata comment */
        P("\n<p><textEntryInteraction responseIdentifier=\"RESPONSE\" expectedLength=\"12\"/>"
          "</p></itemBody>\n<responseProcessing><responseCondition><responseIf>");
        if (!rc)
            rc = rf_buf_printf(b,
                               "<equal toleranceMode=\"absolute\" tolerance=\"%s %s\">"
                               "<variable identifier=\"RESPONSE\"/><correct "
                               "identifier=\"RESPONSE\"/></equal>",
                               tv, tv);
    } else {
        if (!rc)
            rc = rf_buf_printf(b,
                               "\n<choiceInteraction responseIdentifier=\"RESPONSE\" "
                               "shuffle=\"false\" maxChoices=\"%zu\">\n",
                               it->type == RF_ITEM_MULTI ? (size_t)0 : (size_t)1);
        for (size_t i = 0; !rc && i < it->noptions; i++) {
            rc = rf_buf_printf(b, "<simpleChoice identifier=\"C%zu\">", i);
            if (!rc)
                rc = write_flow(b, it->options[i]);
            P("</simpleChoice>\n");
        }
        P("</choiceInteraction></itemBody>\n<responseProcessing>");
        if (it->type == RF_ITEM_MULTI)
            P("<setOutcomeValue identifier=\"SCORE\"><mapResponse identifier=\"RESPONSE\"/>"
              "</setOutcomeValue><responseCondition><responseIf><match><variable "
              "identifier=\"RESPONSE\"/><correct identifier=\"RESPONSE\"/></match>");
        else
            P("<responseCondition><responseIf><match><variable identifier=\"RESPONSE\"/><correct "
              "identifier=\"RESPONSE\"/></match>");
    }
    if (it->type == RF_ITEM_MULTI)
        P("<setOutcomeValue identifier=\"SCORE\"><mapResponse identifier=\"RESPONSE\"/>"
          "</setOutcomeValue></responseIf></responseCondition>");
    else
        P("<setOutcomeValue identifier=\"SCORE\"><baseValue baseType=\"float\">1</baseValue>"
          "</setOutcomeValue></responseIf><responseElse><setOutcomeValue identifier=\"SCORE\">"
          "<baseValue baseType=\"float\">0</baseValue></setOutcomeValue></responseElse>"
          "</responseCondition>");
    P("<setOutcomeValue identifier=\"FEEDBACK\"><baseValue baseType=\"identifier\">EXPLANATION"
      "</baseValue></setOutcomeValue></responseProcessing>\n");
    if (it->explanation && it->explanation[0]) {
        P("<modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"EXPLANATION\" "
          "showHide=\"show\">");
        if (!rc)
            rc = write_blocks(b, it->explanation);
        P("</modalFeedback>\n");
    }
    P("</assessmentItem>\n");
#undef P
#undef E
    return rc;
}

/* A file name for an item id: characters outside [A-Za-z0-9._-] become '_'. */
static void file_name(const char *id, char *out, size_t cap)
{
    size_t j = 0;
    for (; *id && j + 5 < cap; id++)
        out[j++] = ((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') ||
                    (*id >= '0' && *id <= '9') || *id == '.' || *id == '_' || *id == '-')
                       ? *id
                       : '_';
    if (j == 0 || out[0] == '.')
        out[j ? 0 : j++] = '_';
    snprintf(out + j, cap - j, ".xml");
}

static rf_status write_manifest(struct rf_buf *b, const struct rf_bank *bank, char **names)
{
    rf_status rc = rf_buf_puts(
        b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 "
           "http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd\" "
           "identifier=\"MANIFEST-rolefit\">\n"
           "<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
           "</metadata>\n<organizations/>\n<resources>\n");
    for (size_t i = 0, k = 0; !rc && i < bank->n; i++) {
        if (!names[i])
            continue;
        rc = rf_buf_printf(b, "<resource identifier=\"RES-%zu\" type=\"imsqti_item_xmlv2p1\" href=\"",
                           ++k);
        if (!rc)
            rc = rf_buf_put_xml(b, names[i]);
        if (!rc)
            rc = rf_buf_puts(b, "\"><file href=\"");
        if (!rc)
            rc = rf_buf_put_xml(b, names[i]);
        if (!rc)
            rc = rf_buf_puts(b, "\"/></resource>\n");
    }
    if (!rc)
        rc = rf_buf_puts(b, "</resources>\n</manifest>\n");
    return rc;
}

static rf_status write_to_dir(const char *dir, const char *name, const struct rf_buf *b,
                              struct rf_err *err)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    snprintf(path, n, "%s/%s", dir, name);
    rf_status rc = rf_file_write_atomic(path, b->data ? b->data : "", b->len, err);
    free(path);
    return rc;
}

rf_status rf_qti_export(const struct rf_bank *bank, const char *dest, size_t *nskipped,
                        struct rf_err *err)
{
    size_t dl = strlen(dest);
    int as_zip = dl > 4 && strcmp(dest + dl - 4, ".zip") == 0;
    *nskipped = 0;
    char **names = rf_calloc_array(bank->n ? bank->n : 1, sizeof *names);
    if (!names)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = RF_OK;
    zip_t *z = NULL;
    char *tmp = NULL;
    if (as_zip) {
        size_t tl = dl + 8;
        if (!(tmp = malloc(tl))) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            goto out;
        }
        snprintf(tmp, tl, "%s.tmp", dest);
        int zerr;
        if (!(z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &zerr))) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            rc = rf_err_set(err, RF_EIO, "%s: %s", tmp, zip_error_strerror(&ze));
            zip_error_fini(&ze);
            goto out;
        }
    } else if (mkdir(dest, 0777) != 0 && errno != EEXIST) {
        rc = rf_err_set(err, RF_EIO, "%s: cannot create directory: %s", dest, strerror(errno));
        goto out;
    }
    struct rf_buf b;
    for (size_t i = 0; !rc && i < bank->n; i++) {
        const struct rf_item *it = &bank->items[i];
        if (it->type == RF_ITEM_RUBRIC) {
            (*nskipped)++;
            continue;
        }
        char fname[RF_MAX_ID_LEN + 16];
        file_name(it->id, fname, sizeof fname);
        if (!(names[i] = rf_strdup(fname))) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            break;
        }
        rf_buf_init(&b, RF_IMPORT_MAX_BYTES);
        if ((rc = rf_qti_write_item(it, &b))) {
            rf_err_set(err, rc, "item '%s': %s", it->id, rf_strerror(rc));
        } else if (as_zip) {
            zip_source_t *s = zip_source_buffer(z, b.data, b.len, 1);
            if (!s || zip_file_add(z, fname, s, ZIP_FL_ENC_UTF_8) < 0) {
                if (s)
                    zip_source_free(s);
                rc = rf_err_set(err, RF_EIO, "%s: %s: %s", dest, fname, zip_strerror(z));
            } else {
                b.data = NULL; /* the zip owns it now */
            }
        } else {
            rc = write_to_dir(dest, fname, &b, err);
        }
        rf_buf_cleanup(&b);
    }
    if (!rc) {
        rf_buf_init(&b, RF_IMPORT_MAX_BYTES);
        if ((rc = write_manifest(&b, bank, names))) {
            rf_err_set(err, rc, "manifest: %s", rf_strerror(rc));
        } else if (as_zip) {
            zip_source_t *s = zip_source_buffer(z, b.data, b.len, 1);
            if (!s || zip_file_add(z, "imsmanifest.xml", s, ZIP_FL_ENC_UTF_8) < 0) {
                if (s)
                    zip_source_free(s);
                rc = rf_err_set(err, RF_EIO, "%s: imsmanifest.xml: %s", dest, zip_strerror(z));
            } else {
                b.data = NULL;
            }
        } else {
            rc = write_to_dir(dest, "imsmanifest.xml", &b, err);
        }
        rf_buf_cleanup(&b);
    }
    if (z) {
        if (!rc && zip_close(z) != 0) {
            rc = rf_err_set(err, RF_EIO, "%s: %s", dest, zip_strerror(z));
            zip_discard(z);
        } else if (rc) {
            zip_discard(z);
        }
        z = NULL;
        if (!rc && rename(tmp, dest) != 0)
            rc = rf_err_set(err, RF_EIO, "%s: cannot rename: %s", dest, strerror(errno));
        if (rc)
            unlink(tmp);
    }
out:
    for (size_t i = 0; i < bank->n; i++)
        free(names[i]);
    free(names);
    free(tmp);
    return rc;
}
