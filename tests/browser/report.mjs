// What the browser walks (flows.mjs, ja.mjs) share: one line per check
// ("ok NAME" or "FAIL NAME: why") with the counts, and full-page screenshots.
import path from 'node:path';

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
