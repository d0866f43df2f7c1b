// The report page: skill profile, role fit, gaps and plan, interview loop,
// and every question answered with the key and its explanation (practice tests;
// an invited test's report lists the concepts missed instead).
import { api, el, header, showError } from './api.js';
import { fitChart, profileChart } from './charts.js';
import { renderMarkup } from './markup.js';

const id = location.hash.slice(1);
const main = document.getElementById('report');
const pct = (v) => `${Math.round(100 * v)}%`;
const words = (tag) => tag.replace(/_/g, ' ');

// Charts are drawn for the width of their card and redrawn when it changes.
const charts = [];
function chartCard(draw) {
  const card = el('div', { class: 'card chart-card' });
  charts.push({ card, draw, width: 0 });
  return card;
}
function drawCharts() {
  for (const c of charts) {
    const cs = getComputedStyle(c.card);
    const w = Math.floor(c.card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
    if (w > 0 && Math.abs(w - c.width) > 8) {
      c.width = w;
      c.card.replaceChildren(c.draw(w));
    }
  }
}
let resizeTimer = 0;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawCharts, 120); });

function kpi(value, label) {
  return el('div', { class: 'card kpi' }, el('div', { class: 'v' }, value), el('div', { class: 'k' }, label));
}

function answerReview(a, skillName, own) {
  const type = a.type || 'mcq';
  let body;
  if (type === 'numeric') {
    body = el('p', { class: 'numeric-review' },
      `${own ? 'Your answer' : 'The answer given'}: `, el('strong', {}, a.given || '—'), a.correct ? ' ✓' : ' ✗',
      el('br'), 'Right answer: ', el('strong', {}, a.right_answer));
  } else {
    const keys = type === 'multi' ? a.keys : [a.key];
    const picked = type === 'multi' ? a.selected : [a.choice];
    body = el('ol', { type: 'A' }, a.options.map((o, i) => {
      const isKey = keys.includes(i), isPick = picked.includes(i);
      const mark = type === 'multi'
        ? (isKey && isPick ? ' ✓ correct, selected' : isKey ? ' ✓ correct answer (not selected)' : isPick ? ' ✗ selected, not a correct answer' : '')
        : (isKey ? ' ✓ correct answer' : isPick ? (own ? ' ✗ your answer' : ' ✗ the answer given') : '');
      return el('li', { class: isKey ? 'right' : isPick ? 'yours' : '' }, renderMarkup(o), mark ? el('strong', {}, mark) : null);
    }));
    body.querySelectorAll('p').forEach((p) => { p.style.display = 'inline'; p.style.margin = '0'; });
  }
  const credit = type === 'multi' ? el('p', { class: 'credit' }, `Credit: ${a.credit} (each correct option selected counts one, each wrong one takes one away)`) : null;
  const why = el('div', { class: 'why' }, renderMarkup(a.explanation));
  const first = why.querySelector('p');
  if (first) first.prepend(el('strong', {}, 'Why: '));
  const verdict = a.correct ? 'Right' : a.score > 0 ? `Partly right (${a.credit})` : 'Missed';
  return el('div', { class: a.correct ? 'review ok' : 'review' },
    el('div', { class: 'review-head' }, [verdict, skillName(a.skill), a.tags.map(words).join(', ')].filter(Boolean).join(' · ')),
    renderMarkup(a.stem), body, credit, why);
}

// Appends to the report what is there: el() skips null children, but the DOM's
// own append would write "null" into the page.
const add = (...nodes) => main.append(...nodes.flat().filter((x) => x !== null && x !== undefined && x !== false));

function render(r) {
  main.replaceChildren();
  const fits = (r.roles || []).slice().sort((a, b) => b.fit - a.fit);
  const t = r.target || {};
  const tf = fits.find((f) => f.role === t.role) || fits[0];
  const own = r.viewer !== 'staff';
  const who = r.person || 'This candidate';
  // Closest roles: only those that say something (at least 2%, at most six).
  const near = (r.closest || []).filter((c, i) => c.measured > 0 && i < 6 && (i === 0 || c.probability >= 0.02));
  // "No role": the answers look like answers given at random more than like any role's people.
  const none = r.no_role || 0;
  const noRole = !!near[0] && none > near[0].probability;
  add(
    el('h1', {}, r.find_role && noRole ? `${own ? '' : `${who}: `}No role resembles these answers`
      : r.find_role && near[0] ? `${own ? 'Your closest role' : `${who}: closest role`}${near[0].probability < 0.5 ? ' so far' : ''}: ${near[0].name} (${pct(near[0].probability)})`
      : t.name ? (own ? `Your fit for ${t.name}` : `${who}: fit for ${t.name}`) : (own ? 'Your skill profile' : `${who}: skill profile`)),
    el('p', { class: 'lead' }, `Measured ${r.skills_measured} of ${r.skills_total} skills. Every figure carries its uncertainty: a short test measures coarsely, and the intervals say how coarsely.`),
    el('div', { class: 'kpis' },
      tf ? kpi(`${pct(tf.fit)} ± ${pct(tf.sd || 0)}`, `fit to ${tf.name}: expected share of its weighted requirements ${own ? 'you meet' : 'met'}`) : null,
      tf ? kpi(pct(tf.p_core), `probability ${own ? 'you meet' : 'of meeting'} every core skill at the required level`) : null,
      noRole ? kpi('No role', `closest role: none; the answers look like answers given at random (${pct(none)})`)
        : near[0] ? kpi(near[0].name, `closest role (${pct(near[0].probability)}): the role whose people ${own ? 'your' : 'these'} answers look most like`) : null,
      fits[0] ? kpi(fits[0].name, `highest fit (${pct(fits[0].fit)})`) : null),
    el('div', { class: 'actions' },
      el('a', { class: 'button secondary', href: `/api/tests/${id}/report.html`, download: `rolefit-report-${id}.html` }, 'Download the report (HTML)')));

  // A posting's test: the candidate against the posting's requirements.
  const po = r.posting;
  if (po) {
    const callWord = (c) => ({ meets: own ? 'met' : 'met', below: 'below the bar', undecided: 'undecided', 'not measured': 'not measured' }[c] || c);
    add(el('h2', {}, `Against the posting: ${po.title}`),
      el('p', {}, `Fit ${pct(po.fit)} ± ${pct(po.sd || 0)}: the expected share of the posting's weighted requirements ${own ? 'you meet' : 'met'}; ${pct(po.measured)} of its weight was measured.`),
      el('p', { class: 'reason' }, po.reason),
      el('div', { class: 'table-wrap' }, el('table', { class: 'posting-table' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Requirement'), el('th', {}, 'Level'), el('th', {}, 'Weight'), el('th', {}, 'Call'), el('th', {}, 'Probability met'))),
        el('tbody', {}, po.requirements.map((q) => el('tr', {},
          el('td', {}, q.label, q.section === 'preferred' ? el('span', { class: 'muted' }, ' (preferred)') : null),
          el('td', {}, q.level), el('td', { class: 'num' }, Number(q.weight).toFixed(1)), el('td', {}, callWord(q.call)),
          el('td', { class: 'num' }, q.p === null || q.p === undefined ? '—' : pct(q.p))))))));
  }

  if (near.length) {
    add(el('h2', {}, 'Closest roles'),
      el('p', { class: 'muted' }, `Which role's people ${own ? 'your' : 'these'} answers look most like: the probability of each role, if people of each role sit around the levels it requires, from the skills this test measured (skills it did not measure count for no role), and the probability that the answers were given at random (no role). Fit, further down, asks whether ${own ? 'you meet' : 'the candidate meets'} a role's bar; a role with lower bars can fit better than the closest one.`),
      r.closest_relation === 'own' ? el('p', {}, `The closest role is the role of this test, ${t.name}.`)
        : r.closest_relation === 'higher' ? el('p', {}, `The closest role, ${near[0].name}, asks at least as much as ${t.name} on every skill the test measured: the answers reach beyond its levels.`)
          : r.closest_relation === 'other' ? el('p', {}, `The closest role, ${near[0].name}, asks less than ${t.name} on some skill the test measured: the answers there look like its people, not like this role's.`) : null,
      noRole ? el('p', { class: 'reason' }, el('strong', {}, 'No role resembles these answers'), `: they look like answers given at random (${pct(none)}), not like the people of any role.`)
        : near[0].log_bf < 0 ? el('p', { class: 'reason' }, `${own ? 'Your' : 'The'} answers count against every role measured: the closest is the least unlike, not a match.`) : null,
      chartCard((w) => fitChart(near.map((c) => ({ role: c.role, name: c.name, fit: c.probability, sd: 0 }))
        .concat([{ role: '', name: 'No role (random answers)', fit: none, sd: 0 }]), noRole ? '' : near[0].role, w, 'Closest roles: probability of each role given the answers')));
  }

  if (r.team && own) add(teamCard(r.team));

  // Find my role's calls are a first reading, with the confirm test on offer;
  // a confirm test's report is the combined verdict.
  const cv = r.confirm || (r.confirmed ? { role: r.confirmed.role } : null);
  const cf = cv && fits.find((f) => f.role === cv.role);
  if (cf) add(requirementCalls(r, cf, own));

  add(el('h2', {}, 'Skill profile'),
    el('p', { class: 'muted' }, 'Dots are estimates; whiskers are 95% intervals; bands are the proficiency levels.'),
    chartCard((w) => profileChart(r.skills.filter((k) => k.measured).concat(r.skills.filter((k) => !k.measured && (r.gaps || []).some((g) => g.skill === k.skill))), r.levels || ['novice', 'developing', 'proficient', 'advanced', 'expert'], w)),
    el('div', { class: 'table-wrap' }, el('table', { class: 'skills-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Skill'), el('th', {}, 'Level'), el('th', {}, 'θ ± SE'), el('th', {}, 'Items'))),
      el('tbody', {}, r.skills.filter((k) => k.measured).map((k) => el('tr', {},
        el('td', {}, k.name), el('td', {}, k.level), el('td', { class: 'num' }, `${k.theta.toFixed(2)} ± ${k.se.toFixed(2)}`), el('td', { class: 'num' }, String(k.items))))))),
    el('p', { class: 'muted' }, 'θ is the estimate on the skill\'s scale (0 is the population average, 1 one standard deviation above); SE is its standard error, the posterior standard deviation.'));

  add(el('h2', {}, 'Fit to every role'),
    el('p', { class: 'muted' }, `Bars are the expected share of each role's weighted requirements ${own ? 'you meet' : 'the candidate meets'}; lines are ± one standard deviation.`),
    chartCard((w) => fitChart(fits, t.role, w)));

  if (r.gaps && r.gaps.length) {
    add(el('h2', {}, 'Gaps and what to learn next'));
    add(...r.gaps.map((g) => el('div', { class: 'card', style: 'margin-bottom:12px' },
      el('h3', {}, `${g.name} — needed: ${g.level}${g.core ? ' (core)' : ''}`),
      el('p', { class: 'muted', style: 'margin:0 0 8px' }, g.measured
        ? `Probability ${own ? 'you are' : 'the candidate is'} at that level: ${pct(g.p)}.`
        : 'Not measured in this test: counted at the population prior, not as met.'),
      g.missed && g.missed.length ? el('p', { style: 'margin:0 0 8px' },
        g.missed.some((m) => m.partly) ? (own ? 'Concepts you missed or got partly right: ' : 'Concepts missed or partly right: ') : (own ? 'Concepts you missed: ' : 'Concepts missed: '),
        ...g.missed.map((m, i) => [i ? ', ' : '', el('strong', {}, words(m.tag)), m.partly ? (m.count ? ` (partly right ${m.partly}×)` : ' (partly right)') : '', m.note ? ` (${m.note})` : ''])) : null,
      g.focus ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, 'Focus: '), g.focus) : null,
      own ? followupButton(g) : null,
      g.study && g.study.length ? el('ol', { class: 'plan' }, g.study.map((step) => el('li', {}, step))) : null,
      g.practice ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, 'Practice project: '), g.practice) : null,
      g.blocks && g.blocks.length ? el('p', { class: 'reason', style: 'margin:0' }, `Also needed for: ${g.blocks.map((b) => b.name).join(', ')}`) : null)));
  }

  if (r.loop && r.loop.length) {
    add(el('h2', {}, `How ${t.name || 'this role'} is usually interviewed`),
      el('ol', {}, r.loop.map((s) => el('li', {}, el('strong', {}, s.stage), ` — ${s.what}`))));
  }

  const answers = r.answers || [];
  // Some credit on a multiple-select question is partly right, not missed.
  const missed = answers.filter((a) => !a.correct && !(a.score > 0)), right = answers.filter((a) => a.correct);
  const partly = answers.filter((a) => !a.correct && a.score > 0);
  const skillName = (id) => (r.skills.find((k) => k.skill === id) || {}).name || '';
  // the questions as they were asked: in the test's language
  const review = (a) => { const n = answerReview(a, skillName, own); if (r.lang && n.setAttribute) n.setAttribute('lang', r.lang); return n; };
  if (answers.length) {
    add(el('h2', {}, `${own ? 'Your answers' : 'Answers'} (${right.length} of ${answers.length} right)`),
      el('p', { class: 'muted' }, 'An adaptive test picks harder questions after right answers and easier ones after wrong answers, so the share right says little by itself; the profile above is the measurement.'),
      missed.length ? el('h3', {}, `Missed (${missed.length})`) : null, ...missed.map(review),
      partly.length ? el('h3', {}, `Partly right (${partly.length})`) : null, ...partly.map(review),
      right.length ? el('details', { class: 'answers-right' },
        el('summary', {}, `Answered right (${right.length})`), ...right.map(review)) : null);
  }
  if (r.answers_withheld) {
    // An invited test's questions stay undisclosed: the concepts missed, not the questions.
    const cm = r.concepts_missed || [];
    add(el('h2', {}, 'Concepts missed'),
      el('p', { class: 'muted' }, 'The questions of an invited test are not shown, so that they stay fair for everyone who takes them: here are the concepts of the questions missed, and the learning plan above says what to study.'),
      cm.length ? el('ul', { class: 'concepts-missed' }, cm.map((c) => el('li', {},
        `${skillName(c.skill) || c.skill}: ${c.concept}${c.missed > 1 ? ` (${c.missed} questions)` : ''}`)))
        : el('p', {}, 'No concept missed.'));
  }
  if (!own && r.integrity) add(signalsSection(r.integrity, skillName));
  drawCharts();
}

// The staff's test-integrity signals (docs/integrity.md): evidence worth a
// look, each with what it means, never a verdict. The server sends them to
// staff only.
function signalsSection(g, skillName) {
  const out = [el('h2', {}, 'Signals worth a look'), el('p', { class: 'muted' }, g.note || '')];
  if (g.unavailable) return out.concat(el('p', {}, g.unavailable));
  const s = (ms) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '—');
  const rule = g.rule || {};
  const row = (...cells) => el('tr', {}, cells.map((c) => el('td', {}, c)));
  const head = (...cells) => el('thead', {}, el('tr', {}, cells.map((c) => el('th', {}, c))));
  const table = (h, rows) => el('div', { class: 'table-wrap' }, el('table', {}, h, el('tbody', {}, rows)));
  out.push(el('p', {}, el('strong', {}, 'Rapid answers. '),
    `An answer is rapid when it came faster than its question's threshold: ${Math.round(100 * rule.fraction)}% of the question's mean time over everyone, at least ${s(rule.floor_ms)} and at most ${s(rule.cap_ms)}, timed by the server. Response-time effort is the share of a skill's answers that were not rapid; below ${rule.flag_below} the skill is marked. Rapid answers suggest guessing without reading: the skill's result then likely understates what the person knows.`),
  table(head('Skill', 'Answers timed', 'Rapid', 'Effort', ''), (g.skills || []).map((k) =>
    row(skillName(k.skill) || k.skill, String(k.timed), String(k.rapid), typeof k.rte === 'number' ? k.rte.toFixed(2) : '—', k.flagged ? el('strong', {}, 'worth a look') : ''))));
  const f = g.focus || {};
  out.push(el('p', {}, el('strong', {}, 'Focus and visibility. '),
    `As the candidate's browser reported it for ${f.answers_reported} answers: the page lost focus ${f.blurs} times and was hidden ${f.hidden} times, ${s(f.away_ms)} in all. Another window, a notification or a second screen does this too; the browser's report can be switched off or altered, so it can show that something happened, never that nothing did.`),
  el('details', {}, el('summary', {}, 'Every answer: time, threshold, focus'),
    table(head('#', 'Question', 'Time', 'Threshold', 'Rapid', 'Focus lost', 'Hidden', 'Away'), (g.answers || []).map((a) =>
      row(String(a.number), a.item, s(a.response_ms), s(a.threshold_ms), a.rapid ? el('strong', {}, 'yes') : '',
        a.blurs === undefined ? '—' : String(a.blurs), a.hidden === undefined ? '—' : String(a.hidden), s(a.away_ms))))));
  const c = g.copying || {};
  out.push(el('p', {}, el('strong', {}, 'Agreement in wrong answers. '),
    `Compared with ${c.compared} other candidates of the same posting or organization who shared at least ${c.min_common} questions: how many questions both got wrong with the same answer, against what two people working alone at their levels would share (p: the chance of that many or more). Marked below p = ${Number(c.alpha).toPrecision(2)}. Shared wrong answers also come from a common course or a common misconception.`));
  if (c.pairs && c.pairs.length) {
    out.push(table(head('Other candidate', 'Shared questions', 'Same wrong answer', 'Expected', 'p', ''), c.pairs.map((p) =>
      row(`${p.person || 'Candidate'} (test ${p.test})`, String(p.common), String(p.identical_wrong), p.expected.toFixed(1), p.p.toPrecision(2), p.flagged ? el('strong', {}, 'worth a look') : ''))));
  }
  return out;
}

// The requirement calls of one role: find my role's first reading with the
// confirm test on offer (POST /api/tests/:id/confirm), or a confirm test's
// combined verdict.
function requirementCalls(r, f, own) {
  const combined = !!r.confirmed;
  const offer = r.confirm || {};
  const callWord = (c) => ({ meets: 'meets', below: 'below the bar', undecided: 'undecided', 'not measured': 'not measured' }[c] || c);
  const n = (r.sessions || []).length;
  const msg = el('span', { class: 'muted', role: 'status' });
  const b = !combined && offer.offered && own ? el('button', {
    class: 'button', type: 'button',
    onclick: async () => {
      b.disabled = true;
      try {
        const res = await api('POST', `/api/tests/${id}/confirm`, { role: offer.role });
        location.href = `/test.html#${res.test.id}`;
      } catch (e) {
        b.disabled = false;
        showError(msg, e);
      }
    },
  }, `Confirm ${f.name}`) : null;
  return [
    el('h2', {}, combined ? `${f.name}: the combined verdict` : `${f.name}: a first reading`),
    combined
      ? el('p', {}, `Find my role and the confirm test together${n > 1 ? ` (this report rests on ${n} sessions)` : ''}: each requirement below is the call on all ${own ? 'your' : 'the'} answers. The confirm test asked where a requirement was still undecided and stopped when each was decided or at ${offer.max_items || 20} questions.`)
      : el('p', {}, `Find my role asks one or two questions per skill across every role, so these calls on the closest role are a first reading: in simulation one decisive call in seven to nine on the closest role is wrong. `,
        offer.offered ? `A confirm test asks up to ${offer.max_items} questions on the ${offer.undecided} requirement${offer.undecided === 1 ? '' : 's'} of ${f.name} still undecided, chosen where they tell the call apart, and stops when each is decided; its report gives the combined verdict.`
          : offer.reason ? `No confirm test is offered: ${offer.reason}.` : ''),
    el('div', { class: 'table-wrap' }, el('table', { class: 'calls-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Requirement'), el('th', {}, 'Level'), el('th', {}, 'Call'), el('th', {}, 'Probability met'), el('th', {}, 'Chance the call is wrong'))),
      el('tbody', {}, (f.requirements || []).map((q) => el('tr', {},
        el('td', {}, q.name, q.core ? el('span', { class: 'muted' }, ' (core)') : null), el('td', {}, q.level),
        el('td', {}, callWord(q.call)), el('td', { class: 'num' }, pct(q.p)),
        el('td', { class: 'num' }, q.call === 'meets' || q.call === 'below' ? pct(q.p_wrong) : '—')))))),
    b ? el('p', { class: 'actions' }, b, ' ', msg) : null,
  ];
}

// "Measure this skill further": a short follow-up session on this skill whose
// answers join this test's profile (POST /api/tests/:id/followup), then its questions.
function followupButton(g) {
  const msg = el('span', { class: 'muted', role: 'status' });
  const b = el('button', {
    class: 'button secondary', type: 'button',
    onclick: async () => {
      b.disabled = true;
      try {
        const res = await api('POST', `/api/tests/${id}/followup`, { skills: [g.skill] });
        location.href = `/test.html#${res.test.id}`;
      } catch (e) {
        b.disabled = false;
        showError(msg, e);
      }
    },
  }, `Measure ${g.name} further`);
  return el('p', { style: 'margin:6px 0 0' }, b, ' ', msg);
}

// A team member's report: the member alone decides whether the team sees it.
function teamCard(team) {
  const msg = el('span', { class: 'muted', role: 'status', id: 'share-status' });
  const say = (shared) => `${shared ? 'Your team sees this profile' : 'Your team does not see this profile'} (team “${team.name}”).`;
  const b = el('button', { type: 'button', id: 'share', class: team.shared ? 'secondary' : '' }, team.shared ? 'Stop sharing with my team' : 'Share with my team');
  msg.textContent = say(team.shared);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const res = await api('POST', `/api/tests/${id}/share`, { share: !team.shared });
      team.shared = res.shared;
      b.textContent = team.shared ? 'Stop sharing with my team' : 'Share with my team';
      b.className = team.shared ? 'secondary' : '';
      msg.textContent = say(team.shared);
    } catch (e) {
      showError(msg, e);
    }
    b.disabled = false;
  });
  return el('div', { class: 'card', id: 'team-share', style: 'margin:0 0 16px' },
    el('p', { style: 'margin:0 0 8px' }, 'This test was taken for a team. Your profile is yours: the team counts it in its coverage only while you share it, and you can stop at any time.'),
    el('div', { class: 'actions', style: 'margin-top:0' }, b, msg));
}

async function load() {
  await header('');
  if (!/^\d+$/.test(id)) { showError(document.getElementById('error'), { message: 'No report here.' }); return; }
  try {
    render(await api('GET', `/api/tests/${id}/report`));
  } catch (e) {
    document.getElementById('loading').remove();
    showError(document.getElementById('error'), e);
  }
}

load();
