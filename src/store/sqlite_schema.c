/*
 * The schema of the SQLite store as its migrations, in order; see
 * sqlite_schema.h. store_sqlite.c applies them.
 */
#include "store/sqlite_schema.h"

const char *const rf_sqlite_migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created INTEGER NOT NULL);"
    "CREATE TABLE users (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter')), pw_hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE candidates (id INTEGER PRIMARY KEY, org_id INTEGER REFERENCES orgs(id),"
    "  name TEXT, email TEXT, created INTEGER NOT NULL);"
    "CREATE TABLE auth (token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
    "  candidate_id INTEGER REFERENCES candidates(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE postings (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  created_by INTEGER REFERENCES users(id), title TEXT NOT NULL, text TEXT NOT NULL,"
    "  parsed TEXT, created INTEGER NOT NULL);"
    "CREATE TABLE invites (id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id), posting_id INTEGER REFERENCES postings(id),"
    "  role TEXT, label TEXT, created_by INTEGER REFERENCES users(id),"
    "  candidate_id INTEGER REFERENCES candidates(id), created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL);"
    "CREATE TABLE tests (id INTEGER PRIMARY KEY,"
    "  candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
    "  org_id INTEGER REFERENCES orgs(id), posting_id INTEGER REFERENCES postings(id),"
    "  invite_id INTEGER REFERENCES invites(id), scope TEXT NOT NULL, state TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished')),"
    "  profile TEXT, answers INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL);"
    "CREATE TABLE answers (test_id INTEGER NOT NULL REFERENCES tests(id), seq INTEGER NOT NULL,"
    "  item_id TEXT NOT NULL, choice INTEGER NOT NULL, score INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, PRIMARY KEY (test_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE bank_versions (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
    "  nitems INTEGER NOT NULL, loaded INTEGER NOT NULL);"
    "CREATE INDEX tests_org ON tests(org_id, status);"
    "CREATE INDEX tests_candidate ON tests(candidate_id);"
    "CREATE INDEX invites_org ON invites(org_id);"
    "CREATE INDEX postings_org ON postings(org_id);",
    /* 2: the packed profile (rf_profile_pack) beside the JSON one, so that
     * ranking reads posteriors without parsing JSON (NULL for tests finished
     * before); a posting's applicants found without scanning the organization */
    "ALTER TABLE tests ADD COLUMN packed BLOB;"
    "CREATE INDEX tests_posting ON tests(posting_id, status);",
    /* 3: the raw response beside the scored category (bank/answer.h stored
     * form: the option index, the number as typed, the options selected), so
     * that reports and calibration can re-score it; NULL for answers recorded
     * before, whose choice column holds the option index */
    "ALTER TABLE answers ADD COLUMN response TEXT;",
    /* 4: test-integrity signals (docs/integrity.md). served_ms: when the
     * question being asked was first served (ms since the epoch); rt_ms: the
     * server's time from serving a question to receiving its answer; the
     * client's own report of focus and visibility (blurs, hidden, away_ms)
     * and of its time on the question (client_ms). NULL for answers recorded
     * before, and for tests started before (their next answer has no time).
     * Per-item statistics (normative thresholds, distractor shares) read
     * answers by item. */
    "ALTER TABLE tests ADD COLUMN served_ms INTEGER;"
    "ALTER TABLE answers ADD COLUMN rt_ms INTEGER;"
    "ALTER TABLE answers ADD COLUMN client_ms INTEGER;"
    "ALTER TABLE answers ADD COLUMN blurs INTEGER;"
    "ALTER TABLE answers ADD COLUMN hidden INTEGER;"
    "ALTER TABLE answers ADD COLUMN away_ms INTEGER;"
    "CREATE INDEX answers_item ON answers(item_id);",
    /* 5: postings and invites that behave (issue 15). posting_edits: every
     * correction a recruiter makes to a posting's requirements (who, when,
     * what in words, the requirements before and after; postings.parsed holds
     * the current ones). invites: the hash of the resume code shown to the
     * candidate at the start, with the count and time of wrong codes (rate
     * limit across processes); a top-up invite names the finished test it adds
     * to and the skills it measures (a JSON array of skill ids). */
    "CREATE TABLE posting_edits (id INTEGER PRIMARY KEY,"
    "  posting_id INTEGER NOT NULL REFERENCES postings(id), user_id INTEGER REFERENCES users(id),"
    "  at INTEGER NOT NULL, summary TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL);"
    "CREATE INDEX posting_edits_posting ON posting_edits(posting_id);"
    "ALTER TABLE invites ADD COLUMN resume_hash TEXT;"
    "ALTER TABLE invites ADD COLUMN resume_fails INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE invites ADD COLUMN resume_fail_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE invites ADD COLUMN topup_of INTEGER;"
    "ALTER TABLE invites ADD COLUMN skills TEXT;",
    /* 6: accounts per organization (issue 21). An address is unique within
     * its organization only, so that adding an account never tells whether
     * another organization has one with that address; sign-in names the
     * organization when the server has several, by its name, now unique
     * (case-insensitively; a name held twice before keeps its first holder
     * and the others get " (id)" added). users is rebuilt (its UNIQUE was on
     * the column) with every row and id; store_sqlite.c runs migrations with
     * foreign keys off and checks them before committing. */
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id), email TEXT NOT NULL COLLATE NOCASE,"
    "  name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter')),"
    "  pw_hash TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (org_id, email));"
    "INSERT INTO users_new(id, org_id, email, name, role, pw_hash, created)"
    "  SELECT id, org_id, email, name, role, pw_hash, created FROM users;"
    "DROP TABLE users;"
    "ALTER TABLE users_new RENAME TO users;"
    "UPDATE orgs SET name = name || ' (' || id || ')' WHERE id NOT IN"
    "  (SELECT min(id) FROM orgs GROUP BY name COLLATE NOCASE);"
    "CREATE UNIQUE INDEX orgs_name ON orgs(name COLLATE NOCASE);",
    /* 7: teams (issue 18). A team belongs to an organization; a member is an
     * invite of it (invited like a candidate, to a role or find-my-role test)
     * that the member may share with the team (shared, and when); readiness
     * self-assessments (the ML Test Score) are kept per team, dated, with
     * their scores as a JSON object. */
    "CREATE TABLE teams (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  name TEXT NOT NULL, created_by INTEGER REFERENCES users(id), created INTEGER NOT NULL);"
    "CREATE INDEX teams_org ON teams(org_id);"
    "CREATE TABLE team_members (id INTEGER PRIMARY KEY,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id),"
    "  invite_id INTEGER NOT NULL UNIQUE REFERENCES invites(id),"
    "  shared INTEGER NOT NULL DEFAULT 0, shared_at INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX team_members_team ON team_members(team_id);"
    "CREATE TABLE team_assessments (id INTEGER PRIMARY KEY,"
    "  team_id INTEGER NOT NULL REFERENCES teams(id), date TEXT NOT NULL, scores TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users(id), created INTEGER NOT NULL);"
    "CREATE INDEX team_assessments_team ON team_assessments(team_id, date);",
    /* 8: limits shared by every process on the database (issue 20), written
     * without a sync and not exported (store.h). limits: a token bucket or a
     * counter by key (tokens or count, when last touched, whether the last
     * take was granted); practice_slots: open practice tests by client
     * address, bound to their test once it exists. */
    "CREATE TABLE limits (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL,"
    "  ok INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX limits_at ON limits(at);"
    "CREATE TABLE practice_slots (id INTEGER PRIMARY KEY, client TEXT NOT NULL,"
    "  test_id INTEGER, last REAL NOT NULL);"
    "CREATE INDEX practice_slots_client ON practice_slots(client);"
    "CREATE INDEX practice_slots_test ON practice_slots(test_id);",
    /* 9: bank revisions and the review queue (issue 19, docs/calibration.md
     * "Review and bank versions"). bank_revisions: each staff promotion or
     * retirement is a new revision of the bank, kept for good: overlay holds
     * every change from the bank file up to it (JSON), parent the revision
     * it was made from; ids are given by the store (not generated), one above
     * the largest. The setting bank_revision names the active one (0: the
     * bank file alone); a rollback only moves it. review_runs: each
     * calibration of the queue (kind 'pretest' or 'drift') with its result
     * (JSON) and the revision it read; review_decisions: every staff decision
     * (promote, update, keep, retire, rollback) with the revision it made or
     * chose. */
    "CREATE TABLE bank_revisions (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL,"
    "  overlay TEXT NOT NULL, summary TEXT NOT NULL, created_by INTEGER REFERENCES users(id),"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE review_runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  revision INTEGER NOT NULL, result TEXT NOT NULL, created_by INTEGER REFERENCES users(id),"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX review_runs_kind ON review_runs(kind, id);"
    "CREATE TABLE review_decisions (id INTEGER PRIMARY KEY, item_id TEXT,"
    "  action TEXT NOT NULL"
    "  CHECK (action IN ('promote', 'update', 'keep', 'retire', 'rollback')),"
    "  revision INTEGER NOT NULL, run_id INTEGER REFERENCES review_runs(id), note TEXT NOT NULL,"
    "  user_id INTEGER REFERENCES users(id), at INTEGER NOT NULL);"
    "CREATE INDEX review_decisions_item ON review_decisions(item_id);",
    /* 10: ranking reads an index and the kept fits, not the tests (issue 20).
     * tests_ranked holds what a ranking needs of every finished test, so the
     * scan never reads the tests' rows (their state, profile and posterior
     * run to kilobytes); it replaces tests_org, whose columns lead it.
     * test_fits: a finished test's fit to a posting (careers/fitsum.h),
     * stored by the first ranking that computes it and used while fit_key,
     * the key of the posting's reading, is the posting's; finished is the
     * test's updated time. A finished test's profile does not change (the
     * store's one update of it, packing an old test, drops its fits). Not
     * exported: rankings make them again. */
    "DROP INDEX tests_org;"
    "CREATE INDEX tests_ranked ON tests(org_id, status, id, candidate_id, posting_id, invite_id);"
    "CREATE TABLE test_fits (posting_id INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,"
    "  test_id INTEGER NOT NULL REFERENCES tests(id) ON DELETE CASCADE,"
    "  fit_key INTEGER NOT NULL, finished INTEGER NOT NULL, summary BLOB NOT NULL,"
    "  PRIMARY KEY (posting_id, test_id)) WITHOUT ROWID;"
    "CREATE INDEX test_fits_test ON test_fits(test_id);",
    /* 11: interviews (issue 17, docs/interviews.md "Scorecards in the
     * product"). users: a third staff role, 'interviewer', who sees only the
     * candidates assigned to them (users rebuilt for its CHECK, every row and
     * id kept, as migration 6). interview_assignments: an interviewer of the
     * organization on one held round (a round kit's or take-home's id, and
     * which holding of it: slot 1..) of a candidate (an invite of the
     * organization). scorecards: at most one per assignment: a score per
     * criterion (JSON object {criterion: point}), evidence notes, a
     * recommendation; state draft (its interviewer's alone), submitted (final),
     * locked (every interviewer of that held round has submitted).
     * scorecard_edits: every save of a scorecard, by whom and when, with the
     * content it replaced (NULL state: there was none). */
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id), email TEXT NOT NULL COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'interviewer')),"
    "  pw_hash TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (org_id, email));"
    "INSERT INTO users_new(id, org_id, email, name, role, pw_hash, created)"
    "  SELECT id, org_id, email, name, role, pw_hash, created FROM users;"
    "DROP TABLE users;"
    "ALTER TABLE users_new RENAME TO users;"
    "CREATE TABLE interview_assignments (id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  invite_id INTEGER NOT NULL REFERENCES invites(id), round TEXT NOT NULL,"
    "  slot INTEGER NOT NULL CHECK (slot >= 1),"
    "  interviewer_id INTEGER NOT NULL REFERENCES users(id),"
    "  created_by INTEGER REFERENCES users(id), created INTEGER NOT NULL,"
    "  UNIQUE (invite_id, round, slot, interviewer_id));"
    "CREATE INDEX interview_assignments_org ON interview_assignments(org_id, invite_id);"
    "CREATE INDEX interview_assignments_interviewer ON interview_assignments(interviewer_id);"
    "CREATE TABLE scorecards ("
    "  assignment_id INTEGER PRIMARY KEY REFERENCES interview_assignments(id),"
    "  scores TEXT NOT NULL, notes TEXT NOT NULL, recommendation TEXT,"
    "  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'locked')),"
    "  updated INTEGER NOT NULL, submitted INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE scorecard_edits (id INTEGER PRIMARY KEY,"
    "  assignment_id INTEGER NOT NULL REFERENCES interview_assignments(id),"
    "  user_id INTEGER REFERENCES users(id), at INTEGER NOT NULL, action TEXT NOT NULL,"
    "  state TEXT, scores TEXT, notes TEXT, recommendation TEXT);"
    "CREATE INDEX scorecard_edits_assignment ON scorecard_edits(assignment_id);",
    /* 12: self-reported group membership (issue 19, docs/fairness.md "Group
     * membership in the product"). Optional and declinable, kept apart from
     * the tests: one row per candidate who answered (declined 1: said no,
     * every field NULL; a withdrawal deletes the row), each field NULL when
     * not given. Read only by the admins' aggregate fairness reports, never
     * joined into anything a recruiter reads, never used in scoring. */
    "CREATE TABLE group_reports (candidate_id INTEGER PRIMARY KEY"
    "  REFERENCES candidates(id) ON DELETE CASCADE,"
    "  declined INTEGER NOT NULL DEFAULT 0 CHECK (declined IN (0, 1)),"
    "  gender TEXT, age_band TEXT, first_language TEXT, country TEXT,"
    "  updated INTEGER NOT NULL);",
    /* 13: PostgreSQL leaves room on each page of tests for its rows' next
     * versions (pg_schema.c 15, fillfactor); SQLite rewrites a row in its
     * b-tree page and has no such setting: nothing to do here */
    "SELECT 1;",
};

const size_t rf_sqlite_nmigrations = sizeof rf_sqlite_migrations / sizeof rf_sqlite_migrations[0];
