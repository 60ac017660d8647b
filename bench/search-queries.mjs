// Runs the query list against a built search index with the real client and
// prints the top results; exits 1 if a query's first result is not one of
// its expected pages. Queries whose pages are not in the index are skipped.
// Usage: node bench/search-queries.mjs public/search [tests/search-client/queries.json]
import { readFileSync } from 'node:fs';
import * as S from '../themes/default/static/js/search.js';

const dir = process.argv[2] || 'public/search';
const file = process.argv[3] || new URL('../tests/search-client/queries.json', import.meta.url);
const list = JSON.parse(readFileSync(file, 'utf8'));
const queries = Array.isArray(list) ? list : list.queries;
const index = S.createIndex(async (p) => JSON.parse(readFileSync(`${dir}/${p}`, 'utf8')));
const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8'));
const urls = new Set();
for (let i = 0; i < meta.n; i++) urls.add((await S.page(index, i)).u);

let pass = 0, fail = 0, skip = 0;
for (const { q, top } of queries) {
  const want = [].concat(top);
  if (!want.some((u) => urls.has(u))) { skip++; continue; }
  const found = await S.search(index, q);
  const got = await Promise.all(found.results.slice(0, 3).map(async (r) => S.present(r, await S.page(index, r.doc), found, meta.th).url));
  const ok = got.length > 0 && want.includes(got[0].split('#')[0]);
  ok ? pass++ : fail++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${q.padEnd(40)} → ${got.join('  ') || '(nothing)'}${ok ? '' : `   want ${want.join(' or ')}`}`);
}
console.log(`${pass} passed, ${fail} failed, ${skip} skipped (pages not built yet)`);
process.exit(fail ? 1 : 0);
