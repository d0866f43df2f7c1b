// Interviews (issue 17): staff assign interviewers to a candidate's rounds,
// read the submitted scorecards, the hiring packet and the interviewers'
// calibration; an interviewer sees the candidates assigned to them and fills
// one scorecard per round: a point per criterion (each point anchored by the
// kit), evidence notes and a recommendation, saved as a draft, then
// submitted once. Another interviewer's scorecard of the same round shows
// only after one's own is submitted.
import { api, el, header, showError } from './api.js';
import { chance } from './chance.js';
import { has, lang, t, tn, tx } from './i18n.js';

const fix = (v) => (typeof v === 'number' ? v.toFixed(2) : '—');
const STATES = { open: 'iv.state_open', draft: 'iv.state_draft', submitted: 'iv.state_submitted', locked: 'iv.state_locked' };
const stateWord = (s) => (STATES[s] ? t(STATES[s]) : s);
const RECS = { strong_no: 'iv.rec_strong_no', no: 'iv.rec_no', yes: 'iv.rec_yes', strong_yes: 'iv.rec_strong_yes' };
const recWord = (r) => (RECS[r] ? t(RECS[r]) : r || '—');
const CALLS = { meets: 'iv.call_meets', below: 'iv.call_below', undecided: 'iv.call_undecided', 'not measured': 'iv.call_not_measured' };
const callWord = (c) => (CALLS[c] ? t(CALLS[c]) : c);
// a round's name in the page's language (the kit's Japanese name when it has one)
const roundName = (a) => (lang === 'ja' && a.round_name_ja) || a.round_name || a.round;
// a kit's text in the page's language: the field's _ja twin in Japanese (the
// server fills it with the English where the kit has no Japanese)
const pick = (o, f) => (lang === 'ja' && o[`${f}_ja`]) || o[f];
const callClass = (c) => (c === 'meets' ? 'call-good' : c === 'below' ? 'call-bad' : 'call-warn');

// Why a requirement at 91% can be undecided while one at 89% is met: the
// call needs the requirement's own answers too, not the links between skills
// alone (docs/careers.md "Calls"). Said under the table when it happens.
function linksNote(reqs) {
  const odd = reqs.filter((r) => r.call === 'undecided' && (r.p >= 0.8 || r.p <= 0.2));
  return odd.length ? el('p', { class: 'muted', id: 'packet-links' }, t('report.undecided_links', { pct: odd.map((r) => chance(r.p)).join(t('list.sep')) })) : null;
}

let who = null;
let staff = false;
let current = null;
let interviewers = [];

async function loadCandidates() {
  const box = document.getElementById('cands');
  let list = [];
  let unlisted = 0;
  if (staff) {
    const res = await api('GET', '/api/invites');
    list = res.invites.filter((v) => v.role).map((v) => ({ id: v.id, label: v.label || `#${v.id}` }));
    // a posting's candidates have no role, so no loop of rounds: said, not hidden
    unlisted = res.invites.filter((v) => !v.role && v.posting).length;
  } else {
    const res = await api('GET', '/api/assignments');
    const seen = new Map();
    for (const a of res.assignments) if (!seen.has(a.invite)) seen.set(a.invite, { id: a.invite, label: a.label || `#${a.invite}` });
    list = [...seen.values()];
  }
  box.replaceChildren(...[list.length
    ? el('ul', { id: 'cand-list' }, list.map((c) => el('li', {}, el('a', { href: `#${c.id}` }, c.label))))
    : el('p', { class: 'muted', id: 'cand-none' }, t(staff ? 'iv.no_candidates_staff' : 'iv.no_candidates')),
  unlisted ? el('p', { class: 'muted', id: 'cand-unlisted' }, tn('iv.posting_not_listed', unlisted)) : null].filter(Boolean));
}

async function loadInterviewers() {
  const res = await api('GET', '/api/interviewers');
  interviewers = res.interviewers;
  document.getElementById('ivs').replaceChildren(interviewers.length
    ? el('ul', {}, interviewers.map((x) => el('li', {}, x.name, el('span', { class: 'muted' }, ` ${x.email}`))))
    : el('p', { class: 'muted' }, t('iv.no_interviewers')));
}

// staff add an interviewer here (a recruiter has no Admin page to do it on)
const ivForm = document.getElementById('iv-form');
ivForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('iv-error');
  showError(err, null);
  try {
    const u = await api('POST', '/api/users', {
      name: ivForm['iv-name'].value, email: ivForm['iv-email'].value, password: ivForm['iv-password'].value, role: 'interviewer',
    });
    document.getElementById('iv-done').textContent = t('admin.added_interviewer', { email: u.email });
    ivForm.reset();
    await loadInterviewers();
    if (current !== null) await openCandidate(current);
  } catch (e) {
    showError(err, e);
  }
});

// a criterion's name in the page's language, from its id
const critName = (kit, id) => { const k = kit && kit.criteria.find((c) => c.id === id); return k ? pick(k, 'name') : id; };

// Every save of an assignment's scorecard: who, when, and what it replaced.
async function showHistory(a, kit, box) {
  const res = await api('GET', `/api/assignments/${a.id}/history`);
  const when = (at) => new Date(at * 1000).toLocaleString(lang);
  const prev = (x) => (x.previous
    ? t('iv.history_replaced', { state: stateWord(x.previous.state), scores: Object.entries(x.previous.scores).map(([k, v]) => `${critName(kit, k)} ${v}`).join(t('list.sep')) || '—' })
    : t('iv.history_first'));
  box.replaceChildren(res.history.length
    ? el('ul', { class: 'history' }, res.history.map((x) => el('li', {},
      t(x.action === 'submit' ? 'iv.history_submit' : 'iv.history_save', { who: x.user || t('iv.former_account'), when: when(x.at) }),
      el('span', { class: 'muted' }, ` ${prev(x)}`))))
    : el('p', { class: 'muted' }, t('iv.history_none')));
}

function historyButton(a, kit) {
  const box = el('div', { class: 'history-box' });
  const b = el('button', { type: 'button', class: 'secondary small', 'data-action': 'history' }, t('iv.history'));
  b.addEventListener('click', () => showHistory(a, kit, box).catch((e) => { const err = el('p', { class: 'error', role: 'alert' }); showError(err, e); box.replaceChildren(err); }));
  return el('div', {}, el('div', { class: 'actions' }, b), box);
}

function scorecardView(a, kit) {
  const c = a.scorecard;
  const crit = kit ? kit.criteria : [];
  return el('div', { class: 'card scorecard-view', style: 'margin-top:12px', 'data-interviewer': a.interviewer.name },
    el('h3', {}, t('iv.card_of', { who: a.interviewer.name, round: roundName(a), slot: a.slot })),
    el('p', { class: 'muted' }, stateWord(a.state)),
    c ? el('div', {},
      el('ul', {}, crit.map((k) => el('li', {}, tx('iv.criterion_score', { criterion: pick(k, 'name'), score: el('strong', {}, String(c.scores[k.id] ?? '—')) })))),
      c.notes ? el('p', {}, c.notes) : null,
      el('p', {}, t('iv.recommendation_is', { rec: recWord(c.recommendation) })))
      : el('p', { class: 'muted hidden-card' }, t(a.state === 'open' || a.state === 'draft' ? 'iv.not_submitted' : 'iv.hidden_until_yours')),
    (staff || a.mine) && a.state !== 'open' ? historyButton(a, kit) : null);
}

// A take-home's brief as the candidate got it: the data, the task, what to
// hand in and the time box (an interviewer scores the hand-in against it).
function takeHomeBrief(kit) {
  const part = (key, f) => (kit[f] ? [el('dt', {}, t(key)), el('dd', {}, pick(kit, f))] : []);
  const hours = Number(kit.hours);
  return el('details', { class: 'take-home' },
    el('summary', {}, hours > 0 ? t('iv.th_brief_hours', { hours: hours.toLocaleString(lang) }) : t('iv.th_brief')),
    el('dl', {}, ...part('iv.th_data', 'data'), ...part('iv.th_task', 'task'), ...part('iv.th_hand_in', 'hand_in')));
}

function scorecardForm(a, kit, scale, recs) {
  const c = a.scorecard || { scores: {}, notes: '', recommendation: null };
  const form = el('form', { class: 'card scorecard', style: 'margin-top:12px', 'data-round': a.round, 'data-slot': a.slot });
  const points = [];
  for (let p = scale.min; p <= scale.max; p++) points.push(p);
  const fields = kit.criteria.map((k) => el('fieldset', { class: 'criterion', 'data-criterion': k.id },
    el('legend', {}, pick(k, 'name')),
    points.map((p, i) => el('label', { class: 'option', style: 'font-weight:400' },
      el('input', { type: 'radio', name: `c-${a.id}-${k.id}`, value: p, checked: c.scores[k.id] === p }),
      ` ${p} — ${pick(k, 'anchors')[i]}`))));
  const notes = el('textarea', { id: `notes-${a.id}`, rows: 5 });
  notes.value = c.notes || '';
  const rec = el('select', { id: `rec-${a.id}` }, el('option', { value: '' }, '—'),
    recs.map((r) => el('option', { value: r, selected: c.recommendation === r }, recWord(r))));
  const err = el('p', { class: 'error', role: 'alert' });
  const state = el('p', { class: 'muted card-state' }, stateWord(a.state));
  const save = el('button', { type: 'button', class: 'secondary', 'data-action': 'save' }, t('iv.save_draft'));
  const submit = el('button', { type: 'submit', 'data-action': 'submit' }, t('iv.submit'));
  const send = async (final) => {
    showError(err, null);
    const scores = {};
    for (const k of kit.criteria) {
      const on = form.querySelector(`input[name="c-${a.id}-${k.id}"]:checked`);
      if (on) scores[k.id] = Number(on.value);
    }
    const body = { round: a.round, slot: a.slot, scores, notes: notes.value };
    if (rec.value) body.recommendation = rec.value;
    if (final) body.submit = true;
    try {
      const r = await api('PUT', `/api/interviews/${current}/scorecard`, body);
      state.textContent = stateWord(r.state);
      if (final) await openCandidate(current);
    } catch (e) { showError(err, e); }
  };
  save.addEventListener('click', () => send(false));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(true); });
  const qs = kit.questions ? el('details', {}, el('summary', {}, t('iv.questions')),
    el('ol', {}, kit.questions.map((q) => el('li', {}, pick(q, 'prompt'), el('ul', {}, pick(q, 'follow_ups').map((f) => el('li', { class: 'muted' }, f)))))))
    : kit.task ? takeHomeBrief(kit) : '';
  form.append(el('h3', {}, t('iv.your_card', { round: roundName(a), slot: a.slot })), state, qs, ...fields,
    el('label', { for: `notes-${a.id}` }, t('iv.notes')), notes,
    el('label', { for: `rec-${a.id}` }, t('iv.recommendation')), rec,
    el('div', { class: 'actions' }, save, submit), err);
  // the DOM's own append would write "null" for an absent part
  if (a.state !== 'open') form.append(historyButton(a, kit));
  return form;
}

// The candidate's assignments by round (and slot), in the order the server
// lists them, each group collapsible: a loop of seven rounds would otherwise
// stack seven scorecards. The current round is open: for an interviewer the
// first with their own scorecard still to submit; else (and for staff) the
// first with a scorecard not yet submitted; else the last. A round opened or
// closed by hand keeps that state (toggled).
const toggled = new Map();
const WAITING = new Set(['open', 'draft']);
function roundGroups(res) {
  const groups = [];
  const byKey = new Map();
  for (const a of res.assignments) {
    const key = `${a.round}:${a.slot}`;
    if (!byKey.has(key)) {
      const g = { key, name: a.slot > 1 ? t('iv.round_slot', { round: roundName(a), slot: a.slot }) : roundName(a), list: [], open: false };
      byKey.set(key, g);
      groups.push(g);
    }
    byKey.get(key).list.push(a);
  }
  const cur = groups.find((g) => g.list.some((a) => a.mine && WAITING.has(a.state)))
    || groups.find((g) => g.list.some((a) => WAITING.has(a.state))) || groups[groups.length - 1];
  for (const g of groups) {
    const hand = toggled.get(`${current}:${g.key}`);
    g.open = hand === undefined ? g === cur : hand;
  }
  return groups;
}

// A round's state in its summary line: how many of its scorecards are in.
function roundSummary(list) {
  const done = list.filter((a) => !WAITING.has(a.state)).length;
  return t('iv.round_cards_in', { done, n: list.length });
}

async function openCandidate(id) {
  current = id;
  const res = await api('GET', `/api/interviews/${id}`);
  document.getElementById('cand').hidden = false;
  document.getElementById('cand-name').textContent = res.candidate.label || `#${id}`;
  document.getElementById('cand-role').textContent = res.candidate.role_name ? t('iv.for_role', { role: pick(res.candidate, 'role_name') }) : '';
  document.querySelector('#assignments tbody').replaceChildren(...(res.assignments.length ? res.assignments.map((a) => el('tr', {},
    el('td', {}, a.interviewer.name), el('td', {}, roundName(a)), el('td', {}, String(a.slot)),
    el('td', { class: 'state' }, stateWord(a.state))))
    : [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, t('iv.no_assignments')))]));
  const cards = document.getElementById('cards');
  cards.replaceChildren(...roundGroups(res).map(({ key, name, list, open }) => {
    // a round opened or closed by hand (a click, or Enter or Space on its summary) stays so
    // when the page redraws (a draft saved, a card submitted)
    const sum = el('summary', {}, el('span', { class: 'round-name' }, name), ' ', el('span', { class: 'muted' }, roundSummary(list)));
    const g = el('details', { class: 'round-group', 'data-round': key, open: open || null }, sum,
      list.map((a) => {
        const kit = res.kits[a.round];
        return a.mine && (a.state === 'open' || a.state === 'draft') && kit ? scorecardForm(a, kit, res.scale, res.recommendations) : scorecardView(a, kit);
      }));
    sum.addEventListener('click', () => { toggled.set(`${current}:${key}`, !g.open); });
    return g;
  }));
  const form = document.getElementById('assign-form');
  form.hidden = !staff;
  document.getElementById('packet-box').hidden = !staff;
  document.getElementById('packet').replaceChildren();
  if (staff) {
    document.getElementById('a-round').replaceChildren(...res.loop.map((r) => el('option', { value: r.round }, r.count > 1 ? t('iv.round_times', { name: pick(r, 'name'), n: r.count }) : pick(r, 'name'))));
    document.getElementById('a-iv').replaceChildren(...interviewers.map((x) => el('option', { value: x.id }, x.name)));
  }
}

document.getElementById('assign-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('a-error');
  showError(err, null);
  try {
    await api('POST', '/api/assignments', {
      invite: current, round: document.getElementById('a-round').value,
      slot: Number(document.getElementById('a-slot').value || 1), interviewer: Number(document.getElementById('a-iv').value),
    });
    await openCandidate(current);
  } catch (e) { showError(err, e); }
});

document.getElementById('packet-show').addEventListener('click', async () => {
  const box = document.getElementById('packet');
  try {
    const p = await api('GET', `/api/interviews/${current}/packet`);
    // (the DOM's own replaceChildren would write "null" for an absent part)
    box.replaceChildren(...[
      el('h3', { style: 'margin-top:18px' }, t('iv.packet_title', { role: pick(p, 'role_name') })),
      el('p', { id: 'packet-sources' }, tn(p.test ? 'iv.packet_sources_test' : 'iv.packet_sources_no_test', p.ratings)),
      el('div', { class: 'card scroll-x' }, el('table', { id: 'packet-table' },
        el('thead', {}, el('tr', {}, ['iv.col_requirement', 'iv.col_p_meets', 'iv.col_call', 'iv.col_test', 'iv.col_interviews', 'iv.col_agree', 'iv.col_settle']
          .map((k) => el('th', { scope: 'col' }, t(k))))),
        el('tbody', {}, p.requirements.map((r) => el('tr', { 'data-skill': r.skill },
          el('td', {}, pick(r, 'skill_name'), r.core ? el('span', { class: 'chip core', style: 'margin-left:6px' }, t('iv.core')) : null),
          el('td', { class: 'num' }, chance(r.p_meets)),
          el('td', { class: callClass(r.call) }, callWord(r.call)),
          el('td', { class: 'num' }, chance(r.p_test)), el('td', { class: 'num' }, chance(r.p_interviews)),
          el('td', {}, r.agree === null ? '—' : t(r.agree ? 'iv.agree_yes' : 'iv.agree_no')),
          el('td', {}, r.settled_by ? t('iv.settle', { round: pick(r, 'settled_by_name'), p: chance(r.p_settle) }) : '—')))))),
      linksNote(p.requirements.map((r) => ({ call: r.call, p: r.p_meets }))),
      // the open requirements, then what a "no" risks: the chance the candidate meets every
      // core requirement, which means nothing for a role without one (it is 1 then)
      el('p', { id: 'packet-fn' }, p.open ? tn('iv.open', p.open) : t('iv.open_none'),
        p.requirements.some((r) => r.core) ? [' ', t('iv.false_negative', { p: chance(p.p_false_negative) })] : null)].filter(Boolean));
  } catch (e) {
    const err = el('p', { class: 'error', role: 'alert' });
    showError(err, e);
    box.replaceChildren(err);
  }
});

// A criterion that does not separate candidates, with why (its code worded in
// the page's language; the server's English only for a code this page lacks).
const flatCriterion = (f) => {
  const name = pick(f, 'name') || f.criterion;
  const why = f.why_code && has(`iv.flat_${f.why_code}`) ? t(`iv.flat_${f.why_code}`) : f.why;
  return why ? t('iv.flat_with_why', { name, why }) : name;
};

document.getElementById('calib-show').addEventListener('click', async () => {
  const rep = await api('GET', '/api/interviewers/calibration');
  document.getElementById('calib').hidden = false;
  document.getElementById('calib-body').replaceChildren(
    el('p', {}, tn('iv.calibration_sources', rep.scorecards, { ratings: rep.ratings })),
    el('div', { class: 'card scroll-x' }, el('table', { id: 'calib-ivs' },
      el('thead', {}, el('tr', {}, ['iv.col_interviewer', 'iv.col_severity', 'iv.col_ratings'].map((k) => el('th', { scope: 'col' }, t(k))))),
      el('tbody', {}, rep.interviewers.map((x) => el('tr', {}, el('td', {}, x.interviewer),
        el('td', { class: 'num' }, `${fix(x.severity)} ± ${fix(x.se)}`), el('td', { class: 'num' }, String(x.ratings))))))),
    el('div', { class: 'card scroll-x', style: 'margin-top:14px' }, el('table', { id: 'calib-rubrics' },
      el('thead', {}, el('tr', {}, ['iv.round', 'iv.col_pairs', 'iv.col_kappa', 'iv.col_icc', 'iv.col_flat'].map((k) => el('th', { scope: 'col' }, t(k))))),
      el('tbody', {}, rep.rubrics.map((r) => el('tr', {}, el('td', {}, (lang === 'ja' && r.name_ja) || r.name || r.rubric), el('td', { class: 'num' }, String(r.pairs)),
        el('td', { class: 'num' }, fix(r.kappa)), el('td', { class: 'num' }, fix(r.icc)),
        el('td', {}, r.not_separating.length ? r.not_separating.map(flatCriterion).join(t('list.sep')) : '—')))))));
});

async function route() {
  const id = Number(location.hash.slice(1));
  if (id > 0) {
    try { await openCandidate(id); } catch (e) {
      document.getElementById('cand').hidden = false;
      const err = el('p', { class: 'error', role: 'alert' });
      showError(err, e);
      document.getElementById('cand-name').replaceChildren(err);
    }
  }
}

(async () => {
  who = await header('/interviews.html');
  if (!who || !who.user) { location.href = '/login.html'; return; }
  staff = who.user.role !== 'interviewer';
  document.getElementById('lead').textContent = t(staff ? 'iv.lead_staff' : 'iv.lead_interviewer');
  document.getElementById('staff-tools').hidden = !staff;
  if (staff) await loadInterviewers();
  await loadCandidates();
  window.addEventListener('hashchange', route);
  await route();
})();
