// Measures what a browser downloads for a first query, with the real client
// (themes/default/static/js/search.js), against a built index directory.
// Usage: node bench/search-first-query.mjs <dir with meta.json> [results=10]
// Bytes are gzip -6, as a static host would send them.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as S from '../themes/default/static/js/search.js';

const dir = process.argv[2];
const shown = Number(process.argv[3] || 10);
if (!dir) throw new Error('usage: node bench/search-first-query.mjs <index dir> [results]');
const gz = (buf) => gzipSync(buf, { level: 6 }).length;
const js = readFileSync(new URL('../themes/default/static/js/search.js', import.meta.url));
const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8'));

// A word from the long tail: the first word of the middle shard.
const tail = meta.s.length ? meta.s[Math.floor(meta.s.length / 2)] : 'school';
const queries = ['school', 'pesten op stage', 'vertrouwenspersoom', 'vertrouw', 'iemand heeft mijn naaktfoto doorgestuurd', tail];

const rows = [];
for (const q of queries) {
  const files = [];
  const index = S.createIndex(async (path) => {
    const buf = readFileSync(`${dir}/${path}`);
    files.push({ path, raw: buf.length, gz: gz(buf) });
    return JSON.parse(buf);
  });
  const t0 = performance.now();
  const found = await S.search(index, q);
  await Promise.all(found.results.slice(0, shown).map((r) => S.page(index, r.doc)));
  const first = performance.now() - t0;
  for (let i = 0; i < 5; i++) await S.search(index, q);
  const t1 = performance.now();
  for (let i = 0; i < 20; i++) await S.search(index, q);
  const warm = (performance.now() - t1) / 20;
  const sum = (k) => files.reduce((a, f) => a + f[k], 0);
  rows.push({
    query: q,
    results: found.results.length,
    files: files.length + 1,
    gzip_bytes: sum('gz') + gz(js),
    raw_bytes: sum('raw') + js.length,
    index_gzip: { meta: files.filter((f) => f.path === 'meta.json').reduce((a, f) => a + f.gz, 0), shards: files.filter((f) => f.path.startsWith('s/')).reduce((a, f) => a + f.gz, 0), pages: files.filter((f) => f.path.startsWith('d/')).reduce((a, f) => a + f.gz, 0) },
    search_ms_warm: Number(warm.toFixed(2)),
    first_ms_from_disk: Number(first.toFixed(1)),
  });
}
console.log(JSON.stringify({ dir, client_gzip: gz(js), results_fetched: shown, queries: rows }, null, 1));
