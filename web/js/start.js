// Landing page: find my role, pick a role (or skills), and start an adaptive test.
import { api, ApiError, el, header, inLang, levelName, questionLanguage, showError } from './api.js';
import { t, tn } from './i18n.js';
import { practicePow } from './pow.js';

const state = { role: null, find: false, skills: new Set(), roles: [], me: null };
const findBtn = document.getElementById('find');
const startBtn = document.getElementById('start');
const choice = document.getElementById('choice');
const qlang = questionLanguage();
const errorBox = document.getElementById('error');

function updateChoice() {
  findBtn.setAttribute('aria-pressed', String(state.find));
  if (state.find) {
    choice.textContent = t('start.choice_find');
  } else if (state.role) {
    const r = state.roles.find((x) => x.id === state.role);
    choice.textContent = r ? tn('start.choice_role', r.requires.length, { role: r.name }) : t('start.choice_role_unknown', { role: state.role });
  } else if (state.skills.size) {
    choice.textContent = tn('start.choice_skills', state.skills.size);
  } else {
    choice.textContent = t('start.choose_first');
  }
  startBtn.disabled = !(state.find || state.role || state.skills.size) || (state.me && !state.me.practice);
}

function roleCard(r) {
  // a button holds phrasing content only: the name and description are spans
  const card = el('button', { class: 'card role-card', type: 'button', 'aria-pressed': 'false', 'data-role': r.id,
    'aria-labelledby': `role-${r.id}-name`, 'aria-describedby': `role-${r.id}-desc` },
    el('span', { class: 'role-name', id: `role-${r.id}-name` }, r.name),
    el('span', { class: 'role-desc', id: `role-${r.id}-desc`, title: r.description }, r.description),
    el('span', { class: 'chips' }, r.requires.map((q) =>
      el('span', { class: q.core ? 'chip core' : 'chip', title: t(q.core ? 'start.chip_core' : 'start.chip', { skill: q.name, level: levelName(q.level) }) },
        q.name, q.core ? el('span', { class: 'sr-only' }, t('start.core_mark')) : null))));
  card.addEventListener('click', () => {
    state.role = state.role === r.id ? null : r.id;
    state.find = false;
    state.skills.clear();
    document.querySelectorAll('#skills input').forEach((i) => { i.checked = false; });
    document.querySelectorAll('.role-card').forEach((c) => c.setAttribute('aria-pressed', String(c.dataset.role === state.role)));
    updateChoice();
  });
  return card;
}

async function init() {
  state.me = await header('/');
  try {
    const [roles, skills] = await Promise.all([api('GET', inLang('/api/roles')), api('GET', inLang('/api/skills'))]);
    state.roles = roles.roles;
    const note = document.getElementById('roles-note');
    note.textContent = t('start.roles_note');
    const technical = state.roles.filter((r) => r.kind === 'technical');
    const adjacent = state.roles.filter((r) => r.kind !== 'technical');
    const group = (id, title, list) => [el('h3', { class: 'role-group', id }, title),
      el('div', { class: 'grid', role: 'group', 'aria-labelledby': id }, list.map(roleCard))];
    document.getElementById('roles').append(...group('roles-technical', t('start.roles_technical'), technical),
      ...(adjacent.length ? group('roles-adjacent', t('start.roles_adjacent'), adjacent) : []));
    document.getElementById('skills').append(...skills.skills.map((s) => {
      const id = `skill-${s.id}`;
      const box = el('input', { type: 'checkbox', id, value: s.id });
      box.addEventListener('change', () => {
        if (box.checked) state.skills.add(s.id); else state.skills.delete(s.id);
        state.role = null;
        state.find = false;
        document.querySelectorAll('.role-card').forEach((c) => c.setAttribute('aria-pressed', 'false'));
        updateChoice();
      });
      return el('div', {}, el('label', { for: id }, box,
        el('span', {}, el('strong', {}, s.name), el('br'), el('span', { class: 'muted', style: 'font-size:13px' }, tn('start.skill_items', s.items)))));
    }));
    if (state.me && !state.me.practice) {
      showError(errorBox, { message: t('start.practice_off') });
    }
  } catch (e) {
    showError(errorBox, e);
  }
  updateChoice();
}

findBtn.addEventListener('click', () => {
  state.find = !state.find;
  state.role = null;
  state.skills.clear();
  document.querySelectorAll('#skills input').forEach((i) => { i.checked = false; });
  document.querySelectorAll('.role-card[data-role]').forEach((c) => c.setAttribute('aria-pressed', 'false'));
  updateChoice();
});

startBtn.addEventListener('click', async () => {
  startBtn.disabled = true;
  showError(errorBox, null);
  try {
    const body = state.find ? { find_role: true } : state.role ? { role: state.role } : { skills: [...state.skills] };
    // the questions' language is the test's: kept for the whole test
    body.lang = qlang.value;
    const pow = await practicePow(api);
    if (pow) body.pow = pow;
    // 503: the server is busy starting other tests; the proof of work was not
    // spent, so the same start is sent again a moment later
    let res;
    for (let tries = 0; !res; tries++) {
      try {
        res = await api('POST', '/api/tests', body);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 503 || tries >= 10) throw e;
        await new Promise((r) => { setTimeout(r, 1000); });
      }
    }
    location.href = `/test.html#${res.test.id}`;
  } catch (e) {
    showError(errorBox, e);
    startBtn.disabled = false;
  }
});

init();
