// The triage loop and what used to mislead, with the backend mocked: verdicts on the header, the
// queue cards and the History rows; j/k to walk samples; r to mark one reviewed; History sorted,
// looked up by hash, tagged in bulk, and kept while a sample is opened; a drop that never replaces
// the report in view; and the Overview and File map saying what they mean.
//
// Besides the recorded reports, two samples are derived here from the recorded PE (new hashes, a
// path in a folder, model scores with thresholds and explanations), as recorded reports carry no
// model scores when the models were not installed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, loadFixtures, openApp, repo, serveDist, showView } from './harness.js';

let server;
let browser;
let fixtures;
let app;
let scored;
let benign;
let malformed;
/** Size of each History row by its name. */
const sizeOf = new Map();
/** Synthetic History rows, so that the list scrolls. */
const EXTRA_ROWS = 300;

/** A copy of `report` as another file: hashes changed (same lengths), new path, models' scores. */
function derive(report, { tag, path, verdict, predictions }) {
  const copy = structuredClone(report);
  const swap = (hash) => tag + hash.slice(tag.length);
  for (const key of ['md5', 'sha1', 'sha256', 'sha512']) copy.hashes[key] = swap(copy.hashes[key]);
  copy.pe.imphash = swap(copy.pe.imphash);
  copy.path = path;
  copy.verdict = verdict;
  copy.predictions = predictions;
  return copy;
}

before(async () => {
  fixtures = await loadFixtures();
  const pe = fixtures.pe.report;
  scored = derive(pe, {
    tag: 'aaaa01',
    path: '/cases/2026-12/scored.exe',
    verdict: { label: 'malicious', score: 0.83, disagreement: 0.1, strong_disagreement: false, models: ['ember2018-lgbm', 'malconv-ember'], reasons: ['the models agree the file is malicious'] },
    predictions: [
      { model: 'ember2018-lgbm', version: '2018.2', score: 0.97, threshold: 0.8336, strict_threshold: 0.9996, label: 'malicious', applicable: true, reason: null, explanation: null, ms: 2 },
      { model: 'malconv-ember', version: '2018.1', score: 0.91, threshold: 0.5, strict_threshold: null, label: 'malicious', applicable: true, reason: null, explanation: { method: 'occlusion', regions: [{ offset: 4096, length: 2048, weight: 1 }] }, ms: 30 },
    ],
  });
  benign = derive(pe, {
    tag: 'bbbb02',
    path: '/cases/2026-12/quiet.exe',
    verdict: { label: 'benign', score: 0.12, disagreement: 0.05, strong_disagreement: false, models: ['malconv-ember'], reasons: ['the models agree the file is benign'] },
    predictions: [
      { model: 'malconv-ember', version: '2018.1', score: 0.06, threshold: 0.5, strict_threshold: null, label: 'benign', applicable: true, reason: null, explanation: { method: 'occlusion', regions: [{ offset: 8192, length: 1024, weight: 0.8 }] }, ms: 30 },
    ],
  });
  malformed = JSON.parse(await readFile(join(repo, 'tests', 'browser', 'fixtures', 'structure', 'malformed.json'), 'utf8'));
  const samples = [fixtures.pe, fixtures.elf, fixtures['pe-upx'], { report: scored, tags: [], notes: [], names: ['scored.exe'] }, { report: benign, tags: [], notes: [], names: ['quiet.exe'] }, malformed];
  const extraRows = Array.from({ length: EXTRA_ROWS }, (_, i) => ({
    sha256: `f${i.toString(16).padStart(63, '0')}`,
    name: `extra-${String(i).padStart(3, '0')}.bin`,
    format: 'pe',
    file_type: 'synthetic row',
    size: 5000 + ((i * 7919) % 1000),
    verdict: i % 4 ? 'benign' : 'suspicious',
    score: (i % 100) / 100,
    tags: [],
    analysed_at: 1600000000 + i,
    error_count: 0,
    reviewed_at: null,
  }));
  for (const sample of samples) sizeOf.set(sample.names?.[0] ?? sample.report.path.split('/').pop(), sample.report.size);
  for (const row of extraRows) sizeOf.set(row.name, row.size);
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples, extraRows });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const page = () => app.page;
const count = (selector) => page().locator(selector).count();
const text = (selector) => page().textContent(selector);
const inView = () => page().getAttribute('main', 'data-sha256');
const waitFor = (sha256) => page().waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
/** Presses a key with nothing focused, as a reader of the report would. */
async function press(key) {
  await page().evaluate(() => document.activeElement?.blur());
  await page().keyboard.press(key);
}
const lastQuery = () => page().evaluate(() => window.__FCAS_BACKEND__.queries.at(-1));
const shownNames = () => page().$$eval('.vt-row', (rows) => rows.map((r) => r.children[1].textContent));

describe('triage loop', () => {
  test('a drop opens its first result when no report is in view; queue cards and header show the verdict', async () => {
    const paths = [fixtures.pe.report.path, scored.path, benign.path];
    await page().evaluate((p) => window.__fcasTest.drop(p), paths);
    await waitFor(fixtures.pe.report.hashes.sha256);
    await page().waitForFunction(() => document.querySelectorAll('.queue-item [data-testid="queue-verdict"]').length === 3);
    const card = page().locator('.queue-item', { hasText: 'scored.exe' });
    assert.equal((await card.locator('[data-testid="queue-verdict"]').textContent()).trim(), 'malicious');
    assert.equal((await page().locator('.queue-item', { hasText: 'quiet.exe' }).locator('[data-testid="queue-verdict"]').textContent()).trim(), 'benign');
    // The recorded PE was not scored by any model: its label is the report's own.
    assert.equal((await text('[data-testid="header-verdict"]')).trim(), fixtures.pe.report.verdict.label);
  });

  test('j and k walk the finished files of the queue; the header follows', async () => {
    await press('j');
    await waitFor(scored.hashes.sha256);
    assert.equal((await text('[data-testid="header-verdict"]')).trim(), 'malicious');
    await press('j');
    await waitFor(benign.hashes.sha256);
    await press('j'); // the last one stays
    await page().waitForTimeout(100);
    assert.equal(await inView(), benign.hashes.sha256);
    await press('k');
    await waitFor(scored.hashes.sha256);
  });

  test('r marks the sample reviewed in the store; the header, the queue card and History show it; r again clears it', async () => {
    assert.match(await text('[data-testid="header-reviewed"]'), /not reviewed/);
    await press('r');
    await page().waitForSelector('[data-testid="header-reviewed"].on');
    const stored = await page().evaluate((h) => window.__FCAS_BACKEND__.invoke('get_report', { sha256: h }), scored.hashes.sha256);
    assert.ok(stored.reviewed_at > 0, 'kept by the backend');
    assert.equal(await page().locator('.queue-item', { hasText: 'scored.exe' }).locator('.pill.reviewed.on').count(), 1);
    await showView(page(), 'history');
    await page().selectOption('select[aria-label="Reviewed"]', 'yes');
    await page().waitForFunction(() => document.querySelector('.toolbar .count').textContent === '1 of 1');
    assert.equal((await lastQuery()).reviewed, true);
    assert.deepEqual(await shownNames(), ['scored.exe']);
    await page().selectOption('select[aria-label="Reviewed"]', 'no');
    await page().waitForFunction(() => !document.querySelector('.toolbar .count').textContent.startsWith('1 of'));
    assert.ok(!(await shownNames()).includes('scored.exe'));
    await page().selectOption('select[aria-label="Reviewed"]', '');
    // Back on the report: r clears the mark.
    await page().evaluate((h) => window.__fcasTest.open(h, { keepView: false, view: 'overview' }), scored.hashes.sha256);
    await waitFor(scored.hashes.sha256);
    await press('r');
    await page().waitForSelector('[data-testid="header-reviewed"]:not(.on)');
    const cleared = await page().evaluate((h) => window.__FCAS_BACKEND__.invoke('get_report', { sha256: h }), scored.hashes.sha256);
    assert.equal(cleared.reviewed_at, null);
  });

  test('History rows show the verdict and sort by each column through the store', async () => {
    await showView(page(), 'history');
    await page().waitForFunction((n) => document.querySelector('.toolbar .count').textContent.endsWith(`of ${n}`), 6 + EXTRA_ROWS);
    const row = page().locator('.vt-row', { hasText: 'scored.exe' });
    assert.equal((await row.locator('.pill').first().textContent()).trim(), 'malicious');
    // Every column, the name first, keeps a readable width beside the added ones.
    const widths = await row.locator('[role="gridcell"]').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    assert.ok(widths[1] >= 120 && widths.every((w) => w >= 20), widths.join(','));
    for (const [key, label] of [['size', 'Size'], ['name', 'Name'], ['score', 'Score'], ['verdict', 'Verdict'], ['format', 'Format'], ['date', 'Analysed']]) {
      await page().click(`.vt-header button.sort[data-sort="${key}"]`);
      await page().waitForFunction((k) => window.__FCAS_BACKEND__.queries.at(-1)?.sort === k, key);
      const first = await lastQuery();
      await page().click(`.vt-header button.sort[data-sort="${key}"]`);
      await page().waitForFunction((a) => window.__FCAS_BACKEND__.queries.at(-1)?.ascending === a, !first.ascending);
      assert.equal(await page().getAttribute(`.vt-header [role="columnheader"]:has(button.sort[data-sort="${key}"])`, 'aria-sort'), first.ascending ? 'descending' : 'ascending', label);
    }
    // Largest first: the rows come in the store's order.
    if (!(await lastQuery()).ascending) await page().click('.vt-header button.sort[data-sort="size"]');
    await page().click('.vt-header button.sort[data-sort="size"]');
    await page().waitForFunction(() => window.__FCAS_BACKEND__.queries.at(-1)?.sort === 'size' && window.__FCAS_BACKEND__.queries.at(-1)?.ascending === false);
    await page().waitForFunction(() => document.querySelector('.toolbar .count').textContent.startsWith('306 of'));
    const shown = await shownNames();
    assert.ok(shown.length > 10);
    const sizes = shown.map((n) => sizeOf.get(n));
    assert.ok(sizes.every((v) => Number.isFinite(v)), shown.join(','));
    assert.ok(sizes.every((v, i) => i === 0 || sizes[i - 1] >= v), `by size, largest first: ${sizes.join(',')}`);
  });

  test("History's CSV names its columns in words, not by their sort arrows or icons", async () => {
    await showView(page(), 'history');
    await page().waitForSelector('main .vt[data-table-tools]');
    const [download] = await Promise.all([page().waitForEvent('download'), page().locator('main .table-tools button.csv-export').first().click()]);
    const [header] = (await readFile(await download.path(), 'utf8')).split('\r\n');
    assert.equal(header, 'Selected,Name,Verdict,Score,Reviewed,Format,Size,Tags,SHA-256,Analysed');
  });

  test('History looks samples up by MD5, SHA-1, SHA-256 prefix and imphash', async () => {
    await showView(page(), 'history');
    for (const hash of [scored.hashes.md5, scored.hashes.sha1, scored.hashes.sha256.slice(0, 12), scored.pe.imphash]) {
      await page().fill('input.hash-lookup', hash);
      await page().waitForFunction((h) => window.__FCAS_BACKEND__.queries.at(-1)?.hash === h, hash);
      await page().waitForFunction(() => document.querySelector('.toolbar .count').textContent === '1 of 1');
      assert.deepEqual(await shownNames(), ['scored.exe'], hash);
    }
    await page().fill('input.hash-lookup', 'zz');
    await page().waitForFunction(() => /hexadecimal/.test(document.querySelector('.toolbar .count').textContent));
    await page().fill('input.hash-lookup', '');
    await page().waitForFunction(() => window.__FCAS_BACKEND__.queries.at(-1)?.hash === null);
  });

  test('tags are added to and removed from the checked rows together', async () => {
    await showView(page(), 'history');
    await page().waitForFunction(() => document.querySelectorAll('.vt-row').length > 3);
    for (const name of ['scored.exe', 'quiet.exe']) await page().locator('.vt-row', { hasText: name }).locator('input.select').check();
    await page().fill('input.bulk-tags', 'wave-1, dropper');
    await page().click('[data-testid="bulk-add-tags"]');
    await page().waitForSelector('.bulk-status.ok');
    for (const sample of [scored, benign]) {
      const stored = await page().evaluate((h) => window.__FCAS_BACKEND__.invoke('get_report', { sha256: h }), sample.hashes.sha256);
      assert.deepEqual(stored.tags, ['dropper', 'wave-1']);
    }
    await page().waitForFunction(() => [...document.querySelectorAll('.vt-row')].filter((r) => r.textContent.includes('wave-1')).length === 2);
    await page().fill('input.bulk-tags', 'dropper');
    await page().click('[data-testid="bulk-remove-tags"]');
    await page().waitForFunction(() => document.querySelector('.bulk-status').textContent.startsWith('Untagged 2'));
    const stored = await page().evaluate((h) => window.__FCAS_BACKEND__.invoke('get_report', { sha256: h }), scored.hashes.sha256);
    assert.deepEqual(stored.tags, ['wave-1']);
    await page().click('button:has-text("Clear selection")');
  });

  test('History keeps its filters, order, search and scroll while a sample is opened and closed', async () => {
    await showView(page(), 'history');
    await page().selectOption('select[aria-label="Format"]', 'pe');
    await page().click('.vt-header button.sort[data-sort="name"]');
    await page().waitForFunction(() => window.__FCAS_BACKEND__.queries.at(-1)?.sort === 'name' && window.__FCAS_BACKEND__.queries.at(-1)?.format === 'pe');
    const order = await lastQuery();
    await page().waitForFunction(() => document.querySelector('.toolbar .count').textContent.startsWith('305 of'));
    // Scrolled to the end of the list, where the recorded samples sort after the synthetic rows.
    await page().$eval('.vt-viewport', (v) => (v.scrollTop = v.scrollHeight));
    await page().waitForSelector('.vt-row:has-text("scored.exe")');
    const scrolled = await page().$eval('.vt-viewport', (v) => v.scrollTop);
    assert.ok(scrolled > 26 * 200, `scrolled to ${scrolled}`);
    await page().fill('input.filter', 'e');
    // The row as the pointer finds it (the list re-renders rows while it scrolls).
    await page().locator('.vt-row', { hasText: 'scored.exe' }).locator('[role="gridcell"]').nth(1).dispatchEvent('click');
    await waitFor(scored.hashes.sha256);
    assert.equal(await page().getAttribute('main', 'data-view'), 'overview');
    await press('8');
    await page().waitForSelector('main[data-view="history"][data-ready="true"]');
    await page().waitForFunction(() => document.querySelector('.toolbar .count').textContent.startsWith('305 of'));
    assert.equal(await page().inputValue('input.filter'), 'e');
    assert.equal(await page().inputValue('select[aria-label="Format"]'), 'pe');
    const again = await lastQuery();
    assert.equal(again.sort, 'name');
    assert.equal(again.format, 'pe');
    assert.equal(again.ascending, order.ascending);
    await page().waitForFunction((top) => Math.abs(document.querySelector('.vt-viewport').scrollTop - top) < 2, scrolled);
    assert.equal(await page().locator('.vt-row', { hasText: 'scored.exe' }).count(), 1, 'the row opened is in view again');
    await page().fill('input.filter', '');
    await page().selectOption('select[aria-label="Format"]', '');
  });

  test('History rows walk with j/k after one was opened from there', async () => {
    await showView(page(), 'history');
    await page().fill('input.hash-lookup', '');
    await page().click('.vt-header button.sort[data-sort="name"]');
    await page().waitForFunction(() => window.__FCAS_BACKEND__.queries.at(-1)?.sort === 'name');
    await page().fill('input.filter', 'wave-1');
    await page().waitForFunction(() => document.querySelectorAll('.vt-row').length === 2);
    const names = await shownNames();
    assert.deepEqual([...names].sort(), ['quiet.exe', 'scored.exe'].sort());
    await page().locator('.vt-row').first().locator('[role="gridcell"]').nth(1).click();
    const first = names[0] === 'scored.exe' ? scored : benign;
    const second = names[0] === 'scored.exe' ? benign : scored;
    await waitFor(first.hashes.sha256);
    await press('j');
    await waitFor(second.hashes.sha256);
    await press('k');
    await waitFor(first.hashes.sha256);
    await showView(page(), 'history');
    await page().fill('input.filter', '');
  });

  test('a drop while a report is read queues: a counter says there are new results, the report stays', async () => {
    await showView(page(), 'overview');
    const reading = await inView();
    await page().evaluate((p) => window.__fcasTest.drop(p), [fixtures.elf.report.path, fixtures['pe-upx'].report.path, '/not/recorded.bin']);
    await page().waitForFunction(() => document.querySelector('[data-testid="new-results"]')?.textContent === '2 new results');
    assert.equal(await inView(), reading);
    await page().click('[data-testid="new-results"]');
    await waitFor(fixtures.elf.report.hashes.sha256);
    assert.equal((await text('[data-testid="new-results"]')).trim(), '1 new result');
    await page().click('[data-testid="new-results"]');
    await waitFor(fixtures['pe-upx'].report.hashes.sha256);
    assert.equal(await count('[data-testid="new-results"]'), 0);
  });

  test('a drop from History (no report being read) opens its result', async () => {
    await showView(page(), 'history');
    await page().evaluate((p) => window.__fcasTest.drop(p), [benign.path]);
    await page().waitForSelector(`main[data-view="overview"][data-ready="true"][data-sha256="${benign.hashes.sha256}"]`);
  });

  test("the queue's counts are what was stored: finished cards, failures", async () => {
    await page().waitForFunction(() => document.querySelectorAll('.queue-item.stage-queued, .queue-item.stage-analyzing').length === 0);
    const done = await count('.queue-item.stage-done');
    assert.equal(done, 6, 'three, then two, then one finished');
    const failed = await count('.queue-item.stage-failed');
    assert.equal(failed, 1);
    const line = await text('[data-testid="queue-counts"]');
    assert.equal(line, `${done} stored · ${failed} failed`);
  });
});

describe('what misled', () => {
  const openOverview = async (sha256) => {
    await page().evaluate((h) => window.__fcasTest.open(h, { view: 'overview' }), sha256);
    await waitFor(sha256);
  };

  test('the banner counts every indicator the panel lists, info included', async () => {
    const report = fixtures['pe-upx'].report;
    await openOverview(report.hashes.sha256);
    const by = (s) => report.indicators.filter((i) => i.severity === s).length;
    const total = report.indicators.length;
    assert.ok(by('info') > 0, 'the recorded report has info indicators');
    assert.equal(await text('[data-testid="verdict-indicators"]'), `${total} indicators: ${by('high')} high · ${by('medium')} medium · ${by('low')} low · ${by('info')} info`);
    assert.match(await page().locator('.panel h2', { hasText: 'Indicators' }).textContent(), new RegExp(`^Indicators \\(${total}[,)]`));
    assert.equal(await count('ul.indicators > li'), Math.min(12, total));
  });

  test('"Name" is the file name and the path has its own row', async () => {
    await openOverview(scored.hashes.sha256);
    const cell = (label) => page().locator(`table.identity tr:has(th:text-is("${label}")) td`).first().textContent();
    assert.equal(await cell('Name'), 'scored.exe');
    assert.equal(await cell('Path'), scored.path);
  });

  test('a file that did not parse in full says so in the verdict card', async () => {
    await openOverview(malformed.report.hashes.sha256);
    const note = await text('[data-testid="verdict"] [data-testid="verdict-problems"]');
    assert.match(note, /did not parse in full/);
    for (const error of malformed.report.errors) assert.ok(note.includes(error.message), error.message);
    await openOverview(fixtures.pe.report.hashes.sha256);
    assert.equal(await count('[data-testid="verdict-problems"]'), 0);
  });

  test('the calibrated ensemble score is labelled as such and each strict threshold is drawn', async () => {
    await openOverview(scored.hashes.sha256);
    assert.equal(await text('[data-testid="verdict-score"]'), `calibrated ensemble score ${scored.verdict.score.toFixed(3)} (threshold 0.5)`);
    const strict = scored.predictions.filter((p) => p.strict_threshold !== null).length;
    assert.equal(await page().locator('svg.model-bars line.strict-threshold:not([display="none"])').count(), strict);
    const ember = page().locator('svg.model-bars g.model').first();
    const [line, track] = await Promise.all([ember.locator('line.strict-threshold').getAttribute('x1'), ember.locator('rect.track').getAttribute('width')]);
    assert.ok(Math.abs(Number(line) / Number(track) - scored.predictions[0].strict_threshold) < 0.01, 'drawn at its value');
    assert.match(await text('[data-testid="model-legend"]'), /stricter threshold/);
  });

  test('file map: ticks on round hexadecimal offsets, readable section names, headers and overlay bands', async () => {
    const report = fixtures.pe.report;
    await openOverview(report.hashes.sha256);
    await showView(page(), 'filemap');
    const ticks = await page().$$eval('svg.entropy-profile g.x-axis .tick text', (t) => t.map((n) => n.textContent));
    const values = ticks.map((t) => parseInt(t, 16));
    assert.ok(ticks.every((t) => /^0x[0-9a-f]+$/.test(t)) && values.length >= 3, ticks.join(' '));
    const step = values[1] - values[0];
    assert.ok([1, 2, 4, 8].some((m) => Number.isInteger(Math.log(step / m) / Math.log(16))), `step 0x${step.toString(16)}`);
    assert.ok(values.every((v, i) => v === i * step), ticks.join(' '));
    // Names that are written do not overlap; more names are written than bands wide enough for the old 28 px rule.
    const boxes = await page().$$eval('svg.entropy-profile g.band text', (t) => t.filter((n) => n.textContent).map((n) => { const b = n.getBBox(); return { x: b.x, y: b.y, w: b.width }; }));
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) if (a.y === b.y) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x, 'labels overlap');
    assert.ok(boxes.length >= 8, `${boxes.length} names written`);
    assert.equal(await count('svg.entropy-profile g.structure-band.header'), 1);
    assert.equal(await count('svg.entropy-profile g.structure-band.overlay'), report.pe.overlay.size > 0 ? 1 : 0);
  });

  test('explanation regions are coloured by the score they led to', async () => {
    const danger = async () => page().evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--region').trim());
    await openOverview(benign.hashes.sha256);
    await showView(page(), 'filemap');
    assert.equal(await count('svg.entropy-profile rect.region.toward-benign'), 1);
    assert.equal(await count('svg.entropy-profile rect.region.toward-malicious'), 0);
    const benignFill = await page().$eval('rect.region', (r) => getComputedStyle(r).fill);
    await openOverview(scored.hashes.sha256);
    await showView(page(), 'filemap');
    assert.equal(await count('svg.entropy-profile rect.region.toward-malicious'), 1);
    const maliciousFill = await page().$eval('rect.region', (r) => getComputedStyle(r).fill);
    assert.notEqual(benignFill, maliciousFill);
    assert.ok((await danger()).length > 0);
  });

  test('no console errors, page errors or CSP violations', () => {
    assert.deepEqual(app.problems, []);
  });
});
