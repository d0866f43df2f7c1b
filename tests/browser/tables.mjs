// The staff pages' tables in a browser (tests/integration/browser_tables.sh):
// - before any calibration, drift or DIF run, the Admin page shows a one-line
//   "no run yet" state, never column headers over an empty table (en, ja);
// - every multi-column table of the Admin, Recruiter (a posting, its
//   correction table, invites) and Team pages at 1280 and 360 px: no cell's
//   text squeezed to a few characters a line (main's overflow-wrap: anywhere
//   lets a table shrink its columns instead of scrolling), nothing past the
//   page's right edge. Screenshots of each view go to RF_OUT.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { check, counts, screenshot } from './report.mjs';

const BASE = process.env.RF_BASE;
const SETUP_URL = process.env.RF_SETUP_URL;
const OUT = process.env.RF_OUT || 'build/browser-tables';
if (!BASE || !SETUP_URL) {
  console.log('FAIL setup: RF_BASE and RF_SETUP_URL are required');
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });
const ADMIN = { org: 'Acme', name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
const VIEWS = [{ width: 1280, height: 900 }, { width: 360, height: 780 }];
const errors = [];
const browser = await chromium.launch({ executablePath: process.env.RF_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

async function newPage(lang, viewport) {
  const ctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport });
  ctx.setDefaultTimeout(30000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${lang} ${viewport.width}: ${e.message}`));
  return { ctx, page };
}

async function signIn(page) {
  await page.goto(`${BASE}/login.html`);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('#form button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
}

// The visible tables of the page: their headers over no rows, their
// squeezed cells and what ends past the right edge.
async function tables(page) {
  return page.evaluate(() => {
    const out = { empty: [], squeezed: [], right: [], n: 0 };
    const visible = (e) => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden],.sr-only');
    const scrolls = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return p;
      }
      return null;
    };
    for (const t of document.querySelectorAll('main table')) {
      if (!visible(t)) continue;
      out.n++;
      const name = t.id || t.className || 'table';
      if (t.tBodies.length && [...t.tBodies].every((b) => b.rows.length === 0)) out.empty.push(name);
      for (const c of t.querySelectorAll('th, td')) {
        if (!visible(c)) continue;
        // squeezed: 4 characters or more in 3 lines or more of under 3 characters
        const text = c.textContent.replace(/\s+/g, ' ').trim();
        const rg = document.createRange();
        rg.selectNodeContents(c);
        const lines = new Set([...rg.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
        if (text.length >= 4 && lines >= 3 && text.length / lines < 3) out.squeezed.push(`${name}: "${text.slice(0, 30)}" in ${lines} lines of ${Math.round(c.getBoundingClientRect().width)} px`);
        if (!scrolls(c) && c.getBoundingClientRect().right > document.documentElement.clientWidth + 1) out.right.push(`${name}: "${text.slice(0, 30)}"`);
      }
    }
    out.pageWide = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1
      ? `${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth}` : '';
    return out;
  });
}

async function tableChecks(page, tag, shot) {
  const f = await tables(page);
  check(`${tag}: no table squeezed to a few characters a line (${f.n} tables)`, f.squeezed.length === 0, f.squeezed.slice(0, 4).join(' | '));
  check(`${tag}: nothing past the right edge`, f.right.length === 0 && !f.pageWide, `${f.pageWide} ${f.right.slice(0, 3).join(' | ')}`);
  await screenshot(page, OUT, shot);
  return f;
}

// ---- set-up: the admin ----
{
  const { ctx, page } = await newPage('en', VIEWS[0]);
  await page.goto(SETUP_URL);
  await page.fill('#organization', ADMIN.org);
  await page.fill('#name', ADMIN.name);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/recruiter\.html$/);
  await ctx.close();
}

try {
  // ---- the Admin page before any run ----
  const NONE = {
    en: { review: /^No calibration run yet/, drift: /^No drift run yet\.$/, dif: /^No DIF run yet\.$/ },
    ja: { review: /まだ/, drift: /まだ/, dif: /まだ/ },
  };
  for (const lang of ['en', 'ja']) {
    for (const vp of VIEWS) {
      const tag = `admin before any run, ${lang} ${vp.width}px`;
      const { ctx, page } = await newPage(lang, vp);
      await signIn(page);
      await page.goto(`${BASE}/admin.html?lang=${lang}`);
      await page.waitForSelector('#review:not([hidden]) #versions li');
      await page.waitForSelector('#fairness:not([hidden]) #dif:not([hidden])');
      await page.waitForLoadState('networkidle');
      const f = await tableChecks(page, tag, `admin-${lang}-${vp.width}-no-run`);
      check(`${tag}: no column headers over an empty table`, f.empty.length === 0, f.empty.join(', '));
      for (const [id, re] of [['review-summary', NONE[lang].review], ['drift-summary', NONE[lang].drift], ['dif-summary', NONE[lang].dif]]) {
        const s = (await page.textContent(`#${id}`)).trim();
        check(`${tag}: #${id} says no run yet in one line`, re.test(s) && !s.includes('\n') && await page.isVisible(`#${id}`), s);
      }
      // the bank's note names the page's button, not a command
      const note = (await page.textContent('#uncalibrated')).trim();
      const button = (await page.textContent('#review-run')).trim();
      check(`${tag}: the bank's note names the button "${button}", not the CLI`, button && note.includes(button) && !/rolefit/.test(note), note);
      await ctx.close();
    }
  }

  // ---- the Recruiter page: a posting, its correction table, invites ----
  {
    const { ctx, page } = await newPage('en', VIEWS[0]);
    await signIn(page);
    await page.click('#tab-postings');
    await page.fill('#p-title', 'Senior ML Engineer, Search and Recommendations Platform');
    await page.fill('#p-text', ['# Senior ML Engineer', '', 'Requirements:', '- Deep learning with PyTorch and TensorFlow in production systems',
      '- Strong SQL, data pipelines, Spark and Airflow', '- Model deployment: online inference, canary releases, monitoring',
      'Nice to have:', '- Kubernetes, Docker', '- A/B testing and causal inference'].join('\n'));
    await page.click('#posting-form button[type=submit]');
    await page.waitForSelector('#parsed:not([hidden]) #edit-reqs');
    await page.click('#tab-invites');
    await page.waitForSelector('#i-posting option:has-text("Senior ML Engineer")', { state: 'attached' });
    await page.selectOption('#i-posting', { label: 'Senior ML Engineer, Search and Recommendations Platform' });
    for (const who of ['Kenji Sato <kenji.sato@example.com>', '佐藤 健 (東京オフィス、機械学習基盤チーム)']) {
      await page.fill('#i-label', who);
      await page.click('#invite-form button[type=submit]');
      await page.waitForFunction(() => document.querySelectorAll('#invites tbody tr').length > 0);
    }
    await page.waitForFunction(() => document.querySelectorAll('#invites tbody tr').length >= 2);
    await ctx.close();
  }
  for (const lang of ['en', 'ja']) {
    for (const vp of VIEWS) {
      const tag = `recruiter ${lang} ${vp.width}px`;
      const { ctx, page } = await newPage(lang, vp);
      await signIn(page);
      await page.goto(`${BASE}/recruiter.html?lang=${lang}`);
      await page.click('#tab-invites');
      await page.waitForSelector('#invites tbody tr');
      await tableChecks(page, `${tag} invites`, `recruiter-${lang}-${vp.width}-invites`);
      await page.click('#tab-postings');
      await page.locator('#postings li').first().locator('button').first().click();
      await page.waitForSelector('#parsed:not([hidden]) #edit-reqs');
      await tableChecks(page, `${tag} posting`, `recruiter-${lang}-${vp.width}-posting`);
      await page.locator('#postings li').first().locator('button').nth(1).click();
      await page.waitForSelector('#ranking:not([hidden]) #ranking-table tbody tr');
      await tableChecks(page, `${tag} ranking`, `recruiter-${lang}-${vp.width}-ranking`);
      await page.click('#edit-reqs');
      await page.waitForSelector('#edit-table tbody tr');
      await tableChecks(page, `${tag} correction`, `recruiter-${lang}-${vp.width}-edit`);
      await ctx.close();
    }
  }

  // ---- the Team page (a team with two invited members) and the Interviews page ----
  {
    const { ctx, page } = await newPage('en', VIEWS[0]);
    await signIn(page);
    await page.goto(`${BASE}/team.html`);
    await page.fill('#t-name', 'Search and Recommendations Platform Team');
    await page.click('#team-form button[type=submit]');
    await page.waitForSelector('#team:not([hidden]) #member-form');
    for (const who of ['Kenji Sato <kenji.sato@example.com>', '佐藤 健 (機械学習基盤チーム)']) {
      await page.fill('#m-label', who);
      await page.click('#member-form button[type=submit]');
      await page.waitForFunction((w) => document.querySelector('#members tbody').textContent.includes(w), who);
    }
    await ctx.close();
  }
  for (const lang of ['en', 'ja']) {
    for (const vp of VIEWS) {
      const tag = `team ${lang} ${vp.width}px`;
      const { ctx, page } = await newPage(lang, vp);
      await signIn(page);
      await page.goto(`${BASE}/team.html?lang=${lang}`);
      await page.locator('#teams li').first().locator('button, a').first().click();
      await page.waitForSelector('#members tbody tr');
      await page.waitForLoadState('networkidle');
      await tableChecks(page, tag, `team-${lang}-${vp.width}`);
      await page.goto(`${BASE}/interviews.html?lang=${lang}`);
      await page.waitForLoadState('networkidle');
      await tableChecks(page, `interviews ${lang} ${vp.width}px`, `interviews-${lang}-${vp.width}`);
      await ctx.close();
    }
  }
} catch (e) {
  check('tables walk ran to the end', false, e.message.split('\n')[0]);
}
check('no page error', errors.length === 0, errors.slice(0, 3).join(' | '));
await browser.close();
console.log(`tables walk: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
