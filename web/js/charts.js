// SVG charts of the report pages, built with DOM calls (no HTML strings).
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const BAND = ['#f3f4f6', '#e4eaf5', '#d3def3', '#bfd0f0', '#a9c0ec'];

// Skill profile: per skill the estimate and its 95% interval over the level bands.
// skills: [{name, theta, se, cuts[4], measured, level}], levels: names.
export function profileChart(skills, levels) {
  const lo = -3, hi = 3, left = 210, right = 24, row = 30, top = 34;
  const width = 760, plotW = width - left - right;
  const height = top + row * skills.length + 16;
  const x = (t) => left + ((Math.max(lo, Math.min(hi, t)) - lo) / (hi - lo)) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%',
    'aria-label': 'Skill profile: estimate and 95% interval for each skill, over the proficiency levels' });
  skills.forEach((k, i) => {
    const y = top + i * row;
    const cuts = [lo, ...(k.cuts || [-1, 0, 1, 2]), hi];
    for (let b = 0; b < 5; b++) {
      svg.append(s('rect', { x: x(cuts[b]), y: y + 3, width: Math.max(0, x(cuts[b + 1]) - x(cuts[b])), height: row - 6, fill: BAND[b] }));
    }
    svg.append(s('text', { x: left - 10, y: y + row / 2 + 4, 'text-anchor': 'end', 'font-size': 13, fill: '#1b2430' }, k.name));
    if (k.measured) {
      const a = x(k.theta - 1.96 * k.se), b = x(k.theta + 1.96 * k.se), c = x(k.theta);
      svg.append(s('line', { x1: a, x2: b, y1: y + row / 2, y2: y + row / 2, stroke: '#1d3f8f', 'stroke-width': 2 }));
      svg.append(s('line', { x1: a, x2: a, y1: y + 9, y2: y + row - 9, stroke: '#1d3f8f', 'stroke-width': 2 }));
      svg.append(s('line', { x1: b, x2: b, y1: y + 9, y2: y + row - 9, stroke: '#1d3f8f', 'stroke-width': 2 }));
      const dot = s('circle', { cx: c, cy: y + row / 2, r: 6, fill: '#2456c7', stroke: '#fff', 'stroke-width': 2 });
      dot.append(s('title', {}, `${k.name}: ${k.level} (θ = ${k.theta.toFixed(2)} ± ${(1.96 * k.se).toFixed(2)})`));
      svg.append(dot);
    } else {
      svg.append(s('text', { x: x(0), y: y + row / 2 + 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#5a6472' }, 'not measured'));
    }
  });
  // level names along the top, placed at the middle of the first skill's bands
  const cuts = [lo, ...((skills[0] && skills[0].cuts) || [-1, 0, 1, 2]), hi];
  levels.forEach((name, b) => {
    svg.append(s('text', { x: (x(cuts[b]) + x(cuts[b + 1])) / 2, y: 20, 'text-anchor': 'middle', 'font-size': 12, fill: '#5a6472' }, name));
  });
  return svg;
}

// Role fit: per role the fit (0..1) with a ±1 SD band, best first.
export function fitChart(roles, target) {
  const left = 230, right = 60, row = 28, top = 10;
  const width = 760, plotW = width - left - right;
  const height = top + row * roles.length + 24;
  const x = (v) => left + Math.max(0, Math.min(1, v)) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%',
    'aria-label': 'Role fit: expected share of weighted requirements met, with one standard deviation' });
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(s('line', { x1: x(t), x2: x(t), y1: top, y2: height - 20, stroke: '#e5e8ec' }));
    svg.append(s('text', { x: x(t), y: height - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#5a6472' }, `${Math.round(t * 100)}%`));
  }
  roles.forEach((r, i) => {
    const y = top + i * row;
    const hot = r.role === target;
    svg.append(s('text', { x: left - 10, y: y + row / 2 + 4, 'text-anchor': 'end', 'font-size': 13, fill: '#1b2430', 'font-weight': hot ? 700 : 400 }, r.name));
    svg.append(s('rect', { x: left, y: y + 6, width: x(r.fit) - left, height: row - 12, rx: 3, fill: hot ? '#2456c7' : '#8fa9dd' }));
    const sd = r.sd || 0;
    svg.append(s('line', { x1: x(r.fit - sd), x2: x(r.fit + sd), y1: y + row / 2, y2: y + row / 2, stroke: '#1b2430', 'stroke-width': 1.5 }));
    svg.append(s('text', { x: x(Math.min(1, r.fit + sd)) + 6, y: y + row / 2 + 4, 'font-size': 12, fill: '#1b2430' }, `${Math.round(r.fit * 100)}%`));
  });
  return svg;
}
