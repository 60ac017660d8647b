// Browser tests of the built bundled site, in Debian's headless Chromium.
//
//   node tests/browser/run.mjs SITE_DIR
//
// The site is served on a loopback port with the same strict headers as the
// `_headers` file (CSP default-src 'self'). Every other host is blocked and
// recorded. Screenshots (375 px) go to tests/browser/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync, existsSync, statSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve, extname, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SITE = resolve(process.argv[2] || process.env.SITE || join(here, '../../target/test-site'));
const OUT = join(here, 'out');
mkdirSync(OUT, { recursive: true });
const QUICK_EXIT_HOST = 'www.knmi.nl';
const BUDGET = 40 * 1024;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv', '.vcf': 'text/vcard',
  '.txt': 'text/plain', '.pdf': 'application/pdf',
};
const CSP = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function fileFor(pathname) {
  let p = decodeURIComponent(pathname);
  if (p.includes('..') || p.includes('\0')) return null;
  let f = join(SITE, p);
  if (existsSync(f) && statSync(f).isDirectory()) f = join(f, 'index.html');
  return existsSync(f) && statSync(f).isFile() ? f : null;
}

let server, base, browser;
before(async () => {
  assert.ok(existsSync(join(SITE, 'index.html')), `no built site in ${SITE}`);
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const f = fileFor(url.pathname);
    const headers = { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };
    if (!f) {
      res.writeHead(404, { ...headers, 'Content-Type': TYPES['.html'] });
      return res.end(readFileSync(join(SITE, '404.html')));
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(f)] || 'application/octet-stream' });
    res.end(readFileSync(f));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

// Every page: the sitemap, plus the pages it does not list.
function pagePaths() {
  const xml = readFileSync(join(SITE, 'sitemap.xml'), 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  return [...new Set([...paths, '/404.html'])].sort();
}

// A context that blocks and records every request to another host, and
// fakes the quick-exit destination so leaving can be observed offline.
async function context(opts = {}) {
  const external = [];
  const ctx = await browser.newContext({ serviceWorkers: 'block', ...opts });
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1') return route.continue();
    if (u.hostname === QUICK_EXIT_HOST) {
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weer</title><p>Het weer' });
    }
    external.push(u.href);
    return route.abort('blockedbyclient');
  });
  return { ctx, external };
}

const mainText = () => {
  const main = document.querySelector('main');
  if (!main) return '';
  const clone = main.cloneNode(true);
  clone.querySelectorAll('[data-js], [hidden], .visually-hidden, [aria-hidden="true"]').forEach((n) => n.remove());
  return clone.innerText.replace(/\s+/g, ' ').trim();
};

test('every page: 0 axe violations (WCAG 2.1 A/AA), no other hosts, no CSP violations, same main text without JS', async (t) => {
  const { ctx, external } = await context({ viewport: { width: 1280, height: 800 } });
  const { ctx: off } = await context({ javaScriptEnabled: false });
  const failures = [];
  for (const path of pagePaths()) {
    const page = await ctx.newPage();
    const csp = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text()); });
    page.on('pageerror', (e) => csp.push(`script error: ${e.message}`));
    await page.goto(base + path, { waitUntil: 'load' });
    const before = external.length;
    await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }));
    for (const v of result.violations) failures.push(`${path}: axe ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')})`);
    for (const c of csp) failures.push(`${path}: ${c}`);
    const on = await page.evaluate(mainText);
    await page.close();
    const p2 = await off.newPage();
    await p2.goto(base + path, { waitUntil: 'load' });
    const without = await p2.evaluate(mainText);
    await p2.close();
    if (on !== without) failures.push(`${path}: main text differs without JS (${on.length} vs ${without.length} chars)`);
    if (external.length > before) failures.push(`${path}: requests to other hosts: ${external.slice(before).join(', ')}`);
  }
  await ctx.close();
  await off.close();
  assert.deepEqual(failures, []);
});

test('every HTML file is valid for the W3C Nu HTML checker', () => {
  const files = [];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.html')) files.push(p);
  });
  walk(SITE);
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  let out = '';
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'gnu', ...files], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    out = String(e.stderr || '') + String(e.stdout || '');
  }
  // Redirect pages of aliases are tiny on purpose and still checked.
  assert.equal(out.trim(), '', `vnu errors:\n${out}`);
});

test('keyboard: the skip link comes first, then the quick exit', async () => {
  const { ctx } = await context();
  const page = await ctx.newPage();
  for (const path of ['/', '/melden/vertrouwenspersoon/', '/instellingen/']) {
    await page.goto(base + path);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ href: document.activeElement.getAttribute('href'), text: document.activeElement.innerText.trim() }));
    assert.equal(first.href, '#inhoud', `${path}: first Tab`);
    await page.keyboard.press('Tab');
    const second = await page.evaluate(() => document.activeElement.id);
    assert.equal(second, 'quick-exit', `${path}: second Tab`);
  }
  await ctx.close();
});

async function startAndLeave(leave) {
  const { ctx } = await context();
  const page = await ctx.newPage();
  await page.goto(base + '/privacy/');
  await page.goto(base + '/seksuele-grenzen/naaktfoto-gedeeld/');
  await leave(page);
  await page.waitForURL((u) => u.hostname === QUICK_EXIT_HOST, { timeout: 5000 });
  await page.goBack();
  const back = new URL(page.url()).pathname;
  await ctx.close();
  return back;
}

test('quick exit: the button leaves, and Back does not return to the page', async () => {
  const back = await startAndLeave((page) => page.click('#quick-exit'));
  assert.equal(back, '/privacy/');
});

test('quick exit: pressing Shift three times leaves too', async () => {
  const back = await startAndLeave(async (page) => {
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
  });
  assert.equal(back, '/privacy/');
});

test('quick exit works without JavaScript as a plain link', async () => {
  const { ctx } = await context({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + '/');
  await page.click('#quick-exit');
  await page.waitForURL((u) => u.hostname === QUICK_EXIT_HOST, { timeout: 5000 });
  await ctx.close();
});

test('no horizontal scrolling at 320 px on any page', async () => {
  const { ctx } = await context({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
  const wide = [];
  for (const path of pagePaths()) {
    const page = await ctx.newPage();
    await page.goto(base + path);
    const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (w.scroll > w.client + 1) wide.push(`${path}: ${w.scroll}px`);
    await page.close();
  }
  await ctx.close();
  assert.deepEqual(wide, []);
});

test('page weight: HTML + CSS + JS under 40 KB for every page', () => {
  const heavy = [];
  for (const path of pagePaths()) {
    const file = fileFor(path);
    const html = readFileSync(file, 'utf8');
    let bytes = Buffer.byteLength(html);
    for (const m of html.matchAll(/<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"/g)) {
      const f = fileFor(m[1]);
      assert.ok(f, `${path}: ${m[1]} is missing`);
      bytes += statSync(f).size;
    }
    if (bytes > BUDGET) heavy.push(`${path}: ${bytes} bytes`);
  }
  assert.deepEqual(heavy, []);
});

test('no cookies and nothing stored in the browser', async () => {
  const { ctx } = await context();
  const page = await ctx.newPage();
  for (const path of ['/', '/zoeken/?q=pesten', '/instellingen/']) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
  }
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
  assert.equal((await ctx.cookies()).length, 0);
  assert.equal(stored, 0);
  await ctx.close();
});

// Each query: `q`, typed into the header search box; the first suggestion
// (without its #anchor) must be one of `top`.
const QUERIES = JSON.parse(readFileSync(join(here, '../search-client/queries.json'), 'utf8')).queries;

// Ranking is judged as search engines are: most queries must put the right
// page first, and every query must have it in the first three suggestions.
test(`search: ${QUERIES.length} students' and staff's queries find the right page`, async () => {
  assert.ok(QUERIES.length >= 20);
  const { ctx } = await context({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(base + '/');
  const notFirst = [];
  const missing = [];
  const input = page.locator('form[data-search] input[type=search]').first();
  for (const q of QUERIES) {
    await input.fill('');
    await input.pressSequentially(q.q, { delay: 5 });
    try {
      await page.waitForFunction((text) => {
        const o = document.querySelector('[role=option][data-href]');
        return o && document.querySelector('input[type=search]').value === text;
      }, q.q, { timeout: 4000 });
      await page.waitForTimeout(200);
      const hrefs = await page.$$eval('[role=option][data-href]', (os) => os.slice(0, 3).map((o) => new URL(o.dataset.href, location.href).pathname));
      if (!q.top.includes(hrefs[0])) notFirst.push(`"${q.q}": first ${hrefs[0]}, want ${q.top.join(' or ')}`);
      const found = hrefs.some((h) => q.top.includes(h));
      // A known miss (`xfail`) is reported, and must fail: a fix should remove the mark.
      if (q.xfail) {
        console.log(`# known miss "${q.q}": ${q.xfail}`);
        if (found && q.top.includes(hrefs[0])) missing.push(`"${q.q}": passes now, remove its xfail mark`);
        continue;
      }
      if (!found) missing.push(`"${q.q}": not in the top 3 (${hrefs.join(', ')})`);
    } catch {
      missing.push(`"${q.q}": no results`);
    }
  }
  await ctx.close();
  if (notFirst.length) console.log(`# not first (${notFirst.length}):\n#   ${notFirst.join('\n#   ')}`);
  assert.deepEqual(missing, []);
  assert.ok(notFirst.length <= Math.floor(QUERIES.length * 0.1), `${notFirst.length} of ${QUERIES.length} not first`);
});

test('375 px screenshots of the key pages', async () => {
  const { ctx } = await context({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  const shots = {
    home: '/',
    situatie: '/seksuele-grenzen/naaktfoto-gedeeld/',
    handboek: '/handboeken/incidenten-registreren/',
    instellingen: '/instellingen/',
  };
  const inst = readdirSync(join(SITE, 'instellingen'), { withFileTypes: true }).find((e) => e.isDirectory());
  if (inst) shots.instelling = `/instellingen/${inst.name}/`;
  for (const [name, path] of Object.entries(shots)) {
    await page.goto(base + path);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    await page.screenshot({ path: join(OUT, `${name}-full.png`), fullPage: true });
  }
  await page.goto(base + '/');
  const input = page.locator('form[data-search] input[type=search]').first();
  await input.pressSequentially('uitgescholden op stage', { delay: 5 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, 'zoeken.png') });
  await ctx.close();
  for (const n of Object.keys(shots)) assert.ok(existsSync(join(OUT, `${n}.png`)));
});
