import { api, header, showError } from './api.js';

const token = location.hash.slice(1);
const start = document.getElementById('start');
const err = document.getElementById('error');

async function init() {
  await header('');
  try {
    if (!token) throw new Error('This page needs the invitation link you were sent, in full.');
    const [info, roles] = await Promise.all([api('GET', `/api/invites/${encodeURIComponent(token)}`),
      api('GET', '/api/roles').catch(() => ({ roles: [] }))]);
    const role = info.role && roles.roles.find((r) => r.id === info.role);
    const roleName = role ? role.name : info.role && info.role.replace(/_/g, ' ');
    document.getElementById('title').textContent = info.label ? `Welcome, ${info.label}` : 'Your invitation';
    document.getElementById('what').textContent = info.used
      ? 'This test has been started. If you started it on this device, continue where you left off.'
      : roleName ? `You are invited to take the rolefit assessment for the ${roleName} role.`
        : 'You are invited to take the rolefit assessment.';
    if (info.used) start.textContent = 'Continue the test';
    start.disabled = false;
  } catch (e) {
    document.getElementById('what').textContent = 'This invitation cannot be used. Ask the person who sent it for a new link.';
    document.getElementById('about').hidden = true;
    start.hidden = true;
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
