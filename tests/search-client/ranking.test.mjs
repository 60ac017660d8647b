// Ranking rules of the search client, on small hand-made indexes in the
// format that src/render/search/index.rs writes (see the README, "Files").
// Run: node --test tests/search-client/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../themes/default/static/js/search.js';

const CODE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function varint(v) {
  let s = '';
  while (v >= 32) {
    s += CODE[32 + (v & 31)];
    v = Math.floor(v / 32);
  }
  return s + CODE[v];
}
// Postings as the build packs them: [doc, score 0–255, in title].
function pack(postings) {
  let s = varint(postings.length), prev = 0;
  for (const [doc] of postings) {
    s += varint(doc - prev);
    prev = doc;
  }
  for (const [, score, title] of postings) {
    const x = score * 8 + (title ? 4 : 0);
    s += CODE[x >> 6] + CODE[x & 63];
  }
  return s;
}
// One shard; titleWords: per page, the number of indexed words in its title.
function index(words, terms, titleWords) {
  const n = titleWords.length;
  const files = {
    'meta.json': { v: 2, h: 'test', n, k: 1, s: [], f: 'A'.repeat(n), l: titleWords.map((c) => CODE[c]).join(''), th: [], stop: ['op'] },
    's/0.json': { w: words, t: terms.map(([term, idf, postings]) => [term, idf, pack(postings)]) },
  };
  return S.createIndex(async (path) => structuredClone(files[path]));
}
const order = async (idx, q) => (await S.search(idx, q)).results.map((r) => r.doc);

test('a rare synonym does not outrank the word that was typed', async () => {
  // Page 0 says "melding" (on many pages: low idf); page 1 only says its
  // rare synonym "snitch", which once won on idf alone.
  const idx = index(
    { melding: [0, -2], snitch: [1, -1] },
    [['meld', 0.4, [[0, 200, false]]], ['snitch', 3.6, [[1, 150, false]]]],
    [3, 3],
  );
  assert.deepEqual(await order(idx, 'melding '), [0, 1]);
  // Typed as such, the rare word keeps its own weight.
  assert.deepEqual(await order(idx, 'snitch '), [1, 0]);
});

test('a completion does not outrank the complete word being typed', async () => {
  // "school" is a word of the site; "schoolplan" is a rarer completion.
  const idx = index(
    { school: [0], schoolplan: [1] },
    [['school', 0.2, [[0, 200, false]]], ['schoolplan', 3.0, [[1, 200, false]]]],
    [2, 2],
  );
  assert.deepEqual(await order(idx, 'school'), [0, 1]);
  // A prefix that is no word of its own still puts its completions first
  // (here "school" follows as one typo away).
  assert.deepEqual(await order(idx, 'schoolp'), [1, 0]);
});

test('a title that the query matches as a whole comes first', async () => {
  // Page 0: "Stagediscriminatie melden" (2 words); page 1: "Een melding van
  // stagediscriminatie aannemen" (3 words), which scores a little higher.
  const postings = (a, b) => [[0, a, true], [1, b, true]];
  const words = { stagediscriminatie: [0], melden: [1] };
  const terms = [['stagediscriminatie', 2.2, postings(210, 215)], ['meld', 0.4, postings(227, 222)]];
  assert.deepEqual(await order(index(words, terms, [2, 3]), 'stagediscriminatie melden'), [0, 1]);
  // Without the title lengths, the higher score wins.
  assert.deepEqual(await order(index(words, terms, [3, 3]), 'stagediscriminatie melden'), [1, 0]);
});
