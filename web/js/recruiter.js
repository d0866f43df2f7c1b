// Recruiter workspace: postings (parse, save, correct the requirements with
// a history of every edit, rank candidates with a reason each and the share
// of the posting measured, top-up links for what was not measured) and
// invite links (for a posting or a role; their state and reports).
import { api, el, header, showError } from './api.js';

const pct = (v) => `${Math.round(100 * v)}%`;
let roles = [];
const skillNames = new Map();

function showTab(name) {
  for (const t of ['postings', 'invites']) {
    document.getElementById(`tab-${t}`).setAttribute('aria-selected', String(t === name));
    document.getElementById(`panel-${t}`).hidden = t !== name;
  }
}
document.getElementById('tab-postings').addEventListener('click', () => showTab('postings'));
document.getElementById('tab-invites').addEventListener('click', () => { showTab('invites'); loadInvites(); });

function requirementList(title, reqs) {
  if (!reqs || !reqs.length) return null;
  return el('div', {}, el('h3', {}, title), el('div', { class: 'scroll-x' }, el('table', {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Term'), el('th', { scope: 'col' }, 'Measured as'),
      el('th', { scope: 'col' }, 'Level'), el('th', { class: 'num', scope: 'col' }, 'Weight'))),
    el('tbody', {}, reqs.map((r) => el('tr', {},
      el('td', {}, el('strong', {}, r.label),
        r.text && r.text.toLowerCase() !== String(r.label).toLowerCase() ? el('div', { class: 'reason' }, r.text) : null),
      el('td', {}, r.skills.map((id) => skillNames.get(id) || id).join(' or ')),
      el('td', {}, r.level),
      el('td', { class: 'num' }, Number(r.weight).toFixed(2))))))));
}

const LEVELS = ['developing', 'proficient', 'advanced', 'expert'];
const WEIGHTS = { top: 3, third: 2, rest: 1, preferred: 0.5 };

function showParsed(p) {
  const box = document.getElementById('parsed');
  const parsed = p.parsed || {};
  box.hidden = false;
  const edit = el('button', { type: 'button', class: 'secondary small', id: 'edit-reqs' }, 'Correct the requirements');
  edit.addEventListener('click', () => editRequirements(p));
  const hist = el('button', { type: 'button', class: 'secondary small', style: 'margin-left:8px' }, 'History of edits');
  hist.addEventListener('click', () => showHistory(p));
  box.replaceChildren(el('h2', { style: 'margin-top:0' }, p.title),
    parsed.edited ? el('p', { class: 'muted' }, `Requirements corrected by hand (${parsed.edited.edits} edit${parsed.edited.edits === 1 ? '' : 's'}); tests and rankings use them.`) : null,
    requirementList('Required', parsed.required),
    requirementList('Preferred', parsed.preferred),
    parsed.unmapped && parsed.unmapped.length
      ? el('div', {}, el('h3', {}, 'Not measured by rolefit'), el('ul', {}, parsed.unmapped.map((u) =>
        el('li', {}, u.text, el('span', { class: 'muted' }, ` (${u.section}, line ${u.line})`)))))
      : el('p', { class: 'muted' }, 'Every line maps to a measured skill.'),
    el('div', { class: 'actions' }, edit, hist),
    el('div', { id: 'edit-history' }));
}

async function showHistory(p) {
  const box = document.getElementById('edit-history');
  const res = await api('GET', `/api/postings/${p.id}/edits`);
  const when = (t) => new Date(t * 1000).toLocaleString();
  box.replaceChildren(el('h3', {}, 'History of edits'), res.edits.length
    ? el('ul', { id: 'edits' }, res.edits.map((e) => el('li', {}, el('strong', {}, e.summary),
      el('span', { class: 'muted' }, ` — ${e.by || 'a former account'}, ${when(e.at)}`))))
    : el('p', { class: 'muted' }, 'Not edited: these are the requirements as read from the text.'));
}

// One editable row: skills (several: met by any), level, required or
// preferred, weight; the label is kept when the skills are.
function editRow(r, section) {
  const skills = el('select', { multiple: true, 'aria-label': 'Skills (any of them meets it)', class: 'req-skills', size: 3 },
    [...skillNames].map(([id, name]) => el('option', { value: id, selected: r.skills.includes(id) }, name)));
  const level = el('select', { 'aria-label': 'Level', class: 'req-level' },
    LEVELS.map((l) => el('option', { value: l, selected: l === r.level }, l)));
  const sec = el('select', { 'aria-label': 'Required or preferred', class: 'req-section' },
    ['required', 'preferred'].map((x) => el('option', { value: x, selected: x === section }, x)));
  const weight = el('input', { type: 'number', min: '0.1', max: '10', step: '0.5', value: String(r.weight), 'aria-label': 'Weight', class: 'req-weight', style: 'width:5em' });
  const del = el('button', { type: 'button', class: 'secondary small' }, 'Remove');
  const tr = el('tr', { 'data-label': r.label || '', 'data-skills': r.skills.join(',') },
    el('td', {}, el('strong', {}, r.label || 'New requirement'), r.text ? el('div', { class: 'reason' }, r.text) : null),
    el('td', {}, skills), el('td', {}, level), el('td', {}, sec), el('td', {}, weight), el('td', {}, del));
  del.addEventListener('click', () => tr.remove());
  return tr;
}

function editRequirements(p) {
  const parsed = p.parsed || {};
  const box = document.getElementById('parsed');
  const body = el('tbody', {},
    (parsed.required || []).map((r) => editRow(r, 'required')),
    (parsed.preferred || []).map((r) => editRow(r, 'preferred')));
  const add = el('button', { type: 'button', class: 'secondary small' }, 'Add a requirement');
  add.addEventListener('click', () => body.append(editRow({ skills: [], level: 'proficient', weight: WEIGHTS.rest, label: '' }, 'required')));
  const save = el('button', { type: 'button', id: 'save-reqs' }, 'Save the requirements');
  const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const err = el('p', { class: 'error', role: 'alert', id: 'edit-error' });
  cancel.addEventListener('click', () => showParsed(p));
  save.addEventListener('click', async () => {
    showError(err, null);
    const out = { required: [], preferred: [] };
    for (const tr of body.querySelectorAll('tr')) {
      const skills = [...tr.querySelector('.req-skills').selectedOptions].map((o) => o.value);
      const same = skills.join(',') === tr.dataset.skills;
      const q = { skills, level: tr.querySelector('.req-level').value, weight: Number(tr.querySelector('.req-weight').value) };
      if (same && tr.dataset.label) q.label = tr.dataset.label;
      out[tr.querySelector('.req-section').value].push(q);
    }
    try {
      const res = await api('PUT', `/api/postings/${p.id}/requirements`, out);
      showParsed({ id: p.id, title: p.title, parsed: res.parsed });
      document.getElementById('parsed').prepend(el('p', { class: 'notice', id: 'edit-saved' }, `Saved: ${res.edit.summary}.`));
    } catch (e) {
      showError(err, e);
    }
  });
  box.replaceChildren(el('h2', { style: 'margin-top:0' }, `Correct: ${p.title}`),
    el('p', { class: 'muted' }, 'Choose the skills each requirement asks for (select several when any of them meets it), the level, and whether it is required. Weights: the first two required items weigh 3, the third 2, the rest 1, preferred ones 0.5; change them if the posting means otherwise. Every edit is kept with your name and the time.'),
    el('div', { class: 'scroll-x' }, el('table', { id: 'edit-table' },
      el('thead', {}, el('tr', {}, ['Requirement', 'Skills', 'Level', 'Section', 'Weight', ''].map((h) => el('th', { scope: 'col' }, h)))),
      body)),
    el('div', { class: 'actions' }, add, save, cancel), err);
}

async function loadPostings() {
  const res = await api('GET', '/api/postings');
  const box = document.getElementById('postings');
  const sel = document.getElementById('i-posting');
  const keep = sel.value || localStorage.getItem('rf_invite_posting') || '';
  sel.replaceChildren(el('option', { value: '' }, '— none: a role\'s test —'), ...res.postings.map((p) => el('option', { value: p.id }, p.title)));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  syncInviteForm();
  if (!res.postings.length) { box.replaceChildren(el('p', { class: 'muted' }, 'No postings yet.')); return; }
  box.replaceChildren(el('ul', { style: 'margin:0;padding-left:18px' }, res.postings.map((p) => {
    const b = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, 'Rank candidates');
    b.addEventListener('click', () => rank(p.id));
    const v = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, 'Requirements');
    v.addEventListener('click', async () => {
      showParsed(await api('GET', `/api/postings/${p.id}`));
      document.getElementById('parsed').scrollIntoView({ behavior: 'smooth' });
    });
    return el('li', { style: 'margin:6px 0' }, p.title, v, b);
  })));
}

// The posting being ranked; the scope comes from the radio group: its
// applicants (tests from its invites) or everyone in the organization.
let ranked = null;
const scopeOf = () => document.querySelector('#ranking-scope input:checked').value;

async function rank(id, scroll = true) {
  ranked = id;
  const scope = scopeOf();
  const err = document.getElementById('rank-error');
  showError(err, null);
  let r;
  try {
    r = await api('GET', `/api/postings/${id}/ranking?scope=${scope}`);
  } catch (e) {
    document.getElementById('ranking').hidden = false;
    showError(err, e);
    return;
  }
  // one page of the ranking (the best first); the title counts them all
  const n = r.total ?? r.candidates.length;
  const shown = r.candidates.length < n ? `; the best ${r.candidates.length} shown` : '';
  const who = scope === 'org' ? 'in the organization' : `applicant${n === 1 ? '' : 's'}`;
  document.getElementById('ranking').hidden = false;
  document.getElementById('ranking-title').textContent = `Ranking for ${r.posting.title} (${n} ${scope === 'org' ? `candidate${n === 1 ? '' : 's'} ` : ''}${who}${shown})`;
  const empty = scope === 'org'
    ? 'No finished tests in your organization yet: invite candidates first.'
    : 'No finished tests from this posting\'s invites yet: invite candidates for it, or rank everyone in the organization.';
  document.querySelector('#ranking-table tbody').replaceChildren(...(n ? r.candidates.map((c, i) => el('tr', {},
    el('td', {}, String((r.offset || 0) + i + 1)),
    el('td', {}, c.label || `Candidate ${c.candidate}`,
      scope === 'org' && c.applicant ? el('span', { class: 'chip', style: 'margin-left:6px' }, 'applicant') : null),
    el('td', { class: 'num' }, `${pct(c.fit)} ± ${pct(c.sd || 0)}`), el('td', { class: 'num' }, pct(c.p_required)),
    el('td', { class: 'num measured' }, pct(c.measured)),
    el('td', { class: 'reason' }, c.reason, c.not_measured ? topupButton(id, c) : null),
    el('td', {}, el('a', { href: `/api/tests/${c.test}/report.html`, target: '_blank', rel: 'noopener' }, 'Open')))) :
    [el('tr', {}, el('td', { colspan: 7, class: 'empty' }, empty))]));
  if (scroll) document.getElementById('ranking').scrollIntoView({ behavior: 'smooth' });
}
// A top-up link: a short test of what this candidate's tests did not measure.
function topupButton(posting, c) {
  const b = el('button', { type: 'button', class: 'secondary small topup', style: 'margin-left:8px' }, 'Top-up invite');
  b.addEventListener('click', async () => {
    const err = document.getElementById('rank-error');
    showError(err, null);
    try {
      const v = await api('POST', `/api/postings/${posting}/topup`, { test: c.test });
      const url = `${location.origin}${v.link}`;
      b.replaceWith(el('span', { class: 'notice topup-link' }, `Send this top-up link to ${c.label || 'the candidate'} (${v.skills.length} skill${v.skills.length === 1 ? '' : 's'}): `, el('code', { class: 'link' }, url)));
    } catch (e) {
      showError(err, e);
    }
  });
  return b;
}

for (const input of document.querySelectorAll('#ranking-scope input')) {
  input.addEventListener('change', () => { if (ranked !== null) rank(ranked, false); });
}

const pform = document.getElementById('posting-form');
pform.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('p-error');
  showError(err, null);
  try {
    const p = await api('POST', '/api/postings', { title: pform['p-title'].value, text: pform['p-text'].value });
    showParsed(p);
    pform.reset();
    await loadPostings();
  } catch (e) {
    showError(err, e);
  }
});

async function loadInvites() {
  const res = await api('GET', '/api/invites');
  const roleName = (id) => (roles.find((r) => r.id === id) || {}).name || id.replace(/_/g, ' ');
  const date = (t) => new Date(t * 1000).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  const state = (v) => v.state === 'finished'
    ? el('a', { href: `/api/tests/${v.test}/report.html`, target: '_blank', rel: 'noopener' }, 'finished — open report')
    : v.state === 'in progress' ? `in progress (${v.answered || 0} answered)`
      : v.state === 'expired' ? 'expired' : 'not used yet';
  const what = (v) => [v.posting_title ? `Posting: ${v.posting_title}` : null, v.role ? roleName(v.role) : null,
    v.topup_of ? 'top-up' : null].filter(Boolean).join(' · ') || '—';
  document.querySelector('#invites tbody').replaceChildren(...(res.invites.length ? res.invites.map((v) => el('tr', {},
    el('td', {}, v.label || '—'), el('td', {}, what(v)), el('td', { class: 'state' }, state(v)),
    el('td', {}, date(v.expires)))) :
    [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No invites yet. Create one above and send the link to a candidate.'))]));
}

// Choosing a posting sets the test: the posting's own test, unless a role is
// also chosen (then the report targets that role too).
function syncInviteForm() {
  const posting = document.getElementById('i-posting').value;
  const role = document.getElementById('i-role');
  const own = role.querySelector('option[value=""]');
  if (own) own.disabled = !posting;
  if (!posting && !role.value) role.selectedIndex = 1;
  document.getElementById('i-test-note').textContent = posting
    ? (role.value ? 'The test measures the posting; the report also reads the candidate against the chosen role.'
      : 'The test measures the posting\'s requirements, the first ones most.')
    : 'The test measures the chosen role.';
}
document.getElementById('i-posting').addEventListener('change', () => {
  document.getElementById('i-role').value = '';
  syncInviteForm();
});
document.getElementById('i-role').addEventListener('change', syncInviteForm);

const iform = document.getElementById('invite-form');
iform.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('i-error');
  showError(err, null);
  try {
    const body = { label: iform['i-label'].value };
    if (iform['i-role'].value) body.role = iform['i-role'].value;
    if (iform['i-posting'].value) body.posting = Number(iform['i-posting'].value);
    localStorage.setItem('rf_invite_role', iform['i-role'].value);
    localStorage.setItem('rf_invite_posting', iform['i-posting'].value);
    const v = await api('POST', '/api/invites', body);
    const url = `${location.origin}${v.link}`;
    const box = document.getElementById('i-link');
    box.hidden = false;
    const copy = el('button', { type: 'button', class: 'secondary small' }, 'Copy link');
    copy.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(url); copy.textContent = 'Copied'; } catch (_) { copy.textContent = 'Select the link and copy it'; }
    });
    const what = v.posting ? ` for ${v.posting.title}` : '';
    box.replaceChildren(`Send this link to ${v.label || 'the candidate'}${what} (it is shown once): `, el('br'), el('code', { id: 'invite-url', class: 'link' }, url), ' ', copy);
    iform['i-label'].value = ''; // the role and posting stay as chosen
    loadInvites();
  } catch (e) {
    showError(err, e);
  }
});

async function init() {
  const m = await header('/recruiter.html');
  if (!m || !m.user) { location.href = '/login.html'; return; }
  roles = (await api('GET', '/api/roles')).roles;
  for (const sk of (await api('GET', '/api/skills')).skills) skillNames.set(sk.id, sk.name);
  const roleSel = document.getElementById('i-role');
  roleSel.replaceChildren(el('option', { value: '' }, 'The posting\'s own test'), ...roles.map((r) => el('option', { value: r.id }, r.name)));
  const keptRole = localStorage.getItem('rf_invite_role');
  if (keptRole !== null && [...roleSel.options].some((o) => o.value === keptRole)) roleSel.value = keptRole;
  try { await loadPostings(); } catch (e) { showError(document.getElementById('p-error'), e); }
}

init();
