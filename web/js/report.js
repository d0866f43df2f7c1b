// The report page: skill profile, role fit, gaps and plan, interview loop,
// and every question answered with the key and its explanation.
import { api, el, header, showError } from './api.js';
import { fitChart, profileChart } from './charts.js';
import { renderMarkup } from './markup.js';

const id = location.hash.slice(1);
const main = document.getElementById('report');
const pct = (v) => `${Math.round(100 * v)}%`;

function kpi(value, label) {
  return el('div', { class: 'card kpi' }, el('div', { class: 'v' }, value), el('div', { class: 'k' }, label));
}

function answerReview(a) {
  const opts = el('ol', { type: 'A' }, a.options.map((o, i) => {
    const mark = i === a.key ? ' ✓ correct answer' : i === a.choice ? ' ✗ your answer' : '';
    return el('li', { class: i === a.key ? 'right' : i === a.choice ? 'yours' : '' }, renderMarkup(o), mark ? el('strong', {}, mark) : null);
  }));
  opts.querySelectorAll('p').forEach((p) => { p.style.display = 'inline'; p.style.margin = '0'; });
  return el('div', { class: a.correct ? 'missed ok' : 'missed', style: a.correct ? 'border-left-color: var(--good)' : '' },
    el('div', { class: 'muted', style: 'font-size:13px' }, `${a.correct ? 'Right' : 'Missed'} · ${a.tags.join(', ')}`),
    renderMarkup(a.stem), opts,
    el('div', {}, el('strong', {}, 'Why: '), renderMarkup(a.explanation)));
}

function render(r) {
  main.replaceChildren();
  const fits = (r.roles || []).slice().sort((a, b) => b.fit - a.fit);
  const t = r.target || {};
  const tf = fits.find((f) => f.role === t.role) || fits[0];
  main.append(
    el('h1', {}, t.name ? `Your fit for ${t.name}` : 'Your skill profile'),
    el('p', { class: 'lead' }, `Measured ${r.skills_measured} of ${r.skills_total} skills. Every figure carries its uncertainty: a short test measures coarsely, and the intervals say how coarsely.`),
    el('div', { class: 'kpis' },
      tf ? kpi(`${pct(tf.fit)} ± ${pct(tf.sd || 0)}`, `fit to ${tf.name}: expected share of its weighted requirements you meet`) : null,
      tf ? kpi(pct(tf.p_core), 'probability you meet every core skill at the required level') : null,
      fits[0] ? kpi(fits[0].name, `best-fitting role (${pct(fits[0].fit)})`) : null),
    el('div', { class: 'actions' },
      el('a', { class: 'button secondary', href: `/api/tests/${id}/report.html`, download: `rolefit-report-${id}.html` }, 'Download the report (HTML)')));

  main.append(el('h2', {}, 'Skill profile'),
    el('p', { class: 'muted' }, 'Dots are estimates; whiskers are 95% intervals; bands are the proficiency levels.'),
    el('div', { class: 'card' }, profileChart(r.skills.filter((k) => k.measured).concat(r.skills.filter((k) => !k.measured && (r.gaps || []).some((g) => g.skill === k.skill))), r.levels || ['novice', 'developing', 'proficient', 'advanced', 'expert'])));

  main.append(el('h2', {}, 'Fit to every role'), el('div', { class: 'card' }, fitChart(fits, t.role)));

  if (r.gaps && r.gaps.length) {
    main.append(el('h2', {}, 'Gaps and what to learn next'));
    main.append(...r.gaps.map((g) => el('div', { class: 'card', style: 'margin-bottom:12px' },
      el('h3', {}, `${g.name} — needed: ${g.level}${g.core ? ' (core)' : ''}`),
      el('p', { class: 'muted', style: 'margin:0 0 8px' }, g.measured
        ? `Probability you are at that level: ${pct(g.p)}.`
        : 'Not measured in this test: counted at the population prior, not as met.'),
      g.missed && g.missed.length ? el('p', { style: 'margin:0 0 8px' }, 'Concepts you missed: ',
        ...g.missed.map((m, i) => [i ? ', ' : '', el('strong', {}, m.tag.replace(/_/g, ' ')), m.note ? ` (${m.note})` : ''])) : null,
      g.study && g.study.focus ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, 'Study: '), g.study.focus) : null,
      g.study && g.study.practice ? el('p', { style: 'margin:0 0 6px' }, el('strong', {}, 'Practice: '), g.study.practice) : null,
      g.blocks && g.blocks.length ? el('p', { class: 'reason', style: 'margin:0' }, `Also blocks: ${g.blocks.map((b) => b.name).join(', ')}`) : null)));
  }

  if (r.loop && r.loop.length) {
    main.append(el('h2', {}, `How ${t.name || 'this role'} is usually interviewed`),
      el('ol', {}, r.loop.map((s) => el('li', {}, el('strong', {}, s.stage), ` — ${s.what}`))));
  }

  const answers = (r.answers || []).slice().sort((a, b) => Number(a.correct) - Number(b.correct));
  if (answers.length) {
    main.append(el('h2', {}, `Your answers (${answers.filter((a) => a.correct).length} of ${answers.length} right)`),
      el('p', { class: 'muted' }, 'An adaptive test picks harder questions after right answers and easier ones after wrong answers, so the share right says little by itself; the profile above is the measurement.'),
      ...answers.map(answerReview));
  }
}

async function load() {
  await header('');
  if (!/^\d+$/.test(id)) { showError(document.getElementById('error'), { message: 'No report here.' }); return; }
  try {
    render(await api('GET', `/api/tests/${id}/report`));
  } catch (e) {
    document.getElementById('loading').remove();
    showError(document.getElementById('error'), e);
  }
}

load();
