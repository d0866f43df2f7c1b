// Recruiter workspace: postings (parse, save, correct the requirements with
// a history of every edit, rank candidates with a reason each and the share
// of the posting measured, top-up links for what was not measured) and
// invite links (for a posting or a role; their state and reports).
import { api, el, header, inLang, levelName, showError } from './api.js';
import { chance } from './chance.js';
import { knownLang, lang, messagesIn, t, tn, tx, txn } from './i18n.js';

// plain shares (an SD, the share of a posting measured); a model's
// probability is written by chance() (chance.js)
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
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('recruiter.col_term')), el('th', { scope: 'col' }, t('recruiter.col_measured_as')),
      el('th', { scope: 'col' }, t('recruiter.col_level')), el('th', { class: 'num', scope: 'col' }, t('recruiter.col_weight')))),
    el('tbody', {}, reqs.map((r) => el('tr', {},
      el('td', {}, el('strong', {}, r.label),
        r.text && r.text.toLowerCase() !== String(r.label).toLowerCase() ? el('div', { class: 'reason' }, r.text) : null),
      el('td', {}, r.skills.map((id) => skillNames.get(id) || id).join(t('recruiter.or'))),
      el('td', {}, levelName(r.level)),
      el('td', { class: 'num' }, Number(r.weight).toFixed(2))))))));
}

const LEVELS = ['developing', 'proficient', 'advanced', 'expert'];
const sectionWord = (x) => (x === 'required' || x === 'preferred' ? t(`recruiter.section_${x}`) : x);
let me = null;

// The text a recruiter sends with an invitation link, in the candidate's
// language (the catalogue of that language, whichever the page is in).
async function inviteMessage(l, v) {
  const m = await messagesIn(l);
  const what = v.posting ? 'posting' : v.role ? 'role' : 'plain';
  const sender = me && me.user ? me.user.name : '';
  return m(`recruiter.mail_${what}${v.name ? '' : '_anon'}`, { name: v.name, posting: v.posting, role: v.role, link: v.link, sender });
}
const WEIGHTS = { top: 3, third: 2, rest: 1, preferred: 0.5 };

function showParsed(p) {
  const box = document.getElementById('parsed');
  const parsed = p.parsed || {};
  box.hidden = false;
  const edit = el('button', { type: 'button', class: 'secondary small', id: 'edit-reqs' }, t('recruiter.correct'));
  edit.addEventListener('click', () => editRequirements(p));
  const hist = el('button', { type: 'button', class: 'secondary small', style: 'margin-left:8px' }, t('recruiter.history'));
  hist.addEventListener('click', () => showHistory(p));
  // the next step after reading a posting: invite its candidates
  const invite = el('button', { type: 'button', class: 'small', id: 'invite-for', style: 'margin-left:8px' }, t('recruiter.invite_for'));
  invite.addEventListener('click', () => {
    const sel = document.getElementById('i-posting');
    if ([...sel.options].some((o) => o.value === String(p.id))) sel.value = String(p.id);
    document.getElementById('i-role').value = '';
    syncInviteForm();
    showTab('invites');
    loadInvites();
    document.getElementById('i-label').focus();
  });
  // the DOM's own replaceChildren would write "null" for an absent part
  box.replaceChildren(...[el('h2', { style: 'margin-top:0' }, p.title),
    parsed.edited ? el('p', { class: 'muted' }, tn('recruiter.edited', parsed.edited.edits)) : null,
    requirementList(t('recruiter.required'), parsed.required),
    requirementList(t('recruiter.preferred'), parsed.preferred),
    parsed.unmapped && parsed.unmapped.length
      ? el('div', {}, el('h3', {}, t('recruiter.unmapped')), el('ul', {}, parsed.unmapped.map((u) =>
        el('li', {}, u.text, el('span', { class: 'muted' }, t('recruiter.unmapped_where', { section: sectionWord(u.section), line: u.line }))))))
      : el('p', { class: 'muted' }, t('recruiter.all_mapped')),
    el('div', { class: 'actions' }, edit, hist, invite),
    el('div', { id: 'edit-history' })].filter(Boolean));
}

// What an edit changed, in the page's language: each change one message
// (the server's "changes"; an edit stored before they were kept, or whose
// skills no longer read, shows its stored summary).
function editWords(edit) {
  if (!Array.isArray(edit.changes)) return edit.summary;
  if (!edit.changes.length) return t('recruiter.change_none');
  const num = (w) => (typeof w === 'number' ? w.toLocaleString(lang) : String(w));
  const word = { section: sectionWord, level: levelName, weight: num, label: String };
  return edit.changes.flatMap((c) => {
    if (c.what === 'added') return [t('recruiter.change_added', { label: c.label, section: sectionWord(c.section), level: levelName(c.level), weight: num(c.weight) })];
    if (c.what === 'removed') return [t('recruiter.change_removed', { label: c.label })];
    return (c.fields || []).filter((f) => word[f.field]).map((f) =>
      t(`recruiter.change_${f.field}`, { label: c.label, from: word[f.field](f.from), to: f.to === undefined ? '' : word[f.field](f.to) }));
  }).join(t('recruiter.change_sep'));
}

async function showHistory(p) {
  const box = document.getElementById('edit-history');
  const res = await api('GET', `/api/postings/${p.id}/edits`);
  const when = (at) => new Date(at * 1000).toLocaleString(lang);
  box.replaceChildren(el('h3', {}, t('recruiter.history')), res.edits.length
    ? el('ul', { id: 'edits' }, res.edits.map((e) => el('li', {}, el('strong', {}, editWords(e)),
      el('span', { class: 'muted' }, t('recruiter.edit_by', { who: e.by || t('recruiter.former_account'), when: when(e.at) })))))
    : el('p', { class: 'muted' }, t('recruiter.not_edited')));
}

// One editable row: skills (several: met by any), level, required or
// preferred, weight; the label is kept when the skills are.
function editRow(r, section) {
  const skills = el('select', { multiple: true, 'aria-label': t('recruiter.skills_any'), class: 'req-skills', size: 3 },
    [...skillNames].map(([id, name]) => el('option', { value: id, selected: r.skills.includes(id) }, name)));
  const level = el('select', { 'aria-label': t('recruiter.col_level'), class: 'req-level' },
    LEVELS.map((l) => el('option', { value: l, selected: l === r.level }, levelName(l))));
  const sec = el('select', { 'aria-label': t('recruiter.required_or_preferred'), class: 'req-section' },
    ['required', 'preferred'].map((x) => el('option', { value: x, selected: x === section }, sectionWord(x))));
  const weight = el('input', { type: 'number', min: '0.1', max: '10', step: '0.5', value: String(r.weight), 'aria-label': t('recruiter.col_weight'), class: 'req-weight', style: 'width:5em' });
  const del = el('button', { type: 'button', class: 'secondary small' }, t('recruiter.remove'));
  const tr = el('tr', { 'data-label': r.label || '', 'data-skills': r.skills.join(',') },
    el('td', {}, el('strong', {}, r.label || t('recruiter.new_requirement')), r.text ? el('div', { class: 'reason' }, r.text) : null),
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
  const add = el('button', { type: 'button', class: 'secondary small' }, t('recruiter.add_requirement'));
  add.addEventListener('click', () => body.append(editRow({ skills: [], level: 'proficient', weight: WEIGHTS.rest, label: '' }, 'required')));
  const save = el('button', { type: 'button', id: 'save-reqs' }, t('recruiter.save_requirements'));
  const cancel = el('button', { type: 'button', class: 'secondary' }, t('recruiter.cancel'));
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
      document.getElementById('parsed').prepend(el('p', { class: 'notice', id: 'edit-saved' }, t('recruiter.saved_edit', { summary: editWords(res.edit) })));
    } catch (e) {
      showError(err, e);
    }
  });
  box.replaceChildren(el('h2', { style: 'margin-top:0' }, t('recruiter.correct_title', { title: p.title })),
    el('p', { class: 'muted' }, t('recruiter.correct_about')),
    el('div', { class: 'scroll-x' }, el('table', { id: 'edit-table' },
      el('thead', {}, el('tr', {}, [t('recruiter.col_requirement'), t('recruiter.col_skills'), t('recruiter.col_level'), t('recruiter.col_section'), t('recruiter.col_weight'), ''].map((h) => el('th', { scope: 'col' }, h)))),
      body)),
    el('div', { class: 'actions' }, add, save, cancel), err);
}

async function loadPostings() {
  const res = await api('GET', '/api/postings');
  const box = document.getElementById('postings');
  const sel = document.getElementById('i-posting');
  const keep = sel.value || localStorage.getItem('rf_invite_posting') || '';
  sel.replaceChildren(el('option', { value: '' }, t('recruiter.i_posting_none')), ...res.postings.map((p) => el('option', { value: p.id }, p.title)));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  syncInviteForm();
  if (!res.postings.length) { box.replaceChildren(el('p', { class: 'muted' }, t('recruiter.no_postings'))); return; }
  box.replaceChildren(el('ul', { style: 'margin:0;padding-left:18px' }, res.postings.map((p) => {
    const b = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, t('recruiter.rank_candidates'));
    b.addEventListener('click', () => rank(p.id));
    const v = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, t('recruiter.requirements'));
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
// Each ranking asked gets a number: an answer that arrives after a later
// request's (a slow organization-wide ranking after the applicants' one the
// scope was switched to) is dropped, never drawn over the newer one.
let rankSeq = 0;
const scopeOf = () => document.querySelector('#ranking-scope input:checked').value;

async function rank(id, scroll = true) {
  ranked = id;
  const seq = ++rankSeq;
  const scope = scopeOf();
  const err = document.getElementById('rank-error');
  showError(err, null);
  let r;
  try {
    r = await api('GET', inLang(`/api/postings/${id}/ranking?scope=${scope}`));
  } catch (e) {
    if (seq !== rankSeq) return;
    document.getElementById('ranking').hidden = false;
    showError(err, e);
    return;
  }
  if (seq !== rankSeq) return;
  // one page of the ranking (the best first); the title counts them all
  const n = r.total ?? r.candidates.length;
  const shown = r.candidates.length < n ? '_shown' : '';
  document.getElementById('ranking').hidden = false;
  document.getElementById('ranking-title').textContent = tn(`recruiter.ranking_${scope === 'org' ? 'org' : 'applicants'}${shown}`, n, { title: r.posting.title, shown: r.candidates.length });
  const empty = scope === 'org' ? t('recruiter.ranking_empty_org') : t('recruiter.ranking_empty_applicants');
  document.querySelector('#ranking-table tbody').replaceChildren(...(n ? r.candidates.map((c, i) => el('tr', {},
    el('td', {}, String((r.offset || 0) + i + 1)),
    el('td', {}, c.label || t('recruiter.candidate_n', { n: c.candidate }),
      scope === 'org' && c.applicant ? el('span', { class: 'chip', style: 'margin-left:6px' }, t('recruiter.applicant')) : null),
    el('td', { class: 'num' }, `${chance(c.fit)} ± ${(c.sd || 0) < 0.005 ? '<1%' : pct(c.sd)}`), el('td', { class: 'num' }, chance(c.p_required)),
    el('td', { class: 'num measured' }, pct(c.measured)),
    el('td', { class: 'reason' }, c.reason, c.not_measured ? topupButton(id, c) : null),
    el('td', {}, el('a', { href: inLang(`/api/tests/${c.test}/report.html`), target: '_blank', rel: 'noopener' }, t('recruiter.open'))))) :
    [el('tr', {}, el('td', { colspan: 7, class: 'empty' }, empty))]));
  if (scroll) document.getElementById('ranking').scrollIntoView({ behavior: 'smooth' });
}
// A top-up link: a short test of what this candidate's tests did not measure.
function topupButton(posting, c) {
  const b = el('button', { type: 'button', class: 'secondary small topup', style: 'margin-left:8px' }, t('recruiter.topup'));
  b.addEventListener('click', async () => {
    const err = document.getElementById('rank-error');
    showError(err, null);
    try {
      const v = await api('POST', `/api/postings/${posting}/topup`, { test: c.test });
      const url = `${location.origin}${v.link}`;
      b.replaceWith(el('span', { class: 'notice topup-link' }, txn('recruiter.topup_link', v.skills.length, { who: c.label || t('recruiter.the_candidate'), link: el('code', { class: 'link' }, url) })));
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
  const date = (at) => new Date(at * 1000).toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric' });
  // a team member's unshared test: its state only (no report, no count)
  const state = (v) => v.private && (v.state === 'finished' || v.state === 'in progress')
    ? t(v.state === 'finished' ? 'recruiter.state_private_finished' : 'recruiter.state_private_in_progress')
    : v.state === 'finished'
    ? el('a', { href: inLang(`/api/tests/${v.test}/report.html`), target: '_blank', rel: 'noopener' }, t('recruiter.state_finished'))
    : v.state === 'in progress' ? t('recruiter.state_in_progress', { n: v.answered || 0 })
      : v.state === 'expired' ? t('recruiter.state_expired') : t('recruiter.state_not_used');
  const what = (v) => [v.posting_title ? t('recruiter.for_posting', { title: v.posting_title }) : null, v.role ? roleName(v.role) : null,
    v.topup_of ? t('recruiter.for_topup') : null].filter(Boolean).join(' · ') || '—';
  document.querySelector('#invites tbody').replaceChildren(...(res.invites.length ? res.invites.map((v) => el('tr', {},
    el('td', {}, v.label || '—'), el('td', {}, what(v)), el('td', { class: 'state' }, state(v)),
    el('td', {}, date(v.expires)))) :
    [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, t('recruiter.no_invites')))]));
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
    ? t(role.value ? 'recruiter.note_posting_role' : 'recruiter.note_posting')
    : t('recruiter.note_role');
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
    // the candidate's language, when chosen, rides on the link (?lang=): the
    // invitation page and the questions then default to it
    const ilang = knownLang(iform['i-lang'].value);
    localStorage.setItem('rf_invite_lang', ilang || '');
    const url = `${location.origin}${ilang ? v.link.replace('#', `?lang=${ilang}#`) : v.link}`;
    const box = document.getElementById('i-link');
    box.hidden = false;
    const copy = el('button', { type: 'button', class: 'secondary small' }, t('recruiter.copy_link'));
    copy.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(url); copy.textContent = t('recruiter.copied'); } catch (_) { copy.textContent = t('recruiter.copy_by_hand'); }
    });
    const who = v.label || t('recruiter.the_candidate');
    const msg = await inviteMessage(ilang || lang, { name: v.label, posting: v.posting && v.posting.title, role: v.role && (roles.find((r) => r.id === v.role) || {}).name, link: url });
    box.replaceChildren(tx(v.posting ? 'recruiter.send_link_posting' : 'recruiter.send_link', { who, posting: v.posting && v.posting.title }), el('br'),
      el('code', { id: 'invite-url', class: 'link' }, url), ' ', copy,
      el('label', { for: 'invite-text', style: 'margin-top:10px' }, t('recruiter.invite_text')),
      el('textarea', { id: 'invite-text', rows: 9, readonly: true, lang: ilang || lang }, msg));
    iform['i-label'].value = ''; // the role and posting stay as chosen
    loadInvites();
  } catch (e) {
    showError(err, e);
  }
});

async function init() {
  const m = await header('/recruiter.html');
  if (!m || !m.user) { location.href = '/login.html'; return; }
  me = m;
  roles = (await api('GET', inLang('/api/roles'))).roles;
  for (const sk of (await api('GET', inLang('/api/skills'))).skills) skillNames.set(sk.id, sk.name);
  const roleSel = document.getElementById('i-role');
  roleSel.replaceChildren(el('option', { value: '' }, t('recruiter.posting_own_test')), ...roles.map((r) => el('option', { value: r.id }, r.name)));
  const keptLang = localStorage.getItem('rf_invite_lang');
  if (knownLang(keptLang)) document.getElementById('i-lang').value = keptLang;
  const keptRole = localStorage.getItem('rf_invite_role');
  if (keptRole !== null && [...roleSel.options].some((o) => o.value === keptRole)) roleSel.value = keptRole;
  try { await loadPostings(); } catch (e) { showError(document.getElementById('p-error'), e); }
}

init();
