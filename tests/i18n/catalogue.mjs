// The interface catalogue test (issue 16), run by tests/integration/i18n.sh:
// - web/i18n/en.json and ja.json have the same keys, every message non-empty,
//   the same {placeholders} in both languages, plural families complete;
// - every key web/ uses is in the catalogues and every catalogue key is used
//   (a key is used by its literal in a script or page, a plural family by its
//   base, a family of keys by a template literal's fixed start: `error.${code}`);
// - every error code the server sends (src/server) has its message, and
//   every reason code of a refusal (rf_app_refuse) its "reason.<code>";
// - no visible English is left in the pages and scripts outside the catalogue:
//   page text and visible attributes must be empty (filled from the catalogue)
//   or allowed; script string literals that read as English prose fail unless
//   allowed (tests/i18n/allow.txt: product names, code, key names).
// Prints "ok NAME" / "FAIL NAME: why" and exits 1 when anything failed.
// Usage: node tests/i18n/catalogue.mjs [web folder] [server source folder]
import fs from 'node:fs';
import path from 'node:path';

const WEB = process.argv[2] || 'web';
const SRC = process.argv[3] || 'src/server';
const HERE = path.dirname(new URL(import.meta.url).pathname);
let passed = 0, failed = 0;
function check(name, problems) {
  if (problems.length === 0) { passed++; console.log(`ok ${name}`); return; }
  failed++;
  console.log(`FAIL ${name}: ${problems.length} problem(s)`);
  for (const p of problems.slice(0, +(process.env.RF_I18N_SHOW || 30))) console.log(`  ${p}`);
}

const LANGS = ['en', 'ja'];
const cats = {};
for (const l of LANGS) {
  const f = path.join(WEB, 'i18n', `${l}.json`);
  try {
    cats[l] = JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch (e) {
    check(`catalogue ${l} reads`, [`${f}: ${e.message}`]);
    process.exit(1);
  }
}

// ---- the catalogues against each other ----
const placeholders = (m) => [...new Set([...String(m).matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((x) => x[1]))].sort();
for (const [a, b] of [['en', 'ja'], ['ja', 'en']]) {
  check(`every ${a} key is in ${b}`, Object.keys(cats[a]).filter((k) => !(k in cats[b])).map((k) => `${k} missing in ${b}.json`));
}
const KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
for (const l of LANGS) {
  check(`${l}: keys are well formed, messages non-empty strings`, Object.entries(cats[l]).flatMap(([k, v]) => [
    KEY.test(k) ? null : `${k}: not a key (lower case words joined by dots)`,
    typeof v === 'string' && v.trim() !== '' ? null : `${k}: empty or not a string`,
    typeof v === 'string' && /[{}]/.test(v.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, '')) ? `${k}: a brace that is not a {placeholder}` : null,
  ].filter(Boolean)));
}
check('placeholders match between languages', Object.keys(cats.en).filter((k) => k in cats.ja).flatMap((k) => {
  const e = placeholders(cats.en[k]).join(','), j = placeholders(cats.ja[k]).join(',');
  return e === j ? [] : [`${k}: en {${e}} vs ja {${j}}`];
}));
const PLURAL = /\.(zero|one|two|few|many|other)$/;
check('plural families have their other form', Object.keys(cats.en).filter((k) => PLURAL.test(k))
  .map((k) => k.replace(PLURAL, '')).filter((b) => !(`${b}.other` in cats.en)).map((b) => `${b}.other missing`));
// A Japanese message has Japanese in it, unless it holds no words at all
// ("{skill}: {level}"); names kept in Latin letters (rolefit, PyTorch, SE,
// θ) do not count as words.
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/;
check('Japanese messages are Japanese', Object.entries(cats.ja).filter(([, v]) => !JAPANESE.test(v) &&
  /[a-z]{3,}/.test(String(v).replace(/\{[^}]*\}/g, '').replace(/rolefit|\b[A-Z][A-Za-z0-9]*\b/g, '')))
  .map(([k, v]) => `${k}: no Japanese ("${String(v).slice(0, 60)}")`));

// ---- the files ----
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : [p];
  });
}
const files = walk(WEB);
const pages = files.filter((f) => f.endsWith('.html'));
const scripts = files.filter((f) => f.endsWith('.js'));

// A small JavaScript tokenizer: string literals (template literals as their
// fixed parts, with whether a ${} follows), comments and regular expressions skipped.
function literals(src) {
  const out = [];
  let i = 0, prev = '';
  const n = src.length;
  const stack = []; // template nesting: brace depth at each ${
  let depth = 0;
  const template = () => { // at the char after ` or after the } closing a ${
    let s = '';
    while (i < n) {
      const c = src[i];
      if (c === '\\') { s += src.slice(i, i + 2); i += 2; continue; }
      if (c === '`') { i++; out.push({ text: s, open: false }); return; }
      if (c === '$' && src[i + 1] === '{') { i += 2; out.push({ text: s, open: true }); stack.push(depth); depth++; return; }
      s += c; i++;
    }
  };
  while (i < n) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') { while (i < n && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === '\'' || c === '"') {
      let s = '';
      i++;
      while (i < n && src[i] !== c) { if (src[i] === '\\') { s += src[i + 1]; i += 2; } else s += src[i++]; }
      i++;
      out.push({ text: s, open: false });
      prev = 'x';
      continue;
    }
    if (c === '`') { i++; template(); prev = 'x'; continue; }
    if (c === '/' && (prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || /\b(return|typeof|case)$/.test(src.slice(Math.max(0, i - 8), i).trimEnd()))) {
      // a regular expression literal
      i++;
      let cls = false;
      while (i < n && (src[i] !== '/' || cls)) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') cls = true;
        else if (src[i] === ']') cls = false;
        i++;
      }
      i++;
      while (i < n && /[a-z]/.test(src[i])) i++;
      prev = 'x';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (stack.length && depth === stack[stack.length - 1]) { stack.pop(); i++; template(); prev = 'x'; continue; }
    }
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return out;
}

// ---- keys used ----
const allKeys = Object.keys(cats.en);
const namespaces = new Set(allKeys.map((k) => k.split('.')[0]));
const used = new Set(), prefixes = new Set(), unknown = [];
const isKeyLike = (s) => KEY.test(s) && namespaces.has(s.split('.')[0]) && !/\.(html|js|json|css|svg)$/.test(s);
const useKey = (k, where) => {
  if (k in cats.en) used.add(k);
  else if (`${k}.other` in cats.en) for (const f of allKeys.filter((x) => x.startsWith(`${k}.`) && PLURAL.test(x))) used.add(f);
  else unknown.push(`${where}: ${k} is in no catalogue`);
};
for (const f of scripts) {
  for (const lit of literals(fs.readFileSync(f, 'utf8'))) {
    // a family: the fixed start of a template (`error.${code}`) or a literal
    // start ending in _ or . handed to a function that completes it
    const start = /^[a-z][a-z0-9_]*\.[a-z0-9_.]*$/.test(lit.text) && namespaces.has(lit.text.split('.')[0]);
    if (start && (lit.open || /[_.]$/.test(lit.text))) prefixes.add(lit.text);
    else if (!lit.open && isKeyLike(lit.text)) useKey(lit.text, f);
  }
}
for (const f of pages) {
  const html = fs.readFileSync(f, 'utf8');
  for (const m of html.matchAll(/data-i18n="([^"]*)"/g)) useKey(m[1], f);
  for (const m of html.matchAll(/data-i18n-attr="([^"]*)"/g)) {
    for (const pair of m[1].split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (!attr || !key) unknown.push(`${f}: data-i18n-attr "${m[1]}" is not attr:key;...`);
      else useKey(key, f);
    }
  }
}
check('every key used in web/ is in the catalogues', unknown);
const isUsed = (k) => used.has(k) || [...prefixes].some((p) => k.startsWith(p));
check('every catalogue key is used', allKeys.filter((k) => !isUsed(k)).map((k) => `${k} is used nowhere in ${WEB}`));

// ---- the server's error codes ----
const codes = new Set();
for (const f of fs.readdirSync(SRC).filter((x) => x.endsWith('.c'))) {
  const src = fs.readFileSync(path.join(SRC, f), 'utf8');
  const fn = /static const char \*error_code\([^)]*\)\s*\{([\s\S]*?)\n\}/.exec(src);
  if (fn) for (const m of fn[1].matchAll(/"([a-z_]+)"/g)) codes.add(m[1]);
  for (const m of src.matchAll(/rf_resp_error_code\(\s*[^,]+,\s*[^,]+,\s*"([a-z_]+)"/g)) codes.add(m[1]);
}
check('the server sends error codes', codes.size >= 10 ? [] : [`found ${codes.size} codes in ${SRC}`]);
check('every server error code has its message', [...codes].filter((c) => !(`error.${c}` in cats.en)).map((c) => `error.${c} missing`));

// ---- the server's reason codes (rf_app_refuse's fourth argument: a code,
// or a choice of codes) and their messages, "reason.<code>" ----
// The arguments of a call starting at src[i] (just after its "("), split at
// the commas outside strings and brackets.
function callArgs(src, i) {
  const args = [];
  let depth = 0, cur = '', q = null;
  for (; i < src.length; i++) {
    const c = src[i];
    if (q) { cur += c; if (c === '\\') cur += src[++i]; else if (c === q) q = null; continue; }
    if (c === '"' || c === "'") { q = c; cur += c; continue; }
    if (c === '(') depth++;
    if (c === ')' && depth-- === 0) { args.push(cur); break; }
    if (c === ',' && depth === 0) { args.push(cur); cur = ''; continue; }
    cur += c;
  }
  return args;
}
const reasons = new Set();
for (const f of fs.readdirSync(SRC).filter((x) => x.endsWith('.c'))) {
  const src = fs.readFileSync(path.join(SRC, f), 'utf8');
  for (const m of src.matchAll(/\brf_app_refuse\(/g)) {
    const args = callArgs(src, m.index + m[0].length);
    for (const r of (args[3] || '').matchAll(/"([a-z0-9_]+)"/g)) reasons.add(r[1]);
  }
}
check('the server sends reason codes', reasons.size >= 5 ? [] : [`found ${reasons.size} reason codes in ${SRC}`]);
check('every server reason code has its message', [...reasons].filter((c) => !(`reason.${c}` in cats.en)).map((c) => `reason.${c} missing`));

// ---- no English outside the catalogue ----
const allow = new Set(fs.readFileSync(path.join(HERE, 'allow.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.replace(/\s+#.*$/, '')));
const words = (s) => s.replace(/[^A-Za-z]+/g, ' ').trim();
const htmlProblems = [];
for (const f of pages) {
  const html = fs.readFileSync(f, 'utf8').replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '');
  for (const m of html.matchAll(/>([^<]+)</g)) {
    const text = m[1].trim();
    if (words(text) && !allow.has(text)) htmlProblems.push(`${f}: text "${text.slice(0, 60)}"`);
  }
  // attributes people see or hear; a value only on the inputs that show it
  for (const tag of html.matchAll(/<([a-z]+)\b([^>]*)>/g)) {
    const shown = tag[1] === 'input' && /\stype="(submit|button|reset)"/.test(tag[2]);
    for (const m of tag[2].matchAll(/\s(title|placeholder|aria-label|alt|value|label|aria-valuetext)="([^"]*)"/g)) {
      if (m[1] === 'value' && !shown) continue;
      if (words(m[2]) && !allow.has(m[2])) htmlProblems.push(`${f}: ${m[1]}="${m[2].slice(0, 60)}"`);
    }
  }
}
check('no English text in the pages outside the catalogue', htmlProblems);

// A literal reads as English prose: two or more words with a common English
// word among them, or a capitalized word followed by text.
const COMMON = /\b(the|a|an|to|of|and|or|is|are|be|your|you|this|that|in|on|for|with|no|not|at|by|as|from|it|its|was|has|have|can|each|every|here|there|yet|one|all|any)\b/i;
function prose(s) {
  const w = s.trim();
  if (!/[A-Za-z]/.test(w) || allow.has(w) || isKeyLike(w)) return false;
  if (/^[#.[:]|^[a-z-]+(\s[a-z-]+)*$|^\/|^https?:|^[a-z]+[A-Z]/.test(w) && !(w.includes(' ') && COMMON.test(w))) return false;
  const ws = words(w).split(' ');
  if (ws.length >= 2 && COMMON.test(w)) return true;
  return /^[A-Z][a-z]{2,}/.test(w) && !/^[A-Z][a-z]+[A-Z]/.test(w);
}
const jsProblems = [];
for (const f of scripts) {
  for (const lit of literals(fs.readFileSync(f, 'utf8'))) {
    if (prose(lit.text)) jsProblems.push(`${f}: "${lit.text.slice(0, 70)}"`);
  }
}
check('no English prose in the scripts outside the catalogue', jsProblems);

console.log(`i18n catalogue: ${passed} passed, ${failed} failed (${allKeys.length} keys a language, ${used.size} used by name, ${prefixes.size} families, ${codes.size} server error codes, ${reasons.size} reason codes)`);
process.exit(failed ? 1 : 0);
