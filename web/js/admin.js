import { api, el, header, inLang, showError } from './api.js';
import {has, lang, num, t, tn, tx} from './i18n.js';

async function init() {
  const m = await header('/admin.html');
  if (!m || !m.user) { location.href = '/login.html'; return; }
  try {
    const b = await api('GET', inLang('/api/bank'));
    document.getElementById('summary').replaceChildren(tx('admin.summary', {
      items: b.items, skills: b.skills.length, calibrated: b.calibrated, retired: b.retired, version: el('code', {}, b.version),
    }));
    document.querySelector('#bank tbody').replaceChildren(...b.skills.map((s) => el('tr', {},
      el('th', { scope: 'row' }, (lang === 'ja' && s.name_ja) || s.name), el('td', { class: 'num' }, num(s.items)), el('td', { class: 'num' }, s.easy),
      el('td', { class: 'num' }, s.medium), el('td', { class: 'num' }, s.hard),
      el('td', { class: 'num' }, t('admin.calibrated_share', { n: s.calibrated, pct: s.items ? Math.round((100 * s.calibrated) / s.items) : 0 })),
      el('td', { class: 'num' }, s.retired))));
  } catch (e) {
    showError(document.getElementById('summary'), e);
  }
}

const form = document.getElementById('adduser');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('u-error');
  showError(err, null);
  try {
    const u = await api('POST', '/api/users', {
      name: form['u-name'].value, email: form['u-email'].value,
      password: form['u-password'].value, role: form['u-role'].value,
    });
    document.getElementById('u-done').textContent = t(u.role === 'admin' ? 'admin.added_admin' : u.role === 'interviewer' ? 'admin.added_interviewer' : 'admin.added_recruiter', { email: u.email });
    form.reset();
  } catch (e) {
    showError(err, e);
  }
});

// ---- review queue and bank versions (issue 19; docs/calibration.md "Review and bank versions") ----
// Its strings, together: shown only to the admins of the organization that keeps the bank.
const RT = {
  summary: (q) => (q.run
    ? t('admin.review_summary', { run: q.run.id, tests: num(q.tests), revision: q.revision }) + RT.scheduled(q.run)
    : t('admin.review_summary_none', { revision: q.revision })),
  // a run the server made on its schedule (rolefit serve --review-every), not a person
  scheduled: (run) => (run && run.by === 0 ? t('admin.run_scheduled') : ''),
  ready: () => t('admin.review_ready'),
  notReady: (note) => t('admin.review_not_ready', { why: note }),
  notEstimated: (note) => t('admin.review_not_estimated', { why: note }),
  promote: () => t('admin.review_promote'), keep: () => t('admin.review_keep'), retire: () => t('admin.review_retire'),
  activate: () => t('admin.version_activate'),
  version: (v) => (v.parent
    ? t('admin.version', { revision: v.revision, summary: v.summary, parent: v.parent })
    : t('admin.version_from_file', { revision: v.revision, summary: v.summary })),
  file: () => t('admin.version_file'),
  active: () => t('admin.version_active'),
  state: (s) => (has(`admin.state_${s}`) ? t(`admin.state_${s}`) : s || ''),
  decided: (d) => {
    const what = has(`admin.decided_${d.action}`) ? t(`admin.decided_${d.action}`) : d.action;
    return d.note ? t('admin.decided_note', { what, note: d.note }) : what;
  },
  drift: (d) => (d
    ? t('admin.drift_summary', { run: d.run.id, tests: num(d.tests), tested: num(d.tested), flagged: num(d.flagged) }) + RT.scheduled(d.run)
    : t('admin.drift_none')),
  update: () => t('admin.drift_update'),
};

// Why a pretest item is not ready, worded from its figures and the run's rules
// (calib/online.c verdict(): the same rules in the same order), so that it reads
// in the page's language; the server's English note only when the figures name
// no rule (a rule this page does not know).
const f2 = (x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : '—');
function notReadyWhy(o, rules) {
  const r = rules || {}, se = o.se || {}, out = [];
  const is = (x) => typeof x === 'number';
  if (is(r.min_n) && o.n < r.min_n) out.push(t('admin.why_answers', { n: num(o.n), min: num(r.min_n) }));
  if (is(r.max_se_a) && !(se.a <= r.max_se_a)) out.push(t('admin.why_se_a', { se: f2(se.a, 3), max: f2(r.max_se_a) }));
  const sbs = Array.isArray(se.b) ? se.b : [se.b];
  const sb = sbs.find((x) => !(x <= r.max_se_b));
  if (is(r.max_se_b) && sbs.some((x) => !(x <= r.max_se_b))) out.push(t('admin.why_se_b', { se: f2(sb, 3), max: f2(r.max_se_b) }));
  if (is(r.min_fit_p) && !(o.fit && o.fit.p >= r.min_fit_p)) {
    out.push(o.fit && is(o.fit.p) ? t('admin.why_misfit', { p: f2(o.fit.p, 4) }) : t('admin.why_fit_unmeasured'));
  }
  if (is(r.min_a) && is(r.max_a) && is(o.a) && !(o.a >= r.min_a && o.a <= r.max_a)) {
    out.push(t('admin.why_a_range', { a: f2(o.a), min: f2(r.min_a, 1), max: f2(r.max_a, 1) }));
  }
  const bs = Array.isArray(o.thresholds) ? [o.thresholds[0], o.thresholds[o.thresholds.length - 1]] : [o.b];
  const bmax = Math.max(...bs.map((x) => Math.abs(x)));
  if (is(r.max_abs_b) && Number.isFinite(bmax) && !(bmax <= r.max_abs_b)) out.push(t('admin.why_b_range', { b: f2(bmax), max: f2(r.max_abs_b, 1) }));
  return out.length ? out.join(t('list.sep')) : o.note || '';
}

// Why a pretest item could not be estimated (calib/online.c unusable()).
function notEstimatedWhy(o) {
  const note = o.note || '';
  if (!o.n) return t('admin.why_no_answers');
  if (/^every answer in one category/.test(note)) return t('admin.why_one_category');
  if (/^a middle category was never given/.test(note)) return t('admin.why_middle_category');
  return note; // the calibration's own message (English): a rare failure, kept as it is
}

// Why an item in use was flagged for drift (calib/drift.c), from its figures.
function driftWhy(o) {
  if (!o.tested || typeof o.shift !== 'number') return t('admin.drift_why_bound');
  return t(o.shift < 0 ? 'admin.drift_why_easier' : 'admin.drift_why_harder', { shift: f2(Math.abs(o.shift)), se: f2(o.se), z: f2(o.z, 1) });
}

const fmt = (x, se) => (typeof x === 'number' ? `${x.toFixed(2)}${typeof se === 'number' ? ` (${se.toFixed(2)})` : ''}` : '');

async function decide(item, action) {
  const err = document.getElementById('review-error');
  showError(err, null);
  try {
    await api('POST', '/api/review/decisions', { item, action });
    await Promise.all([init(), loadReview(), loadDif()]);
  } catch (e) { showError(err, e); }
}

function reviewRow(o, rules) {
  const se = o.se || {};
  const b = Array.isArray(o.thresholds) ? o.thresholds[0] : o.b;
  const sb = Array.isArray(se.b) ? se.b[0] : se.b;
  const verdict = o.ready ? RT.ready() : o.estimated ? RT.notReady(notReadyWhy(o, rules)) : RT.notEstimated(notEstimatedWhy(o));
  const acts = o.decision ? RT.decided(o.decision) : [
    o.promotable ? el('button', { type: 'button', onclick: () => decide(o.id, 'promote') }, RT.promote()) : null,
    el('button', { type: 'button', class: 'secondary', onclick: () => decide(o.id, 'keep') }, RT.keep()),
    o.state === 'pretest' ? el('button', { type: 'button', class: 'secondary', onclick: () => decide(o.id, 'retire') }, RT.retire()) : null,
  ];
  return el('tr', {}, el('th', { scope: 'row' }, el('code', {}, o.id)), el('td', {}, o.skill || ''),
    el('td', { class: 'num' }, o.n), el('td', { class: 'num' }, fmt(o.a, se.a)),
    el('td', { class: 'num' }, fmt(b, sb)), el('td', { class: 'num' }, fmt(o.c, se.c)),
    el('td', { class: 'num' }, o.fit && typeof o.fit.p === 'number' ? o.fit.p.toFixed(3) : ''), el('td', { class: 'why' }, verdict),
    el('td', {}, RT.state(o.state)), el('td', { class: 'acts' }, acts));
}

function driftRow(o) {
  const acts = o.decision ? RT.decided(o.decision) : [
    o.updatable ? el('button', { type: 'button', onclick: () => decide(o.id, 'update') }, RT.update()) : null,
    el('button', { type: 'button', class: 'secondary', onclick: () => decide(o.id, 'keep') }, RT.keep()),
    o.updatable ? el('button', { type: 'button', class: 'secondary', onclick: () => decide(o.id, 'retire') }, RT.retire()) : null,
  ];
  return el('tr', {}, el('th', { scope: 'row' }, el('code', {}, o.id)), el('td', {}, o.skill || ''),
    el('td', { class: 'num' }, o.n), el('td', { class: 'num' }, fmt(o.shift, o.se)),
    el('td', { class: 'num' }, `${fmt(o.observed)} / ${fmt(o.expected)}`), el('td', { class: 'why' }, driftWhy(o)),
    el('td', { class: 'acts' }, acts));
}

let recalPoll = 0;
async function loadReview() {
  let q, v, b;
  try {
    [q, v, b] = await Promise.all([api('GET', '/api/review'), api('GET', '/api/bank/versions'),
      api('GET', inLang('/api/bank')).catch(() => null)]);
  } catch (e) {
    return; // not an admin of the organization that keeps the bank: the section stays hidden
  }
  const names = {}; // the skills' names in the page's language, for the re-estimate's verdict
  for (const s of (b && b.skills) || []) names[s.id] = (lang === 'ja' && s.name_ja) || s.name;
  document.getElementById('review').hidden = false;
  // the bank's keepers calibrate here, with the button below (not the CLI)
  document.getElementById('uncalibrated').textContent = t('admin.uncalibrated_review', { button: t('admin.review_run') });
  document.getElementById('review-summary').textContent = RT.summary(q);
  document.querySelector('#review-items tbody').replaceChildren(...q.items.map((o) => reviewRow(o, q.rules)));
  document.getElementById('drift-summary').textContent = RT.drift(q.drift);
  document.querySelector('#drift-items tbody').replaceChildren(...(q.drift ? q.drift.items : []).map(driftRow));
  showRecal(q.recal, q.revision, names);
  // a re-estimate still being computed (it runs apart from the requests):
  // said so, and the section read again every 5 s until it is stored
  document.getElementById('recal-running').hidden = !q.recal_running;
  clearTimeout(recalPoll);
  if (q.recal_running) recalPoll = setTimeout(() => loadReview().catch(() => {}), 5000);
  showLatent(q.latent, q.revision);
  const li = (rev, text) => el('li', {}, text, rev === v.active ? RT.active() : ' ',
    rev === v.active ? null : el('button', { type: 'button', class: 'secondary', onclick: () => activate(rev) }, RT.activate()));
  document.getElementById('versions').replaceChildren(
    ...v.versions.map((x) => li(x.revision, RT.version(x))), li(0, RT.file()));
  await loadLive();
}

// ---- the pretest items live now (docs/calibration.md "Pretest batches") ----

function liveSummary(q)
{
    if (!q.per_test)
        return t('admin.live_off');
    if (!q.skills.length)
        return t('admin.live_none');
    return (q.batch ? t('admin.live_summary', {per_test : num(q.per_test), batch : num(q.batch)})
                    : t('admin.live_summary_all', {per_test : num(q.per_test)})) +
           (q.target ? t('admin.live_target', {target : num(q.target)})
                     : t('admin.live_no_target'));
}

function liveCalibration(o, q)
{
    const c = o.calibrated;
    if (!c)
        return q.run ? t('admin.live_not_estimated') : t('admin.live_not_run');
    return t(c.ready ? 'admin.live_run_ready' : 'admin.live_run_n', {n : num(c.n)});
}

// One row per live item; a skill's name on its first row, and a row saying
// how many of its pretest items wait for a place.
function liveRows(q, names)
{
    const rows = [];
    for (const s of q.skills) {
        const name = names[s.skill] || s.skill;
        s.live.forEach((o, i) => {
            const se = o.calibrated || {};
            rows.push(el(
                'tr', {}, el('th', {scope : 'row'}, i === 0 ? name : ''),
                el('td', {}, el('code', {}, o.id)),
                el('td', {class : 'num'}, `${num(o.answers)} / ${q.target ? num(q.target) : '–'}`),
                el('td', {class : 'num'}, typeof se.se_a === 'number' ? se.se_a.toFixed(2) : ''),
                el('td', {class : 'num'}, typeof se.se_b === 'number' ? se.se_b.toFixed(2) : ''),
                el('td', {}, liveCalibration(o, q))));
        });
        if (s.waiting) {
            rows.push(el(
                'tr', {}, el('th', {scope : 'row'}, s.live.length ? '' : name),
                el('td', {colspan : '5', class : 'muted'}, tn('admin.live_waiting', s.waiting))));
        }
    }
    return rows;
}

async function loadLive()
{
    let q, b;
    try {
        [q, b] = await Promise.all(
            [ api('GET', '/api/review/pretest'), api('GET', inLang('/api/bank')) ]);
    } catch (e) {
        return; // not an admin of the organization that keeps the bank
    }
    const names = {};
    for (const s of b.skills)
        names[s.id] = (lang === 'ja' && s.name_ja) || s.name;
    document.getElementById('live-summary').textContent = liveSummary(q);
    document.querySelector('#live-items tbody').replaceChildren(...liveRows(q, names));
    document.getElementById('live-items').parentElement.hidden = !q.skills.length || !q.per_test;
}

// ---- the re-estimate of the items in use (docs/calibration.md "Re-estimating
// operational items in the product"): a proposal staff apply as one revision or dismiss ----
const f3 = (x) => f2(x, 3);
const isNum = (x) => typeof x === 'number';

// A parameter of an item's "from" or "to": b is a graded item's thresholds.
function param(p, key) {
  if (!p) return '';
  if (key === 'b') return Array.isArray(p.thresholds) ? p.thresholds.map((x) => f2(x)).join(t('list.sep')) : f2(p.b);
  if (key === 'c') return p.model === '3pl' ? f2(p.c) : '';
  return f2(p[key]);
}

function recalRow(o) {
  const ft = (key) => {
    const from = param(o.from, key), to = param(o.to, key);
    return from || to ? t('admin.recal_from_to', { from: from || '—', to: to || '—' }) : '';
  };
  return el('tr', {}, el('th', { scope: 'row' }, el('code', {}, o.id)), el('td', {}, o.skill || ''),
    el('td', { class: 'num' }, num(o.n)), el('td', { class: 'num nowrap' }, ft('a')),
    el('td', { class: 'num' }, ft('b')), el('td', { class: 'num nowrap' }, ft('c')));
}

// Why the proposal is or is not offered, in the page's language from its
// figures; the estimator's own line (English) when there is no held-out figure.
// The verdict guard's refusal (refused "scale_shift") names the skill whose
// held-out scores would move beyond the bound, by its name in the page's language.
function recalWhy(q, names) {
  const h = q.heldout || {};
  const sc = q.refused === 'scale_shift' && (q.scale || []).find((s) => s.skill === q.scale_skill);
  if (sc && isNum(sc.shift)) {
    const an = q.anchor || {};
    return t('admin.recal_scale_shift', {
      skill: (names && names[sc.skill]) || sc.skill, shift: (sc.shift > 0 ? '+' : '') + f3(sc.shift), se: f3(sc.se),
      tests: num(sc.tests), bound: f2(an.max_shift),
    });
  }
  if (isNum(h.ll_current) && isNum(h.ll_new)) {
    return t(q.accept ? 'admin.recal_accepted' : 'admin.recal_not_accepted', { gain: f3(h.ll_new - h.ll_current), se: f3(h.se) });
  }
  const few = /^not accepted: (\d+) held-out tests of (\d+), at least (\d+) needed/.exec(q.why || '');
  if (few) return t('admin.recal_too_few', { held: num(+few[1]), tests: num(+few[2]), min: num(+few[3]) });
  return t('admin.recal_why_raw', { why: q.why || '' }); // the estimator's own message (English): a rare failure
}

async function decideRecal(run, action) {
  const err = document.getElementById('review-error');
  showError(err, null);
  try {
    await api('POST', '/api/review/reestimate', { run, action });
    await Promise.all([init(), loadReview(), loadDif()]);
  } catch (e) {
    // a refusal (409) is said by its reason code (reason.recal_*) with its
    // run and revision numbers; the server's English stays in the tooltip
    showError(err, e);
  }
}

function showRecal(q, revision, names) {
  const box = document.getElementById('recal');
  const summary = document.getElementById('recal-summary');
  if (!q) {
    box.hidden = true;
    summary.textContent = t('admin.recal_none');
    return;
  }
  box.hidden = false;
  summary.textContent = t('admin.recal_summary', {
    run: q.run.id, tests: num(q.tests), answers: num(q.answers), revision: q.run.revision, changed: num(q.changed), in_use: num(q.in_use),
  }) + RT.scheduled(q.run);
  const ch = q.change || {};
  const fig = (key) => el('tr', {}, el('th', { scope: 'row' }, t(`admin.recal_param_${key}`)),
    el('td', { class: 'num' }, ch[key] ? f3(ch[key].max) : '—'), el('td', { class: 'num' }, ch[key] ? f3(ch[key].median) : '—'));
  document.querySelector('#recal-figures tbody').replaceChildren(fig('a'), fig('b'), fig('c'));
  const hy = q.hyper || {};
  document.getElementById('recal-hyper').textContent = isNum(hy.mu_loga)
    ? t('admin.recal_hyper', { mu_loga: f2(hy.mu_loga), a: f2(Math.exp(hy.mu_loga)), sd_loga: f2(hy.sd_loga), sd_b: f2(hy.sd_b), mu_c: f2(hy.mu_c) })
    : '';
  const h = q.heldout || {};
  document.getElementById('recal-heldout').textContent = isNum(h.ll_current) && isNum(h.ll_new)
    ? t('admin.recal_heldout', { current: f3(h.ll_current), new: f3(h.ll_new), answers: num(h.answers), tests: num(h.tests) })
    : t('admin.recal_heldout_none');
  document.getElementById('recal-why').textContent = recalWhy(q, names);
  let acts;
  if (q.decision) {
    const what = q.decision.action === 'apply'
      ? t('admin.recal_applied', { revision: q.decision.revision }) : t('admin.recal_dismissed');
    acts = [el('span', {}, q.decision.note ? t('admin.decided_note', { what, note: q.decision.note }) : what)];
  } else {
    acts = [
      q.applicable ? el('button', { type: 'button', onclick: () => decideRecal(q.run.id, 'apply') }, t('admin.recal_apply')) : null,
      el('button', { type: 'button', class: 'secondary', onclick: () => decideRecal(q.run.id, 'dismiss') }, t('admin.recal_dismiss')),
      q.stale ? el('span', { class: 'muted' }, t('admin.recal_stale', { run_revision: q.run.revision, revision }))
        : !q.accept ? el('span', { class: 'muted' }, t('admin.recal_not_offered')) : null,
    ];
  }
  document.getElementById('recal-acts').replaceChildren(...acts.filter(Boolean));
  const items = q.items || [];
  document.getElementById('recal-shown').textContent = items.length ? t('admin.recal_shown', { shown: num(items.length), changed: num(q.changed) }) : '';
  document.querySelector('#recal-items tbody').replaceChildren(...items.map(recalRow));
}

// ---- each test kind's latent distribution and the loadings (docs/calibration.md) ----

async function decideLatent(run, action) {
  const err = document.getElementById('review-error');
  showError(err, null);
  try {
    await api('POST', '/api/review/latent', { run, action });
    await Promise.all([init(), loadReview(), loadDif()]);
  } catch (e) {
    showError(err, e);
  }
}

function showLatent(q, revision) {
  const box = document.getElementById('latent');
  const summary = document.getElementById('latent-summary');
  if (!q) {
    box.hidden = true;
    summary.textContent = t('admin.latent_none');
    return;
  }
  box.hidden = false;
  summary.textContent = t('admin.latent_summary', {
    run: q.run.id, tests: num(q.tests), answers: num(q.answers), revision: q.run.revision, min: num(q.min_tests),
  }) + RT.scheduled(q.run);
  const kinds = q.kinds || [];
  const kname = (k) => t(`admin.latent_kind_${k}`);
  const gain = (h) => (h && isNum(h.ll_new) && isNum(h.ll_current) ? f3(h.ll_new - h.ll_current) : '—');
  document.getElementById('latent-why').replaceChildren(...kinds.map((k) => el('span', { class: 'block' },
    t(!k.heldout || !isNum(k.heldout.ll_current) ? 'admin.latent_kind_few'
      : k.accept ? 'admin.latent_kind_accepted' : 'admin.latent_kind_not_accepted',
    { kind: kname(k.kind), gain: gain(k.heldout), se: f3(k.heldout && k.heldout.se) }), ' ')));
  const rows = [];
  for (const k of kinds) {
    for (const s of k.skills || []) {
      rows.push(el('tr', {}, el('td', {}, kname(k.kind)), el('td', {}, s.skill), el('td', { class: 'num' }, num(s.n)),
        el('td', { class: 'num' }, s.proposed ? `${f2(s.mean)} ± ${f2(s.se_mean)}` : t('admin.latent_not_proposed')),
        el('td', { class: 'num' }, s.proposed ? `${f2(s.sd)} ± ${f2(s.se_sd)}` : '—'),
        el('td', { class: 'num' }, s.current ? `${f2(s.current.mean)}, ${f2(s.current.sd)}` : '—')));
    }
  }
  document.querySelector('#latent-kinds tbody').replaceChildren(...rows);
  const ld = q.loadings || {};
  const ls = (ld.skills || []).filter((s) => s.proposed);
  document.getElementById('latent-loadings').textContent = ls.length
    ? t('admin.latent_loadings', {
      list: ls.map((s) => `${s.skill} ${f2(s.current)} → ${f2(s.lambda)}`).join(', '),
      verdict: ld.accept ? t('admin.latent_loadings_accepted', { gain: gain(ld.heldout), se: f3(ld.heldout && ld.heldout.se) })
        : t('admin.latent_loadings_not_accepted'),
    })
    : t('admin.latent_loadings_none');
  let acts;
  if (q.decision) {
    const what = q.decision.action === 'apply'
      ? t('admin.latent_applied', { revision: q.decision.revision }) : t('admin.latent_dismissed');
    acts = [el('span', {}, q.decision.note ? t('admin.decided_note', { what, note: q.decision.note }) : what)];
  } else {
    acts = [
      q.applicable ? el('button', { type: 'button', onclick: () => decideLatent(q.run.id, 'apply') }, t('admin.latent_apply')) : null,
      el('button', { type: 'button', class: 'secondary', onclick: () => decideLatent(q.run.id, 'dismiss') }, t('admin.latent_dismiss')),
      q.stale ? el('span', { class: 'muted' }, t('admin.latent_stale', { run_revision: q.run.revision, revision }))
        : !q.applicable ? el('span', { class: 'muted' }, t('admin.latent_not_offered')) : null,
    ];
  }
  document.getElementById('latent-acts').replaceChildren(...acts.filter(Boolean));
}

async function activate(revision) {
  const err = document.getElementById('review-error');
  showError(err, null);
  try {
    await api('POST', '/api/bank/rollback', { revision });
    // every part that shows an item's state follows the version now active
    await Promise.all([init(), loadReview(), loadDif()]);
  } catch (e) { showError(err, e); }
}

document.getElementById('review-run').addEventListener('click', async () => {
  const err = document.getElementById('review-error');
  showError(err, null);
  try {
    await api('POST', '/api/review/calibrate', {});
    await loadReview();
  } catch (e) { showError(err, e); }
});

// ---- fairness (issue 19; docs/fairness.md "In the product"): aggregates only, admins only ----

// A group's name in the page's language: gender and age band from the
// catalogue (the candidate's own groups card's words), a language or a country
// by the browser's names for ISO codes ("日本語 (ja)"), else the code itself.
const displayNames = {};
function groupLabel(by, v) {
  if (typeof v !== 'string' || v === '') return '';
  if (by === 'gender' || by === 'age_band') return has(`groups.${by}_${v}`) ? t(`groups.${by}_${v}`) : v;
  const type = by === 'country' ? 'region' : by === 'first_language' ? 'language' : null;
  if (!type) return v;
  try {
    displayNames[type] ||= new Intl.DisplayNames([lang], { type, fallback: 'none' });
    const name = displayNames[type].of(v);
    return name && name !== v ? `${name} (${v})` : v;
  } catch (e) { return v; }
}

const FT = {
  impactSummary: (r) => t('fair.impact_summary', {
    applicants: num(r.applicants), reported: num(r.reported), min_group: r.min_group, min_cell: r.min_cell,
  }),
  decision: (d) => (d.decision === 'posting' ? t('fair.decision_posting') : t('fair.decision_requirement', { label: d.label })),
  hidden: () => t('fair.hidden'),
  counts: (g) => t('fair.selected_of', { selected: num(g.selected), n: num(g.n) }),
  highest: () => t('fair.highest'),
  fails: () => t('fair.fails'),
  meets: () => t('fair.meets'),
  difSummary: (d) => (d.run
    ? t('fair.dif_summary', {
      run: d.run.id, tests: num(d.tests), reference: FT.reference(d), shown: num(d.shown), hidden: num(d.hidden),
      flagged: num(d.flagged), min_group: d.min_group,
    }) + RT.scheduled(d.run)
    : t('fair.dif_none')),
  // a scheduled run compares every dimension, each against its own reference group
  reference: (d) => (Array.isArray(d.dimensions)
    ? d.dimensions.map((x) => t('fair.dim_group', { by: t(`fair.by_${x.by}`), group: groupLabel(x.by, x.reference) })).join(t('list.sep'))
    : groupLabel(d.by, d.reference)),
  difCounts: (o) => t('fair.dif_counts', { ref: num(o.n_reference), focal: num(o.n_focal) }),
  keep: () => t('fair.keep'),
};

const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(1)}%` : '');
const ci = (v) => (Array.isArray(v) && typeof v[0] === 'number' ? ` [${v[0].toFixed(2)}, ${v[1].toFixed(2)}]` : '');

function impactRows(d, by) {
  return d.groups.map((g, i) => el('tr', {},
    i === 0 ? el('th', { scope: 'row', rowspan: d.groups.length }, FT.decision(d)) : null,
    el('td', {}, groupLabel(by, g.group)),
    ...(g.shown
      ? [el('td', { class: 'num' }, FT.counts(g)), el('td', { class: 'num' }, `${pct(g.rate)}${ci(g.rate_ci)}`),
        el('td', { class: 'num' }, g.highest ? FT.highest() : `${g.ratio.toFixed(3)}${ci(g.ratio_ci)}`),
        el('td', {}, g.four_fifths ? el('strong', {}, FT.fails()) : FT.meets())]
      : [el('td', { colspan: 4, class: 'muted' }, FT.hidden())])));
}

async function loadImpact() {
  const err = document.getElementById('fair-error');
  showError(err, null);
  const id = document.getElementById('impact-posting').value;
  const by = document.getElementById('impact-by').value;
  if (!id) return;
  const path = `/api/fairness/postings/${encodeURIComponent(id)}/impact?by=${encodeURIComponent(by)}`;
  try {
    const r = await api('GET', path);
    document.getElementById('impact-summary').textContent = FT.impactSummary(r);
    document.querySelector('#impact tbody').replaceChildren(...r.decisions.flatMap((d) => impactRows(d, r.by)));
    const a = document.getElementById('impact-csv');
    a.href = `${path}&format=csv`;
    a.hidden = false;
  } catch (e) { showError(err, e); }
}

async function decideDif(item, action) {
  const err = document.getElementById('fair-error');
  showError(err, null);
  try {
    await api('POST', '/api/review/decisions', { item, action, queue: 'dif' });
    await Promise.all([init(), loadReview(), loadDif()]);
  } catch (e) { showError(err, e); }
}

function difRow(o, decision) {
  // a graded item: Liu-Agresti's D-DIF and the polytomous ETS class
  const la = o.la || {};
  const mh = o.graded ? { d_dif: la.d_dif, se: la.se_d } : o.mh || {};
  const lr = o.logistic || {};
  const cls = o.graded ? t('fair.classes_graded', { cls: o.class || '-' })
    : t('fair.classes', { mh: mh.class || '-', lr: lr.class || '-' });
  const acts = decision ? RT.decided(decision) : [
    el('button', { type: 'button', class: 'secondary', onclick: () => decideDif(o.id, 'keep') }, FT.keep()),
    o.retirable !== false ? el('button', { type: 'button', class: 'secondary', onclick: () => decideDif(o.id, 'retire') }, RT.retire()) : null,
  ];
  return el('tr', {}, el('th', { scope: 'row' }, el('code', {}, o.id)), el('td', {}, o.skill || ''),
    el('td', {}, o.scheduled && o.by ? t('fair.dim_focal', { by: t(`fair.by_${o.by}`), group: groupLabel(o.by, o.focal) }) : groupLabel(o.by, o.focal)),
    el('td', { class: 'num' }, FT.difCounts(o)),
    el('td', { class: 'num' }, fmt(mh.d_dif, mh.se)), el('td', { class: 'nowrap' }, cls),
    el('td', {}, RT.state(o.state)), el('td', { class: 'acts' }, acts));
}

// Each dimension's reference group for the scheduled run (docs/fairness.md
// "Reference groups"): the largest group unless an admin chose another.
let refs = null;
function refRow(x) {
  const chosen = x.chosen || '';
  const values = [...new Set([...(x.groups || []), ...(chosen ? [chosen] : [])])];
  const sel = el('select', { id: `ref-${x.by}`, name: x.by },
    el('option', { value: '' }, x.largest ? t('fair.ref_default', { group: groupLabel(x.by, x.largest) }) : t('fair.ref_default_none')),
    ...values.map((v) => el('option', { value: v }, groupLabel(x.by, v))));
  sel.value = chosen;
  const note = chosen && x.reference_source !== 'chosen'
    ? el('p', { class: 'muted small', id: `ref-${x.by}-note` }, t('fair.ref_fallback', {
      group: groupLabel(x.by, chosen), min: num(refs.min_group), largest: x.largest ? groupLabel(x.by, x.largest) : '—',
    }))
    : null;
  return [el('label', { for: `ref-${x.by}` }, t(`fair.by_${x.by}`)), sel, note];
}

function difReferenceChoices() {
  const by = document.getElementById('dif-by').value;
  const x = refs && refs.dimensions.find((y) => y.by === by);
  document.getElementById('dif-groups').replaceChildren(...((x && x.groups) || []).map((v) => el('option', { value: v, label: groupLabel(by, v) })));
}

async function loadRefs() {
  try {
    refs = await api('GET', '/api/fairness/dif/references');
  } catch (e) { return; }
  document.getElementById('refs-fields').replaceChildren(...refs.dimensions.flatMap(refRow).filter(Boolean));
  difReferenceChoices();
}

document.getElementById('refs-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('fair-error');
  const done = document.getElementById('refs-done');
  showError(err, null);
  done.textContent = '';
  const body = {};
  for (const x of (refs ? refs.dimensions : [])) body[x.by] = document.getElementById(`ref-${x.by}`).value || null;
  try {
    await api('PUT', '/api/fairness/dif/references', body);
    await loadRefs();
    done.textContent = t('fair.refs_saved');
  } catch (e) { showError(err, e); }
});
document.getElementById('dif-by').addEventListener('change', difReferenceChoices);

async function loadDif() {
  let d, q;
  try {
    [d, q] = await Promise.all([api('GET', '/api/fairness/dif'), api('GET', '/api/review')]);
  } catch (e) {
    return; // DIF is the bank keepers': the part stays hidden for other admins
  }
  document.getElementById('dif').hidden = false;
  if (!refs) await loadRefs();
  document.getElementById('dif-summary').textContent = FT.difSummary(d);
  document.getElementById('dif-csv').hidden = !d.run;
  const queued = new Map(((q.dif && q.dif.items) || []).map((o) => [`${o.id} ${o.focal}`, o]));
  document.querySelector('#dif-items tbody').replaceChildren(...(d.items || []).filter((o) => o.flagged).map((o) => {
    const inq = queued.get(`${o.id} ${o.focal}`) || {};
    return difRow({ ...o, state: inq.state, retirable: inq.retirable, scheduled: !!d.scheduled }, inq.decision);
  }));
}

async function loadFairness() {
  const m = await api('GET', '/api/me').catch(() => null);
  if (!m || !m.user || m.user.role !== 'admin') return;
  document.getElementById('fairness').hidden = false;
  try {
    const ps = await api('GET', '/api/postings');
    document.getElementById('impact-posting').replaceChildren(...(ps.postings || ps).map((p) => el('option', { value: p.id }, p.title)));
  } catch (e) { showError(document.getElementById('fair-error'), e); }
  await loadDif();
}

document.getElementById('impact-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadImpact(); });
document.getElementById('dif-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('fair-error');
  showError(err, null);
  try {
    const reference = document.getElementById('dif-reference').value.trim();
    // empty: the dimension's reference group, as the scheduled run takes
    await api('POST', '/api/fairness/dif', { by: document.getElementById('dif-by').value, ...(reference ? { reference } : {}) });
    await loadDif();
  } catch (e) { showError(err, e); }
});

init();
loadReview();
loadFairness();
