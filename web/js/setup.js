import { api, header, showError } from './api.js';

header('');
const form = document.getElementById('form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('error');
  showError(err, null);
  try {
    await api('POST', '/api/setup', {
      token: location.hash.slice(1), organization: form.organization.value, name: form.name.value,
      email: form.email.value, password: form.password.value,
    });
    location.href = '/recruiter.html';
  } catch (e) {
    showError(err, e);
    if (e.field && form[e.field]) form[e.field].focus();
  }
});
