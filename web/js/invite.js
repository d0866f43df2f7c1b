import { api, header, showError } from './api.js';

const token = location.hash.slice(1);
const start = document.getElementById('start');
const err = document.getElementById('error');

async function init() {
  await header('');
  try {
    const info = await api('GET', `/api/invites/${encodeURIComponent(token)}`);
    document.getElementById('title').textContent = info.label ? `Welcome, ${info.label}` : 'Your invitation';
    document.getElementById('what').textContent = info.role
      ? `You are invited to take the rolefit assessment for the ${info.role.replace(/_/g, ' ')} role.`
      : 'You are invited to take the rolefit assessment.';
    start.disabled = false;
  } catch (e) {
    document.getElementById('what').textContent = '';
    showError(err, e);
  }
}

start.addEventListener('click', async () => {
  start.disabled = true;
  showError(err, null);
  try {
    const res = await api('POST', '/api/tests', { invite: token });
    location.href = `/test.html#${res.test.id}`;
  } catch (e) {
    showError(err, e);
    start.disabled = false;
  }
});

init();
