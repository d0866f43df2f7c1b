// The interface's language (issue 16): one catalogue per language
// (web/i18n/<lang>.json, flat keys to whole messages with {named} placeholders),
// the language chosen and remembered, and the page's static text filled in.
//
// The language: a ?lang= of the URL, else the one the server served the page in
// (<html lang>: the rf_lang cookie the switch sets, else Accept-Language), else
// the one saved in this browser. An unknown code is passed over.
// The server inlines the catalogue (<script id="rf-catalogue">), so the page is
// in its language before the first paint; without it, it is fetched.
//
// In the HTML: data-i18n="key" fills an element with the message; the element's
// children marked data-i18n-slot="name" stay and stand where the message says
// {name}. data-i18n-attr="title:key;aria-label:key2" sets attributes.
// In scripts: t(key, params) a string, tn(key, count, params) the plural form
// (key.one / key.other by the language's plural rules, {count} formatted),
// tx(key, params) a fragment whose params may be DOM nodes.

export const LANGS = ['en', 'ja'];
const COOKIE = 'rf_lang';
const STORE = 'rolefit-lang';

export function knownLang(code) {
  const base = String(code || '').trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(base) ? base : null;
}

function savedLang() {
  try { return knownLang(localStorage.getItem(STORE)); } catch (e) { return null; }
}

function cookieLang() {
  const m = /(?:^|;\s*)rf_lang=([^;]*)/.exec(document.cookie);
  return m ? knownLang(decodeURIComponent(m[1])) : null;
}

// Remembers the choice for this browser: the cookie (read by the server when it
// serves a page) and local storage (kept when cookies are cleared).
export function rememberLang(l) {
  document.cookie = `${COOKIE}=${l}; Path=/; Max-Age=31536000; SameSite=Lax`;
  try { localStorage.setItem(STORE, l); } catch (e) { /* storage off */ }
}

const queryLang = knownLang(new URLSearchParams(location.search).get('lang'));
// Whether the URL names the language (?lang=): it then wins over the account's.
export const langFromUrl = Boolean(queryLang);
if (queryLang) rememberLang(queryLang);
// The server's choice stands when a cookie made it; without a cookie the saved
// choice of this browser comes before the browser's Accept-Language.
export const lang = queryLang || (cookieLang() ? knownLang(document.documentElement.lang) : savedLang())
  || knownLang(document.documentElement.lang) || 'en';
if (!queryLang && !cookieLang() && savedLang()) rememberLang(lang);
document.documentElement.lang = lang;

async function loadCatalogue() {
  const inl = document.getElementById('rf-catalogue');
  if (inl && inl.dataset.lang === lang) {
    try { return JSON.parse(inl.textContent); } catch (e) { /* fetched below */ }
  }
  try {
    const res = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
    if (res.ok) return await res.json();
  } catch (e) { /* offline: keys show */ }
  return {};
}
const catalogue = await loadCatalogue();
const plural = new Intl.PluralRules(lang);
const numbers = new Intl.NumberFormat(lang);

// A message by key; a missing key shows as ⟦key⟧ (the browser test looks for it).
function message(key) {
  const m = catalogue[key];
  if (typeof m === 'string') return m;
  console.error(`i18n: no message ${key} in ${lang}`);
  return `⟦${key}⟧`;
}

export function has(key) { return typeof catalogue[key] === 'string'; }

// Formats a number the language's way (grouping); other values as they are.
export function num(v) { return typeof v === 'number' && Number.isFinite(v) ? numbers.format(v) : String(v); }

function parts(msg, params) {
  const out = [];
  const re = /\{([a-z_][a-z0-9_]*)\}/gi;
  let last = 0, m;
  while ((m = re.exec(msg))) {
    out.push(msg.slice(last, m.index));
    const v = params && Object.prototype.hasOwnProperty.call(params, m[1]) ? params[m[1]] : m[0];
    out.push(typeof v === 'number' ? num(v) : v);
    last = re.lastIndex;
  }
  out.push(msg.slice(last));
  return out;
}

export function t(key, params) {
  return parts(message(key), params).map((p) => (p instanceof Node ? p.textContent : String(p ?? ''))).join('');
}

function pluralKey(key, count) {
  const k = `${key}.${plural.select(count)}`;
  return has(k) ? k : `${key}.other`;
}

export function tn(key, count, params) {
  return t(pluralKey(key, count), { count, ...params });
}

// A fragment of the message with DOM nodes for the params that are nodes.
export function tx(key, params) {
  const f = document.createDocumentFragment();
  for (const p of parts(message(key), params)) {
    if (p instanceof Node) f.append(p);
    else if (p !== '' && p !== null && p !== undefined) f.append(document.createTextNode(String(p)));
  }
  return f;
}

export function txn(key, count, params) {
  return tx(pluralKey(key, count), { count, ...params });
}

// A t() for another language than the page's (an invitation's text in the
// candidate's language): its catalogue fetched once.
const others = new Map([[lang, catalogue]]);
export async function messagesIn(l) {
  const code = knownLang(l) || lang;
  if (!others.has(code)) {
    const res = await fetch(`/i18n/${code}.json`, { credentials: 'same-origin' });
    others.set(code, res.ok ? await res.json() : {});
  }
  const cat = others.get(code);
  return (key, params) => {
    const m = typeof cat[key] === 'string' ? cat[key] : `⟦${key}⟧`;
    return parts(m, params).map((p) => String(p ?? '')).join('');
  };
}

// Fills the marked elements under root with their messages.
export function apply(root = document) {
  for (const e of root.querySelectorAll('[data-i18n]')) {
    const slots = {};
    for (const c of e.querySelectorAll(':scope > [data-i18n-slot]')) slots[c.dataset.i18nSlot] = c;
    e.replaceChildren(tx(e.dataset.i18n, slots));
  }
  for (const e of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) e.setAttribute(attr, t(key));
    }
  }
}

// The language switch of the header: every page has it. A change reloads the
// page in the new language; a test keeps its own language (it is the session's).
// The switch; onChange(l), when given, runs (and is awaited) before the page
// reloads in the new language: a signed-in account keeps its choice.
export function langSwitch(onChange) {
  const sel = document.createElement('select');
  sel.id = 'ui-lang';
  sel.setAttribute('aria-label', t('nav.language'));
  for (const l of LANGS) {
    const o = document.createElement('option');
    o.value = l;
    o.lang = l;
    o.textContent = l === 'ja' ? '日本語' : 'English';
    sel.append(o);
  }
  sel.value = lang;
  sel.addEventListener('change', async () => {
    const l = knownLang(sel.value);
    if (!l) return;
    rememberLang(l);
    if (onChange) {
      try { await onChange(l); } catch (e) { /* kept in this browser only */ }
    }
    const u = new URL(location.href);
    if (u.searchParams.has('lang')) {
      u.searchParams.delete('lang');
      history.replaceState(history.state, '', u.href);
    }
    location.reload();
  });
  const label = document.createElement('label');
  label.className = 'lang-switch';
  label.append(sel);
  return label;
}

apply();
document.documentElement.classList.remove('i18n-pending');
