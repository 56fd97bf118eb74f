// Documents as the real engine reports them (fixtures/documents/recorded/, written by
// `tests/browser/record-fixtures.sh documents` from the document corpus): every part the engine
// fills is shown by the Document view, in the shapes the engine writes, without a console error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, openApp, repo, serveDist } from './harness.js';

let server;
let browser;
let app;
let samples;

before(async () => {
  const folder = join(repo, 'tests', 'browser', 'fixtures', 'documents', 'recorded');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  samples = (await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(folder, f), 'utf8')).samples))).flat();
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const root = (file) => samples.find((s) => s.report.path === file).report;
const text = (selector) => app.page.textContent(selector);
const openDocument = async (report) => {
  const sha256 = report.hashes.sha256;
  await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'document' }), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-view="document"][data-sha256="${sha256}"]`);
};

describe('documents recorded from the engine', () => {
  test('a presentation: its VBA module, the trigger marked in the source', async () => {
    const report = root('sample_with_vba.ppt');
    await openDocument(report);
    const modules = report.document.vba.modules;
    assert.deepEqual(await app.page.locator('.vba-module .module-name').allTextContents(), modules.map((m) => m.name));
    const marked = await app.page.locator('.vba-module mark.kw-autoexec').allTextContents();
    for (const trigger of modules.flatMap((m) => m.autoexec)) assert.ok(marked.some((m) => m.toLowerCase() === trigger.toLowerCase()), `${trigger} in ${marked}`);
    assert.equal(await app.page.locator('[data-testid="document-kind"] .fact-value').textContent(), 'ole');
  });

  test('a Word document: its DDE fields as the engine decoded them', async () => {
    const report = root('dde-test.docx');
    await openDocument(report);
    const shown = await text('ul.dde-fields');
    for (const field of report.document.dde) assert.ok(shown.includes(field.trim()), field);
  });

  test('a PDF: its keyword counts and scripts', async () => {
    const report = root('SF424_page2.pdf');
    await openDocument(report);
    assert.equal(await app.page.locator('table.pdf-keywords-table tbody tr').count(), Object.keys(report.pdf.keywords).length);
    assert.equal(await app.page.locator('.pdf-script').count(), report.pdf.javascript.length);
    assert.equal(await app.page.locator('.view-document a').count(), 0);
  });

  test('a shortcut: target and arguments in full', async () => {
    const report = root('powershell-encoded.lnk');
    await openDocument(report);
    assert.equal(await app.page.locator('table.lnk-fields tr[data-field="target"] td').textContent(), report.lnk.target);
    assert.equal(await app.page.locator('table.lnk-fields tr[data-field="arguments"] pre').textContent(), report.lnk.arguments);
    assert.doesNotMatch(await text('.view-document'), /\[object Object\]/);
  });

  test('a script: its language and decoded payloads, no field shown as an object', async () => {
    const report = root('ps-frombase64.ps1');
    await openDocument(report);
    assert.equal(await text('[data-testid="script-language"]'), report.script.language);
    assert.equal(await app.page.locator('.decoded-payload').count(), report.script.decoded.length);
    assert.doesNotMatch(await text('.view-document'), /\[object Object\]/);
  });

  test('a presentation carrying a shortcut: the packaged file opens its own report', async () => {
    const report = root('sample_with_lnk_file.ppt');
    await openDocument(report);
    const object = report.document.embedded.find((e) => e.name === 'calc.lnk');
    assert.ok(object, 'the engine lists the package');
    const row = app.page.locator('table.embedded tbody tr', { hasText: 'calc.lnk' });
    await row.locator('button.child-link').click();
    await app.page.waitForSelector(`main[data-ready="true"][data-view="overview"][data-sha256="${object.sha256}"]`);
    assert.deepEqual(app.problems, []);
  });
});
