// The web's probability text (web/js/chance.js) on the golden cases it shares
// with its C twin (tests/fixtures/chance.tsv, tests/base/test_chance.c): the
// two must write the same text for the same value, and a near-certain chance
// is ">99%", never "100%". Plain node, no browser: report.mjs loads the
// module from its source as the pages load it. Run by
// tests/integration/i18n.sh; from the repository root:
//   node tests/browser/chance.mjs
import fs from 'node:fs';
import { chance, check, counts } from './report.mjs';

let n = 0;
for (const [i, line] of fs.readFileSync('tests/fixtures/chance.tsv', 'utf8').split('\n').entries()) {
  if (!line || line.startsWith('#')) continue;
  const [v, want] = line.split('\t');
  const p = Number(v);
  check(`chance.tsv:${i + 1}: ${v} shows as '${want}'`, chance(p) === want, `got '${chance(p)}'`);
  n++;
}
check('chance.tsv: every case read', n >= 15, `${n} cases`);
check('a missing value shows as a dash', chance(undefined) === '—' && chance(null) === '—' && chance('0.5') === '—');
// no value in [0, 1] on a fine grid shows as a certainty
const bad = [];
for (let i = 0; i <= 100000; i++) {
  const s = chance(i / 100000);
  if (s === '100%' || s === '0%') bad.push(`${i / 100000} → ${s}`);
}
check('no probability in [0, 1] shows as 100% or 0%', bad.length === 0, bad.slice(0, 3).join(', '));
console.log(`chance: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
