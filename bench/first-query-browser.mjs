// What a real browser downloads for a first query, with our client
// (search.js + search/) and, when the site also has a Pagefind bundle
// (pagefind/), with Pagefind's own client, measured the same way in the
// same run.
//
//   node bench/first-query-browser.mjs <built site> [--results 10] [--json out.json] [query ...]
//
// It serves the built site on 127.0.0.1 (text files gzip -6, as a static
// host sends them; Pagefind's .pf_* and wasm files are gzip already and go
// as they are), opens headless Chromium (/usr/bin/chromium, playwright-core)
// with an empty cache for every query and engine, runs the query, loads the
// data of the top results (10 by default) and adds up the encoded body bytes
// of every response. Needs `npm ci` in bench/ (or tests/browser/).
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
function loadPlaywright() {
  for (const from of ['./node_modules/playwright-core', '../tests/browser/node_modules/playwright-core']) {
    try {
      return require(from);
    } catch {}
  }
  throw new Error('playwright-core is missing: run `npm ci` in bench/');
}
const { chromium } = loadPlaywright();

const args = process.argv.slice(2);
const root = args.shift();
if (!root || !existsSync(join(root, 'index.html'))) {
  console.error('usage: node bench/first-query-browser.mjs <built site> [--results 10] [--json out.json] [query ...]');
  process.exit(2);
}
let shown = 10, jsonOut = null;
const queries = [];
while (args.length) {
  const a = args.shift();
  if (a === '--results') shown = Number(args.shift());
  else if (a === '--json') jsonOut = args.shift();
  else queries.push(a);
}
if (!queries.length) {
  // Words of bench/gen-site.py pages: one common word, a sentence, a typo,
  // a prefix being typed, and words the pages do not have.
  queries.push('school', 'pesten op stage', 'vertrouwenspersoom', 'vertrouw', 'anoniem melden bij de inspecteur', 'iemand heeft mijn naaktfoto doorgestuurd');
}

const TEXT = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain' };
const BLANK = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>';
const gzCache = new Map();
// Every response body the server sends, so that requests from workers count
// too: the browser has an empty cache, so this is what it downloads.
let sent = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__bench.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(BLANK);
  }
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!path.startsWith(normalize(root))) return res.writeHead(403).end();
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!existsSync(path)) return res.writeHead(404).end();
  const type = TEXT[extname(path)];
  const headers = { 'content-type': type || 'application/octet-stream' };
  let body = readFileSync(path);
  if (type && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
    if (!gzCache.has(path)) gzCache.set(path, gzipSync(body, { level: 6 }));
    body = gzCache.get(path);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = body.length;
  sent.push({ path: url.pathname, bytes: body.length });
  res.writeHead(200, headers).end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// Our client: the fingerprinted search.js that the pages name.
const home = readFileSync(join(root, 'index.html'), 'utf8');
const ourJs = (home.match(/data-search-js="([^"]+)"/) || [])[1];
const engines = [];
if (ourJs && existsSync(join(root, 'search/meta.json'))) engines.push('wegwijzer');
if (existsSync(join(root, 'pagefind/pagefind.js'))) engines.push('pagefind');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function measure(engine, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + '/__bench.html');
  sent = [];
  const out = await page.evaluate(async ({ engine, q, shown, ourJs }) => {
    const t0 = performance.now();
    let results, warm;
    if (engine === 'wegwijzer') {
      const S = await import(ourJs);
      const index = S.createIndex((path, v) => fetch('/search/' + path + (v ? '?v=' + v : '')).then((r) => r.json()));
      const found = await S.search(index, q);
      results = found.results.length;
      await Promise.all(found.results.slice(0, shown).map((r) => S.page(index, r.doc)));
      const first = performance.now() - t0;
      const t1 = performance.now();
      for (let i = 0; i < 5; i++) await S.search(index, q);
      warm = (performance.now() - t1) / 5;
      return { results, first, warm };
    }
    const pf = await import('/pagefind/pagefind.js');
    const found = await pf.search(q);
    results = found.results.length;
    await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
    const first = performance.now() - t0;
    const t1 = performance.now();
    // A new string each time, so that Pagefind does not answer from its cache.
    for (let i = 0; i < 5; i++) await pf.search(q + " ".repeat(i + 1));
    warm = (performance.now() - t1) / 5;
    return { results, first, warm };
  }, { engine, q, shown, ourJs });
  await page.waitForTimeout(200);
  const got = sent;
  sent = [];
  await context.close();
  return {
    engine,
    query: q,
    results: out.results,
    files: got.length,
    bytes: got.reduce((a, f) => a + f.bytes, 0),
    first_ms: Number(out.first.toFixed(1)),
    warm_ms: Number(out.warm.toFixed(2)),
    by_file: got.map((f) => `${f.path} ${f.bytes}`),
  };
}

const rows = [];
try {
  for (const q of queries) for (const e of engines) rows.push(await measure(e, q));
} finally {
  await browser.close();
  server.close();
}

const kb = (b) => (b / 1024).toFixed(1).padStart(6);
console.log(`${'query'.padEnd(42)} ${'engine'.padEnd(9)} files  KB gz  results  first ms  warm ms`);
for (const r of rows) {
  console.log(`${r.query.padEnd(42)} ${r.engine.padEnd(9)} ${String(r.files).padStart(5)} ${kb(r.bytes)} ${String(r.results).padStart(8)} ${String(r.first_ms).padStart(9)} ${String(r.warm_ms).padStart(8)}`);
}
if (engines.length === 2) {
  const sum = (e, k) => rows.filter((r) => r.engine === e).reduce((a, r) => a + r[k], 0);
  const ours = sum('wegwijzer', 'bytes'), theirs = sum('pagefind', 'bytes');
  console.log(`all queries: wegwijzer ${kb(ours)} KB in ${sum('wegwijzer', 'files')} files, pagefind ${kb(theirs)} KB in ${sum('pagefind', 'files')} files; bytes ratio wegwijzer/pagefind ${(ours / theirs).toFixed(2)}`);
}
if (jsonOut) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(jsonOut, JSON.stringify({ root, results_fetched: shown, rows }, null, 1));
}
