// Each view renders from recorded reports with the backend mocked, under the app's CSP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, loadFixtures, openApp, serveDist, showView } from './harness.js';

let server;
let browser;
let fixtures;
let app;

before(async () => {
  fixtures = await loadFixtures();
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples: Object.values(fixtures) });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const open = async (name) => {
  const sha256 = fixtures[name].report.hashes.sha256;
  await app.page.evaluate((h) => window.__fcasTest.open(h), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
  return fixtures[name].report;
};
const count = (selector) => app.page.locator(selector).count();

describe('views', () => {
  test('first launch shows the welcome screen', async () => {
    assert.equal(await count('[data-testid="welcome"]'), 1);
    assert.match(await app.page.textContent('.welcome h1'), /Drop files/);
  });

  test('overview: verdict, identity with copy buttons, indicators', async () => {
    const report = await open('pe');
    await showView(app.page, 'overview');
    assert.equal(await count('[data-testid="verdict"]'), 1);
    const identity = await app.page.textContent('table.identity');
    const hashes = ['md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'tlsh'].map((k) => report.hashes[k]).concat(report.pe?.imphash).filter(Boolean);
    for (const hash of hashes) assert.ok(identity.includes(hash), hash);
    // A copy button for each hash and for the name (and the path, when the name is not all of it).
    const hasPath = report.path.split('/').pop() !== report.path;
    assert.equal(await count('table.identity button.copy'), hashes.length + 1 + (hasPath ? 1 : 0));
    assert.equal(await count('ul.indicators > li'), Math.min(12, report.indicators.length));
  });

  test('file map: one band per section with file bytes, 256 heatmap cells, table linked to map', async () => {
    const report = await open('pe');
    await showView(app.page, 'filemap');
    const withBytes = report.pe.sections.filter((s) => s.raw_size > 0 && s.raw_pointer < report.size).length;
    assert.equal(await count('svg.entropy-profile g.band'), withBytes);
    assert.equal(await count('svg.heatmap rect.cell'), report.byte_entropy_histogram.length === 256 ? 256 : 0);
    assert.equal(await count('table.sections tbody tr'), report.pe.sections.length);
    if (report.entropy_profile.length) assert.ok((await app.page.getAttribute('svg.entropy-profile path.entropy-line', 'd')).length > 10);
    await app.page.click('table.sections tbody tr:first-child');
    assert.equal(await count('svg.entropy-profile g.band.selected'), report.pe.sections[0].raw_size > 0 ? 1 : 0);
    assert.equal(await count('table.sections tr.selected'), 1);
  });

  test('imports: one tree node per DLL, filter narrows it', async () => {
    const report = await open('pe');
    await showView(app.page, 'imports');
    const dlls = report.pe.imports.length + report.pe.delay_imports.length;
    assert.equal(await count('svg.import-tree g.depth-1'), dlls);
    const first = report.pe.imports[0];
    await app.page.fill('input.filter', first.functions[0]);
    assert.ok((await count('svg.import-tree g.depth-2')) >= 1);
    assert.ok((await count('svg.import-tree g.depth-1')) <= dlls);
  });

  test('strings: virtualised rows, filter counts', async () => {
    const report = await open('pe');
    await showView(app.page, 'strings');
    const total = report.strings.items.length + report.strings.iocs.length;
    assert.equal(await app.page.textContent('.toolbar .count'), `${total} of ${total}`);
    const rendered = await count('.vt-row');
    assert.ok(rendered <= Math.min(total, 80), `only visible rows are in the DOM (${rendered})`);
    if (total > 0) {
      assert.ok(rendered > 0);
      await app.page.fill('input.filter', 'zzzz-not-present-zzzz');
      await app.page.waitForFunction(() => document.querySelector('.toolbar .count').textContent.startsWith('0 of'));
    }
  });

  test('code: facts or an explanation', async () => {
    for (const name of ['pe', 'elf']) {
      const report = await open(name);
      await showView(app.page, 'code');
      if (report.code) assert.ok((await count('.fact')) >= 3);
      else assert.equal(await count('.empty-note'), 1);
    }
  });

  test('similar: a node per neighbour, click opens it', async () => {
    await open('pe');
    await showView(app.page, 'similar');
    const samples = Object.keys(fixtures).length;
    assert.equal(await count('svg.force-graph g.node'), samples);
    await app.page.click('table.hits tbody tr:first-child');
    await app.page.waitForFunction((h) => document.querySelector('main').dataset.sha256 !== h, fixtures.pe.report.hashes.sha256);
  });

  test('history: one row per stored sample, search filters, Enter opens', async () => {
    await showView(app.page, 'history');
    const samples = Object.values(fixtures);
    assert.equal(await count('.vt-row'), samples.length);
    await app.page.fill('input.filter', fixtures.elf.report.hashes.sha256.slice(0, 10));
    await app.page.waitForFunction(() => document.querySelectorAll('.vt-row').length === 1);
    await app.page.click('.vt-row');
    await app.page.waitForSelector(`main[data-view="overview"][data-sha256="${fixtures.elf.report.hashes.sha256}"]`);
  });

  test('settings: refuses connected mode without workers, saves limits', async () => {
    await showView(app.page, 'settings');
    await app.page.selectOption('select[name="mode"]', 'connected');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.error');
    await app.page.selectOption('select[name="mode"]', 'local');
    await app.page.fill('input[name="workers"]', '3');
    await app.page.fill('input[name="max_file_mib"]', '16');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.ok');
    // The size limit is saved in bytes under `analysis`, the options every front end shares.
    const saved = await app.page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings', {}));
    assert.equal(saved.analysis.max_size, 16 * 1024 * 1024);
    assert.equal(saved.limits.workers, 3);
  });

  test('settings: connected mode keeps the fleet-unreachable choice', async () => {
    await showView(app.page, 'settings');
    await app.page.selectOption('select[name="mode"]', 'connected');
    await app.page.fill('textarea[name="worker_urls"]', 'http://127.0.0.1:8700');
    await app.page.selectOption('select[name="fleet_unreachable"]', 'local');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.ok');
    await showView(app.page, 'history');
    await showView(app.page, 'settings');
    assert.equal(await app.page.inputValue('select[name="fleet_unreachable"]'), 'local');
    await app.page.selectOption('select[name="mode"]', 'local');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.ok');
  });

  test('keyboard: digits switch views', async () => {
    await app.page.locator('body').click({ position: { x: 5, y: 300 } });
    await app.page.keyboard.press('2');
    await app.page.waitForSelector('main[data-view="filemap"][data-ready="true"]');
    await app.page.keyboard.press('8');
    await app.page.waitForSelector('main[data-view="history"][data-ready="true"]');
  });

  test('a drop queues and shows progress, its result waits beside the report in view; a failure gives an error card', async () => {
    // A report is in view: the drop's result is announced, not opened over it.
    const reading = await open('elf');
    await app.page.evaluate((p) => window.__fcasTest.drop([p]), fixtures.pe.report.path);
    await app.page.waitForSelector('[data-testid="new-results"]');
    assert.equal(await app.page.getAttribute('main', 'data-sha256'), reading.hashes.sha256);
    await app.page.click('[data-testid="new-results"]');
    await app.page.waitForSelector(`main[data-view="overview"][data-sha256="${fixtures.pe.report.hashes.sha256}"]`);
    assert.equal(await count('[data-testid="new-results"]'), 0);
    assert.ok((await count('.queue-item.stage-done')) >= 1);
    await app.page.evaluate(() => window.__fcasTest.drop(['/not/recorded.bin']));
    await app.page.waitForSelector('.queue-item.error-card');
    assert.match(await app.page.textContent('.queue-item.error-card .queue-message'), /crashed/);
    await showView(app.page, 'imports');
  });

  test('export: JSON by hash, HTML as one document with the charts as SVG', async () => {
    const report = await open('pe');
    await app.page.click('button:has-text("Export JSON")');
    await app.page.click('button:has-text("Export HTML")');
    await app.page.waitForFunction(() => window.__FCAS_BACKEND__.exports.length >= 2);
    const [json, html] = (await app.page.evaluate(() => window.__FCAS_BACKEND__.exports)).slice(-2);
    assert.deepEqual([json.format, json.sha256, json.html], ['json', report.hashes.sha256, null]);
    assert.equal(html.format, 'html');
    assert.ok(html.html.startsWith('<!DOCTYPE html>'));
    assert.ok((html.html.match(/<svg/g) ?? []).length >= 2, 'entropy map and heatmap are inlined');
    const embedded = html.html.match(/<script type="application\/json" id="fcas-report">([\s\S]*?)<\/script>/)[1];
    assert.equal(JSON.parse(embedded).hashes.sha256, report.hashes.sha256);
    await app.page.waitForSelector('.toast.visible');
    // Opened on its own in a narrow window, every chart text is still at least 11 px on screen.
    const reader = await browser.newPage({ viewport: { width: 480, height: 800 } });
    await reader.setContent(html.html);
    const sizes = await reader.evaluate(() =>
      [...document.querySelectorAll('svg text')].map((t) => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.width.baseVal.value || 1);
        return Number.parseFloat(getComputedStyle(t).fontSize) * scale;
      }),
    );
    await reader.close();
    assert.ok(sizes.length > 10, `${sizes.length} chart texts`);
    assert.ok(sizes.every((px) => px >= 11), `chart text on screen: ${Math.min(...sizes).toFixed(1)} px at the smallest`);
  });

  test('no console errors, page errors or CSP violations', () => {
    assert.deepEqual(app.problems, []);
  });
});

describe('themes', () => {
  test('light and dark follow the system', async () => {
    const colours = [];
    for (const colorScheme of ['light', 'dark']) {
      const themed = await openApp(browser, server.url, { samples: [] }, { colorScheme });
      colours.push(await themed.page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await themed.close();
    }
    assert.notEqual(colours[0], colours[1]);
  });
});
