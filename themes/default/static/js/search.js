// Site search: loads the index shards that a query needs from /search/ and
// ranks pages in the browser. No framework, no other hosts, no storage.
// The build (src/render/search/) does the language work; this file folds
// the query the same way and looks its words up. Pure functions are
// exported for the tests in tests/search-client/.

const SPECIAL = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', '’': "'", '‘': "'", 'ʼ': "'" };
const CODE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WORD = /[\p{Alphabetic}\p{N}]+(?:'[\p{Alphabetic}\p{N}]+)*/gu;
const RAW_WORD = /[\p{Alphabetic}\p{N}\p{M}]+(?:['’‘ʼ][\p{Alphabetic}\p{N}\p{M}]+)*/gu;
// Weights of a query word's matches, relative to an exact match.
const SYNONYM = 0.8, PREFIX = 0.8, STRIPPED = 0.7, TYPO = 0.6, LOOSE = 0.45;
// Bonus for a page whose title the query matches as a whole, times the
// share of the query's words that are in that title.
const WHOLE_TITLE = 0.25;
const PARTICLES = ['uit', 'door', 'aan', 'op', 'af', 'in', 'mee', 'na', 'om', 'over', 'toe', 'weg', 'terug', 'lastig'];

/** Lowercase and drop diacritics: "Coördinator" → "coordinator". Mirrors text.rs. */
export function fold(s) {
  return s.normalize('NFKD').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[ßæœøłđ’‘ʼ]/g, (c) => SPECIAL[c]);
}

/** The surface words of a query, as the index spells them. */
export function words(s) {
  const out = [];
  for (const m of fold(s).matchAll(WORD)) {
    const w = m[0].replace(/'/g, '');
    const n = [...w].length;
    if (n >= 2 && n <= 40) out.push(w);
  }
  return out;
}

/** True if a and b differ by at most one insertion, deletion, substitution or swap. */
export function withinOneEdit(a, b) {
  if (a === b) return true;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Forms of an unknown word without its Dutch prefix or ending, as the
 * stemmer would cut it: "gepest" → "pest", "doorsturen" → "doorstuur".
 * The index carries stems as words, so these forms can be looked up.
 */
export function variants(w) {
  const out = new Set();
  const bases = [w];
  if (w.startsWith('ge') && w.length >= 6) bases.push(w.slice(2));
  for (const p of PARTICLES) {
    if (w.startsWith(p + 'ge') && w.length >= p.length + 5) bases.push(p + w.slice(p.length + 2));
  }
  for (const b of bases) {
    out.add(b);
    for (const end of ['tje', 'je', 'en', 'de', 'te', 'e', 's', 't', 'd']) {
      if (b.endsWith(end) && b.length - end.length >= 3) {
        const s = b.slice(0, -end.length);
        out.add(s);
        // An open syllable was a long vowel: "sturen" → "stuur".
        const m = /(^|[^aeiou])([aeou])([^aeiouwxy])$/.exec(s);
        if (m && ['en', 'e', 'de', 'te'].includes(end)) out.add(s.slice(0, -1) + m[2] + m[3]);
        break;
      }
    }
  }
  out.delete(w);
  return [...out];
}

/** An index read through `load(path, version)`, which resolves to parsed JSON. */
export function createIndex(load) {
  return { load, meta: null, shards: new Map(), docs: new Map() };
}

async function meta(index) {
  if (!index.meta) index.meta = index.load('meta.json').then((m) => ({ ...m, stopSet: new Set(m.stop) }));
  return index.meta;
}

function shard(index, m, i) {
  if (!index.shards.has(i)) {
    index.shards.set(i, index.load(`s/${i}.json`, m.h).then((s) => ({ ...s, i })));
  }
  return index.shards.get(i);
}

/** The shard that holds word w: the last one whose first word is ≤ w. */
export function shardOf(firsts, w) {
  let lo = 0, hi = firsts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (firsts[mid] <= w) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The shards a word needs: its own, and for a prefix the next ones that
// start with it (up to three; past that the shard's completions serve).
function shardsFor(m, w, prefix) {
  const i = shardOf(m.s, w);
  const out = [i];
  if (prefix) {
    for (let j = i; j < m.s.length && m.s[j].startsWith(w) && out.length < 3; j++) out.push(j + 1);
  }
  return out;
}

/** Shards next to w's own that may hold words one edit from it. */
export function neighbours(firsts, w) {
  const i = shardOf(firsts, w), head = w.slice(0, 3), out = [];
  if (i > 0 && firsts[i - 1].startsWith(head)) out.push(i - 1);
  if (i < firsts.length && firsts[i].startsWith(head)) out.push(i + 1);
  return out;
}

// A term entry is [term, idf, postings]. The postings are packed in one
// string of CODE characters, column by column: the count, the doc deltas,
// two characters each of score × 8 + 4 if in the title + part count, then
// the parts. Numbers take five bits a character, low bits first; a
// character from the second half of CODE says that more follow.
const DIGIT = new Int8Array(128);
for (let i = 0; i < 64; i++) DIGIT[CODE.charCodeAt(i)] = i;
function reader(s) {
  let k = 0;
  return {
    num() {
      let v = 0, f = 1, d;
      while ((d = DIGIT[s.charCodeAt(k++)]) >= 32) { v += (d - 32) * f; f *= 32; }
      return v + d * f;
    },
    pair() { return DIGIT[s.charCodeAt(k++)] * 64 + DIGIT[s.charCodeAt(k++)]; },
  };
}
function decode(t) {
  if (!t.p) {
    const r = reader(t[2]), idf = t[1], n = r.num(), docs = new Array(n), xs = new Array(n), p = new Array(n);
    let doc = 0;
    for (let i = 0; i < n; i++) docs[i] = doc += r.num();
    for (let i = 0; i < n; i++) xs[i] = r.pair();
    for (let i = 0; i < n; i++) {
      const x = xs[i], parts = [];
      for (let j = x & 3; j > 0; j--) parts.push(r.num());
      p[i] = { doc: docs[i], score: idf * (x >> 3), title: (x & 4) > 0, parts };
    }
    t.p = p;
  }
  return t.p;
}

// The highest idf of the terms a vocabulary entry names itself (not as a synonym).
function ownIdf(sh, refs) {
  let own = 0;
  for (const r of refs) if (r >= 0) own = Math.max(own, sh.t[r][1]);
  return own;
}

// Adds the terms of a vocabulary entry to a word's candidates. A synonym
// stands in for the word: it counts with the idf of the word's own term
// when that is lower, so a rare synonym cannot outrank the word itself.
// With cap (the idf of the complete word typed), every term counts with at
// most that idf: a completion of a word cannot outrank the word.
function addRefs(cands, sh, refs, weight, surface, cap = 0) {
  const own = cap || ownIdf(sh, refs);
  for (const r of refs) {
    const t = sh.t[r < 0 ? -r - 1 : r];
    let w = r < 0 ? weight * SYNONYM : weight;
    if (own && own < t[1] && (r < 0 || cap)) w *= own / t[1];
    const c = cands.get(t[0]);
    if (!c || c.w < w) cands.set(t[0], { t, w, surface });
  }
}

// How many pages a vocabulary entry's first term is on (the count that
// starts its postings).
function popularity(sh, refs) {
  return refs.length ? reader(sh.t[refs[0] < 0 ? -refs[0] - 1 : refs[0]][2]).num() : 0;
}

// Finds a word's candidate terms in its loaded shards.
function match(q, shs) {
  const cands = new Map();
  const w = q.w;
  let cap = 0;
  for (const sh of shs) {
    if (sh.w[w]) {
      addRefs(cands, sh, sh.w[w], 1, w);
      cap = Math.max(cap, ownIdf(sh, sh.w[w]));
    }
  }
  const exact = cands.size > 0;
  if (q.prefix && [...w].length >= 2) {
    let found = shs[0].c && shs.length === 1 ? shs[0].c[w] : null;
    if (!found) {
      found = [];
      for (const sh of shs) for (const k in sh.w) if (k !== w && k.startsWith(w)) found.push([k, sh.w[k], sh]);
    } else found = found.map(([k, refs]) => [k, refs, shs[0]]);
    found = found.map((f) => [...f, popularity(f[2], f[1])]);
    found.sort((a, b) => b[3] - a[3] || (a[0] < b[0] ? -1 : 1));
    for (const [k, refs, sh] of found.slice(0, 10)) addRefs(cands, sh, refs, PREFIX, k, cap);
  }
  if (!exact && w.length >= 5) {
    for (const sh of shs) {
      for (const k in sh.w) {
        if (withinOneEdit(w, k)) addRefs(cands, sh, sh.w[k], TYPO, k);
        else if (q.prefix && k.length > w.length && (withinOneEdit(w, k.slice(0, w.length)) || withinOneEdit(w, k.slice(0, w.length + 1)))) {
          addRefs(cands, sh, sh.w[k], LOOSE, k);
        }
      }
    }
  }
  return cands;
}

/**
 * Ranks the pages for a query. Returns { results, terms } where each result
 * is { doc, score, title (every word hits the title), parts (best first) }
 * and terms lists the matched terms and surface words, for highlighting.
 * opts: { prefix: treat the last word as typed so far (default true),
 *         audience: ['student'], theme: ['melden'] }
 */
export async function search(index, query, opts = {}) {
  const m = await meta(index);
  const all = words(query);
  const typing = opts.prefix !== false && !/[\s.,!?]$/.test(query);
  let qs = all.map((w, i) => ({ w, prefix: typing && i === all.length - 1 }));
  qs = qs.filter((q) => !m.stopSet.has(q.w) || (q.prefix && qs.length === 1));
  qs = qs.filter((q, i) => qs.findIndex((o) => o.w === q.w) === i);
  if (!qs.length) return { results: [], terms: [] };

  const load = (ids) => Promise.all(ids.map((i) => shard(index, m, i)));
  await Promise.all(qs.map(async (q) => {
    q.shs = await load(shardsFor(m, q.w, q.prefix));
    q.cands = match(q, q.shs);
    if (!q.cands.size && q.w.length >= 5) {
      // A typo can sort the word into the shard next to the right one.
      const more = neighbours(m.s, q.w).filter((i) => !q.shs.some((sh) => sh.i === i));
      if (more.length) {
        q.shs.push(...(await load(more)));
        q.cands = match(q, q.shs);
      }
    }
    if (!q.cands.size) {
      // Unknown word: try it without its prefix or ending.
      await Promise.all(variants(q.w).map(async (v) => {
        const shs = await load(shardsFor(m, v, false));
        q.shs.push(...shs);
        for (const [k, c] of match({ w: v }, shs)) {
          if (!q.cands.has(k)) q.cands.set(k, { ...c, w: c.w * STRIPPED });
        }
      }));
    }
  }));

  const found = qs.filter((q) => q.cands.size);
  const n = m.n, sum = new Float64Array(n), hits = new Uint8Array(n), titles = new Uint8Array(n), touched = [];
  // Per word, the best match in each page (its score and posting).
  const per = found.map((q) => {
    const score = new Float64Array(n), post = new Array(n), docs = [];
    for (const c of q.cands.values()) {
      for (const p of decode(c.t)) {
        const s = p.score * c.w;
        if (s > score[p.doc]) {
          if (!score[p.doc]) docs.push(p.doc);
          score[p.doc] = s;
          post[p.doc] = p;
        }
      }
    }
    for (const d of docs) {
      if (!hits[d]) touched.push(d);
      sum[d] += score[d];
      hits[d]++;
      if (post[d].title) titles[d]++;
    }
    return { score, post };
  });
  const aud = opts.audience || [], th = opts.theme || [];
  const results = [];
  for (const d of touched) {
    const code = CODE.indexOf(m.f[d]);
    const key = code >> 2 ? m.th[(code >> 2) - 1][0] : '';
    if (aud.length && code & 3 && !aud.some((a) => code & (a === 'student' ? 1 : a === 'medewerker' ? 2 : 0))) continue;
    if (th.length && !th.includes(key)) continue;
    const cover = hits[d] / found.length;
    const whole = m.l && titles[d] >= CODE.indexOf(m.l[d]) ? 1 + WHOLE_TITLE * titles[d] / found.length : 1;
    results.push({ doc: d, score: sum[d] * cover * cover * whole, title: titles[d] === found.length, parts: [] });
  }
  results.sort((a, b) => b.score - a.score || a.doc - b.doc);
  // The best sections of the pages that can be shown.
  for (const r of results.slice(0, 200)) {
    const parts = new Map();
    for (const { score, post } of per) {
      const p = post[r.doc];
      if (p) p.parts.forEach((part, i) => parts.set(part, (parts.get(part) || 0) + score[r.doc] / (i + 1)));
    }
    r.parts = [...parts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((e) => e[0]);
  }

  // Every surface word of a matched term (in the loaded shards), for <mark>.
  const keys = new Set(), surfaces = new Set(qs.map((q) => q.w));
  for (const q of found) {
    for (const [k, c] of q.cands) {
      keys.add(k);
      surfaces.add(c.surface);
    }
    for (const sh of q.shs) {
      for (const w in sh.w) if (sh.w[w].some((r) => keys.has(sh.t[r < 0 ? -r - 1 : r][0]) && r >= 0)) surfaces.add(w);
    }
  }
  return { results, terms: [...keys], surfaces: [...surfaces] };
}

/**
 * A page's fragment: { u, t, s, th, a, d, p: [[anchor, heading, level, text]] }.
 * Fragments come k pages to a file: page i is item i % k of d/(i / k).
 */
export async function page(index, doc) {
  const m = await meta(index), k = m.k || 1, file = Math.floor(doc / k);
  if (!index.docs.has(file)) index.docs.set(file, index.load(`d/${file}.json`, m.h));
  return (await index.docs.get(file))[doc % k];
}

/** A test for text words that a search matched. */
export function matcher(found) {
  const surfaces = new Set(found.surfaces || []);
  const stems = (found.terms || []).filter((t) => t.length >= 3);
  return (word) => {
    const w = fold(word).replace(/'/g, '');
    return surfaces.has(w) || stems.some((s) => w.startsWith(s) || (s.length >= 5 && w.includes(s)));
  };
}

/** A snippet of about `max` characters around the first match: [{ text, mark }]. */
export function snippet(text, isMatch, max = 160) {
  const hits = [];
  for (const m of text.matchAll(RAW_WORD)) if (isMatch(m[0])) hits.push([m.index, m.index + m[0].length]);
  let start = 0;
  if (hits.length && hits[0][1] > max) {
    start = text.lastIndexOf(' ', hits[0][0] - 40) + 1;
  }
  let end = Math.min(text.length, start + max);
  if (end < text.length) {
    const sp = text.lastIndexOf(' ', end);
    if (sp > start + max / 2) end = sp;
  }
  const out = [];
  if (start > 0) out.push({ text: '… ', mark: false });
  let at = start;
  for (const [a, b] of hits) {
    if (a < at || b > end) continue;
    if (a > at) out.push({ text: text.slice(at, a), mark: false });
    out.push({ text: text.slice(a, b), mark: true });
    at = b;
  }
  if (at < end) out.push({ text: text.slice(at, end), mark: false });
  if (end < text.length) out.push({ text: ' …', mark: false });
  return out;
}

/**
 * What a result shows: { url, title, section, theme, snippet, subs }.
 * It links to the best heading unless every query word is in the title.
 */
export function present(result, frag, found, themes = []) {
  const isMatch = matcher(found);
  const parts = frag.p || [];
  const best = result.parts.find((i) => parts[i]);
  const anchorOf = (i) => (parts[i] && parts[i][0] ? '#' + parts[i][0] : '');
  const url = frag.u + (result.title || best === undefined ? '' : anchorOf(best));
  const th = themes.find((t) => t[0] === frag.th);
  let text = best !== undefined ? parts[best][3] : '';
  let snip = snippet(text, isMatch);
  if (!snip.some((s) => s.mark) && frag.d) snip = snippet(frag.d, isMatch);
  const subs = result.parts
    .filter((i) => parts[i] && parts[i][0] && parts[i][1])
    .slice(0, 3)
    .map((i) => ({ url: frag.u + '#' + parts[i][0], heading: parts[i][1] }));
  return { url, title: frag.t, section: frag.s, theme: th && th[1] !== frag.s ? th[1] : '', snippet: snip, subs };
}

/* ---- In the browser ---- */

const indexes = new Map();
function indexAt(base) {
  if (!indexes.has(base)) {
    indexes.set(base, createIndex((path, v) =>
      fetch(base + path + (v ? '?v=' + v : ''), { credentials: 'same-origin' }).then((r) => {
        if (!r.ok) throw new Error(r.status + ' ' + path);
        return r.json();
      })));
  }
  return indexes.get(base);
}

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}

function snippetNode(tag, segs) {
  const p = el(tag, { class: 'search-snippet' });
  for (const s of segs) p.append(s.mark ? el('mark', { text: s.text }) : s.text);
  return p;
}

function count(n, q) {
  if (!n) return `Geen resultaten voor “${q}”.`;
  return n === 1 ? '1 resultaat.' : `${n} resultaten.`;
}

async function resolve(index, query, opts, limit) {
  const found = await search(index, query, opts);
  const m = await meta(index);
  const top = found.results.slice(0, limit);
  const frags = await Promise.all(top.map((r) => page(index, r.doc)));
  return { found, items: top.map((r, i) => present(r, frags[i], found, m.th)) };
}

let uid = 0;

function enhance(form) {
  const input = form.querySelector('input[name="q"]');
  if (!input || form.dataset.searchReady) return;
  form.dataset.searchReady = '1';
  const index = indexAt(form.dataset.index || '/search/');
  const id = 'search-list-' + ++uid;
  const list = el('ul', { id, role: 'listbox', class: 'search-suggestions', 'aria-label': 'Zoekresultaten' });
  const status = el('p', { class: 'search-status', role: 'status', 'aria-live': 'polite' });
  list.hidden = true;
  form.append(list, status);
  Object.entries({ role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id, autocomplete: 'off' })
    .forEach(([k, v]) => input.setAttribute(k, v));
  let active = -1, seq = 0, timer = 0;

  const options = () => [...list.children];
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const select = (i) => {
    const opts = options();
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach((o, k) => o.setAttribute('aria-selected', String(k === active)));
    input.setAttribute('aria-activedescendant', opts[active].id);
    opts[active].scrollIntoView({ block: 'nearest' });
  };
  const go = (o) => { window.location.href = o.dataset.href; };

  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) { list.replaceChildren(); close(); status.textContent = ''; return; }
    let res;
    try { res = await resolve(index, input.value, {}, 6); } catch (e) { status.textContent = 'Zoeken lukt nu niet.'; return; }
    if (mine !== seq) return;
    const items = res.items.map((it, i) => {
      const o = el('li', { id: `${id}-${i}`, role: 'option', 'aria-selected': 'false', class: 'search-option' },
        el('span', { class: 'search-option-title', text: it.title }),
        el('span', { class: 'search-option-meta', text: [it.section, it.theme].filter(Boolean).join(' · ') }),
        snippetNode('span', it.snippet));
      o.dataset.href = it.url;
      return o;
    });
    const all = el('li', { id: `${id}-all`, role: 'option', 'aria-selected': 'false', class: 'search-option search-option-all', text: `Alle resultaten voor “${q}”` });
    all.dataset.href = (form.getAttribute('action') || '/zoeken/') + '?q=' + encodeURIComponent(q);
    list.replaceChildren(...items, all);
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
    input.removeAttribute('aria-activedescendant');
    status.textContent = count(res.found.results.length, q);
  };

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden) { if (list.children.length) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); } else return; }
      e.preventDefault();
      select(active + (e.key === 'ArrowDown' ? 1 : active < 0 ? 0 : -1));
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      go(options()[active]);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  list.addEventListener('mousedown', (e) => e.preventDefault());
  list.addEventListener('click', (e) => { const o = e.target.closest('[role="option"]'); if (o) go(o); });
  form.addEventListener('focusout', (e) => { if (!form.contains(e.relatedTarget)) close(); });
}

function filterValues(box) {
  if (!box) return [];
  if (box.tagName === 'SELECT') return box.value ? [box.value] : [];
  return [...box.querySelectorAll('input:checked')].map((i) => i.value).filter(Boolean);
}

function setFilter(box, values) {
  if (!box || !values.length) return;
  if (box.tagName === 'SELECT') box.value = values[0];
  else box.querySelectorAll('input').forEach((i) => { i.checked = values.includes(i.value); });
}

async function searchPage(target) {
  const params = new URLSearchParams(window.location.search);
  const q = params.get('q') || '';
  const form = document.querySelector('form[data-search]');
  const index = indexAt((form && form.dataset.index) || '/search/');
  document.querySelectorAll('form[data-search] input[name="q"]').forEach((i) => { if (!i.value) i.value = q; });
  if (!q.trim()) return;
  const m = await meta(index);
  let aud = document.querySelector('[data-filter="audience"]');
  let th = document.querySelector('[data-filter="theme"]');
  if (!aud && !th) {
    const option = (value, text) => el('option', { value, text });
    aud = el('select', { 'data-filter': 'audience' }, option('', 'Iedereen'), option('student', 'Studenten'), option('medewerker', 'Medewerkers'));
    th = el('select', { 'data-filter': 'theme' }, option('', 'Alle onderwerpen'), ...m.th.map(([k, t]) => option(k, t)));
    target.before(el('div', { class: 'search-filters' },
      el('label', {}, 'Voor wie ', aud), el('label', {}, 'Onderwerp ', th)));
  }
  setFilter(aud, params.getAll('voor'));
  setFilter(th, params.getAll('thema'));
  const status = document.getElementById('search-page-status') || el('p', { id: 'search-page-status', role: 'status', 'aria-live': 'polite' });
  if (!status.isConnected) target.before(status);
  let shown = 10;

  const render = async () => {
    const opts = { prefix: false, audience: filterValues(aud), theme: filterValues(th) };
    const url = new URLSearchParams({ q });
    opts.audience.forEach((v) => url.append('voor', v));
    opts.theme.forEach((v) => url.append('thema', v));
    history.replaceState(null, '', '?' + url);
    let res;
    try { res = await resolve(index, q, opts, shown); } catch (e) { status.textContent = 'Zoeken lukt nu niet.'; return; }
    const ol = el('ol', { class: 'search-results' }, ...res.items.map((it) => el('li', { class: 'search-result' },
      el('h2', { class: 'search-result-title' }, el('a', { href: it.url, text: it.title })),
      el('p', { class: 'search-result-meta', text: [it.section, it.theme].filter(Boolean).join(' · ') }),
      snippetNode('p', it.snippet),
      it.subs.length ? el('ul', { class: 'search-result-subs' }, ...it.subs.map((s) => el('li', {}, el('a', { href: s.url, text: s.heading })))) : null)));
    const n = res.found.results.length;
    const more = n > shown ? el('button', { type: 'button', class: 'search-more', text: 'Meer resultaten' }) : null;
    if (more) more.addEventListener('click', () => { shown += 10; render(); });
    target.replaceChildren(ol, more || '');
    status.textContent = n ? `${count(n, q).replace('.', '')} voor “${q}”.` : count(0, q);
  };
  [aud, th].forEach((b) => b && b.addEventListener('change', () => { shown = 10; render(); }));
  await render();
}

if (typeof document !== 'undefined') {
  const start = () => {
    document.querySelectorAll('form[data-search]').forEach(enhance);
    const target = document.getElementById('search-page-results');
    if (target) searchPage(target);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
