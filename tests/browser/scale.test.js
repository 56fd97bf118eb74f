// 10,000 stored samples: the History view loads them page by page, keeps only the visible rows in
// the DOM, and searches without blocking.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, loadFixtures, openApp, serveDist, showView } from './harness.js';

const STORED = 10_000;
let server;
let browser;
let app;
let expectedHits;

before(async () => {
  const fixtures = await loadFixtures();
  server = await serveDist();
  browser = await launchBrowser();
  const extraRows = Array.from({ length: STORED - Object.keys(fixtures).length }, (_, i) => ({
    sha256: i.toString(16).padStart(64, '0'),
    name: `sample-${i}.exe`,
    format: i % 3 ? 'pe' : 'elf',
    file_type: 'synthetic row',
    size: 1000 + i,
    verdict: i % 5 ? 'benign' : 'malicious',
    score: null,
    tags: i % 7 ? [] : ['batch-7'],
    analysed_at: 1700000000 - i,
    error_count: 0,
  }));
  expectedHits = extraRows.filter((r) => r.name.includes('sample-999')).length;
  app = await openApp(browser, server.url, { samples: Object.values(fixtures), extraRows });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

test('history with 10,000 samples stays virtual and searchable', async () => {
  const started = Date.now();
  await showView(app.page, 'history');
  const elapsed = Date.now() - started;
  assert.equal(await app.page.textContent('.toolbar .count'), `${STORED} of ${STORED}`);
  const domRows = await app.page.locator('.vt-row').count();
  assert.ok(domRows > 0 && domRows < 100, `${domRows} rows in the DOM`);
  assert.ok(elapsed < 5000, `history rendered in ${elapsed} ms`);
  await app.page.hover('.vt-viewport');
  await app.page.mouse.wheel(0, 26 * 5000);
  await app.page.waitForFunction(() => [...document.querySelectorAll('.vt-row')].some((r) => Number(r.dataset.index) > 4000));
  await app.page.fill('input.filter', 'sample-999');
  await app.page.waitForFunction((n) => document.querySelector('.toolbar .count').textContent.startsWith(`${n} of`), expectedHits);
  assert.deepEqual(app.problems, []);
});
