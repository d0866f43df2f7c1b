// Renders the small markup of item text (docs/bank-format.md) into DOM nodes:
// fenced code blocks, `inline code`, **bold**, $math$ in a TeX-like subset,
// paragraphs. Everything is built with DOM calls; nothing is parsed as HTML.

const SYMBOLS = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', Pi: 'Π',
  sum: '∑', prod: '∏', int: '∫', cdot: '·', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥',
  ne: '≠', neq: '≠', approx: '≈', sim: '∼', in: '∈', notin: '∉', to: '→', rightarrow: '→',
  leftarrow: '←', infty: '∞', top: '⊤', lVert: '‖', rVert: '‖', Vert: '‖', lvert: '|', rvert: '|',
  partial: '∂', nabla: '∇', pm: '±', mp: '∓', propto: '∝', dots: '…', ldots: '…', cdots: '⋯',
  forall: '∀', exists: '∃', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', mid: '∣', ast: '∗',
  langle: '⟨', rangle: '⟩', quad: '\u2003', qquad: '\u2003\u2003', ',': '\u2009', ';': '\u2005',
  '!': '', ' ': ' ', '{': '{', '}': '}', '%': '%', '$': '$', '_': '_', '#': '#', '&': '&',
};
const FUNCTIONS = new Set(['log', 'exp', 'sin', 'cos', 'tan', 'tanh', 'max', 'min', 'arg', 'argmax',
  'argmin', 'det', 'tr', 'sup', 'inf', 'lim', 'softmax', 'Var', 'Cov', 'rank', 'diag', 'sign']);
const BLACKBOARD = { E: '𝔼', R: 'ℝ', N: 'ℕ', Z: 'ℤ', P: 'ℙ', Q: 'ℚ', C: 'ℂ' };
// Typesetting as TeX does: spaces in the source are ignored; relations and
// binary operators get medium spaces (binary ones only between operands),
// function names thin spaces; the hyphen is a minus sign.
const RELATIONS = new Set(['=', '<', '>', '≤', '≥', '≠', '≈', '∼', '∈', '∉', '→', '←', '∝', '⊂', '⊆']);
const BINARY = new Set(['+', '−', '×', '·', '±', '∓', '∪', '∩']);
const MSP = '\u2005', THIN = '\u2009';

// Parses TeX from s starting at i; returns [nodes, nextIndex]. stop: closing char or ''.
function parseMath(s, i, stop) {
  const out = [];
  let text = '';
  const flush = () => { if (text) { out.push(document.createTextNode(text)); text = ''; } };
  const last = () => {
    if (text) return text[text.length - 1];
    const n = out[out.length - 1];
    return n ? n.textContent.slice(-1) : '';
  };
  const operator = (sym) => {
    const prev = last();
    const operand = prev !== '' && !/[\s([{⟨|‖,;:]/.test(prev) && !RELATIONS.has(prev) && !BINARY.has(prev);
    if (RELATIONS.has(sym)) text += prev ? `${MSP}${sym}${MSP}` : `${sym}${MSP}`;
    else text += operand ? `${MSP}${sym}${MSP}` : sym;
  };
  // the raw text of a {...} argument (for \text: spaces kept, nothing parsed)
  const raw = (j) => {
    while (s[j] === ' ') j++;
    if (s[j] !== '{') return [s[j] || '', j + 1];
    let depth = 1, k = j + 1;
    while (k < s.length && depth) { if (s[k] === '{') depth++; else if (s[k] === '}') depth--; k++; }
    return [s.slice(j + 1, depth ? k : k - 1), k];
  };
  const upright = (content) => {
    const e = document.createElement('span');
    e.className = 'up';
    e.textContent = content;
    return e;
  };
  const group = (j) => {
    // one argument: {...} or a single character / command
    while (s[j] === ' ') j++;
    if (s[j] === '{') return parseMath(s, j + 1, '}');
    if (s[j] === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(s.slice(j));
      const [nodes] = parseMath(m[0], 0, '');
      return [nodes, j + m[0].length];
    }
    return [[document.createTextNode(s[j] || '')], j + 1];
  };
  while (i < s.length) {
    const ch = s[i];
    if (stop && ch === stop) { flush(); return [out, i + 1]; }
    if (ch === '{') { flush(); const [n, j] = parseMath(s, i + 1, '}'); out.push(...n); i = j; continue; }
    if (ch === '^' || ch === '_') {
      flush();
      const [n, j] = group(i + 1);
      const e = document.createElement(ch === '^' ? 'sup' : 'sub');
      e.append(...n);
      out.push(e);
      i = j;
      continue;
    }
    if (ch === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
      if (!m) { text += ch; i++; continue; }
      const name = m[1];
      i += m[0].length;
      if (name === 'frac') {
        flush();
        const [a, j] = group(i);
        const [b, k] = group(j);
        const f = document.createElement('span');
        f.className = 'frac';
        const top = document.createElement('span'); top.append(...a);
        const bot = document.createElement('span'); bot.append(...b);
        f.append(top, bot);
        out.push(f);
        i = k;
      } else if (name === 'sqrt') {
        flush();
        const [a, j] = group(i);
        const r = document.createElement('span');
        r.append('√');
        const inner = document.createElement('span');
        inner.style.borderTop = '1px solid currentColor';
        inner.append(...a);
        r.append(inner);
        out.push(r);
        i = j;
      } else if (name === 'mathbb') {
        const [a, j] = group(i);
        const t = a.map((n) => n.textContent).join('');
        text += [...t].map((c) => BLACKBOARD[c] || c).join('');
        i = j;
      } else if (name === 'text' || name === 'mathrm') {
        flush();
        const [t, j] = raw(i);
        out.push(upright(t));
        i = j;
      } else if (name === 'mathbf') {
        flush();
        const [a, j] = group(i);
        const e = document.createElement('b');
        e.append(...a);
        out.push(e);
        i = j;
      } else if (name === 'hat' || name === 'bar' || name === 'tilde' || name === 'vec') {
        const [a, j] = group(i);
        const mark = { hat: '\u0302', bar: '\u0304', tilde: '\u0303', vec: '\u20d7' }[name];
        text += a.map((n) => n.textContent).join('') + mark;
        i = j;
      } else if (name === 'left' || name === 'right' || name === 'big' || name === 'Big') {
        // sizing commands: keep the delimiter that follows
      } else if (FUNCTIONS.has(name) || name === 'operatorname') {
        let fname = name;
        if (name === 'operatorname') { const [t, j] = raw(i); fname = t; i = j; }
        if (/[\p{L}\p{N})\]}]/u.test(last())) text += THIN;
        flush();
        out.push(upright(fname));
        let k = i;
        while (s[k] === ' ') k++;
        if (k < s.length && !'(^_}'.includes(s[k]) && s[k] !== stop) text += THIN;
      } else if (name in SYMBOLS) {
        const sym = SYMBOLS[name];
        if (RELATIONS.has(sym) || BINARY.has(sym)) operator(sym);
        else text += sym;
      } else {
        // a command this renderer does not know: shown as written, marked for tests and authors
        flush();
        const e = upright(`\\${name}`);
        e.classList.add('tex-unknown');
        out.push(e);
      }
      continue;
    }
    if (ch === ' ') { i++; continue; }
    if (ch === '-' || RELATIONS.has(ch) || BINARY.has(ch)) operator(ch === '-' ? '−' : ch);
    else if (ch === ',' || ch === ';') text += ch + THIN;
    else text += ch;
    i++;
  }
  flush();
  return [out, i];
}

// Letters in italics, everything else upright (as TeX sets math): wraps runs
// of Latin and lowercase Greek letters outside upright spans in <i>.
function italicize(root) {
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (!n.parentElement.closest('.up')) nodes.push(n);
  for (const n of nodes) {
    const parts = n.textContent.split(/((?:[A-Za-zα-ω][\u0300-\u036f\u20d7]*)+)/);
    if (parts.length === 1) continue;
    n.replaceWith(...parts.map((t, k) => {
      if (k % 2 === 0) return t;
      const e = document.createElement('i');
      e.textContent = t;
      return e;
    }).filter((x) => x !== ''));
  }
}

export function renderMath(tex) {
  const span = document.createElement('span');
  span.className = 'math';
  const [nodes] = parseMath(tex, 0, '');
  span.append(...nodes);
  italicize(span);
  span.setAttribute('aria-label', tex);
  return span;
}

// Inline markup of one paragraph: `code`, **bold**, $math$.
export function renderInline(text) {
  const frag = document.createDocumentFragment();
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\$([^$]+)\$/g;
  let last = 0, m;
  while ((m = re.exec(text))) {
    if (m.index > last) frag.append(text.slice(last, m.index));
    if (m[1] !== undefined) { const c = document.createElement('code'); c.textContent = m[1]; frag.append(c); }
    else if (m[2] !== undefined) { const b = document.createElement('strong'); b.textContent = m[2]; frag.append(b); }
    else frag.append(renderMath(m[3]));
    last = re.lastIndex;
  }
  if (last < text.length) frag.append(text.slice(last));
  return frag;
}

// Block markup: fenced code and paragraphs. Returns a DocumentFragment.
export function renderMarkup(text) {
  const frag = document.createDocumentFragment();
  const lines = String(text || '').split('\n');
  let para = [];
  const flush = () => {
    if (para.length) {
      const p = document.createElement('p');
      p.append(renderInline(para.join(' ')));
      frag.append(p);
      para = [];
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```\s*([A-Za-z0-9_+-]*)\s*$/.exec(lines[i]);
    if (fence) {
      flush();
      const code = [];
      i++;
      while (i < lines.length && !/^```\s*$/.test(lines[i])) code.push(lines[i++]);
      const pre = document.createElement('pre');
      const c = document.createElement('code');
      if (fence[1]) c.dataset.lang = fence[1];
      c.textContent = code.join('\n');
      pre.append(c);
      frag.append(pre);
    } else if (lines[i].trim() === '') {
      flush();
    } else {
      para.push(lines[i]);
    }
  }
  flush();
  return frag;
}
