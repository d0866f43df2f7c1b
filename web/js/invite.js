// The invitation page: what the link is for (the posting or role and the
// organization), the start, the resume code shown once at the start, and
// continuing in another browser with that code.
import { api, header, questionLanguage, showError } from './api.js';

const token = location.hash.slice(1);
const start = document.getElementById('start');
const err = document.getElementById('error');
const qlang = questionLanguage();
const resume = document.getElementById('resume');

function askCode(msg) {
  resume.hidden = false;
  document.getElementById('what').textContent = msg;
  document.getElementById('code').focus();
}

async function init() {
  await header('');
  try {
    if (!token) throw new Error('This page needs the invitation link you were sent, in full.');
    const [info, roles] = await Promise.all([api('GET', `/api/invites/${encodeURIComponent(token)}`),
      api('GET', '/api/roles').catch(() => ({ roles: [] }))]);
    const role = info.role && roles.roles.find((r) => r.id === info.role);
    const roleName = info.role_name || (role ? role.name : info.role && info.role.replace(/_/g, ' '));
    const who = info.org ? `${info.org} invites you` : 'You are invited';
    document.getElementById('title').textContent = info.label ? `Welcome, ${info.label}` : 'Your invitation';
    let what;
    if (info.topup && info.topup.length) what = `${who} to answer a few more questions${info.posting ? ` for the posting “${info.posting}”` : ''}, on ${info.topup.join(', ')}. They add to the test you took.`;
    else if (info.posting) what = `${who} to take the rolefit assessment for the posting “${info.posting}”.`;
    else if (roleName) what = `${who} to take the rolefit assessment for the ${roleName} role.`;
    else what = `${who} to take the rolefit assessment.`;
    document.getElementById('what').textContent = info.used
      ? `${what} The test has been started: continue on the device where you started it, or enter your resume code below.`
      : what;
    if (info.used) {
      start.textContent = 'Continue the test';
      if (info.resume) resume.hidden = false;
    }
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
    const res = await api('POST', '/api/tests', { invite: token, lang: qlang.value });
    if (res.resume_code) {
      sessionStorage.setItem(`rf_resume_${res.test.id}`, res.resume_code);
      document.getElementById('resume-code').textContent = res.resume_code;
      document.getElementById('go').href = `/test.html#${res.test.id}`;
      document.getElementById('code-shown').hidden = false;
      start.hidden = true;
      document.getElementById('go').focus();
      return;
    }
    location.href = `/test.html#${res.test.id}`;
  } catch (e) {
    if (e.field === 'resume_code') {
      askCode('This test was started in another browser. Enter the resume code shown when it started to continue here.');
      start.hidden = true;
    } else {
      showError(err, e);
      start.disabled = false;
    }
  }
});

resume.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showError(err, null);
  try {
    const res = await api('POST', `/api/invites/${encodeURIComponent(token)}/resume`, { code: document.getElementById('code').value });
    location.href = res.status === 'finished' ? `/report.html#${res.test}` : `/test.html#${res.test}`;
  } catch (e) {
    showError(err, e);
  }
});

init();
