/*
 * Compile-time knobs of rolefit, in one place (after Lua's luaconf.h).
 * Every limit that protects the program from hostile or mistaken input, and
 * every numerical default, is defined here with the reason for its value.
 * Override any of them with -D at build time. Add new knobs to the section
 * of their room, each with a comment.
 */
#ifndef RF_CONFIG_H
#define RF_CONFIG_H

#define RF_VERSION "0.1.0"

/* ---- base ---- */

/* Error message buffer of stateful objects. */
#define RF_ERRMSG_LEN 512

/* Input caps: a file, a CSV field and a CSV line larger than these is refused. */
#define RF_MAX_FILE_BYTES (1024L * 1024L * 1024L) /* 1 GiB */
#define RF_MAX_CSV_FIELD 65536
#define RF_MAX_CSV_COLUMNS 100000
#define RF_MAX_ID_LEN 128

/* Largest JSON document (bank file, taxonomy) read whole into memory. */
#ifndef RF_MAX_JSON_BYTES
#define RF_MAX_JSON_BYTES (64L * 1024L * 1024L)
#endif

/* ---- irt ---- */

/* Quadrature: default grid of the IRT core (equally spaced, normal weights),
 * the grid mirt uses by default. */
#ifndef RF_QUAD_DEFAULT_N
#define RF_QUAD_DEFAULT_N 61
#endif
#ifndef RF_QUAD_DEFAULT_LO
#define RF_QUAD_DEFAULT_LO (-6.0)
#endif
#ifndef RF_QUAD_DEFAULT_HI
#define RF_QUAD_DEFAULT_HI 6.0
#endif
/* Smallest and largest grid a user may ask for. */
#define RF_QUAD_MIN_N 5
#define RF_QUAD_MAX_N 401

/* Largest number of response categories of a graded (GRM) item. */
#define RF_MAX_CATEGORIES 10

/* Higher-order skill model (irt/hier.h, docs/cat.md "The higher-order model"):
 * most skills and mixture components of one prior; the g grid (even nodes on
 * +-RF_HIER_G_LIM with N(0, 1) weights: a spacing of 0.25 integrates the
 * smooth posterior of g to far below printed precision, and the mass beyond
 * 5 SD is 6e-7); the largest loading (lambda near 1 leaves the conditional
 * prior narrower than the theta grid's spacing); bounds of a component's
 * centre and scale; the loading assumed until calibration estimates one
 * (data/loadings.json overrides it per skill). */
#define RF_HIER_MAX_SKILLS 32
/* Components: the population and up to 32 classes (RF_CAT_MAX_CLASSES): a
 * find-my-role test mixes every role's people into its prior. */
#define RF_HIER_MAX_COMPONENTS 33
#define RF_HIER_G_N 41
#define RF_HIER_G_LIM 5.0
#define RF_HIER_MAX_LAMBDA 0.95
#define RF_HIER_MAX_MU 10.0
#define RF_HIER_MIN_TAU 0.05
#define RF_HIER_MAX_TAU 10.0
#define RF_HIER_DEFAULT_LAMBDA 0.7

/* Ability estimation: search range for MLE/WLE/MAP and Newton settings. */
#define RF_THETA_LIMIT 10.0
#define RF_NEWTON_MAX_ITER 100
#define RF_NEWTON_TOL 1e-8

/* ---- bank ---- */

/* Most options of a multiple-choice item the loader accepts (lint asks for
 * RF_LINT_MIN_OPTIONS..RF_LINT_MAX_OPTIONS), and the most tags. */
#define RF_BANK_MAX_OPTIONS 10
#define RF_BANK_MAX_TAGS 64
/* Longest unit of a numeric item ("ms", "GB/s"), and the spacing of the prior
 * thresholds of an uncalibrated multiple-select item (docs/bank-format.md). */
#define RF_ITEM_MAX_UNIT_LEN 32
#define RF_ITEM_MULTI_PRIOR_STEP 0.8
/* The pool rule of items the bank does not place (bank/item.h
 * rf_item_pool_rule): one hash value in RF_POOL_PRACTICE_MOD goes to practice
 * (about a third of the item groups). Lint and bank stats warn when a skill
 * has fewer active items than RF_LINT_MIN_PRACTICE in its practice pool or
 * RF_LINT_MIN_OPERATIONAL in its operational pool (a 30-item test on one
 * skill, and the follow-ups that must not repeat it, need that many). */
#define RF_POOL_PRACTICE_MOD 3
/* A skill with fewer items placed by the rule is not split: they serve both
 * the practice and the operational pool (a small or test bank; lint warns). */
#define RF_POOL_SPLIT_MIN 20
#define RF_LINT_MIN_PRACTICE 10
#define RF_LINT_MIN_OPERATIONAL 24
/* Longest enemy group name of an item (docs/bank-format.md "Enemy groups"). */
#define RF_ITEM_MAX_ENEMY_LEN 64
/* Answers to the formats without guessing (bank/answer.h): the longest numeric
 * text accepted, and the relative widening of a numeric tolerance that keeps
 * decimal answers from being lost to binary rounding (docs/bank-format.md). */
#define RF_ANSWER_MAX_TEXT 64
#define RF_ANSWER_REL_SLACK 1e-9
/* A random responder's chance of typing a number within a numeric item's
 * tolerance (bank/answer.h rf_answer_random_probs; docs/careers.md "Closest
 * roles"): small, and not smaller, so that one lucky entry is not read as
 * proof of knowledge. */
#define RF_ANSWER_RANDOM_NUMERIC 0.05

/* Bank linter (rolefit bank lint, docs/bank-format.md). Options per mcq item;
 * items per skill below which a warning is given; the near-duplicate stem
 * rule (Jaccard similarity of word 2-shingles (bigrams) of folded stems at or above
 * RF_LINT_NEAR_DUP); the largest distance of a difficulty band's share from
 * its target (25/50/25 %) before a warning; the fewest words of an
 * explanation that teaches; plausible parameter ranges (outside them the
 * item is an error: such values are typos or failed calibrations). */
#define RF_LINT_MIN_OPTIONS 3
#define RF_LINT_MAX_OPTIONS 5
/* Options per multiple-select item, and the largest prior slope an
 * uncalibrated item may claim (issue 14: never above 1.2 until calibrated). */
#define RF_LINT_MULTI_MIN_OPTIONS 4
#define RF_LINT_MULTI_MAX_OPTIONS 6
#define RF_LINT_PRIOR_A_MAX 1.2
/* How far an uncalibrated mcq item's c may sit from 1/k (2-decimal rounding:
 * 0.33 for 1/3); below 1/k by more is an error, above by more a warning. */
#define RF_LINT_PRIOR_C_SLACK 0.01
#define RF_LINT_MIN_ITEMS 48
#define RF_LINT_SHINGLE_K 2
#define RF_LINT_NEAR_DUP 0.8
#define RF_LINT_SPREAD_TOL 0.15
#define RF_LINT_MIN_EXPL_WORDS 8
#define RF_LINT_A_MIN 0.2
#define RF_LINT_A_MAX 4.0
#define RF_LINT_B_ABS 4.0
#define RF_LINT_C_MAX 0.5
/* Key checks per skill, from RF_LINT_KEY_MIN_ITEMS active mcq items: a key
 * position holding more than RF_LINT_KEY_POS_MAX of the items that have it,
 * or less than RF_LINT_KEY_POS_MIN_FAIR of its fair share once that is 3
 * items; "pick the longest option" scoring above RF_LINT_LONGEST_MAX, "pick
 * the shortest" below RF_LINT_SHORTEST_MIN. */
#define RF_LINT_KEY_MIN_ITEMS 8
#define RF_LINT_KEY_POS_MAX 0.40
#define RF_LINT_KEY_POS_MIN_FAIR 0.5
#define RF_LINT_LONGEST_MAX 0.35
#define RF_LINT_SHORTEST_MIN 0.10
/* Per-skill targets of issue 14 (warnings): the share of numeric and multi
 * items, the share of hard items (b, multi: mean threshold, at least
 * RF_LINT_HARD_B) and the number at the expert level (RF_LINT_EXPERT_B),
 * with RF_LINT_B_SLACK for 2-decimal rounding. */
#define RF_LINT_NONGUESS_MIN_SHARE 0.40
/* Per skill, the share of active items not marked "recall" (applied: a
 * scenario, code, data or a decision; docs/bank-format.md "Coverage"). */
#define RF_LINT_APPLIED_MIN_SHARE 0.70
#define RF_LINT_HARD_B 1.5
#define RF_LINT_HARD_MIN_SHARE 0.25
#define RF_LINT_EXPERT_B 2.2
#define RF_LINT_EXPERT_MIN 5
#define RF_LINT_B_SLACK 0.006
/* Likely enemies: stems whose content words (at least RF_LINT_SCENARIO_MIN_LEN
 * bytes, not stop words; at least RF_LINT_SCENARIO_MIN_WORDS of them per stem)
 * have a Jaccard similarity of RF_LINT_SCENARIO_JACCARD or more. */
#define RF_LINT_SCENARIO_MIN_LEN 3
#define RF_LINT_SCENARIO_MIN_WORDS 5
#define RF_LINT_SCENARIO_JACCARD 0.35
/* `bank stats` flags a skill whose active items, all given, measure less
 * than this information at the advanced cut (the skill's third cut point)
 * and at the expert cut (its fourth): issue 14's targets. */
#define RF_STATS_MIN_INFO_ADVANCED 6.0
#define RF_STATS_MIN_INFO_EXPERT 3.0
/* Most diagnostics one lint run keeps (a broken bank would print forever). */
#define RF_LINT_MAX_DIAGS 100000

/* Import (QTI, GIFT): largest file or zip entry read, most entries of a
 * content package, most items and notes one import keeps. A zip entry is
 * checked against its declared size and again while inflating. */
#define RF_IMPORT_MAX_BYTES (16L * 1024L * 1024L)
#define RF_IMPORT_MAX_ZIP_ENTRIES 20000
#define RF_IMPORT_MAX_ITEMS 100000
#define RF_IMPORT_MAX_NOTES 10000

/* ---- cat ---- */

/* Defaults of the blueprint: SE target per skill and overall item limit
 * (DESIGN.md), randomesque width (Kingsbury & Zara 1989). */
#define RF_CAT_DEFAULT_SE 0.30
#define RF_CAT_DEFAULT_MAX_ITEMS 40
#define RF_CAT_DEFAULT_RANDOMESQUE 5
/* Largest randomesque width, and largest number of skills in one session's
 * scope (the taxonomy has about 16): fixed arrays keep the hot path allocation-free. */
#define RF_CAT_MAX_TOPK 64
/* Online calibration (calib/online.h, docs/calibration.md "Promotion"): a
 * pretest item is ready for staff review with at least RF_ONLINE_MIN_N
 * answers, SE(a) and SE(b) (every threshold) at most RF_ONLINE_MAX_SE_A and
 * RF_ONLINE_MAX_SE_B, fit p at least RF_ONLINE_MIN_FIT_P, and a, b within
 * the linter's plausible ranges. The fit groups answers by posterior mean
 * into at most RF_ONLINE_FIT_GROUPS groups of at least RF_ONLINE_FIT_MIN_GROUP,
 * integrating each answer's expectation over RF_ONLINE_FIT_NODES nodes. */
#define RF_ONLINE_MIN_N 200
#define RF_ONLINE_MAX_SE_A 0.20
#define RF_ONLINE_MAX_SE_B 0.20
#define RF_ONLINE_MIN_FIT_P 0.01
#define RF_ONLINE_FIT_GROUPS 10
#define RF_ONLINE_FIT_MIN_GROUP 20
#define RF_ONLINE_FIT_NODES 41
/* The pretest items' priors before a re-estimate of the bank has fitted its
 * own (calib/online.h rf_online_prior, docs/calibration.md "Priors of
 * pretest items"): log a ~ N(0, 0.5^2), no prior on b (SD 0), c ~ beta(5,
 * 17) (RF_CALIB_PRIOR_C_*): weak, since nothing yet says how far the
 * authors' ratings miss. Fitted hyperparameters (b ~ N(rated b, sd_b^2)
 * among them) are taken with their SDs at least RF_ONLINE_PRIOR_MIN_SD: the
 * re-estimate's SD of log a comes out low (docs/calibration.md), and a
 * prior narrower than the bank's real spread would make the SEs promise
 * more than the answers hold. */
#define RF_ONLINE_PRIOR_MU_LOGA 0.0
#define RF_ONLINE_PRIOR_SD_LOGA 0.5
#define RF_ONLINE_PRIOR_SD_B 0.0
#define RF_ONLINE_PRIOR_MIN_SD 0.3
/* Drift of operational items (calib/drift.h, docs/calibration.md "Drift"):
 * an item is tested on at least RF_DRIFT_MIN_N answers and flagged when its
 * location moved by at least RF_DRIFT_MIN_SHIFT logits and RF_DRIFT_MIN_Z
 * standard errors; each answer's ability posterior is integrated over
 * RF_DRIFT_NODES Gauss-Hermite nodes. The review reads the answers of at
 * most RF_DRIFT_MAX_TESTS finished tests, the newest. */
#define RF_DRIFT_MIN_N 200
#define RF_DRIFT_MIN_SHIFT 0.3
#define RF_DRIFT_MIN_Z 3.0
#define RF_DRIFT_NODES 15
#define RF_DRIFT_MAX_TESTS 50000

/* Each test kind's latent distribution and the loadings from the store
 * (server/app_latent.c, calib/kindlat.h): a (kind, skill) mean and SD, or a
 * skill's loading, is proposed only from at least this many tests with
 * answers to the skill. With 100 tests of 5 answers to a skill the SE of the
 * mean is about 0.11, of the SD about 0.12 (docs/calibration.md). */
#define RF_LATENT_MIN_TESTS 100
/* Most unscored pretest items one session carries (cat/session.h). */
#define RF_CAT_MAX_PRETEST 8
#define RF_CAT_MAX_SCOPE 32
/* Most classes (groups of people, e.g. roles) a design may tell apart. */
#define RF_CAT_MAX_CLASSES 32
/* Most requirements (scope skill, cut) a confirm-stage design may settle
 * (cat/session.h: a few leading roles' requirements). */
#define RF_CAT_MAX_REQS 64
/* Most terms (requirement alternative, cut) of a ranking objective
 * (cat/session.h: a posting's test). */
#define RF_CAT_MAX_OBJ 128
/* With classes, items considered per skill at each step, and about how many
 * in all when many skills compete (session.c top_classes). */
#define RF_CAT_CLASS_CANDIDATES 8
#define RF_CAT_CLASS_BUDGET 128
/* With classes and class_focus: once one class has this probability, the
 * test measures that class's skills by the usual rule until it falls below. */
#define RF_CAT_CLASS_DECIDED 0.9
/* Bounds of a class's centre and spread on a skill (theta scale). */
#define RF_CAT_CLASS_MAX_MU 10.0
#define RF_CAT_CLASS_MIN_TAU 0.05
#define RF_CAT_CLASS_MAX_TAU 10.0
/* A requirement is decided when P(theta >= cut) is at least this or at most
 * 1 minus it (the report's meets / below, careers RF_FIT_MET / RF_FIT_BELOW). */
#define RF_CAT_DECIDED_P 0.8
/* Largest overall item limit of a session (a hostile session file cannot ask for more). */
#define RF_CAT_MAX_ITEMS 1000
/* Width of the theta bins of the candidate lists that make maximum-information
 * selection exact without scanning the whole bank, and how many candidates
 * each bin keeps before falling back to a full scan. */
#define RF_CAT_BIN_WIDTH 0.05
#define RF_CAT_BIN_CANDIDATES 128
/* Early stop of a skill whose SE target is out of reach: it stops when even
 * RF_CAT_REACH_SLACK times the information of the best items left (at the
 * current EAP) cannot bring the posterior SD to the target. Tuned by simulation
 * (docs/cat.md) so that precision does not suffer. */
#define RF_CAT_REACH_SLACK 1.5
/* Largest session file accepted by rf_cat_session_load. */
#define RF_CAT_MAX_SESSION_BYTES (4L * 1024L * 1024L)

/* ---- calib ---- */

/* Calibration (src/calib). Defaults follow mirt where it has one: tolerance
 * 1e-4 on the largest parameter change, 500 EM cycles. */
#ifndef RF_CALIB_DEFAULT_TOL
#define RF_CALIB_DEFAULT_TOL 1e-4
#endif
#ifndef RF_CALIB_DEFAULT_MAX_ITER
#define RF_CALIB_DEFAULT_MAX_ITER 500
#endif
/* Default beta prior on the 3PL lower asymptote: beta(5, 17), mode 0.2, the
 * BILOG-MG default for five-option items (alpha = 20p + 1, beta = 20(1-p) + 1). */
#define RF_CALIB_PRIOR_C_ALPHA 5.0
#define RF_CALIB_PRIOR_C_BETA 17.0
/* Data filled below this fraction go through the sparse E-step kernel. */
#define RF_CALIB_SPARSE_FILL 0.3
/* Patterns are collapsed when the distinct ones are at most this share of rows. */
#define RF_CALIB_COLLAPSE_RATIO 0.5
/* Rows per E-step block (one DGEMM per block and thread); large enough for
 * BLAS efficiency, small enough to stay in cache-sized workspaces. */
#define RF_CALIB_BLOCK 1024
/* Most worker threads a calibration may use. */
#define RF_CALIB_MAX_THREADS 64
/* M-step Newton: iterations per item per cycle and step halvings per iteration. */
#define RF_CALIB_NEWTON_MAX_ITER 25
#define RF_CALIB_MAX_HALVINGS 30
/* Largest slope the M-step accepts (a step beyond is halved), and the slope
 * above which `rolefit calibrate` warns (perfect separation drives a up). */
#define RF_CALIB_A_MAX 50.0
#define RF_CALIB_WARN_A 10.0
/* S-X2 costs O(items^3 * nodes); above this many items it is not computed. */
#define RF_CALIB_SX2_MAX_ITEMS 400
/* S-X2 score groups are merged until expected counts reach this (mirt's mincell). */
#define RF_CALIB_SX2_MINCELL 1.0

/* Fairness (src/calib/dif.c, impact.c; docs/fairness.md). DIF statistics of
 * an item are shown only when each group has at least RF_DIF_MIN_GROUP
 * answers to it: at 100 per group the SE of MH D-DIF is about 0.7 (the C
 * threshold is 1.5). Theta matching cuts the answerers of an item into
 * RF_DIF_STRATA equal-count strata. An adverse-impact figure is shown only
 * for a group of at least RF_IMPACT_MIN_GROUP people whose selected and
 * not-selected counts are both at least RF_IMPACT_MIN_CELL. */
#define RF_DIF_MIN_GROUP 100
/* The review queue's schedule (server/schedule.h): `rolefit serve` re-runs
 * the pretest calibration, drift and DIF every RF_REVIEW_EVERY_SECONDS
 * (--review-every; 0 turns it off) and looks at its clock every
 * RF_REVIEW_TICK_SECONDS. */
#define RF_REVIEW_EVERY_SECONDS 86400.0
#define RF_REVIEW_TICK_SECONDS 1.0
/* The re-estimate of the items in use runs on a thread of its own, at nice
 * RF_HTTP_HEAVY_NICE, one at a time (issue 19: over 50,000 tests it takes
 * minutes under load). A calibrate request waits for the one it started at
 * most RF_REVIEW_RECAL_WAIT seconds, then replies with "recal_running" and
 * frees its heavy-request worker; the Admin page polls GET /api/review. */
#define RF_REVIEW_RECAL_WAIT 10.0
#define RF_DIF_STRATA 10
#define RF_IMPACT_MIN_GROUP 30
#define RF_IMPACT_MIN_CELL 5

/* ---- careers ---- */

/* Profiles (docs/profile-format.md). A stored posterior must sum to 1 within
 * RF_PROFILE_POST_TOL (rounding of a written file is far below it). */
#define RF_PROFILE_POST_TOL 1e-6
#define RF_PROFILE_MAX_BYTES (16L * 1024L * 1024L)
#define RF_PROFILE_MAX_SKILLS 256
#define RF_PROFILE_MAX_TAGS 64
/* Most sessions (a test and its follow-ups) one profile lists. */
#define RF_PROFILE_MAX_SESSIONS 64
/* Most roles a roles file may define: a role test tells every role apart
 * (server/roletest.h), so no more than an adaptive design has classes. */
#define RF_MAX_ROLES RF_CAT_MAX_CLASSES
/* Largest emphasis of a role's requirement (docs/careers.md): a share within its task,
 * relative to the others; capped so that a task's sum of emphases stays finite. */
#define RF_ROLE_MAX_EMPHASIS 1000.0
/* Fit: a requirement met with probability RF_FIT_MET or more is not a gap; a
 * core requirement met with probability below RF_FIT_BLOCK blocks its role. */
#define RF_FIT_MET 0.8
#define RF_FIT_BLOCK 0.5
/* A requirement met with probability RF_FIT_BELOW or less is called "below";
 * between it and RF_FIT_MET it is "undecided" (docs/careers.md "Decisions"). */
#define RF_FIT_BELOW 0.2
/* Closest roles (careers/closest.h): the spread of a role's people around the
 * middle of a required level's band, in band widths. */
#define RF_CLOSEST_SPREAD 0.5
/* Largest rendered report (a report is tens of kilobytes). */
#define RF_REPORT_MAX_BYTES (8L * 1024L * 1024L)
/* Postings (docs/careers.md): largest posting file, most requirements and
 * unmapped entries kept, most alternatives in one OR-group, longest label. */
#define RF_POSTING_MAX_BYTES (1024L * 1024L)
#define RF_POSTING_MAX_REQS 256
#define RF_POSTING_MAX_UNMAPPED 1024
#define RF_POSTING_MAX_ALTS 8
#define RF_POSTING_LABEL_MAX 120
/* bytes a ranking's one-line reason may take while it is written (careers/rank.h) */
#define RF_POSTING_REASON_MAX 2048
/* Positional weights: a screener reads the first two or three required items
 * (CONTEXT.md "How hiring works"), so they dominate. */
#define RF_POSTING_W_TOP 3.0
#define RF_POSTING_W_THIRD 2.0
#define RF_POSTING_W_REST 1.0
#define RF_POSTING_W_PREFERRED 0.5
/* Largest weight a recruiter may give one requirement (careers/posting_edit.h),
 * and the longest text of an edited requirement. */
#define RF_POSTING_EDIT_MAX_WEIGHT 10.0
#define RF_POSTING_EDIT_MAX_TEXT 1000
/* Years of experience from which an item asks for the advanced level, and
 * the longest line read as a section heading. */
#define RF_POSTING_YEARS_ADVANCED 5
#define RF_POSTING_HEADING_MAX 80
/* Most requirement lines and prose lines a parse lists (more are counted in
 * `dropped`), and MeCab: the longest line analysed, most morphemes of a line,
 * and the dictionary (Debian's mecab-ipadic-utf8). */
#define RF_POSTING_MAX_LINES 4096
#define RF_POSTING_MECAB_MAX_LINE 4096
#define RF_POSTING_MAX_MORPHS 1024
#define RF_MECAB_ARGS "-d /var/lib/mecab/dic/ipadic-utf8"
/* Cohort ranking: the standard normal CDF table (2049 points on [-8, 8]:
 * step 1/128, linear interpolation error below 2e-6), people per block of
 * the inner loop, and most threads. */
#define RF_NORMAL_TABLE_N 2049
#define RF_NORMAL_TABLE_Z 8.0
#define RF_RANK_BLOCK 256
#define RF_RANK_MAX_THREADS 64

/* ---- store ---- */

/* Most answers one group commit records in one transaction (one sync to the
 * disk for all of them); concurrent answers beyond wait for the next one. */
#define RF_STORE_BATCH_MAX 256
/* SQLite read connections of a store (WAL lets them read beside the one
 * writer): each read takes one whole, so a long read (a ranking, RF_HTTP_HEAVY_THREADS
 * of them at once) leaves the others to everyone else. */
#define RF_SQLITE_READERS 4
/* SQLite checkpoints (copying the WAL into the database file, with a sync of
 * it) run on a thread of their own once the WAL holds this many pages, at
 * most one every RF_SQLITE_CHECKPOINT_GAP seconds, never inside an answer's
 * commit: while rankings keep read snapshots open one after another, a
 * checkpoint in the commit (SQLite's default) added a sync to every answer
 * (docs/scale.md, "Isolation"). */
#define RF_SQLITE_CHECKPOINT_PAGES 1000
#define RF_SQLITE_CHECKPOINT_GAP 0.1
/* PostgreSQL connections a store keeps open when no pool size is given
 * (rolefit serve --db-pool): each request holds one for one statement or
 * transaction; a group commit holds one. */
#define RF_STORE_PG_POOL 8
/* Seconds to wait for a PostgreSQL server to answer a connection attempt. */
#define RF_STORE_PG_CONNECT_TIMEOUT 5
/* Seconds after which a practice slot taken but never bound to a test (its
 * process died within the request) frees itself. */
#define RF_STORE_SLOT_UNBOUND 60.0
/* Finished tests without a packed profile (stored before schema 2) that one
 * ranking request packs and stores for the next one, at most: bounds what the
 * request holds in memory (about 4 KiB a test). */
#define RF_RANK_BACKFILL_MAX 4096
/* A ranking reads at most this many of the latest finished tests (memory and
 * time per request are bounded; the reply says "capped" when there were
 * more), and replies with pages of RF_RANK_PAGE rows (at most
 * RF_RANK_PAGE_MAX when the request asks for more). */
#define RF_RANK_MAX_TESTS 50000
#define RF_RANK_PAGE 100
#define RF_RANK_PAGE_MAX 1000
/* Fits a ranking computed (careers/fitsum.h) that it keeps for the next
 * ranking of the same posting: at most this many bytes of them a request
 * (about 50 + 9 per requirement bytes a test: 16 MiB hold 100,000 tests of
 * a posting of 25 requirements), written RF_RANK_FITS_CHUNK to a
 * transaction so that no write holds the database for long. */
#define RF_RANK_FITS_BYTES (16L * 1024L * 1024L)
#define RF_RANK_FITS_CHUNK 1000

/* ---- server ---- */

/* Listening defaults: loopback only unless told otherwise. */
#define RF_HTTP_DEFAULT_PORT 8080
#define RF_HTTP_DEFAULT_ADDR "127.0.0.1"
/* Worker threads of the HTTP thread pool. A thread waits while its answer's
 * transaction syncs to the disk; answers waiting together share one sync
 * (the store's group commit), so more threads than cores keep the cores busy
 * and the batches large (bench/server). */
#define RF_HTTP_THREADS 32
/* Threads that run heavy requests (organization-wide rankings), each at nice
 * RF_HTTP_HEAVY_NICE: more queue behind them, while the HTTP threads go on
 * serving candidates (issue 20, "Reads never wait on one heavy read"). */
#define RF_HTTP_HEAVY_THREADS 2
#define RF_HTTP_HEAVY_NICE 10
/* The share of one core a heavy-request thread may use on average: after a
 * request that took it t seconds of CPU it rests t (1 - share) / share
 * (at most RF_HTTP_HEAVY_REST_MAX seconds), so that however many rankings
 * queue, the heavy threads together take at most threads x share cores
 * from the candidates (nice only orders who runs first). */
#define RF_HTTP_HEAVY_SHARE 0.25
#define RF_HTTP_HEAVY_REST_MAX 5.0
/* Seconds between two settlings of a process's limits with the store
 * (server/shared.h): what one process may let through beyond the shared
 * budget is what it lets through in that time. Slot changes (a practice
 * test's answers) kept for the next settling, at most. */
#define RF_SHARED_SYNC_SECONDS 0.2
#define RF_SHARED_MAX_CHANGES 65536
/* Buckets and counters untouched this long leave the store (checked every
 * RF_SHARED_PRUNE_SECONDS by each process): a failed-sign-in count, a spent
 * proof-of-work challenge (valid RF_POW_TTL_SECONDS) outlive their use. */
#define RF_SHARED_KEEP_SECONDS 3600.0
#define RF_SHARED_PRUNE_SECONDS 60.0
/* Largest request body of a route: a posting's text is the largest
 * legitimate one; every other body (sign-in, invites, answers) is a few
 * hundred bytes. Bodies declared larger are refused before they are read. */
#define RF_HTTP_MAX_BODY (16L * 1024L)
#define RF_HTTP_MAX_POSTING_BODY (256L * 1024L)
/* Memory libmicrohttpd may use per connection to read the request line and
 * headers (its default); a larger header block is answered 431. */
#define RF_HTTP_CONNECTION_MEMORY (32L * 1024L)
/* Connections the server holds at once, and per client address (keep-alive
 * clients, browsers; a trusted proxy may hold them all). The per-address cap
 * keeps 16 addresses from filling the table (16 x 32 = half of it). */
#define RF_HTTP_CONNECTIONS 1000
#define RF_HTTP_PER_IP_CONNECTIONS 32
/* Slowloris: seconds a connection may take to send a request's headers in
 * all (every byte resets the idle timeout, not this), and the shorter
 * deadline when the table is over RF_HTTP_BUSY_SHARE full; the watchdog
 * looks every RF_HTTP_WATCH_PERIOD seconds. */
#define RF_HTTP_HEADER_SECONDS 10.0
#define RF_HTTP_HEADER_SECONDS_BUSY 2.0
#define RF_HTTP_BUSY_SHARE 0.5
#define RF_HTTP_WATCH_PERIOD 0.25
/* Seconds an idle connection is kept. */
#define RF_HTTP_TIMEOUT 30
/* Seconds a graceful shutdown waits for in-flight requests. */
#define RF_HTTP_DRAIN_SECONDS 10
/* Retry-After (seconds, as text) of the 503 a write gets when the disk is
 * full: nothing of the request was stored, and it may pass once space is freed. */
#define RF_HTTP_FULL_RETRY_AFTER "30"
/* Retry-After (seconds) of a 503 while the PostgreSQL server cannot be
 * reached: a restart or a fail-over takes seconds. */
#define RF_HTTP_DB_RETRY_AFTER "2"
/* 1: session cookies carry Secure even without `serve --secure-cookies` (a
 * build for deployments that are only ever reached over HTTPS). Browsers do
 * not send Secure cookies over plain HTTP, so a server reached over plain
 * HTTP must not set it: sign-in would silently fail. */
#ifndef RF_HTTP_SECURE_COOKIES
#define RF_HTTP_SECURE_COOKIES 0
#endif
/* Lifetime of a login or candidate cookie session, seconds (12 hours). */
#define RF_AUTH_LIFETIME (12L * 3600L)
/* Lifetime of an invite link, seconds (30 days). */
#define RF_INVITE_LIFETIME (30L * 24L * 3600L)
/* Resume codes of invited tests (docs/api.md "Invites"): characters (8 from
 * 32 letters and digits that do not look alike: 40 bits), and the rate
 * limit on wrong codes: after RF_RESUME_MAX_FAILS wrong codes in a row, the
 * invite takes no code for RF_RESUME_LOCK_S seconds after the last one. */
#define RF_RESUME_CODE_CHARS 8
#define RF_RESUME_MAX_FAILS 5
#define RF_RESUME_LOCK_S 900
/* Test-integrity signals (careers/integrity.h, docs/integrity.md). The
 * browser's report beside an answer is refused beyond these: times the page
 * lost focus or was hidden, and milliseconds (away, on the question). */
#define RF_SIGNAL_MAX_COUNT 10000
#define RF_SIGNAL_MAX_MS (24LL * 3600LL * 1000LL)
/* Rapid guesses: faster than RF_RTE_FRACTION of the item's mean response
 * time (NT10, Wise & Ma 2012), within [RF_RTE_FLOOR_MS, RF_RTE_CAP_MS]; an
 * item with fewer than RF_RTE_MIN_TIMED stored times takes the floor. A
 * skill is flagged when its response-time effort is below RF_RTE_FLAG
 * (Wise & Kong 2005). */
#define RF_RTE_FRACTION 0.10
#define RF_RTE_FLOOR_MS 3000.0
#define RF_RTE_CAP_MS 10000.0
#define RF_RTE_MIN_TIMED 20
#define RF_RTE_FLAG 0.90
/* Answer copying: a report compares its test with at most RF_COPY_MAX_PEERS
 * other finished tests of the same posting (or organization), on at least
 * RF_COPY_MIN_COMMON common multiple-choice items, and flags a pair whose
 * p-value is below RF_COPY_ALPHA / pairs compared (Bonferroni). */
#define RF_COPY_MAX_PEERS 200
#define RF_COPY_MIN_COMMON 5
#define RF_COPY_ALPHA 0.05
/* Rate limits: requests per second and burst per client address, answers per
 * second per test session, login attempts per minute per address. */
#define RF_RATE_PER_IP 50.0
#define RF_RATE_BURST 100.0
#define RF_RATE_ANSWERS 4.0
#define RF_RATE_LOGIN_PER_MIN 10.0
/* Open practice tests (started without an invite) at most on one server
 * process, and from one client address; a test holds its slot until it
 * finishes or goes RF_PRACTICE_IDLE_SECONDS without an answer. A started
 * test costs a database row and a live session (about 20 KB); the cap per
 * address is generous because a classroom behind one NAT address shares it
 * (invited candidates are never counted). */
#define RF_PRACTICE_MAX_OPEN 1000
#define RF_PRACTICE_MAX_OPEN_PER_IP 20
/* Practice starts being written at once (three small transactions each); a
 * start that finds them all taken gets 503 with Retry-After at once rather
 * than holding its HTTP worker thread while it waits for the database, so
 * that a flood of starts cannot stall the other requests of those threads. */
#define RF_PRACTICE_START_SLOTS 2
/* Zero bits of the proof of work a practice start carries (server/pow.h):
 * about 2^16 SHA-256 hashes, 0.2 s in the start page on a laptop, and a cost
 * an attacker pays for every slot it takes. 0: none asked. */
#define RF_PRACTICE_POW_BITS 16
#define RF_PRACTICE_IDLE_SECONDS 1800.0
/* Items per skill and overall limit of a test started from the web UI. */
#define RF_WEB_MAX_ITEMS 30
#define RF_WEB_MIN_PER_SKILL 2
/* Unscored pretest items seeded into each organization's test (rolefit serve
 * --pretest; docs/calibration.md "Pretest items"): 3 beside up to 30 scored. */
#define RF_WEB_PRETEST 3
/* Pretest batches (cat/pretest.h; rolefit serve --pretest-batch and
 * --pretest-target; docs/calibration.md "Pretest batches"): per skill, at most
 * RF_WEB_PRETEST_BATCH pretest items are live at once, as many as a test
 * carries, so a test of one skill carries the whole batch; an item leaves
 * the batch at RF_WEB_PRETEST_TARGET stored answers (the mean SE of a 3PL
 * item reaches 0.20 between 1,000 and 2,000 answers) or when promoted or
 * retired, and the next enters. */
#define RF_WEB_PRETEST_BATCH 3
#define RF_WEB_PRETEST_TARGET 2000
/* A role test: at most RF_WEB_ROLE_MAX_ITEMS items; each requirement's skill
 * finishes once its call is decided with a chance of being wrong of at most
 * 1 - RF_ROLETEST_DECIDE_P (P(meets) >= 0.9 or <= 0.1, under both readings
 * the report's call needs when loadings are assumed), so the test goes on
 * where a requirement is undecided and stops when all are decided
 * (docs/careers.md "Decisions as the test's stopping rule"). */
#define RF_WEB_ROLE_MAX_ITEMS 40
/* "Measure this skill further": a follow-up session on up to
 * RF_FOLLOWUP_MAX_SKILLS skills of a finished test, RF_FOLLOWUP_MAX_ITEMS
 * items at most, at least RF_FOLLOWUP_MIN_PER_SKILL each; its evidence joins
 * the test's profile (docs/careers.md "Follow-up sessions"). */
#define RF_FOLLOWUP_MAX_SKILLS 3
#define RF_FOLLOWUP_MAX_ITEMS 10
#define RF_FOLLOWUP_MIN_PER_SKILL 2
/* "Confirm your role": the follow-up of a find-my-role test on the
 * requirements of its leading RF_CONFIRM_ROLES role(s) that are still
 * undecided, each settled as a role test settles it (P(meets) at least
 * RF_ROLETEST_DECIDE_P or at most 1 minus it), RF_CONFIRM_MAX_ITEMS items at
 * most, RF_CONFIRM_MAX_PER_SKILL on one skill (docs/careers.md "Confirm your
 * role"). */
#define RF_CONFIRM_MAX_ITEMS 20
#define RF_CONFIRM_MAX_PER_SKILL 6
#define RF_CONFIRM_ROLES 1
#define RF_ROLETEST_DECIDE_P 0.9
/* The same for a "find my role" test: at least one item on every skill some
 * role requires, so that every lifecycle task area is measured before the
 * objective narrows the test down (docs/careers.md "Who takes the test"). */
#define RF_WEB_FIND_MAX_ITEMS 40
#define RF_WEB_FIND_MIN_PER_SKILL 1
/* Weight of the role's class in a role test's mixture prior (the population
 * has the rest); docs/careers.md "Priors for the people who test". 0 turns
 * the mixture off. */
#ifndef RF_ROLETEST_PRIOR_WEIGHT
#define RF_ROLETEST_PRIOR_WEIGHT 0.3
#endif
/* The same for a "find my role" test: its takers are the population with
 * weight 1 minus this, and the people of the roles with this weight, shared
 * equally among the roles (docs/careers.md "Priors for the people who
 * test"). 0 turns the mixture off (the N(0, 1) prior). */
#ifndef RF_FINDROLE_PRIOR_WEIGHT
#define RF_FINDROLE_PRIOR_WEIGHT 0.3
#endif
/* Test sessions the server keeps live between requests, so that answering
 * does not parse and replay the stored state each time (server/sesscache.h):
 * slots chosen by test id, 10 to 20 KB each when full (a session and its
 * stored state), 40 to 60 KB for role and find-my-role tests (the design's
 * class table and the evidence rows of the classification objective). */
#define RF_WEB_SESSION_CACHE 1024
/* Passwords: the shortest a new password may be (serve --password-min may
 * raise it), how many different characters it needs ("aaaaaaaaaaaa" fails),
 * and the largest list of common passwords read (data/common-passwords.txt). */
#define RF_PASSWORD_MIN 12
#define RF_PASSWORD_MIN_DISTINCT 5
#define RF_PASSWORD_LIST_MAX (16u << 20)
/* Password hashing (argon2id, ~64 MiB each): how many run at once, how many
 * requests may queue behind them and for how long before a 503 with
 * Retry-After. A per-account throttle lets RF_THROTTLE_FREE failed sign-ins
 * pass, then doubles a delay from 1 s up to RF_THROTTLE_MAX_DELAY seconds, so
 * the real user waits at most that long once the attacker stops. */
#define RF_HASH_SLOTS 2
#define RF_HASH_QUEUE 16
#define RF_HASH_WAIT_SECONDS 2.0
#define RF_THROTTLE_FREE 5
#define RF_THROTTLE_MAX_DELAY 60.0

/* Interviews in the server (docs/interviews.md "In the product"): the
 * calibration of an organization's interviewers puts each candidate's test
 * evidence into its E-step (the severities then sit on the test's scale)
 * for at most this many candidates with scorecards; beyond, the scorecards
 * alone (it holds candidates x skills x grid doubles: 2,000 x 40 x 61 x 8
 * bytes, about 39 MB). */
#define RF_IV_TEST_EVIDENCE_MAX 2000

#endif
