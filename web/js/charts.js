// SVG charts of the report pages, built with DOM calls (no HTML strings).
// Each chart is drawn for the width it gets (1 SVG unit = 1 CSS pixel, so text
// keeps its size): labels sit left of the rows when there is room for them,
// and above the rows on narrow screens.
import { chance } from './chance.js';
import { t } from './i18n.js';
const NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif';
const INK = '#1b2430', MUTED = '#5a6472';

function s(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

let measureCtx = null;
function textWidth(text, size, weight = 400) {
  if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
  measureCtx.font = `${weight} ${size}px ${FONT}`;
  return measureCtx.measureText(text).width;
}

// The label column: as wide as the longest label, at most 40% of the chart.
function labelColumn(labels, width, size, weight) {
  const widest = Math.max(0, ...labels.map((t) => textWidth(t, size, weight)));
  return Math.min(Math.ceil(widest) + 14, Math.round(width * 0.4));
}

// A label that fits in maxW pixels: cut with an ellipsis, full text as a tooltip.
function label(text, attrs, maxW, size, weight = 400) {
  let t = text;
  if (textWidth(t, size, weight) > maxW) {
    while (t.length > 1 && textWidth(`${t}…`, size, weight) > maxW) t = t.slice(0, -1);
    t = `${t.trimEnd()}…`;
  }
  // a white halo keeps the text readable over grid lines
  const e = s('text', { ...attrs, 'font-size': size, 'font-weight': weight, fill: INK, stroke: '#fff', 'stroke-width': 3,
    'stroke-linejoin': 'round', 'paint-order': 'stroke' }, t);
  if (t !== text) e.append(s('title', {}, text));
  return e;
}

const BAND = ['#f3f4f6', '#e4eaf5', '#d3def3', '#bfd0f0', '#a9c0ec'];
export const NARROW = 560;

// Skill profile: per skill the estimate and its 95% interval over the level bands.
// skills: [{name, theta, se, cuts[4], measured, level}], levels: names.
export function profileChart(skills, levels, width = 760) {
  const narrow = width < NARROW;
  // level names: in one line when they fit their bands, else in two staggered lines
  const lo = -3, hi = 3, right = narrow ? 6 : 18;
  const left = narrow ? 6 : labelColumn(skills.map((k) => k.name), width, 13);
  const levelSize = narrow ? 11 : 12;
  const stagger = levels.some((name) => textWidth(name, levelSize) + 6 > (width - left - right) / 6);
  const top = stagger ? 44 : 30;
  const row = narrow ? 48 : 30, bandY = narrow ? 20 : 3, bandH = narrow ? 22 : 24;
  const plotW = width - left - right;
  const height = top + row * skills.length + 8;
  const x = (t) => left + ((Math.max(lo, Math.min(hi, t)) - lo) / (hi - lo)) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart',
    'aria-label': t('chart.profile_aria') });
  skills.forEach((k, i) => {
    const y = top + i * row;
    const mid = y + bandY + bandH / 2;
    const cuts = [lo, ...(k.cuts || [-1, 0, 1, 2]), hi];
    for (let b = 0; b < 5; b++) {
      svg.append(s('rect', { x: x(cuts[b]), y: y + bandY, width: Math.max(0, x(cuts[b + 1]) - x(cuts[b])), height: bandH, fill: BAND[b] }));
    }
    svg.append(narrow
      ? label(k.name, { x: left, y: y + 14 }, plotW, 13, 600)
      : label(k.name, { x: left - 10, y: mid + 4, 'text-anchor': 'end' }, left - 14, 13));
    if (k.measured) {
      const a = x(k.theta - 1.96 * k.se), b = x(k.theta + 1.96 * k.se), c = x(k.theta);
      const g = s('g', { stroke: '#1d3f8f', 'stroke-width': 2 });
      g.append(s('line', { x1: a, x2: b, y1: mid, y2: mid }), s('line', { x1: a, x2: a, y1: mid - 6, y2: mid + 6 }),
        s('line', { x1: b, x2: b, y1: mid - 6, y2: mid + 6 }));
      svg.append(g);
      const dot = s('circle', { cx: c, cy: mid, r: 6, fill: '#2456c7', stroke: '#fff', 'stroke-width': 2 });
      dot.append(s('title', {}, t('chart.dot_title', { skill: k.name, level: k.level, theta: k.theta.toFixed(2), ci: (1.96 * k.se).toFixed(2) })));
      svg.append(dot);
    } else {
      svg.append(s('text', { x: x(0), y: mid + 4, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }, t('chart.not_measured')));
    }
  });
  // level names along the top, at the middle of the first skill's bands
  const cuts = [lo, ...((skills[0] && skills[0].cuts) || [-1, 0, 1, 2]), hi];
  levels.forEach((name, b) => {
    svg.append(s('text', { x: (x(cuts[b]) + x(cuts[b + 1])) / 2, y: stagger && b % 2 ? 34 : 18, 'text-anchor': 'middle', 'font-size': levelSize, fill: MUTED }, name));
  });
  return svg;
}

// Role fit: per role the fit (0..1) with a ±1 SD band, best first.
export function fitChart(roles, target, width = 760, aria = t('report.fit_chart')) {
  const narrow = width < NARROW;
  const right = 44, top = 8;
  const left = narrow ? 14 : labelColumn(roles.map((r) => r.name), width, 13, 700);
  const row = narrow ? 44 : 28, barY = narrow ? 20 : 6, barH = 16;
  const plotW = width - left - right;
  const height = top + row * roles.length + 24;
  const x = (v) => left + Math.max(0, Math.min(1, v)) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart',
    'aria-label': aria });
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(s('line', { x1: x(t), x2: x(t), y1: top, y2: height - 20, stroke: '#e5e8ec' }));
    svg.append(s('text', { x: x(t), y: height - 6, 'text-anchor': 'middle', 'font-size': 11, fill: MUTED }, `${Math.round(t * 100)}%`));
  }
  roles.forEach((r, i) => {
    const y = top + i * row;
    const mid = y + barY + barH / 2;
    const hot = r.role === target;
    svg.append(narrow
      ? label(r.name, { x: left, y: y + 14 }, plotW + right - 4, 13, hot ? 700 : 500)
      : label(r.name, { x: left - 10, y: mid + 4, 'text-anchor': 'end' }, left - 14, 13, hot ? 700 : 400));
    svg.append(s('rect', { x: left, y: y + barY, width: Math.max(0, x(r.fit) - left), height: barH, rx: 3, fill: hot ? '#2456c7' : '#8fa9dd' }));
    const sd = r.sd || 0;
    if (sd > 0) svg.append(s('line', { x1: x(r.fit - sd), x2: x(r.fit + sd), y1: mid, y2: mid, stroke: INK, 'stroke-width': 1.5 }));
    svg.append(s('text', { x: x(Math.min(1, r.fit + sd)) + 6, y: mid + 4, 'font-size': 12, fill: INK }, chance(r.fit)));
  });
  return svg;
}
