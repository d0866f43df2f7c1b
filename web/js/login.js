import { api, header, showError } from './api.js';

header('/login.html');
const form = document.getElementById('form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('error');
  showError(err, null);
  try {
    await api('POST', '/api/login', { email: form.email.value, password: form.password.value });
    location.href = '/recruiter.html';
  } catch (e) {
    showError(err, e);
  }
});
