// The test page: one question at a time, keyboard shortcuts, a progress bar
// that follows the adaptive stopping rule (the precision reached per skill).
import { api, el, header, showError } from './api.js';
import { renderMarkup } from './markup.js';
import { lang, t, tx } from './i18n.js';

const id = location.hash.slice(1);
const form = document.getElementById('qform');
const stemBox = document.getElementById('stem');
const optionsBox = document.getElementById('options');
const submit = document.getElementById('submit');
const errorBox = document.getElementById('error');
let current = null;
let busy = false;

// Focus and visibility while a question is shown, sent with its answer as the
// browser's own report (docs/integrity.md): times the page lost focus, times
// it was hidden, the time spent so, and the time on the question. The server
// times the answer itself and bounds these.
const LIMIT_MS = 86400000, LIMIT_COUNT = 10000;
const watch = { shown: 0, blurs: 0, hidden: 0, awayMs: 0, since: 0 };
const isAway = () => document.hidden || !document.hasFocus();
function watchStart() {
  const now = performance.now();
  Object.assign(watch, { shown: now, blurs: 0, hidden: 0, awayMs: 0, since: isAway() ? now : 0 });
}
function goneAway() { if (!watch.since) watch.since = performance.now(); }
function cameBack() {
  if (watch.since && !isAway()) { watch.awayMs += performance.now() - watch.since; watch.since = 0; }
}
window.addEventListener('blur', () => { watch.blurs += 1; goneAway(); });
window.addEventListener('focus', cameBack);
document.addEventListener('visibilitychange', () => {
  if (document.hidden) { watch.hidden += 1; goneAway(); } else cameBack();
});
function signals() {
  const now = performance.now();
  const away = watch.awayMs + (watch.since ? now - watch.since : 0);
  const ms = (x) => Math.min(LIMIT_MS, Math.max(0, Math.round(x)));
  return { blurs: Math.min(LIMIT_COUNT, watch.blurs), hidden: Math.min(LIMIT_COUNT, watch.hidden), away_ms: ms(away), client_ms: ms(now - watch.shown) };
}

function setProgress(test) {
  const pct = Math.round(100 * (test.progress || 0));
  const bar = document.getElementById('progress');
  bar.firstElementChild.style.width = `${pct}%`;
  bar.setAttribute('aria-valuenow', String(pct));
  // The bar is the test's progress: it ends when every skill is measured
  // precisely enough or at the question limit, whichever comes first.
  bar.setAttribute('aria-valuetext', t('test.progress', { pct }));
  bar.title = t('test.progress', { pct });
  const measured = test.skills.filter((s) => s.done).length;
  // An invited test shows no skill's state while it runs (done is null): it
  // would tell whether the last answer was right.
  const hidden = test.skills.some((s) => s.done === null);
  document.getElementById('skills-title').textContent = hidden
    ? t('test.skills_hidden', { total: test.skills.length })
    : t('test.skills_measured', { measured, total: test.skills.length });
  document.getElementById('count').textContent =
    t('test.count', { n: test.answered + (test.status === 'active' ? 1 : 0), max: test.max_items });
  const box = document.getElementById('skills');
  box.replaceChildren(...test.skills.map((s) => el('li', { class: s.done ? 'done' : '' },
    el('span', {}, s.name), el('span', { class: 'n' }, s.done ? t('test.skill_done', { count: s.items }) : t('test.skill_answered', { count: s.items })))));
}

function render(data) {
  const { test, question } = data;
  if (test.status !== 'active' || !question) {
    // the test ended on this page: the report offers the optional groups
    // question once (docs/fairness.md "In the product")
    if (current) try { sessionStorage.setItem(`rf_ended_${test.id}`, '1'); } catch (e) { /* storage off */ }
    location.replace(`/report.html#${test.id}`);
    return;
  }
  if (!current || current.item !== question.item) watchStart();
  current = question;
  setProgress(test);
  document.getElementById('skill-name').textContent = question.skill.name;
  // the question's own language, for fonts, line breaking and screen readers
  document.getElementById('qform').setAttribute('lang', question.lang || 'en');
  // the interface's own words around it stay in the page's language
  submit.setAttribute('lang', lang);
  stemBox.replaceChildren(renderMarkup(question.stem));
  const type = question.type || 'mcq';
  const hint = document.getElementById('keys-hint');
  document.getElementById('options-legend').textContent = t(type === 'multi' ? 'test.options_multi' : 'test.options');
  if (type === 'numeric') {
    // A number typed as text: the server reads sign, decimals and exponent and
    // says plainly what it cannot read ("1,5", "5 ms").
    const input = el('input', { type: 'text', id: 'value', name: 'value', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'value-help' });
    input.addEventListener('input', () => { submit.disabled = input.value.trim() === ''; });
    optionsBox.replaceChildren(el('li', { class: 'numeric' },
      el('label', { for: 'value', lang }, t('test.your_answer')),
      el('div', { class: 'numeric-row' }, input, question.unit ? el('span', { class: 'unit' }, question.unit) : null),
      el('p', { class: 'muted', id: 'value-help', lang }, t('test.number_help'))));
    hint.replaceChildren(tx('test.keys_numeric', { enter: el('kbd', {}, 'Enter') }));
    submit.disabled = true;
    input.focus();
    return;
  }
  const multi = type === 'multi';
  optionsBox.replaceChildren(...question.options.map((text, i) => {
    const inputId = `opt-${i}`;
    const input = el('input', { type: multi ? 'checkbox' : 'radio', name: multi ? 'sel' : 'choice', id: inputId, value: String(i) });
    const label = el('label', { class: 'option', for: inputId },
      input, el('span', {}, el('kbd', { 'aria-hidden': 'true' }, String.fromCharCode(65 + i)), ' ', renderMarkup(text)));
    input.addEventListener('change', () => {
      if (multi) {
        label.classList.toggle('selected', input.checked);
        submit.disabled = !optionsBox.querySelector('input[name=sel]:checked');
      } else {
        optionsBox.querySelectorAll('label.option').forEach((l) => l.classList.remove('selected'));
        label.classList.add('selected');
        submit.disabled = false;
      }
    });
    return el('li', {}, label);
  }));
  if (multi) optionsBox.prepend(el('li', { class: 'select-all', lang }, tx('test.select_all', { first: el('strong', {}, t('test.select_all_strong')) })));
  const last = String.fromCharCode(64 + question.options.length);
  hint.replaceChildren(tx(multi ? 'test.keys_multi' : 'test.keys', {
    n1: el('kbd', {}, '1'), n2: el('kbd', {}, String(question.options.length)), a1: el('kbd', {}, 'A'), a2: el('kbd', {}, last), enter: el('kbd', {}, 'Enter'),
  }));
  // options render as paragraphs: keep them inline
  optionsBox.querySelectorAll('label.option p').forEach((p) => { p.style.margin = '0'; p.style.display = 'inline'; });
  submit.disabled = true;
  stemBox.focus();
}

// The answer in the field the question's type takes.
function answerBody() {
  const type = current.type || 'mcq';
  if (type === 'numeric') {
    const v = document.getElementById('value').value;
    return v.trim() === '' ? null : { item: current.item, value: v };
  }
  if (type === 'multi') {
    const sel = [...form.querySelectorAll('input[name=sel]:checked')].map((x) => Number(x.value));
    return sel.length ? { item: current.item, selected: sel } : null;
  }
  const picked = form.querySelector('input[name=choice]:checked');
  return picked ? { item: current.item, choice: Number(picked.value) } : null;
}

async function load() {
  await header('');
  if (!/^\d+$/.test(id)) { showError(errorBox, { message: t('test.no_test') }); return; }
  const code = sessionStorage.getItem(`rf_resume_${id}`);
  if (code) {
    const note = document.getElementById('resume-note');
    note.textContent = t('test.resume_note', { code });
    note.hidden = false;
  }
  try {
    render(await api('GET', `/api/tests/${id}`));
  } catch (e) {
    showError(errorBox, e);
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = current ? answerBody() : null;
  if (!body || busy) return;
  body.signals = signals();
  busy = true;
  submit.disabled = true;
  showError(errorBox, null);
  try {
    render(await api('POST', `/api/tests/${id}/answers`, body));
  } catch (e) {
    showError(errorBox, e);
    if (e.status === 409) { try { render(await api('GET', `/api/tests/${id}`)); } catch (_) { /* keep the message */ } }
    submit.disabled = false;
  } finally {
    busy = false;
  }
});

document.addEventListener('keydown', (ev) => {
  if (ev.target instanceof HTMLTextAreaElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target instanceof HTMLInputElement && ev.target.type === 'text') return; // the form submits on Enter itself
  const k = ev.key.toUpperCase();
  let idx = -1;
  if (/^[1-9]$/.test(k)) idx = Number(k) - 1;
  else if (/^[A-I]$/.test(k)) idx = k.charCodeAt(0) - 65;
  if (idx >= 0) {
    const input = document.getElementById(`opt-${idx}`);
    if (input) {
      input.checked = input.type === 'checkbox' ? !input.checked : true;
      input.dispatchEvent(new Event('change'));
      input.focus();
      ev.preventDefault();
    }
  } else if (ev.key === 'Enter' && !submit.disabled) {
    form.requestSubmit();
    ev.preventDefault();
  }
});

load();
