// The Admin page's review, fairness and bank-version sections walked in
// English and Japanese, at a desktop and a phone width (issue 19), run by
// tests/integration/browser_admin.sh against its own server, whose database
// admin_seed.py fills once the admin exists: 600 finished tests of people who
// reported their groups (two items with DIF for men), a calibration run of two
// pretest items (one ready), a drift run flagging one item in use and an
// accepted re-estimate of the items in use (offered at the start, stale once
// revisions are made).
//
// The walk (Japanese, phone width): a reference group chosen for the scheduled
// run, a DIF run on request without a reference (it takes the choice), the
// ready pretest item promoted and a DIF-flagged item retired (revisions 1 and
// 2), the bank file made active again (a rollback) and revision 2 again (a roll
// forward); the pretest items live now (their finished answers against the
// target, the run's SEs) and how a promotion and the rollback move them
// (issue 19). After the rollback every row must show revision 0's state: the
// promoted item pretest and promotable, the retired one in use and retirable,
// neither with a decision (issue 19: the page kept the old decision); after
// the roll forward the decisions are back.
// Then each of the four language x width views of the page, with these checks
// over the review and fairness sections:
// - no raw catalogue key (⟦key⟧) and no "null", "undefined" or "NaN";
// - group codes shown by name (woman, 25_34 and the like never alone in a
//   cell or summary; a language or country as its name with the code);
// - in Japanese, no English sentence of the page's own (the run's notes from
//   the server included: they are the page's to word);
// - nothing cut off: no text wider than its box unless the box scrolls
//   (tables scroll sideways in their card), nothing past the page's right edge,
//   a select wide enough for its chosen option, and no text squeezed into a
//   column so narrow that it stands a character or two a line.
// Screenshots of each view go to RF_OUT. Environment: RF_BASE, RF_SETUP_URL,
// RF_OUT, RF_DB (the server's database), RF_BANK (its bank), RF_PRETEST (the
// bank's two pretest items, from admin_seed.py bank), RF_CHROMIUM.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { check, counts, screenshot } from './report.mjs';

const BASE = process.env.RF_BASE;
const SETUP_URL = process.env.RF_SETUP_URL;
const OUT = process.env.RF_OUT || 'build/browser-admin';
const DB = process.env.RF_DB;
const BANK = process.env.RF_BANK;
if (!BASE || !SETUP_URL || !DB || !BANK || !process.env.RF_PRETEST) {
  console.log('FAIL setup: RF_BASE, RF_SETUP_URL, RF_DB, RF_BANK and RF_PRETEST are required');
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });
const HERE = path.dirname(new URL(import.meta.url).pathname);
const ADMIN = { org: 'Acme', name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };
const SECTIONS = '#review, #fairness';
const CODES = ['woman', 'man', 'nonbinary', '25_34', '35_44', 'under_25', '65_plus'];

const errors = [];
const browser = await chromium.launch({ executablePath: process.env.RF_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

async function newPage(lang, viewport) {
  const ctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport });
  ctx.setDefaultTimeout(30000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${lang} ${viewport.width}: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && /i18n/.test(m.text())) errors.push(`${lang} ${viewport.width}: ${m.text()}`); });
  return { ctx, page };
}

async function signIn(page) {
  await page.goto(`${BASE}/login.html`);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('#form button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
}

// The Admin page in lang, its sections loaded.
async function openAdmin(page, lang) {
  await page.goto(`${BASE}/admin.html?lang=${lang}`);
  await page.waitForSelector('#review:not([hidden]) #versions li');
  await page.waitForSelector('#fairness:not([hidden]) #dif:not([hidden]) #refs-fields select');
  await page.waitForLoadState('networkidle');
}

// The row of item id in table sel (its <th> holds the id).
const row = (page, sel, id) => page.locator(`${sel} tbody tr`, { has: page.locator(`th code:text-is("${id}")`) }).first();
async function rowState(page, sel, id) {
  const r = row(page, sel, id);
  if (!(await r.count())) return null;
  return {
    text: (await r.innerText()).replace(/\s+/g, ' '),
    buttons: await r.locator('button').count(),
  };
}

// The text of the live pretest items' row of item id (its <code> in a cell), or null.
async function liveRow(page, id) {
  const r = page.locator('#live-items tbody tr', { has: page.locator(`td code:text-is("${id}")`) }).first();
  return (await r.count()) ? (await r.innerText()).replace(/\s+/g, ' ') : null;
}

// Waits until fn (in the page) holds after an action that reloads the sections.
async function settled(page, fn, arg) {
  await page.waitForFunction(fn, arg, { timeout: 30000 }).catch(() => {});
  await page.waitForLoadState('networkidle');
}

// The checks of one view over the review and fairness sections.
async function views(page, lang, width, name) {
  const found = await page.evaluate(({ sections, codes }) => {
    const out = { keys: [], bad: [], codes: [], english: [], cut: [], right: [], squeezed: [] };
    const roots = [...document.querySelectorAll(sections)].filter((e) => !e.hidden);
    const visible = (e) => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden],.sr-only');
    const scrolls = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return p;
      }
      return null;
    };
    const texts = [];
    for (const root of roots) {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const p = n.parentElement;
        const t = n.textContent.replace(/\s+/g, ' ').trim();
        if (t && (visible(p) || (p.tagName === 'OPTION' && visible(p.closest('select'))))) texts.push({ t, code: !!p.closest('code'), tag: p.tagName, where: `${p.closest('[id]')?.id || ''} ${p.tagName.toLowerCase()}` });
      }
      for (const e of root.querySelectorAll('[placeholder],[title],[aria-label]')) {
        if (!visible(e)) continue;
        for (const a of ['placeholder', 'title', 'aria-label']) if (e.getAttribute(a)) texts.push({ t: e.getAttribute(a), code: false, tag: a });
      }
      for (const e of root.querySelectorAll('*')) {
        if (!visible(e) || e.children.length > 0 && e.tagName !== 'SELECT') continue;
        const r = e.getBoundingClientRect();
        const box = scrolls(e);
        if (e.tagName === 'SELECT') {
          // the chosen option's text against the select's inner width
          const c = document.createElement('canvas').getContext('2d');
          const cs = getComputedStyle(e);
          c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const opt = e.options[e.selectedIndex];
          const need = opt ? c.measureText(opt.text).width : 0;
          const room = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16; // the arrow
          if (need > room + 1) out.cut.push(`select#${e.id}: "${opt.text}" needs ${Math.ceil(need)} px, has ${Math.floor(room)}`);
        } else if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible' && !box) {
          out.cut.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}: "${e.textContent.trim().slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth} px`);
        }
        // squeezed: a text of 4 characters or more in 3 lines or more of under 3 characters
        const text = e.tagName === 'SELECT' ? '' : e.textContent.replace(/\s+/g, ' ').trim();
        // its lines: the distinct tops of its text's boxes
        const rg = document.createRange();
        rg.selectNodeContents(e);
        const lines = new Set([...rg.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
        if (text.length >= 4 && lines >= 3 && text.length / lines < 3) out.squeezed.push(`${e.tagName.toLowerCase()}: "${text.slice(0, 30)}" in ${lines} lines of ${Math.round(r.width)} px`);
        if (!box && r.right > document.documentElement.clientWidth + 1) out.right.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}: "${e.textContent.trim().slice(0, 40)}" ends at ${Math.round(r.right)} px`);
      }
    }
    for (const { t, code, tag, where } of texts) {
      if (/⟦[^⟧]*⟧/.test(t)) out.keys.push(`${where}: ${t.slice(0, 80)}`);
      if (/(^|[^A-Za-z])(null|undefined|NaN)([^A-Za-z]|$)/.test(t)) out.bad.push(`${where}: ${t.slice(0, 80)}`);
      if (code) continue;
      for (const c of codes) if (new RegExp(`(^|[^A-Za-z0-9_(])${c}([^A-Za-z0-9_)]|$)`).test(t)) out.codes.push(`${c} in "${t.slice(0, 60)}"`);
      out.english.push(t);
    }
    out.pageWide = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1
      ? `${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth}` : '';
    return out;
  }, { sections: SECTIONS, codes: lang === 'en' ? CODES.filter((c) => /_/.test(c)) : CODES });
  const tag = `admin ${lang} ${width}px ${name}`;
  check(`${tag}: no raw catalogue key`, found.keys.length === 0, found.keys.slice(0, 3).join(' | '));
  check(`${tag}: no null, undefined or NaN`, found.bad.length === 0, found.bad.slice(0, 3).join(' | '));
  check(`${tag}: group codes shown by name`, found.codes.length === 0, found.codes.slice(0, 4).join(' | '));
  if (lang === 'ja') {
    // a sentence of three English words or more outside code and names of
    // statistics: the page's own text left in English
    const allow = /\b(DIF|Mantel-Haenszel|MH|LR|LA|D-DIF|SE|CSV|ETS|ISO)\b/g;
    const english = found.english.filter((t) => !JAPANESE.test(t) && (t.replace(allow, ' ').match(/[A-Za-z]{3,}/g) || []).length >= 3
      && !/^[a-z_]+\.[a-z0-9_.]+$/.test(t)); // an item id
    check(`${tag}: no English sentence of the page's own`, english.length === 0, english.slice(0, 3).map((x) => `"${x.slice(0, 60)}"`).join(' | '));
  }
  check(`${tag}: nothing cut off`, found.cut.length === 0, found.cut.slice(0, 4).join(' | '));
  check(`${tag}: no text squeezed to a few characters a line`, found.squeezed.length === 0, found.squeezed.slice(0, 4).join(' | '));
  check(`${tag}: nothing past the right edge`, found.right.length === 0 && !found.pageWide, `${found.pageWide} ${found.right.slice(0, 4).join(' | ')}`);
  await screenshot(page, OUT, `admin-${lang}-${width}-${name}`);
  // RF_SHOT_PARTS=1: the page also in parts of 1,000 px, to read a phone's long page
  if (process.env.RF_SHOT_PARTS) {
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, k = 0; y < h; y += 1000, k++) {
      await page.screenshot({ path: path.join(OUT, `admin-${lang}-${width}-${name}-part${k}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(1000, h - y) } });
    }
  }
}

// ---- set-up: the admin, then the server's months of data ----
{
  const { ctx, page } = await newPage('en', DESKTOP);
  await page.goto(SETUP_URL);
  await page.fill('#organization', ADMIN.org);
  await page.fill('#name', ADMIN.name);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
  await ctx.close();
}
const difItems = execFileSync('python3', [path.join(HERE, 'admin_seed.py'), 'db', DB, BANK], { encoding: 'utf8' }).trim().split(/\s+/);
const pretest = (process.env.RF_PRETEST || '').trim().split(/\s+/);
console.log(`# seeded: DIF items ${difItems.join(', ')}; pretest items ${pretest.join(', ')}`);

// ---- the walk: Japanese at phone width ----
{
  const { ctx, page } = await newPage('ja', PHONE);
  await signIn(page);
  await openAdmin(page, 'ja');
  const summaryStart = await page.textContent('#summary');
  // the pretest items live now: both of ml_fundamentals (a batch of 3), the
  // first with its 7 answers in finished tests (the running test's one not
  // counted) against the target, and the calibration run's SEs
  const live0 = await liveRow(page, pretest[0]);
  const live1 = await liveRow(page, pretest[1]);
  check('ja walk: the live pretest items are listed', live0 !== null && live1 !== null, `${live0} | ${live1}`);
  check('ja walk: a live item shows its finished answers against the target, its SEs and calibration in Japanese',
    live0 && live0.includes('7 / 2,000') && live0.includes('0.12') && live0.includes('0.10') && live0.includes('レビューできます'), live0);
  check('ja walk: the live items summary names the batch in Japanese', JAPANESE.test(await page.textContent('#live-summary')) && (await page.textContent('#live-summary')).includes('3'), await page.textContent('#live-summary'));
  // the default reference of gender: the largest group (a tie: the first by name, men)
  const opt0 = await page.locator('#ref-gender option').first().textContent();
  check('ja walk: the default reference names the largest group in Japanese', opt0.includes('男性') && JAPANESE.test(opt0), opt0);
  await views(page, 'ja', PHONE.width, 'start');
  // the re-estimate of the items in use (computed at revision 0, accepted): offered
  const recal0 = await page.locator('#recal-acts').innerText();
  const recalRows = await page.locator('#recal-items tbody tr').count();
  check('ja walk: the re-estimate is shown with its figures and offered for applying',
    !(await page.locator('#recal').isHidden()) && recal0.includes('再推定を適用') && recalRows === 3
    && JAPANESE.test(await page.textContent('#recal-heldout')) && (await page.textContent('#recal-figures tbody')).includes('0.350'),
    `${recal0} | ${recalRows} rows`);
  // a second tab keeps this state (revision 0, the re-estimate offered) for the refusal below
  const stalePage = await ctx.newPage();
  stalePage.on('pageerror', (e) => errors.push(`ja stale tab: ${e.message}`));
  await openAdmin(stalePage, 'ja');
  // women chosen as the reference of gender, saved
  await page.selectOption('#ref-gender', 'woman');
  await page.click('#refs-form button[type=submit]');
  await settled(page, () => document.getElementById('refs-done').textContent.trim() !== '' || document.getElementById('fair-error').textContent.trim() !== '');
  check('ja walk: the reference is saved', (await page.textContent('#refs-done')).trim() !== '', await page.textContent('#fair-error'));
  check('ja walk: the saved choice stays chosen', await page.inputValue('#ref-gender') === 'woman');
  // a DIF run on request without a reference takes it
  const ran = page.waitForResponse((r) => r.url().endsWith('/api/fairness/dif') && r.request().method() === 'POST');
  await page.selectOption('#dif-by', 'gender');
  await page.click('#dif-form button[type=submit]');
  const res = await ran;
  const run = await res.json();
  check('ja walk: a DIF run without a reference compares against the chosen group', res.status() === 200 && run.reference === 'woman', `${res.status()} ${run.reference || run.error}`);
  await settled(page, (id) => !!document.querySelector(`#dif-items tbody th code`) && [...document.querySelectorAll('#dif-items tbody th code')].some((c) => c.textContent === id), difItems[1]);
  const summary = await page.textContent('#dif-summary');
  check('ja walk: the DIF summary names the reference group in Japanese', summary.includes('女性'), summary);
  const flagged = await rowState(page, '#dif-items', difItems[1]);
  check('ja walk: the seeded DIF item is flagged, its focal group named in Japanese', flagged && flagged.text.includes('男性') && flagged.buttons === 2, flagged && flagged.text);
  await views(page, 'ja', PHONE.width, 'dif');

  // promote the ready pretest item (revision 1), retire the DIF item (revision 2)
  await row(page, '#review-items', pretest[0]).locator('button').first().click();
  await settled(page, (id) => [...document.querySelectorAll('#review-items tbody tr')].some((r) => r.querySelector('th code')?.textContent === id && !r.querySelector('button')), pretest[0]);
  const promoted = await rowState(page, '#review-items', pretest[0]);
  check('ja walk: the promoted item shows its decision', promoted && promoted.buttons === 0 && promoted.text.includes('昇格'), promoted && promoted.text);
  await settled(page, (id) => ![...document.querySelectorAll('#live-items tbody td code')].some((c) => c.textContent === id), pretest[0]);
  check('ja walk: the promoted item is no longer live, the other still is', await liveRow(page, pretest[0]) === null && await liveRow(page, pretest[1]) !== null);
  await row(page, '#dif-items', difItems[1]).locator('button', { hasText: '廃止' }).click();
  await settled(page, (id) => [...document.querySelectorAll('#dif-items tbody tr')].some((r) => r.querySelector('th code')?.textContent === id && !r.querySelector('button')), difItems[1]);
  const retired = await rowState(page, '#dif-items', difItems[1]);
  check('ja walk: the retired item shows its decision', retired && retired.buttons === 0, retired && retired.text);
  const active2 = await page.locator('#versions li').first().innerText();
  check('ja walk: revision 2 is the active one', /2/.test(active2) && await page.locator('#versions li').first().locator('button').count() === 0, active2);
  await views(page, 'ja', PHONE.width, 'decided');

  // the rollback: the bank file active again; every row shows revision 0's state
  await page.locator('#versions li').last().locator('button').click();
  await settled(page, () => document.querySelectorAll('#versions li')[document.querySelectorAll('#versions li').length - 1].querySelectorAll('button').length === 0);
  await settled(page, (id) => [...document.querySelectorAll('#review-items tbody tr')].some((r) => r.querySelector('th code')?.textContent === id && r.querySelector('button')), pretest[0]);
  const p0 = await rowState(page, '#review-items', pretest[0]);
  const d0 = await rowState(page, '#dif-items', difItems[1]);
  check('ja walk: after the rollback the promoted item is live again', await liveRow(page, pretest[0]) !== null);
  check('ja walk: after the rollback the promoted item is pretest again and may be promoted', p0 && p0.buttons >= 2 && p0.text.includes('プレテスト') && !p0.text.includes('昇格済み'), p0 && p0.text);
  check('ja walk: after the rollback the retired item is in use again and may be retired', d0 && d0.buttons === 2 && !d0.text.includes('廃止済み'), d0 && d0.text);
  const summary0 = await page.textContent('#summary');
  check('ja walk: the bank summary follows the rollback', summary0 === summaryStart, `${summary0} | ${summaryStart}`);
  await views(page, 'ja', PHONE.width, 'rolled-back');

  // forward again: the decisions of revision 2 are back
  await page.locator('#versions li').first().locator('button').click();
  await settled(page, (id) => [...document.querySelectorAll('#dif-items tbody tr')].some((r) => r.querySelector('th code')?.textContent === id && !r.querySelector('button')), difItems[1]);
  const p2 = await rowState(page, '#review-items', pretest[0]);
  const d2 = await rowState(page, '#dif-items', difItems[1]);
  check('ja walk: rolled forward, both decisions show again', p2 && p2.buttons === 0 && d2 && d2.buttons === 0, `${p2 && p2.text} | ${d2 && d2.text}`);
  // the re-estimate applied from the tab still showing revision 0: refused (409),
  // and the page says why in Japanese with both revisions, not the generic conflict
  const [refused] = await Promise.all([
    stalePage.waitForResponse((r) => r.url().endsWith('/api/review/reestimate')),
    stalePage.locator('#recal-acts button', { hasText: '再推定を適用' }).click(),
  ]);
  await settled(stalePage, () => document.getElementById('review-error').textContent.trim() !== '');
  const why = (await stalePage.textContent('#review-error')).trim();
  // the refusal's reason code and its numbers are data (docs/api.md "Errors"): the page words them
  const body = await refused.json();
  check('ja walk: a stale re-estimate applied from an old tab is refused, and the page says why in Japanese with its revisions',
    refused.status() === 409 && JAPANESE.test(why) && why.includes('改訂 0') && why.includes('改訂 2') && !why.includes('この操作は今は行えません'),
    `${refused.status()} ${why}`);
  check('ja walk: the refusal carries its reason code and revisions, the generic code kept',
    body.code === 'conflict' && body.reason === 'recal_stale' && body.detail && body.detail.revision === 0 && body.detail.active === 2,
    JSON.stringify(body));
  await ctx.close();
}

// ---- the four views ----
for (const lang of ['en', 'ja']) {
  for (const vp of [DESKTOP, PHONE]) {
    const { ctx, page } = await newPage(lang, vp);
    await signIn(page);
    await openAdmin(page, lang);
    if (lang === 'en') {
      const l1 = await liveRow(page, pretest[1]);
      check(`en ${vp.width}: the live items show the latest calibration in English`, l1 && l1.includes('0 / 2,000') && l1.includes('at 150 answers') && !l1.includes('ready'), l1);
    }
    await views(page, lang, vp.width, 'view');
    // revision 2 is active: the re-estimate computed at 0 is stale, not offered
    const acts = await page.locator('#recal-acts').innerText();
    check(`admin ${lang} ${vp.width}px: a stale re-estimate is not offered for applying, and says why`,
      (await page.locator('#recal-acts button').count()) === 1 && /2/.test(acts) && /0/.test(acts), acts);
    await ctx.close();
  }
}

// ---- a re-estimate refused by the verdict guard: the page names the skill ----
// The server's own /api/review, its recal turned into a scale_shift refusal of
// data_engineering (the seeded run's skill): the page's wording, not the
// estimator (tests/calib/test_recal.c makes a real one).
for (const lang of ['en', 'ja']) {
  const { ctx, page } = await newPage(lang, DESKTOP);
  await signIn(page);
  await page.route('**/api/review', async (route) => {
    const res = await route.fetch();
    const q = await res.json();
    Object.assign(q.recal, {
      accept: false, refused: 'scale_shift', scale_skill: 'data_engineering', applicable: false,
      anchor: { mu0: 0, tau: 0.1, max_shift: 0.2 },
      scale: [{ skill: 'data_engineering', shift: 0.375, se: 0.013, tests: 120, origin_se: 0.05 }],
    });
    await route.fulfill({ response: res, json: q });
  });
  await openAdmin(page, lang);
  const bank = await page.evaluate(async (l) => (await fetch(`/api/bank?lang=${l}`)).json(), lang);
  const sk = bank.skills.find((s) => s.id === 'data_engineering') || {};
  const name = (lang === 'ja' && sk.name_ja) || sk.name;
  const why = await page.textContent('#recal-why');
  check(`admin ${lang}: a scale_shift refusal names the skill, its shift and the bound`,
    !!name && why.includes(name) && why.includes('+0.375') && why.includes('0.013') && why.includes('0.20')
    && (lang === 'en' || JAPANESE.test(why)), `${name}: ${why}`);
  await ctx.close();
}

check('admin walk: no script errors', errors.length === 0, errors.slice(0, 4).join('; '));
await browser.close();
console.log(`admin walk: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
