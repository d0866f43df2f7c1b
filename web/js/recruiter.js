// Recruiter workspace: postings (parse, save, rank candidates with a reason
// each) and invite links.
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

function showParsed(p) {
  const box = document.getElementById('parsed');
  const parsed = p.parsed || {};
  box.hidden = false;
  box.replaceChildren(el('h2', { style: 'margin-top:0' }, p.title),
    requirementList('Required', parsed.required),
    requirementList('Preferred', parsed.preferred),
    parsed.unmapped && parsed.unmapped.length
      ? el('div', {}, el('h3', {}, 'Not measured by rolefit'), el('ul', {}, parsed.unmapped.map((u) =>
        el('li', {}, u.text, el('span', { class: 'muted' }, ` (${u.section}, line ${u.line})`)))))
      : el('p', { class: 'muted' }, 'Every line maps to a measured skill.'));
}

async function loadPostings() {
  const res = await api('GET', '/api/postings');
  const box = document.getElementById('postings');
  const sel = document.getElementById('i-posting');
  sel.replaceChildren(el('option', { value: '' }, '—'), ...res.postings.map((p) => el('option', { value: p.id }, p.title)));
  if (!res.postings.length) { box.replaceChildren(el('p', { class: 'muted' }, 'No postings yet.')); return; }
  box.replaceChildren(el('ul', { style: 'margin:0;padding-left:18px' }, res.postings.map((p) => {
    const b = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, 'Rank candidates');
    b.addEventListener('click', () => rank(p.id));
    const v = el('button', { type: 'button', class: 'secondary', style: 'padding:4px 10px;margin-left:8px' }, 'Requirements');
    v.addEventListener('click', async () => showParsed(await api('GET', `/api/postings/${p.id}`)));
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
  const n = r.candidates.length;
  const who = scope === 'org' ? 'in the organization' : `applicant${n === 1 ? '' : 's'}`;
  document.getElementById('ranking').hidden = false;
  document.getElementById('ranking-title').textContent = `Ranking for ${r.posting.title} (${n} ${scope === 'org' ? `candidate${n === 1 ? '' : 's'} ` : ''}${who})`;
  const empty = scope === 'org'
    ? 'No finished tests in your organization yet: invite candidates first.'
    : 'No finished tests from this posting\'s invites yet: invite candidates for it, or rank everyone in the organization.';
  document.querySelector('#ranking-table tbody').replaceChildren(...(n ? r.candidates.map((c, i) => el('tr', {},
    el('td', {}, String(i + 1)),
    el('td', {}, c.label || `Candidate ${c.candidate}`,
      scope === 'org' && c.applicant ? el('span', { class: 'chip', style: 'margin-left:6px' }, 'applicant') : null),
    el('td', { class: 'num' }, `${pct(c.fit)} ± ${pct(c.sd || 0)}`), el('td', { class: 'num' }, pct(c.p_required)),
    el('td', { class: 'reason' }, c.reason),
    el('td', {}, el('a', { href: `/api/tests/${c.test}/report.html`, target: '_blank', rel: 'noopener' }, 'Open')))) :
    [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, empty))]));
  if (scroll) document.getElementById('ranking').scrollIntoView({ behavior: 'smooth' });
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
  document.querySelector('#invites tbody').replaceChildren(...(res.invites.length ? res.invites.map((v) => el('tr', {},
    el('td', {}, v.label || '—'), el('td', {}, v.role ? roleName(v.role) : '—'),
    el('td', {}, !v.used ? 'not used yet'
      : v.status === 'finished'
        ? el('a', { href: `/api/tests/${v.test}/report.html`, target: '_blank', rel: 'noopener' }, 'finished — open report')
        : `in progress (${v.answered || 0} answered)`),
    el('td', {}, date(v.expires)))) :
    [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No invites yet. Create one above and send the link to a candidate.'))]));
}

const iform = document.getElementById('invite-form');
iform.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('i-error');
  showError(err, null);
  try {
    const body = { label: iform['i-label'].value, role: iform['i-role'].value };
    if (iform['i-posting'].value) body.posting = Number(iform['i-posting'].value);
    const v = await api('POST', '/api/invites', body);
    const url = `${location.origin}${v.link}`;
    const box = document.getElementById('i-link');
    box.hidden = false;
    const copy = el('button', { type: 'button', class: 'secondary small' }, 'Copy link');
    copy.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(url); copy.textContent = 'Copied'; } catch (_) { copy.textContent = 'Select the link and copy it'; }
    });
    box.replaceChildren('Send this link to the candidate (it is shown once): ', el('br'), el('code', { id: 'invite-url', class: 'link' }, url), ' ', copy);
    iform.reset();
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
  document.getElementById('i-role').replaceChildren(...roles.map((r) => el('option', { value: r.id }, r.name)));
  try { await loadPostings(); } catch (e) { showError(document.getElementById('p-error'), e); }
}

init();
