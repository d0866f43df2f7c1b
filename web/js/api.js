// Talking to the rolefit API: JSON in and out, the CSRF token on every
// state-changing request, errors turned into exceptions with the server's message
// and its stable code (shown in the page's language: web/i18n, "error.<code>");
// a refusal a page words in its own way carries a reason code and its detail
// (the numbers and names it is about), worded as "reason.<code>" in every language.
import { has, lang, langFromUrl, langSwitch, rememberLang, t } from './i18n.js';

let csrf = sessionStorage.getItem('rf_csrf') || '';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `request failed (${status})`);
    this.status = status;
    this.field = body && body.field;
    this.code = (body && body.code) || null;
    this.reason = (body && typeof body.reason === 'string' && body.reason) || null;
    this.detail = (body && body.detail && typeof body.detail === 'object' && body.detail) || {};
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (data && typeof data.csrf === 'string') {
    csrf = data.csrf;
    sessionStorage.setItem('rf_csrf', csrf);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export async function me() {
  const m = await api('GET', '/api/me');
  if (m.csrf) { csrf = m.csrf; sessionStorage.setItem('rf_csrf', csrf); }
  return m;
}

// Creates an element: el('p', {class: 'x'}, 'text', child...). Text is never parsed as HTML.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// An error as a sentence in the page's language: a refusal with a reason code
// the catalogue has, its message with the refusal's detail (in English too);
// else the API's English message for English (it starts in lower case), else
// the message of its code with the field it names; a failed connection says so.
export function errorText(err) {
  if (!err) return '';
  if (err instanceof ApiError && err.reason && has(`reason.${err.reason}`)) return t(`reason.${err.reason}`, err.detail);
  if (err instanceof ApiError && lang !== 'en' && err.code && has(`error.${err.code}`)) {
    const f = err.field && has(`field.${err.field}`) ? t(`field.${err.field}`) : err.field;
    return t(`error.${err.code}`, { field: f || '' });
  }
  if (err instanceof TypeError) return t('error.network');
  const msg = String(err.message || err);
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

// Shows an error (clears it with null); in another language than English the
// API's own English message stays in the tooltip, for whoever helps.
export function showError(node, err) {
  node.textContent = errorText(err);
  if (err instanceof ApiError && lang !== 'en') node.title = err.message;
  else node.removeAttribute('title');
}

// A proficiency level in words: the API's level codes (novice ... expert) in
// the page's language; anything else (a name the server already translated)
// as it is.
const LEVEL_CODES = ['novice', 'developing', 'proficient', 'advanced', 'expert'];
export function levelName(code) {
  return LEVEL_CODES.includes(code) ? t(`level.${code}`) : code;
}

// A data path of the API in the page's language (names of skills and roles,
// report labels): ?lang= appended.
export function inLang(path) {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

export async function header(active) {
  const nav = document.querySelector('header.top nav');
  if (!nav) return null;
  let m = null;
  try { m = await me(); } catch (_) { /* offline: the menu without the account */ }
  nav.replaceChildren();
  const link = (href, text) => el('a', { href, 'aria-current': active === href ? 'page' : null }, text);
  nav.append(link('/', t('nav.take_test')));
  if (m && m.user) {
    // an interviewer has the candidates assigned to them, nothing else of the staff's
    if (m.user.role !== 'interviewer') nav.append(link('/recruiter.html', t('nav.postings')), link('/team.html', t('nav.teams')));
    nav.append(link('/interviews.html', t('nav.interviews')));
    if (m.user.role === 'admin') nav.append(link('/admin.html', t('nav.admin')));
    const out = el('button', { class: 'secondary', type: 'button' }, t('nav.sign_out'));
    out.addEventListener('click', async () => { await api('POST', '/api/logout', {}); location.href = '/'; });
    nav.append(el('span', { class: 'muted who' }, m.user.name), out);
  } else {
    nav.append(link('/login.html', t('nav.sign_in')));
  }
  // Staff keep their language with the account (POST /api/me/lang): the
  // switch saves it, and a browser that shows another one takes it.
  const staff = Boolean(m && m.user);
  let synced = null;
  try { synced = sessionStorage.getItem('rf_lang_synced'); } catch (e) { /* storage off */ }
  if (staff && m.user.lang && m.user.lang !== lang && !langFromUrl && synced !== m.user.lang) {
    // once per session: a browser that keeps no cookie is not reloaded again and again
    try { sessionStorage.setItem('rf_lang_synced', m.user.lang); } catch (e) { /* storage off */ }
    rememberLang(m.user.lang);
    location.reload();
  }
  nav.append(langSwitch(staff ? (l) => api('POST', '/api/me/lang', { lang: l }) : null));
  return m;
}

// The language the questions of a new test are asked in (the select #qlang of
// the start and invite pages): the reader's last choice, else the interface's
// language. It is the test's for good: switching the interface later does not
// change it. Returns the select.
export function questionLanguage() {
  const sel = document.getElementById('qlang');
  let saved = null;
  try { saved = localStorage.getItem('rolefit-qlang'); } catch (e) { /* storage off */ }
  sel.value = saved === 'ja' || saved === 'en' ? saved : lang;
  sel.addEventListener('change', () => { try { localStorage.setItem('rolefit-qlang', sel.value); } catch (e) { /* storage off */ } });
  return sel;
}
