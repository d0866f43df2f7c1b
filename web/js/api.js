// Talking to the rolefit API: JSON in and out, the CSRF token on every
// state-changing request, errors turned into exceptions with the server's message.
let csrf = sessionStorage.getItem('rf_csrf') || '';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `request failed (${status})`);
    this.status = status;
    this.field = body && body.field;
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

// Shows an error as a sentence (the API's messages start in lower case); clears it with null.
export function showError(node, err) {
  const msg = err ? String(err.message || err) : '';
  node.textContent = msg ? msg.charAt(0).toUpperCase() + msg.slice(1) : '';
}

export async function header(active) {
  const nav = document.querySelector('header.top nav');
  if (!nav) return null;
  let m = null;
  try { m = await me(); } catch (_) { /* offline: leave the menu as it is */ }
  nav.replaceChildren();
  const link = (href, text) => el('a', { href, 'aria-current': active === href ? 'page' : null }, text);
  nav.append(link('/', 'Take a test'));
  if (m && m.user) {
    nav.append(link('/recruiter.html', 'Postings'), link('/team.html', 'Teams'));
    if (m.user.role === 'admin') nav.append(link('/admin.html', 'Admin'));
    const out = el('button', { class: 'secondary', type: 'button' }, 'Sign out');
    out.addEventListener('click', async () => { await api('POST', '/api/logout', {}); location.href = '/'; });
    nav.append(el('span', { class: 'muted who' }, m.user.name), out);
  } else {
    nav.append(link('/login.html', 'Recruiter sign-in'));
  }
  return m;
}

// The language the questions of a new test are asked in (the select #qlang of
// the start and invite pages): the reader's last choice, else Japanese when the
// browser asks for it first, else English. Returns the select.
export function questionLanguage() {
  const sel = document.getElementById('qlang');
  let saved = null;
  try { saved = localStorage.getItem('rolefit-qlang'); } catch (e) { /* storage off */ }
  const asked = (navigator.languages || [navigator.language || 'en'])[0] || 'en';
  sel.value = saved === 'ja' || saved === 'en' ? saved : asked.toLowerCase().startsWith('ja') ? 'ja' : 'en';
  sel.addEventListener('change', () => { try { localStorage.setItem('rolefit-qlang', sel.value); } catch (e) { /* storage off */ } });
  return sel;
}
