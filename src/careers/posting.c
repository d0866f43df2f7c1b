/*
 * The posting parser (rules in posting.h and docs/careers.md; the alias
 * dictionary is aliases.c). The text is normalized once; matching runs on a copy
 * with ASCII letters lower-cased, which has the same byte offsets, so every
 * match and every unmapped part maps back to the text as written. Japanese
 * lines are split into morphemes by MeCab (IPA dictionary): a term matches
 * only on morpheme boundaries, and the parts of speech tell a term used as a
 * modifier (機械学習を用いた…) or qualified by another noun (コスト最適化). Every
 * non-blank line of a posting ends in exactly one list: a requirement line
 * (mapped to skills or not measured) or prose (headings, description).
 */
#include "careers/posting.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mecab.h>
#include <utf8proc.h>

#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

/* ---- Japanese morphemes (MeCab with the IPA dictionary) ---- */

enum { M_OTHER = 0, M_NOUN, M_SUFFIX, M_PREFIX, M_PARTICLE, M_VERB };

struct morph {
    size_t lo, hi; /* byte range in the line */
    unsigned char pos;
    unsigned char unknown; /* not in the dictionary (a run of katakana, Latin ...) */
};

/* Per-parse MeCab state and the morphemes of the current line. */
struct ja {
    mecab_t *tagger;     /* NULL: no morphological analysis (no model) */
    mecab_lattice_t *lat;
    struct morph m[RF_POSTING_MAX_MORPHS];
    size_t n;           /* morphemes of the current line; 0 when it was not analysed */
    unsigned char start[RF_POSTING_MECAB_MAX_LINE + 1], end[RF_POSTING_MECAB_MAX_LINE + 1];
};

static unsigned char morph_pos(const char *feature)
{
    static const struct {
        const char *prefix;
        unsigned char pos;
    } map[] = {{"名詞,接尾", M_SUFFIX}, {"名詞", M_NOUN}, {"接頭詞", M_PREFIX},
               {"助詞", M_PARTICLE}, {"動詞", M_VERB}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(feature, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].pos;
    return M_OTHER;
}

/* Whether s[0..n) holds a byte outside ASCII. */
static int has_non_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* Splits line s[0..n) into morphemes and marks where a term may start and
 * end: at a morpheme boundary, anywhere in ASCII text (whose terms have their
 * own word-boundary rule) and at any character inside an unknown word (MeCab
 * keeps a run of unknown katakana as one word). Lines without Japanese text,
 * longer than RF_POSTING_MECAB_MAX_LINE or not analysed allow every position. */
static void analyse(struct ja *ja, const char *s, size_t n)
{
    ja->n = 0;
    if (!ja->tagger || n > RF_POSTING_MECAB_MAX_LINE || !has_non_ascii(s, n))
        return;
    mecab_lattice_set_sentence2(ja->lat, s, n);
    if (!mecab_parse_lattice(ja->tagger, ja->lat))
        return;
    for (const mecab_node_t *nd = mecab_lattice_get_bos_node(ja->lat); nd; nd = nd->next) {
        if (nd->stat == MECAB_BOS_NODE || nd->stat == MECAB_EOS_NODE || nd->length == 0)
            continue;
        if (ja->n == RF_POSTING_MAX_MORPHS) {
            ja->n = 0; /* too many to trust: fall back to plain matching */
            return;
        }
        size_t lo = (size_t)(nd->surface - s);
        if (lo + nd->length > n)
            continue;
        ja->m[ja->n++] = (struct morph){lo, lo + nd->length, morph_pos(nd->feature),
                                        nd->stat == MECAB_UNK_NODE};
    }
    memset(ja->start, 0, n + 1);
    memset(ja->end, 0, n + 1);
    for (size_t i = 0; i <= n; i++)
        if (i == n || (unsigned char)s[i] < 0x80 || (i > 0 && (unsigned char)s[i - 1] < 0x80))
            ja->start[i] = ja->end[i] = 1;
    for (size_t k = 0; k < ja->n; k++) {
        const struct morph *m = &ja->m[k];
        ja->start[m->lo] = ja->end[m->hi] = 1;
        if (m->unknown)
            for (size_t i = m->lo; i < m->hi; i++)
                if (((unsigned char)s[i] & 0xC0) != 0x80)
                    ja->start[i] = ja->end[i] = 1;
    }
}

static int ja_ok(const struct ja *ja, size_t lo, size_t hi)
{
    return ja->n == 0 || (ja->start[lo] && ja->end[hi]);
}

/* Index of the morpheme that ends at byte e (-1: none), or starts at byte s. */
static long morph_ending(const struct ja *ja, size_t e)
{
    for (size_t k = 0; k < ja->n; k++)
        if (ja->m[k].hi == e)
            return (long)k;
    return -1;
}

static long morph_starting(const struct ja *ja, size_t s)
{
    for (size_t k = 0; k < ja->n; k++)
        if (ja->m[k].lo == s)
            return (long)k;
    return -1;
}

/* ---- matching ---- */

struct match {
    size_t lo, hi; /* byte range in the line */
    const struct rf_alias *a;
    int skip;      /* a modifier or qualified head (see filter_matches) */
};

/* Leftmost-longest alias matches of folded line f[0..n) into m (capacity
 * cap); returns the count. A term that begins (ends) with an ASCII letter or
 * digit must begin (end) at a word boundary; in Japanese text a term must
 * begin and end at morpheme boundaries. */
static size_t find_matches(const struct rf_aliases *al, const struct ja *ja, const char *f,
                           size_t n, struct match *m, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        unsigned char c = (unsigned char)f[i];
        const struct rf_alias *hit = NULL;
        if ((c & 0xC0) != 0x80 && !(rf_aliases_is_alnum(c) && i > 0 && rf_aliases_is_alnum((unsigned char)f[i - 1]))) {
            for (size_t j = al->start[c]; j < al->start[c + 1]; j++) {
                const struct rf_alias *a = &al->a[j];
                if (a->len > n - i || memcmp(f + i, a->key, a->len) != 0)
                    continue;
                if (rf_aliases_is_alnum((unsigned char)a->key[a->len - 1]) && i + a->len < n &&
                    rf_aliases_is_alnum((unsigned char)f[i + a->len]))
                    continue;
                if (ja && !ja_ok(ja, i, i + a->len))
                    continue;
                hit = a;
                break;
            }
        }
        if (hit) {
            m[k] = (struct match){i, i + hit->len, hit, 0};
            k++;
            i += hit->len;
        } else {
            i++;
        }
    }
    return k;
}

/* Whether folded text s (n bytes) contains word w at a word boundary when w
 * starts/ends with a letter. */
static int has_word(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        if (memcmp(s + i, w, wl) != 0)
            continue;
        if (rf_aliases_is_alnum((unsigned char)w[0]) && i > 0 && rf_aliases_is_alnum((unsigned char)s[i - 1]))
            continue;
        if (rf_aliases_is_alnum((unsigned char)w[wl - 1]) && i + wl < n && rf_aliases_is_alnum((unsigned char)s[i + wl]))
            continue;
        return 1;
    }
    return 0;
}

/* Like has_word, but w may be the start of a longer word ("proficien"). */
static int has_stem(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++)
        if (memcmp(s + i, w, wl) == 0 &&
            !(rf_aliases_is_alnum((unsigned char)w[0]) && i > 0 && rf_aliases_is_alnum((unsigned char)s[i - 1])))
            return 1;
    return 0;
}

static int any_word(const char *s, size_t n, const char *const *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        if (has_word(s, n, w[i]))
            return 1;
    return 0;
}

static int any_stem(const char *s, size_t n, const char *const *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        if (has_stem(s, n, w[i]))
            return 1;
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Words after a generic term that keep it the object of the requirement
 * ("machine learning fundamentals", "ML and statistics"), and words before a
 * head term that do not make it a different compound ("strong optimization"). */
static const char *const keep_after[] = {
    "and", "or", "with", "in", "to", "for", "of", "at", "on", "such", "including", "like",
    "is", "are", "fundamentals", "fundamental", "theory", "knowledge", "concepts", "principles",
    "techniques", "methods", "algorithms", "expertise", "skills", "experience", "background",
    "basics", "foundations", "research", "e", "etc", "from", "as", "using", "via",
};
static const char *const keep_before[] = {
    "a", "an", "the", "of", "in", "on", "for", "with", "and", "or", "to", "at", "by", "from",
    "as", "including", "like", "such", "strong", "solid", "deep", "good", "basic", "advanced",
    "experience", "knowledge", "expertise", "background", "familiarity", "understanding",
    "applied", "in-depth", "e", "g", "i",
};

/* The ASCII word of f[0..n) that starts at or after i (skipping blanks and
 * hyphens), as [*lo, *hi); 0 when the next character is not a letter. */
static int next_word(const char *f, size_t n, size_t i, size_t *lo, size_t *hi)
{
    while (i < n && (f[i] == ' ' || f[i] == '-'))
        i++;
    if (i >= n || !isalpha((unsigned char)f[i]))
        return 0;
    *lo = i;
    while (i < n && (isalnum((unsigned char)f[i]) || f[i] == '\''))
        i++;
    *hi = i;
    return 1;
}

static int prev_word(const char *f, size_t i, size_t *lo, size_t *hi)
{
    while (i > 0 && (f[i - 1] == ' ' || f[i - 1] == '-'))
        i--;
    if (i == 0 || !isalpha((unsigned char)f[i - 1]))
        return 0;
    *hi = i;
    while (i > 0 && (isalnum((unsigned char)f[i - 1]) || f[i - 1] == '\''))
        i--;
    *lo = i;
    return 1;
}

static int word_in(const char *f, size_t lo, size_t hi, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == hi - lo && memcmp(f + lo, list[i], hi - lo) == 0)
            return 1;
    return 0;
}

static int covered(const struct match *m, size_t nm, size_t lo, size_t hi)
{
    for (size_t i = 0; i < nm; i++)
        if (m[i].lo < hi && lo < m[i].hi)
            return 1;
    return 0;
}

/* A generic term used as a modifier: "ML" in "top ML venues", 機械学習 in
 * 機械学習を用いたサービス or 機械学習モデル. */
static int is_modifier_use(const struct ja *ja, const char *f, size_t n, const struct match *x)
{
    size_t lo, hi;
    /* "pipelines for machine learning": the purpose of something else. */
    if (prev_word(f, x->lo, &lo, &hi) && hi - lo == 3 && memcmp(f + lo, "for", 3) == 0)
        return 1;
    if (!(x->a->key[x->a->len - 1] & 0x80))
        return next_word(f, n, x->hi, &lo, &hi) &&
               !word_in(f, lo, hi, keep_after, NELEM(keep_after));
    long k = morph_starting(ja, x->hi);
    if (k < 0)
        return 0;
    const struct morph *nx = &ja->m[k];
    if (nx->pos == M_NOUN || nx->pos == M_SUFFIX || (n - nx->lo >= 6 && memcmp(f + nx->lo, "向け", 6) == 0))
        return 1;
    /* 機械学習を用いた / を活用した / による; not 機械学習に関する (about ML). */
    static const char *const about[] = {"関する", "関し", "関わる", "ついて"};
    if (nx->pos == M_PARTICLE)
        for (size_t j = (size_t)k + 1; j < ja->n && j <= (size_t)k + 2; j++) {
            const struct morph *v = &ja->m[j];
            if (v->pos != M_VERB)
                continue;
            for (size_t a = 0; a < NELEM(about); a++)
                if (v->hi - v->lo <= strlen(about[a]) &&
                    memcmp(f + v->lo, about[a], v->hi - v->lo) == 0)
                    return 0;
            return 1;
        }
    return 0;
}

/* A head term qualified by a noun that names no skill: "cost optimization",
 * コスト最適化, 広告配信最適化. */
static int is_qualified_head(const struct ja *ja, const char *f, const struct match *m, size_t nm,
                             const struct match *x)
{
    size_t lo, hi;
    if (!(x->a->key[0] & 0x80))
        return prev_word(f, x->lo, &lo, &hi) &&
               !word_in(f, lo, hi, keep_before, NELEM(keep_before)) && !covered(m, nm, lo, hi);
    long k = morph_ending(ja, x->lo);
    if (k < 0)
        return 0;
    /* The noun just before: a term ending right there qualifies it as a skill
     * (数理最適化 is one term anyway); any other noun makes a different compound. */
    const struct morph *pv = &ja->m[k];
    return (pv->pos == M_NOUN || pv->pos == M_PREFIX) && !covered(m, nm, x->lo - 1, x->lo);
}

static const char *const degree_en[] = {"phd",      "ph.d",      "doctorate", "doctoral",
                                         "master's", "masters",   "master",    "msc",
                                         "bachelor's", "bachelor", "bachelors", "bsc",
                                         "degree"};
static const char *const degree_ja[] = {"博士", "修士", "学士", "学位", "専攻", "大学院"};
static const char *const phd_en[] = {"phd", "ph.d", "doctorate", "doctoral"};
static const char *const lower_en[] = {"master's", "masters", "master", "ms",  "m.s", "msc",
                                       "bachelor's", "bachelor", "bachelors", "bs", "b.s", "bsc"};
static const char *const lower_ja[] = {"修士", "学士", "専攻"};

/* Marks the matches that name no requirement of their own:
 * - a generic term (aliases "modifiers") used as a modifier, when the line
 *   names another skill;
 * - a head term (aliases "heads") qualified by a noun that names no skill;
 * - on a degree line, the subjects of the degree ("PhD in statistics", 統計学
 *   などを専攻); a PhD asked for alone is evidence of research practice, one
 *   next to a lower degree is not;
 * - on a line asking for a human language, the communication terms of
 *   product_stakeholder (people): the language is what is asked. */
static const char *const human_languages[] = {
    "english", "japanese", "german", "french", "spanish", "mandarin", "chinese", "korean",
    "portuguese", "bilingual", "jlpt", "toeic", "英語", "日本語", "中国語", "韓国語", "語学",
    "ビジネスレベル",
};

static void filter_matches(const struct ja *ja, const char *f, size_t n, struct match *m,
                           size_t nm, size_t research, size_t people)
{
    /* "英語でのコミュニケーション能力", "fluent English communication": a
     * language asked for, not stakeholder work. */
    if (any_stem(f, n, human_languages, NELEM(human_languages)))
        for (size_t i = 0; i < nm; i++)
            if (m[i].a->skill == people)
                m[i].skip = 1;
    for (size_t i = 0; i < nm; i++)
        if ((m[i].a->flags & RF_ALIAS_HEAD) && is_qualified_head(ja, f, m, nm, &m[i]))
            m[i].skip = 1;
    for (size_t i = 0; i < nm; i++) {
        if (!(m[i].a->flags & RF_ALIAS_MODIFIER) || !is_modifier_use(ja, f, n, &m[i]))
            continue;
        for (size_t j = 0; j < nm; j++)
            if (!m[j].skip && !(m[j].a->flags & RF_ALIAS_MODIFIER) &&
                m[j].a->skill != m[i].a->skill)
                m[i].skip = 1;
    }
    if (!any_word(f, n, degree_en, NELEM(degree_en)) && !any_stem(f, n, degree_ja, NELEM(degree_ja)))
        return;
    int phd = any_word(f, n, phd_en, NELEM(phd_en)) || has_stem(f, n, "博士");
    int lower = !phd || any_word(f, n, lower_en, NELEM(lower_en)) ||
                any_stem(f, n, lower_ja, NELEM(lower_ja));
    for (size_t i = 0; i < nm; i++)
        if (m[i].a->skill != research || lower)
            m[i].skip = 1;
}

/* ---- requirement levels and OR-groups ---- */

static const char *const or_markers[] = {
    "or",     "/",      "または", "もしくは", "あるいは", "又は",  "いずれか",
    "など",   "such as", "e.g.",  "for example", "etc",   "any of", "one of", "either",
};

static const char *const advanced_cues[] = {
    "expert", "expertise", "deep understanding", "deep knowledge", "deep experience",
    "extensive", "advanced", "mastery", "in-depth", "深い", "豊富", "高度", "精通", "エキスパート",
};

static const char *const basic_cues[] = {
    "basic", "familiarity", "familiar with", "exposure", "awareness", "interest in",
    "基礎", "基本的", "興味", "触れた",
};

/* Years of experience in the item ("5+ years", "5 years", "3年以上"), or 0. */
static unsigned years(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) || (i > 0 && isdigit((unsigned char)s[i - 1])))
            continue;
        unsigned y = 0;
        size_t j = i;
        while (j < n && isdigit((unsigned char)s[j]) && y < 100)
            y = y * 10 + (unsigned)(s[j++] - '0');
        while (j < n && (s[j] == '+' || s[j] == ' '))
            j++;
        if ((n - j >= 4 && memcmp(s + j, "year", 4) == 0) ||
            (n - j >= 3 && memcmp(s + j, "年", 3) == 0))
            return y;
    }
    return 0;
}

static size_t item_level(const char *f, size_t n)
{
    unsigned y = years(f, n);
    if (y >= RF_POSTING_YEARS_ADVANCED)
        return 3;
    if (any_word(f, n, advanced_cues, NELEM(advanced_cues)))
        return 3;
    if (any_word(f, n, basic_cues, NELEM(basic_cues)))
        return 1;
    return 2;
}

/* ---- headings and the wording of lines ---- */

/* What a heading announces: requirements, preferred ones, description
 * (duties, company, benefits) or something the reader does not know, whose
 * block is then read line by line. */
enum block { B_NONE = 0, B_REQUIRED, B_PREFERRED, B_PROSE, B_UNKNOWN };

static const char *const preferred_kw[] = {
    "preferred", "nice to have", "nice-to-have", "nice-to-haves", "bonus", "plus", "desirable",
    "desired", "optional", "even better", "extra credit", "great if", "would be great",
    "ideally", "want", "歓迎", "尚可", "あれば", "望ましい", "優遇",
};

static const char *const required_kw[] = {
    "requirement", "requirements", "required", "must", "must have", "must-have", "must haves",
    "qualification", "qualifications", "what you need", "you'll need", "you will need",
    "you need", "you have", "you bring", "who you are", "about you", "looking for", "skills",
    "experience", "必須", "応募資格", "応募条件", "応募要件", "必要", "求め", "スキル", "経験",
    "人物像", "資格", "要件",
};

static const char *const prose_kw[] = {
    "what you'll do", "what you will do", "you'll do", "you will do", "work on", "responsibility",
    "responsibilities", "the role", "about", "who we are", "benefits", "benefit", "perks",
    "we offer", "compensation", "salary", "why join", "the team", "mission", "day to day",
    "in this role", "duties", "company", "own", "業務", "仕事", "お任せ", "会社", "概要",
    "紹介", "について", "待遇", "福利厚生", "勤務", "働き方", "募集背景", "魅力", "給与",
    "年収", "職種", "背景",
};

static enum block classify(const char *f, size_t n)
{
    if (any_word(f, n, preferred_kw, NELEM(preferred_kw)))
        return B_PREFERRED;
    if (any_word(f, n, required_kw, NELEM(required_kw)))
        return B_REQUIRED;
    if (any_word(f, n, prose_kw, NELEM(prose_kw)))
        return B_PROSE;
    return B_UNKNOWN;
}

/* Wording that asks something of the candidate. */
static const char *const ask_stems[] = {
    "experience", "year", "proficien", "knowledge", "familiar", "understand", "background",
    "degree", "phd", "ability", "able to", "skill", "expertise", "track record", "fluen",
    "comfort", "strong", "solid", "hands-on", "exposure", "you have", "you've", "you are",
    "you can", "grasp", "curiosity", "proven", "must", "coursework", "shipped", "built",
    "worked", "a plus", "certifi", "working knowledge", "good ", "excellent", "deep ",
    "経験", "知識", "理解", "スキル", "能力", "知見", "実装力", "資格", "学位", "専攻", "以上",
    "できる方", "ある方", "お持ちの方", "読解", "力", "こと", "方",
};

/* A duty: a line that starts with a verb of work ("Build ...", "You will
 * ...") or, in Japanese, ends with one (…の開発, …の改善). */
static const char *const duty_verbs[] = {
    "build", "design", "own", "run", "develop", "work", "partner", "lead", "mentor", "drive",
    "ship", "train", "deploy", "maintain", "improve", "create", "define", "write", "help",
    "support", "answer", "review", "collaborate", "present", "bring", "decide", "keep",
    "advise", "optimize", "optimise", "evaluate", "take", "manage", "publish", "co-author",
    "establish", "implement", "analyze", "analyse", "conduct", "contribute", "identify",
    "translate", "architect", "scale", "automate", "monitor", "join", "report",
    "prototype", "investigate", "explore", "apply", "measure", "turn", "make", "use", "spend",
    "you'll", "we", "our",
};
static const char *const duty_ends_ja[] = {
    "開発", "構築", "改善", "運用", "設計", "推進", "策定", "対応", "作成", "整備", "報告",
    "参加", "発表", "提案", "調査", "立案", "展開", "レビュー", "検証", "公開", "担当", "研究",
    "分析", "実施", "管理", "支援", "導入", "評価", "最適化", "仕様化", "発見", "立ち上げ",
};
static const char *const prose_words[] = {"we", "we're", "we'll", "our", "us", "当社", "私たち",
                                          "弊社"};

/* Trailing blanks and punctuation that do not change a line's wording. */
static size_t end_of_words(const char *f, size_t n)
{
    static const char *const tails[] = {"。", ".", ")", "」", "!", " "};
    for (int again = 1; again && n > 0;) {
        again = 0;
        for (size_t i = 0; i < NELEM(tails); i++) {
            size_t l = strlen(tails[i]);
            if (n >= l && memcmp(f + n - l, tails[i], l) == 0) {
                n -= l;
                again = 1;
            }
        }
    }
    return n;
}

static int ends_with(const char *f, size_t n, const char *w)
{
    size_t l = strlen(w);
    return n >= l && memcmp(f + n - l, w, l) == 0;
}

static int is_duty(const char *f, size_t n)
{
    size_t lo, hi;
    if (next_word(f, n, 0, &lo, &hi) && lo == 0 &&
        (word_in(f, lo, hi, duty_verbs, NELEM(duty_verbs)) || has_stem(f, n < 9 ? n : 9, "you will")))
        return 1;
    size_t e = end_of_words(f, n);
    for (size_t i = 0; i < NELEM(duty_ends_ja); i++)
        if (ends_with(f, e, duty_ends_ja[i]))
            return 1;
    return 0;
}

static int asks(const char *f, size_t n)
{
    size_t e = end_of_words(f, n);
    for (size_t i = 0; i < NELEM(ask_stems); i++) {
        const char *w = ask_stems[i];
        /* The short Japanese endings count only at the end: 力, こと, 方. */
        if (strcmp(w, "力") == 0 || strcmp(w, "こと") == 0 || strcmp(w, "方") == 0) {
            if (ends_with(f, e, w))
                return 1;
        } else if (has_stem(f, n, w)) {
            return 1;
        }
    }
    return 0;
}

static int is_prose_wording(const char *f, size_t n)
{
    return any_word(f, n, prose_words, NELEM(prose_words));
}

static const char *const preferred_cues[] = {
    "a plus", "is a plus", "bonus", "nice to have", "nice-to-have", "preferred", "ideally",
    "desirable", "歓迎", "尚可", "あれば", "望ましい", "優遇",
};

/* Leading bullet or number of a line: returns the bytes it takes (0: none). */
static size_t bullet_len(const char *s, size_t n)
{
    static const char *const marks[] = {"-", "*", "+", "•", "・", "●", "○", "◦", "▪", "▶",
                                        "◆", "◇", "★", "☆", "✓", "✔", "■", "□", "※", "〇"};
    for (size_t i = 0; i < NELEM(marks); i++) {
        size_t l = strlen(marks[i]);
        if (n >= l && memcmp(s, marks[i], l) == 0 && !(l == 1 && n > 1 && s[1] == s[0]))
            return l;
    }
    size_t i = 0;
    if (n > 0 && s[0] == '(')
        i = 1;
    size_t d = i;
    while (d < n && isdigit((unsigned char)s[d]) && d - i < 3)
        d++;
    if (d > i && d < n && (s[d] == '.' || s[d] == ')') && (d + 1 == n || s[d + 1] == ' '))
        return d + 1;
    return 0;
}

/* Trims blanks and Markdown emphasis from [*lo, *hi) of s. */
static void trim(const char *s, size_t *lo, size_t *hi)
{
    for (;;) {
        while (*lo < *hi && (s[*lo] == ' ' || s[*lo] == '\t'))
            (*lo)++;
        while (*hi > *lo && (s[*hi - 1] == ' ' || s[*hi - 1] == '\t'))
            (*hi)--;
        if (*hi - *lo >= 2 && (s[*lo] == '*' || s[*lo] == '_') && s[*lo + 1] == s[*lo]) {
            *lo += 2;
            continue;
        }
        if (*hi - *lo >= 2 && (s[*hi - 1] == '*' || s[*hi - 1] == '_') && s[*hi - 2] == s[*hi - 1]) {
            *hi -= 2;
            continue;
        }
        return;
    }
}

/* Characters (code points) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Recognizes a heading line; returns 1 and its block class through *cls, or
 * 0 when the line is not a heading. *rest receives the offset of text after
 * an inline heading ("必須: Python", "Requirements: SQL"), else hi. A line
 * is a heading when it is a Markdown heading, bracketed (【…】, <…>, […]),
 * boxed and short (■…, ◎…), ends in ":" (not a bullet), or is short, names
 * no skill and either has a heading word or introduces a list (next_bullet). */
static int heading(const struct rf_aliases *al, const char *f, size_t lo, size_t hi, int bullet,
                   int next_bullet, enum block *cls, size_t *rest)
{
    *rest = hi;
    size_t a = lo, b = hi;
    struct match m[1];
    if (f[a] == '#') {
        while (a < b && f[a] == '#')
            a++;
        trim(f, &a, &b);
        *cls = classify(f + a, b - a);
        return 1;
    }
    static const char *const boxes[] = {"■", "□", "◆", "◇", "●", "▼", "★", "☆", "◎", "▶"};
    int boxed = 0;
    for (size_t i = 0; i < NELEM(boxes); i++) {
        size_t l = strlen(boxes[i]);
        if (b - a >= l && memcmp(f + a, boxes[i], l) == 0) {
            a += l;
            boxed = 1;
            break;
        }
    }
    static const char *const open[] = {"【", "<", "[", "〈", "《", "〔"};
    static const char *const close[] = {"】", ">", "]", "〉", "》", "〕"};
    for (size_t i = 0; i < NELEM(open); i++) {
        size_t ol = strlen(open[i]), cl = strlen(close[i]);
        if (b - a < ol + cl || memcmp(f + a, open[i], ol) != 0)
            continue;
        const char *c = memmem(f + a + ol, b - a - ol, close[i], cl);
        if (!c || (size_t)(c - f) - a > RF_POSTING_HEADING_MAX)
            continue;
        size_t ci = (size_t)(c - f);
        *cls = classify(f + a + ol, ci - a - ol);
        size_t r = ci + cl;
        trim(f, &r, &b);
        *rest = r;
        /* "[Python]" alone is not a heading; "【必須】Python" is one with its item. */
        if (*cls == B_UNKNOWN && r < b)
            return 0;
        if (*cls != B_REQUIRED && *cls != B_PREFERRED)
            *rest = hi;
        return 1;
    }
    trim(f, &a, &b);
    if (b == a)
        return 0;
    if (f[b - 1] == ':' && !bullet && chars(f + a, b - a) <= RF_POSTING_HEADING_MAX) {
        *cls = classify(f + a, b - a - 1);
        return 1;
    }
    if (bullet && !boxed)
        return 0;
    /* Inline heading: "Requirements: Python, SQL", "必須: Python". */
    const char *colon = memchr(f + a, ':', b - a);
    if (colon && chars(f + a, (size_t)(colon - f) - a) <= RF_POSTING_HEADING_MAX / 2 &&
        !find_matches(al, NULL, f + a, (size_t)(colon - f) - a, m, 1)) {
        enum block s = classify(f + a, (size_t)(colon - f) - a);
        if (s == B_REQUIRED || s == B_PREFERRED) {
            *cls = s;
            size_t r = (size_t)(colon - f) + 1;
            trim(f, &r, &b);
            *rest = r;
            return 1;
        }
    }
    /* A short line that names no skill: a heading when boxed, when it has a
     * heading word, or when a list follows it. "Strong Python skills" is no
     * heading (it names a term). */
    if (chars(f + a, b - a) > RF_POSTING_HEADING_MAX / 2 + (next_bullet ? 20 : 0) ||
        find_matches(al, NULL, f + a, b - a, m, 1))
        return 0;
    enum block s = classify(f + a, b - a);
    size_t e = end_of_words(f + a, b - a);
    int sentence = e < b - a || memchr(f + a, ',', b - a) != NULL;
    if (boxed || (s != B_UNKNOWN && (!sentence || next_bullet)) || (next_bullet && !sentence)) {
        *cls = s;
        return 1;
    }
    return 0;
}

/* ---- building the result ---- */

struct builder {
    const char *name;
    const struct rf_aliases *al;
    const struct rf_taxonomy *tax;
    struct rf_parsed_posting *p;
    size_t cap_reqs, cap_un, cap_lines, cap_prose;
    size_t pos[3]; /* requirement lines seen per section */
    size_t research; /* index of research_practice, or (size_t)-1 */
    size_t people;   /* index of product_stakeholder, or (size_t)-1 */
    struct ja *ja;
    struct rf_err *err;
};

static rf_status grow(struct builder *b, void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return RF_OK;
    size_t nc = *cap ? 2 * *cap : 16;
    void *na = rf_realloc_array(*arr, nc, size);
    if (!na)
        return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
    *arr = na;
    *cap = nc;
    return RF_OK;
}

static rf_status add_unmapped(struct builder *b, enum rf_section sec, size_t line, const char *s,
                              size_t n)
{
    struct rf_parsed_posting *p = b->p;
    if (p->nunmapped >= RF_POSTING_MAX_UNMAPPED) {
        p->dropped++;
        return RF_OK;
    }
    rf_status rc = grow(b, (void **)&p->unmapped, &b->cap_un, p->nunmapped, sizeof *p->unmapped);
    if (rc)
        return rc;
    char *t = rf_strndup(s, n);
    if (!t)
        return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
    p->unmapped[p->nunmapped++] = (struct rf_posting_unmapped){sec, line, t};
    return RF_OK;
}

static rf_status add_prose(struct builder *b, size_t line)
{
    struct rf_parsed_posting *p = b->p;
    if (p->nprose >= RF_POSTING_MAX_LINES) {
        p->dropped++;
        return RF_OK;
    }
    rf_status rc = grow(b, (void **)&p->prose, &b->cap_prose, p->nprose, sizeof *p->prose);
    if (!rc)
        p->prose[p->nprose++] = line;
    return rc;
}

static double position_weight(enum rf_section sec, size_t pos)
{
    if (sec == RF_SEC_PREFERRED)
        return RF_POSTING_W_PREFERRED;
    return pos <= 2 ? RF_POSTING_W_TOP : pos == 3 ? RF_POSTING_W_THIRD : RF_POSTING_W_REST;
}

/* Appends s[0..n) to buf (capacity RF_POSTING_LABEL_MAX + 1) unless it would
 * not fit; returns 0 then. */
static int put(char *buf, const char *s, size_t n)
{
    size_t l = strlen(buf);
    if (l + n > RF_POSTING_LABEL_MAX)
        return 0;
    memcpy(buf + l, s, n);
    buf[l + n] = '\0';
    return 1;
}

/* Whether term t (n bytes) is already a part of buf[from..] (ASCII case
 * ignored): a part starts after "(", " " or from and ends at ",", ")" or the
 * end. */
static int named(const char *buf, size_t from, const char *t, size_t n)
{
    size_t l = strlen(buf);
    for (size_t i = from; i + n <= l; i++)
        if (strncasecmp(buf + i, t, n) == 0 && (i == from || buf[i - 1] == ' ' || buf[i - 1] == '(') &&
            (buf[i + n] == '\0' || buf[i + n] == ',' || buf[i + n] == ')'))
            return 1;
    return 0;
}

/* The label of a requirement. One skill named by its terms: "Python",
 * "Kubernetes, Docker". An OR-group: each skill's name with the terms that
 * named it in parentheses, "Deep learning (PyTorch or TensorFlow)",
 * "確率・統計 (統計学) または 機械学習の基礎 (機械学習)" (a line in Japanese
 * names its skills in Japanese); a term that is the skill's own name is not
 * repeated. */
static char *make_label(const struct builder *b, const size_t *sk, size_t nsk, const char *disp,
                        const struct match *m, size_t nm, int or_group, const char *item,
                        size_t item_len)
{
    char buf[RF_POSTING_LABEL_MAX + 1] = "";
    /* a requirement written in Japanese names its skills in Japanese (where
     * the taxonomy has the name), so the posting's page reads in one language */
    int ja = 0;
    for (size_t i = 0; i < item_len && !ja; i++)
        ja = (unsigned char)item[i] >= 0xe3 && (unsigned char)item[i] <= 0xe9; /* kana, CJK */
    const char *or_word = ja ? " または " : " or ";
    for (size_t j = 0; j < nsk; j++) {
        const struct rf_skill *skill = &b->tax->skills[sk[j]];
        const char *sname = ja && skill->name_ja ? skill->name_ja : skill->name;
        size_t start = strlen(buf);
        if (or_group &&
            !((j == 0 || put(buf, or_word, strlen(or_word))) && put(buf, sname, strlen(sname))))
            break;
        size_t inner = 0, mark = strlen(buf);
        for (size_t i = 0; i < nm; i++) {
            if (m[i].skip || m[i].a->skill != sk[j])
                continue;
            const char *t = disp + m[i].lo;
            size_t tl = m[i].hi - m[i].lo;
            if ((or_group && strlen(sname) == tl && strncasecmp(sname, t, tl) == 0) ||
                named(buf, or_group ? mark : start, t, tl))
                continue;
            const char *sep = inner ? ", " : (or_group ? " (" : (j ? ", " : ""));
            if (!put(buf, sep, strlen(sep)) || !put(buf, t, tl))
                break;
            inner++;
        }
        if (or_group && inner)
            put(buf, ")", 1);
    }
    return rf_strdup(buf);
}

static int same_skills(const struct rf_posting_req *r, const size_t *sk, size_t n)
{
    if (r->nskills != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < n && r->skills[j] != sk[i])
            j++;
        if (j == n)
            return 0;
    }
    return 1;
}

/* Adds one requirement (or merges it into an identical earlier one: the
 * first mention names it, required wins over preferred, the larger weight
 * counts; the line record keeps the later line visible). */
static rf_status add_req(struct builder *b, enum rf_section sec, size_t line, size_t level,
                         const size_t *sk, size_t nsk, const char *disp, const struct match *m,
                         size_t nm, int or_group, const char *item, size_t item_len)
{
    struct rf_parsed_posting *p = b->p;
    double w = position_weight(sec, b->pos[sec]);
    for (size_t i = 0; i < p->nreqs; i++) {
        struct rf_posting_req *r = &p->reqs[i];
        if (r->level == level && same_skills(r, sk, nsk)) {
            if (sec == RF_SEC_REQUIRED)
                r->section = RF_SEC_REQUIRED;
            if (w > r->weight)
                r->weight = w;
            return RF_OK;
        }
    }
    if (p->nreqs >= RF_POSTING_MAX_REQS) {
        p->dropped++;
        return RF_OK;
    }
    rf_status rc = grow(b, (void **)&p->reqs, &b->cap_reqs, p->nreqs, sizeof *p->reqs);
    if (rc)
        return rc;
    struct rf_posting_req *r = &p->reqs[p->nreqs];
    memset(r, 0, sizeof *r);
    r->section = sec;
    r->position = b->pos[sec];
    r->line = line;
    r->weight = w;
    r->level = level;
    memcpy(r->skills, sk, nsk * sizeof *sk);
    r->nskills = nsk;
    r->text = rf_strndup(item, item_len);
    r->label = make_label(b, sk, nsk, disp, m, nm, or_group, item, item_len);
    p->nreqs++;
    if (!r->text || !r->label)
        return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
    return RF_OK;
}

static int is_sep_at(const char *s, size_t n, size_t i, size_t *len)
{
    static const char *const seps[] = {",", ";", "、", "/", "・", "(", ")", "&", "。", "「", "」",
                                       ":", " or ", " and ", "または", "もしくは", "あるいは",
                                       "又は", "および", "及び", " as well as ", " including "};
    for (size_t k = 0; k < NELEM(seps); k++) {
        size_t l = strlen(seps[k]);
        if (l <= n - i && memcmp(s + i, seps[k], l) == 0) {
            *len = l;
            return 1;
        }
    }
    return 0;
}

static const char *const filler[] = {
    "etc", "etc.", "e.g.", "e.g", "eg", "and", "or", "such as", "including", "など", "等",
    "経験", "の経験", "実務経験", "の実務経験", "使用経験", "の使用経験", "知識", "の知識", "能力",
};

/* Whether the part s[0..n) is a fragment of the sentence around it rather
 * than something asked for: a word that only points back ("similar",
 * "others": "Spark, Airflow or similar") or a phrase led by a possessive
 * pronoun ("their pitfalls", "its biases": what a listed term has). */
static int fragment(const char *s, size_t n)
{
    static const char *const alone[] = {"similar", "others", "other", "the like", "alike",
                                        "related", "equivalent", "comparable", "so on", "more"};
    static const char *const lead[] = {"their ", "its ", "our ", "your ", "his ", "her "};
    for (size_t k = 0; k < NELEM(alone); k++)
        if (strlen(alone[k]) == n && strncasecmp(s, alone[k], n) == 0)
            return 1;
    for (size_t k = 0; k < NELEM(lead); k++)
        if (strlen(lead[k]) < n && strncasecmp(s, lead[k], strlen(lead[k])) == 0)
            return 1;
    return 0;
}

/* Lists the parts of an item between separators that hold no term. */
static rf_status unmapped_parts(struct builder *b, enum rf_section sec, size_t line,
                                const char *disp, const char *blank, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n;) {
        size_t sl = 0;
        if (i < n && !is_sep_at(blank, n, i, &sl)) {
            i++;
            continue;
        }
        size_t lo = start, hi = i;
        int has_term = 0;
        for (size_t k = lo; k < hi; k++)
            has_term |= blank[k] == '\x01';
        trim(disp, &lo, &hi);
        while (hi > lo && strchr(".:;-", disp[hi - 1]))
            hi--;
        int content = 0;
        for (size_t k = lo; k < hi; k++)
            content |= rf_aliases_is_alnum((unsigned char)disp[k]) || (unsigned char)disp[k] >= 0x80;
        int is_filler = 0;
        for (size_t k = 0; k < NELEM(filler); k++)
            is_filler |= strlen(filler[k]) == hi - lo && strncasecmp(disp + lo, filler[k], hi - lo) == 0;
        if (!has_term && content && !is_filler && hi - lo >= 2 && !fragment(disp + lo, hi - lo)) {
            rf_status rc = add_unmapped(b, sec, line, disp + lo, hi - lo);
            if (rc)
                return rc;
        }
        if (i == n)
            break;
        i += sl;
        start = i;
    }
    return RF_OK;
}

/* One sentence of a requirement line: its terms become requirements (one
 * OR-group, or one per skill); the skills land in the line record rec. */
static rf_status parse_item(struct builder *b, enum rf_section sec, size_t line, const char *disp,
                            char *fold, size_t n, struct rf_posting_line *rec)
{
    struct match m[64];
    analyse(b->ja, fold, n);
    size_t nm = find_matches(b->al, b->ja, fold, n, m, NELEM(m));
    filter_matches(b->ja, fold, n, m, nm, b->research, b->people);
    size_t kept = 0;
    for (size_t i = 0; i < nm; i++)
        kept += !m[i].skip;
    if (kept == 0)
        return add_unmapped(b, sec, line, disp, n);
    size_t level = item_level(fold, n);
    /* Blank the kept spans so that markers inside terms ("A/B", "CI/CD") do not count. */
    for (size_t i = 0; i < nm; i++)
        if (!m[i].skip)
            memset(fold + m[i].lo, '\x01', m[i].hi - m[i].lo);
    int or_group = any_word(fold, n, or_markers, NELEM(or_markers));
    rf_status rc = unmapped_parts(b, sec, line, disp, fold, n);
    if (rc)
        return rc;
    size_t sk[RF_POSTING_MAX_ALTS] = {0}, nsk = 0;
    for (size_t i = 0; i < nm; i++) {
        if (m[i].skip)
            continue;
        size_t j = 0;
        while (j < nsk && sk[j] != m[i].a->skill)
            j++;
        if (j == nsk && nsk < RF_POSTING_MAX_ALTS)
            sk[nsk++] = m[i].a->skill;
        j = 0;
        while (j < rec->nskills && rec->skills[j] != m[i].a->skill)
            j++;
        if (j == rec->nskills && rec->nskills < RF_POSTING_MAX_ALTS)
            rec->skills[rec->nskills++] = m[i].a->skill;
    }
    if (or_group)
        return add_req(b, sec, line, level, sk, nsk, disp, m, nm, 1, disp, n);
    for (size_t j = 0; j < nsk; j++)
        if ((rc = add_req(b, sec, line, level, &sk[j], 1, disp, m, nm, 0, disp, n)))
            return rc;
    return RF_OK;
}

/* End of the sentence that starts at i: after "。" or ". " before a capital
 * letter; n when the line holds one sentence. */
static size_t sentence_end(const char *d, size_t i, size_t n)
{
    for (size_t k = i; k < n; k++) {
        if (n - k >= 3 && memcmp(d + k, "。", 3) == 0 && k + 3 < n)
            return k + 3;
        if (d[k] == '.' && k + 2 < n && d[k + 1] == ' ' && isupper((unsigned char)d[k + 2]))
            return k + 1;
    }
    return n;
}

/* One requirement line: every sentence is read; the line is recorded with
 * the skills found (none: it is listed as not measured). */
static rf_status parse_line(struct builder *b, enum rf_section sec, size_t line, const char *disp,
                            char *fold, size_t n)
{
    b->pos[sec]++;
    struct rf_posting_line rec = {.line = line, .section = sec};
    for (size_t s = 0; s < n;) {
        size_t e = sentence_end(disp, s, n), lo = s, hi = e;
        trim(disp, &lo, &hi);
        if (hi > lo) {
            rf_status rc = parse_item(b, sec, line, disp + lo, fold + lo, hi - lo, &rec);
            if (rc)
                return rc;
        }
        s = e;
    }
    struct rf_parsed_posting *p = b->p;
    if (p->nlines >= RF_POSTING_MAX_LINES) {
        p->dropped++;
        return RF_OK;
    }
    rf_status rc = grow(b, (void **)&p->lines, &b->cap_lines, p->nlines, sizeof *p->lines);
    if (!rc)
        p->lines[p->nlines++] = rec;
    return rc;
}

void rf_posting_cleanup(struct rf_parsed_posting *p)
{
    if (!p)
        return;
    free(p->title);
    for (size_t i = 0; i < p->nreqs; i++) {
        free(p->reqs[i].label);
        free(p->reqs[i].text);
    }
    free(p->reqs);
    for (size_t i = 0; i < p->nunmapped; i++)
        free(p->unmapped[i].text);
    free(p->unmapped);
    free(p->lines);
    free(p->prose);
    memset(p, 0, sizeof *p);
}

static int req_order(const void *x, const void *y)
{
    const struct rf_posting_req *a = x, *b = y;
    if (a->section != b->section)
        return a->section < b->section ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* ---- language ---- */

static const char *const english_words[] = {"the", "and", "of", "to", "with", "in", "for", "you",
                                            "we", "our", "your", "is", "are", "a", "an"};
static const char *const other_latin_words[] = {
    "und", "der", "die", "das", "mit", "für", "wir", "sie", "ist", "ein", "eine", "von",
    "et", "le", "la", "les", "des", "avec", "pour", "nous", "vous", "est", "une", "du",
    "y", "el", "los", "las", "con", "para", "es", "una", "del", "que", "com", "você", "não",
};

/* The language of the text: Japanese when kana make up a share of its
 * letters, English when English function words outnumber those of other
 * Latin-script languages, else another language. */
static enum rf_posting_lang detect_language(const char *f, size_t n)
{
    size_t kana = 0, han = 0, latin = 0, other = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)f + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            break;
        i += (size_t)k;
        if ((cp >= 0x3040 && cp <= 0x30FF))
            kana++;
        else if (cp >= 0x4E00 && cp <= 0x9FFF)
            han++;
        else if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            latin++;
        else if (cp >= 0x00C0 && utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO)
            other++;
    }
    if (kana * 10 >= kana + han + latin + other && kana > 0)
        return RF_LANG_JA;
    if (han + other > latin)
        return RF_LANG_OTHER;
    size_t en = 0, ot = 0;
    for (size_t i = 0; i < n;) {
        size_t lo, hi;
        if (!next_word(f, n, i, &lo, &hi)) {
            i++;
            continue;
        }
        en += word_in(f, lo, hi, english_words, NELEM(english_words));
        ot += word_in(f, lo, hi, other_latin_words, NELEM(other_latin_words));
        i = hi;
    }
    return ot > en ? RF_LANG_OTHER : RF_LANG_EN;
}

/* ---- the pass over the lines ---- */

enum { L_PROSE = 0, L_HEADING, L_ITEM };

struct line {
    size_t lo, hi;   /* trimmed text of the line */
    size_t number;   /* 1-based */
    size_t bullet;   /* bytes of its bullet or number, 0 when none */
    unsigned char kind;
    unsigned char block; /* enum block of the heading above it */
    int score;           /* line_score, for runs under unknown headings or none */
};

/* How much a line's wording says "requirement" (positive) or "duty, company,
 * benefit" (negative), for blocks under unknown headings or none. */
static int line_score(const struct builder *b, const char *f, size_t n)
{
    struct match m[1];
    int s = asks(f, n) - is_duty(f, n) - is_prose_wording(f, n);
    size_t words = 1;
    for (size_t i = 0; i < n; i++)
        words += f[i] == ' ';
    if (!is_duty(f, n) && (words <= 6 && chars(f, n) <= 40) &&
        find_matches(b->al, NULL, f, n, m, 1))
        s++;
    return s;
}

static enum rf_section line_section(enum block blk, const char *f, size_t n)
{
    if (blk == B_PREFERRED || any_word(f, n, preferred_cues, NELEM(preferred_cues)))
        return RF_SEC_PREFERRED;
    return RF_SEC_REQUIRED;
}

/* Splits the text into lines and decides what each one is: a heading, a
 * requirement line, or prose. Lines under a required or preferred heading
 * are requirements (bullets always; other lines when they ask something and
 * do not speak of "we"); lines under a heading of description are prose;
 * lines under an unknown heading, or before any heading, are read by runs of
 * bullets: a run is requirements when its wording asks more than it
 * describes. Every non-blank line ends in exactly one of the lists. */
static rf_status scan(struct builder *b, const char *disp, char *fold, size_t n)
{
    struct rf_parsed_posting *p = b->p;
    size_t nl = 0, cap = 0, count = 0;
    struct line *L = NULL;
    rf_status rc = RF_OK;
    for (size_t s = 0; s < n && !rc;) {
        const char *e = memchr(disp + s, '\n', n - s);
        size_t end = e ? (size_t)(e - disp) : n, lo = s, hi = end;
        count++;
        s = end + 1;
        trim(disp, &lo, &hi);
        if (lo == hi)
            continue;
        if (!(rc = grow(b, (void **)&L, &cap, nl, sizeof *L)))
            L[nl++] = (struct line){lo, hi, count, bullet_len(fold + lo, hi - lo), L_PROSE, B_NONE, 0};
    }
    enum block cur = B_NONE;
    int bullets_seen = 0; /* in the current block */
    for (size_t i = 0; i < nl && !rc; i++) {
        struct line *l = &L[i];
        if (i == 0) {
            size_t tl = l->lo, th = l->hi;
            while (tl < th && disp[tl] == '#')
                tl++;
            trim(disp, &tl, &th);
            if (!(p->title = rf_strndup(disp + tl, th - tl)))
                rc = rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
        }
        enum block cls;
        size_t rest;
        int next_bullet = i + 1 < nl && L[i + 1].bullet;
        if (heading(b->al, fold, l->lo, l->hi, l->bullet != 0, next_bullet, &cls, &rest)) {
            cur = cls;
            bullets_seen = 0;
            p->sectioned |= cls == B_REQUIRED || cls == B_PREFERRED;
            l->kind = L_HEADING;
            l->block = cls;
            if (rest < l->hi) {
                l->kind = L_ITEM;
                l->lo = rest;
                l->bullet = 0;
            }
            continue;
        }
        l->block = cur;
        if (i == 0 && !l->bullet)
            continue; /* the title */
        const char *f = fold + l->lo + l->bullet;
        size_t len = l->hi - l->lo - l->bullet;
        struct match m[1];
        /* After a list, a line without a bullet closes the block ("We offer ..."). */
        if (cur == B_REQUIRED || cur == B_PREFERRED)
            l->kind = l->bullet || (!bullets_seen &&
                                    (asks(f, len) || find_matches(b->al, NULL, f, len, m, 1)) &&
                                    !is_prose_wording(f, len) && !is_duty(f, len))
                          ? L_ITEM
                          : L_PROSE;
        bullets_seen |= l->bullet != 0;
    }
    /* Runs under unknown headings or none: bullets before any heading, and
     * any lines under an unknown one. */
    for (size_t i = 0; i < nl;) {
        struct line *l = &L[i];
        int open = l->kind == L_PROSE && (l->block == B_UNKNOWN || (l->block == B_NONE && l->bullet));
        if (!open || i == 0) {
            i++;
            continue;
        }
        size_t j = i;
        int score = 0;
        while (j < nl && L[j].kind == L_PROSE && L[j].block == l->block &&
               (L[j].bullet != 0) == (l->bullet != 0) && (j == i || L[j].number == L[j - 1].number + 1)) {
            L[j].score = line_score(b, fold + L[j].lo + L[j].bullet, L[j].hi - L[j].lo - L[j].bullet);
            score += L[j].score;
            j++;
        }
        /* A line that clearly asks, or clearly describes, decides for itself;
         * the others follow their run. */
        for (size_t k = i; k < j; k++)
            if (L[k].score > 0 || (L[k].score == 0 && score > 0))
                L[k].kind = L_ITEM;
        i = j;
    }
    for (size_t i = 0; i < nl && !rc; i++) {
        struct line *l = &L[i];
        if (l->kind != L_ITEM) {
            rc = add_prose(b, l->number);
            continue;
        }
        size_t lo = l->lo + l->bullet, hi = l->hi;
        trim(disp, &lo, &hi);
        if (lo == hi) {
            rc = add_prose(b, l->number);
            continue;
        }
        enum rf_section sec = line_section((enum block)l->block, fold + lo, hi - lo);
        rc = parse_line(b, sec, l->number, disp + lo, fold + lo, hi - lo);
    }
    free(L);
    return rc;
}

rf_status rf_posting_parse(const char *name, const char *text, size_t len,
                           const struct rf_aliases *al, const struct rf_taxonomy *tax,
                           struct rf_parsed_posting *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    if (len > RF_POSTING_MAX_BYTES)
        return rf_err_set(err, RF_ETOOBIG, "%s: posting larger than %ld bytes", name,
                          (long)RF_POSTING_MAX_BYTES);
    char *disp = NULL, *fold = NULL;
    size_t n = 0;
    rf_status rc = rf_aliases_normalize(name, text, len, &disp, &n, err);
    if (rc)
        return rc;
    struct rf_parsed_posting p = {0};
    struct ja *ja = calloc(1, sizeof *ja);
    struct builder b = {.name = name, .al = al, .tax = tax, .p = &p, .ja = ja, .err = err};
    if (rf_taxonomy_find(tax, "research_practice", &b.research))
        b.research = (size_t)-1;
    if (rf_taxonomy_find(tax, "product_stakeholder", &b.people))
        b.people = (size_t)-1;
    if (!ja || !(fold = rf_strndup(disp, n))) {
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
        goto out;
    }
    if (al->mecab) {
        ja->tagger = mecab_model_new_tagger(al->mecab);
        ja->lat = mecab_model_new_lattice(al->mecab);
        if (!ja->tagger || !ja->lat) {
            rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory (MeCab)", name);
            goto out;
        }
    }
    rf_aliases_fold(fold, n);
    p.language = detect_language(fold, n);
    if ((rc = scan(&b, disp, fold, n)))
        goto out;
    if (!p.title) {
        rc = rf_err_set(err, RF_EINVAL, "%s: empty posting: no text to read", name);
        goto out;
    }
    if (p.nreqs > 1)
        qsort(p.reqs, p.nreqs, sizeof *p.reqs, req_order);
    for (size_t i = 0; i < p.nreqs; i++)
        p.nrequired += p.reqs[i].section == RF_SEC_REQUIRED;
out:
    if (ja) {
        if (ja->lat)
            mecab_lattice_destroy(ja->lat);
        if (ja->tagger)
            mecab_destroy(ja->tagger);
        free(ja);
    }
    free(disp);
    free(fold);
    if (rc) {
        rf_posting_cleanup(&p);
        return rc;
    }
    *out = p;
    return RF_OK;
}

rf_status rf_posting_load(const char *path, const struct rf_aliases *al,
                          const struct rf_taxonomy *tax, struct rf_parsed_posting *out,
                          struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_POSTING_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_posting_parse(path, data, len, al, tax, out, err);
    free(data);
    return rc;
}

double rf_posting_req_p(const struct rf_posting_req *r, const struct rf_taxonomy *tax,
                        const struct rf_profile *p, size_t *measured)
{
    double miss = 1;
    size_t m = 0;
    for (size_t i = 0; i < r->nskills; i++) {
        const struct rf_skill *sk = &tax->skills[r->skills[i]];
        const struct rf_profile_skill *s = rf_profile_find(p, sk->id);
        m += s != NULL;
        miss *= 1 - rf_profile_tail(p, s, sk->cuts[r->level - 1]);
    }
    if (measured)
        *measured = m;
    return 1 - miss;
}

const char *rf_posting_language(enum rf_posting_lang l)
{
    return l == RF_LANG_JA ? "ja" : l == RF_LANG_EN ? "en" : "other";
}

const char *rf_posting_note(const struct rf_parsed_posting *p)
{
    if (p->language != RF_LANG_OTHER)
        return NULL;
    return "this posting does not look like English or Japanese: it was read as far as the "
           "terms rolefit knows go; check its requirements by hand";
}

static const char *section_name(enum rf_section s)
{
    return s == RF_SEC_REQUIRED ? "required" : s == RF_SEC_PREFERRED ? "preferred" : "other";
}

rf_status rf_posting_to_json(const struct rf_parsed_posting *p, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err)
{
    json_t *o = json_pack("{sssbsIsIss}", "title", p->title ? p->title : "", "sectioned",
                          p->sectioned, "dropped", (json_int_t)p->dropped, "required_count",
                          (json_int_t)p->nrequired, "language", rf_posting_language(p->language));
    json_t *req = json_array(), *pref = json_array(), *un = json_array(), *lines = json_array(),
           *prose = json_array();
    int ok = o && req && pref && un && lines && prose &&
             json_object_set_new(o, "required", req) == 0 &&
             json_object_set_new(o, "preferred", pref) == 0 &&
             json_object_set_new(o, "unmapped", un) == 0 &&
             json_object_set_new(o, "lines", lines) == 0 &&
             json_object_set_new(o, "prose_lines", prose) == 0;
    if (!ok) {
        json_decref(lines);
        json_decref(prose);
    }
    const char *note = rf_posting_note(p);
    if (ok && note)
        ok = json_object_set_new(o, "note", json_string(note)) == 0;
    if (!ok && o) {
        json_decref(o);
        o = NULL;
    }
    for (size_t i = 0; ok && i < p->nreqs; i++) {
        const struct rf_posting_req *r = &p->reqs[i];
        json_t *sk = json_array();
        for (size_t k = 0; sk && k < r->nskills; k++)
            if (json_array_append_new(sk, json_string(tax->skills[r->skills[k]].id))) {
                json_decref(sk);
                sk = NULL;
            }
        json_t *e = sk ? json_pack("{sIsIsfsssssoss}", "position", (json_int_t)r->position,
                                   "line", (json_int_t)r->line, "weight", r->weight, "level",
                                   tax->levels[r->level], "label", r->label ? r->label : "",
                                   "skills", sk, "text", r->text)
                       : NULL;
        ok = e && json_array_append_new(r->section == RF_SEC_REQUIRED ? req : pref, e) == 0;
    }
    for (size_t i = 0; ok && i < p->nunmapped; i++) {
        const struct rf_posting_unmapped *u = &p->unmapped[i];
        json_t *e = json_pack("{sssIss}", "section", section_name(u->section), "line",
                              (json_int_t)u->line, "text", u->text);
        ok = e && json_array_append_new(un, e) == 0;
    }
    for (size_t i = 0; ok && i < p->nlines; i++) {
        const struct rf_posting_line *l = &p->lines[i];
        json_t *sk = json_array();
        for (size_t k = 0; sk && k < l->nskills; k++)
            if (json_array_append_new(sk, json_string(tax->skills[l->skills[k]].id))) {
                json_decref(sk);
                sk = NULL;
            }
        json_t *e = sk ? json_pack("{sIsssO}", "line", (json_int_t)l->line, "section",
                                   section_name(l->section), "skills", sk)
                       : NULL;
        json_decref(sk);
        ok = e && json_array_append_new(lines, e) == 0;
    }
    for (size_t i = 0; ok && i < p->nprose; i++)
        ok = json_array_append_new(prose, json_integer((json_int_t)p->prose[i])) == 0;
    if (!ok) {
        json_decref(o);
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory writing JSON");
    }
    *out = o;
    return RF_OK;
}
