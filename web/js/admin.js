import { api, el, header, showError } from './api.js';

async function init() {
  const m = await header('/admin.html');
  if (!m || !m.user) { location.href = '/login.html'; return; }
  try {
    const b = await api('GET', '/api/bank');
    document.getElementById('summary').replaceChildren(
      `${b.items} items over ${b.skills.length} skills; ${b.calibrated} calibrated, ${b.retired} retired. Bank version `,
      el('code', {}, b.version), '.');
    document.querySelector('#bank tbody').replaceChildren(...b.skills.map((s) => el('tr', {},
      el('th', { scope: 'row' }, s.name), el('td', { class: 'num' }, s.items), el('td', { class: 'num' }, s.easy),
      el('td', { class: 'num' }, s.medium), el('td', { class: 'num' }, s.hard),
      el('td', { class: 'num' }, `${s.calibrated} (${s.items ? Math.round((100 * s.calibrated) / s.items) : 0}%)`),
      el('td', { class: 'num' }, s.retired))));
  } catch (e) {
    showError(document.getElementById('summary'), e);
  }
}

const form = document.getElementById('adduser');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('u-error');
  showError(err, null);
  try {
    const u = await api('POST', '/api/users', {
      name: form['u-name'].value, email: form['u-email'].value,
      password: form['u-password'].value, role: form['u-role'].value,
    });
    document.getElementById('u-done').textContent = `Added ${u.email} as ${u.role}.`;
    form.reset();
  } catch (e) {
    showError(err, e);
  }
});

init();
