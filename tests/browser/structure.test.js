// The Structure view on recorded PE, ELF and Mach-O reports, and the table tools every table has:
// Ctrl+C on the focused row (through the clipboard, and through the fallback text area when the
// clipboard refuses), the cell menu, the CSV export as downloaded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, loadFixtures, openApp, repo, serveDist } from './harness.js';

let server;
let browser;
let fixtures;
let app;
/** A copy of the PE report whose text a spreadsheet would run: checks the CSV guard. */
const HOSTILE_SHA = 'f'.repeat(64);

before(async () => {
  fixtures = await loadFixtures();
  for (const name of ['dotnet', 'macho', 'malformed']) fixtures[name] = JSON.parse(await readFile(join(repo, 'tests', 'browser', 'fixtures', 'structure', `${name}.json`), 'utf8'));
  const hostile = structuredClone(fixtures.pe);
  hostile.report.hashes.sha256 = HOSTILE_SHA;
  hostile.report.path = 'hostile.exe';
  hostile.report.pe.sections[0].name = '=HYPERLINK("http://x.example","a, b")';
  hostile.report.pe.sections[1].name = '@SUM(1)';
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples: [...Object.values(fixtures), hostile] });
  await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const openStructure = async (sha256) => {
  await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'structure' }), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-view="structure"][data-sha256="${sha256}"]`);
};
const block = (title) => `main section[data-block="${title}"]`;
const rowsOf = (title) => app.page.locator(`${block(title)} > .table-scroll > table tbody tr`);
const hex = (n) => `0x${n.toString(16)}`;
const readClipboard = () => app.page.evaluate(() => navigator.clipboard.readText());

/** RFC 4180 records (written from the RFC's grammar, independent of the page's writer). */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), (i += 1);
    else field += c;
  }
  return records;
}

describe('structure view', () => {
  test('the key `s` opens it; PE: headers, sections with exact sizes, imports with hints and IAT slots', async () => {
    const report = fixtures.pe.report;
    await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'overview' }), report.hashes.sha256);
    await app.page.waitForSelector('main[data-ready="true"][data-view="overview"]');
    await app.page.keyboard.press('s');
    await app.page.waitForSelector(`main[data-ready="true"][data-view="structure"][data-sha256="${report.hashes.sha256}"]`);
    const headers = await app.page.textContent(block('Headers'));
    assert.ok(headers.includes(String(report.pe.headers.timestamp)), 'compile time stamp');
    assert.ok(headers.includes(report.pe.headers.subsystem_name));
    for (const flag of report.pe.headers.dll_characteristics_flags) assert.ok(headers.includes(flag), flag);
    assert.equal(await rowsOf('Sections').count(), report.pe.sections.length);
    for (const [i, s] of report.pe.sections.entries()) {
      const cells = await rowsOf('Sections').nth(i).locator('td').allTextContents();
      assert.equal(cells[0], s.name);
      assert.equal(cells[2], hex(s.virtual_address));
      assert.equal(cells[3], String(s.virtual_size));
      assert.equal(cells[5], String(s.raw_size));
    }
    const dll = report.pe.imports[0];
    const importRows = rowsOf(dll.dll);
    assert.equal(await importRows.count(), dll.symbols.length);
    const first = await importRows.first().locator('td').allTextContents();
    assert.deepEqual([first[0], first[2], first[4]], [dll.symbols[0].name ?? '—', dll.symbols[0].hint === null ? '—' : String(dll.symbols[0].hint), hex(dll.symbols[0].iat_rva)]);
    assert.equal(await app.page.locator('[data-testid="structure-partial"]').count(), 0, 'read whole: no warning');
    // What the file lacks is said, not left blank.
    if (!report.pe.tls) assert.match(await app.page.textContent(block('TLS')), /No TLS directory/);
    assert.deepEqual(app.problems, []);
  });

  test('.NET: the CLR header, the PDB path, version information and resources', async () => {
    const { pe } = fixtures.dotnet.report;
    await openStructure(fixtures.dotnet.report.hashes.sha256);
    const clr = await app.page.textContent(block('.NET header'));
    assert.ok(clr.includes(pe.clr.runtime_version));
    assert.ok(clr.includes(pe.clr.streams.join(', ')));
    const debug = await rowsOf('Debug directory').first().locator('td').allTextContents();
    assert.ok(debug.includes(pe.debug[0].pdb), 'the PDB path, whole');
    const version = await app.page.textContent(block('Version information'));
    for (const [key, value] of Object.entries(pe.version_info)) assert.ok(version.includes(key) && version.includes(value.trim()), key);
    assert.equal(await rowsOf('Resources').count(), pe.resources.length);
  });

  test('a malformed PE: the sections read before the table stopped, the stage error in the record', async () => {
    const report = fixtures.malformed.report;
    await openStructure(report.hashes.sha256);
    assert.equal(await rowsOf('Sections').count(), report.pe.sections.length);
    const note = await app.page.textContent('[data-testid="structure-partial"]');
    for (const e of report.errors.filter((x) => x.stage === 'pe')) assert.ok(note.includes(e.message), e.message);
    assert.deepEqual(app.problems, []);
  });

  test('ELF: header, segments and sections in table order, hardening', async () => {
    const { elf } = fixtures.elf.report;
    await openStructure(fixtures.elf.report.hashes.sha256);
    assert.equal(await rowsOf('Segments').count(), elf.segments.length);
    assert.equal(await rowsOf('Sections').count(), elf.sections.length);
    const segment = await rowsOf('Segments').first().locator('td').allTextContents();
    assert.equal(segment[1], elf.segments[0].segment_type);
    assert.equal(segment[6], String(elf.segments[0].file_size));
    const header = await app.page.textContent(block('Header'));
    assert.ok(header.includes(hex(elf.header.entry_point)));
    assert.ok(header.includes(elf.interpreter));
    assert.ok((await app.page.textContent(block('Hardening'))).includes(elf.hardening.relro));
  });

  test('Mach-O: a group per slice with load commands, segments and libraries', async () => {
    const { macho } = fixtures.macho.report;
    await openStructure(fixtures.macho.report.hashes.sha256);
    const slices = app.page.locator('main section[data-block^="Slice "]');
    assert.equal(await slices.count(), macho.slices.length);
    for (const [i, slice] of macho.slices.entries()) {
      const group = slices.nth(i);
      assert.ok((await group.locator('h2').textContent()).includes(slice.cpu));
      assert.equal(await group.locator('section[data-block="Load commands"] tbody tr').count(), slice.load_commands.length);
      assert.equal(await group.locator('section[data-block="Segments"] tbody tr').count(), slice.segments.length);
      const libs = await group.locator('section[data-block="Linked libraries"]').textContent();
      for (const name of slice.libraries) assert.ok(libs.includes(name), name);
    }
  });
});

describe('table tools', () => {
  test('Ctrl+C copies the focused row as tab-separated text', async () => {
    const report = fixtures.pe.report;
    await openStructure(report.hashes.sha256);
    const row = rowsOf('Sections').nth(1);
    await row.locator('td').first().click();
    await app.page.keyboard.press('Control+c');
    const copied = (await readClipboard()).split('\t');
    const s = report.pe.sections[1];
    assert.equal(copied[0], s.name);
    assert.equal(copied[2], hex(s.virtual_address));
    assert.equal(copied[3], String(s.virtual_size));
    assert.equal(copied.length, await row.locator('td').count());
    // The arrow keys move the focused row, Ctrl+C follows it.
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Control+c');
    assert.equal((await readClipboard()).split('\t')[0], report.pe.sections[2].name);
  });

  test('Ctrl+C with text selected copies the selection, not the row', async () => {
    const report = fixtures.pe.report;
    await openStructure(report.hashes.sha256);
    const row = rowsOf('Sections').nth(2);
    await row.locator('td').first().click();
    await row.locator('td').nth(2).evaluate((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    });
    await app.page.keyboard.press('Control+c');
    assert.equal(await readClipboard(), hex(report.pe.sections[2].virtual_address));
    await app.page.evaluate(() => getSelection().removeAllRanges());
  });

  test('Ctrl+C in a virtual table falls back to the text area when the clipboard refuses', async () => {
    const report = fixtures.elf.report;
    await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'strings' }), report.hashes.sha256);
    await app.page.waitForSelector('main[data-ready="true"][data-view="strings"] .vt-row');
    await app.page.evaluate(() => {
      window.__savedWrite = navigator.clipboard.writeText;
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    try {
      const first = app.page.locator('.vt-row').first();
      const cells = await first.locator('[role="gridcell"]').allTextContents();
      await first.locator('[role="gridcell"]').first().click();
      await app.page.keyboard.press('Control+c');
      await app.page.waitForFunction(() => document.getElementById('fcas-copy-buffer')?.value);
      assert.equal(await app.page.inputValue('#fcas-copy-buffer'), cells.join('\t'));
    } finally {
      await app.page.evaluate(() => (navigator.clipboard.writeText = window.__savedWrite));
    }
  });

  test('the cell menu copies a value, a row and a column', async () => {
    const report = fixtures.pe.report;
    await openStructure(report.hashes.sha256);
    const cell = rowsOf('Data directories').nth(1).locator('td').nth(2);
    const choose = async (label) => {
      await cell.click({ button: 'right' });
      await app.page.locator('.context-menu button', { hasText: label }).click();
      assert.equal(await app.page.locator('.context-menu').count(), 0, 'the menu closes');
      return readClipboard();
    };
    const dir = report.pe.data_directories[1];
    assert.equal(await choose('Copy value'), hex(dir.virtual_address));
    assert.equal(await choose('Copy row'), [String(dir.index), dir.name, hex(dir.virtual_address), String(dir.size)].join('\t'));
    assert.equal(await choose('Copy column'), ['RVA', ...report.pe.data_directories.map((d) => hex(d.virtual_address))].join('\n'));
    // From the keyboard: the menu key on the focused row.
    await cell.click();
    await app.page.keyboard.press('ContextMenu');
    await app.page.locator('.context-menu button', { hasText: 'Copy row' }).click();
    assert.equal((await readClipboard()).split('\t')[1], dir.name);
  });

  test('a cut cell shows its whole text on hover', async () => {
    await openStructure(HOSTILE_SHA);
    // Text longer than a cell can hold carries its title from the start.
    const long = app.page.locator('main td[title]').first();
    assert.equal(await long.getAttribute('title'), await long.textContent());
    // A cell the layout cuts gets it on hover.
    const cell = rowsOf('Sections').first().locator('td').first();
    await cell.evaluate((el) => {
      el.removeAttribute('title');
      el.style.maxWidth = '3ch';
      el.style.width = '3ch';
    });
    await cell.hover();
    assert.equal(await cell.getAttribute('title'), '=HYPERLINK("http://x.example","a, b")');
  });

  test('every table has a CSV button; the file is RFC 4180 with formulas defused', async () => {
    const report = fixtures.pe.report;
    await openStructure(HOSTILE_SHA);
    const tables = await app.page.locator('main table').count();
    assert.equal(await app.page.locator('main .table-tools button.csv-export').count(), tables + (await app.page.locator('main .vt').count()));
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.locator(`${block('Sections')} > .table-scroll > .table-tools button.csv-export`).click()]);
    assert.match(download.suggestedFilename(), /^hostile\.exe-Sections_\d+\.csv$/);
    const text = await readFile(await download.path(), 'utf8');
    assert.ok(text.endsWith('\r\n'));
    const records = parseCsv(text);
    assert.equal(records[0][0], 'Name');
    assert.equal(records.length, report.pe.sections.length + 1);
    assert.equal(records[1][0], `'=HYPERLINK("http://x.example","a, b")`);
    assert.equal(records[2][0], "'@SUM(1)");
    for (const [i, s] of report.pe.sections.slice(2).entries()) assert.deepEqual([records[i + 3][0], records[i + 3][3]], [s.name, String(s.virtual_size)]);
  });

  test('tables of the other views get the tools too (the File map sections, a virtual table)', async () => {
    const report = fixtures.pe.report;
    await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'filemap' }), report.hashes.sha256);
    await app.page.waitForSelector('main[data-ready="true"][data-view="filemap"]');
    await app.page.waitForSelector('table.sections[data-table-tools]');
    await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'strings' }), report.hashes.sha256);
    await app.page.waitForSelector('main[data-ready="true"][data-view="strings"] .vt[data-table-tools]');
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.locator('main .table-tools button.csv-export').first().click()]);
    const records = parseCsv(await readFile(await download.path(), 'utf8'));
    assert.equal(records.length - 1, report.strings.items.length + report.strings.iocs.length, 'every row, not only those on screen');
    assert.deepEqual(app.problems, []);
  });
});
