// Builds the worst-case bank of the browser test (issue 23): from the item
// bank in BANK, the items whose text is hardest to fit on a phone, written as
// a bank folder OUT (one file per skill) that `rolefit serve --bank OUT`
// serves; flows.mjs then takes a test that asks every one of them and checks
// its report at 390 px. Chosen again on every run, so items added to the bank
// later are in the worst case when they are the worst.
//
//   node tests/browser/worstcase.mjs BANK OUT
//
// Per measure, the two items (multiple choice, multiple select or numeric
// entry) that maximize it: the longest id, tag, option, unit, code span
// without a space, formula, line of a code block, and run of plain text
// without a space. Each skill chosen gets at least two
// items (the server's skill tests ask at least two per skill). Prints one
// "# worst case:" line per measure, and exits 1 with a line naming the bank
// file when it cannot read one.
import fs from 'node:fs';
import path from 'node:path';

const [BANK, OUT] = process.argv.slice(2);
if (!BANK || !OUT) {
  console.error('usage: node tests/browser/worstcase.mjs BANK OUT');
  process.exit(2);
}
const items = [];
for (const f of fs.readdirSync(BANK).filter((n) => n.endsWith('.json')).sort()) {
  let d;
  try {
    d = JSON.parse(fs.readFileSync(path.join(BANK, f), 'utf8'));
  } catch (e) {
    console.error(`worstcase: ${path.join(BANK, f)}: ${e.message}`);
    process.exit(1);
  }
  for (const it of d.items || []) {
    const type = it.type || 'mcq';
    if (!it.retired && (type === 'numeric' || ((type === 'mcq' || type === 'multi') && Array.isArray(it.options)))) items.push(it);
  }
}

const texts = (it) => [it.stem, it.explanation, ...(it.options || [])].map(String);
const longestRun = (s) => Math.max(0, ...s.split(/\s+/).map((w) => [...w].length));
const measures = {
  id: (it) => it.id.length,
  tag: (it) => Math.max(0, ...(it.tags || []).map((t) => t.length)),
  option: (it) => Math.max(0, ...(it.options || []).map((o) => String(o).length)),
  unit: (it) => String(it.unit || '').length,
  'code span run': (it) => Math.max(0, ...texts(it).flatMap((t) => [...t.matchAll(/`([^`\n]+)`/g)].map((m) => longestRun(m[1])))),
  formula: (it) => Math.max(0, ...texts(it).flatMap((t) => [...t.matchAll(/\$([^$]+)\$/g)].map((m) => m[1].length))),
  'code block line': (it) => Math.max(0, ...texts(it).flatMap((t) => {
    const out = [];
    let inside = false;
    for (const line of t.split('\n')) {
      if (/^```/.test(line)) inside = !inside;
      else if (inside) out.push([...line].length);
    }
    return out;
  })),
  'plain text run': (it) => Math.max(0, ...texts(it).map((t) => longestRun(t.replace(/`[^`\n]+`|\$[^$]+\$|```[\s\S]*?```/g, ' ')))),
};

const chosen = new Map();
for (const [name, f] of Object.entries(measures)) {
  const ranked = items.map((it) => [f(it), it]).sort((a, b) => b[0] - a[0] || (a[1].id < b[1].id ? -1 : 1));
  for (const [v, it] of ranked.slice(0, 2)) {
    chosen.set(it.id, it);
    console.log(`# worst case: ${name} ${v} (${it.id})`);
  }
}
// at least two items of every chosen skill: the next by longest plain run
for (const skill of new Set([...chosen.values()].map((it) => it.skill))) {
  const more = items.filter((it) => it.skill === skill && !chosen.has(it.id))
    .sort((a, b) => measures['plain text run'](b) - measures['plain text run'](a) || (a.id < b.id ? -1 : 1));
  while ([...chosen.values()].filter((it) => it.skill === skill).length < 2 && more.length) {
    const it = more.shift();
    chosen.set(it.id, it);
  }
}
fs.mkdirSync(OUT, { recursive: true });
const bySkill = new Map();
for (const it of chosen.values()) bySkill.set(it.skill, [...(bySkill.get(it.skill) || []), it]);
// without their enemy groups: the test must ask every chosen item, and two of
// them may share a group, which the engine never gives in one test
for (const [skill, list] of bySkill) {
  const plain = list.map(({ enemy, ...it }) => it); // eslint-disable-line no-unused-vars
  fs.writeFileSync(path.join(OUT, `${skill}.json`), `${JSON.stringify({ skill, items: plain }, null, 1)}\n`);
}
console.log(`# worst case: ${chosen.size} items of ${bySkill.size} skills in ${OUT}`);
