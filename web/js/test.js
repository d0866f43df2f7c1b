// The test page: one question at a time, keyboard shortcuts, a progress bar
// that follows the adaptive stopping rule (the precision reached per skill).
import { api, el, header, showError } from './api.js';
import { renderMarkup } from './markup.js';

const id = location.hash.slice(1);
const form = document.getElementById('qform');
const stemBox = document.getElementById('stem');
const optionsBox = document.getElementById('options');
const submit = document.getElementById('submit');
const errorBox = document.getElementById('error');
let current = null;
let busy = false;

function setProgress(test) {
  const pct = Math.round(100 * (test.progress || 0));
  const bar = document.getElementById('progress');
  bar.firstElementChild.style.width = `${pct}%`;
  bar.setAttribute('aria-valuenow', String(pct));
  // The bar is the test's progress: it ends when every skill is measured
  // precisely enough or at the question limit, whichever comes first.
  bar.setAttribute('aria-valuetext', `${pct}% of the test done`);
  bar.title = `${pct}% of the test done`;
  const measured = test.skills.filter((s) => s.done).length;
  document.getElementById('skills-title').textContent =
    `Skills in this test: ${measured} of ${test.skills.length} measured precisely (the test ends then, or at its question limit)`;
  document.getElementById('count').textContent =
    `Question ${test.answered + (test.status === 'active' ? 1 : 0)} of at most ${test.max_items}`;
  const box = document.getElementById('skills');
  box.replaceChildren(...test.skills.map((s) => el('li', { class: s.done ? 'done' : '' },
    el('span', {}, s.name), el('span', { class: 'n' }, s.done ? `✓ measured (${s.items})` : `${s.items} answered`))));
}

function render(data) {
  const { test, question } = data;
  if (test.status !== 'active' || !question) {
    location.replace(`/report.html#${test.id}`);
    return;
  }
  current = question;
  setProgress(test);
  document.getElementById('skill-name').textContent = question.skill.name;
  stemBox.replaceChildren(renderMarkup(question.stem));
  optionsBox.replaceChildren(...question.options.map((text, i) => {
    const inputId = `opt-${i}`;
    const input = el('input', { type: 'radio', name: 'choice', id: inputId, value: String(i) });
    const label = el('label', { class: 'option', for: inputId },
      input, el('span', {}, el('kbd', { 'aria-hidden': 'true' }, String.fromCharCode(65 + i)), ' ', renderMarkup(text)));
    input.addEventListener('change', () => {
      optionsBox.querySelectorAll('label.option').forEach((l) => l.classList.remove('selected'));
      label.classList.add('selected');
      submit.disabled = false;
    });
    return el('li', {}, label);
  }));
  // options render as paragraphs: keep them inline
  optionsBox.querySelectorAll('label.option p').forEach((p) => { p.style.margin = '0'; p.style.display = 'inline'; });
  submit.disabled = true;
  stemBox.focus();
}

async function load() {
  await header('');
  if (!/^\d+$/.test(id)) { showError(errorBox, { message: 'No test here. Start one from the home page.' }); return; }
  try {
    render(await api('GET', `/api/tests/${id}`));
  } catch (e) {
    showError(errorBox, e);
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const picked = form.querySelector('input[name=choice]:checked');
  if (!picked || busy || !current) return;
  busy = true;
  submit.disabled = true;
  showError(errorBox, null);
  try {
    render(await api('POST', `/api/tests/${id}/answers`, { item: current.item, choice: Number(picked.value) }));
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
  const k = ev.key.toUpperCase();
  let idx = -1;
  if (/^[1-9]$/.test(k)) idx = Number(k) - 1;
  else if (/^[A-I]$/.test(k)) idx = k.charCodeAt(0) - 65;
  if (idx >= 0) {
    const input = document.getElementById(`opt-${idx}`);
    if (input) { input.checked = true; input.dispatchEvent(new Event('change')); input.focus(); ev.preventDefault(); }
  } else if (ev.key === 'Enter' && !submit.disabled) {
    form.requestSubmit();
    ev.preventDefault();
  }
});

load();
