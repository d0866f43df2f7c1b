// The browser walk in Japanese (issue 16), run by tests/integration/browser.sh
// against its own server: the candidate flow (start page, a test in Japanese
// with the interface switched to English and back mid-test, the report read
// in both languages) and the recruiter flow (setup, sign-in with a wrong
// password, a Japanese posting, an invitation in the candidate's language
// with its e-mail text, the candidate's test from that link in a browser set
// to English, the ranking and the candidate's report, the admin and team
// pages), every page in a browser that asks for Japanese; then a recruiter's
// language following the account across two browsers (staffLanguageFlow).
// On every page: <html lang="ja">, and two checks over what is rendered:
// - untranslated: no visible text or attribute (title, aria-label,
//   placeholder, the document title) with English words outside code, the
//   allow-list (product names) and what the walk typed in. On a candidate's
//   page what the server sent (the API's data: an item's formulas, say) is
//   counted and printed, not failed; on a staff page (setup, sign-in,
//   recruiter, report, admin, team, interviews) English fails wherever it
//   comes from (but in the server's Japanese data, whose technical names stay
//   Latin: "MLOpsエンジニア"): the server sends codes and data, the page
//   words them. The one
//   exception is an error's tooltip, the server's English message kept for
//   whoever helps (api.js showError) under a Japanese message;
// - tofu: every Japanese character on the page is drawn with a real glyph:
//   drawn on a canvas in the page's font it must differ from a code point no
//   font has (U+0378), and the check must flag that code point itself.
// Both checks are shown to fail on every run: a page with an English message
// put back, and the unassigned code point.
// Environment: RF_BASE, RF_SETUP_URL, RF_OUT (screenshots), RF_CHROMIUM.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { check, counts, screenshot } from './report.mjs';

const BASE = process.env.RF_BASE;
const SETUP_URL = process.env.RF_SETUP_URL;
const OUT = process.env.RF_OUT || 'build/browser-ja';
if (!BASE || !SETUP_URL) {
  console.log('FAIL setup: RF_BASE and RF_SETUP_URL are required');
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });


// Names that stay in Latin letters in a Japanese page: the product, formats,
// symbols and names of the statistics (DIF and Mantel-Haenszel are written
// so in Japanese psychometrics too), the language switch's own "English".
const ALLOW = ['rolefit', 'English', 'JSON', 'HTML', 'CSV', 'ML Test Score', 'θ', 'SE', 'ABCD-EFGH',
  'Python', 'PyTorch', 'TensorFlow', 'Kubernetes', 'DIF', 'Mantel-Haenszel'];
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
// Japanese script or Japanese typography (ideographic punctuation, full-width forms)
const JAPANESE_TYPE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

// Every string the server sent to the pages of a context (the API's data),
// read on its way to the page. data.staff: the context's pages are staff
// pages (server English fails there); data.type(...) records what the walk
// typed in (names, e-mail addresses), which is the walk's, not the page's.
async function recordData(context, staff = false) {
  const data = new Set();
  data.staff = staff;
  data.typed = new Set();
  data.type = (...xs) => xs.forEach((x) => { data.add(x); data.typed.add(x); });
  const walk = (v) => {
    if (typeof v === 'string') { data.add(v); if (v.includes('_')) data.add(v.replace(/_/g, ' ')); }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  await context.route(/\/api\//, async (route) => {
    try {
      const res = await route.fetch();
      const body = await res.text();
      if ((res.headers()['content-type'] || '').includes('application/json')) {
        try { walk(JSON.parse(body)); } catch (_) { /* not JSON after all */ }
      }
      await route.fulfill({ response: res, body });
    } catch (_) {
      // the page went away meanwhile (a navigation): nothing to hand over
    }
  });
  return data;
}

// The visible text of the page and its visible attributes, outside code.
async function renderedText(page) {
  return page.evaluate(() => {
    const out = [document.title];
    const skip = 'script,style,code,pre,kbd,[hidden],#rf-catalogue,a.brand';
    const seen = (e) => e && !e.closest(skip) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const p = n.parentElement;
      const t = n.textContent.replace(/\s+/g, ' ').trim();
      if (t && (seen(p) || (p && p.tagName === 'OPTION' && seen(p.closest('select'))) || (p && p.closest('svg') && seen(p.closest('svg'))))) out.push(t);
    }
    // an error's tooltip under a Japanese message is the server's English for whoever helps
    const helperTip = (e) => e.matches('.error,[role=alert]') && /[\u3040-\u30ff\u3400-\u9fff]/.test(e.textContent);
    for (const e of document.body.querySelectorAll('[title],[aria-label],[placeholder],[aria-valuetext],input[type=submit][value]')) {
      if (!seen(e)) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'aria-valuetext', 'value']) {
        if (a === 'value' && e.type !== 'submit') continue;
        if (a === 'title' && helperTip(e)) continue;
        const v = e.getAttribute(a);
        if (v && v.trim()) out.push(v.replace(/\s+/g, ' ').trim());
      }
    }
    return out;
  });
}

// English words left in a text once the allowed names and the server's data
// in it are taken out; null when none.
// The data strings, longest first, each taken out only as whole words.
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function englishIn(text, data) {
  let t = ` ${text} `;
  const found = [...data].filter((d) => d.length >= 2 && t.includes(d)).sort((a, b) => b.length - a.length);
  for (const d of found) t = t.replace(new RegExp(`(?<![A-Za-z])${esc(d)}(?![A-Za-z])`, 'g'), ' ');
  for (const a of ALLOW) t = t.split(a).join(' ');
  t = t.replace(/https?:\/\/\S+|\S+@\S+/g, ' ');
  const words = t.match(/[A-Za-z][A-Za-z'-]{2,}/g);
  return words ? words.join(' ') : null;
}
function isData(text, data) {
  for (const d of data) if (d.includes(text)) return true;
  return false;
}

// The untranslated-text check of one page. On a candidate's page server data
// in English is printed, not failed (an item's formulas and code); on a staff
// page (data.staff) English fails but in what the walk typed in and in the
// server's Japanese data (its technical names: "MLOpsエンジニア").
async function untranslated(page, data, name) {
  const texts = await renderedText(page);
  const own = [], fromServer = [];
  // on a staff page, what is not the page's: what the walk typed, and the server's
  // Japanese data (a role or a kit in Japanese keeps names such as MLOps or top-k;
  // a concept's Japanese name may be Latin in Japanese typography: "Mixture of Experts（MoE）")
  const staffKept = data.staff ? new Set([...data.typed, ...[...data].filter((d) => JAPANESE_TYPE.test(d))]) : null;
  for (const t of texts) {
    if (data.staff) {
      const e = englishIn(t, staffKept);
      if (e) own.push(`"${t.slice(0, 80)}" (${e.slice(0, 40)})${isData(t, data) ? ' [server data]' : ''}`);
      continue;
    }
    if (isData(t, data)) { if (!JAPANESE.test(t) && /[A-Za-z]{3,}/.test(t)) fromServer.push(t); continue; }
    const e = englishIn(t, data);
    if (e) own.push(`"${t.slice(0, 80)}" (${e.slice(0, 40)})`);
  }
  if (fromServer.length) console.log(`# ${name}: ${fromServer.length} English strings from the server's data, e.g. ${fromServer.slice(0, 3).map((x) => `"${x.slice(0, 50)}"`).join(', ')}`);
  // RF_JA_DATA=1 lists them all (what is left for the server to translate)
  if (process.env.RF_JA_DATA) for (const x of fromServer) console.log(`#   ${name}: "${x.slice(0, 100)}"`);
  return own;
}

// The tofu check: Japanese characters of the page drawn on a canvas in the
// page's font, each compared with U+0378 (no font has it: its drawing is the
// missing-glyph box). Returns the characters that draw as that box; `extra`
// characters are added to the page's (the self-test adds U+0378 itself).
async function tofu(page, extra = '') {
  return page.evaluate((more) => {
    const font = getComputedStyle(document.body).fontFamily;
    const c = document.createElement('canvas');
    c.width = 48; c.height = 48;
    const x = c.getContext('2d', { willReadFrequently: true });
    const draw = (ch) => {
      x.clearRect(0, 0, 48, 48);
      x.font = `32px ${font}`;
      x.fillStyle = '#000';
      x.fillText(ch, 4, 36);
      return x.getImageData(0, 0, 48, 48).data.join(',');
    };
    const box = draw('\u0378');
    const chars = [...new Set([...(document.body.innerText + document.title + more)]
      .filter((ch) => /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef\u0378]/.test(ch)))];
    return { n: chars.length, tofu: chars.filter((ch) => draw(ch) === box) };
  }, extra);
}

const SHOTS = [];
async function shoot(page, name) {
  SHOTS.push(await screenshot(page, OUT, name));
}

// Every check of a page in Japanese, and its screenshot.
async function pageInJapanese(page, data, name) {
  // the page and what it fetched are in place
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.documentElement.classList.contains('i18n-pending'));
  const lang = await page.evaluate(() => document.documentElement.lang);
  check(`ja ${name}: <html lang="ja">`, lang === 'ja', lang);
  const own = await untranslated(page, data, name);
  check(`ja ${name}: no untranslated English`, own.length === 0, own.slice(0, 4).join('; '));
  const tf = await tofu(page);
  check(`ja ${name}: every Japanese character has a glyph (${tf.n} checked)`, tf.n > 0 && tf.tofu.length === 0, `n=${tf.n} tofu: ${tf.tofu.join('')}`);
  const keys = await page.evaluate(() => (document.body.innerText.match(/⟦[^⟧]*⟧/g) || []).slice(0, 3));
  check(`ja ${name}: no message missing from the catalogue`, keys.length === 0, keys.join(' '));
  await shoot(page, name);
}

// Answers the open test (the first option, the first box, or 1) until its
// report shows; calls during(n) before the n-th answer.
async function answerAll(page, during = async () => {}) {
  for (let n = 0; n < 60; n++) {
    await page.waitForSelector('#options input, #report h1');
    if (page.url().includes('/report.html')) return n;
    await during(n);
    await page.waitForSelector('#options input');
    const answered = page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'POST');
    if (await page.$('#value')) await page.fill('#value', '1');
    else await page.locator('label.option').first().click();
    await page.click('#submit');
    await answered;
    // the next question, or the report
    await page.waitForFunction(() => location.pathname === '/report.html' ||
      (document.querySelectorAll('#options input').length > 0 && !document.querySelector('#options input:checked')));
    if (page.url().includes('/report.html')) {
      await page.waitForSelector('#report h1');
      return n + 1;
    }
  }
  return 60;
}

async function switchTo(page, lang) {
  await Promise.all([page.waitForEvent('load'), page.selectOption('#ui-lang', lang)]);
  await page.waitForFunction((l) => document.documentElement.lang === l && !document.documentElement.classList.contains('i18n-pending'), lang);
}

const stem = (page) => page.evaluate(() => ({
  lang: document.getElementById('qform').getAttribute('lang'),
  japanese: /[\u3040-\u30ff\u3400-\u9fff]/.test(document.getElementById('stem').innerText),
  button: document.getElementById('submit').textContent,
}));

async function candidateFlow(browser) {
  const ctx = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const data = await recordData(ctx);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/`);
  await pageInJapanese(page, data, 'start');
  check('ja start: the page says the questions come in Japanese', (await page.inputValue('#qlang')) === 'ja');

  // the checks fail when they must: an English message put back, a glyph no font has
  await page.evaluate(() => { document.querySelector('h1').textContent = 'Which machine-learning role fits you?'; });
  const put = await untranslated(page, data, 'start (English put back)');
  check('ja the untranslated check fails on an English message put back', put.some((x) => x.includes('machine-learning role')), put.join('; '));
  const box = await tofu(page, '\u0378');
  check('ja the tofu check fails on a character no font has', box.tofu.includes('\u0378') && box.tofu.length === 1, `tofu: ${JSON.stringify(box.tofu)}`);
  await page.reload();

  // unknown codes fall back: ?lang=xx and a cookie of a language we do not have
  await page.goto(`${BASE}/?lang=xx`);
  check('ja an unknown ?lang= falls back to the browser\'s Japanese', await page.evaluate(() => document.documentElement.lang) === 'ja');
  await ctx.addCookies([{ name: 'rf_lang', value: 'fr', url: BASE }]);
  await page.goto(`${BASE}/`);
  check('ja an unknown rf_lang cookie falls back to the browser\'s Japanese', await page.evaluate(() => document.documentElement.lang) === 'ja');
  await ctx.clearCookies();

  // a test of one skill, in Japanese
  await page.goto(`${BASE}/`);
  await page.click('#or-skills ~ details summary, details.card summary');
  await page.locator('#skills input').first().check();
  await page.click('#start');
  await page.waitForURL(/\/test\.html#\d+$/);
  await page.waitForSelector('#options input');
  await pageInJapanese(page, data, 'test');
  const q = await stem(page);
  check('ja the questions are asked in Japanese', q.lang === 'ja' && q.japanese, JSON.stringify(q));
  const n = await answerAll(page, async (k) => {
    if (k !== 2) return;
    // mid-test: the interface to English; the question stays Japanese
    await switchTo(page, 'en');
    await page.waitForSelector('#options input');
    const s = await stem(page);
    check('ja switching mid-test changes the interface', s.button === 'Answer' && /Question \d+ of at most/.test(await page.textContent('#count')), s.button);
    check('ja switching mid-test keeps the test\'s language', s.lang === 'ja' && s.japanese, JSON.stringify(s));
    await shoot(page, 'test-switched-to-english');
    await switchTo(page, 'ja');
    await page.waitForSelector('#options input');
    check('ja switched back, the interface is Japanese again', (await stem(page)).button === '解答する');
  });
  console.log(`# ja candidate: ${n} questions`);
  await pageInJapanese(page, data, 'report');
  // the concepts of each question (data/concepts.json) by their Japanese names, not the tags
  const heads = await page.locator('.review-head').allTextContents();
  // (a tag is lower-case English words; a Japanese name has Japanese or, as "OOB（out-of-bag）", capitals)
  const rawTag = (h) => h.split(' · ').slice(2).join('、').split('、').some((x) => !JAPANESE.test(x) && !/[A-Z]/.test(x));
  check('ja the report names each question\'s concepts in Japanese', heads.length > 0 && !heads.some(rawTag), heads.filter(rawTag).slice(0, 3).join(' | '));
  const h1 = await page.textContent('#report h1');
  check('ja the report speaks Japanese', JAPANESE.test(h1), h1);
  // the profile chart's tooltips (svg <title>, not in the rendered text) are messages too
  const tip = await page.evaluate(() => { const e = document.querySelector('#report svg circle title'); return e ? e.textContent : ''; });
  check('ja a skill dot\'s tooltip is the Japanese message', /^[^:]+：[^:]+（θ = -?\d+\.\d\d ± \d+\.\d\d）$/.test(tip) && JAPANESE.test(tip), tip);
  // the report in English afterwards: the interface English, the questions as asked
  await switchTo(page, 'en');
  await page.waitForSelector('#report h1');
  const en = await page.evaluate(() => ({
    h1: document.querySelector('#report h1').textContent,
    review: [...document.querySelectorAll('.review')].map((r) => r.getAttribute('lang') + (/[\u3040-\u30ff\u3400-\u9fff]/.test(r.textContent) ? ':ja' : `:en ${r.textContent.slice(0, 200)}`)),
  }));
  check('ja the report reads in English afterwards', /^Your /.test(en.h1), en.h1);
  check('ja its questions stay as they were asked, in Japanese', en.review.length > 0 && en.review.every((r) => r === 'ja:ja'), en.review.filter((r) => r !== 'ja:ja').slice(0, 3).join(' '));
  await shoot(page, 'report-in-english');
  await switchTo(page, 'ja');
  check('ja candidate: no script errors', errors.length === 0, errors.join('; '));
  await ctx.close();
}

async function recruiterFlow(browser) {
  const ctx = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const data = await recordData(ctx, true);
  // what the walk types in is the walk's, not the page's
  data.type('山田 花子', 'hanako@example.jp', '佐藤 健', '機械学習エンジニア', '推薦チーム', '鈴木 一郎');
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(SETUP_URL);
  await pageInJapanese(page, data, 'setup');
  await page.fill('#organization', '株式会社テスト');
  await page.fill('#name', '山田 花子');
  await page.fill('#email', 'hanako@example.jp');
  await page.fill('#password', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
  await page.waitForSelector('header nav >> text=山田 花子');

  // a wrong password: the error in Japanese, from the API's code
  await page.click('header nav button:has-text("サインアウト")');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/login.html`);
  await page.fill('#email', 'hanako@example.jp');
  await page.fill('#password', 'wrong password');
  await page.click('#form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('error').textContent.trim() !== '');
  const lerr = await page.textContent('#error');
  check('ja a wrong password is refused in Japanese', lerr.includes('パスワード') && JAPANESE.test(lerr), lerr);
  await pageInJapanese(page, data, 'login-wrong-password');
  await page.fill('#password', 'correct horse battery');
  await page.click('#form button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
  await page.waitForSelector('#postings');
  await pageInJapanese(page, data, 'recruiter');

  // a posting in Japanese
  await page.fill('#p-title', '機械学習エンジニア');
  // two requirements: the invited test stays short
  await page.fill('#p-text', '必須要件:\n- PyTorchを用いた深層学習モデルの開発経験\n歓迎要件:\n- Kubernetes');
  await page.click('#posting-form button[type=submit]');
  await page.waitForSelector('#parsed h2');
  await pageInJapanese(page, data, 'recruiter-posting');
  // a correction (the first requirement's weight) is said in Japanese when
  // saved and in the history: the edit is stored as data, worded by the page
  await page.click('#edit-reqs');
  await page.waitForSelector('#edit-table tbody tr');
  await page.locator('#edit-table tbody tr').first().locator('.req-weight').fill('2');
  await page.click('#save-reqs');
  await page.waitForSelector('#edit-saved');
  const jsaved = await page.textContent('#edit-saved');
  check('ja the saved correction is said in Japanese', /重み 3 → 2/.test(jsaved) && !/weight|->/.test(jsaved), jsaved);
  await page.click('#parsed button:has-text("編集履歴")');
  await page.waitForSelector('#edits li');
  const jhist = await page.innerText('#edits');
  check('ja the history of edits is in Japanese', /重み 3 → 2/.test(jhist) && !/weight|level|->/.test(jhist), jhist);
  await pageInJapanese(page, data, 'recruiter-posting-history');

  // an invitation in the candidate's language, with its e-mail text
  await page.click('#tab-invites');
  await page.waitForSelector('#i-posting option:has-text("機械学習エンジニア")', { state: 'attached' });
  await page.selectOption('#i-posting', { label: '機械学習エンジニア' });
  await page.fill('#i-label', '佐藤 健');
  await page.selectOption('#i-lang', 'ja');
  await page.click('#invite-form button[type=submit]');
  await page.waitForSelector('#invite-text');
  const url = (await page.textContent('#invite-url')).trim();
  check('ja the invitation link carries the candidate\'s language', url.startsWith(`${BASE}/invite.html?lang=ja#`), url);
  const mail = await page.inputValue('#invite-text');
  check('ja the e-mail text is Japanese, names the candidate and holds the link', mail.startsWith('佐藤 健 様') && mail.includes(url) && mail.includes('機械学習エンジニア') && mail.includes('山田 花子'), mail.slice(0, 120));
  data.type(mail);
  await pageInJapanese(page, data, 'recruiter-invite');

  // the candidate opens it in a browser set to English: the invitation's language wins
  const cctx = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
  cctx.setDefaultTimeout(20000);
  const cdata = await recordData(cctx);
  cdata.add('佐藤 健');
  const cp = await cctx.newPage();
  cp.on('pageerror', (e) => errors.push(e.message));
  await cp.goto(url);
  await cp.waitForSelector('#start:not([disabled])');
  await pageInJapanese(cp, cdata, 'invite');
  check('ja the invitation greets the candidate in Japanese', (await cp.textContent('#title')) === '佐藤 健 様');
  check('ja the invitation\'s questions default to Japanese', (await cp.inputValue('#qlang')) === 'ja');
  await cp.click('#start');
  await cp.waitForSelector('#code-shown:not([hidden])');
  await pageInJapanese(cp, cdata, 'invite-resume-code');
  await cp.click('#go');
  await cp.waitForURL(/\/test\.html#\d+$/);
  await cp.waitForSelector('#options input');
  await pageInJapanese(cp, cdata, 'invited-test');
  await answerAll(cp);
  await pageInJapanese(cp, cdata, 'invited-report');
  const testId = cp.url().split('#')[1];
  await cctx.close();

  // the recruiter: invites, ranking, the candidate's report, admin, team
  await page.goto(`${BASE}/recruiter.html`);
  await page.click('#tab-invites');
  await page.waitForSelector('#invites tbody >> text=完了 — レポートを開く');
  await pageInJapanese(page, data, 'recruiter-invites');
  await page.click('#tab-postings');
  await page.locator('#postings li', { hasText: '機械学習エンジニア' }).locator('button:has-text("候補者をランク付け")').click();
  await page.waitForSelector('#ranking-table tbody >> text=佐藤 健');
  await pageInJapanese(page, data, 'recruiter-ranking');
  await page.goto(`${BASE}/report.html#${testId}`);
  await page.waitForSelector('#report h1');
  const rh1 = await page.textContent('#report h1');
  check('ja the recruiter reads the candidate\'s report in Japanese, of the candidate', /^(現時点で)?佐藤 健(：|に最も近い職種：)/.test(rh1) && JAPANESE.test(rh1), rh1);
  await pageInJapanese(page, data, 'recruiter-report');
  // the integrity table names each answer's question by its concepts (data/concepts.json's
  // Japanese), not by the item's id
  await page.locator('#report details summary', { hasText: 'すべての解答' }).click();
  const conceptCells = await page.evaluate(() => [...document.querySelectorAll('#report details')]
    .filter((d) => d.open && d.querySelector('summary').textContent.startsWith('すべての解答'))
    .flatMap((d) => [...d.querySelectorAll('tbody tr td:nth-child(2)')].map((e) => e.textContent)));
  check('ja recruiter report: the integrity table names each answer by its concepts in Japanese, no item id',
    conceptCells.length > 0 && conceptCells.every((x) => x && !/\.\d{3}$|_/.test(x)) && conceptCells.filter((x) => JAPANESE.test(x)).length >= conceptCells.length * 0.9,
    conceptCells.slice(0, 4).join(' | '));
  await pageInJapanese(page, data, 'recruiter-report-every-answer');
  await page.goto(`${BASE}/admin.html`);
  await page.waitForSelector('#bank tbody tr');
  // the review queue, the bank's versions and the fairness section (DIF) in place
  await page.waitForSelector('#review:not([hidden]) #versions li');
  await page.waitForSelector('#fairness:not([hidden]) #dif:not([hidden])');
  const bankSkills = await page.locator('#bank tbody th').allTextContents();
  check('ja admin: the bank\'s skills are named in Japanese', bankSkills.length === 19 && bankSkills.every((x) => JAPANESE.test(x)), bankSkills.filter((x) => !JAPANESE.test(x)).slice(0, 4).join(' | '));
  await pageInJapanese(page, data, 'admin');
  // adverse impact of the Japanese posting, and a DIF run (too few answers: said so)
  await page.waitForSelector('#impact-posting option:has-text("機械学習エンジニア")', { state: 'attached' });
  await page.selectOption('#impact-posting', { label: '機械学習エンジニア' });
  await page.click('#impact-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('impact-summary').textContent.trim() !== '' || document.getElementById('fair-error').textContent.trim() !== '');
  await pageInJapanese(page, data, 'admin-adverse-impact');
  // a reference group the server does not know: refused in Japanese; then a known one
  await page.fill('#dif-reference', 'female');
  data.type('female');
  await page.click('#dif-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('fair-error').textContent.trim() !== '');
  check('ja admin: an unknown DIF reference group is refused in Japanese', JAPANESE.test(await page.textContent('#fair-error')), await page.textContent('#fair-error'));
  await pageInJapanese(page, data, 'admin-dif-refused');
  // the staff check fails on the server's English shown as it came (here the refusal's
  // own message, put where the page's Japanese was)
  const serverMsg = await page.getAttribute('#fair-error', 'title');
  await page.evaluate((m) => { document.getElementById('fair-error').textContent = m; }, serverMsg);
  const putBack = await untranslated(page, data, 'admin (server English put back)');
  check('ja the staff check fails on the server\'s English shown on a staff page',
    !!serverMsg && data.has(serverMsg) && putBack.some((x) => x.includes('[server data]')), `${serverMsg} | ${putBack.join('; ')}`);
  await page.evaluate(() => { document.getElementById('fair-error').textContent = ''; });
  await page.fill('#dif-reference', 'woman');
  data.type('woman');
  const ran = page.waitForResponse((r) => r.url().includes('/api/fairness/dif') && r.request().method() === 'POST');
  await page.click('#dif-form button[type=submit]');
  await ran;
  await page.waitForLoadState('networkidle');
  await pageInJapanese(page, data, 'admin-dif');
  await page.goto(`${BASE}/team.html`);
  await page.fill('#t-name', '推薦チーム');
  await page.click('#team-form button[type=submit]');
  await page.waitForSelector('#team-name >> text=推薦チーム');
  await page.fill('#m-label', '鈴木 一郎');
  await page.click('#member-form button[type=submit]');
  await page.waitForSelector('#member-url');
  await page.waitForSelector('#members tbody >> text=鈴木 一郎');
  await pageInJapanese(page, data, 'team');
  // the next hire's posting drafted in Japanese, saved, and shown on the postings page
  await page.waitForSelector('#draft-posting');
  check('ja team: the posting is drafted in the page\'s language', (await page.inputValue('#d-lang')) === 'ja');
  await page.click('#draft-posting');
  await page.waitForSelector('#draft:not([hidden])');
  const dtitle = await page.inputValue('#d-title');
  const dtext = await page.inputValue('#d-text');
  check('ja team: the drafted posting is Japanese', JAPANESE.test(dtitle) && JAPANESE.test(dtext) && !/Requirements:/.test(dtext), `${dtitle} | ${dtext.slice(0, 160)}`);
  await pageInJapanese(page, data, 'team-draft');
  await page.click('#d-save');
  await page.waitForSelector('#d-saved:not([hidden])');
  await pageInJapanese(page, data, 'team-draft-saved');
  await page.click('#d-saved a');
  await page.waitForURL(/\/recruiter\.html/);
  await page.waitForSelector('#postings li');
  await page.locator('#postings li', { hasText: dtitle }).first().waitFor();
  check('ja team: the drafted posting is on the postings page', (await page.locator('#postings li', { hasText: dtitle }).count()) >= 1);
  await pageInJapanese(page, data, 'recruiter-drafted-posting');
  await page.locator('#postings li', { hasText: dtitle }).first().locator('button:has-text("要件")').click();
  await page.waitForFunction((t) => (document.querySelector('#parsed h2') || {}).textContent?.includes(t), dtitle);
  await pageInJapanese(page, data, 'recruiter-drafted-posting-open');
  check('ja recruiter: no script errors', errors.length === 0, errors.join('; '));
  await ctx.close();
}

// A staff member's language follows the account across browsers (settings
// user_lang:ID, kept by POST /api/me/lang): the admin adds a recruiter; the
// recruiter signs in from a browser set to English and switches to Japanese;
// a fresh browser (no cookie, no local storage, also set to English) shows the
// sign-in page in English and, once signed in, Japanese pages; switching that
// one to English, the first browser shows English on its next load.
const STAFF = { name: '高橋 誠', email: 'makoto@example.jp', password: 'staff language 2026' };
const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const accountLang = (page) => page.evaluate(async () => {
  const r = await fetch('/api/me', { credentials: 'same-origin' });
  const m = await r.json();
  return m.user ? m.user.lang || null : null;
});
// waits for the page, after whatever reloads its account asks for, to stand in
// lang; returns the language it stands in (another one after 10 s: the check fails)
async function settlesIn(page, lang) {
  try {
    await page.waitForSelector(`html[lang="${lang}"]:not(.i18n-pending) header nav #ui-lang`, { state: 'attached', timeout: 10000 });
  } catch (_) { /* the language it shows is returned */ }
  await page.waitForLoadState('networkidle');
  return htmlLang(page);
}
async function signIn(page, who) {
  await page.goto(`${BASE}/login.html`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await page.click('#form button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
}

async function staffLanguageFlow(browser) {
  const errors = [];
  // the admin (of the recruiter flow) adds a recruiter
  const actx = await browser.newContext({ locale: 'ja-JP' });
  actx.setDefaultTimeout(20000);
  const ap = await actx.newPage();
  await signIn(ap, { email: 'hanako@example.jp', password: 'correct horse battery' });
  await ap.goto(`${BASE}/admin.html`);
  await ap.fill('#u-name', STAFF.name);
  await ap.fill('#u-email', STAFF.email);
  await ap.fill('#u-password', STAFF.password);
  await ap.selectOption('#u-role', 'recruiter');
  await ap.click('#adduser button[type=submit]');
  await ap.waitForFunction(() => document.getElementById('u-done').textContent.trim() !== '' || document.getElementById('u-error').textContent.trim() !== '');
  check('ja staff: the admin adds a recruiter', (await ap.textContent('#u-done')).includes(STAFF.email), await ap.textContent('#u-error'));
  await actx.close();

  // browser A, set to English: the recruiter has no language yet, the page is English
  const ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  ctxA.setDefaultTimeout(20000);
  const pa = await ctxA.newPage();
  pa.on('pageerror', (e) => errors.push(e.message));
  await signIn(pa, STAFF);
  check('ja staff: a recruiter without a language reads an English browser in English', await settlesIn(pa, 'en') === 'en');
  check('ja staff: the account has no language yet', await accountLang(pa) === null);
  await switchTo(pa, 'ja');
  check('ja staff: browser A switched to Japanese', await settlesIn(pa, 'ja') === 'ja');
  check('ja staff: the account keeps Japanese (GET /api/me)', await accountLang(pa) === 'ja', String(await accountLang(pa)));

  // browser B: fresh, nothing of A's, set to English
  const ctxB = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  ctxB.setDefaultTimeout(20000);
  const datB = await recordData(ctxB, true);
  datB.type(STAFF.name);
  const pb = await ctxB.newPage();
  pb.on('pageerror', (e) => errors.push(e.message));
  await pb.goto(`${BASE}/login.html`);
  const fresh = await pb.evaluate(() => ({ cookie: document.cookie, stored: localStorage.length }));
  check('ja staff: browser B starts with no cookie and no local storage', fresh.cookie === '' && fresh.stored === 0 && (await ctxB.cookies()).length === 0, JSON.stringify(fresh));
  check('ja staff: before signing in, browser B is English (the browser\'s language)', await settlesIn(pb, 'en') === 'en');
  await signIn(pb, STAFF);
  check('ja staff: signed in, browser B follows the account to Japanese', await settlesIn(pb, 'ja') === 'ja');
  await pageInJapanese(pb, datB, 'staff-second-browser');
  await pb.goto(`${BASE}/team.html`);
  check('ja staff: browser B\'s next page is Japanese too', await settlesIn(pb, 'ja') === 'ja');
  await pageInJapanese(pb, datB, 'staff-second-browser-team');

  // B switches to English; A follows on its next load
  await switchTo(pb, 'en');
  check('ja staff: browser B switched to English', await settlesIn(pb, 'en') === 'en');
  check('ja staff: the account keeps English (GET /api/me)', await accountLang(pb) === 'en', String(await accountLang(pb)));
  check('ja staff: browser A still shows Japanese until it loads a page', await htmlLang(pa) === 'ja');
  await pa.reload();
  check('ja staff: browser A follows the account to English on its next load', await settlesIn(pa, 'en') === 'en');
  const nav = await pa.textContent('header nav');
  check('ja staff: browser A\'s page reads in English', nav.includes('Sign out') && !JAPANESE.test(nav.replace(STAFF.name, '').replace('日本語', '')), nav);
  const cookieA = (await ctxA.cookies()).find((c) => c.name === 'rf_lang');
  check('ja staff: browser A now remembers English itself', cookieA && cookieA.value === 'en', JSON.stringify(cookieA));
  await shoot(pa, 'staff-first-browser-english');
  check('ja staff: no script errors', errors.length === 0, errors.join('; '));
  await ctxA.close();
  await ctxB.close();
}

// The interviews page in Japanese (issue 17's flow, as flows.mjs walks it in
// English): the admin adds two interviewers and assigns both to an invited
// candidate's coding round; each interviewer, in a browser of their own set to
// Japanese, fills the anchored rubric, saves a draft and submits; then the
// admin reads a scorecard's history, the hiring packet and the interviewer
// calibration report. Every page on the way gets the checks.
async function apiIn(page, method, url, body) {
  return page.evaluate(async ([m, u, b]) => {
    const { api } = await import('/js/api.js');
    return api(m, u, b === null ? undefined : b);
  }, [method, url, body === undefined ? null : body]);
}
const PANEL = [['伊藤 杏', 'anzu@example.jp', [3, 4, 3], 'yes'], ['渡辺 勇', 'isamu@example.jp', [2, 3, 3], 'no']];
const PANEL_PASSWORD = 'interview panel pass 42';
const NOTE = 'ヒープを使った解法を説明し、境界ケースも確認した。';

async function interviewFlow(browser) {
  const errors = [];
  const typed = ['山田 花子', '中村 葵', NOTE, ...PANEL.map((p) => p[0]), ...PANEL.map((p) => p[1])];
  const ctx = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const data = await recordData(ctx, true);
  data.type(...typed);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, { email: 'hanako@example.jp', password: 'correct horse battery' });
  for (const [name, email] of PANEL) await apiIn(page, 'POST', '/api/users', { email, name, password: PANEL_PASSWORD, role: 'interviewer' });
  await apiIn(page, 'POST', '/api/invites', { role: 'ml_engineer', label: '中村 葵', lang: 'ja' });
  await page.goto(`${BASE}/interviews.html`);
  await page.waitForSelector('#cand-list >> text=中村 葵');
  await pageInJapanese(page, data, 'interviews');
  await page.click('#cand-list >> text=中村 葵');
  await page.waitForSelector('#a-round option', { state: 'attached' });
  for (const [name] of PANEL) {
    await page.selectOption('#a-round', 'coding_algorithmic');
    await page.selectOption('#a-iv', { label: name });
    await page.click('#assign-form button[type=submit]');
    await page.waitForSelector(`#assignments tbody >> text=${name}`);
  }
  check('ja interviews: the admin assigns two interviewers to the coding round', (await page.locator('#assignments tbody tr').count()) === 2);
  await pageInJapanese(page, data, 'interviews-assigned');

  // each interviewer in a browser of their own
  const iv = {};
  for (const [name, email] of PANEL) {
    const c = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    c.setDefaultTimeout(20000);
    const d = await recordData(c, true);
    d.type(...typed);
    const p = await c.newPage();
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${BASE}/login.html`);
    await p.fill('#email', email);
    await p.fill('#password', PANEL_PASSWORD);
    await p.click('#form button[type=submit]');
    await p.waitForURL(/\/interviews\.html/);
    await p.click('#cand-list >> text=中村 葵');
    await p.waitForSelector('form.scorecard');
    iv[name] = { p, d };
  }
  const fill = async (p, pts, rec) => {
    const crits = p.locator('form.scorecard fieldset.criterion');
    const n = await crits.count();
    for (let i = 0; i < n; i++) await crits.nth(i).locator(`input[value="${pts[i]}"]`).check();
    await p.fill('form.scorecard textarea', NOTE);
    await p.selectOption('form.scorecard select', rec);
  };
  const [a, b] = PANEL.map((x) => iv[x[0]]);
  await pageInJapanese(a.p, a.d, 'interviews-scorecard');
  // the kit in Japanese: the criteria, their anchors, the questions (data/interviews.json's "ja")
  const kit = await a.p.evaluate(() => ({
    legends: [...document.querySelectorAll('form.scorecard fieldset.criterion legend')].map((e) => e.textContent),
    anchors: [...document.querySelectorAll('form.scorecard fieldset.criterion label.option')].map((e) => e.textContent),
    questions: [...document.querySelectorAll('form.scorecard details ol > li')].map((e) => e.textContent),
  }));
  const allJa = (xs) => xs.length > 0 && xs.every((x) => JAPANESE.test(x));
  check('ja interviews: the rubric\'s criteria and anchors are Japanese', allJa(kit.legends) && allJa(kit.anchors) && kit.legends.includes('アプローチと計算量'), kit.legends.join(' | '));
  check('ja interviews: the round\'s questions and follow-ups are Japanese', allJa(kit.questions), kit.questions.map((q) => q.slice(0, 40)).join(' | '));
  await fill(a.p, PANEL[0][2], PANEL[0][3]);
  await a.p.click('form.scorecard button[data-action=save]');
  await a.p.waitForSelector('form.scorecard .card-state >> text=下書き');
  await pageInJapanese(a.p, a.d, 'interviews-scorecard-draft');
  await fill(b.p, PANEL[1][2], PANEL[1][3]);
  await b.p.click('form.scorecard button[data-action=save]');
  await b.p.waitForSelector('form.scorecard .card-state >> text=下書き');
  await a.p.click('form.scorecard button[data-action=submit]');
  await a.p.waitForSelector('form.scorecard', { state: 'detached' });
  const aSees = await a.p.textContent(`.scorecard-view[data-interviewer="${PANEL[1][0]}"]`);
  check('ja interviews: after submitting, the first interviewer cannot read the other\'s draft', !aSees.includes('ヒープ') && JAPANESE.test(aSees), aSees);
  await pageInJapanese(a.p, a.d, 'interviews-submitted');
  await b.p.reload();
  await b.p.waitForSelector(`.scorecard-view[data-interviewer="${PANEL[0][0]}"]`);
  await pageInJapanese(b.p, b.d, 'interviews-other-submitted');
  await b.p.click('form.scorecard button[data-action=submit]');
  await b.p.waitForSelector('form.scorecard', { state: 'detached' });
  const bSees = await b.p.textContent(`.scorecard-view[data-interviewer="${PANEL[0][0]}"]`);
  check('ja interviews: once both are in, each reads the other\'s scorecard', bSees.includes('ヒープ'), bSees);
  await pageInJapanese(b.p, b.d, 'interviews-both-submitted');

  // the admin: the locked scorecards, a history, the packet, the calibration report
  await page.reload();
  await page.waitForSelector('.scorecard-view');
  await page.click('#cand-list >> text=中村 葵').catch(() => {});
  await page.waitForSelector(`.scorecard-view[data-interviewer="${PANEL[0][0]}"] button[data-action=history]`);
  await page.click(`.scorecard-view[data-interviewer="${PANEL[0][0]}"] button[data-action=history]`);
  await page.waitForSelector(`.scorecard-view[data-interviewer="${PANEL[0][0]}"] ul.history li`);
  const hist = await page.textContent(`.scorecard-view[data-interviewer="${PANEL[0][0]}"] ul.history`);
  check('ja interviews: a scorecard\'s history reads in Japanese, the replaced scores by criterion name', JAPANESE.test(hist) && hist.includes(PANEL[0][1]) && hist.includes('アプローチと計算量 3'), hist);
  await page.click('#packet-show');
  await page.waitForSelector('#packet-table tbody tr');
  const packet = await page.evaluate(() => ({
    title: document.querySelector('#packet h3').textContent,
    skills: [...document.querySelectorAll('#packet-table tbody tr td:first-child')].map((e) => e.textContent),
  }));
  check('ja interviews: the packet names the role and the skills in Japanese', JAPANESE.test(packet.title) && allJa(packet.skills), `${packet.title} | ${packet.skills.join(' | ')}`);
  await pageInJapanese(page, data, 'interviews-history');
  await pageInJapanese(page, data, 'interviews-packet');
  await page.click('#calib-show');
  await page.waitForSelector('#calib-ivs tbody tr');
  const cal = await page.textContent('#calib-ivs');
  check('ja interviews: the calibration report lists both interviewers', cal.includes(PANEL[0][0]) && cal.includes(PANEL[1][0]), cal);
  await pageInJapanese(page, data, 'interviews-calibration');
  check('ja interviews: no script errors', errors.length === 0, errors.join('; '));
  await Promise.all([ctx, a.p.context(), b.p.context()].map((c) => c.close()));
}

const browser = await chromium.launch({ executablePath: process.env.RF_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const flow of [candidateFlow, recruiterFlow, interviewFlow, staffLanguageFlow]) {
    try {
      await flow(browser);
    } catch (e) {
      check(`ja ${flow.name} ran to the end`, false, e.message.split('\n')[0]);
    }
  }
} finally {
  await browser.close();
}
console.log(`screenshots: ${SHOTS.length} in ${OUT}`);
console.log(`ja walk: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
