// The invitation page: what the link is for (the posting or role and the
// organization), the start, the resume code shown once at the start, and
// continuing in another browser with that code.
import { api, header, inLang, questionLanguage, showError } from './api.js';
import { knownLang, lang, t } from './i18n.js';

const token = location.hash.slice(1);
const start = document.getElementById('start');
const err = document.getElementById('error');
const qlang = questionLanguage();
// an invitation link may name its language (?lang=ja, chosen by the recruiter):
// the questions then default to it too
if (knownLang(new URLSearchParams(location.search).get('lang'))) qlang.value = lang;
const resume = document.getElementById('resume');

function askCode(msg) {
  resume.hidden = false;
  document.getElementById('what').textContent = msg;
  document.getElementById('code').focus();
}

async function init() {
  await header('');
  try {
    if (!token) throw new Error(t('invite.no_token'));
    const [info, roles] = await Promise.all([api('GET', inLang(`/api/invites/${encodeURIComponent(token)}`)),
      api('GET', inLang('/api/roles')).catch(() => ({ roles: [] }))]);
    const role = info.role && roles.roles.find((r) => r.id === info.role);
    const roleName = info.role_name || (role ? role.name : info.role && info.role.replace(/_/g, ' '));
    const org = info.org ? '_org' : '';
    const p = { org: info.org, posting: info.posting, role: roleName, skills: (info.topup || []).join(t('list.sep')) };
    document.getElementById('title').textContent = info.label ? t('invite.welcome', { name: info.label }) : t('invite.title');
    let what;
    if (info.topup && info.topup.length) what = t(info.posting ? `invite.topup_posting${org}` : `invite.topup${org}`, p);
    else if (info.posting) what = t(`invite.posting${org}`, p);
    else if (roleName) what = t(`invite.role${org}`, p);
    else what = t(`invite.plain${org}`, p);
    document.getElementById('what').textContent = info.used ? t('invite.used', { what }) : what;
    if (info.used) {
      start.textContent = t('invite.continue');
      if (info.resume) resume.hidden = false;
    }
    start.disabled = false;
  } catch (e) {
    document.getElementById('what').textContent = t('invite.unusable');
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
    if (e.reason === 'invite_started_elsewhere') {
      askCode(t('reason.invite_started_elsewhere'));
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
