/*
 * The report's message tables (report_text.h), and the words of the terminal
 * test (rolefit assess, "assess.*"). Keys are dotted names by
 * section; a ".you" / ".staff" pair is the same message for the candidate
 * and for the organization's staff. English first, then Japanese, in the
 * same order (the tests check that every key is in both tables and that the
 * two templates of a key have the same placeholders and emphasis).
 */
#include "careers/report_text.h"

#include <string.h>

#include "base/escape.h"

struct msg {
    const char *key, *text;
};

static const struct msg en[] = {
    /* page and header */
    {"html.title", "rolefit report"},
    {"html.title_person", "rolefit report — {1}"},
    {"profile.h", "Skill profile"},
    {"profile.h_person", "Skill profile — {1}"},
    {"profile.measured", "{1} of {2} skills measured"},
    {"profile.source", "source: {1}"},
    {"profile.sessions", "rests on {1} sessions: {2}"},
    {"profile.assumed", "skill correlations assumed, not yet calibrated"},
    {"md.profile.lead", "{1} of {2} skills measured. Plan for: {3}."},
    {"kpi.closest", "Closest role"},
    {"kpi.no_role", "No role"},
    {"allright.own", "Excellent: you answered all {1} questions right. The test found no question "
                     "too hard for you, "
                     "so the levels shown are conservative: your true levels may well be higher."},
    {"allright.staff",
     "Excellent: all {1} questions answered right. The test found no question too hard for the "
     "candidate, so the levels shown are conservative: the true levels may well be higher."},
    {"kpi.random", "answers look random ({1})"},
    {"kpi.probability", "probability {1}"},
    {"kpi.best", "Highest fit"},
    {"kpi.fit", "fit {1} ± {2}"},
    {"kpi.plan", "Learning plan for"},
    {"kpi.gaps_one", "{1} gap to close"},
    {"kpi.gaps", "{1} gaps to close"},
    {"list.sep", ", "},
    {"header.sep", " · "},
    {"role.find", "Find my role"},
    /* a ranking's one-line reason (careers/rank.h): whole clauses, {1} a list */
    {"reason.req", "{1} ({2})"},
    {"reason.meets", "meets {1}"},
    {"reason.meets_none", "meets no measured requirement with confidence"},
    {"reason.gap", "gap: {1}"},
    {"reason.unmeasured", "not measured: {1}"},
    {"reason.unmeasured_more", "not measured: {1} and {2} more"},
    {"reason.sep", "; "},
    /* the team report (careers/team_report.h) */
    {"tr.title", "Team report: {1}"},
    {"tr.counted", "{1} of {2} members share a finished test and count below."},
    {"tr.note_line", "{1}."},
    {"tr.note.not_shared_one", "{1} member shares nothing with the team: it adds nothing to the "
                               "coverage below"},
    {"tr.note.not_shared", "{1} members share nothing with the team: they add nothing to the "
                           "coverage below"},
    {"tr.note.unfinished_one", "{1} shared test is not finished: it adds nothing to the coverage "
                               "below"},
    {"tr.note.unfinished", "{1} shared tests are not finished: they add nothing to the coverage "
                           "below"},
    {"tr.note.both_1_1", "{1} member shares nothing with the team and {2} shared test is not "
                         "finished: they add nothing to the coverage below"},
    {"tr.note.both_1_n", "{1} member shares nothing with the team and {2} shared tests are not "
                         "finished: they add nothing to the coverage below"},
    {"tr.note.both_n_1", "{1} members share nothing with the team and {2} shared test is not "
                         "finished: they add nothing to the coverage below"},
    {"tr.note.both_n_n", "{1} members share nothing with the team and {2} shared tests are not "
                         "finished: they add nothing to the coverage below"},
    {"tr.a_member", "a member"},
    {"tr.th.member", "Member"},
    {"tr.th.test", "Test"},
    {"tr.th.state", "State"},
    {"tr.th.shares", "Shares"},
    {"tr.state.finished", "finished"},
    {"tr.state.in_progress", "in progress"},
    {"tr.state.not_used", "not used"},
    {"tr.yes", "yes"},
    {"tr.no", "no"},
    {"tr.roles.h", "Roles an ML deployment needs"},
    {"tr.roles.sub",
     "The probability that at least one member who shares a finished test meets every core "
     "requirement of the role: measured skills by their estimates, unmeasured ones as in people "
     "in general (through the measured ones only once the links between skills are "
     "calibrated). In brackets (the line over a bar), where 90% of it would lie once every "
     "unmeasured core skill is measured; covered when even its low end is 80% or more, not "
     "covered when its high end is 20% or less, undecided between; unmeasured (grey) when no "
     "member's test measured the role's core skills (for a task: those of a role that carries "
     "it), whatever the figure, which then rests on the prior alone."},
    {"tr.roles.aria", "Coverage of the deployment roles"},
    {"tr.th.role", "Role"},
    {"tr.th.coverage", "Coverage"},
    {"tr.th.call", "Call"},
    {"tr.th.unmeasured", "Not measured on its core skills"},
    {"tr.call.covered", "covered"},
    {"tr.call.not_covered", "not covered"},
    {"tr.call.undecided", "undecided"},
    {"tr.call.unmeasured", "unmeasured"},
    {"tr.tasks.h", "Lifecycle tasks"},
    {"tr.tasks.aria", "Coverage of the lifecycle tasks"},
    {"tr.spof.h", "Single points of failure"},
    {"tr.spof.item", "{1}: only {2}"},
    {"tr.spof.none", "No task rests on one person."},
    {"tr.hire.h", "Hire next"},
    {"tr.hire.none", "No single hire at a deployment role's levels raises the coverage."},
    {"tr.hire.gain", "*{1}*: mean role coverage {2} points."},
    {"tr.hire.p_best", "Chance it is the hire that raises coverage most, given what the members' "
                       "tests leave uncertain: {1}."},
    {"tr.hire.near_ties", "About as likely the best (the members' draws cannot tell them "
                          "apart): {1}."},
    {"tr.hire.tie_one", "{1} ({2})"},
    {"tr.hire.closes_rt", "It closes: {1}; tasks raised: {2}."},
    {"tr.hire.closes_r", "It closes: {1}; tasks raised: none."},
    {"tr.hire.closes_t", "It closes: no role gap; tasks raised: {1}."},
    {"tr.hire.closes_none", "It closes: no role gap; tasks raised: none."},
    {"tr.hire.not_needed", "Not needed there, already covered: {1}."},
    {"tr.ready.h", "Production readiness (ML Test Score)"},
    {"tr.ready.none", "No self-assessment yet."},
    {"tr.ready.final", "Final score *{1}* ({2}): {3}. The final score is the lowest section's."},
    {"tr.th.section", "Section"},
    {"tr.th.score", "Score"},
    {"tr.ready.plan_h", "What raises the final score most"},
    {"tr.ready.step", "{1} (final {2} after it)"},
    {"tr.ready.step_held", "{1} (final stays {2}: {3} must rise first)"},
    {"tr.ready.owned", "Usually owned by: {1}"},
    {"tr.ready.owner_call", "{1} ({2})"},
    {"tr.ready.trend_h", "Trend"},
    {"tr.ready.trend_aria", "Readiness trend: final score of each assessment"},
    {"tr.footer",
     "Made by rolefit. A core skill a member's test did not measure counts by what the measured "
     "skills imply, and the interval shows how much rests on it. The readiness score is the "
     "team's own assessment."},
    /* rolefit readiness (src/cli/cmd_readiness.c) */
    {"rd.head_date", "ML Test Score on {1}: {2} ({3})"},
    {"rd.head", "ML Test Score: {1} ({2})"},
    {"rd.score_of", "{1} of {2}"},
    {"rd.lowest", "lowest: sets the final score"},
    {"rd.unscored", "{1} of {2} tests were not in the assessment and count as not done."},
    {"rd.plan_h", "To raise the final score soonest, automate:"},
    {"rd.step", "{1}. {2} ({3}, now {4}): final {5}"},
    {"rd.step_held", "{1}. {2} ({3}, now {4}): final stays {5}: {6} must rise first"},
    {"rd.owned", "usually owned by: {1}"},
    {"rd.level.automated", "automated"},
    {"rd.level.by_hand", "by hand"},
    {"rd.level.not_done", "not done"},
    {"rd.all_automated", "Every test is automated."},
    {"rd.trend_h", "Trend:"},
    /* rolefit kit (src/cli/cmd_kit.c) */
    {"kit.title", "Interview kit: {1} ({2} rounds)"},
    {"kit.scale", "Scale:"},
    {"kit.round", "{1}. {2} ({3} minutes)"},
    {"kit.round_n", "{1}. {2}, {3} rounds ({4} minutes each)"},
    {"kit.measures", "Measures: {1}"},
    {"kit.questions", "Questions:"},
    {"kit.then", "then: {1}"},
    {"kit.rubric", "Rubric:"},
    {"kit.criterion", "{1} ({2})"},
    {"kit.take_home", "Take-home: {1} (about {2} hours of work)"},
    {"kit.data", "Data: {1}"},
    {"kit.task", "Task: {1}"},
    {"kit.hand_in", "Hand in: {1}"},
    /* rolefit match (src/cli/cmd_match.c) */
    {"match.head", "{1}: {2} candidates, best {3}"},
    {"match.row", "fit {1} ± {2}  measured {3}%  {4}"},
    /* closest roles */
    {"closest.h", "Closest roles"},
    {"closest.nothing", "Nothing measured yet tells the roles apart."},
    {"closest.sub.you",
     "Which role's people your answers look most like: the probability of each role given the "
     "answers, if people of each role sit around the levels it requires, and the probability "
     "that the answers were given at random (no role). Skills the test did not measure count "
     "for no role. Fit, below, asks whether you meet a role's bar, and roles with lower bars on "
     "the same skills can fit better."},
    {"closest.sub.staff",
     "Which role's people the candidate's answers look most like: the probability of each role "
     "given the answers, if people of each role sit around the levels it requires, and the "
     "probability that the answers were given at random (no role). Skills the test did not "
     "measure count for no role. Fit, below, asks whether the candidate meets a role's bar, and "
     "roles with lower bars on the same skills can fit better."},
    {"md.closest.lead",
     "Which role's people the answers look most like (probability among the roles the test "
     "measured, and that the answers were given at random):"},
    {"md.closest.no_role", "No role {1}"},
    {"md.closest.item", "{1} {2}"},
    {"md.closest.item_first", "*{1}* {2}"},
    {"closest.own", "The closest role is the role of this test, {1}."},
    {"closest.highest",
     "The answers meet every bar of the closest role, {1}, that was measured, and no role asks "
     "more than it on the skills this test measured."},
    {"closest.higher",
     "The closest role, {1}, asks at least as much as {2} on every skill the test measured: the "
     "answers reach beyond its levels."},
    {"closest.lower",
     "The closest role, {1}, asks less than {2} on some skill the test measured: the answers "
     "there look like its people, not like this role's."},
    {"closest.random",
     "*No role resembles these answers*: they look like answers given at random ({1}), not like "
     "the people of any role."},
    {"closest.against",
     "The answers count against every role measured: the closest is the least unlike, not a "
     "match."},
    {"closest.no_role_row", "No role (random answers)"},
    {"md.closest.fit",
     "Fit, below, asks another question: whether you meet a role's bar. A role with lower bars "
     "on your skills can fit better than your closest role."},
    /* role fit */
    {"roles.h", "Roles that fit"},
    {"roles.sub",
     "Bar: fit, the expected share of the role's weighted requirements met, with ±1 SD. "
     "Diamond: probability that every core requirement is met. Requirements on skills not yet "
     "measured count with the population prior and are noted on the right."},
    {"roles.chart", "Role fit chart"},
    {"roles.core", "core {1}"},
    {"roles.unmeasured", "{1} unmeasured"},
    {"md.roles.lead",
     "Fit is the share of a role's weighted requirements you are estimated to meet (± its "
     "standard deviation); *core met* is the probability that every core requirement is met."},
    {"md.roles.prior",
     "Skills not measured count with the population prior: neither as met nor as zero. A test "
     "over them sharpens these numbers."},
    {"col.role", "Role"},
    {"col.fit", "Fit"},
    {"col.core_met", "Core met"},
    {"col.measured", "Measured"},
    {"col.not_measured", "Not measured"},
    {"col.skill", "Skill"},
    {"col.level", "Level"},
    {"col.theta", "θ ± SE"},
    {"col.items", "Items"},
    {"col.requirement", "Requirement"},
    {"col.weight", "Weight"},
    {"col.call", "Call"},
    {"col.p_met", "Probability met"},
    /* skills */
    {"skills.h", "Skills"},
    {"skills.chart_h", "Skill profile"},
    {"skills.sub",
     "Each row is a skill on the ability scale. Shaded bands are the five proficiency levels; "
     "the dot is the estimate and the line its 95% interval. Skills not measured are shown "
     "faded."},
    {"skills.chart", "Skill profile chart"},
    {"skills.not_measured", "not measured"},
    {"md.skills.unmeasured", "Not measured: {1}."},
    {"md.skills.unmeasured_none", "Not measured: none."},
    /* gaps and the learning plan */
    {"gaps.h", "Gaps and learning plan: {1}"},
    {"gaps.sub",
     "{1} Gaps are ordered by how much they cost in fit (weight × probability not met)."},
    {"gaps.none", "No gaps: every requirement of this role is met with probability {1} or more."},
    {"gap.needs", "needs {1} · probability met {2}"},
    {"gap.needs_core", "needs {1} (core skill) · probability met {2}"},
    {"md.gap.head", "{1}. {2} — needs {3}, P(met) = {4}"},
    {"md.gap.head_core", "{1}. {2} — needs {3} (core), P(met) = {4}"},
    {"gap.unmeasured.you",
     "Not measured yet: this estimate is the population prior. Take the test on this skill to "
     "know where you stand."},
    {"gap.unmeasured.staff",
     "Not measured yet: this estimate is the population prior. A test on this skill would tell "
     "where the candidate stands."},
    {"gap.missed.you", "Concepts you missed"},
    {"gap.missed.staff", "Concepts missed"},
    {"gap.missed_partly.you", "Concepts you missed or got partly right"},
    {"gap.missed_partly.staff", "Concepts missed or partly right"},
    {"gap.label", "{1}:"},
    {"chip.partly", "(partly right)"},
    {"chip.partly_n", "(partly right {1}×)"},
    {"md.concept.missed", "*{1}* (missed {2}×)"},
    {"md.concept.partly", "*{1}* (partly right {2}×)"},
    {"md.concept.both", "*{1}* (missed {2}×, partly right {3}×)"},
    {"concept.note", "*{1}:* {2}"},
    {"md.note", ": {1}"},
    {"md.loop", "*{1}*: {2}"},
    {"gap.study", "What to study"},
    {"gap.show", "Show it"},
    {"gap.blocks", "Blocks these roles"},
    {"md.gap.focus", "Focus: {1}"},
    {"md.gap.show", "Show it: {1}"},
    {"md.gap.blocks", "Blocks: {1}"},
    /* interview loop */
    {"loop.h", "Typical interview loop: {1}"},
    {"loop.sub", "What companies usually ask for this role. Loops vary by company."},
    /* the answers reviewed */
    {"answers.h.you", "Your answers ({1} of {2} right)"},
    {"answers.h.staff", "Answers ({1} of {2} right)"},
    {"answers.sub",
     "An adaptive test picks harder questions after right answers and easier ones after wrong "
     "answers, so the share right says little by itself; the profile above is the measurement."},
    {"review.right", "Right · {1}"},
    {"review.partly", "Partly right ({1}) · {2}"},
    {"review.missed", "Missed · {1}"},
    {"review.given.you", "Your answer: {1}"},
    {"review.given.staff", "The answer given: {1}"},
    {"review.right_answer", "Right answer: {1}"},
    {"review.multi", "Select all that apply."},
    {"review.correct_selected.you", "✓ correct, you selected it"},
    {"review.correct_selected.staff", "✓ correct, selected"},
    {"review.correct_unselected", "✓ correct answer (not selected)"},
    {"review.selected_wrong", "✗ selected, not a correct answer"},
    {"review.correct", "✓ correct answer"},
    {"review.yours.you", "✗ your answer"},
    {"review.yours.staff", "✗ the answer given"},
    {"review.credit",
     "Credit: {1} (each correct option selected counts one, each wrong one takes one away)"},
    {"review.why", "*Why:* {1}"},
    /* a posting's test */
    {"posting.h", "Against the posting: {1}"},
    {"posting.fit.you",
     "Fit {1} ± {2}: the expected share of the posting's weighted requirements you meet; {3} of "
     "its weight was measured."},
    {"posting.fit.staff",
     "Fit {1} ± {2}: the expected share of the posting's weighted requirements met; {3} of its "
     "weight was measured."},
    {"posting.preferred", "(preferred)"},
    {"call.meets", "met"},
    {"call.below", "below the bar"},
    {"call.undecided", "undecided"},
    {"call.not_measured", "not measured"},
    /* find my role's calls: a first reading, or the combined verdict */
    {"calls.h.first", "{1}: a first reading"},
    {"calls.h.combined", "{1}: the combined verdict"},
    {"calls.first",
     "Find my role asks one or two questions per skill across every role, so these calls on the "
     "closest role are a first reading: in simulation about one decisive call in eight is wrong."},
    {"calls.offer",
     "A confirm test (up to {1} questions, in the app) settles the requirements still undecided "
     "({2}); its report gives the combined verdict."},
    {"calls.combined", "Find my role and the confirm test together: each call below rests on "
                       "every answer of both sessions."},
    {"calls.h.verdict", "{1}: each requirement"},
    {"calls.verdict",
     "Each requirement is called meets or below once the answers make it at least 80% likely "
     "either way, read with and without the assumed links between skills; otherwise it is "
     "undecided. The last column is the chance that the call is wrong."},
    {"skills.random",
     "These answers look like answers given at random: the levels here read them as knowledge, "
     "so they say little about what was known."},
    {"col.p_wrong", "Chance the call is wrong"},
    /* an invited test's concepts */
    {"concepts.h", "Concepts missed"},
    {"concepts.sub",
     "The questions of an invited test are not shown, so that they stay fair for everyone who "
     "takes them: here are the concepts of the questions missed, and the learning plan above "
     "says what to study."},
    {"concepts.none", "No concept missed."},
    {"concepts.item", "{1}: {2}"},
    {"concepts.item_n", "{1}: {2} ({3} questions)"},
    /* the interviews' evidence beside the test's (staff) */
    {"ivr.h", "What the interviews said"},
    {"ivr.sub",
     "Per skill, on the test's scale (mean ± SD): what the test said, what the interviewers' "
     "{1} submitted scorecards said alone ({2} scores, each interviewer's severity and each "
     "criterion calibrated over the organization's scorecards, each score read against the bar "
     "of the candidate's role), and both together. The test and the interviews "
     "agree on a skill when their means differ by at most {3} SDs of the difference, so a "
     "wide estimate on either side is slow to disagree."},
    {"ivr.disagree_n",
     "The test and the interviews disagree on {1} skill(s): read the scorecards' evidence "
     "notes before relying on either."},
    {"ivr.col.test", "Test"},
    {"ivr.col.interviews", "Interviews"},
    {"ivr.col.combined", "Together"},
    {"ivr.col.agree", "Agree"},
    {"ivr.agree", "yes"},
    {"ivr.disagree", "no"},
    {"ivr.no_test", "not tested"},
    {"rank.interviews", "; interviews counted ({1} scores of submitted scorecards)"},
    /* integrity signals (staff) */
    {"integrity.h", "Signals worth a look"},
    {"integrity.note",
     "Signals worth a look, not verdicts. A fast answer, a switched tab or an unusual agreement "
     "with another candidate has innocent explanations (a known question, a second screen, a "
     "shared course); none of them shows on its own that anything was done wrong. Talk to the "
     "candidate, or ask them to retake the skill, before drawing any conclusion."},
    {"integrity.unavailable", "The integrity signals could not be read (see the server log)."},
    {"integrity.rapid",
     "*Rapid answers.* An answer is rapid when it came faster than its question's threshold: "
     "{1} of the question's mean time over everyone, at least {2} s and at most {3} s, timed by "
     "the server. Response-time effort is the share of a skill's answers that were not rapid; "
     "below {4} the skill is marked. Rapid answers suggest guessing without reading; the "
     "skill's result then understates what the person knows."},
    {"integrity.focus",
     "*Focus and visibility.* As the candidate's browser reported it for {1} answers: the page "
     "lost focus {2} times and was hidden {3} times, {4} s in all. Another window, a "
     "notification or a second screen does this too; the browser's report can be switched off "
     "or altered by the person, so it can show that something happened, never that nothing "
     "did."},
    {"integrity.copying",
     "*Agreement in wrong answers.* Compared with {1} other candidates of the same posting or "
     "organization who shared at least {2} questions: how many questions both got wrong with "
     "the same answer, against what two people working alone at their levels would share (p: "
     "the chance of that many or more). Marked below p = {3} ({4} over the comparisons made). "
     "Shared wrong answers also come from a common course or a common misconception."},
    {"col.timed", "Answers timed"},
    {"col.rapid", "Rapid"},
    {"col.effort", "Effort"},
    {"col.concepts", "Question's concepts"},
    {"col.time", "Time"},
    {"col.threshold", "Threshold"},
    {"col.focus_lost", "Focus lost"},
    {"col.hidden", "Hidden"},
    {"col.away", "Away"},
    {"col.other", "Other candidate"},
    {"col.shared", "Shared questions"},
    {"col.same_wrong", "Same wrong answer"},
    {"col.expected", "Expected"},
    {"integrity.flag", "worth a look"},
    {"integrity.yes", "yes"},
    {"integrity.test", "{1} (test {2})"},
    {"integrity.test_anon", "(test {1})"},
    /* the terminal test (rolefit assess) */
    {"assess.intro", "rolefit assess: up to {1} questions over {2} skills."},
    {"assess.intro_one", "rolefit assess: up to {1} questions over {2} skill."},
    {"assess.intro_role", "rolefit assess: up to {1} questions over {2} skills (role: {3})."},
    {"assess.intro_role_one", "rolefit assess: up to {1} questions over {2} skill (role: {3})."},
    {"assess.how",
     "Answer with the letter of your choice, a number where one is asked, or the letters of "
     "every option that applies (a,c); q quits."},
    {"assess.how_save",
     "Answer with the letter of your choice, a number where one is asked, or the letters of "
     "every option that applies (a,c); q quits and keeps the session."},
    {"assess.progress", "[{1}/{2}, {3} of target precision] {4}"},
    {"assess.multi",
     "Select all that apply: type the letters, separated by commas (each right option counts, "
     "each wrong one takes one away)."},
    {"assess.prompt", "your answer (a-{1}, q to quit): "},
    {"assess.prompt_multi", "your answer (letters a-{1} separated by commas, q to quit): "},
    {"assess.prompt_number", "your answer (a number, q to quit): "},
    {"assess.prompt_unit", "your answer (a number, in {1}, q to quit): "},
    {"assess.not_choice", "'{1}' is not a choice: answer with a letter a-{2} or a number 1-{3}"},
    {"assess.kept", "The session is kept in {1}; continue with --resume {1}"},
    {"assess.stopped", "Stopped without saving (use --save FILE to keep a session)."},
    {"assess.right", "Right."},
    {"assess.partly", "Partly right ({1} of {2}): the answer is {3}"},
    {"assess.wrong", "Not quite: the answer is {1}"},
    {"assess.resuming", "Resuming {1}: {2} questions answered."},
    {"assess.profile",
     "Your profile (theta: estimated ability, 0 = the reference population's average; SE: its "
     "standard error)"},
    {"assess.col.skill", "skill"},
    {"assess.col.items", "items"},
    {"assess.col.level", "level"},
    {"assess.fit",
     "Role fit (fit: expected share of the role's weighted requirements you meet; core: "
     "probability that you meet every core requirement)"},
    {"assess.fit_row", "fit {1} +- {2}   core {3}"},
    {"assess.fit_unmeasured", "(some skills not measured)"},
    {"assess.gaps", "largest gaps:"},
    {"assess.needs", "needs {1} P = {2}"},
    {"assess.core", "(core)"},
    {"assess.prior", "(not measured: prior)"},
    {"assess.closest_nothing", "Closest roles: nothing measured tells the roles apart."},
    {"assess.closest",
     "Closest roles (which role's people your answers look most like): {1}; no role {2}"},
    {"assess.no_role", "No role resembles your answers: they look like answers given at random."},
    {"assess.against",
     "(your answers count against every role measured: the closest is the least unlike)"},
    {"assess.missed", "Questions you missed"},
    {"assess.credit", "credit: {1} of {2}"},
    {"assess.answer", "answer: {1}"},
    {"assess.all_right", "You answered every question correctly."},
    {"assess.written", "Profile written to {1}"},
    {"footer",
     "Made by rolefit. Abilities are estimated with item response theory; each skill's estimate "
     "is a posterior distribution, and every probability here is computed from it. Skills not "
     "measured count with the population prior, never as met or as zero. Interviews and tests "
     "are approximations: projects a candidate can show remain the strongest evidence."},
};

static const struct msg ja[] = {
    /* page and header */
    {"html.title", "rolefit レポート"},
    {"html.title_person", "rolefit レポート — {1}"},
    {"profile.h", "スキルプロファイル"},
    {"profile.h_person", "スキルプロファイル — {1}"},
    {"profile.measured", "{2}スキル中{1}スキルを測定"},
    {"profile.source", "データ元：{1}"},
    {"profile.sessions", "{1}回のセッションに基づく：{2}"},
    {"profile.assumed", "スキル間の相関は仮定値（未較正）"},
    {"md.profile.lead", "{2}スキル中{1}スキルを測定しました。学習計画の対象：{3}。"},
    {"kpi.closest", "最も近い職種"},
    {"kpi.no_role", "該当職種なし"},
    {"allright.own",
     "優秀な結果です。{1}問すべてに正解しました。このテストには難しすぎる問題がなかったため、"
     "表示しているレベルは控えめな推定です。実際のレベルはこれより高い可能性が十分にあります。"},
    {"allright.staff",
     "優秀な結果です。{1}"
     "問すべてに正解しています。このテストには候補者にとって難しすぎる問題がなかったため、"
     "表示しているレベルは控えめな推定です。実際のレベルはこれより高い可能性が十分にあります。"},
    {"kpi.random", "解答はランダムに見えます（{1}）"},
    {"kpi.probability", "確率 {1}"},
    {"kpi.best", "最も高い適合度"},
    {"kpi.fit", "適合度 {1} ± {2}"},
    {"kpi.plan", "学習計画の対象"},
    {"kpi.gaps_one", "不足しているスキル {1}件"},
    {"kpi.gaps", "不足しているスキル {1}件"},
    {"list.sep", "、"},
    {"header.sep", " · "},
    {"role.find", "職種を探す"},
    {"reason.req", "{1}（{2}）"},
    {"reason.meets", "満たしている：{1}"},
    {"reason.meets_none", "確信をもって満たしていると言える測定済みの要件はなし"},
    {"reason.gap", "不足：{1}"},
    {"reason.unmeasured", "未測定：{1}"},
    {"reason.unmeasured_more", "未測定：{1} ほか{2}件"},
    {"reason.sep", "／"},
    {"tr.title", "チームレポート：{1}"},
    {"tr.counted",
     "メンバー{2}人のうち{1}人が完了したテストを共有しており、以下の集計に含まれています。"},
    {"tr.note_line", "{1}。"},
    {"tr.note.not_shared_one",
     "{1}人のメンバーがチームに何も共有していないため、以下のカバー率には含まれていません"},
    {"tr.note.not_shared",
     "{1}人のメンバーがチームに何も共有していないため、以下のカバー率には含まれていません"},
    {"tr.note.unfinished_one",
     "共有されたテストのうち{1}件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.note.unfinished",
     "共有されたテストのうち{1}件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.note.both_1_1", "{1}人のメンバーがチームに何も共有しておらず、共有されたテストのうち{2}"
                         "件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.note.both_1_n", "{1}人のメンバーがチームに何も共有しておらず、共有されたテストのうち{2}"
                         "件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.note.both_n_1", "{1}人のメンバーがチームに何も共有しておらず、共有されたテストのうち{2}"
                         "件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.note.both_n_n", "{1}人のメンバーがチームに何も共有しておらず、共有されたテストのうち{2}"
                         "件が未完了のため、以下のカバー率には含まれていません"},
    {"tr.a_member", "メンバー"},
    {"tr.th.member", "メンバー"},
    {"tr.th.test", "テスト"},
    {"tr.th.state", "状態"},
    {"tr.th.shares", "共有"},
    {"tr.state.finished", "完了"},
    {"tr.state.in_progress", "受験中"},
    {"tr.state.not_used", "未使用"},
    {"tr.yes", "はい"},
    {"tr.no", "いいえ"},
    {"tr.roles.h", "機械学習システムの運用に必要な職種"},
    {"tr.roles.sub",
     "完了したテストを共有しているメンバーのうち少なくとも1人が、その職種のコア要件をすべて満たして"
     "いる確率です。"
     "測定したスキルはその推定値で、測定していないスキルは一般の人と同じ分布で計算します"
     "（スキル間の関係が較正済みの場合に限り、測定済みのスキルからの推測も使います）。"
     "括弧内（棒の上の線）は、測定していないコアスキルをすべて測定したときにこの確率の90%"
     "が収まる範囲です。"
     "下限が80%以上ならカバー済み、上限が20%以下なら未カバー、その間は未確定とします。"
     "どのメンバーのテストもその職種のコアスキル（タスクの場合は、そのタスクを担う職種のコアスキル"
     "）を測定していない場合は、"
     "数値にかかわらず未測定（灰色）とします。その数値は事前分布だけに基づくためです。"},
    {"tr.roles.aria", "運用に必要な職種のカバー率"},
    {"tr.th.role", "職種"},
    {"tr.th.coverage", "カバー率"},
    {"tr.th.call", "判定"},
    {"tr.th.unmeasured", "コアスキルが未測定のメンバー"},
    {"tr.call.covered", "カバー済み"},
    {"tr.call.not_covered", "未カバー"},
    {"tr.call.undecided", "未確定"},
    {"tr.call.unmeasured", "未測定"},
    {"tr.tasks.h", "ライフサイクルのタスク"},
    {"tr.tasks.aria", "ライフサイクルのタスクのカバー率"},
    {"tr.spof.h", "単一障害点"},
    {"tr.spof.item", "{1}：{2}のみ"},
    {"tr.spof.none", "一人だけに依存しているタスクはありません。"},
    {"tr.hire.h", "次の採用"},
    {"tr.hire.none", "運用に必要な職種のレベルで1人を採用しても、カバー率は上がりません。"},
    {"tr.hire.gain", "*{1}*：職種の平均カバー率 {2} ポイント。"},
    {"tr.hire.p_best", "メンバーのテスト結果に残る不確かさを踏まえて、この採用がカバー率を最も上げる確率：{1}。"},
    {"tr.hire.near_ties", "同じくらい最善の採用である可能性がある職種（メンバーの結果からは区別できません）：{1}。"},
    {"tr.hire.tie_one", "{1}（{2}）"},
    {"tr.hire.closes_rt", "解消される不足：{1}。カバー率が上がるタスク：{2}。"},
    {"tr.hire.closes_r", "解消される不足：{1}。カバー率が上がるタスクはありません。"},
    {"tr.hire.closes_t", "解消される職種の不足はありません。カバー率が上がるタスク：{1}。"},
    {"tr.hire.closes_none", "解消される職種の不足も、カバー率が上がるタスクもありません。"},
    {"tr.hire.not_needed", "すでにカバーされているため、そこでは不要：{1}。"},
    {"tr.ready.h", "本番運用への準備度（ML Test Score）"},
    {"tr.ready.none", "自己評価はまだありません。"},
    {"tr.ready.final", "最終スコア *{1}*（{2}）：{3}。最終スコアは最も低いセクションの点数です。"},
    {"tr.th.section", "セクション"},
    {"tr.th.score", "点数"},
    {"tr.ready.plan_h", "最終スコアを最も上げる取り組み"},
    {"tr.ready.step", "{1}（実施後の最終スコア {2}）"},
    {"tr.ready.step_held", "{1}（{3} が先に上がるまで最終スコアは {2} のまま）"},
    {"tr.ready.owned", "主な担当：{1}"},
    {"tr.ready.owner_call", "{1}（{2}）"},
    {"tr.ready.trend_h", "推移"},
    {"tr.ready.trend_aria", "準備度の推移：各評価の最終スコア"},
    {"tr.footer", "rolefit "
                  "が作成しました。メンバーのテストで測定していないコアスキルは、測定済みのスキルか"
                  "ら推測される値で数え、"
                  "それにどれだけ依存しているかを区間で示しています。準備度のスコアはチーム自身によ"
                  "る評価です。"},
    {"rd.head_date", "{1} の ML Test Score：{2}（{3}）"},
    {"rd.head", "ML Test Score：{1}（{2}）"},
    {"rd.score_of", "{1} / {2}"},
    {"rd.lowest", "最も低いセクション：これが最終スコアになります"},
    {"rd.unscored", "{2}件のテストのうち{1}件は評価に含まれていないため、未実施として数えます。"},
    {"rd.plan_h", "最終スコアを最も早く上げるには、次のテストを自動化してください："},
    {"rd.step", "{1}. {2}（{3}、現在：{4}）：実施後の最終スコア {5}"},
    {"rd.step_held", "{1}. {2}（{3}、現在：{4}）：{6} が先に上がるまで最終スコアは {5} のまま"},
    {"rd.owned", "主な担当：{1}"},
    {"rd.level.automated", "自動化済み"},
    {"rd.level.by_hand", "手作業"},
    {"rd.level.not_done", "未実施"},
    {"rd.all_automated", "すべてのテストが自動化されています。"},
    {"rd.trend_h", "推移："},
    {"kit.title", "面接キット：{1}（全{2}ラウンド）"},
    {"kit.scale", "評価尺度："},
    {"kit.round", "{1}. {2}（{3}分）"},
    {"kit.round_n", "{1}. {2}、{3}ラウンド（各{4}分）"},
    {"kit.measures", "測定するスキル：{1}"},
    {"kit.questions", "質問："},
    {"kit.then", "深掘り：{1}"},
    {"kit.rubric", "評価基準："},
    {"kit.criterion", "{1}（{2}）"},
    {"kit.take_home", "持ち帰り課題：{1}（作業時間の目安 約{2}時間）"},
    {"kit.data", "データ：{1}"},
    {"kit.task", "課題：{1}"},
    {"kit.hand_in", "提出物：{1}"},
    {"match.head", "{1}：候補者 {2}人、上位 {3}人"},
    {"match.row", "適合度 {1} ± {2}  測定済み {3}%  {4}"},
    /* closest roles */
    {"closest.h", "近い職種"},
    {"closest.nothing", "これまでの測定では、職種を見分けることはまだできません。"},
    {"closest.sub.you",
     "あなたの解答が、どの職種の人の解答に最も似ているかを示します。各職種の人がその職種の求"
     "める"
     "水準の周辺にいると仮定したときの、解答から見た各職種の確率と、解答がランダムに選ばれた確率"
     "（該当職種なし）です。テストで測定していないスキルは「該当職種なし」の側に数えます。下の"
     "適合度は、"
     "あなたが職種の基準を満たしているかどうかを問うもので、同じスキルで基準の低い職種のほうが"
     "適合度が"
     "高くなることがあります。"},
    {"closest.sub.staff",
     "候補者の解答が、どの職種の人の解答に最も似ているかを示します。各職種の人がその職種の求"
     "める"
     "水準の周辺にいると仮定したときの、解答から見た各職種の確率と、解答がランダムに選ばれた確率"
     "（該当職種なし）です。テストで測定していないスキルは「該当職種なし」の側に数えます。下の"
     "適合度は、"
     "候補者が職種の基準を満たしているかどうかを問うもので、同じスキルで基準の低い職種のほうが"
     "適合度が"
     "高くなることがあります。"},
    {"md.closest.lead", "解答が最も似ている職種（テストで測定した職種の間での確率と、解答がラン"
                        "ダムに選ばれた確率）："},
    {"md.closest.no_role", "該当職種なし {1}"},
    {"md.closest.item", "{1} {2}"},
    {"md.closest.item_first", "*{1}* {2}"},
    {"closest.own", "最も近い職種は、このテストの職種である{1}です。"},
    {"closest.highest", "解答は、最も近い職種である{1}の測定したすべての水準を満たしています。"
                        "このテストで測定したスキルで、{1}より高い水準を求める職種はありません。"},
    {"closest.higher",
     "最も近い職種の{1}は、テストで測定したすべてのスキルで{2}と同等以上の水準を求めます。解答は"
     "この職種の水準を超えています。"},
    {"closest.lower", "最も近い職種の{1}は、テストで測定した一部のスキルで{2}"
                      "より低い水準しか求めません。そのスキルでは、"
                      "解答はこの職種の人ではなく{1}の人の解答に似ています。"},
    {"closest.random", "*どの職種の解答にも似ていません*"
                       "。解答はどの職種の人の解答でもなく、ランダムに選ばれた解答に"
                       "見えます（{1}）。"},
    {"closest.against", "解答は、測定したどの職種とも合いません。最も近い職種は最も差が小さい"
                        "職種であり、一致しているわけではありません。"},
    {"closest.no_role_row", "該当職種なし（ランダムな解答）"},
    {"md.closest.fit", "下の適合度は別の問いに答えます。あなたが職種の基準を満たしているかどうか"
                       "です。あなたのスキルで基準の"
                       "低い職種は、最も近い職種より適合度が高くなることがあります。"},
    /* role fit */
    {"roles.h", "適合する職種"},
    {"roles.sub", "棒：適合度（職種の重み付き要件のうち満たしている割合の期待値）と±1標準偏差。ひ"
                  "し形：すべての"
                  "コア要件を満たしている確率。まだ測定していないスキルの要件は母集団の事前分布で数"
                  "え、右側に注記します。"},
    {"roles.chart", "職種適合度のグラフ"},
    {"roles.core", "コア {1}"},
    {"roles.unmeasured", "未測定 {1}件"},
    {"md.roles.lead", "適合度は、職種の重み付き要件のうち、あなたが満たしていると推定される割合で"
                      "す（±は標準偏差）。"
                      "*コア充足*は、すべてのコア要件を満たしている確率です。"},
    {"md.roles.prior", "測定していないスキルは母集団の事前分布で数えます。満たしているとも、ゼロと"
                       "も扱いません。それらの"
                       "スキルのテストを受けると、これらの数値はより確かになります。"},
    {"col.role", "職種"},
    {"col.fit", "適合度"},
    {"col.core_met", "コア充足"},
    {"col.measured", "測定済み"},
    {"col.not_measured", "未測定"},
    {"col.skill", "スキル"},
    {"col.level", "レベル"},
    {"col.theta", "θ ± SE"},
    {"col.items", "問題数"},
    {"col.requirement", "要件"},
    {"col.weight", "重み"},
    {"col.call", "判定"},
    {"col.p_met", "満たす確率"},
    /* skills */
    {"skills.h", "スキル"},
    {"skills.chart_h", "スキルプロファイル"},
    {"skills.sub", "各行が能力尺度上の1つのスキルです。色の帯は5段階の習熟度レベル、点は推定値、線"
                   "はその95%区間です。"
                   "測定していないスキルは薄く表示します。"},
    {"skills.chart", "スキルプロファイルのグラフ"},
    {"skills.not_measured", "未測定"},
    {"md.skills.unmeasured", "未測定：{1}。"},
    {"md.skills.unmeasured_none", "未測定のスキルはありません。"},
    /* gaps and the learning plan */
    {"gaps.h", "不足しているスキルと学習計画：{1}"},
    {"gaps.sub",
     "{1} 不足しているスキルは、適合度への影響が大きい順（重み × 満たさない確率）に並べています。"},
    {"gaps.none",
     "不足しているスキルはありません。この職種のすべての要件を{1}以上の確率で満たしています。"},
    {"gap.needs", "必要なレベル：{1} · 満たす確率 {2}"},
    {"gap.needs_core", "必要なレベル：{1}（コアスキル） · 満たす確率 {2}"},
    {"md.gap.head", "{1}. {2} — 必要なレベル：{3}、P(満たす) = {4}"},
    {"md.gap.head_core", "{1}. {2} — 必要なレベル：{3}（コア）、P(満たす) = {4}"},
    {"gap.unmeasured.you", "まだ測定していません。この推定値は母集団の事前分布です。このスキルのテ"
                           "ストを受けると、現在の位置が"
                           "わかります。"},
    {"gap.unmeasured.staff", "まだ測定していません。この推定値は母集団の事前分布です。このスキルの"
                             "テストを受ければ、候補者の現在の"
                             "位置がわかります。"},
    {"gap.missed.you", "間違えた問題の概念"},
    {"gap.missed.staff", "間違えた問題の概念"},
    {"gap.missed_partly.you", "間違えた問題・部分正解だった問題の概念"},
    {"gap.missed_partly.staff", "間違えた問題・部分正解だった問題の概念"},
    {"gap.label", "{1}："},
    {"chip.partly", "（部分正解）"},
    {"chip.partly_n", "（部分正解 {1}回）"},
    {"md.concept.missed", "*{1}*（不正解 {2}回）"},
    {"md.concept.partly", "*{1}*（部分正解 {2}回）"},
    {"md.concept.both", "*{1}*（不正解 {2}回、部分正解 {3}回）"},
    {"concept.note", "*{1}：* {2}"},
    {"md.note", "：{1}"},
    {"md.loop", "*{1}*：{2}"},
    {"gap.study", "学ぶこと"},
    {"gap.show", "成果で示す"},
    {"gap.blocks", "このスキルの不足で満たせない職種"},
    {"md.gap.focus", "重点：{1}"},
    {"md.gap.show", "成果で示す：{1}"},
    {"md.gap.blocks", "満たせない職種：{1}"},
    /* interview loop */
    {"loop.h", "一般的な面接の流れ：{1}"},
    {"loop.sub", "この職種で企業がよく求めるものです。面接の流れは企業によって異なります。"},
    /* the answers reviewed */
    {"answers.h.you", "あなたの解答（{2}問中{1}問正解）"},
    {"answers.h.staff", "解答（{2}問中{1}問正解）"},
    {"answers.sub", "適応型テストは、正解の後には難しい問題を、不正解の後にはやさしい問題を出します"
                    "。そのため正答率だけでは"
                    "ほとんど何もわかりません。測定結果は上のプロファイルです。"},
    {"review.right", "正解 · {1}"},
    {"review.partly", "部分正解（{1}） · {2}"},
    {"review.missed", "不正解 · {1}"},
    {"review.given.you", "あなたの解答：{1}"},
    {"review.given.staff", "解答：{1}"},
    {"review.right_answer", "正解：{1}"},
    {"review.multi", "当てはまるものをすべて選ぶ問題です。"},
    {"review.correct_selected.you", "✓ 正解（あなたが選択）"},
    {"review.correct_selected.staff", "✓ 正解（選択済み）"},
    {"review.correct_unselected", "✓ 正解（未選択）"},
    {"review.selected_wrong", "✗ 選択したが正解ではない"},
    {"review.correct", "✓ 正解"},
    {"review.yours.you", "✗ あなたの解答"},
    {"review.yours.staff", "✗ 候補者の解答"},
    {"review.credit",
     "得点：{1}（正しい選択肢を1つ選ぶごとに1点、誤った選択肢を1つ選ぶごとに1点減点）"},
    {"review.why", "*解説：* {1}"},
    /* a posting's test */
    {"posting.h", "求人との比較：{1}"},
    {"posting.fit.you",
     "適合度 {1} ± "
     "{2}：求人の重み付き要件のうち、あなたが満たしている割合の期待値です。要件の重みの{3}を"
     "測定しました。"},
    {"posting.fit.staff",
     "適合度 {1} ± {2}：求人の重み付き要件のうち、満たしている割合の期待値です。要件の重みの{3}を"
     "測定しました。"},
    {"posting.preferred", "（歓迎要件）"},
    {"call.meets", "満たす"},
    {"call.below", "基準未満"},
    {"call.undecided", "未確定"},
    {"call.not_measured", "未測定"},
    /* find my role's calls: a first reading, or the combined verdict */
    {"calls.h.first", "{1}：一次判定"},
    {"calls.h.combined", "{1}：総合判定"},
    {"calls.first",
     "「職種を探す」テストはすべての職種にわたってスキルごとに1〜2問しか出題しないため、"
     "最も近い職種についてのこれらの判定は一次判定です。シミュレーションでは、確定した判定の"
     "およそ8件に1件が誤りでした。"},
    {"calls.offer",
     "確認テスト（最大{1}問、アプリ内）で、まだ判定が定まっていない要件（{2}件）を確定できます。"
     "その結果は総合判定として示されます。"},
    {"calls.combined", "「職種を探す」テストと確認テストの両方の解答すべてに基づく判定です。"},
    {"calls.h.verdict", "{1}：要件ごとの判定"},
    {"calls.verdict",
     "各要件は、解答からどちらかである確率が80%以上になったとき（スキル間の仮定したつながりを"
     "使った読みと使わない読みの両方で）、「満たす」または「基準未満」と判定します。それ以外は"
     "「未確定」です。最後の列は判定が誤っている確率です。"},
    {"skills.random",
     "この解答はランダムに選ばれた解答に見えます。ここでのレベルはそれを知識として読んだもの"
     "なので、知っていることはほとんど表していません。"},
    {"col.p_wrong", "判定が誤っている確率"},
    /* an invited test's concepts */
    {"concepts.h", "間違えた問題の概念"},
    {"concepts.sub", "招待制のテストの問題は、受験するすべての人にとって公平であり続けるよう表示し"
                     "ません。ここでは間違えた"
                     "問題の概念を示します。何を学ぶかは上の学習計画を参照してください。"},
    {"concepts.none", "間違えた問題はありません。"},
    {"concepts.item", "{1}：{2}"},
    {"concepts.item_n", "{1}：{2}（{3}問）"},
    /* the interviews' evidence beside the test's (staff) */
    {"ivr.h", "面接の評価"},
    {"ivr.sub",
     "スキルごとに、テストと同じ尺度（平均 ± 標準偏差）で、テストの結果、面接官が提出した {1} "
     "件の評価票だけによる結果（採点 {2} "
     "件、各面接官の厳しさと各評価基準は組織の評価票全体で較正し、"
     "各採点は候補者の職種が求めるレベルを基準として読む）、"
     "および両方を合わせた結果を示します。テストと面接の平均の差が、差の標準偏差の {3} "
     "倍以内であれば一致とみなします。どちらかの推定の幅が広いほど、不一致にはなりにくくなります"
     "。"},
    {"ivr.disagree_n",
     "{1} 個のスキルでテストと面接の結果が一致しません。どちらかに頼る前に、評価票の根拠メモを"
     "読んでください。"},
    {"ivr.col.test", "テスト"},
    {"ivr.col.interviews", "面接"},
    {"ivr.col.combined", "両方"},
    {"ivr.col.agree", "一致"},
    {"ivr.agree", "はい"},
    {"ivr.disagree", "いいえ"},
    {"ivr.no_test", "テストなし"},
    {"rank.interviews", "；面接の評価も含む（提出済み評価票の採点 {1} 件）"},
    /* integrity signals (staff) */
    {"integrity.h", "確認したほうがよいシグナル"},
    {"integrity.note", "確認したほうがよいシグナルであり、判定ではありません。速すぎる解答、タブの"
                       "切り替え、他の候補者との"
                       "珍しい一致には、無害な理由があり得ます（既知の問題、2台目の画面、同じ講座の"
                       "受講など）。どれも単独では"
                       "不正があったことを示しません。結論を出す前に候補者と話すか、そのスキルの再"
                       "受験を依頼してください。"},
    {"integrity.unavailable",
     "テストの公正性に関するシグナルを読み取れませんでした（サーバーログを参照）。"},
    {"integrity.rapid",
     "*速すぎる解答。* "
     "解答が問題の閾値より速かった場合を「速すぎる解答」とします。閾値は、全受験者"
     "におけるその問題の平均解答時間の{1}で、{2}秒以上{3}"
     "秒以下です（時間はサーバーで計測）。解答時間に"
     "基づく取り組み度は、そのスキルの解答のうち速すぎなかった割合で、{4}"
     "を下回るとスキルに印を付けます。"
     "速すぎる解答は、問題を読まずに当て推量で答えたことを示唆します。その場合、そのスキルの結果は"
     "本人の"
     "知識を過小評価しています。"},
    {"integrity.focus",
     "*フォーカスと表示状態。* "
     "候補者のブラウザーが{1}件の解答について報告した内容です。ページがフォーカスを"
     "失った回数は{2}回、非表示になった回数は{3}回で、合計{4}"
     "秒でした。別のウィンドウや通知、2台目の画面"
     "でも同じことが起こります。また、ブラウザーの報告は本人が無効にしたり改変したりできるため、何"
     "か"
     "が"
     "起きたことは示せても、何も起きなかったことは示せません。"},
    {"integrity.copying",
     "*誤答の一致。* "
     "同じ求人または組織の候補者で、{2}問以上の問題を共有した{1}人と比較しました。両者が"
     "同じ誤答をした問題の数を、それぞれの水準で独立に解いた2人が共有すると期待される数と比べていま"
     "す"
     "（p：それ以上の数が一致する確率）。p = "
     "{3}（比較全体で{4}）を下回ると印を付けます。誤答の一致は、"
     "同じ講座で学んだことや、よくある誤解からも生じます。"},
    {"col.timed", "計測した解答"},
    {"col.rapid", "速すぎる解答"},
    {"col.effort", "取り組み度"},
    {"col.concepts", "問題の概念"},
    {"col.time", "解答時間"},
    {"col.threshold", "閾値"},
    {"col.focus_lost", "フォーカス喪失"},
    {"col.hidden", "非表示"},
    {"col.away", "ページ外の時間"},
    {"col.other", "比較した候補者"},
    {"col.shared", "共有した問題"},
    {"col.same_wrong", "同じ誤答"},
    {"col.expected", "期待値"},
    {"integrity.flag", "要確認"},
    {"integrity.yes", "はい"},
    {"integrity.test", "{1}（テスト {2}）"},
    {"integrity.test_anon", "（テスト {1}）"},
    /* the terminal test (rolefit assess) */
    {"assess.intro", "rolefit assess：最大{1}問で{2}スキルを測定します。"},
    {"assess.intro_one", "rolefit assess：最大{1}問で{2}スキルを測定します。"},
    {"assess.intro_role", "rolefit assess：最大{1}問で{2}スキルを測定します（職種：{3}）。"},
    {"assess.intro_role_one", "rolefit assess：最大{1}問で{2}スキルを測定します（職種：{3}）。"},
    {"assess.how", "選択肢の文字で答えてください。数値を求める問題では数値を、当てはまるものをすべ"
                   "て選ぶ問題では該当する"
                   "文字をすべて（a,c のように）入力します。q で終了します。"},
    {"assess.how_save",
     "選択肢の文字で答えてください。数値を求める問題では数値を、当てはまるものをすべて選ぶ問題では"
     "該当する"
     "文字をすべて（a,c のように）入力します。q で終了し、セッションを保存します。"},
    {"assess.progress", "[{1}/{2}、目標精度の{3}] {4}"},
    {"assess.multi",
     "当てはまるものをすべて選んでください。文字をカンマ区切りで入力します（正しい選択肢は1つごとに"
     "加点、誤った選択肢は1つごとに減点）。"},
    {"assess.prompt", "解答（a〜{1}。q で終了）："},
    {"assess.prompt_multi", "解答（a〜{1} の文字をカンマ区切りで。q で終了）："},
    {"assess.prompt_number", "解答（数値。q で終了）："},
    {"assess.prompt_unit", "解答（数値、単位は{1}。q で終了）："},
    {"assess.not_choice",
     "「{1}」は選択肢ではありません。a〜{2} の文字か 1〜{3} の数字で答えてください。"},
    {"assess.kept", "セッションを {1} に保存しました。--resume {1} で続けられます。"},
    {"assess.stopped", "保存せずに終了しました（セッションを残すには --save FILE を指定します）。"},
    {"assess.right", "正解です。"},
    {"assess.partly", "部分的に正解です（{2}点中{1}点）。正解は {3} です。"},
    {"assess.wrong", "不正解です。正解は {1} です。"},
    {"assess.resuming", "{1} を再開します。解答済みの問題：{2}問。"},
    {"assess.profile",
     "あなたのプロファイル（theta：推定された能力。0 は基準集団の平均。SE：その標準誤差）"},
    {"assess.col.skill", "スキル"},
    {"assess.col.items", "問題数"},
    {"assess.col.level", "レベル"},
    {"assess.fit", "職種適合度（適合度：職種の重み付き要件のうち、あなたが満たしている割合の期"
                   "待値。コア：すべての"
                   "コア要件を満たしている確率）"},
    {"assess.fit_row", "適合度 {1} +- {2}   コア {3}"},
    {"assess.fit_unmeasured", "（一部のスキルは未測定）"},
    {"assess.gaps", "大きく不足しているスキル："},
    {"assess.needs", "必要なレベル {1} P = {2}"},
    {"assess.core", "（コア）"},
    {"assess.prior", "（未測定：事前分布）"},
    {"assess.closest_nothing",
     "近い職種：これまでの測定では、職種を見分けることはまだできません。"},
    {"assess.closest", "近い職種（あなたの解答が最も似ている職種）：{1}。該当職種なし {2}"},
    {"assess.no_role", "どの職種の解答にも似ていません。ランダムに選ばれた解答に見えます。"},
    {"assess.against",
     "（解答は、測定したどの職種とも合いません。最も近い職種は最も差が小さい職種です）"},
    {"assess.missed", "間違えた問題"},
    {"assess.credit", "得点：{2}点中{1}点"},
    {"assess.answer", "正解：{1}"},
    {"assess.all_right", "すべての問題に正解しました。"},
    {"assess.written", "プロファイルを {1} に書き出しました。"},
    {"footer",
     "rolefit "
     "が作成しました。能力は項目反応理論で推定しています。各スキルの推定値は事後分布であり、"
     "このレポートのすべての確率はそこから計算しています。測定していないスキルは母集団の事前分布で"
     "数え、"
     "満たしているとも、ゼロとも扱いません。面接もテストも近似にすぎません。候補者が示せる実際の"
     "プロジェクトが、今も最も確かな証拠です。"},
};

static const struct msg *table(enum rf_lang lang, size_t *n)
{
    if (lang == RF_JA) {
        *n = sizeof ja / sizeof ja[0];
        return ja;
    }
    *n = sizeof en / sizeof en[0];
    return en;
}

const char *rf_report_msg(enum rf_lang lang, const char *key)
{
    size_t n;
    const struct msg *t = table(lang, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].key, key) == 0)
            return t[i].text;
    return NULL;
}

const char *rf_report_msg_key(enum rf_lang lang, size_t i)
{
    size_t n;
    const struct msg *t = table(lang, &n);
    return i < n ? t[i].key : NULL;
}

rf_status rf_report_msg_arg(struct rf_buf *b, enum rf_msg_markup m, const char *s)
{
    rf_status rc = RF_OK;
    if (!s)
        return RF_OK;
    if (m == RF_MSG_HTML)
        return rf_buf_put_xml(b, s);
    if (m == RF_MSG_TEXT)
        return rf_buf_puts(b, s);
    for (; !rc && *s; s++) {
        if (*s == '|')
            rc = rf_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            rc = rf_buf_putc(b, ' ');
        else
            rc = rf_buf_putc(b, *s);
    }
    return rc;
}

/* Appends the literal run s[0..n) of a template. */
static rf_status literal(struct rf_buf *b, enum rf_msg_markup m, const char *s, size_t n)
{
    if (m != RF_MSG_HTML)
        return rf_buf_append(b, s, n);
    char tmp[1024];
    rf_status rc = RF_OK;
    while (!rc && n) {
        size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
        memcpy(tmp, s, k);
        tmp[k] = '\0';
        rc = rf_buf_put_xml(b, tmp);
        s += k;
        n -= k;
    }
    return rc;
}

rf_status rf_report_msg_put(struct rf_buf *b, enum rf_msg_markup m, enum rf_lang lang,
                            const char *key, const char *const *args, size_t nargs)
{
    const char *t = rf_report_msg(lang, key);
    if (!t)
        t = rf_report_msg(RF_EN, key);
    if (!t)
        return rf_report_msg_arg(b, m, key);
    rf_status rc = RF_OK;
    int bold = 0;
    const char *run = t;
    for (const char *p = t; !rc; p++) {
        int ph = p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}';
        if (*p && *p != '*' && !ph)
            continue;
        rc = literal(b, m, run, (size_t)(p - run));
        if (rc || !*p)
            break;
        if (*p == '*') {
            bold = !bold;
            if (m == RF_MSG_MD)
                rc = rf_buf_puts(b, "**");
            else if (m == RF_MSG_HTML)
                rc = rf_buf_puts(b, bold ? "<b>" : "</b>");
            run = p + 1;
        } else {
            size_t k = (size_t)(p[1] - '1');
            if (k < nargs)
                rc = rf_report_msg_arg(b, m, args[k]);
            p += 2;
            run = p + 1;
        }
    }
    return rc;
}
