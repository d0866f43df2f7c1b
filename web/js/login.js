import { api, header, me, showError } from './api.js';

header('/login.html');
const form = document.getElementById('form');
// A server with several organizations asks for yours (the same for everyone).
me().then((m) => {
  if (m && m.organization_required) {
    document.getElementById('org-row').hidden = false;
    form.organization.required = true;
  }
}).catch(() => { /* offline: the server says so when signing in */ });
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('error');
  showError(err, null);
  const body = { email: form.email.value, password: form.password.value };
  const org = form.organization.value.trim();
  if (org) body.organization = org;
  try {
    await api('POST', '/api/login', body);
    const m = await me();
    location.href = m.user && m.user.role === 'interviewer' ? '/interviews.html' : '/recruiter.html';
  } catch (e) {
    if (e.field === 'organization') {
      document.getElementById('org-row').hidden = false;
      form.organization.required = true;
      form.organization.focus();
    }
    showError(err, e);
  }
});
