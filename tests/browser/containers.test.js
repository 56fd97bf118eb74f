// Containers with the backend mocked: recorded submissions (fixtures/containers/, by
// record-fixtures.sh) of sample.zip (inner.tar holding a.exe and notes.txt, a copy of a.exe,
// readme.txt) and other.zip (a.exe again). The Tree view, a child's "Found in", the history's count;
// exporting samples (History's selection, the Overview's action); the container passwords of Settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, loadFixtures, openApp, repo, serveDist, showView } from './harness.js';

let server;
let browser;
let app;
let samples;
let pe;

before(async () => {
  ({ samples } = JSON.parse(await readFile(join(repo, 'tests', 'browser', 'fixtures', 'containers', 'submissions.json'), 'utf8')));
  ({ pe } = await loadFixtures());
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples: [...samples, pe] });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const byName = (name) => samples.find((s) => s.names[0] === name).report;
const count = (selector) => app.page.locator(selector).count();
const open = async (name) => {
  const sha256 = byName(name).hashes.sha256;
  await app.page.evaluate((h) => window.__fcasTest.open(h), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
};

describe('containers', () => {
  test('the fixture has two levels', () => {
    const zip = byName('sample.zip');
    assert.deepEqual(zip.children.map((c) => c.name), ['inner.tar', 'copy-of-a.exe', 'readme.txt']);
    assert.ok(zip.children.find((c) => c.name === 'copy-of-a.exe').duplicate);
    assert.deepEqual(byName('a.exe').lineage.map((s) => s.name), ['sample.zip', 'inner.tar']);
  });

  test('tree: the container, its children with format, size and verdict, the extraction', async () => {
    await open('sample.zip');
    await showView(app.page, 'tree');
    const zip = byName('sample.zip');
    // sample.zip, its three children, inner.tar's two.
    assert.equal(await count('svg.container-tree g.node'), 6);
    assert.equal(await count('svg.container-tree g.node.depth-1'), 3);
    assert.equal(await count('svg.container-tree g.node.depth-2'), 2);
    const root = app.page.locator('svg.container-tree g.node.depth-0');
    assert.equal(await root.getAttribute('aria-current'), 'true');
    const exe = app.page.locator(`svg.container-tree g.node.depth-2[data-sha256="${byName('a.exe').hashes.sha256}"]`);
    assert.match(await exe.textContent(), /a\.exe.*pe · 11\.5 KiB/);
    assert.match(await exe.getAttribute('class'), new RegExp(`verdict-${byName('a.exe').verdict.label}`));
    const copy = app.page.locator('svg.container-tree g.node.duplicate');
    assert.equal(await copy.count(), 1);
    assert.match(await copy.textContent(), /copy-of-a\.exe\s*duplicate/);
    // One extraction card per container, with its status; the children table lists sample.zip's.
    assert.equal(await count('.extraction-card'), 2);
    assert.match(await app.page.textContent(`.extraction-card[data-sha256="${zip.hashes.sha256}"]`), /sample\.zip\s*opened/);
    assert.equal(await count('table.children tbody tr'), 3);
    // Folding inner.tar hides its children; unfolding brings them back.
    await app.page.click('svg.container-tree g.node[aria-expanded="true"].depth-1 circle');
    assert.equal(await count('svg.container-tree g.node.depth-2'), 0);
    await app.page.click('svg.container-tree g.node[aria-expanded="false"] circle');
    assert.equal(await count('svg.container-tree g.node.depth-2'), 2);
  });

  test('clicking a child opens its overview, which says where it was found', async () => {
    const exe = byName('a.exe');
    await app.page.click(`svg.container-tree g.node[data-sha256="${exe.hashes.sha256}"] text.name`);
    await app.page.waitForSelector(`main[data-ready="true"][data-view="overview"][data-sha256="${exe.hashes.sha256}"]`);
    const line = await app.page.textContent('[data-testid="found-in"]');
    // Its lineage, then the other container the store lists as its parent.
    assert.match(line, /Found in:\s*sample\.zip\s*›\s*inner\.tar\s*also in:\s*other\.zip/);
    assert.equal(await count('[data-testid="found-in"] button.link'), 3);
  });

  test('the tree of a descendant starts at the submitted file and marks it', async () => {
    const exe = byName('a.exe');
    await showView(app.page, 'tree');
    assert.equal(await app.page.locator('svg.container-tree g.node.depth-0 .label').textContent(), 'sample.zip');
    assert.equal(await count(`svg.container-tree g.node.current[data-sha256="${exe.hashes.sha256}"]`), 2, 'a.exe and its copy');
    assert.equal(await count('svg.container-tree g.node.on-path'), 4);
  });

  test('a name in "Found in" opens that container', async () => {
    await showView(app.page, 'overview');
    await app.page.click('[data-testid="found-in"] button.link:has-text("inner.tar")');
    const inner = byName('inner.tar');
    await app.page.waitForSelector(`main[data-ready="true"][data-view="overview"][data-sha256="${inner.hashes.sha256}"]`);
    assert.match(await app.page.textContent('[data-testid="found-in"]'), /Found in:\s*sample\.zip$/);
  });

  test('history shows how many entries each container holds', async () => {
    await showView(app.page, 'history');
    const rows = await app.page.locator('.vt-row').allTextContents();
    assert.ok(rows.some((r) => /sample\.zip\s*3 inside/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /inner\.tar\s*2 inside/.test(r)));
    assert.ok(rows.some((r) => /^a\.exe(?!.*inside)/.test(r)));
  });

  test('the Tree view is offered only for containers and what was found in them', async () => {
    await open('sample.zip');
    assert.equal(await app.page.locator('nav button[data-view="tree"]').isVisible(), true);
    const sha256 = pe.report.hashes.sha256;
    await app.page.evaluate((h) => window.__fcasTest.open(h), sha256);
    await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
    assert.equal(await app.page.locator('nav button[data-view="tree"]').isVisible(), false);
    assert.equal(await count('[data-testid="found-in"]'), 0);
    await showView(app.page, 'tree');
    assert.match(await app.page.textContent('.view-tree .empty-note'), /not a container/);
  });

  test('history: the checked samples are exported together into an encrypted ZIP', async () => {
    await showView(app.page, 'history');
    const button = app.page.locator('button:has-text("Export samples (encrypted ZIP)")');
    assert.equal(await button.isDisabled(), true, 'nothing selected yet');
    assert.match(await app.page.textContent('.selection-bar'), /0 selected.*password: infected/);
    const picked = ['readme.txt', 'a.exe'].map((name) => byName(name).hashes.sha256);
    for (const name of ['readme.txt', 'a.exe']) await app.page.locator('.vt-row', { hasText: name }).first().locator('input.select').check();
    // A checkbox selects; it does not open the sample.
    assert.equal(await app.page.getAttribute('main', 'data-view'), 'history');
    assert.match(await app.page.textContent('.selection-bar'), /2 selected/);
    const before = await app.page.evaluate(() => window.__FCAS_BACKEND__.sampleExports.length);
    await button.click();
    await app.page.waitForSelector('.selection-bar .status-line.ok');
    const sent = await app.page.evaluate(() => window.__FCAS_BACKEND__.sampleExports);
    assert.equal(sent.length, before + 1);
    assert.deepEqual(sent.at(-1), { sha256s: picked, password: null });
    assert.match(await app.page.textContent('.selection-bar .status-line'), /^2 samples written to \/exports\/samples\.zip \(AES-256, password infected\)$/);

    // "Select every shown" then "Clear selection".
    await app.page.locator('input.select-shown').check();
    const shown = await count('.vt-row');
    assert.match(await app.page.textContent('.selection-bar'), new RegExp(`${shown} selected`));
    await app.page.click('button:has-text("Clear selection")');
    assert.match(await app.page.textContent('.selection-bar'), /0 selected/);
    assert.equal(await button.isDisabled(), true);
  });

  test('overview: one sample is exported, and what could not be is counted', async () => {
    await open('a.exe');
    await showView(app.page, 'overview');
    const exe = byName('a.exe').hashes.sha256;
    assert.match(await app.page.textContent('.sample-actions'), /Export sample \(encrypted ZIP\)\s*password: infected/);
    await app.page.click('button:has-text("Export sample (encrypted ZIP)")');
    await app.page.waitForSelector('.sample-actions .status-line.ok');
    assert.deepEqual((await app.page.evaluate(() => window.__FCAS_BACKEND__.sampleExports)).at(-1), { sha256s: [exe], password: null });
    assert.match(await app.page.textContent('.sample-actions .status-line'), new RegExp(`^1 sample written to /exports/${exe.slice(0, 16)}\\.zip`));
    // A sample the store no longer holds is reported missing, with the reason.
    await app.page.evaluate(() => {
      const backend = window.__FCAS_BACKEND__;
      const invoke = backend.invoke.bind(backend);
      backend.invoke = (command, args) => (command === 'export_samples' ? invoke(command, { ...args, sha256s: [...args.sha256s, '0'.repeat(64)] }) : invoke(command, args));
    });
    await app.page.click('button:has-text("Export sample (encrypted ZIP)")');
    await app.page.waitForFunction(() => /missing/.test(document.querySelector('.sample-actions .status-line').textContent));
    assert.match(await app.page.textContent('.sample-actions .status-line'), /^1 sample written .*; 1 missing \(000000000000…: no report of it is stored\)$/);
  });

  test('history and overview: the chosen samples go out as a STIX 2.1 bundle or a MISP event', async () => {
    await showView(app.page, 'history');
    const stix = app.page.locator('.selection-bar button:has-text("Export STIX 2.1 bundle")');
    const misp = app.page.locator('.selection-bar button:has-text("Export MISP event")');
    assert.match(await app.page.textContent('.selection-bar'), /0 selected/);
    assert.equal(await stix.isDisabled(), true, 'nothing selected yet');
    assert.equal(await misp.isDisabled(), true);
    const picked = ['readme.txt', 'a.exe'].map((name) => byName(name).hashes.sha256);
    for (const name of ['readme.txt', 'a.exe']) await app.page.locator('.vt-row', { hasText: name }).first().locator('input.select').check();
    await stix.click();
    await app.page.waitForSelector('.selection-bar .exchange-export .status-line.ok');
    assert.match(await app.page.textContent('.selection-bar .exchange-export .status-line'), /^2 samples written to \/exports\/samples\.stix\.json$/);
    await misp.click();
    await app.page.waitForFunction(() => /misp/.test(document.querySelector('.selection-bar .exchange-export .status-line').textContent));
    const sent = await app.page.evaluate(() => window.__FCAS_BACKEND__.exchangeExports);
    assert.deepEqual(sent.slice(-2), [{ sha256s: picked, format: 'stix' }, { sha256s: picked, format: 'misp' }]);
    await app.page.click('button:has-text("Clear selection")');

    // The Overview exports the sample on screen; a refusal is shown as the backend words it.
    await open('a.exe');
    await showView(app.page, 'overview');
    const exe = byName('a.exe').hashes.sha256;
    await app.page.click('.sample-actions button:has-text("Export MISP event")');
    await app.page.waitForSelector('.sample-actions .exchange-export .status-line.ok');
    assert.deepEqual((await app.page.evaluate(() => window.__FCAS_BACKEND__.exchangeExports)).at(-1), { sha256s: [exe], format: 'misp' });
    await app.page.evaluate(() => {
      const backend = window.__FCAS_BACKEND__;
      const invoke = backend.invoke.bind(backend);
      backend.invoke = (command, args) => (command === 'export_exchange' ? invoke(command, { ...args, sha256s: ['0'.repeat(64)] }) : invoke(command, args));
    });
    await app.page.click('.sample-actions button:has-text("Export STIX 2.1 bundle")');
    await app.page.waitForSelector('.sample-actions .exchange-export .status-line.error');
    assert.match(await app.page.textContent('.sample-actions .exchange-export .status-line'), /no report of 0{64} is stored/);
  });

  test('settings: the extra container passwords are saved one per line', async () => {
    await showView(app.page, 'settings');
    assert.match(await app.page.textContent('fieldset:has(textarea[name="passwords"])'), /defaults infected, malware, virus and password are tried first/);
    await app.page.fill('textarea[name="passwords"]', 'first\nsecond one \n\nthird');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.ok');
    const saved = await app.page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings', {}));
    assert.deepEqual(saved.extraction.passwords, ['first', 'second one ', 'third']);
    assert.equal(saved.limits.workers, 2, 'the other settings are kept');
    await showView(app.page, 'history');
    await showView(app.page, 'settings');
    assert.equal(await app.page.inputValue('textarea[name="passwords"]'), 'first\nsecond one \nthird');
  });

  test('no console errors, page errors or CSP violations', () => {
    assert.deepEqual(app.problems, []);
  });
});
