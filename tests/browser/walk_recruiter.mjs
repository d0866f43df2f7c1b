// A demanding recruiter's and team lead's walk of the staff side, run by
// tests/integration/browser_recruiter.sh against a fresh server of its own:
// the admin sets up, reads a posting pasted as text and invites for it, three
// candidates take their tests (two for the posting, one for a role), a team
// gets a member whose finished test is not shared, an interviewer gets the
// role candidate's take-home. The pages are read in English and Japanese at
// 390 px, the ranking at 1280 px too. What it holds them to:
// - tables keep their words whole: no word of the ranking, the invites, the
//   hiring packet or the team's coverage is broken across lines (the box
//   scrolls sideways on a phone instead);
// - a recruiter can add an interviewer (there is no Admin page for them);
// - the ranking says no "± 0%" and gives the reasons' probabilities as
//   percentages, never a decimal like "(1.00)";
// - a parsed posting leads on: "Invite candidates for it" opens the invite
//   form with that posting chosen;
// - the invite list never says a member's finished test is "in progress
//   (0 answered)": it says finished, the member's own until shared;
// - a team with no shared test says nothing is counted yet and claims no
//   chance of a best hire; its first ML Test Score self-assessment names its
//   band once and is not drawn as a one-point trend;
// - a take-home's scorecard shows the take-home as set: data, task, hand-in
//   and the time box;
// - every visible control labelled; nothing wider than the viewport; no
//   "null", "undefined" or "NaN"; no script error, console error or 5xx.
// Environment: RF_BASE, RF_SETUP_URL, RF_OUT (screenshots), RF_BANK, RF_CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { check, counts } from './report.mjs';

const BASE = process.env.RF_BASE;
const SETUP_URL = process.env.RF_SETUP_URL;
const OUT = process.env.RF_OUT || 'test-output/browser';
const BANK = process.env.RF_BANK || 'data/bank';
if (!BASE || !SETUP_URL) {
  console.log('FAIL setup: RF_BASE and RF_SETUP_URL are required');
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });
const bank = new Map();
for (const f of fs.readdirSync(BANK).filter((n) => n.endsWith('.json'))) {
  for (const it of JSON.parse(fs.readFileSync(path.join(BANK, f), 'utf8')).items) bank.set(it.id, it);
}

// Answers: 'right', or 'half' (every other item of the bank right).
function answer(it, mode, k) {
  const type = it.type || 'mcq';
  if (mode === 'right' || k % 2 === 0) {
    if (type === 'numeric') return { item: it.id, value: String(it.answer) };
    if (type === 'multi') return { item: it.id, selected: it.keys };
    return { item: it.id, choice: it.key };
  }
  if (type === 'numeric') return { item: it.id, value: String(it.answer + 10 * it.tolerance + 1 + Math.abs(it.answer)) };
  if (type === 'multi') return { item: it.id, selected: [[...it.options.keys()].find((i) => !it.keys.includes(i))] };
  return { item: it.id, choice: (it.key + 1) % it.options.length };
}

async function apiIn(page, method, url, body) {
  return page.evaluate(async ([m, u, b]) => {
    const { api } = await import('/js/api.js');
    return api(m, u, b === null ? undefined : b);
  }, [method, url, body === undefined ? null : body]);
}

const browser = await chromium.launch({
  executablePath: process.env.RF_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const errors = [];
async function context(lang, width) {
  const c = await browser.newContext({ viewport: { width, height: 844 }, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
  // generous: the machine running make test may be loaded many times over
  c.setDefaultTimeout(60000);
  c.on('page', (p) => {
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    p.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
  });
  return c;
}

// A candidate takes the test of an invite link in a browser of their own.
async function take(link, mode) {
  const c = await context('en', 390);
  const p = await c.newPage();
  const token = link.split('#')[1];
  await p.goto(`${BASE}/invite.html#${token}`);
  const r = await p.evaluate(async ([tok, ans]) => {
    const { api } = await import('/js/api.js');
    let res = await api('POST', '/api/tests', { invite: tok });
    const id = res.test.id;
    let k = 0;
    while (res.test.status === 'active' && res.question && k < 80) {
      res = await api('POST', `/api/tests/${id}/answers`, ans[res.question.item]);
      k++;
    }
    return { id, status: res.test.status };
  }, [token, Object.fromEntries([...bank.values()].map((it, k) => [it.id, answer(it, mode, k)]))]);
  await c.close();
  return r;
}

async function signIn(lang, width, email, password) {
  const c = await context(lang, width);
  const p = await c.newPage();
  await p.goto(`${BASE}/login.html?lang=${lang}`);
  await p.fill('#email', email);
  await p.fill('#password', password);
  await p.press('#password', 'Enter');
  await p.waitForURL(/\/(recruiter|interviews)\.html/);
  return [c, p];
}

// Words (Latin letters and digits) of the cells under sel that are broken
// across lines: a word whose text has more than one line box.
async function brokenWords(page, sel) {
  return page.evaluate((s) => {
    const out = [];
    for (const cell of document.querySelectorAll(s)) {
      const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        for (const m of n.data.matchAll(/[A-Za-z0-9%]{2,}/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  }, sel);
}

// The page as a reader sees it: overflow, unlabelled controls, words that a
// value failed to render.
async function pageChecks(page, where) {
  await page.waitForTimeout(150);
  const s = await page.evaluate(() => {
    const unl = [];
    for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!e.getClientRects().length) continue;
      const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.closest('label') ||
        (e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`));
      if (!named) unl.push(`${e.tagName.toLowerCase()}#${e.id}`);
    }
    const text = document.querySelector('main').innerText;
    return { over: document.documentElement.scrollWidth - window.innerWidth, unl,
      bad: (text.match(/.{0,30}\b(null|undefined|NaN)\b.{0,30}/) || [''])[0] };
  });
  check(`${where}: fits the viewport`, s.over <= 0, `${s.over}px too wide`);
  check(`${where}: every form control has a label`, s.unl.length === 0, s.unl.join(', '));
  check(`${where}: no "null", "undefined" or "NaN"`, !s.bad, s.bad);
}

const t0 = Date.now();
const tag = 'recruiter walk';
const say = (what) => console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
try {
  // set up; an interviewer
  const ac = await context('en', 1280);
  const page = await ac.newPage();
  await page.goto(SETUP_URL);
  await page.fill('#organization', 'Acme Research');
  await page.fill('#name', 'Rita Recruiter');
  await page.fill('#email', 'rita@acme.example');
  await page.fill('#password', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/recruiter\.html/);
  await apiIn(page, 'POST', '/api/users', { email: 'rex@acme.example', name: 'Rex Recruiter', password: 'recruiting pass 42x', role: 'recruiter' });
  const empty = await page.textContent('#postings');
  check(`${tag}: the empty postings list says what to do`, /paste one into the form/.test(empty), empty);

  // a posting pasted as text; its next step is to invite for it
  await page.fill('#p-title', 'ML Engineer');
  await page.fill('#p-text', fs.readFileSync('tests/fixtures/postings/en02.txt', 'utf8'));
  await page.click('#posting-form button[type=submit]');
  await page.waitForSelector('#parsed:not([hidden]) #edit-reqs');
  const posting = (await apiIn(page, 'GET', '/api/postings')).postings[0];
  if (await page.locator('#invite-for').count()) await page.click('#invite-for');
  await page.waitForTimeout(200);
  check(`${tag}: "Invite candidates for it" opens the invite form with the posting chosen`,
    (await page.inputValue('#i-posting')) === String(posting.id) && (await page.inputValue('#i-role')) === '' &&
    (await page.evaluate(() => document.activeElement.id)) === 'i-label' && await page.isVisible('#panel-invites'),
    `posting ${await page.inputValue('#i-posting')}, role '${await page.inputValue('#i-role')}'`);
  await pageChecks(page, `${tag}: the invite form at 1280px`);
  say('posting read');

  // a recruiter (no Admin page) adds the interviewer on the interviews page
  {
    const [c, p] = await signIn('en', 390, 'rex@acme.example', 'recruiting pass 42x');
    await p.goto(`${BASE}/interviews.html`);
    await p.waitForSelector('#staff-tools:not([hidden])');
    const form = await p.locator('#iv-form').count();
    if (form) {
      await p.fill('#iv-name', 'Ann Interviewer');
      await p.fill('#iv-email', 'ann@acme.example');
      await p.fill('#iv-password', 'interview panel pass 42');
      await p.press('#iv-password', 'Enter');
      await p.waitForSelector('#ivs li:has-text("Ann Interviewer")').catch(() => {});
    }
    const listed = await p.textContent('#ivs');
    check(`${tag}: a recruiter adds an interviewer on the interviews page`, form === 1 && /Ann Interviewer/.test(listed), listed);
    await pageChecks(p, `${tag}: the interviews page at 390px`);
    await c.close();
  }

  // candidates: two for the posting, one for a role (its loop has a take-home)
  const a = await apiIn(page, 'POST', '/api/invites', { posting: posting.id, label: 'Alice Able' });
  const b = await apiIn(page, 'POST', '/api/invites', { posting: posting.id, label: 'Bob Basic' });
  const r = await apiIn(page, 'POST', '/api/invites', { role: 'ml_engineer', label: 'Ivy Role' });
  // a team with a member whose finished test is not shared
  const team = (await apiIn(page, 'POST', '/api/teams', { name: 'Platform ML' })).team;
  const m = await apiIn(page, 'POST', `/api/teams/${team.id}/members`, { label: 'Mia Member', role: 'mlops_engineer' });
  const taken = await Promise.all([take(a.link, 'right'), take(b.link, 'half'), take(r.link, 'half'), take(m.link, 'half')]);
  check(`${tag}: four tests taken to the end`, taken.every((x) => x.status === 'finished'), JSON.stringify(taken));
  say('tests taken');
  const ivs = (await apiIn(page, 'GET', '/api/interviewers')).interviewers;
  const loop = (await apiIn(page, 'GET', `/api/interviews/${r.id}`)).loop;
  const th = loop.find((x) => x.kind === 'take_home');
  check(`${tag}: a machine learning engineer's loop has a take-home`, !!th, JSON.stringify(loop.map((x) => x.kind)));
  if (th) await apiIn(page, 'POST', '/api/assignments', { invite: r.id, round: th.round, slot: 1, interviewer: ivs[0].id });
  await ac.close();

  // the ranking's headers broke mid-word on a desktop too
  {
    const [c, p] = await signIn('en', 1280, 'rita@acme.example', 'correct horse battery');
    await p.waitForSelector('#postings li button');
    await p.locator('#postings li button').nth(1).click();
    await p.waitForSelector('#ranking-table tbody tr td.reason');
    const rb = await brokenWords(p, '#ranking-table th, #ranking-table td');
    check(`${tag} en 1280px: the ranking breaks no word across lines`, rb.length === 0, rb.slice(0, 8).join(' '));
    await p.locator('#ranking').screenshot({ path: path.join(OUT, 'recruiter-ranking-en-1280.png') });
    await c.close();
  }
  for (const [lang, width] of [['ja', 390], ['en', 390]]) {
    const where = `${tag} ${lang} ${width}px`;
    const [c, p] = await signIn(lang, width, 'rita@acme.example', 'correct horse battery');
    // the ranking
    await p.waitForSelector('#postings li button');
    await p.locator('#postings li button').nth(1).click();
    await p.waitForSelector('#ranking-table tbody tr td.reason');
    const rows = await p.locator('#ranking-table tbody tr').count();
    check(`${where}: the ranking lists both applicants`, rows === 2, `${rows} rows`);
    const rb = await brokenWords(p, '#ranking-table th, #ranking-table td');
    check(`${where}: the ranking breaks no word across lines`, rb.length === 0, rb.slice(0, 8).join(' '));
    // no figure rounded to a certainty or written as a decimal
    const rtext = await p.innerText('#ranking-table tbody');
    check(`${where}: the ranking says no "± 0%" and no decimal probability`, !/± 0%/.test(rtext) && !/\((0|1)\.\d\d\)|（(0|1)\.\d\d）/.test(rtext), rtext.slice(0, 300));
    await pageChecks(p, `${where}: the ranking`);
    await p.locator('#ranking').screenshot({ path: path.join(OUT, `recruiter-ranking-${lang}-${width}.png`) });
    // the invites: the member's unshared test is finished, never "in progress (0 answered)"
    await p.click('#tab-invites');
    await p.waitForSelector('#invites tbody tr:has-text("Mia Member")');
    const mia = await p.innerText('#invites tbody tr:has-text("Mia Member")');
    const priv = lang === 'ja' ? /完了 — 共有されるまでチームメンバー本人のもの/ : /finished — the team member's own until shared/;
    check(`${where}: the member's unshared finished test reads as finished, not in progress`,
      priv.test(mia) && !/(0 answered|0問解答)/.test(mia), mia);
    const ib = await brokenWords(p, '#invites th, #invites td');
    check(`${where}: the invites break no word across lines`, ib.length === 0, ib.slice(0, 8).join(' '));
    await pageChecks(p, `${where}: the invites`);
    // the hiring packet of the role candidate
    await p.goto(`${BASE}/interviews.html#${r.id}`);
    await p.waitForSelector('#packet-show');
    await p.click('#packet-show');
    await p.waitForSelector('#packet-table tbody tr');
    const pb = await brokenWords(p, '#packet-table th, #packet-table td, #assignments th, #assignments td');
    check(`${where}: the hiring packet breaks no word across lines`, pb.length === 0, pb.slice(0, 8).join(' '));
    await pageChecks(p, `${where}: the hiring packet`);
    await p.locator('#packet-box').screenshot({ path: path.join(OUT, `recruiter-packet-${lang}-${width}.png`) });
    // the team: nothing counted yet, and said so
    await p.goto(`${BASE}/team.html#${team.id}`);
    await p.waitForSelector('#coverage:not([hidden]) #roles tbody tr');
    const none = await p.locator('#coverage-none').isVisible();
    const chance = await p.locator('#hire-chance').count();
    check(`${where}: a team with no shared test says nothing is counted and claims no best-hire chance`, none && chance === 0,
      `notice ${none}, chance ${chance}: ${await p.textContent('#hire').catch(() => '')}`);
    const tb = await brokenWords(p, '#members th, #members td, #roles th, #roles td, #tasks th, #tasks td');
    check(`${where}: the team's tables break no word across lines`, tb.length === 0, tb.slice(0, 8).join(' '));
    await pageChecks(p, `${where}: the team page`);
    if (lang === 'en') {
      // a first ML Test Score self-assessment, every test not done: its band
      // named once, and one point said in words, not drawn as a trend
      await p.click('#ready-form button[type=submit]');
      await p.waitForSelector('#ready-final');
      const fin = await p.textContent('#ready-final');
      check(`${where}: a first self-assessment names its band once`, fin.split('research project').length === 2, fin);
      check(`${where}: one assessment is not drawn as a trend`, await p.locator('#trend-one').isVisible() &&
        await p.locator('svg#trend').count() === 0, await p.textContent('#ready-summary'));
    }
    await p.screenshot({ path: path.join(OUT, `recruiter-team-${lang}-${width}.png`) });
    await c.close();
    say(`${lang} ${width}px read`);
  }

  // the interviewer's take-home scorecard: the take-home as set
  for (const lang of ['ja', 'en']) {
    const [c, p] = await signIn(lang, 390, 'ann@acme.example', 'interview panel pass 42');
    await p.goto(`${BASE}/interviews.html#${r.id}`);
    await p.waitForSelector('form.scorecard');
    const brief = p.locator('form.scorecard details.take-home');
    const has = await brief.count();
    let parts = [];
    let summary = '';
    if (has) {
      await brief.locator('summary').click();
      summary = await brief.locator('summary').innerText();
      parts = await brief.locator('dd').allInnerTexts();
    }
    check(`interviewer ${lang}: the take-home's scorecard shows its data, task and hand-in and the time box`,
      has === 1 && parts.length === 3 && parts.every((x) => x.length > 40) && /\d+/.test(summary) &&
      (lang === 'ja' ? /[ぁ-んァ-ン]/.test(parts.join('')) : !/[ぁ-んァ-ン]/.test(parts.join(''))), `${has} ${summary} ${parts.map((x) => x.length)}`);
    await pageChecks(p, `interviewer ${lang}: the take-home scorecard at 390px`);
    if (lang === 'ja') await p.locator('form.scorecard').first().screenshot({ path: path.join(OUT, 'recruiter-takehome-ja-390.png') });
    await c.close();
  }
  say('take-home read');
} catch (e) {
  check(`${tag}: runs to the end`, false, e.message.split('\n')[0]);
}
check(`${tag}: no script error, console error or 5xx`, errors.length === 0, errors.slice(0, 3).join('; '));
await browser.close();
console.log(`recruiter walk: ${counts.passed} passed, ${counts.failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(counts.failed ? 1 : 0);
