// What the browser walks (flows.mjs, ja.mjs) share: one line per check
// ("ok NAME" or "FAIL NAME: why") with the counts, and full-page screenshots.
import fs from 'node:fs';
import path from 'node:path';

// A model's probability as the pages write it (web/js/chance.js): a whole
// percentage from 1% to 99%, ">99%" or "<1%", never "100%" or "0%". CHANCE is
// its text for a RegExp; chance() is the pages' own helper, loaded from its
// source (an ES module without imports), to compute what a page should show.
export const CHANCE = '(?:>99|<1|[1-9]\\d?)%';
export const { chance } = await import(`data:text/javascript,${encodeURIComponent(
  fs.readFileSync(new URL('../../web/js/chance.js', import.meta.url), 'utf8'))}`);

export const counts = { passed: 0, failed: 0 };
export function check(name, cond, why = '') {
  if (cond) { counts.passed++; console.log(`ok ${name}`); }
  else { counts.failed++; console.log(`FAIL ${name}${why ? `: ${why}` : ''}`); }
  return !!cond;
}

// Chromium cannot take a full-page screenshot of a page taller than its
// largest texture (16384 px): the call hangs. A report's height depends on
// the questions asked, so a tall one is shot as its first MAX_SHOT px
// through a viewport that tall instead.
const MAX_SHOT = 16000;
export async function screenshot(page, dir, name) {
  const file = path.join(dir, `${name}.png`);
  try {
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    if (h <= MAX_SHOT) {
      await page.screenshot({ path: file, fullPage: true });
    } else {
      const vp = page.viewportSize();
      await page.setViewportSize({ width: vp.width, height: MAX_SHOT });
      await page.screenshot({ path: file });
      await page.setViewportSize(vp);
      console.log(`# screenshot ${name}: the first ${MAX_SHOT} of ${h} px`);
    }
  } catch (e) {
    throw new Error(`screenshot ${name} of ${page.url()}: ${e.message.split('\n')[0]}`);
  }
  return file;
}
