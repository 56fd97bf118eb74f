// The Hunts view and the rule folders of Settings, with the backend mocked: typed rules are
// checked (errors with their line), a hunt's progress is read until it is done, its matches open
// their sample; a stopped hunt can be resumed.
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

const pes = () => Object.values(fixtures).filter((s) => s.report.format === 'pe');

describe('hunts', () => {
  test('the Hunts view is reached with its key and starts with an example rule and no hunt', async () => {
    await app.page.keyboard.press('u');
    await app.page.waitForSelector('main[data-view="hunts"][data-ready="true"]');
    assert.match(await app.page.inputValue('textarea[name="rules"]'), /^rule example_upx_sections/);
    assert.match(await app.page.textContent('.hunt-list'), /No hunt yet/);
  });

  test('a rule that does not compile is shown with its line, and no hunt starts', async () => {
    await showView(app.page, 'hunts');
    await app.page.fill('textarea[name="rules"]', 'rule a { condition: true }\nrule b { condition: nope }\n');
    await app.page.click('button:has-text("Check rules")');
    await app.page.waitForSelector('.rule-problems li.error');
    assert.equal(await app.page.textContent('.rule-problems'), 'typed rules:2: unknown identifier `nope`');
    await app.page.click('button:has-text("Run hunt")');
    await app.page.waitForSelector('.status-line.error');
    assert.match(await app.page.textContent('.status-line.error'), /typed rules:2/);
    assert.equal(await app.page.evaluate(() => window.__FCAS_BACKEND__.invoke('list_hunts')).then((l) => l.length), 0);
  });

  test('a hunt runs to the end; its matches list the samples and open them', async () => {
    await showView(app.page, 'hunts');
    await app.page.fill('textarea[name="rules"]', 'rule starts_with_mz { condition: uint16(0) == 0x5A4D }\n');
    await app.page.fill('input[name="tag"]', 'batch-1');
    const starts = () => app.page.evaluate(() => window.__FCAS_BACKEND__.calls.filter((c) => c === 'start_hunt').length);
    const before = await starts();
    await app.page.click('button:has-text("Run hunt")');
    // Read until done: the list is polled while a hunt runs.
    await app.page.waitForSelector('.hunt-list li.hunt-done', { timeout: 10000 });
    const expected = pes();
    assert.ok(expected.length >= 1);
    assert.match(await app.page.textContent('.hunt-list li.hunt-done'), new RegExp(`hunt 1: done, \\d+ samples? scanned .*, ${expected.length} matched`));
    assert.match(await app.page.textContent('.hunt-list li.hunt-done'), /tag batch-1/);
    await app.page.waitForSelector('.vt-row');
    const rows = await app.page.locator('.vt-row').allTextContents();
    assert.equal(rows.length, expected.length, rows.join('\n'));
    assert.ok(rows.every((r) => /hunt\.starts_with_mz/.test(r) && /\$mz @ 0x0/.test(r)), rows.join('\n'));
    assert.equal(await starts(), before + 1, 'one click starts one hunt');
    await app.page.locator(".vt-row").first().click();
    await app.page.waitForSelector('main[data-view="overview"][data-ready="true"]');
    const opened = await app.page.getAttribute('main', 'data-sha256');
    assert.ok(expected.some((s) => s.report.hashes.sha256 === opened), opened);
  });

  test('a cancelled hunt offers to resume, and runs on', async () => {
    await showView(app.page, 'hunts');
    const id = await app.page.evaluate(async () => {
      const backend = window.__FCAS_BACKEND__;
      const id = await backend.invoke('start_hunt', { request: { rules: 'rule again { condition: true }' } });
      await backend.invoke('cancel_hunt', { id });
      return id;
    });
    await showView(app.page, 'settings');
    await showView(app.page, 'hunts');
    const item = app.page.locator(`.hunt-list li[data-hunt="${id}"]`);
    assert.match(await item.textContent(), /cancelled/);
    await item.locator('button:has-text("Resume")').click();
    await app.page.waitForSelector(`.hunt-list li[data-hunt="${id}"].hunt-done`, { timeout: 10000 });
  });

  test('settings: rule folders are saved and their compile errors shown with file and line', async () => {
    await showView(app.page, 'settings');
    await app.page.fill('textarea[name="rule_folders"]', '/rules/good\n/rules/broken\n');
    await app.page.click('button:has-text("Check rules")');
    await app.page.waitForSelector('.rule-problems li');
    assert.equal(await app.page.textContent('.rule-problems'), '/rules/broken/bad.yar:2: unknown identifier `nope`');
    await app.page.click('button[type="submit"]');
    await app.page.waitForSelector('.status-line.ok');
    const saved = await app.page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings', {}));
    assert.deepEqual(saved.rule_folders, ['/rules/good', '/rules/broken']);
  });

  test('no console errors, page errors or CSP violations', () => {
    assert.deepEqual(app.problems, []);
  });
});
