// Teams (issue 18): make a team, invite members to a role or find-my-role
// test, see the coverage of the deployment roles and lifecycle tasks from the
// members who share, the next hire with a posting drafted in one click, and
// the team's readiness self-assessments (the ML Test Score) with their trend.
import { api, el, header, inLang, showError } from './api.js';
import { chance } from './chance.js';
import { lang as uiLang, t as tr, tn, tx as txt } from './i18n.js';

// a coverage with its 90% interval once the unmeasured skills are known
const covText = (x) => (x.interval ? `${chance(x.prob)} (${chance(x.interval[0])}–${chance(x.interval[1])})` : chance(x.prob));
let current = null;
let rubric = null;
const roleNames = new Map();

async function loadTeams() {
  const res = await api('GET', '/api/teams');
  const box = document.getElementById('teams');
  box.replaceChildren(res.teams.length
    ? el('ul', { id: 'team-list' }, res.teams.map((t) => el('li', {}, el('a', { href: `#${t.id}` }, t.name))))
    : el('p', { class: 'muted' }, tr('team.none')));
}

// The API's codes of a call and a member's state, in words.
const CALLS = { covered: 'team.call_covered', 'not covered': 'team.call_not_covered', undecided: 'team.call_undecided', unmeasured: 'team.call_unmeasured' };
const callWord = (c) => (CALLS[c] ? tr(CALLS[c]) : c);
const STATES = { finished: 'team.state_finished', 'in progress': 'team.state_in_progress', 'not used': 'team.state_not_used' };
const stateWord = (s) => (STATES[s] ? tr(STATES[s]) : s);

// unmeasured: no member's test measured the role's core skills; the figure is the prior's
const callClass = (c) => (c === 'covered' ? 'call-good' : c === 'not covered' ? 'call-bad' : c === 'unmeasured' ? 'muted' : 'call-warn');
const callColor = (c) => (c === 'covered' ? 'good' : c === 'not covered' ? 'bad' : c === 'unmeasured' ? 'muted' : 'warn');

function bar(p, call) {
  return el('span', { class: 'meter', style: 'display:inline-block;width:120px;height:8px;background:#edf0f4;border-radius:4px;vertical-align:middle;margin-right:8px;overflow:hidden' },
    el('i', { style: `display:block;height:100%;width:${Math.round(100 * p)}%;background:var(--${callColor(call)})` }));
}

function showMembers(t) {
  const tb = document.querySelector('#members tbody');
  tb.replaceChildren(...(t.members.length ? t.members.map((m) => el('tr', {},
    el('td', {}, m.label || '—'), el('td', {}, m.role_name || '—'), el('td', {}, stateWord(m.state)),
    el('td', {}, tr(m.shared ? (m.counted ? 'team.shares_yes' : 'team.shares_unfinished') : 'team.shares_no')))) : [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, tr('team.no_members')))]));
  const note = document.getElementById('team-note');
  note.hidden = !t.note;
  note.textContent = t.note ? tr('team.note', { note: `${t.note.charAt(0).toUpperCase()}${t.note.slice(1)}` }) : '';
}

function showCoverage(t) {
  const cov = t.coverage;
  // nobody's finished test shared: nothing below is measured, say so
  const none = !t.counted;
  document.getElementById('coverage-none').hidden = !none;
  document.querySelector('#roles tbody').replaceChildren(...cov.roles.map((r) => el('tr', {},
    el('td', {}, r.name), el('td', {}, bar(r.prob, r.call), covText(r)),
    el('td', { class: callClass(r.call) }, callWord(r.call)),
    el('td', {}, r.unmeasured ? tr('team.unmeasured', { n: r.unmeasured, total: t.counted }) : '—'))));
  document.querySelector('#tasks tbody').replaceChildren(...cov.tasks.map((k) => el('tr', {},
    el('td', {}, k.name), el('td', {}, bar(k.prob, k.call), covText(k)),
    el('td', { class: callClass(k.call) }, callWord(k.call)), el('td', {}, k.single_point ? tr('team.only', { who: k.single_point }) : '—'))));
  const h = cov.hires[0];
  const box = document.getElementById('hire');
  if (!h || !(h.gain > 0)) {
    box.replaceChildren(el('p', {}, tr('team.no_hire')));
    return;
  }
  const lang = el('select', { id: 'd-lang', 'aria-label': tr('team.posting_lang') },
    el('option', { value: 'en' }, 'English'), el('option', { value: 'ja', lang: 'ja' }, '日本語'));
  lang.value = uiLang;
  const draft = el('button', { type: 'button', id: 'draft-posting' }, tr('team.draft', { role: h.name }));
  draft.addEventListener('click', () => draftPosting(h.role, lang.value));
  // the DOM's own replaceChildren would write "null" for an absent part
  box.replaceChildren(...[
    el('p', { id: 'hire-next' }, txt('team.hire_gain', { role: el('strong', {}, h.name), points: Math.round(100 * h.gain) })),
    // the suggestion is the hire most likely to be the best one (docs/careers.md)
    // (with no member counted there is no member's uncertainty to speak of)
    h.p_best != null && !none ? el('p', { id: 'hire-chance', class: 'muted' }, tr('team.hire_chance', { chance: chance(h.p_best) })) : null,
    // the hires the members' draws cannot tell from it: said to be a near tie
    cov.hires.some((x) => x.near_tie) ? el('p', { id: 'hire-ties', class: 'muted' }, tr('team.near_ties', { roles: cov.hires.filter((x) => x.near_tie).map((x) => tr('team.tie_one', { role: x.name, chance: chance(x.p_best) })).join(tr('list.sep')) })) : null,
    el('p', {}, h.closes.roles.length
      ? tr(h.closes.tasks.length ? 'team.closes_roles_tasks' : 'team.closes_roles', { roles: h.closes.roles.map((r) => r.name).join(tr('list.sep')), tasks: h.closes.tasks.map((x) => x.name).join(tr('list.sep')) })
      : tr(h.closes.tasks.length ? 'team.closes_tasks' : 'team.closes_none', { tasks: h.closes.tasks.map((x) => x.name).join(tr('list.sep')) })),
    // a task the team already covers is not raised by the hire: said so
    h.closes.not_needed && h.closes.not_needed.length
      ? el('p', { class: 'muted', id: 'hire-not-needed' }, tr('team.not_needed', { tasks: h.closes.not_needed.map((x) => x.name).join(tr('list.sep')) })) : null,
    // the greedy follow-ups: each gain is what it adds given the hires before it
    cov.then && cov.then.length
      ? el('p', { class: 'muted', id: 'hire-then' }, tr('team.then', { hires: cov.then.map((x) => tr('team.then_hire', { role: x.name, points: Math.round(100 * x.gain) })).join(tr('list.sep')) })) : null,
    el('div', { class: 'actions' }, draft, lang)].filter(Boolean));
}

async function draftPosting(role, lang) {
  const res = await api('POST', `/api/teams/${current}/posting-draft`, { role, lang });
  document.getElementById('draft').hidden = false;
  document.getElementById('d-title').value = res.title;
  document.getElementById('d-text').value = res.text;
  document.getElementById('d-saved').hidden = true;
  document.getElementById('d-text').focus();
}

document.getElementById('d-save').addEventListener('click', async () => {
  const err = document.getElementById('d-error');
  showError(err, null);
  try {
    const p = await api('POST', '/api/postings', { title: document.getElementById('d-title').value, text: document.getElementById('d-text').value });
    const saved = document.getElementById('d-saved');
    saved.hidden = false;
    saved.replaceChildren(txt('team.draft_saved', { posting: el('a', { href: '/recruiter.html' }, p.title || tr('team.open_postings')) }));
  } catch (e) {
    showError(err, e);
  }
});

function trendChart(trend) {
  const w = 520, h = 140, pad = 28, n = trend.length;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h + 2 * pad}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', tr('team.trend_aria', { points: trend.map((t) => `${t.date} ${t.final}`).join(tr('list.sep')) }));
  svg.setAttribute('id', 'trend');
  svg.style.width = `${w}px`;
  svg.style.maxWidth = '100%';
  const mk = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; svg.append(e); };
  let prev = null;
  trend.forEach((t, i) => {
    const x = n > 1 ? pad + (i * (w - 2 * pad)) / (n - 1) : w / 2;
    const y = h + pad - (h * Math.min(t.final, 7)) / 7;
    if (prev) mk('line', { x1: prev[0], y1: prev[1], x2: x, y2: y, stroke: '#2456c7', 'stroke-width': 2 });
    mk('circle', { cx: x, cy: y, r: 4, fill: '#2456c7' });
    mk('text', { x, y: y - 8, 'font-size': 12, 'text-anchor': 'middle' }, String(t.final));
    mk('text', { x, y: h + pad + 18, 'font-size': 12, 'text-anchor': 'middle' }, t.date);
    prev = [x, y];
  });
  return svg;
}

// Who usually owns a step, and whether the team covers that role: a low
// section points at a coverage gap.
function owners(step, cov) {
  return (step.roles || []).map((id) => {
    const c = cov.roles.find((x) => x.role === id);
    return c ? tr('team.owner_call', { role: roleNames.get(id) || id, call: callWord(c.call) }) : roleNames.get(id) || id;
  }).join(tr('list.sep'));
}

function showReadiness(r, cov) {
  const box = document.getElementById('ready-summary');
  if (!r) {
    box.replaceChildren(el('p', { class: 'muted' }, tr('team.no_assessment')));
    return;
  }
  box.replaceChildren(
    el('p', { id: 'ready-final' }, txt('team.final', { score: el('strong', {}, String(r.final)), date: r.date, band: r.band.name, meaning: r.band.meaning })),
    el('p', {}, tn('team.weakest', r.assessments, { sections: r.weakest.map((id) => (rubric.sections.find((s) => s.id === id) || {}).name || id).join(tr('list.sep')) })),
    el('h3', {}, tr('team.raises_most')),
    // a step that leaves the final where it is says which sections hold it
    el('ol', { id: 'plan' }, r.plan.map((s) => el('li', {}, s.raises_final === false
      ? tr('team.plan_step_held', { step: s.title, after: s.final_after, sections: (s.held_by || []).map((x) => x.name).join(tr('list.sep')) })
      : tr('team.plan_step', { step: s.title, after: s.final_after }),
      s.roles && s.roles.length ? el('div', { class: 'muted' }, tr('team.owned_by', { owners: owners(s, cov) })) : null))),
    // one point is no trend: said in words, not drawn as a lone dot
    el('h3', {}, tr('team.trend')), r.trend.length > 1 ? trendChart(r.trend) : el('p', { class: 'muted', id: 'trend-one' }, tr('team.trend_one')));
}

function readinessForm() {
  const box = document.getElementById('r-tests');
  box.replaceChildren(...rubric.sections.map((s) => el('fieldset', { class: 'scope' }, el('legend', {}, s.name),
    s.tests.map((t) => el('label', { style: 'display:block;margin:6px 0' },
      el('select', { 'data-test': t.id, 'aria-label': t.title, style: 'width:auto;margin-right:8px' },
        ['0', '0.5', '1'].map((v) => el('option', { value: v }, v))),
      t.title)))));
  document.getElementById('r-date').value = new Date().toISOString().slice(0, 10);
}

document.getElementById('ready-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('r-error');
  showError(err, null);
  const scores = {};
  for (const s of document.querySelectorAll('#r-tests select')) scores[s.dataset.test] = Number(s.value);
  try {
    await api('POST', `/api/teams/${current}/assessments`, { date: document.getElementById('r-date').value, scores });
    await showTeam(current);
  } catch (e) {
    showError(err, e);
  }
});

async function showTeam(id) {
  current = id;
  const t = await api('GET', inLang(`/api/teams/${id}`));
  document.getElementById('team').hidden = false;
  document.getElementById('coverage').hidden = false;
  document.getElementById('readiness').hidden = false;
  document.getElementById('team-name').textContent = t.team.name;
  document.getElementById('team-report').href = inLang(`/api/teams/${id}/report.html`);
  document.getElementById('team-report-json').href = inLang(`/api/teams/${id}/report`);
  showMembers(t);
  showCoverage(t);
  showReadiness(t.readiness, t.coverage);
}

document.getElementById('team-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('t-error');
  showError(err, null);
  try {
    const res = await api('POST', '/api/teams', { name: document.getElementById('t-name').value });
    document.getElementById('t-name').value = '';
    await loadTeams();
    location.hash = `#${res.team.id}`;
  } catch (e) {
    showError(err, e);
  }
});

document.getElementById('member-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('m-error');
  showError(err, null);
  const test = document.getElementById('m-test').value;
  const body = { label: document.getElementById('m-label').value };
  if (test === 'find') body.find_role = true;
  else body.role = test;
  try {
    const res = await api('POST', `/api/teams/${current}/members`, body);
    const link = document.getElementById('m-link');
    link.hidden = false;
    link.replaceChildren(txt('team.send_link', { link: el('code', { class: 'link', id: 'member-url' }, `${location.origin}${res.link}`) }));
    document.getElementById('m-label').value = '';
    await showTeam(current);
  } catch (e) {
    showError(err, e);
  }
});

window.addEventListener('hashchange', () => { if (/^#\d+$/.test(location.hash)) showTeam(location.hash.slice(1)).catch(() => {}); });

async function init() {
  const m = await header('/team.html');
  if (!m || !m.user) { location.href = '/login.html'; return; }
  const [roles, r] = await Promise.all([api('GET', inLang('/api/roles')), api('GET', inLang('/api/readiness'))]);
  rubric = r;
  for (const x of roles.roles) roleNames.set(x.id, x.name);
  const team = new Set(['account_manager', 'ux_designer', 'data_scientist', 'project_engineering_manager',
    'ml_engineer', 'mlops_engineer', 'application_engineer', 'infrastructure_engineer']);
  const sel = document.getElementById('m-test');
  sel.replaceChildren(el('option', { value: 'find' }, tr('team.find_test')),
    ...roles.roles.filter((x) => team.has(x.id)).map((x) => el('option', { value: x.id }, tr('team.role_test', { role: x.name }))),
    ...roles.roles.filter((x) => !team.has(x.id)).map((x) => el('option', { value: x.id }, tr('team.role_test', { role: x.name }))));
  readinessForm();
  await loadTeams();
  if (/^#\d+$/.test(location.hash)) await showTeam(location.hash.slice(1));
}

init();
