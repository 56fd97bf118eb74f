// Documents with the backend mocked: hand-written reports (fixtures/documents/, shaped like the
// engine's `document`, `pdf`, `lnk` and `script` parts) of an Office Open XML document with VBA,
// DDE, a remote template and an embedded object that became a child; a PDF with JavaScript and
// URIs; an OLE workbook with Excel 4.0 macros; a shortcut; a PowerShell script with decoded payloads. The Document view shows each; its
// hostile text stays text, its links are never clickable, a child's link opens the child.
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
  const folder = join(repo, 'tests', 'browser', 'fixtures', 'documents');
  const files = await Promise.all(['ooxml', 'xls', 'pdf', 'lnk', 'script'].map(async (n) => JSON.parse(await readFile(join(folder, `${n}.json`), 'utf8')).samples));
  samples = files.flat();
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
const text = (selector) => app.page.textContent(selector);
const openDocument = async (name) => {
  const sha256 = byName(name).hashes.sha256;
  await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'document' }), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-view="document"][data-sha256="${sha256}"]`);
};

describe('documents', () => {
  test('the Document view is offered only for documents', async () => {
    await openDocument('invoice.docm');
    assert.equal(await app.page.locator('nav button[data-view="document"]').isVisible(), true);
    assert.match(await app.page.locator('nav button[data-view="document"]').textContent(), /^0\s*Document$/);
    const sha256 = pe.report.hashes.sha256;
    await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'overview' }), sha256);
    await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
    assert.equal(await app.page.locator('nav button[data-view="document"]').isVisible(), false);
    await showView(app.page, 'document');
    assert.match(await text('.view-document .empty-note'), /not a document/);
  });

  test('OOXML: summary, VBA modules with their keywords marked, stomping, DDE, remote template', async () => {
    await openDocument('invoice.docm');
    assert.equal(await app.page.locator('[data-testid="document-kind"] .fact-value').textContent(), 'ooxml');
    assert.equal(await app.page.locator('[data-testid="document-encrypted"] .fact-value').textContent(), 'no');
    assert.match(await text('[data-testid="document-truncated"]'), /vba\.source/);
    assert.deepEqual(await app.page.locator('.vba-module .module-name').allTextContents(), ['ThisDocument', 'Module1']);
    assert.equal(await count('[data-testid="vba-stomped"]'), 1);
    assert.equal(await app.page.locator('.fact.stomped .fact-value').textContent(), 'yes');
    const first = '.vba-module[data-module="ThisDocument"]';
    assert.deepEqual(await app.page.locator(`${first} mark.kw-autoexec`).allTextContents(), ['Document_Open']);
    // `Shell` as a word (not inside shellExecuteHelper, not in "WScript.Shell"'s neighbours only).
    assert.deepEqual(await app.page.locator(`${first} mark.kw-suspicious`).allTextContents(), ['CreateObject', 'Shell', 'Shell']);
    assert.match(await text(first), /Not found as words in the source.*Base64 strings/);
    assert.deepEqual(await app.page.locator('.vba-module[data-module="Module1"] mark.kw-suspicious').allTextContents(), ['Chr', 'Chr']);
    assert.match(await text('.vba-module[data-module="Module1"]'), /cut at the size limit/);
    assert.match(await text('ul.dde-fields'), /DDEAUTO c:\\\\windows\\\\system32\\\\cmd\.exe "\/k calc\.exe"/);
    const rel = app.page.locator('table.external-relationships tbody tr');
    assert.equal(await rel.count(), 1);
    assert.deepEqual(await rel.locator('td').allTextContents(), ['attachedTemplate', 'http://evil.example/template.dotm', 'word/_rels/settings.xml.rels']);
    assert.match(await text('.view-document'), /No Excel 4\.0 \(XLM\) macro sheets/);
  });

  test('hostile VBA source is shown as text: no element is made of it, nothing runs', async () => {
    const source = app.page.locator('.vba-module[data-module="ThisDocument"] pre.doc-source');
    const shown = await source.textContent();
    assert.ok(shown.includes('<script>window.__pwned = 1</script>'), shown);
    assert.ok(shown.includes('<img src=x onerror="window.__pwned = 2">'));
    assert.equal(shown, byName('invoice.docm').document.vba.modules[0].source, 'the source is shown exactly');
    assert.equal(await count('.view-document script, .view-document img, .view-document iframe'), 0);
    // Only text nodes and the highlight marks inside the source.
    assert.deepEqual([...new Set(await source.evaluate((pre) => [...pre.childNodes].map((n) => n.nodeName)))].sort(), ['#text', 'MARK']);
    assert.equal(await app.page.evaluate(() => window.__pwned ?? null), null);
    // No report text became a link.
    assert.equal(await count('.view-document a'), 0);
    assert.deepEqual(app.problems, []);
  });

  test('embedded objects: the extracted one opens its child, the other says why it is missing', async () => {
    await openDocument('invoice.docm');
    const child = byName('oleObject1.bin');
    const rows = app.page.locator('table.embedded tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(1).textContent(), /oleObject2\.bin.*Equation\.3.*not extracted: a limit was met \(max_entry_size: 1 entry larger than 8 MiB left out\)/);
    assert.equal(await rows.nth(1).locator('button').count(), 0);
    await rows.nth(0).locator('button.child-link').click();
    await app.page.waitForSelector(`main[data-ready="true"][data-view="overview"][data-sha256="${child.hashes.sha256}"]`);
    assert.match(await text('[data-testid="found-in"]'), /Found in:\s*invoice\.docm/);
  });

  test('OLE workbook: XLM sheets with their visibility, the formulas as text, no VBA project', async () => {
    await openDocument('book.xls');
    assert.match(await text('ul.xlm-sheets'), /Macro1\s*very hidden.*Sheet2\s*visible/);
    assert.equal(await count('ul.xlm-sheets .pill.visibility-very_hidden'), 1);
    assert.deepEqual(await app.page.locator('table.xlm-formulas tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))), [
      ['Macro1', 'A1', 'EXEC("cmd /c <b>calc</b>")'],
      ['Macro1', 'A2', 'HALT()'],
    ]);
    assert.equal(await count('table.xlm-formulas b'), 0);
    assert.match(await text('.view-document'), /No macros: this document carries no VBA project\./);
    assert.match(await text('.view-document'), /No DDE fields.*No external relationships/s);
  });

  test('PDF: keyword table and chart with the dangerous ones emphasised, scripts and URIs as text', async () => {
    await openDocument('report.pdf');
    const pdf = byName('report.pdf').pdf;
    assert.equal(await count('table.pdf-keywords-table tbody tr'), Object.keys(pdf.keywords).length);
    assert.deepEqual((await app.page.locator('table.pdf-keywords-table tr.dangerous td:first-child code').allTextContents()).sort(), ['/JS', '/JavaScript', '/OpenAction', '/URI']);
    // /Launch and /EmbeddedFile are counted zero times: listed, not emphasised, not drawn.
    assert.equal(await count('table.pdf-keywords-table tr.dangerous-absent'), 2);
    assert.equal(await count('svg.pdf-keywords g.keyword'), 6);
    assert.deepEqual((await app.page.locator('svg.pdf-keywords g.keyword.dangerous').evaluateAll((gs) => gs.map((g) => g.dataset.keyword))).sort(), ['/JS', '/JavaScript', '/OpenAction', '/URI']);
    assert.equal(await app.page.locator('svg.pdf-keywords g.keyword[data-keyword="/Page"] .count').textContent(), '2');
    // Extra scalar fields of the part.
    assert.match(await text('table.pdf-extra'), /Objects\s*14.*Linearized\s*false/);
    const scripts = app.page.locator('.pdf-script');
    assert.equal(await scripts.count(), 2);
    assert.match(await scripts.nth(0).textContent(), /^object 7.*app\.alert\('<b>hi<\/b>'\)/);
    assert.match(await scripts.nth(1).textContent(), /cut at the size limit/);
    assert.equal(await count('.pdf-script b'), 0);
    assert.deepEqual(await app.page.locator('ul.uris li').allTextContents(), pdf.uris);
    assert.equal(await count('.view-document a'), 0);
    assert.match(await text('.view-document'), /Embedded objects \(0\)\s*No embedded objects/);
  });

  test('shortcut: every field, the arguments in full', async () => {
    await openDocument('invoice.pdf.lnk');
    const lnk = byName('invoice.pdf.lnk').lnk;
    assert.deepEqual(await app.page.locator('table.lnk-fields th').allTextContents(), ['Target', 'Arguments', 'Working folder', 'Icon', 'Machine ID', 'Mac address', 'Drive serial']);
    assert.equal(await app.page.locator('table.lnk-fields tr[data-field="arguments"] pre').textContent(), lnk.arguments);
    assert.equal(await app.page.locator('table.lnk-fields tr[data-field="target"] td').textContent(), lnk.target);
    assert.equal(await count('.vba-module'), 0, 'no Office sections for a shortcut');
  });

  test('script: language, decoded payloads, the child one opens its report', async () => {
    await openDocument('dropper.ps1');
    assert.equal(await text('[data-testid="script-language"]'), 'powershell');
    assert.match(await text('table.script-extra'), /Obfuscation\s*string concatenation, backtick escapes/);
    const payloads = app.page.locator('.decoded-payload');
    assert.equal(await payloads.count(), 2);
    assert.match(await payloads.nth(0).textContent(), /powershell-encodedcommand\s*at offset 42 · 64 B/);
    assert.match(await payloads.nth(0).locator('pre').textContent(), /<script>window\.__pwned=3<\/script>/);
    assert.match(await payloads.nth(1).textContent(), /base64.*no report of its own.*Binary content/);
    assert.equal(await count('.view-document script'), 0);
    const child = byName('decoded-1');
    await payloads.nth(0).locator('button.child-link').click();
    await app.page.waitForSelector(`main[data-ready="true"][data-view="overview"][data-sha256="${child.hashes.sha256}"]`);
    assert.equal(await app.page.evaluate(() => window.__pwned ?? null), null);
    assert.deepEqual(app.problems, []);
  });
});
