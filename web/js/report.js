// The report page: skill profile, role fit, gaps and plan, interview loop,
// and every question answered with the key and its explanation (practice tests;
// an invited test's report lists the concepts missed instead).
import { api, el, header, inLang, levelName, showError } from './api.js';
import { chance } from './chance.js';
import { fitChart, profileChart } from './charts.js';
import { renderMarkup } from './markup.js';
import { lang, t, tn, tx } from './i18n.js';

const id = location.hash.slice(1);
const main = document.getElementById('report');
// plain shares (an SD, the share of a posting measured); a model's
// probability is written by chance() (chance.js)
const pct = (v) => `${Math.round(100 * v)}%`;
const words = (tag) => tag.replace(/_/g, ' ');

// Charts are drawn for the width of their card and redrawn when it changes.
const charts = [];
function chartCard(draw) {
  const card = el('div', { class: 'card chart-card' });
  charts.push({ card, draw, width: 0 });
  return card;
}
function drawCharts() {
  for (const c of charts) {
    const cs = getComputedStyle(c.card);
    const w = Math.floor(c.card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
    if (w > 0 && Math.abs(w - c.width) > 8) {
      c.width = w;
      c.card.replaceChildren(c.draw(w));
    }
  }
}
let resizeTimer = 0;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawCharts, 120); });

function kpi(value, label) {
  return el('div', { class: 'card kpi' }, el('div', { class: 'v' }, value), el('div', { class: 'k' }, label));
}

function answerReview(a, skillName, own) {
  const type = a.type || 'mcq';
  let body;
  if (type === 'numeric') {
    body = el('p', { class: 'numeric-review' },
      tx(own ? 'report.your_answer' : 'report.answer_given', { answer: el('strong', {}, a.given || '—') }), a.correct ? ' ✓' : ' ✗',
      el('br'), tx('report.right_answer', { answer: el('strong', {}, a.right_answer) }));
  } else {
    const keys = type === 'multi' ? a.keys : [a.key];
    const picked = type === 'multi' ? a.selected : [a.choice];
    body = el('ol', { type: 'A' }, a.options.map((o, i) => {
      const isKey = keys.includes(i), isPick = picked.includes(i);
      const mark = type === 'multi'
        ? (isKey && isPick ? 'report.mark_key_selected' : isKey ? 'report.mark_key_unselected' : isPick ? 'report.mark_wrong_selected' : '')
        : (isKey ? 'report.mark_key' : isPick ? (own ? 'report.mark_yours' : 'report.mark_given') : '');
      return el('li', { class: isKey ? 'right' : isPick ? 'yours' : '' }, renderMarkup(o), mark ? el('strong', { lang }, ' ', t(mark)) : null);
    }));
    body.querySelectorAll('p').forEach((p) => { p.style.display = 'inline'; p.style.margin = '0'; });
  }
  const credit = type === 'multi' ? el('p', { class: 'credit', lang }, t('report.credit', { credit: a.credit })) : null;
  const why = el('div', { class: 'why' }, renderMarkup(a.explanation));
  const first = why.querySelector('p');
  if (first) first.prepend(el('strong', { lang }, t('report.why')));
  const verdict = a.correct ? t('report.verdict_right') : a.score > 0 ? t('report.verdict_partly', { credit: a.credit }) : t('report.verdict_missed');
  return el('div', { class: a.correct ? 'review ok' : 'review' },
    el('div', { class: 'review-head', lang }, [verdict, skillName(a.skill), (a.tag_names || a.tags.map(words)).join(t('list.sep'))].filter(Boolean).join(' · ')),
    renderMarkup(a.stem), body, credit, why);
}

// Whether every question of the test was answered right (the answers are
// listed: not an invited test's report, whose questions stay undisclosed).
const allRight = (r) => (r.answers || []).length > 0 && r.answers.every((a) => a.correct);

// The report's heading: whose, and what it found (a whole message each).
function heading(r, own, who, noRole, near, tg) {
  if (r.find_role && noRole) return t(own ? 'report.h_no_role_own' : 'report.h_no_role', { who });
  if (r.find_role && near[0]) {
    const k = `report.h_closest${near[0].probability < 0.5 ? '_so_far' : ''}${own ? '_own' : ''}`;
    return t(k, { who, role: near[0].name, pct: chance(near[0].probability) });
  }
  // a test of skills (no role chosen): the profile, not the fit to a role it
  // only partly measured
  if (!r.posting && tg.chosen === false) return t(own ? 'report.h_profile_own' : 'report.h_profile', { who });
  // a posting's test is read against the posting: its title, not the role behind it
  const against = r.posting ? r.posting.title : tg.name;
  if (against) return t(own ? 'report.h_fit_own' : 'report.h_fit', { who, role: against });
  return t(own ? 'report.h_profile_own' : 'report.h_profile', { who });
}

// The target role's fit and P(every core requirement met). When the test
// measured only part of the role (a test of some skills), on what it
// measured: the population prior of the rest would read an all-right
// answerer as mediocre (40% fit, 0% core after a test of one skill).
function fitKpis(tf, own, unread) {
  if (!tf || unread) return [];
  const reqs = tf.requirements || [];
  if (!(tf.measured < 0.999) || typeof tf.fit_measured !== 'number') {
    return [kpi(`${chance(tf.fit)} ± ${pct(tf.sd || 0)}`, t(own ? 'report.kpi_fit_own' : 'report.kpi_fit', { role: tf.name })),
      kpi(chance(tf.p_core), t(own ? 'report.kpi_core_own' : 'report.kpi_core'))];
  }
  if (!(tf.measured > 0)) return [];
  const total = reqs.filter((q) => q.core).length;
  return [kpi(chance(tf.fit_measured), t(own ? 'report.kpi_fit_measured_own' : 'report.kpi_fit_measured', { role: tf.name, measured: pct(tf.measured) })),
    tf.core_measured > 0 ? kpi(chance(tf.p_core_measured), t(own ? 'report.kpi_core_measured_own' : 'report.kpi_core_measured', { role: tf.name, n: tf.core_measured, total })) : null];
}

// A requirement's call in words (the API's codes: meets, below, undecided, not measured).
const CALLS = { meets: 'meets', below: 'below', undecided: 'undecided', 'not measured': 'not_measured' };
function callWord(c, prefix = 'report.call_') {
  return CALLS[c] ? t(`${prefix}${CALLS[c]}`) : c;
}

// Appends to the report what is there: el() skips null children, but the DOM's
// own append would write "null" into the page.
const add = (...nodes) => main.append(...nodes.flat().filter((x) => x !== null && x !== undefined && x !== false));

function render(r) {
  main.replaceChildren();
  const fits = (r.roles || []).slice().sort((a, b) => b.fit - a.fit);
  const tg = r.target || {};
  const tf = fits.find((f) => f.role === tg.role) || fits[0];
  const own = r.viewer !== 'staff';
  const who = r.person || t('report.this_candidate');
  // Closest roles: only those that say something (at least 2%, at most six).
  const near = (r.closest || []).filter((c, i) => c.measured > 0 && i < 6 && (i === 0 || c.probability >= 0.02));
  // "No role": the answers look like answers given at random more than like any role's people.
  const none = r.no_role || 0;
  const noRole = !!near[0] && none > near[0].probability;
  // Find my role when no role resembles the answers: no role is read, so no
  // role's fit or calls are put forward (the highest fit is still shown).
  const unread = r.find_role && noRole && !r.confirmed;
  add(
    el('h1', {}, heading(r, own, who, noRole, near, tg)),
    el('p', { class: 'lead' }, t('report.lead', { measured: r.skills_measured, total: r.skills_total })),
    // every answer right: the test found no ceiling, and the levels shown are lower bounds
    allRight(r) ? el('p', { class: 'notice', id: 'all-right' }, t(own ? 'report.all_right_own' : 'report.all_right', { n: r.answers.length })) : null,
    el('div', { class: 'kpis' }, ...fitKpis(tf, own, unread),
      noRole ? kpi(t('report.no_role'), t('report.kpi_no_role', { pct: chance(none) }))
        : near[0] ? kpi(near[0].name, t(own ? 'report.kpi_closest_own' : 'report.kpi_closest', { pct: chance(near[0].probability) })) : null,
      fits[0] ? kpi(fits[0].name, t('report.kpi_highest', { pct: chance(fits[0].fit) })) : null),
    el('div', { class: 'actions' },
      el('a', { class: 'button secondary', href: inLang(`/api/tests/${id}/report.html`), download: `rolefit-report-${id}.html` }, t('report.download'))));
  if (own && endedHere()) add(groupsOffer());

  // A posting's test: the candidate against the posting's requirements.
  const po = r.posting;
  if (po) {
    add(el('h2', {}, t('report.posting_title', { title: po.title })),
      el('p', {}, t(own ? 'report.posting_fit_own' : 'report.posting_fit', { fit: chance(po.fit), sd: pct(po.sd || 0), measured: pct(po.measured) })),
      el('p', { class: 'reason' }, po.reason),
      el('div', { class: 'table-wrap' }, el('table', { class: 'posting-table' },
        el('thead', {}, el('tr', {}, el('th', {}, t('report.col_requirement')), el('th', {}, t('report.col_level')), el('th', {}, t('report.col_weight')), el('th', {}, t('report.col_call')), el('th', {}, t('report.col_p_met')))),
        el('tbody', {}, po.requirements.map((q) => el('tr', {},
          el('td', {}, q.label, q.section === 'preferred' ? el('span', { class: 'muted' }, t('report.preferred_mark')) : null),
          el('td', {}, levelName(q.level)), el('td', { class: 'num' }, Number(q.weight).toFixed(1)), el('td', {}, callWord(q.call, 'report.posting_call_')),
          el('td', { class: 'num' }, q.p === null || q.p === undefined ? '—' : chance(q.p))))))));
  }

  if (near.length) {
    add(el('h2', {}, t('report.closest_title')),
      el('p', { class: 'muted' }, t(own ? 'report.closest_about_own' : 'report.closest_about')),
      r.closest_relation === 'own' ? el('p', {}, t('report.closest_own', { role: tg.name }))
        : r.closest_relation === 'highest' ? el('p', {}, t('report.closest_highest', { closest: near[0].name }))
          : r.closest_relation === 'higher' ? el('p', {}, t('report.closest_higher', { closest: near[0].name, role: tg.name }))
            : r.closest_relation === 'other' ? el('p', {}, t('report.closest_other', { closest: near[0].name, role: tg.name })) : null,
      noRole ? el('p', { class: 'reason' }, tx('report.no_role_reason', { strong: el('strong', {}, t('report.no_role_strong')), pct: chance(none) }))
        : near[0].log_bf < 0 ? el('p', { class: 'reason' }, t(own ? 'report.against_all_own' : 'report.against_all')) : null,
      chartCard((w) => fitChart(near.map((c) => ({ role: c.role, name: c.name, fit: c.probability, sd: 0 }))
        .concat([{ role: '', name: t('report.no_role_random'), fit: none, sd: 0 }]), noRole ? '' : near[0].role, w, t('report.closest_chart'))));
  }

  if (r.team && own) add(teamCard(r.team));

  // Find my role's calls are a first reading, with the confirm test on offer;
  // a confirm test's report is the combined verdict.
  const cv = r.confirm || (r.confirmed ? { role: r.confirmed.role } : null);
  const cf = cv && fits.find((f) => f.role === cv.role);
  if (cf && !unread) add(requirementCalls(r, cf, own));
  // A role test's calls on its role are its verdict, each with its chance of being wrong.
  else if (!cv && !r.find_role && !r.posting && tg.chosen && tf && tf.role === tg.role) {
    add(el('h2', {}, t('report.calls_verdict', { role: tf.name })),
      el('p', {}, t('report.calls_verdict_about')), callsTable(tf), linksNote(tf.requirements || []));
  }

  add(el('h2', {}, t('report.profile_title')),
    el('p', { class: 'muted' }, t('report.profile_about')),
    chartCard((w) => profileChart(r.skills.filter((k) => k.measured).concat(r.skills.filter((k) => !k.measured && (r.gaps || []).some((g) => g.skill === k.skill))), (r.levels || ['novice', 'developing', 'proficient', 'advanced', 'expert']).map(levelName), w)),
    el('div', { class: 'table-wrap' }, el('table', { class: 'skills-table' },
      el('thead', {}, el('tr', {}, el('th', {}, t('report.col_skill')), el('th', {}, t('report.col_level')), el('th', {}, t('report.col_theta')), el('th', {}, t('report.col_items')))),
      el('tbody', {}, r.skills.filter((k) => k.measured).map((k) => el('tr', {},
        el('td', {}, k.name), el('td', {}, levelName(k.level)), el('td', { class: 'num' }, `${k.theta.toFixed(2)} ± ${k.se.toFixed(2)}`), el('td', { class: 'num' }, String(k.items))))))),
    el('p', { class: 'muted' }, t('report.theta_about')),
    noRole ? el('p', { class: 'reason', id: 'levels-random' }, t(own ? 'report.levels_random_own' : 'report.levels_random')) : null);

  add(el('h2', {}, t('report.fit_title')),
    el('p', { class: 'muted' }, t(own ? 'report.fit_about_own' : 'report.fit_about')),
    chartCard((w) => fitChart(fits, tg.role, w, t('report.fit_chart'))));

  if (r.gaps && r.gaps.length) {
    add(el('h2', {}, t('report.gaps_title')));
    add(...r.gaps.map((g) => el('div', { class: 'card', style: 'margin-bottom:12px' },
      el('h3', {}, t(g.core ? 'report.gap_needed_core' : 'report.gap_needed', { skill: g.name, level: levelName(g.level) })),
      el('p', { class: 'muted', style: 'margin:0 0 8px' }, g.measured
        ? t(own ? 'report.gap_p_own' : 'report.gap_p', { pct: chance(g.p) })
        : t('report.gap_not_measured')),
      g.missed && g.missed.length ? el('p', { style: 'margin:0 0 8px' },
        tx(`report.missed_${g.missed.some((m) => m.partly) ? 'partly_' : ''}${own ? 'own' : 'staff'}`, {
          list: g.missed.map((m, i) => [i ? t('list.sep') : '', el('strong', {}, m.name || words(m.tag)),
            m.partly ? (m.count ? t('report.partly_times', { n: m.partly }) : t('report.partly')) : '', m.note ? t('report.note', { note: m.note }) : '']).flat()
            .reduce((f, x) => { f.append(x); return f; }, document.createDocumentFragment()),
        })) : null,
      g.focus ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, t('report.focus')), g.focus) : null,
      own ? followupButton(g) : null,
      g.study && g.study.length ? el('ol', { class: 'plan' }, g.study.map((step) => el('li', {}, step))) : null,
      g.practice ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, t('report.practice')), g.practice) : null,
      g.blocks && g.blocks.length ? el('p', { class: 'reason', style: 'margin:0' }, t('report.also_needed', { roles: g.blocks.map((b) => b.name).join(t('list.sep')) })) : null)));
  }

  if (r.loop && r.loop.length) {
    add(el('h2', {}, tg.name ? t('report.loop_title', { role: tg.name }) : t('report.loop_title_any')),
      el('ol', {}, r.loop.map((s) => el('li', {}, el('strong', {}, s.stage), ` — ${s.what}`))));
  }

  const answers = r.answers || [];
  // Some credit on a multiple-select question is partly right, not missed.
  const missed = answers.filter((a) => !a.correct && !(a.score > 0)), right = answers.filter((a) => a.correct);
  const partly = answers.filter((a) => !a.correct && a.score > 0);
  const skillName = (id) => (r.skills.find((k) => k.skill === id) || {}).name || '';
  // the questions as they were asked: in the test's language
  const review = (a) => { const n = answerReview(a, skillName, own); if (r.lang && n.setAttribute) n.setAttribute('lang', r.lang); return n; };
  if (answers.length) {
    add(el('h2', {}, t(own ? 'report.answers_own' : 'report.answers', { right: right.length, total: answers.length })),
      el('p', { class: 'muted' }, t('report.answers_about')),
      missed.length ? el('h3', {}, t('report.missed_n', { n: missed.length })) : null, ...missed.map(review),
      partly.length ? el('h3', {}, t('report.partly_n', { n: partly.length })) : null, ...partly.map(review),
      right.length ? el('details', { class: 'answers-right' },
        el('summary', {}, t('report.right_n', { n: right.length })), ...right.map(review)) : null);
  }
  if (r.answers_withheld) {
    // An invited test's questions stay undisclosed: the concepts missed, not the questions.
    const cm = r.concepts_missed || [];
    add(el('h2', {}, t('report.concepts_title')),
      el('p', { class: 'muted' }, t('report.concepts_about')),
      cm.length ? el('ul', { class: 'concepts-missed' }, cm.map((c) => el('li', {},
        tn('report.concept', c.missed, { skill: skillName(c.skill) || c.skill, concept: c.name || c.concept }))))
        : el('p', {}, t('report.no_concept')));
  }
  if (!own && r.integrity) add(signalsSection(r.integrity, skillName));
  if (own) add(groupsCard());
  drawCharts();
}

// Whether the candidate's test ended on the test page just before this
// report (test.js leaves a mark for it); true once, the mark is taken.
function endedHere() {
  try {
    const k = `rf_ended_${id}`;
    const v = sessionStorage.getItem(k);
    sessionStorage.removeItem(k);
    return v === '1';
  } catch (e) { return false; }
}

// Once, right after the test ends: the optional groups question offered at
// the top of the report, unless the candidate already answered or declined.
// Never before the test (asking about group identity before a test can
// lower the scores of the groups it reminds of a stereotype), never to staff.
function groupsOffer() {
  const later = el('button', { type: 'button', class: 'secondary', id: 'groups-later' }, t('groups.offer_later'));
  const go = el('button', { type: 'button', id: 'groups-go' }, t('groups.offer_go'));
  const box = el('section', { class: 'card', id: 'groups-offer', hidden: true, 'aria-labelledby': 'groups-offer-h' },
    el('h2', { id: 'groups-offer-h' }, t('groups.offer_title')),
    el('p', {}, t('groups.offer_lead')),
    el('div', { class: 'actions' }, go, later));
  later.addEventListener('click', () => { box.hidden = true; });
  go.addEventListener('click', () => {
    box.hidden = true;
    const card = document.getElementById('groups');
    if (card) { card.scrollIntoView({ block: 'start' }); document.getElementById('g-gender').focus(); }
  });
  api('GET', '/api/me/groups').then((g) => { box.hidden = !!g.reported; }, () => {});
  return box;
}

// The candidate's own, optional group membership (docs/fairness.md "In the
// product"): kept apart from the test, never scored, never shown to
// recruiters; it can be declined, changed or withdrawn here at any time.
function groupsCard() {
  const msg = el('p', { class: 'muted', role: 'status', id: 'groups-status' });
  const sel = (name, values) => el('select', { id: `g-${name}` }, el('option', { value: '' }, t('groups.not_given')),
    ...values.map((v) => el('option', { value: v }, t(`groups.${name}_${v}`))));
  const gender = sel('gender', ['woman', 'man', 'nonbinary', 'other']);
  const age = sel('age_band', ['under_25', '25_34', '35_44', '45_54', '55_64', '65_plus']);
  const code = (name, pattern, hint) => el('input', { type: 'text', id: `g-${name}`, maxlength: 2, pattern, placeholder: t(hint) });
  const first = code('first_language', '[a-z]{2}', 'groups.first_language_hint');
  const country = code('country', '[A-Z]{2}', 'groups.country_hint');
  const fields = [['gender', gender], ['age_band', age], ['first_language', first], ['country', country]];
  const show = (g) => {
    for (const [k, node] of fields) node.value = (g.values && g.values[k]) || '';
    msg.textContent = t(!g.reported ? 'groups.state_none' : g.declined ? 'groups.state_declined' : 'groups.state_saved');
  };
  const send = async (method, body) => {
    try { show(await api(method, '/api/me/groups', body)); } catch (e) { showError(msg, e); }
  };
  const save = el('button', { type: 'button', id: 'groups-save' }, t('groups.save'));
  save.addEventListener('click', () => send('PUT', Object.fromEntries(fields.map(([k, node]) => [k, node.value.trim() || null]))));
  const decline = el('button', { type: 'button', class: 'secondary', id: 'groups-decline' }, t('groups.decline'));
  decline.addEventListener('click', () => send('PUT', { declined: true }));
  const withdraw = el('button', { type: 'button', class: 'secondary', id: 'groups-withdraw' }, t('groups.withdraw'));
  withdraw.addEventListener('click', () => send('DELETE'));
  api('GET', '/api/me/groups').then(show, (e) => showError(msg, e));
  return el('section', { class: 'card', id: 'groups', 'aria-labelledby': 'groups-h' },
    el('h2', { id: 'groups-h' }, t('groups.title')),
    el('p', { class: 'muted' }, t('groups.about')),
    ...fields.flatMap(([k, node]) => [el('label', { for: `g-${k}` }, t(`groups.${k}`)), node]),
    el('div', { class: 'actions' }, save, decline, withdraw), msg);
}

// The staff's test-integrity signals (docs/integrity.md): evidence worth a
// look, each with what it means, never a verdict. The server sends them to
// staff only.
function signalsSection(g, skillName) {
  const out = [el('h2', {}, t('report.signals_title')), el('p', { class: 'muted' }, g.note || '')];
  if (g.unavailable) return out.concat(el('p', {}, g.unavailable));
  const s = (ms) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '—');
  const rule = g.rule || {};
  const row = (...cells) => el('tr', {}, cells.map((c) => el('td', {}, c)));
  const head = (...cells) => el('thead', {}, el('tr', {}, cells.map((c) => el('th', {}, c))));
  const table = (h, rows) => el('div', { class: 'table-wrap' }, el('table', {}, h, el('tbody', {}, rows)));
  out.push(el('p', {}, el('strong', {}, t('report.rapid_title')), ' ',
    t('report.rapid_about', { pct: Math.round(100 * rule.fraction), floor: s(rule.floor_ms), cap: s(rule.cap_ms), flag: rule.flag_below })),
  table(head(t('report.col_skill'), t('report.col_timed'), t('report.col_rapid'), t('report.col_effort'), ''), (g.skills || []).map((k) =>
    row(skillName(k.skill) || k.skill, String(k.timed), String(k.rapid), typeof k.rte === 'number' ? k.rte.toFixed(2) : '—', k.flagged ? el('strong', {}, t('report.worth_a_look')) : ''))));
  const f = g.focus || {};
  out.push(el('p', {}, el('strong', {}, t('report.focus_title')), ' ',
    t('report.focus_about', { answers: f.answers_reported, blurs: f.blurs, hidden: f.hidden, away: s(f.away_ms) })));
  // a question by its concepts in the page's language (the item's id says nothing to staff)
  const concepts = (a) => ((a.concepts || []).map((c) => (lang === 'ja' && c.name_ja) || c.name || c.tag).join(t('list.sep')) || '—');
  out.push(el('details', {}, el('summary', {}, t('report.every_answer')),
    table(head('#', t('report.col_concepts'), t('report.col_time'), t('report.col_threshold'), t('report.col_rapid'), t('report.col_focus_lost'), t('report.col_hidden'), t('report.col_away')), (g.answers || []).map((a) =>
      row(String(a.number), concepts(a), s(a.response_ms), s(a.threshold_ms), a.rapid ? el('strong', {}, t('report.yes')) : '',
        a.blurs === undefined ? '—' : String(a.blurs), a.hidden === undefined ? '—' : String(a.hidden), s(a.away_ms))))));
  const c = g.copying || {};
  out.push(el('p', {}, el('strong', {}, t('report.copying_title')), ' ',
    t('report.copying_about', { compared: c.compared, common: c.min_common, alpha: Number(c.alpha).toPrecision(2) })));
  if (c.pairs && c.pairs.length) {
    out.push(table(head(t('report.col_other'), t('report.col_shared'), t('report.col_same_wrong'), t('report.col_expected'), 'p', ''), c.pairs.map((p) =>
      row(t('report.other_candidate', { who: p.person || t('report.candidate'), test: p.test }), String(p.common), String(p.identical_wrong), p.expected.toFixed(1), p.p.toPrecision(2), p.flagged ? el('strong', {}, t('report.worth_a_look')) : ''))));
  }
  return out;
}

// The requirement calls of one role: find my role's first reading with the
// confirm test on offer (POST /api/tests/:id/confirm), or a confirm test's
// combined verdict.
function requirementCalls(r, f, own) {
  const combined = !!r.confirmed;
  const offer = r.confirm || {};
  const n = (r.sessions || []).length;
  const msg = el('span', { class: 'muted', role: 'status' });
  const b = !combined && offer.offered && own ? el('button', {
    class: 'button', type: 'button',
    onclick: async () => {
      b.disabled = true;
      try {
        // The offered role is not named: the server confirms the closest
        // role with find my role's prior (a named role reads with its own).
        const res = await api('POST', `/api/tests/${id}/confirm`, {});
        location.href = `/test.html#${res.test.id}`;
      } catch (e) {
        b.disabled = false;
        showError(msg, e);
      }
    },
  }, t('report.confirm', { role: f.name })) : null;
  // A role the candidate names: its confirm test reads the answers with that
  // role's role-test prior (docs/careers.md "A role the person names").
  const roles = (r.roles || []).slice().sort((x, y) => x.name.localeCompare(y.name));
  const pick = !combined && own && roles.length ? el('select', { 'aria-label': t('report.confirm_named_label') },
    roles.map((x) => el('option', { value: x.role }, x.name))) : null;
  const nmsg = el('span', { class: 'muted', role: 'status' });
  const nb = pick ? el('button', {
    class: 'button secondary', type: 'button',
    onclick: async () => {
      nb.disabled = true;
      try {
        const res = await api('POST', `/api/tests/${id}/confirm`, { role: pick.value });
        location.href = `/test.html#${res.test.id}`;
      } catch (e) {
        nb.disabled = false;
        showError(nmsg, e);
      }
    },
  }, t('report.confirm_named')) : null;
  const named = combined && r.confirmed && r.confirmed.named;
  return [
    el('h2', {}, t(combined ? 'report.calls_combined' : 'report.calls_first', { role: f.name })),
    combined
      ? el('p', {}, t(`report.calls_combined_about${n > 1 ? '_sessions' : ''}${own ? '_own' : ''}`, { n, max: offer.max_items || 20 }),
        named ? [' ', t(own ? 'report.calls_named_own' : 'report.calls_named', { role: f.name })] : '')
      : el('p', {}, t('report.calls_first_about'), ' ',
        offer.offered ? tn('report.calls_offer', offer.undecided, { max: offer.max_items, role: f.name })
          : offer.reason ? t('report.calls_no_offer', { reason: offer.reason_code ? t(`report.no_offer_${offer.reason_code}`) : offer.reason }) : ''),
    callsTable(f),
    linksNote(f.requirements || []),
    b ? el('p', { class: 'actions' }, b, ' ', msg) : null,
    pick ? el('p', { class: 'muted' }, t('report.confirm_named_about')) : null,
    pick ? el('p', { class: 'actions' }, el('label', {}, t('report.confirm_named_label'), ' ', pick), ' ', nb, ' ', nmsg) : null,
  ];
}

// Each requirement of role fit f: its level, call, P(met) and the chance the call is wrong.
function callsTable(f) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'calls-table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('report.col_requirement')), el('th', {}, t('report.col_level')), el('th', {}, t('report.col_call')), el('th', {}, t('report.col_p_met')), el('th', {}, t('report.col_p_wrong')))),
    el('tbody', {}, (f.requirements || []).map((q) => el('tr', {},
      el('td', {}, q.name, q.core ? el('span', { class: 'muted' }, t('start.core_mark')) : null), el('td', {}, levelName(q.level)),
      el('td', {}, callWord(q.call)), el('td', { class: 'num' }, chance(q.p)),
      el('td', { class: 'num' }, q.call === 'meets' || q.call === 'below' ? chance(q.p_wrong) : '—'))))));
}

// Why a requirement at 91% can be undecided while one at 89% is met: the
// call needs the requirement's own answers too, not the links between skills
// alone (docs/careers.md "Calls"). Said under the table when it happens.
function linksNote(reqs) {
  const odd = reqs.filter((q) => q.call === 'undecided' && (q.p >= 0.8 || q.p <= 0.2));
  return odd.length ? el('p', { class: 'muted calls-links' }, t('report.undecided_links', { pct: odd.map((q) => chance(q.p)).join(t('list.sep')) })) : null;
}

// "Measure this skill further": a short follow-up session on this skill whose
// answers join this test's profile (POST /api/tests/:id/followup), then its questions.
function followupButton(g) {
  const msg = el('span', { class: 'muted', role: 'status' });
  const b = el('button', {
    class: 'button secondary', type: 'button',
    onclick: async () => {
      b.disabled = true;
      try {
        const res = await api('POST', `/api/tests/${id}/followup`, { skills: [g.skill] });
        location.href = `/test.html#${res.test.id}`;
      } catch (e) {
        b.disabled = false;
        showError(msg, e);
      }
    },
  }, t('report.measure_further', { skill: g.name }));
  return el('p', { style: 'margin:6px 0 0' }, b, ' ', msg);
}

// A team member's report: the member alone decides whether the team sees it.
function teamCard(team) {
  const msg = el('span', { class: 'muted', role: 'status', id: 'share-status' });
  const say = (shared) => t(shared ? 'report.team_sees' : 'report.team_does_not_see', { team: team.name });
  const b = el('button', { type: 'button', id: 'share', class: team.shared ? 'secondary' : '' }, t(team.shared ? 'report.stop_sharing' : 'report.share'));
  msg.textContent = say(team.shared);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const res = await api('POST', `/api/tests/${id}/share`, { share: !team.shared });
      team.shared = res.shared;
      b.textContent = t(team.shared ? 'report.stop_sharing' : 'report.share');
      b.className = team.shared ? 'secondary' : '';
      msg.textContent = say(team.shared);
    } catch (e) {
      showError(msg, e);
    }
    b.disabled = false;
  });
  return el('div', { class: 'card', id: 'team-share', style: 'margin:0 0 16px' },
    el('p', { style: 'margin:0 0 8px' }, t('report.team_about')),
    el('div', { class: 'actions', style: 'margin-top:0' }, b, msg));
}

async function load() {
  await header('');
  if (!/^\d+$/.test(id)) { showError(document.getElementById('error'), { message: t('report.no_report') }); return; }
  try {
    render(await api('GET', inLang(`/api/tests/${id}/report`)));
  } catch (e) {
    document.getElementById('loading').remove();
    showError(document.getElementById('error'), e);
  }
}

load();
